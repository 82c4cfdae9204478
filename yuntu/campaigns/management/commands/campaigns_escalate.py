from django.core.management.base import BaseCommand

from yuntu.campaigns import notifications
from yuntu.campaigns.tasks import campaigns_escalate
from yuntu.core import commands


class Command(BaseCommand):
    help = ("专项行动逾期督办：把已过完成时限仍未完成的任务报责任单位的上级单位书记督办，每项任务每周最多一次，"
            "可由 cron 或 systemd 定时器每天调用。")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="以该日期为准运行（如 2026-11-30），用于补发或演练")
        commands.add_sender_arguments(parser, setting_help="CAMPAIGNS_NOTIFICATION_SENDER（控制台）")

    def handle(self, *args, **options):
        today = commands.day_option(options, "today")
        if options["enqueue"]:
            return commands.enqueue(self, campaigns_escalate, today=today.isoformat() if today else None)
        sender = commands.sender_option(self, options, notifications.get_sender)
        report = notifications.escalate_overdue(today=today, sender=sender)
        self.stdout.write(f"逾期任务{report.overdue}项，已督办{report.escalated}项；发出{report.messages}条，"
                          f"发送失败{report.failed}条，无人可督办{report.unreachable}项。")

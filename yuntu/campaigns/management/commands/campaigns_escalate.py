import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from yuntu.campaigns import notifications
from yuntu.campaigns.tasks import campaigns_escalate
from yuntu.core.senders import ConsoleSender


class Command(BaseCommand):
    help = ("专项行动逾期督办：把已过完成时限仍未完成的任务报责任单位的上级单位书记督办，每项任务每周最多一次，"
            "可由 cron 或 systemd 定时器每天调用。")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="以该日期为准运行（如 2026-11-30），用于补发或演练")
        parser.add_argument("--sender", help="发送方式的类路径，缺省取设置 CAMPAIGNS_NOTIFICATION_SENDER（控制台）")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行，不在本进程内发送")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today 的日期格式不正确：{options['today']}") from error
        if options["enqueue"]:
            result = campaigns_escalate.enqueue(today=today.isoformat() if today else None)
            self.stdout.write(f"已加入后台任务队列：{result.id}")
            return
        try:
            sender = import_string(options["sender"])() if options["sender"] else notifications.get_sender()
        except ImportError as error:
            raise CommandError(f"找不到发送方式：{options['sender']}") from error
        if isinstance(sender, ConsoleSender) and sender.stream is None:
            sender.stream = self.stdout
        report = notifications.escalate_overdue(today=today, sender=sender)
        self.stdout.write(f"逾期任务{report.overdue}项，已督办{report.escalated}项；发出{report.messages}条，"
                          f"发送失败{report.failed}条，无人可督办{report.unreachable}项。")

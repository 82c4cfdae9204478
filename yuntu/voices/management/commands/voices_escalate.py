from django.core.management.base import BaseCommand

from yuntu.core import commands
from yuntu.voices import notifications
from yuntu.voices.tasks import voices_escalate


class Command(BaseCommand):
    help = ("群众诉求超期上报：超过办结期限仍未办结的诉求报上级组织书记督办（每件只报一次），"
            "超期未答复的吹哨派单提醒部门经办人（每件每天最多一次），并按部门列出超期派单。可由 cron 或 systemd 定时器每天调用。")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以该时刻为准运行（ISO 格式，如 2026-11-30T09:00+08:00），用于补发或演练")
        commands.add_sender_arguments(parser, setting_help="VOICES_NOTIFICATION_SENDERS（控制台与邮件）")

    def handle(self, *args, **options):
        now = commands.moment_option(options, "now")
        if options["enqueue"]:
            return commands.enqueue(self, voices_escalate, now=now.isoformat() if now else None)
        sender = commands.sender_option(self, options, notifications.get_sender)
        report = notifications.escalate_overdue(now=now, sender=sender)
        self.stdout.write(
            f"超期未办结诉求{report.overdue}件，已报上级{report.escalated}件，无人可报{report.unreachable}件；"
            f"超期派单{report.overdue_dispatches}件待提醒，已提醒{report.reminded_dispatches}件，"
            f"部门无经办人账号{report.unreachable_dispatches}件；"
            f"发出{report.messages}条，发送失败{report.failed}条。"
        )
        if report.departments:
            self.stdout.write("超期未答复的吹哨派单（按部门）：")
            for row in report.departments:
                self.stdout.write(f"  {row['name']}：{row['overdue']}件，最早期限 {row['oldest_deadline']}")
        else:
            self.stdout.write("没有超期未答复的吹哨派单。")

from django.core.management.base import BaseCommand, CommandError

from yuntu.core import commands
from yuntu.ledger import notifications
from yuntu.ledger.tasks import ledger_remind


class Command(BaseCommand):
    help = ("整改台账“两周一更新”提醒：提醒超过14天未更新进展的措施责任人和本单位书记，并把逾期措施报上级单位书记督办。"
            "每项措施每两周最多提醒一次，可由 cron 或 systemd 定时器每天或每周调用。")

    def add_arguments(self, parser):
        parser.add_argument("--now", help="以该时刻为准运行（ISO 格式，如 2026-11-30T09:00+08:00），用于补发或演练")
        parser.add_argument("--stale-days", type=int, default=notifications.STALE_DAYS, help="多少天未更新算作需要提醒")
        commands.add_sender_arguments(parser, setting_help="LEDGER_NOTIFICATION_SENDER（控制台）")

    def handle(self, *args, **options):
        now = commands.moment_option(options, "now")
        if options["stale_days"] < 1:
            raise CommandError("--stale-days 至少为1天。")
        if options["enqueue"]:
            return commands.enqueue(self, ledger_remind, now=now.isoformat() if now else None,
                                    stale_days=options["stale_days"])
        sender = commands.sender_option(self, options, notifications.get_sender)
        report = notifications.send_reminders(now=now, sender=sender, stale_days=options["stale_days"])
        self.stdout.write(
            f"本期（{report.fortnight_start}起两周）：未更新措施{report.stale}项，已提醒{report.reminded}项；"
            f"逾期措施{report.overdue}项，已督办{report.escalated}项；发出{report.messages}条（{report.recipients}人），"
            f"发送失败{report.failed}条，无人可提醒{report.unreachable}项。"
        )

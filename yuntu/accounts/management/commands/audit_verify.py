from django.core.management.base import BaseCommand, CommandError

from yuntu.accounts.audit import audit_verify
from yuntu.accounts.models import AuditEntry


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改、删除或插入的记录时以非零状态退出。"

    def handle(self, *args, **options):
        problems = audit_verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"审计日志校验未通过：发现{len(problems)}处问题。")
        self.stdout.write(f"审计日志校验通过：共{AuditEntry.objects.count()}条，哈希链完整。")

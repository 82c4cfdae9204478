from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from yuntu.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的归档恢复到空数据库：先校验清单和校验和，恢复后核对记录数并校验审计日志哈希链。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 归档")
        parser.add_argument("--no-migrate", action="store_true", help="不先运行 migrate（数据库结构已就绪时）")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            report = restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"恢复完成：{report.rows}条记录，{report.files}个上传文件。")
        if report.audit_problems:
            for problem in report.audit_problems:
                self.stderr.write(problem)
            raise CommandError("审计日志校验未通过。")
        self.stdout.write("审计日志校验通过，哈希链完整。")

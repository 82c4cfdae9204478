from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from yuntu.core import clock
from yuntu.operations.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库与上传文件（一致的快照）到一个 .tar.gz 归档，附带校验和清单。"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="归档路径；缺省为 BACKUP_DIR/yuntu-<时间>.tar.gz")

    def handle(self, *args, **options):
        output = options["output"]
        if not output:
            folder = Path(getattr(settings, "BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups"))
            output = folder / f"yuntu-{clock.now():%Y%m%d-%H%M%S}.tar.gz"
        manifest = create_backup(Path(output))
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"备份完成：{output}（{rows}条记录，{files}个上传文件，审计日志至第{manifest['audit']['last_sequence']}条）")
        if manifest["missing_files"]:
            self.stderr.write(f"注意：{len(manifest['missing_files'])}个记录引用的文件在存储中不存在，未能备份。")

import json

from django.core.management.base import BaseCommand

from yuntu.assessment.scan import run_scan
from yuntu.assessment.tasks import compliance_scan
from yuntu.core import commands


class Command(BaseCommand):
    help = ("合规扫描（融e红式大数据预警）：按全部预警规则扫描整棵组织树，发现的问题向本组织和上级组织预警，"
            "数据已符合要求的自动消除，多期（多次）重复的升级上报。可由 cron 或 systemd 定时器每天调用。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="以该日期为准扫描（YYYY-MM-DD），用于补扫或演练")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果，含各规则各期间的用时和查询数（性能测试用）")

    def handle(self, *args, **options):
        day = commands.day_option(options, "date")
        if options["enqueue"]:
            return commands.enqueue(self, compliance_scan, today=day.isoformat() if day else None)
        result = run_scan(today=day)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(steps=True), ensure_ascii=False))
            return
        self.stdout.write(f"扫描{result.orgs}个组织，用时{result.seconds}秒（{result.queries}条查询）：新发现{result.raised}条，"
                          f"消除{result.resolved}条，升级{result.escalated}条，未消除{result.still_open}条。")

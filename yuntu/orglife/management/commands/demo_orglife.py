import time

from django.core.management.base import BaseCommand, CommandError

from yuntu.core import commands
from yuntu.orglife import demo


class Command(BaseCommand):
    help = ("为演示区生成一年的组织生活：支部书记、三会一课、主题党日、组织生活会和民主评议、主题教育活动、出席记录、"
            "党费、新阳街道支部百分考评与流动红旗，并运行一次合规扫描、起草上月通报。部分支部有意缺会，供扫描发现。"
            "重复运行不会重复生成。")

    def add_arguments(self, parser):
        commands.add_demo_arguments(parser, seed=demo.DEFAULT_SEED, root_help="根组织编号（缺省为行政区划代码 350205 的演示区）")
        parser.add_argument("--months", type=int, default=13, help="生成最近几个月的会议（缺省13）")
        parser.add_argument("--bench", action="store_true",
                            help="性能测试用：只生成书记、会议和最近三次主题党日的出席记录，不生成党费和考评")
        parser.add_argument("--no-scan", dest="scan", action="store_false", help="生成后不运行合规扫描")

    def handle(self, *args, **options):
        root = commands.root_option(options)
        started = time.perf_counter()
        try:
            result = demo.generate_orglife(root, seed=options["seed"], months=options["months"],
                                           bench=options["bench"], scan=options["scan"])
        except demo.DemoOrglifeError as error:
            raise CommandError(str(error)) from error
        if not result.created:
            self.stdout.write(f"“{result.root.name}”的组织生活演示数据已存在（{result.meetings}场会议），未重复生成。")
            return
        self.stdout.write(
            f"已为“{result.root.name}”生成组织生活：{result.meetings}场会议活动、{result.attendances}条出席记录、"
            f"{result.officers}名支部书记、{result.dues}条党费记录；用时{time.perf_counter() - started:.1f}秒。")
        if options["scan"]:
            self.stdout.write(f"合规扫描用时{result.scan_seconds}秒，未消除预警{result.alerts_open}条。")

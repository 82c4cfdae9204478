from django.core.management.base import BaseCommand, CommandError

from yuntu.core import commands
from yuntu.ledger import demo


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成第一批问题清单整改台账："
            "547个问题、1035项措施、完成720项，县处级以上单位和基层党组织完成率分别为74%、65%。重复运行不会重复生成。")

    def add_arguments(self, parser):
        commands.add_demo_arguments(parser, seed=demo.DEFAULT_SEED, seed_help="随机种子（相同种子生成相同台账）")
        parser.add_argument("--reset", action="store_true", help="先删除该区已有的整改台账再生成")
        parser.add_argument("--bench", action="store_true",
                            help="性能测试用：在 --root 指定的整棵组织树上批量生成约 --measures 项措施的台账（已生成则复用）")
        parser.add_argument("--measures", type=int, default=100_000, help="--bench 时生成的措施数（约数）")

    def handle(self, *args, **options):
        root = commands.root_option(options)
        if options["bench"]:
            self.handle_bench(root, options)
            return
        try:
            result = demo.generate_ledger(root, seed=options["seed"], reset=options["reset"])
        except demo.DemoLedgerError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(f"已为“{result.root.name}”生成{demo.BATCH}：{result.problems}个问题、{result.measures}项措施、"
                              f"{result.events}条台账记录。")
        else:
            self.stdout.write(f"“{result.root.name}”的{demo.BATCH}已存在，未重复生成。")
        figures = result.figures
        total, county, grassroots = figures["all"], figures[demo.COUNTY], figures[demo.GRASSROOTS]
        self.stdout.write(
            f"全区梳理问题{total['problems']}个，制定整改措施{total['measures']}项，完成{total['measures_completed']}项"
            f"（已销号问题{total['problems_closed']}个，逾期未完成措施{total['measures_overdue']}项）；"
            f"县处级以上单位完成率{_percent(county['completion_rate'])}"
            f"（{county['measures_completed']}/{county['measures']}），"
            f"基层党组织完成率{_percent(grassroots['completion_rate'])}"
            f"（{grassroots['measures_completed']}/{grassroots['measures']}）。"
        )
        pushed = result.pushed
        self.stdout.write(f"上下联动：下发问题{pushed['problems']}个，整改措施{pushed['measures']}条，"
                          f"已完成问题整改{pushed['problems_closed']}个、整改措施{pushed['measures_completed']}条。")
        wanted = demo.TARGET
        if (total["problems"], total["measures"], total["measures_completed"]) != (
                wanted["problems"], wanted["measures"], wanted["completed"]) or (
                round(county["completion_rate"] or 0), round(grassroots["completion_rate"] or 0)) != (74, 65):
            raise CommandError("演示台账的数字与海沧区通报不一致（应为547/1035/720，74%/65%），该区台账可能已被改动。")

    def handle_bench(self, root, options):
        if root is None:
            raise CommandError("--bench 需要用 --root 指定组织树的根。")
        if options["reset"]:
            raise CommandError("--bench 不支持 --reset：请重建基准数据库。")
        try:
            result = demo.generate_bench_ledger(root, measures=options["measures"], seed=options["seed"])
        except demo.DemoLedgerError as error:
            raise CommandError(str(error)) from error
        verb = "已生成" if result.created else "已存在（复用）"
        self.stdout.write(f"“{result.root.name}”的性能测试台账{verb}：{result.problems}个问题、{result.measures}项措施，"
                          f"用时{result.seconds}秒 {result.timings or ''}")


def _percent(rate) -> str:
    return "—" if rate is None else f"{round(rate)}%（{rate}%）"

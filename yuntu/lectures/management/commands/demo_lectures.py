from django.core.management.base import BaseCommand, CommandError

from yuntu.lectures import demo
from yuntu.lectures.workflow import OrderStatus


class Command(BaseCommand):
    help = ("为演示区生成菜单式宣讲：区委百姓宣讲团和各街道理论宣讲队、宣讲员（部分为党员）、宣讲菜单，以及近四个月的点单"
            "（点菜、配菜、送菜、评菜各阶段）。须先运行 manage.py demo_venues；重复运行不会重复生成。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, **options):
        try:
            result = demo.generate_lectures(seed=options["seed"])
        except demo.DemoLecturesError as error:
            raise CommandError(str(error)) from error
        verb = "已生成" if result.created else "已存在，未重复生成"
        statuses = "，".join(f"{OrderStatus(status).label}{count}单" for status, count in sorted(result.by_status.items()))
        self.stdout.write(f"“{result.root.name}”的菜单式宣讲{verb}：宣讲团{result.teams}个、宣讲员{result.lecturers}名、"
                          f"题目{result.topics}个、点单{result.orders}单（{statuses}）。")

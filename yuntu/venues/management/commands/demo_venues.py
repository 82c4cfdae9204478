from django.core.management.base import BaseCommand, CommandError

from yuntu.venues import demo
from yuntu.venues.workflow import BookingStatus


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成党群服务阵地：区党群服务中心、各街道党建服务中心、"
            "各社区（村）党群服务中心、小区党群之家和机关活动室，含活动室、开放时间、街道边界，以及近两个月的预约"
            "（签到、未到场、取消）和未来两周的预约（已预约、待审核）。重复运行不会重复生成。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, **options):
        try:
            result = demo.generate_venues(seed=options["seed"])
        except demo.DemoVenuesError as error:
            raise CommandError(str(error)) from error
        verb = "已生成" if result.created else "已存在，未重复生成"
        statuses = "，".join(f"{BookingStatus(status).label}{count}笔" for status, count in sorted(result.by_status.items()))
        self.stdout.write(f"“{result.root.name}”的党群服务阵地{verb}：阵地{result.venues}处、活动室{result.rooms}间、"
                          f"预约{result.bookings}笔（{statuses}）。")

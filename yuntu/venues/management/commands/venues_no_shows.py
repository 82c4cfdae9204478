from django.core.management.base import BaseCommand

from yuntu.venues import services
from yuntu.venues.tasks import venues_mark_no_shows


class Command(BaseCommand):
    help = "登记未到场：已预约、时段已结束仍未签到的预约记为未到场（可由 cron 或 systemd 定时器每小时调用，重复运行无副作用）。"

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行")

    def handle(self, *args, **options):
        if options["enqueue"]:
            venues_mark_no_shows.enqueue()
            self.stdout.write("已加入后台任务队列。")
            return
        count = services.mark_no_shows()
        self.stdout.write(f"已登记未到场{count}笔。")

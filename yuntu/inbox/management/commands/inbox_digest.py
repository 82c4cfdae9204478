import json

from django.core.management.base import BaseCommand

from yuntu.inbox import services, tasks


class Command(BaseCommand):
    help = "每日消息汇总：把选择“每日汇总”的用户当天的消息合并为一条推送（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="加入任务队列，由任务进程执行")

    def handle(self, *args, **options):
        if options["enqueue"]:
            tasks.inbox_digest.enqueue()
            self.stdout.write("已加入任务队列。")
            return
        self.stdout.write(json.dumps(services.send_digests().as_dict(), ensure_ascii=False))

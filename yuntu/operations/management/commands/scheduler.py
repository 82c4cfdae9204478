"""`manage.py scheduler`: one small loop that fires periodic jobs and re-queues tasks of lost workers."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from yuntu.operations.recovery import requeue_lost_tasks
from yuntu.operations.schedule import discover, fire_due


class Command(BaseCommand):
    help = "定时任务调度进程：按各应用 schedule.py 的声明把到期任务加入后台队列，并把失联任务进程遗留的任务重新排队。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=30, help="两次检查之间的秒数（缺省30）")
        parser.add_argument("--once", action="store_true", help="只检查一次后退出（用于 cron 或测试）")

    def handle(self, *args, **options):
        running = {"on": True}

        def stop(signum, frame):
            running["on"] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        jobs = discover()
        self.stdout.write("定时任务：" + ("、".join(sorted(jobs)) or "（无）"))
        while running["on"]:
            close_old_connections()
            recovered = requeue_lost_tasks()
            if recovered.requeued or recovered.failed:
                self.stdout.write(f"失联任务：重新排队{recovered.requeued}个，放弃{recovered.failed}个")
            for name in fire_due():
                self.stdout.write(f"已加入队列：{name}")
            if options["once"]:
                break
            deadline = time.monotonic() + options["interval"]
            while running["on"] and time.monotonic() < deadline:
                time.sleep(min(1.0, options["interval"]))

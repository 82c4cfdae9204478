"""`manage.py tallies_refresh [--rebuild]`: bring the figures' tallies up to date (what the minute job does)."""

import time

from django.core.management.base import BaseCommand

from yuntu.indicators import tallies


class Command(BaseCommand):
    help = "把指标汇总（按组织和月份）更新到最新：有变动的组织重新计数；--rebuild 从全部业务记录重算。"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="从全部业务记录重算所有指标汇总")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["rebuild"]:
            tables = tallies.rebuild_all()
            self.stdout.write(f"指标汇总已重算：{len(tables)}张业务表，用时{time.perf_counter() - started:.1f}秒")
            return
        done = tallies.refresh_all()
        caught_up = sum(done["caught_up"].values())
        self.stdout.write(f"指标汇总已更新：{caught_up}个组织重新计数，重算{len(done['rebuilt'])}张业务表"
                          f"{'（' + '、'.join(done['rebuilt']) + '）' if done['rebuilt'] else ''}，"
                          f"用时{time.perf_counter() - started:.1f}秒")

"""`manage.py rollups_rebuild [--only ledger.LedgerCount]`: recompute the roll-up tables from the records."""

import time

from django.core.management.base import BaseCommand, CommandError

from yuntu.indicators import rollups


class Command(BaseCommand):
    help = "从业务记录重新计算汇总表（台账、群众诉求等按组织和月份的计数）。"

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="只重算指定的汇总表，如 ledger.LedgerCount")

    def handle(self, *args, **options):
        chosen = rollups.registered()
        if options["only"]:
            unknown = set(options["only"]) - {rollup.model for rollup in chosen}
            if unknown:
                raise CommandError(f"未知的汇总表：{', '.join(sorted(unknown))}")
            chosen = [rollup for rollup in chosen if rollup.model in options["only"]]
        for rollup in chosen:
            started = time.perf_counter()
            count = rollups.rebuild(rollup)
            self.stdout.write(f"{rollup.model}：重算{count}行，用时{time.perf_counter() - started:.1f}秒")

"""Run inside a dataset's environment: server time of the command dashboard and of a briefing.

`python -m bench.figures <scale>` prints JSON: the median and slowest of repeated in-process runs of
the dashboard's selector (`yuntu.dashboard.selectors.board`, every registered figure, the children's
table, the ranking and the monthly trend) for the root and for one street, signed in as the scale's
district officer; and the time to generate, issue (freezing every figure with its record ids) and
render a briefing as Word and PDF for the root. The issued briefing is deleted afterwards.
"""

import json
import os
import statistics
import sys
import time

import django

RUNS = 7


def _timed(function, runs: int = RUNS) -> dict:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1), "runs": runs}


def _after_a_change(selectors, officer, root) -> None:
    """The root's board right after one branch's meeting changed: the read catches that org up first."""
    from django.db import transaction

    from yuntu.orglife.models import Meeting

    with transaction.atomic():
        meeting = Meeting.objects.filter(org_path__startswith=root.path, status="held").order_by("-pk").first()
        if meeting is not None:
            Meeting.objects.filter(pk=meeting.pk).update(present_count=meeting.present_count + 1)
        selectors.board(officer, org=root)
        transaction.set_rollback(True)


def main(scale: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connection, transaction

    from yuntu.accounts.models import RoleGrant, User
    from yuntu.briefings import documents, services
    from yuntu.briefings.demo import MONTHLY_BODY
    from yuntu.briefings.models import BriefingSeries, BriefingTemplate
    from yuntu.dashboard import selectors
    from yuntu.demo import generator
    from yuntu.demo.plan import SCALES
    from yuntu.indicators.models import Tally

    root = generator.find_root(scale)
    prefix = SCALES[scale].username_prefix
    officer = User.objects.get(username=f"{prefix}district_officer")
    street = RoleGrant.objects.get(user__username=f"{prefix}street_secretary").org
    result = {"scale": scale, "engine": connection.vendor, "indicators": len(selectors.indicators_for(officer, root))}
    selectors.board(officer, org=root)  # warm the caches of the database
    result["dashboard_root"] = _timed(lambda: selectors.board(officer, org=root))
    result["dashboard_street"] = _timed(lambda: selectors.board(officer, org=street))
    result["children_of_root"] = len(selectors.board(officer, org=root).children)
    result["tally_rows"] = Tally.objects.count()
    result["dashboard_root_after_a_change"] = _timed(lambda: _after_a_change(selectors, officer, root))

    with transaction.atomic():
        series = BriefingSeries.objects.create(org=root, org_path=root.path, name="性能测试简报", issuer="性能测试")
        template = BriefingTemplate.objects.create(org=root, org_path=root.path, name="性能测试", title="{单位}情况",
                                                   body=MONTHLY_BODY)
        started = time.perf_counter()
        draft = services.briefing_generate(actor=officer, series=series, org=root, template=template)
        issued = services.briefing_publish(actor=officer, briefing=draft)
        result["briefing_issue_ms"] = round((time.perf_counter() - started) * 1000, 1)
        result["frozen_figures"] = issued.figures.count()
        started = time.perf_counter()
        documents.to_docx(documents.issue_of(issued))
        result["briefing_docx_ms"] = round((time.perf_counter() - started) * 1000, 1)
        started = time.perf_counter()
        documents.to_pdf(documents.issue_of(issued))
        result["briefing_pdf_ms"] = round((time.perf_counter() - started) * 1000, 1)
        transaction.set_rollback(True)  # leave the dataset as it was
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1]), ensure_ascii=False))

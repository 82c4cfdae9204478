"""Two progress reports on one task at the same moment are serialised by the row lock (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from yuntu.campaigns import services
from yuntu.campaigns.models import Task, TaskProgress


def test_two_reports_at_once_chain_their_percents(transactional_db, roadmap, cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises whole writes")
    task = roadmap["on_track"]
    secretary = cast.user("community_secretary")
    barrier = threading.Barrier(2)
    errors = []

    def report(percent: int) -> None:
        try:
            barrier.wait()
            services.progress_record(actor=secretary, task=task, percent=percent, text=f"推进到{percent}%")
        except Exception as error:  # collected for the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(percent,)) for percent in (30, 60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports = list(TaskProgress.objects.filter(task=task).order_by("id"))
    if errors:
        # The later one lowered the percent without a reason: refused, and only the first was written.
        assert len(errors) == 1 and len(reports) == 1 and "须说明原因" in str(errors[0])
    else:
        assert [report.previous_percent for report in reports] == [0, reports[0].percent]
    assert Task.objects.get(pk=task.pk).percent == reports[-1].percent

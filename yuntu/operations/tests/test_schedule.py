"""Every app's declared periodic job names a task that imports and takes the job's arguments, and fires once a slot."""

import datetime
import inspect

from django.utils import timezone
from django.utils.module_loading import import_string

from yuntu.operations import schedule
from yuntu.operations.models import ScheduledRun

EXPECTED = {"ledger_remind", "voices_escalate", "compliance_scan", "campaigns_escalate", "inbox_digest",
            "venues_no_shows", "tallies_refresh"}


def test_every_declared_job_names_a_task_that_imports_and_takes_its_arguments():
    jobs = schedule.discover()
    assert EXPECTED <= set(jobs)
    for job in jobs.values():
        task = import_string(job.task)
        assert hasattr(task, "enqueue"), f"{job.name}: {job.task} is not a task"
        inspect.signature(task.func).bind(**job.kwargs)
    assert jobs["venues_no_shows"].every == datetime.timedelta(hours=1)
    assert jobs["compliance_scan"].daily_at < datetime.time(8, 0) < datetime.time(17, 0) <= jobs["inbox_digest"].daily_at


def test_the_scheduler_runs_each_job_once_per_slot(db):
    evening = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 0)))
    fired = schedule.fire_due(now=evening)
    assert EXPECTED <= set(fired)
    assert schedule.fire_due(now=evening + datetime.timedelta(minutes=5)) == ["tallies_refresh"]  # a new minute
    assert schedule.fire_due(now=evening + datetime.timedelta(minutes=5)) == []
    assert set(ScheduledRun.objects.values_list("job", flat=True)) == set(fired)
    assert all(ScheduledRun.objects.values_list("task_result_id", flat=True))
    later = schedule.fire_due(now=evening + datetime.timedelta(hours=1))
    assert "venues_no_shows" in later and not (EXPECTED - {"venues_no_shows", "tallies_refresh"}) & set(later)

"""The scheduler fires each job once per slot; lost tasks are re-queued, then given up after the attempts."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yuntu.operations.models import ScheduledRun, WorkerHeartbeat
from yuntu.operations.recovery import requeue_lost_tasks
from yuntu.operations.schedule import discover, fire_due

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 1) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def test_the_apps_declare_their_periodic_jobs():
    jobs = discover()
    assert {"ledger_remind", "voices_escalate"} <= set(jobs)


def only(*names: str) -> list[str]:
    """SCHEDULE_DISABLED that leaves just these jobs (test_schedule.py fires every declared job)."""
    return [name for name in discover() if name not in names]


def test_each_job_fires_once_per_slot(cast, settings):
    settings.SCHEDULE_DISABLED = only("ledger_remind", "voices_escalate")
    assert fire_due(now=at(8, 0)) == []
    assert sorted(fire_due(now=at(9, 10))) == ["ledger_remind", "voices_escalate"]
    assert fire_due(now=at(9, 40)) == []  # same day: already fired, also by another scheduler
    assert ScheduledRun.objects.count() == 2
    assert sorted(fire_due(now=at(9, 5, day=2))) == ["ledger_remind", "voices_escalate"]


def test_a_disabled_job_does_not_fire(cast, settings):
    settings.SCHEDULE_DISABLED = only("ledger_remind")
    assert fire_due(now=at(10, 0)) == ["ledger_remind"]


def running(worker: str, *, attempts: int = 1) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path="yuntu.orgs.tasks.run_import",
        args_kwargs={"args": [1], "kwargs": {}}, backend_name="default", queue_name="default",
        run_after=now, started_at=now, worker_ids=[f"{worker}-{n}" for n in range(attempts - 1)] + [worker])


def beat(worker: str, seconds_ago: int) -> None:
    seen = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker, hostname="h", pid=1, started_at=seen, seen_at=seen)


def test_a_task_of_a_silent_worker_is_requeued_and_one_of_a_live_worker_is_not(db, settings):
    settings.TASK_WORKER_LOST_AFTER = 60
    beat("h:1:dead", 120)
    beat("h:2:live", 5)
    lost, alive = running("h:1:dead"), running("h:2:live")
    report = requeue_lost_tasks()
    assert report.requeued == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    assert alive.status == TaskResultStatus.RUNNING
    assert not WorkerHeartbeat.objects.filter(worker_id="h:1:dead").exists()


def test_a_task_that_kills_its_worker_every_time_is_given_up(db, settings):
    settings.TASK_MAX_ATTEMPTS = 3
    beat("h:3:dead", 600)
    doomed = running("h:3:dead", attempts=3)
    assert requeue_lost_tasks().failed == 1
    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED and doomed.exception_class_path.endswith("WorkerLost")


def test_a_worker_without_heartbeats_gets_the_running_limit(db, settings):
    settings.TASK_RUNNING_LIMIT = 3600
    recent = running("plain-db-worker")
    assert requeue_lost_tasks().requeued == 0
    DBTaskResult.objects.filter(pk=recent.pk).update(started_at=timezone.now() - datetime.timedelta(hours=2))
    assert requeue_lost_tasks().requeued == 1


@pytest.mark.parametrize("hour,due", [(8, False), (9, True)])
def test_daily_slots_follow_local_time(hour, due):
    job = discover()["voices_escalate"]
    assert (job.slot(at(hour, 30)) is not None) is due

"""Periodic jobs, declared by each app in `yuntu/<app>/schedule.py` and fired by `manage.py scheduler`.

    from yuntu.operations.schedule import Job, register
    register(Job("ledger_remind", "yuntu.ledger.tasks.ledger_remind", daily_at=datetime.time(8, 30)))

A job fires at most once per slot (its interval, or its time of day): the slot is claimed by a
unique (job, slot) row in the same transaction as the enqueue, so two schedulers never double a
run and a crashed one leaves either both or neither. See docs/adr/0040-scheduler.md.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string

from yuntu.core import clock

from .models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None  # local time (TIME_ZONE)
    kwargs: dict = field(default_factory=dict)

    def slot(self, now: datetime.datetime) -> datetime.datetime | None:
        """The slot due at `now`, or None when none is due yet today."""
        if self.every is not None:
            seconds = int(self.every.total_seconds())
            return datetime.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=datetime.UTC)
        local = timezone.localtime(now)
        due = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return due if local >= due else None


JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    if (job.every is None) == (job.daily_at is None):
        raise ValueError(f"job {job.name}: give exactly one of every= and daily_at=")
    JOBS[job.name] = job
    return job


def discover() -> dict[str, Job]:
    autodiscover_modules("schedule")
    disabled = set(getattr(settings, "SCHEDULE_DISABLED", []))
    return {name: job for name, job in JOBS.items() if name not in disabled}


def fire_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not run yet; return the names enqueued."""
    now = now or clock.now()
    fired = []
    for job in discover().values():
        slot = job.slot(now)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = import_string(job.task).enqueue(**job.kwargs)
                ScheduledRun.objects.filter(pk=run.pk).update(task_result_id=str(result.id))
        except IntegrityError:
            continue  # this slot already ran (another scheduler, or an earlier tick)
        fired.append(job.name)
    return fired

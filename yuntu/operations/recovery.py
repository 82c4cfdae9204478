"""Tasks whose worker died are put back in the queue, not lost (generic: any django-tasks task).

A worker started with `manage.py worker` writes a heartbeat every few seconds. A task still
RUNNING whose last worker has not been heard of for TASK_WORKER_LOST_AFTER seconds was cut off
(SIGKILL, OOM, a reboot): it goes back to READY and the next free worker runs it again, as a new
attempt (`context.attempt`). A worker without heartbeats (a plain `db_worker`) is given
TASK_RUNNING_LIMIT before its task counts as lost. After TASK_MAX_ATTEMPTS the task is marked
failed instead, so a task that kills its worker every time does not loop for ever.

Tasks must therefore be safe to run again: Yuntu's write in one transaction (a cut-off run
left nothing) and are idempotent per period (reminders, escalations, scans).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from yuntu.core import clock

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker died on every attempt."""


@dataclass
class RecoveryReport:
    requeued: int = 0
    failed: int = 0


def lost_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "TASK_WORKER_LOST_AFTER", 60)))


def running_limit() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "TASK_RUNNING_LIMIT", 6 * 3600)))


def max_attempts() -> int:
    return int(getattr(settings, "TASK_MAX_ATTEMPTS", 3))


def requeue_lost_tasks(*, now: datetime.datetime | None = None) -> RecoveryReport:
    now = now or clock.now()
    report = RecoveryReport()
    with transaction.atomic():
        alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - lost_after()).values_list("worker_id", flat=True))
        known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        for result in running:
            worker = result.worker_ids[-1] if result.worker_ids else ""
            if worker in alive:
                continue
            if worker not in known and result.started_at and result.started_at > now - running_limit():
                continue  # a worker without heartbeats: wait for the running limit
            if len(result.worker_ids) >= max_attempts():
                DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=now,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"任务进程在执行中退出（共尝试{len(result.worker_ids)}次），不再重试。")
                report.failed += 1
                logger.error("task %s (%s) failed: its worker died on every attempt", result.pk, result.task_path)
                continue
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
            report.requeued += 1
            logger.warning("task %s (%s) re-queued: worker %s was lost", result.pk, result.task_path, worker)
        WorkerHeartbeat.objects.filter(seen_at__lt=now - lost_after()).exclude(worker_id__in=alive).delete()
    return report

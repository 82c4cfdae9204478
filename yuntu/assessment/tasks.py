"""Background work of assessment: the compliance scan, through the one task interface (django-tasks).

Scheduled by a timer (cron / systemd) through `manage.py compliance_scan --enqueue`, or run in
place by `manage.py compliance_scan`; the alerts page enqueues it on demand.
"""

import datetime
import logging

from django.db import transaction
from django_tasks import task

from . import notifications

logger = logging.getLogger("yuntu.assessment.tasks")


@task()
def compliance_scan(today: str | None = None) -> dict:
    """Evaluate every compliance rule over the whole tree; `today` is an ISO date (task arguments are JSON)."""
    from .scan import run_scan

    day = datetime.date.fromisoformat(today) if today else None
    return run_scan(today=day).as_dict()


@task()
def compliance_notify(new_ids: list[int], escalated_ids: list[int]) -> dict:
    return notifications.deliver(new_ids, escalated_ids)


def notify_alerts_on_commit(new_ids: list[int], escalated_ids: list[int]) -> None:
    def enqueue() -> None:
        try:
            compliance_notify.enqueue(new_ids=list(new_ids), escalated_ids=list(escalated_ids))
        except Exception:  # the scan is committed; a lost digest is logged
            logger.exception("合规预警通知未能加入队列")

    transaction.on_commit(enqueue)

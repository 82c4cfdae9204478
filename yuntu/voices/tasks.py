"""Background work of residents' voices, through the one task interface (django-tasks).

`notify_on_commit` is the hook the services call at the end of each stage: it enqueues
`voices_notify` only once the surrounding transaction has committed, so a write that rolls back
sends nothing, and a failing queue never turns a committed write into an error page.
"""

import datetime
import logging

from django.db import transaction
from django_tasks import task

from . import notifications

logger = logging.getLogger("yuntu.voices.tasks")


@task()
def voices_notify(event: str, request_id: int, dispatch_ids: list[int] | None = None) -> dict:
    """Tell the resident and the staff concerned of one stage of one request (see `notifications`)."""
    return notifications.deliver(event, request_id, dispatch_ids or []).as_dict()


@task()
def voices_escalate(now: str | None = None) -> dict:
    """超期上报: escalate open requests past their deadline and remind departments of overdue dispatches.

    Scheduled by a timer (cron / systemd) through `manage.py voices_escalate --enqueue`, or run in
    place by `manage.py voices_escalate`; idempotent. `now` is an ISO datetime (task arguments are JSON).
    """
    moment = datetime.datetime.fromisoformat(now) if now else None
    return notifications.escalate_overdue(now=moment).as_dict()


def notify_on_commit(event: str, request_id: int, dispatch_ids: list[int] | None = None) -> None:
    """Enqueue `voices_notify` after the current transaction commits (at once outside a transaction)."""

    def enqueue() -> None:
        try:
            voices_notify.enqueue(event=event, request_id=request_id, dispatch_ids=list(dispatch_ids or []))
        except Exception:  # the write is committed; a lost notification is logged, not raised at the user
            logger.exception("群众诉求通知未能加入队列：%s %s", event, request_id)

    transaction.on_commit(enqueue)

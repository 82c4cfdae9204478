"""Background work of the ledger, through the one task interface (django-tasks)."""

import datetime

from django_tasks import task

from . import notifications


@task()
def ledger_remind(now: str | None = None, stale_days: int = notifications.STALE_DAYS) -> dict:
    """两周一更新: remind owners of measures not updated for 14 days, escalate overdue ones upward.

    Scheduled by a timer (cron / systemd) through `manage.py ledger_remind --enqueue`, or run in
    place by `manage.py ledger_remind`. Idempotent per measure and fortnight, so the timer may fire
    more often than every two weeks. `now` is an ISO datetime (task arguments must be JSON).
    """
    moment = datetime.datetime.fromisoformat(now) if now else None
    return notifications.send_reminders(now=moment, stale_days=stale_days).as_dict()

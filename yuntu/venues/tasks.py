"""Background work of venues, through the one task interface (django-tasks)."""

import datetime

from django_tasks import task

from . import services


@task()
def venues_mark_no_shows(now: str | None = None) -> int:
    """Confirmed bookings whose time is over without a check-in become no-shows; idempotent.

    Scheduled by a timer through `manage.py venues_no_shows --enqueue`, or run in place.
    """
    moment = datetime.datetime.fromisoformat(now) if now else None
    return services.mark_no_shows(now=moment)

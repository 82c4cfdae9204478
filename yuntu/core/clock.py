"""One place to ask the time, so tests and scans agree on 'now' and 'today' in Asia/Shanghai."""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today(moment: datetime.datetime | None = None) -> datetime.date:
    """The day in Asia/Shanghai, of now or of `moment`: a UTC `.date()` is still yesterday until 08:00."""
    return timezone.localdate(moment)

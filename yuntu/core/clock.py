"""One place to ask the time, so tests and scans agree on 'now' and 'today' in Asia/Shanghai."""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localdate()

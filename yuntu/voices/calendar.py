"""Working days: China's public holidays and make-up workdays, overridable per date in the database."""

import datetime
from functools import lru_cache

from django.utils import timezone


@lru_cache(maxsize=4096)
def _default_is_workday(day: datetime.date) -> bool:
    try:
        import chinese_calendar

        return chinese_calendar.is_workday(day)
    except (ImportError, NotImplementedError):  # years the package does not know: Monday to Friday
        return day.weekday() < 5


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from .models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_workday"))


def is_workday(day: datetime.date) -> bool:
    overrides = _overrides(day, day)
    return overrides.get(day, _default_is_workday(day))


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The moment `days` working days after `start` (same local time of day), holidays skipped."""
    local = timezone.localtime(start)
    overrides = _overrides(local.date(), local.date() + datetime.timedelta(days=days * 3 + 30))
    day, remaining = local.date(), days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if overrides.get(day, _default_is_workday(day)):
            remaining -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)

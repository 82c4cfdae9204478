"""Time cells: how "no two bookings of one room (or lectures of one lecturer) overlap" is kept by the database.

A span of time is cut into fixed cells (e.g. 30 minutes from midnight). Each occupied cell is a row in
a table with a unique constraint on (resource, cell start); an overlapping second span needs at least
one of the same cells, so its insert fails on the constraint, on SQLite and PostgreSQL alike, however
many requests arrive at once. See docs/adr/0037-bookings-refused-by-time-cells.md.
"""

import datetime

from django.utils import timezone


def cell_starts(start: datetime.datetime, end: datetime.datetime, minutes: int) -> list[datetime.datetime]:
    """The cells [start, end) covers, counted from local midnight; partial cells at either end count whole."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    midnight = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    step = datetime.timedelta(minutes=minutes)
    first = midnight + step * ((local_start - midnight) // step)
    cells = []
    cell = first
    while cell < local_end:
        cells.append(cell)
        cell += step
    return cells


def on_grid(moment: datetime.datetime, minutes: int) -> bool:
    local = timezone.localtime(moment)
    return local.second == 0 and local.microsecond == 0 and (local.hour * 60 + local.minute) % minutes == 0

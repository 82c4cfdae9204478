"""Helpers that build organisational-life records through the services, as a branch secretary would."""

import datetime
import io

from django.utils import timezone

from yuntu.core import clock
from yuntu.orglife import services


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (192, 22, 29)).save(buffer, format="PNG")
    return buffer.getvalue()


def earlier_today(minutes: int = 60) -> datetime.datetime:
    """A moment `minutes` ago (at most six hours), kept within today's local day, month and year.

    Before 06:00 every offset is shrunk by the same factor, so meetings "earlier today" keep their
    order and still fall in the current theme-day month or lecture quarter just after midnight.
    """
    if not 0 < minutes <= 360:
        raise ValueError("earlier_today looks back between one minute and six hours")
    now = clock.now()
    midnight = timezone.make_aware(datetime.datetime.combine(clock.today(now), datetime.time.min))
    scale = min(1.0, (now - midnight) / datetime.timedelta(minutes=361))
    return now - datetime.timedelta(minutes=minutes) * scale


def held_meeting(actor, org, *, kind="theme_day", when: datetime.datetime | None = None, present=(), leave=None,
                 title=None):
    """Plan a meeting in the past and record it held (roll call: `present` ids, the rest absent)."""
    when = when or earlier_today(60)
    meeting = services.meeting_plan(actor=actor, org=org, kind=kind, title=title or f"{timezone.localtime(when):%m月}{kind}",
                                    starts_at=when, notify=False)
    return services.meeting_hold(actor=actor, meeting=meeting, present=list(present), leave=leave or {})

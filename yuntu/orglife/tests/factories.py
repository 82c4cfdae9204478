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


def held_meeting(actor, org, *, kind="theme_day", when: datetime.datetime | None = None, present=(), leave=None,
                 title=None):
    """Plan a meeting in the past and record it held (roll call: `present` ids, the rest absent)."""
    when = when or clock.now() - datetime.timedelta(hours=1)
    meeting = services.meeting_plan(actor=actor, org=org, kind=kind, title=title or f"{timezone.localtime(when):%m月}{kind}",
                                    starts_at=when, notify=False)
    return services.meeting_hold(actor=actor, meeting=meeting, present=list(present), leave=leave or {})

"""Venues for tests: one under the cast's 兴旺社区 and one under 山边社区 (the outsider's side)."""

import datetime

from django.utils import timezone

from yuntu.venues.hours import closed_reason
from yuntu.venues.models import Room, Venue, VenueLevel

XINGWANG = (24.4801, 118.0302)


def venue_for(org, *, name="兴旺社区党群服务中心", latitude=XINGWANG[0], longitude=XINGWANG[1], needs_approval=False,
              level=VenueLevel.COMMUNITY, **extra) -> Venue:
    return Venue.objects.create(org=org, org_path=org.path, name=name, level=level, address=f"{name}所在路1号",
                                latitude=latitude, longitude=longitude, opens_at=datetime.time(8, 30),
                                closes_at=datetime.time(21, 0), needs_approval=needs_approval, **extra)


def room_for(venue, *, name="多功能活动室", capacity=40) -> Room:
    return Room.objects.create(venue=venue, name=name, capacity=capacity, equipment="投影仪、音响、白板")


def next_open_day(venue, *, after_days: int = 2) -> datetime.date:
    """A day the venue is open (no weekly closed day, no public holiday), a little ahead of today."""
    day = timezone.localdate() + datetime.timedelta(days=after_days)
    while closed_reason(venue, day):
        day += datetime.timedelta(days=1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

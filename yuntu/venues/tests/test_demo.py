"""The demo builds venues at every level with rooms, outlines and bookings that never overlap, once."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from yuntu.lectures.demo import generate_lectures
from yuntu.lectures.models import LectureOrder, LecturerSlot
from yuntu.venues.demo import generate_venues
from yuntu.venues.models import Booking, BookingSlot, OrgOutline, Venue, VenueLevel
from yuntu.venues.workflow import BookingStatus

pytestmark = pytest.mark.django_db


def test_the_demo_builds_venues_bookings_and_lectures_once(cast):
    result = generate_venues()
    assert result.created and result.venues >= 5
    levels = set(Venue.objects.values_list("level", flat=True))
    assert {VenueLevel.DISTRICT, VenueLevel.STREET, VenueLevel.COMMUNITY, VenueLevel.AGENCY} <= levels
    assert OrgOutline.objects.count() == 2  # the cast's two streets
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert {BookingStatus.CHECKED_IN, BookingStatus.CONFIRMED, BookingStatus.NO_SHOW} <= statuses
    # every holding booking holds its cells, and no cell is held twice (the constraint would have refused it)
    holding = Booking.objects.exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.REJECTED])
    assert not holding.annotate(cells=Count("slots")).filter(cells=0).exists()
    assert BookingSlot.objects.count() == sum(minutes // 30 for minutes in holding.values_list("minutes", flat=True))
    again = generate_venues()
    assert not again.created and again.bookings == result.bookings
    lectures = generate_lectures()
    assert lectures.created and lectures.orders == 180
    assert LectureOrder.objects.filter(status="rated").exists()
    assert LecturerSlot.objects.exists()
    assert not generate_lectures().created
    call_command("demo_venues")  # the commands say so and change nothing
    assert Booking.objects.count() == result.bookings

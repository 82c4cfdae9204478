"""Bookings: the rules a booking must pass, the workflow, and the database refusing overlaps."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from yuntu.accounts.models import AuditEntry
from yuntu.venues import selectors, services
from yuntu.venues.models import BookerKind, Booking, BookingSlot, ClosedDay
from yuntu.venues.workflow import BookingStatus

from .factories import at, next_open_day, room_for, venue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(cast):
    return room_for(venue_for(cast.orgs["community"]))


def book(user, room, start, end, **extra):
    return services.booking_create(actor=user, room=room, starts_at=start, ends_at=end, purpose="楼栋议事会",
                                   attendees=12, **extra)


def test_a_resident_books_a_room_and_the_half_hours_are_held(cast, room):
    day = next_open_day(room.venue)
    booking = book(cast.user("resident"), room, at(day, 14), at(day, 16))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.number.startswith(f"YY{day:%Y%m%d}")
    assert booking.minutes == 120 and booking.booked_on == day
    assert BookingSlot.objects.filter(booking=booking).count() == 4
    assert booking.org_path == cast.orgs["community"].path
    assert AuditEntry.objects.filter(action="venues.booking_create", object_id=str(booking.pk)).exists()
    assert selectors.busy_cells(room, day) == ["14:00", "14:30", "15:00", "15:30"]


def test_an_overlapping_booking_is_refused_and_nothing_is_written(cast, room):
    day = next_open_day(room.venue)
    book(cast.user("resident"), room, at(day, 14), at(day, 16))
    before = (Booking.objects.count(), BookingSlot.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="该时段已被预约"):
        book(cast.user("member"), room, at(day, 15, 30), at(day, 17))
    assert (Booking.objects.count(), BookingSlot.objects.count(), AuditEntry.objects.count()) == before
    # touching ends are fine
    assert book(cast.user("member"), room, at(day, 16), at(day, 17)).status == BookingStatus.CONFIRMED


def test_the_database_itself_refuses_a_second_holder_of_a_half_hour(cast, room):
    day = next_open_day(room.venue)
    booking = book(cast.user("resident"), room, at(day, 9), at(day, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingSlot.objects.create(room=room, starts_at=at(day, 9, 30), booking=booking)


@pytest.mark.parametrize(("start", "end", "message"), [
    ((-1, 9), (-1, 10), "已经过去"),
    ((0, 7), (0, 9), "超出开放时间"),
    ((0, 20), (0, 22), "超出开放时间"),
    ((0, 9, 15), (0, 10), "整点或半点"),
    ((0, 10), (0, 9), "结束时间须晚于开始时间"),
    ((90, 9), (90, 10), "60天内"),
])
def test_bad_times_get_a_clear_message_and_change_nothing(cast, room, start, end, message):
    day = next_open_day(room.venue)
    begin = at(day + datetime.timedelta(days=start[0]), *start[1:]) if start[0] >= 0 else at(day, 9) - datetime.timedelta(days=10)
    finish = at(day + datetime.timedelta(days=end[0]), *end[1:]) if end[0] >= 0 else at(day, 10) - datetime.timedelta(days=10)
    before = Booking.objects.count()
    with pytest.raises(ValidationError, match=message):
        book(cast.user("resident"), room, begin, finish)
    assert Booking.objects.count() == before


def test_closed_days_holidays_and_weekly_closing(cast, room):
    venue = room.venue
    day = next_open_day(venue)
    ClosedDay.objects.create(venue=venue, date=day, reason="设备检修")
    with pytest.raises(ValidationError, match="设备检修"):
        book(cast.user("resident"), room, at(day, 9), at(day, 10))
    national_day = datetime.date(2026, 10, 2)  # a year the calendar package knows
    with pytest.raises(ValidationError, match="法定节假日（国庆节）"):
        services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(national_day, 9),
                                ends_at=at(national_day, 10), purpose="活动", attendees=3,
                                now=at(national_day, 8) - datetime.timedelta(days=5))
    venue.open_weekdays = "12345"
    venue.save()
    saturday = day + datetime.timedelta(days=(5 - day.weekday()) % 7 or 7)  # after the closed day
    with pytest.raises(ValidationError, match="周六不开放"):
        services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(saturday, 9),
                                ends_at=at(saturday, 10), purpose="活动", attendees=3, now=at(saturday, 8) - datetime.timedelta(days=3))


def test_capacity_and_purpose_are_checked(cast, room):
    day = next_open_day(room.venue)
    with pytest.raises(ValidationError, match="容纳人数（40人）"):
        services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(day, 9), ends_at=at(day, 10),
                                purpose="大会", attendees=41)
    with pytest.raises(ValidationError, match="活动内容"):
        services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(day, 9), ends_at=at(day, 10),
                                purpose="  ", attendees=4)


def test_booking_for_an_org_needs_a_grant_there(cast, room):
    day = next_open_day(room.venue)
    booking = book(cast.user("branch_secretary"), room, at(day, 9), at(day, 10), booker_kind=BookerKind.ORG,
                   booker_org=cast.orgs["branch"])
    assert booking.booker_label == "兴旺社区第一党支部"
    with pytest.raises(PermissionDenied):
        book(cast.user("outsider"), room, at(day, 11), at(day, 12), booker_kind=BookerKind.ORG,
             booker_org=cast.orgs["branch"])


def test_approval_cancellation_frees_the_slot(cast):
    room = room_for(venue_for(cast.orgs["community"], needs_approval=True))
    day = next_open_day(room.venue)
    booking = book(cast.user("resident"), room, at(day, 9), at(day, 10))
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.booking_transition(actor=cast.user("outsider"), booking=booking, action="approve")
    with pytest.raises(ValidationError, match="须说明原因"):
        services.booking_transition(actor=cast.user("community_secretary"), booking=booking, action="reject")
    booking = services.booking_transition(actor=cast.user("community_secretary"), booking=booking, action="approve")
    assert booking.status == BookingStatus.CONFIRMED
    with pytest.raises(PermissionDenied):
        services.booking_transition(actor=cast.user("member"), booking=booking, action="cancel")
    booking = services.booking_transition(actor=cast.user("resident"), booking=booking, action="cancel")
    assert booking.status == BookingStatus.CANCELLED
    assert not BookingSlot.objects.filter(booking=booking).exists()
    assert book(cast.user("member"), room, at(day, 9), at(day, 10)).status == BookingStatus.PENDING


def test_check_in_by_the_rooms_code_and_no_shows(cast, room):
    day = next_open_day(room.venue)
    booking = book(cast.user("resident"), room, at(day, 9), at(day, 10))
    with pytest.raises(ValidationError, match="未到签到时间"):
        services.booking_check_in(actor=cast.user("resident"), token=room.checkin_token, now=at(day, 8))
    with pytest.raises(ValidationError, match="没有待签到的预约"):
        services.booking_check_in(actor=cast.user("member"), token=room.checkin_token, now=at(day, 9, 5))
    with pytest.raises(ValidationError, match="签到码无效"):
        services.booking_check_in(actor=cast.user("resident"), token="nope", now=at(day, 9, 5))
    checked = services.booking_check_in(actor=cast.user("resident"), token=room.checkin_token, now=at(day, 8, 50))
    assert checked.pk == booking.pk and checked.status == BookingStatus.CHECKED_IN
    missed = book(cast.user("member"), room, at(day, 11), at(day, 12))
    assert services.mark_no_shows(now=at(day, 12, 1)) == 1
    missed.refresh_from_db()
    assert missed.status == BookingStatus.NO_SHOW
    assert selectors.no_shows_of(cast.user("member"), since_days=400) == 1
    usage = selectors.usage_by_venue(selectors.venues_visible_to(cast.user("street_secretary")))
    assert usage[room.venue.pk]["bookings"] == 2
    assert usage[room.venue.pk]["checked_in"] == 1 and usage[room.venue.pk]["no_shows"] == 1
    assert usage[room.venue.pk]["hours_used"] == 1.0


def test_a_venue_outside_the_deployment_is_refused(cast):
    with pytest.raises(ValidationError, match="不在本辖区范围内"):
        services.venue_create(actor=cast.user("community_secretary"), org=cast.orgs["community"], name="外地中心",
                              level="community", address="上海", latitude=31.23, longitude=121.47,
                              opens_at=datetime.time(9), closes_at=datetime.time(18))
    with pytest.raises(PermissionDenied):
        services.venue_create(actor=cast.user("outsider"), org=cast.orgs["community"], name="越权中心",
                              level="community", address="兴旺", latitude=24.48, longitude=118.03,
                              opens_at=datetime.time(9), closes_at=datetime.time(18))

"""Reads for venues and bookings, limited to what the acting user may see; figures are grouped SQL.

The 15-minute circle asks the database for the venues inside a bounding box on the indexed
(latitude, longitude) pair, computes the exact distance of those candidates in the same query and
keeps those within reach, nearest first: its cost follows the venues nearby, not all venues.
"""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone

from yuntu.accounts.policy import scope_q
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Org

from . import conf, geo
from .models import SLOT_MINUTES, Booking, BookingSlot, OrgOutline, Room, Venue
from .workflow import BookingStatus


def venues_visible_to(user) -> QuerySet[Venue]:
    return Venue.objects.filter(scope_q(user, Permission.VENUES_VIEW, "org_path")).select_related("org")


def venues_managed_by(user) -> QuerySet[Venue]:
    return Venue.objects.filter(scope_q(user, Permission.VENUES_MANAGE, "org_path")).select_related("org")


def public_venues() -> QuerySet[Venue]:
    """Venues as residents see them: the active ones, with no booker or booking details."""
    return Venue.objects.filter(is_active=True).order_by("name", "id")


def bookings_visible_to(user) -> QuerySet[Booking]:
    return (Booking.objects.filter(scope_q(user, Permission.VENUES_VIEW, "org_path"))
            .select_related("room", "room__venue", "booker"))


def bookings_of_booker(user) -> QuerySet[Booking]:
    if not getattr(user, "is_authenticated", False):
        return Booking.objects.none()
    return Booking.objects.filter(booker=user).select_related("room", "room__venue").order_by("-starts_at", "-id")


@dataclass(frozen=True)
class CircleVenue:
    venue: Venue
    distance_m: float
    walking_minutes: int


def circle(*, latitude: float, longitude: float, minutes: int | None = None, limit: int = 100) -> list[CircleVenue]:
    """The venues within `minutes` on foot of a WGS-84 point, nearest first (one bounded query)."""
    settings = conf.circle()
    if minutes is not None:
        settings = conf.CircleSettings(minutes=minutes, walking_m_per_minute=settings.walking_m_per_minute,
                                       detour_factor=settings.detour_factor)
    radius = settings.straight_line_radius_m
    per_degree_lat = geo.metres_per_degree_latitude()
    per_degree_lng = per_degree_lat * math.cos(math.radians(latitude))
    d_lat, d_lng = radius / per_degree_lat, radius / per_degree_lng
    dy = ExpressionWrapper((Cast("latitude", FloatField()) - Value(latitude)) * Value(per_degree_lat),
                           output_field=FloatField())
    dx = ExpressionWrapper((Cast("longitude", FloatField()) - Value(longitude)) * Value(per_degree_lng),
                           output_field=FloatField())
    rows = (public_venues()
            .filter(latitude__range=(round(latitude - d_lat, 6), round(latitude + d_lat, 6)),
                    longitude__range=(round(longitude - d_lng, 6), round(longitude + d_lng, 6)))
            .annotate(distance_sq=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
            .filter(distance_sq__lte=radius * radius)
            .order_by("distance_sq", "id")[:limit])
    result = []
    for venue in rows:
        straight = math.sqrt(venue.distance_sq)
        walked = straight * settings.detour_factor
        result.append(CircleVenue(venue=venue, distance_m=walked,
                                  walking_minutes=max(1, math.ceil(walked / settings.walking_m_per_minute))))
    return result


def locate_address(text: str) -> tuple[float, float, str] | None:
    """A typed address or place name → a known point: a venue, then an org, whose name or address holds it."""
    text = (text or "").strip()
    if len(text) < 2:
        return None
    venue = (public_venues().filter(Q(name__contains=text) | Q(address__contains=text))
             .order_by("id").values_list("latitude", "longitude", "name").first())
    if venue:
        return float(venue[0]), float(venue[1]), venue[2]
    org = (Org.objects.filter(Q(name__contains=text) | Q(short_name__contains=text) | Q(address__contains=text),
                              latitude__isnull=False, longitude__isnull=False, is_active=True)
           .order_by("depth", "id").values_list("latitude", "longitude", "short_name", "name").first())
    if org:
        return float(org[0]), float(org[1]), org[2] or org[3]
    return None


def outlines() -> list[dict]:
    """The org outlines the deployment defines, for the circle's map (public: names and shapes only)."""
    return [{"name": name, "points": points} for name, points in
            OrgOutline.objects.order_by("org_path").values_list("name", "points")]


def busy_cells(room: Room, day: datetime.date) -> list[str]:
    """The taken half hours of a room on a day, as "HH:MM" (no booker, no purpose: public)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
    end = start + datetime.timedelta(days=1)
    return [timezone.localtime(moment).strftime("%H:%M") for moment in
            BookingSlot.objects.filter(room=room, starts_at__gte=start, starts_at__lt=end)
            .order_by("starts_at").values_list("starts_at", flat=True)]


def day_choices(venue: Venue, *, days: int = 14) -> list[datetime.date]:
    today = clock.today()
    return [today + datetime.timedelta(days=offset) for offset in range(days)]


def time_choices(venue: Venue) -> list[str]:
    """Half hours from opening to closing ("08:30", "09:00", …, closing time included)."""
    step = datetime.timedelta(minutes=SLOT_MINUTES)
    moment = datetime.datetime.combine(datetime.date(2000, 1, 1), venue.opens_at)
    end = datetime.datetime.combine(datetime.date(2000, 1, 1), venue.closes_at)
    choices = []
    while moment <= end:
        if moment.minute % SLOT_MINUTES == 0:
            choices.append(moment.strftime("%H:%M"))
        moment += datetime.timedelta(minutes=1) if moment.minute % SLOT_MINUTES else step
    return choices


def usage_by_venue(venues: QuerySet[Venue], *, start: datetime.date | None = None,
                   end: datetime.date | None = None) -> dict[int, dict]:
    """Bookings, check-ins, no-shows, cancellations and hours used per venue, in one grouped query."""
    bookings = Booking.objects.filter(room__venue__in=venues.values("pk"))
    if start:
        bookings = bookings.filter(booked_on__gte=start)
    if end:
        bookings = bookings.filter(booked_on__lt=end)
    used = Q(status=BookingStatus.CHECKED_IN)
    rows = (bookings.values("room__venue").order_by()
            .annotate(bookings=Count("pk"), checked_in=Count("pk", filter=used),
                      no_shows=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
                      cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
                      pending=Count("pk", filter=Q(status=BookingStatus.PENDING)),
                      minutes_used=Sum("minutes", filter=used), attendees=Sum("attendees", filter=used)))
    return {row.pop("room__venue"): {**row, "hours_used": round((row["minutes_used"] or 0) / 60, 1)} for row in rows}


def usage_totals(bookings: QuerySet[Booking]) -> dict:
    used = Q(status=BookingStatus.CHECKED_IN)
    totals = bookings.aggregate(bookings=Count("pk"), checked_in=Count("pk", filter=used),
                                no_shows=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
                                pending=Count("pk", filter=Q(status=BookingStatus.PENDING)),
                                minutes_used=Sum("minutes", filter=used))
    totals["hours_used"] = round((totals["minutes_used"] or 0) / 60, 1)
    return totals


def no_shows_of(user, *, since_days: int = 90) -> int:
    """How often this booker did not turn up lately (shown to them and to the venue)."""
    since = clock.now() - datetime.timedelta(days=since_days)
    return Booking.objects.filter(booker=user, status=BookingStatus.NO_SHOW, starts_at__gte=since).count()


def pending_for(user) -> QuerySet[Booking]:
    return (Booking.objects.filter(scope_q(user, Permission.VENUES_MANAGE, "org_path"), status=BookingStatus.PENDING)
            .select_related("room", "room__venue", "booker").order_by("starts_at"))



"""The resident's phone pages: the 15-minute circle (map and list), a venue and its rooms, booking,
one's own bookings, and check-in by the QR code in the room.

The circle and the venues are a public directory; bookings are seen only by their booker here.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuntu.core import clock

from .. import conf, geo, selectors, services
from ..access import get_own_booking, get_public_venue
from ..forms import BookingForm, LocateForm, ReasonForm
from ..hours import closed_reason, weekdays_label
from ..models import Room
from ..workflow import BookingStatus
from .common import error_text, map_data, refusal_status

MAP_VENUES_LIMIT = 300


def _venue_url(venue) -> str:
    return reverse("venues_portal:venue", args=[venue.pk])


@require_GET
def circle(request):
    """十五分钟党群活动圈: from a typed address or the phone's location, venues within a walk."""
    settings = conf.circle()
    form = LocateForm(request.GET or None)
    rows, centre, place, status = [], None, "", 200
    if request.GET:
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data.get("latitude") is not None and data.get("longitude") is not None:
                    latitude, longitude = geo.to_wgs84(data["latitude"], data["longitude"], data["crs"])
                    place = _("当前位置")
                else:
                    found = selectors.locate_address(data["address"])
                    if found is None:
                        raise ValidationError(_("未找到“%(address)s”，请输入小区、社区或阵地名称，或使用当前位置。")
                                              % {"address": data["address"]})
                    latitude, longitude, place = found
                services.check_point(latitude, longitude)
            except ValidationError as error:
                form.add_error(None, error_text(error))
                status = 400
            else:
                centre = (latitude, longitude)
                rows = selectors.circle(latitude=latitude, longitude=longitude)
        else:
            status = 400
    if centre is not None:
        shown = [(row.venue, row.walking_minutes) for row in rows]
    else:
        shown = [(venue, None) for venue in selectors.public_venues()[:MAP_VENUES_LIMIT]]
    return render(request, "venues/portal/circle.html", {
        "form": form, "rows": rows, "centre": centre, "place": place, "settings": settings,
        "map": map_data(venues=shown, centre=centre, radius_m=settings.straight_line_radius_m, link=_venue_url),
    }, status=status)


def _booking_context(request, venue, form):
    today = clock.today()
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else None
    except ValueError:
        day = None
    if form.is_bound and getattr(form, "cleaned_data", {}).get("day"):
        day = form.cleaned_data["day"]
    day = day if day and today <= day <= today + datetime.timedelta(days=services.MAX_DAYS_AHEAD) else today
    rooms = list(venue.rooms.filter(is_active=True))
    return {
        "venue": venue, "form": form, "day": day, "days": selectors.day_choices(venue),
        "closed": closed_reason(venue, day), "weekdays": weekdays_label(venue.open_weekdays),
        "rooms": [{"room": room, "busy": selectors.busy_cells(room, day)} for room in rooms],
        "photos": venue.photos.all()[:6],
        "no_shows": selectors.no_shows_of(request.user) if request.user.is_authenticated else 0,
    }


@require_GET
def venue(request, pk):
    item = get_public_venue(pk)
    times = selectors.time_choices(item)
    form = BookingForm(venue=item, user=request.user, times=times,
                       initial={"day": request.GET.get("day") or clock.today()})
    return render(request, "venues/portal/venue.html", _booking_context(request, item, form))


@login_required
@require_POST
def book(request, pk):
    item = get_public_venue(pk)
    form = BookingForm(request.POST, venue=item, user=request.user, times=selectors.time_choices(item))
    if form.is_valid():
        data = form.cleaned_data
        starts_at, ends_at = form.moments()
        try:
            booking = services.booking_create(
                actor=request.user, room=data["room"], starts_at=starts_at, ends_at=ends_at, purpose=data["purpose"],
                attendees=data["attendees"], booker_kind=data["booker_kind"], booker_org=data.get("booker_org"),
                partner_unit=data.get("partner_unit"))
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            if booking.status == BookingStatus.PENDING:
                messages.success(request, _("已提交预约，预约号 %(number)s，等待阵地审核。") % {"number": booking.number})
            else:
                messages.success(request, _("预约成功，预约号 %(number)s。到场后请扫描活动室的签到二维码。")
                                 % {"number": booking.number})
            return redirect("venues_portal:booking", pk=booking.pk)
    return render(request, "venues/portal/venue.html", _booking_context(request, item, form), status=400)


@login_required
@require_GET
def mine(request):
    bookings = selectors.bookings_of_booker(request.user)[:100]
    now = clock.now()
    return render(request, "venues/portal/mine.html", {
        "upcoming": [b for b in bookings if b.ends_at > now and b.status not in (BookingStatus.CANCELLED, BookingStatus.REJECTED)],
        "past": [b for b in bookings if b.ends_at <= now or b.status in (BookingStatus.CANCELLED, BookingStatus.REJECTED)],
        "no_shows": selectors.no_shows_of(request.user),
    })


@login_required
@require_GET
def booking(request, pk):
    item = get_own_booking(request.user, pk)
    return render(request, "venues/portal/booking.html", {
        "booking": item, "events": item.events.all(), "form": ReasonForm(),
        "can_cancel": item.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED) and item.starts_at > clock.now(),
    })


@login_required
@require_POST
def cancel(request, pk):
    item = get_own_booking(request.user, pk)
    form = ReasonForm(request.POST)
    try:
        services.booking_transition(actor=request.user, booking=item, action="cancel",
                                    reason=form.data.get("reason", "")[:255])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return render(request, "venues/portal/booking.html", {"booking": item, "events": item.events.all(),
                                                               "form": form, "can_cancel": False},
                      status=refusal_status(error))
    messages.success(request, _("预约已取消，该时段已释放。"))
    return redirect("venues_portal:booking", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, checkin_token):
    """The page the room's QR code opens: the booker confirms they are here."""
    room = Room.objects.filter(checkin_token=checkin_token).select_related("venue").first()
    error, status = "", 200
    if request.method == "POST":
        try:
            booking = services.booking_check_in(actor=request.user, token=checkin_token)
        except (ValidationError, PermissionDenied) as refusal:
            error, status = error_text(refusal), refusal_status(refusal)
        else:
            messages.success(request, _("签到成功：%(room)s，%(time)s。") % {
                "room": booking.room, "time": timezone.localtime(booking.starts_at).strftime("%H:%M")})
            return redirect("venues_portal:booking", pk=booking.pk)
    elif room is None:
        error, status = _("签到码无效，请扫描活动室张贴的签到二维码。"), 404
    return render(request, "venues/portal/check_in.html", {"room": room, "error": error}, status=status)

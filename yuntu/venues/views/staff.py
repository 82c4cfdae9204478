"""Staff pages of venues: the venues of one's subtree with their usage, a venue's rooms, hours and
closed days, the bookings (approve, reject, cancel, no-show), and the QR poster of each room."""

import datetime
import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuntu.accounts.policy import can, scope_q
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.core.pages import date_param, module_page
from yuntu.orgs.models import Org

from .. import selectors, services
from ..access import get_booking_for_user, get_room_for_user, get_venue_for_user
from ..forms import ClosedDayForm, PhotosForm, ReasonForm, RoomForm, VenueForm
from ..hours import weekdays_label
from ..workflow import BOOKING_TRANSITIONS, BookingStatus
from .common import error_text, refusal_status

PAGE_SIZE = 30


venues_page = module_page(
    needs=Permission.VENUES_VIEW, refused=gettext_lazy("无权查看阵地。"),
    missing=gettext_lazy("阵地不存在或不在您的查看范围内。"), flags={"venues_can_manage": Permission.VENUES_MANAGE})


def _period(request) -> tuple[datetime.date, datetime.date]:
    start = date_param(request, "start") or clock.today().replace(day=1)
    end = date_param(request, "end") or (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, max(end, start + datetime.timedelta(days=1))


@venues_page
@require_GET
def venue_list(request):
    start, end = _period(request)
    venues = selectors.venues_visible_to(request.user).order_by("org_path", "name")
    page = Paginator(venues, PAGE_SIZE).get_page(request.GET.get("page"))
    usage = selectors.usage_by_venue(venues.filter(pk__in=[venue.pk for venue in page]), start=start, end=end)
    bookings = selectors.bookings_visible_to(request.user).filter(booked_on__gte=start, booked_on__lt=end)
    return render(request, "venues/venue_list.html", {
        "page": page, "rows": [(venue, usage.get(venue.pk, {})) for venue in page], "start": start, "end": end,
        "totals": selectors.usage_totals(bookings), "pending": selectors.pending_for(request.user)[:20],
        "can_manage": request.venues_can_manage,
    })


def _managed_orgs(user):
    return Org.objects.filter(scope_q(user, Permission.VENUES_MANAGE, "path"), is_active=True).order_by("path")


def _venue_data(data: dict) -> dict:
    return {**{key: value for key, value in data.items() if key not in ("org", "open_weekdays")},
            "open_weekdays": "".join(data["open_weekdays"])}


@venues_page
@require_http_methods(["GET", "POST"])
def venue_create(request):
    if not request.venues_can_manage:
        raise PermissionDenied(_("无权建立阵地。"))
    form = VenueForm(request.POST or None, orgs=_managed_orgs(request.user),
                     initial={"opens_at": "08:30", "closes_at": "21:00", "open_weekdays": list("1234567"),
                              "closed_on_public_holidays": True})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                venue = services.venue_create(actor=request.user, org=form.cleaned_data["org"],
                                              **_venue_data(form.cleaned_data))
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("已建立阵地“%(name)s”，请添加活动室。") % {"name": venue.name})
                return redirect("venues:venue", pk=venue.pk)
    return render(request, "venues/venue_form.html", {"form": form, "venue": None}, status=status)


@venues_page
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk):
    venue = get_venue_for_user(request.user, pk)
    if not can(request.user, Permission.VENUES_MANAGE, venue):
        raise PermissionDenied(_("无权修改该阵地。"))
    initial = {name: getattr(venue, name) for name in services.VENUE_FIELDS}
    initial["open_weekdays"] = list(venue.open_weekdays)
    form = VenueForm(request.POST or None, orgs=Org.objects.none(), editing=True, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.venue_update(actor=request.user, venue=venue, **_venue_data(form.cleaned_data))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("已保存。"))
                return redirect("venues:venue", pk=venue.pk)
    return render(request, "venues/venue_form.html", {"form": form, "venue": venue}, status=status)


def _venue_context(request, venue, *, room_form=None, closed_form=None, photos_form=None) -> dict:
    today = clock.today()
    start, end = _period(request)
    bookings = (selectors.bookings_visible_to(request.user).filter(room__venue=venue, booked_on__gte=today)
                .order_by("starts_at")[:50])
    return {
        "venue": venue, "rooms": venue.rooms.all(), "weekdays": weekdays_label(venue.open_weekdays),
        "closed_days": venue.closed_days.filter(date__gte=today), "bookings": bookings,
        "usage": selectors.usage_by_venue(selectors.venues_visible_to(request.user).filter(pk=venue.pk),
                                          start=start, end=end).get(venue.pk, {}),
        "start": start, "end": end, "can_manage": can(request.user, Permission.VENUES_MANAGE, venue),
        "room_form": room_form or RoomForm(), "closed_form": closed_form or ClosedDayForm(),
        "photos_form": photos_form or PhotosForm(), "photos": venue.photos.all(),
    }


@venues_page
@require_GET
def venue_detail(request, pk):
    venue = get_venue_for_user(request.user, pk)
    return render(request, "venues/venue_detail.html", _venue_context(request, venue))


@venues_page
@require_POST
def room_add(request, pk):
    venue = get_venue_for_user(request.user, pk)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room = services.room_create(actor=request.user, venue=venue, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已添加活动室“%(name)s”。") % {"name": room.name})
            return redirect("venues:venue", pk=venue.pk)
    return render(request, "venues/venue_detail.html", _venue_context(request, venue, room_form=form), status=400)


@venues_page
@require_POST
def closed_day_add(request, pk):
    venue = get_venue_for_user(request.user, pk)
    form = ClosedDayForm(request.POST)
    if form.is_valid():
        try:
            services.closed_day_add(actor=request.user, venue=venue, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已设置闭馆日。"))
            return redirect("venues:venue", pk=venue.pk)
    return render(request, "venues/venue_detail.html", _venue_context(request, venue, closed_form=form), status=400)


@venues_page
@require_POST
def photos_add(request, pk):
    venue = get_venue_for_user(request.user, pk)
    form = PhotosForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            count = services.venue_photos_add(actor=request.user, venue=venue, photos=form.cleaned_data["photos"],
                                              caption=form.cleaned_data["caption"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已上传%(count)s张照片。") % {"count": count})
            return redirect("venues:venue", pk=venue.pk)
    return render(request, "venues/venue_detail.html", _venue_context(request, venue, photos_form=form), status=400)


def _qr(room, request) -> segno.QRCode:
    url = request.build_absolute_uri(reverse("venues_portal:check_in", args=[room.checkin_token]))
    return segno.make(url, error="m")


@venues_page
@require_GET
def room_poster(request, pk):
    """The sign to post in the room: its check-in QR code (print it from the browser)."""
    room = get_room_for_user(request.user, pk)
    if not can(request.user, Permission.VENUES_MANAGE, room.venue):
        raise Http404(_("阵地不存在或不在您的查看范围内。"))
    url = request.build_absolute_uri(reverse("venues_portal:check_in", args=[room.checkin_token]))
    return render(request, "venues/room_poster.html", {"room": room, "url": url,
                                                       "svg_url": reverse("venues:room_qr", args=[room.pk])})


@venues_page
@require_GET
def room_qr(request, pk):
    room = get_room_for_user(request.user, pk)
    if not can(request.user, Permission.VENUES_MANAGE, room.venue):
        raise Http404(_("阵地不存在或不在您的查看范围内。"))
    buffer = io.BytesIO()
    _qr(room, request).save(buffer, kind="svg", scale=8, border=2, title=str(room))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@venues_page
@require_GET
def booking_list(request):
    bookings = selectors.bookings_visible_to(request.user).order_by("-starts_at", "-id")
    status = request.GET.get("status", "")
    if status in BookingStatus.values:
        bookings = bookings.filter(status=status)
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "venues/booking_list.html", {"page": page, "status": status,
                                                        "statuses": BookingStatus.choices})


@venues_page
@require_GET
def booking_detail(request, pk):
    booking = get_booking_for_user(request.user, pk)
    return render(request, "venues/booking_detail.html", _booking_context(request, booking))


def _booking_context(request, booking, form=None) -> dict:
    manage = can(request.user, Permission.VENUES_MANAGE, booking)
    actions = [transition for transition in BOOKING_TRANSITIONS.values()
               if booking.status in transition.sources and manage and transition.name != "check_in"]
    return {"booking": booking, "events": booking.events.select_related("actor"), "actions": actions,
            "form": form or ReasonForm(), "no_shows": selectors.no_shows_of(booking.booker)}


@venues_page
@require_POST
def booking_transition(request, pk):
    booking = get_booking_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    action = request.POST.get("action", "")
    try:
        services.booking_transition(actor=request.user, booking=booking, action=action,
                                    reason=form.data.get("reason", "")[:255])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return render(request, "venues/booking_detail.html", _booking_context(request, booking, form),
                      status=refusal_status(error))
    messages.success(request, _("已处理。"))
    return redirect("venues:booking", pk=booking.pk)

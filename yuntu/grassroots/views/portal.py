"""The resident's phone pages of leaders' reception days: the public schedule, booking a slot, one's bookings.

The schedule is public by design (leader, title, place, times); bookings are the resident's own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..access import get_own_booking, get_public_reception_day
from ..forms import BookingForm
from .common import run_service


@require_GET
def schedule(request):
    days = list(selectors.reception_schedule())
    for day in days:
        day.slot_count = len(services.reception_slots(day))
        day.free = max(day.slot_count - day.booked, 0)
    return render(request, "grassroots/portal/schedule.html", {"days": days})


def day_context(request, day, form=None):
    taken = selectors.booked_slots(day)
    slots = [{"time": slot, "value": slot.strftime("%H:%M"), "taken": slot in taken} for slot in services.reception_slots(day)]
    initial = {"name": request.user.display_name} if request.user.is_authenticated else {}
    return {"day": day, "slots": slots, "form": form or BookingForm(initial=initial)}


@require_GET
def day_detail(request, pk):
    day = get_public_reception_day(pk)
    return render(request, "grassroots/portal/day.html", day_context(request, day))


@login_required
@require_POST
def book(request, pk):
    day = get_public_reception_day(pk)
    form = BookingForm(request.POST)

    def action(data):
        return services.reception_book(resident=request.user, day=day, slot=data["slot"], name=data["name"],
                                       matter=data["matter"])

    return run_service(request, form, action, success=_("预约成功，请按时到场。"),
                       done=lambda booking: reverse("receptions:booking", args=[booking.pk]),
                       template="grassroots/portal/day.html", context=day_context(request, day, form))


@login_required
@require_GET
def mine(request):
    return render(request, "grassroots/portal/mine.html",
                  {"bookings": selectors.bookings_of_resident(request.user).order_by("-day__date", "-slot")})


@login_required
@require_GET
def booking_detail(request, pk):
    booking = get_own_booking(request.user, pk)
    contact = getattr(booking, "contact", None)
    return render(request, "grassroots/portal/booking.html", {"booking": booking, "contact": contact})


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = get_own_booking(request.user, pk)
    try:
        services.booking_cancel(resident=request.user, booking=booking)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("receptions:booking", pk=booking.pk)

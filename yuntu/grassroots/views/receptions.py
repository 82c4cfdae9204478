"""接访、下访、约访、走访 for staff: reception days and their bookings, contacts, matters turned into requests, mediation."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import selectors, services
from ..access import (
    get_booking_for_user,
    get_contact_for_user,
    get_mediation_for_user,
    get_reception_day_for_user,
)
from ..forms import (
    BookingReceiveForm,
    ContactForm,
    MediationCloseForm,
    MediationForm,
    MediationSessionForm,
    ReceptionDayForm,
    ToRequestForm,
)
from .common import PAGE_SIZE, form_page, grassroots_page, record_form_view, run_service, staff_only


@grassroots_page
@require_GET
def reception_list(request):
    staff_only(request)
    days = selectors.reception_days_visible_to(request.user).filter(date__gte=clock.today()).order_by("date", "starts_at")
    contacts = selectors.contacts_visible_to(request.user).order_by("-contacted_on", "-id")
    return render(request, "grassroots/reception_list.html", {
        "days": days[:50], "page": Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))})


@grassroots_page
def reception_day_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.reception_day_schedule(
            actor=user, org=data["org"], leader=user, leader_title=data["leader_title"], date=data["date"],
            starts_at=data["starts_at"], ends_at=data["ends_at"], slot_minutes=data["slot_minutes"],
            place=data["place"], theme=data["theme"], for_enterprises=data["for_enterprises"])

    return form_page(request, ReceptionDayForm, _("安排领导接访日"), action, _("接访日已安排，群众可在手机上预约。"),
                      lambda day: reverse("grassroots:reception_day", args=[day.pk]))


@grassroots_page
@require_GET
def reception_day(request, pk):
    staff_only(request)
    day = get_reception_day_for_user(request.user, pk)
    return render(request, "grassroots/reception_day.html", {
        "day": day, "bookings": day.bookings.select_related("contact", "contact__request").order_by("slot"),
        "may_edit": can(request.user, Permission.GRASSROOTS_EDIT, path=day.org_path), "receive_form": BookingReceiveForm()})


@grassroots_page
@require_POST
def booking_receive(request, pk):
    """约访: the leader receives the booked resident; the contact is logged from the booking."""
    staff_only(request, edit=True)
    user = request.user
    booking = get_booking_for_user(user, pk)
    form = BookingReceiveForm(request.POST)

    def action(data):
        return services.contact_log(actor=user, org=booking.day.org, kind="appointment", person_name=booking.name,
                                    contacted_on=booking.day.date, matter=booking.matter, outcome=data["outcome"],
                                    follow_up=data["follow_up"], hours=data["hours"], booking=booking)

    day = booking.day
    return run_service(request, form, action, success=_("已接待并登记。"),
                       done=lambda contact: reverse("grassroots:contact_detail", args=[contact.pk]),
                       template="grassroots/reception_day.html",
                       context={"day": day, "bookings": day.bookings.order_by("slot"), "may_edit": True,
                                "receive_form": form})


@grassroots_page
def contact_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.contact_log(actor=user, org=data["org"], kind=data["kind"], person_name=data["person_name"],
                                    contacted_on=data["contacted_on"], matter=data["matter"], outcome=data["outcome"],
                                    follow_up=data["follow_up"], hours=data["hours"], household=data["household"],
                                    in_difficulty=data["in_difficulty"], enterprise=data["enterprise"])

    return form_page(request, ContactForm, _("登记接访走访"), action, _("接访走访已登记。"),
                      lambda contact: reverse("grassroots:contact_detail", args=[contact.pk]))


def contact_context(request, contact, **extra):
    context = {"contact": contact, "may_triage": (not contact.request_id
                                                  and can(request.user, Permission.VOICES_TRIAGE, path=contact.org_path)),
               "request_visible": bool(contact.request_id) and can(request.user, Permission.VOICES_VIEW,
                                                                   path=contact.request.org_path),
               "request_form": ToRequestForm(), "events": services.timeline(contact)}
    context.update(extra)
    return context


@grassroots_page
@require_GET
def contact_detail(request, pk):
    staff_only(request)
    contact = get_contact_for_user(request.user, pk)
    return render(request, "grassroots/contact_detail.html", contact_context(request, contact))


contact_to_request = record_form_view(
    lookup=get_contact_for_user, form_class=ToRequestForm, form_key="request_form",
    call=lambda user, contact, data, _form: services.contact_to_request(actor=user, contact=contact,
                                                                         category=data["category"]),
    success=gettext_lazy("已转为群众诉求，按诉求办理时限办理。"), detail="grassroots:contact_detail",
    template="grassroots/contact_detail.html", context=contact_context)


@grassroots_page
@require_GET
def mediation_list(request):
    staff_only(request)
    cases = selectors.mediations_visible_to(request.user).order_by("-opened_on", "-id")
    return render(request, "grassroots/mediation_list.html",
                  {"page": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))})


@grassroots_page
def mediation_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.mediation_open(actor=user, org=data["org"], title=data["title"], parties=data["parties"],
                                       opened_on=data["opened_on"])

    return form_page(request, MediationForm, _("受理矛盾调解"), action, _("调解已受理。"),
                      lambda case: reverse("grassroots:mediation_detail", args=[case.pk]))


def mediation_context(request, case, **extra):
    may_edit = can(request.user, Permission.GRASSROOTS_EDIT, path=case.org_path) and case.status == "mediating"
    context = {"case": case, "sessions": case.sessions.all(), "may_edit": may_edit, "events": services.timeline(case),
               "session_form": MediationSessionForm(), "close_form": MediationCloseForm()}
    context.update(extra)
    return context


@grassroots_page
@require_GET
def mediation_detail(request, pk):
    staff_only(request)
    case = get_mediation_for_user(request.user, pk)
    return render(request, "grassroots/mediation_detail.html", mediation_context(request, case))


mediation_session = record_form_view(
    lookup=get_mediation_for_user, form_class=MediationSessionForm, form_key="session_form",
    call=lambda user, case, data, _form: services.mediation_session_add(actor=user, case=case, held_on=data["held_on"],
                                                                         notes=data["notes"], hours=data["hours"]),
    success=gettext_lazy("调解记录已登记。"), detail="grassroots:mediation_detail",
    template="grassroots/mediation_detail.html", context=mediation_context)

mediation_close = record_form_view(
    lookup=get_mediation_for_user, form_class=MediationCloseForm, form_key="close_form",
    call=lambda user, case, data, _form: services.mediation_close(actor=user, case=case, name=data["name"],
                                                                   outcome=data["outcome"]),
    success=gettext_lazy("调解已结案。"), detail="grassroots:mediation_detail",
    template="grassroots/mediation_detail.html", context=mediation_context)

"""挂钩: enterprises, pairings of cadres and departments, visits and the demands they raise."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission

from .. import selectors, services
from ..access import get_demand_for_user, get_pairing_for_user
from ..forms import EnterpriseForm, PairingForm, PairingVisitForm
from .common import PAGE_SIZE, form_page, grassroots_page, run_service, staff_only


@grassroots_page
@require_GET
def enterprise_list(request):
    staff_only(request)
    enterprises = selectors.enterprises_visible_to(request.user).order_by("name", "id")
    return render(request, "grassroots/enterprise_list.html",
                  {"page": Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))})


@grassroots_page
def enterprise_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.enterprise_register(actor=user, org=data["org"], name=data["name"],
                                            credit_code=data["credit_code"], address=data["address"],
                                            industry=data["industry"])

    return form_page(request, EnterpriseForm, _("登记企业"), action, _("企业已登记。"),
                     lambda _e: reverse("grassroots:enterprises"))


@grassroots_page
@require_GET
def pairing_list(request):
    """My pairings first (any cadre), then those of my scope (staff)."""
    user = request.user
    mine = selectors.pairings_visible_to(user).filter(cadre=user).order_by("-starts_on")
    scoped = (selectors.pairings_visible_to(user).exclude(cadre=user).order_by("-starts_on", "-id")
              if request.grassroots_can_view else None)
    return render(request, "grassroots/pairing_list.html", {
        "mine": mine, "page": Paginator(scoped, PAGE_SIZE).get_page(request.GET.get("page")) if scoped is not None else None})


@grassroots_page
def pairing_create(request):
    staff_only(request, edit=True)

    def action(user, data):
        return services.pairing_create(actor=user, org=data["org"], starts_on=data["starts_on"], cadre=data["cadre"],
                                       department=data["department"], enterprise=data["enterprise"],
                                       target_org=data["target_org"])

    return form_page(request, PairingForm, _("安排挂钩联系"), action, _("挂钩联系已安排。"),
                     lambda pairing: reverse("grassroots:pairing_detail", args=[pairing.pk]))


@grassroots_page
@require_GET
def pairing_detail(request, pk):
    pairing = get_pairing_for_user(request.user, pk)
    return render(request, "grassroots/pairing_detail.html", {
        "pairing": pairing, "events": services.timeline(pairing),
        "visits": pairing.visits.select_related("visitor").order_by("-visited_on", "-id"),
        "demands": pairing.demands.select_related("request").order_by("-raised_on", "-id")})


@grassroots_page
def pairing_visit(request):
    """Log a visit to an enterprise; one outside the cadre's own pairing is refused with nothing written."""
    user = request.user
    form = PairingVisitForm(request.POST or None, user=user, initial={"enterprise": request.GET.get("enterprise")})
    context = {"form": form, "title": _("登记挂钩走访")}
    if request.method != "POST":
        return render(request, "grassroots/form.html", context)

    def action(data):
        demands = ([services.RaisedDemand(data["demand"], data["category"])] if data["demand"].strip() else [])
        return services.pairing_visit_log(actor=user, enterprise=data["enterprise"], target_org=data["target_org"],
                                          visited_on=data["visited_on"],
                                          notes=data["notes"], served=data["served"], hours=data["hours"],
                                          demands=demands)

    return run_service(request, form, action, success=_("挂钩走访已登记。"),
                       done=lambda visit: reverse("grassroots:pairing_detail", args=[visit.pairing_id]),
                       template="grassroots/form.html", context=context)


@grassroots_page
@require_GET
def demand_detail(request, pk):
    demand = get_demand_for_user(request.user, pk)
    request_obj = demand.request
    return render(request, "grassroots/demand_detail.html", {
        "demand": demand, "dispatches": request_obj.dispatches.select_related("org").order_by("id"),
        "request_visible": can(request.user, Permission.VOICES_VIEW, path=request_obj.org_path)})

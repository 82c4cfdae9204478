"""一线纪实: the cadres whose record one may open, the record itself, its appraisal export, assignments."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuntu.accounts.audit import audit_record
from yuntu.core import clock

from .. import selectors, services
from ..access import get_cadre_for_user
from ..exports import frontline_workbook
from ..forms import AssignmentForm, PeriodForm
from .common import PAGE_SIZE, grassroots_page, run_service


@grassroots_page
@require_GET
def cadre_list(request):
    cadres = selectors.cadres_visible_to(request.user)
    return render(request, "grassroots/cadre_list.html",
                  {"page": Paginator(cadres, PAGE_SIZE).get_page(request.GET.get("page"))})


def _period(request):
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data.get("start"), data.get("end")


@grassroots_page
@require_GET
def cadre_record(request, pk):
    cadre = get_cadre_for_user(request.user, pk)
    form, start, end = _period(request)
    record = selectors.frontline_record(request.user, cadre, start=start, end=end)
    return render(request, "grassroots/cadre_record.html", {
        "record": record, "form": form, "query": request.GET.urlencode(),
        "assignment_form": AssignmentForm(user=request.user) if request.grassroots_can_appraise else None})


@grassroots_page
@require_GET
def cadre_record_export(request, pk):
    """The record as an Excel workbook for an appraisal; the export itself is audited."""
    cadre = get_cadre_for_user(request.user, pk)
    _form, start, end = _period(request)
    record = selectors.frontline_record(request.user, cadre, start=start, end=end)
    content = frontline_workbook(record)
    audit_record(actor=request.user, action="frontline.export", obj=cadre, after={"start": start, "end": end})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"frontline-{cadre.pk}-{clock.today():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@grassroots_page
def assignment_create(request, pk):
    cadre = get_cadre_for_user(request.user, pk)
    user = request.user
    form = AssignmentForm(request.POST or None, user=user)
    context = {"form": form, "title": _("下派基层：%(name)s") % {"name": cadre}}
    if request.method != "POST":
        return render(request, "grassroots/form.html", context)

    def action(data):
        return services.assignment_create(actor=user, cadre=cadre, org=data["org"], kind=data["kind"],
                                          starts_on=data["starts_on"], ends_on=data["ends_on"], duties=data["duties"])

    return run_service(request, form, action, success=_("下派安排已登记。"),
                       done=lambda _a: reverse("grassroots:cadre_record", args=[cadre.pk]),
                       template="grassroots/form.html", context=context)

"""Staff pages of the lecture menu: orders of one's teams (配菜, 送菜, decline), the menu (teams,
lecturers, topics) and the figures per team and period."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuntu.accounts.policy import can, scope_q
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.core.pages import date_param, error_text, module_page, refusal_status
from yuntu.orgs.models import Org

from .. import selectors, services
from ..access import get_order_for_user
from ..forms import AssignForm, DeclineForm, DeliverForm, LecturerForm, TeamForm, TopicForm
from ..workflow import OrderStatus
from .portal import stage_steps

PAGE_SIZE = 30


lectures_page = module_page(
    needs=Permission.LECTURES_VIEW, refused=gettext_lazy("无权查看菜单式宣讲。"),
    missing=gettext_lazy("点单不存在或不在您的查看范围内。"), flags={"lectures_can_manage": Permission.LECTURES_MANAGE})


@lectures_page
@require_GET
def order_list(request):
    orders = selectors.orders_visible_to(request.user).order_by("-starts_at", "-id")
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "lectures/order_list.html", {
        "page": page, "status": status, "statuses": OrderStatus.choices,
        "figures": selectors.order_figures(selectors.orders_visible_to(request.user))})


def _order_context(request, order, *, assign_form=None, deliver_form=None, decline_form=None) -> dict:
    manage = can(request.user, Permission.LECTURES_MANAGE, order)
    return {"order": order, "steps": stage_steps(order.status), "events": order.events.select_related("actor"),
            "manage": manage, "rating": selectors.rating_of(order), "photos": order.photos.all(),
            "ratings": order.ratings.order_by("-created_at")[:20],
            "assign_form": assign_form or AssignForm(order=order), "deliver_form": deliver_form or DeliverForm(),
            "decline_form": decline_form or DeclineForm()}


@lectures_page
@require_GET
def order_detail(request, pk):
    order = get_order_for_user(request.user, pk)
    return render(request, "lectures/order_detail.html", _order_context(request, order))


@lectures_page
@require_POST
def order_transition(request, pk):
    order = get_order_for_user(request.user, pk)
    action = request.POST.get("action", "")
    forms = {}
    try:
        if action == "assign":
            form = forms["assign_form"] = AssignForm(request.POST, order=order)
            if not form.is_valid():
                raise ValidationError("；".join(message for errors in form.errors.values() for message in errors))
            services.order_assign(actor=request.user, order=order, **form.cleaned_data)
        elif action == "deliver":
            form = forms["deliver_form"] = DeliverForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError("；".join(message for errors in form.errors.values() for message in errors))
            services.order_deliver(actor=request.user, order=order, **form.cleaned_data)
        elif action == "decline":
            form = forms["decline_form"] = DeclineForm(request.POST)
            services.order_decline(actor=request.user, order=order, reason=form.data.get("reason", ""))
        else:
            raise ValidationError(_("未知的操作：%(action)s") % {"action": action})
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return render(request, "lectures/order_detail.html", _order_context(request, order, **forms),
                      status=refusal_status(error))
    messages.success(request, _("已处理。"))
    return redirect("lectures:order", pk=order.pk)


def _teams_managed(user):
    return selectors.teams_visible_to(user).filter(scope_q(user, Permission.LECTURES_MANAGE, "org_path"))


@lectures_page
@require_http_methods(["GET", "POST"])
def menu(request):
    """The menu: teams, lecturers and topics of one's subtree, with forms to add to it."""
    teams = _teams_managed(request.user)
    orgs = Org.objects.filter(scope_q(request.user, Permission.LECTURES_MANAGE, "path"), is_active=True,
                              level__in=["district", "street", "community"]).order_by("path")
    kind = request.POST.get("kind", "") if request.method == "POST" else ""
    forms = {"topic_form": TopicForm(request.POST if kind == "topic" else None, teams=teams, prefix="topic"),
             "lecturer_form": LecturerForm(request.POST if kind == "lecturer" else None, teams=teams, prefix="lecturer"),
             "team_form": TeamForm(request.POST if kind == "team" else None, orgs=orgs, prefix="team")}
    status = 200
    if request.method == "POST":
        status = 400
        form = forms.get(f"{kind}_form")
        if form is not None and form.is_valid():
            try:
                if kind == "topic":
                    services.topic_create(actor=request.user, **form.cleaned_data)
                elif kind == "lecturer":
                    services.lecturer_create(actor=request.user, **form.cleaned_data)
                else:
                    services.team_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("已保存。"))
                return redirect("lectures:menu")
    return render(request, "lectures/menu.html", {
        "teams": selectors.teams_visible_to(request.user).prefetch_related("lecturers", "topics").order_by("name"),
        "can_manage": request.lectures_can_manage and teams.exists(), "can_add_team": orgs.exists(), **forms,
    }, status=status)


@lectures_page
@require_GET
def figures(request):
    today = clock.today()
    start = date_param(request, "start") or today.replace(month=1, day=1)
    end = date_param(request, "end") or today + datetime.timedelta(days=1)
    rows = selectors.figures_by_team(request.user, start=start, end=max(end, start + datetime.timedelta(days=1)))
    totals = {"sessions": sum(row["sessions"] for row in rows), "audience": sum(row["audience"] for row in rows),
              "teams": len(rows), "lecturers": sum(row["lecturers"] for row in rows)}
    return render(request, "lectures/figures.html", {"rows": rows, "start": start, "end": end, "totals": totals})

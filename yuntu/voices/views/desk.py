"""报到: the department's desk (dispatches routed to it: accept, reply, hand back) and the overdue lists."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can
from yuntu.core import clock

from .. import selectors, services
from ..access import get_dispatch_for_user
from ..forms import DeskFilterForm, DispatchActionForm
from ..workflow import DISPATCH_TRANSITIONS, DispatchStatus
from .common import PAGE_SIZE, error_text, query_without, refusal_status, voices_page

OPEN_DISPATCH = (DispatchStatus.PENDING, DispatchStatus.ACCEPTED)


@voices_page
@require_GET
def desk(request):
    """The department's dispatches, nearest deadline first, with counts by status."""
    user = request.user
    form = DeskFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    dispatches = selectors.dispatches_for_department(user, status=status)
    now = clock.now()
    counts = selectors.dispatches_for_department(user).aggregate(
        pending=Count("id", filter=Q(status=DispatchStatus.PENDING)),
        accepted=Count("id", filter=Q(status=DispatchStatus.ACCEPTED)),
        replied=Count("id", filter=Q(status=DispatchStatus.REPLIED)),
        returned=Count("id", filter=Q(status=DispatchStatus.RETURNED)),
        overdue=Count("id", filter=Q(status__in=OPEN_DISPATCH, deadline__lt=now)),
    )
    page = Paginator(dispatches, PAGE_SIZE).get_page(request.GET.get("page"))
    for dispatch in page.object_list:
        dispatch.is_overdue = dispatch.status in OPEN_DISPATCH and dispatch.deadline < now
    return render(request, "voices/desk.html", {"form": form, "page": page, "counts": counts,
                                                "status": status, "query": query_without(request, "page")})


def dispatch_actions(user, dispatch) -> list[str]:
    return [name for name, transition in DISPATCH_TRANSITIONS.items()
            if dispatch.status in transition.sources and can(user, transition.permission, path=dispatch.org_path)]


def dispatch_context(request, dispatch, **extra) -> dict:
    item = dispatch.request
    context = {
        "dispatch": dispatch, "item": item, "actions": dispatch_actions(request.user, dispatch),
        "photos": list(item.photos.order_by("id")),
        "others": item.dispatches.exclude(pk=dispatch.pk).select_related("org").order_by("id"),
        "timeline": item.events.filter(Q(dispatch=dispatch) | Q(dispatch__isnull=True, public=True))
        .select_related("actor").order_by("occurred_at", "id"),
        "overdue": dispatch.status in OPEN_DISPATCH and dispatch.deadline < clock.now(),
    }
    context.update(extra)
    return context


@voices_page
@require_GET
def dispatch_detail(request, pk):
    dispatch = get_dispatch_for_user(request.user, pk)
    return render(request, "voices/dispatch_detail.html", dispatch_context(request, dispatch))


@voices_page
@require_POST
def dispatch_transition(request, pk):
    dispatch = get_dispatch_for_user(request.user, pk)
    form = DispatchActionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("未知的操作。"))
        name = form.cleaned_data["transition"]
        services.dispatch_transition(actor=request.user, dispatch=dispatch, name=name,
                                     reply=form.cleaned_data.get("reply") or "",
                                     reason=form.cleaned_data.get("reason") or "")
    except (ValidationError, PermissionDenied) as error:
        return render(request, "voices/dispatch_detail.html",
                      dispatch_context(request, dispatch, action_error=error_text(error),
                                       action_name=request.POST.get("transition", ""),
                                       posted_reply=request.POST.get("reply", "")[:2000]),
                      status=refusal_status(error))
    messages.success(request, _("已%(action)s。") % {"action": _(DISPATCH_TRANSITIONS[name].label)})
    if name == "accept":
        return redirect(reverse("voices:dispatch_detail", kwargs={"pk": dispatch.pk}) + "#reply")
    return redirect("voices:dispatch_detail", pk=dispatch.pk)


@voices_page
@require_GET
def overdue(request):
    """Overdue dispatches per department, and (for community and street staff) overdue requests."""
    user = request.user
    now = clock.now()
    rows = selectors.overdue_dispatches(user, now=now)
    return render(request, "voices/overdue.html", {
        "now": now,
        "departments": selectors.overdue_dispatch_counts(user, now=now),
        "dispatches": rows[:200],
        "dispatch_total": rows.count(),
        "requests": selectors.overdue_requests_visible_to(user, now=now)[:200] if request.voices_can_view else [],
    })

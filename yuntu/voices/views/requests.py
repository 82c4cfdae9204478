"""Staff pages of requests: the scoped list with figures, the detail with its timeline and the triage
actions (handle, dispatch, merge, decline, publish), photos, and intake on a resident's behalf."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.forms import add_service_errors

from .. import selectors, services
from ..access import get_request_for_user
from ..forms import DispatchForm, RequestFilterForm, StaffIntakeForm, TriageForm
from ..workflow import OPEN_STATUSES, REQUEST_TRANSITIONS, STAGE_OF_STATUS, DispatchStatus, Stage
from .common import (
    PAGE_SIZE,
    area,
    error_text,
    photo_of,
    posted,
    query_without,
    refusal_status,
    serve_photo,
    voices_page,
)

OPEN_DISPATCH = (DispatchStatus.PENDING, DispatchStatus.ACCEPTED)


@voices_page
@require_GET
def request_list(request):
    if not request.voices_can_view:  # a department works from its desk
        return redirect("voices:desk")
    user = request.user
    form = RequestFilterForm(request.GET or None)
    filters = form.filters()
    requests = selectors.request_list(user, **filters)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    for item in page.object_list:
        item.is_overdue = item.status in OPEN_STATUSES and item.resolve_due < now
    by_status = dict(selectors.requests_visible_to(user).order_by().values_list("status").annotate(count=Count("id")))
    stages = [{"value": value, "label": label,
               "count": sum(count for status, count in by_status.items() if STAGE_OF_STATUS.get(status) == value)}
              for value, label in Stage.choices]
    context = {
        "form": form, "page": page, "figures": selectors.voices_figures(selectors.requests_visible_to(user)),
        "stages": stages, "filters": filters, "query": query_without(request, "page"),
        "stage_query": query_without(request, "page", "stage", "status"),
        "overdue_count": selectors.overdue_requests_visible_to(user).count(),
    }
    return render(request, "voices/request_list.html", context)


def triage_actions(user, item) -> dict:
    """Which triage actions this user may take on the request now (the service checks again)."""
    if not can(user, Permission.VOICES_TRIAGE, path=item.org_path):
        return {}
    return {name: item.status in transition.sources for name, transition in REQUEST_TRANSITIONS.items()
            if transition.permission == Permission.VOICES_TRIAGE}


def answer_rows(item) -> list[tuple[str, str]]:
    """The answers to the category's extra questions, by the questions' own wording and option names."""
    questions = {str(question.get("code")): question for question in item.category.questions or []}
    rows = []
    for code, value in (item.answers or {}).items():
        question = questions.get(code, {})
        names = {str(option.get("key")): option.get("name") or option.get("key") for option in question.get("values", [])}
        values = value if isinstance(value, list) else [value]
        rows.append((question.get("description") or code, "、".join(str(names.get(str(v), v)) for v in values)))
    return rows


def request_context(request, item, **extra) -> dict:
    user = request.user
    actions = triage_actions(user, item)
    dispatches = list(item.dispatches.select_related("org").order_by("id"))
    open_dispatches = sum(1 for dispatch in dispatches if dispatch.status in OPEN_DISPATCH)
    own_dispatch_ids = set(selectors.dispatches_for_department(user).filter(request=item).values_list("pk", flat=True))
    for dispatch in dispatches:
        dispatch.is_mine = dispatch.pk in own_dispatch_ids
    context = {
        "item": item,
        "stage_label": Stage(STAGE_OF_STATUS[item.status]).label if item.status in STAGE_OF_STATUS else "",
        "suggested_reply": "\n".join(dispatch.reply for dispatch in dispatches if dispatch.reply),
        "photos": list(item.photos.order_by("id")),
        "answers": answer_rows(item),
        "dispatches": dispatches,
        "timeline": item.events.select_related("actor").order_by("occurred_at", "id"),
        "can_see_contact": can(user, Permission.VOICES_VIEW, path=item.org_path),
        "actions": actions,
        "can_triage": bool(actions),
        "publish_blocked": (_("还有%(count)s个部门尚未答复，不能公开答复。") % {"count": open_dispatches}
                            if open_dispatches else ""),
        "merge_candidates": selectors.merge_candidates(user, item) if actions.get("merge") else [],
        "dispatch_form": DispatchForm(request=item) if actions.get("dispatch") else None,
        "merged_into": (selectors.requests_visible_to(user).filter(pk=item.merged_into_id).first()
                        if item.merged_into_id else None),
        "duplicates": selectors.requests_visible_to(user).filter(merged_into=item).order_by("id"),
        "overdue": item.status in OPEN_STATUSES and item.resolve_due < clock.now(),
    }
    context.update(extra)
    return context


@voices_page
@require_GET
def request_detail(request, pk):
    item = get_request_for_user(request.user, pk)
    return render(request, "voices/request_detail.html", request_context(request, item))


@voices_page
@require_POST
def request_triage(request, pk):
    """One declared transition of 议事 or 晒事: handle, merge, decline, publish."""
    user = request.user
    item = get_request_for_user(user, pk)
    form = TriageForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.error_text())
        name = form.cleaned_data["transition"]
        target = None
        if name == "merge":
            target_id = form.cleaned_data.get("target")
            target = selectors.requests_visible_to(user).filter(pk=target_id).first() if target_id else None
            if target is None:
                raise ValidationError(_("请选择本社区的另一条诉求作为合并目标。"))
        services.request_transition(actor=user, request=item, name=name, reason=form.cleaned_data.get("reason") or "",
                                    reply=form.cleaned_data.get("reply") or "", target=target)
    except (ValidationError, PermissionDenied) as error:
        return render(request, "voices/request_detail.html",
                      request_context(request, item, action_error=error_text(error),
                                      action_name=request.POST.get("transition", "")),
                      status=refusal_status(error))
    messages.success(request, _("已%(action)s。") % {"action": _(REQUEST_TRANSITIONS[name].label)})
    return redirect("voices:request_detail", pk=item.pk)


@voices_page
@require_POST
def request_dispatch(request, pk):
    """吹哨: route the request to one or more departments with a deadline in working days."""
    user = request.user
    item = get_request_for_user(user, pk)
    if not can(user, Permission.VOICES_TRIAGE, path=item.org_path):
        return render(request, "voices/request_detail.html",
                      request_context(request, item, action_error=_("无权对该诉求执行“吹哨派单”。")), status=403)
    form = DispatchForm(request.POST, request=item)
    if form.is_valid():
        data = form.cleaned_data
        try:
            dispatches = services.request_dispatch(actor=user, request=item, departments=list(data["departments"]),
                                                   days=data["days"], note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return render(request, "voices/request_detail.html",
                          request_context(request, item, action_error=error_text(error)), status=403)
        else:
            messages.success(request, _("已向%(count)s个部门吹哨派单。") % {"count": len(dispatches)})
            return redirect("voices:request_detail", pk=item.pk)
    return render(request, "voices/request_detail.html",
                  request_context(request, item, dispatch_form=form, action_error=form.error_text(),
                                  action_name="dispatch"), status=400)


@voices_page
@require_GET
def request_photo(request, pk):
    """A photo of a visible request: `?photo=<id>`, looked up only among this request's photos."""
    item = get_request_for_user(request.user, pk)
    return serve_photo(photo_of(item, request.GET.get("photo", "")))


@voices_page
def request_create(request):
    """Staff record a call, a visit or a 12345 transfer on a resident's behalf."""
    if not request.voices_can_triage:
        raise PermissionDenied(_("无权代群众录入诉求。"))
    form = StaffIntakeForm(*posted(request, files=True), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.request_submit(
                community=data["community"], category=data["category"], text=data["text"], channel=data["channel"],
                actor=request.user, address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
                contact_name=data["contact_name"], contact_mobile=data["contact_mobile"], answers=form.answers(),
                photos=data["photos"])
        except ValidationError as error:
            form.add_service_errors(error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("诉求已登记，编号 %(number)s。") % {"number": item.number})
            return redirect("voices:request_detail", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "voices/request_form.html", {"form": form, "area": area()}, status=status)

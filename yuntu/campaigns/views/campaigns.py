"""Campaign pages: the list, a campaign's desk page, the wall screen and its data, follow-up, weekly report, sheets."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can, has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import exports, imports, selectors, services
from ..access import get_campaign_for_user
from ..forms import CampaignForm, ImportForm, ProjectForm, TransitionForm
from ..workflow import CAMPAIGN_TRANSITIONS
from .common import campaign_page, error_text, posted, refusal_status, submit

BOARD_REFRESH_SECONDS = 60


@campaign_page
def campaign_list(request):
    user = request.user
    can_create = has_permission_anywhere(user, Permission.CAMPAIGN_EDIT)
    form = CampaignForm(*posted(request), orgs=selectors.campaign_lead_orgs_for(user)) if can_create else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("无权创建专项行动。"))
        campaign, _refusal = submit(form, lambda data: services.campaign_create(actor=user, **data))
        if campaign is not None:
            messages.success(request, _("专项行动已创建。"))
            return redirect("campaigns:detail", pk=campaign.pk)
        status = 400
    return render(request, "campaigns/campaign_list.html", {
        "rows": selectors.campaign_list(user), "form": form,
        "can_supervise": selectors.may_supervise_anywhere(user)}, status=status)


def _campaign_context(request, campaign, **extra) -> dict:
    user = request.user
    board = selectors.board_data(user, campaign)
    context = {
        "campaign": campaign, "board": board, "totals": board["totals"],
        "can_edit": can(user, Permission.CAMPAIGN_EDIT, path=campaign.org_path),
        "actions": [transition for transition in CAMPAIGN_TRANSITIONS.values()
                    if campaign.status in transition.sources and can(user, transition.permission, path=campaign.org_path)],
        "project_form": None,
    }
    if context["can_edit"]:
        context["project_form"] = ProjectForm(orgs=selectors.edit_orgs_for(user, campaign))
    context.update(extra)
    return context


@campaign_page
def campaign_detail(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    return render(request, "campaigns/campaign_detail.html", _campaign_context(request, campaign))


@campaign_page
@require_POST
def campaign_transition(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择要执行的操作。"))
        services.campaign_transition(actor=request.user, campaign=campaign, name=form.cleaned_data["transition"],
                                     reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        return render(request, "campaigns/campaign_detail.html",
                      _campaign_context(request, campaign, action_error=error_text(error)), status=refusal_status(error))
    messages.success(request, _("已%(action)s。") % {"action": CAMPAIGN_TRANSITIONS[form.cleaned_data["transition"]].label})
    return redirect("campaigns:detail", pk=campaign.pk)


@campaign_page
@require_POST
def project_create(request, pk):
    user = request.user
    campaign = get_campaign_for_user(user, pk)
    form = ProjectForm(request.POST, orgs=selectors.edit_orgs_for(user, campaign))
    project, refusal = submit(form, lambda data: services.project_create(actor=user, campaign=campaign, **data))
    if project is not None:
        messages.success(request, _("项目已添加。"))
        return redirect("campaigns:project", pk=project.pk)
    status = refusal_status(refusal) if refusal else 400
    return render(request, "campaigns/campaign_detail.html", _campaign_context(request, campaign, project_form=form),
                  status=status)


@campaign_page
def board(request, pk):
    """The wall screen (1920×1080, dark): the data arrives as json_script and is refreshed from board.json."""
    campaign = get_campaign_for_user(request.user, pk)
    labels = {"planned": _("计划"), "actual": _("实际"), "percent": _("平均进度"), "overdue": _("逾期"),
              "tasks": _("任务"), "done": _("已完成"), "late_days": _("逾期%(days)s天"), "none_overdue": _("没有逾期任务"),
              "none_due": _("7天内没有到期的任务"), "no_sites": _("还没有标注位置的项目")}
    return render(request, "campaigns/board.html", {"campaign": campaign,
                                                    "board": selectors.board_data(request.user, campaign),
                                                    "labels": labels, "refresh_seconds": BOARD_REFRESH_SECONDS})


@campaign_page
def board_data(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    response = JsonResponse(selectors.board_data(request.user, campaign), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def _week_of(value: str | None) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value) if value else clock.today()
    except ValueError:
        day = clock.today()
    return day - datetime.timedelta(days=day.weekday())


@campaign_page
def weekly(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    week_start = _week_of(request.GET.get("week"))
    report = selectors.weekly_report(request.user, campaign, week_start=week_start)
    return render(request, "campaigns/weekly.html", {
        "campaign": campaign, "report": report,
        "previous_week": week_start - datetime.timedelta(days=7), "next_week": week_start + datetime.timedelta(days=7)})


@campaign_page
def follow_up(request):
    """督查督办: the project list and the responsibility list with what is late, for supervisors."""
    user = request.user
    if not selectors.may_supervise_anywhere(user):
        raise PermissionDenied(_("只有督查人员（纪工委、效能办、督查室、督导组）可以查看督查督办。"))
    campaign = None
    value = request.GET.get("campaign", "")
    if value:
        campaign = get_campaign_for_user(user, value) if value.isdigit() else None
    return render(request, "campaigns/follow_up.html", {
        "campaigns": selectors.campaigns_visible_to(user).order_by("-start_date", "id"), "campaign": campaign,
        "projects": selectors.project_list(user, campaign=campaign),
        "responsibility": selectors.responsibility_list(user, campaign=campaign),
        "overdue": selectors.overdue_tasks(user, campaign=campaign)[:200],
        "dissolution_due": selectors.branches_due_for_dissolution_visible_to(user)[:100],
    })


@campaign_page
def import_roadmap(request, pk):
    user = request.user
    campaign = get_campaign_for_user(user, pk)
    if not can(user, Permission.CAMPAIGN_EDIT, path=campaign.org_path):
        raise PermissionDenied(_("无权为该专项行动导入路线图。"))
    form = ImportForm(*posted(request, files=True))
    errors = []
    if request.method == "POST" and form.is_valid():
        result = imports.import_roadmap(actor=user, campaign=campaign, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("已导入%(projects)s个项目、%(tasks)s项任务。")
                             % {"projects": result.projects, "tasks": result.tasks})
            return redirect("campaigns:detail", pk=campaign.pk)
        errors = result.errors
    return render(request, "campaigns/import.html", {"campaign": campaign, "form": form, "errors": errors,
                                                     "headers": imports.HEADERS, "max_rows": imports.MAX_ROWS},
                  status=400 if request.method == "POST" else 200)


@campaign_page
def import_template(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    if not can(request.user, Permission.CAMPAIGN_EDIT, path=campaign.org_path):
        raise PermissionDenied(_("无权为该专项行动导入路线图。"))
    names = list(selectors.edit_orgs_for(request.user, campaign).values_list("name", flat=True)[:2000])
    return exports.xlsx_response(exports.template_workbook(names), f"攻坚路线图模板_{campaign.name}.xlsx")


@campaign_page
def ledger_export(request, pk):
    campaign = get_campaign_for_user(request.user, pk)
    return exports.xlsx_response(exports.ledger_workbook(request.user, campaign),
                                 f"工作台账_{campaign.name}_{clock.today():%Y%m%d}.xlsx")

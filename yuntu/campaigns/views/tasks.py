"""Task pages: detail with milestones, progress reports and timeline; progress, transitions, evidence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import selectors, services
from ..access import get_milestone_for_user, get_task_for_user
from ..forms import ProgressForm, TransitionForm
from ..models import TaskProgress
from ..workflow import TASK_TRANSITIONS, TaskStatus
from .common import campaign_page, error_text, refusal_status, submit


def task_context(request, task, **extra) -> dict:
    user = request.user
    can_report = task.status != TaskStatus.DONE and can(user, Permission.CAMPAIGN_REPORT, path=task.org_path)
    context = {
        "task": task, "project": task.project, "campaign": task.campaign,
        "overdue": task.status != TaskStatus.DONE and task.deadline < clock.today(),
        "days_late": (clock.today() - task.deadline).days,
        "milestones": selectors.task_milestones(user, task),
        "progress_reports": selectors.task_progress(user, task),
        "timeline": selectors.task_timeline(user, task),
        "can_report": can_report,
        "actions": [transition for transition in TASK_TRANSITIONS.values()
                    if task.status in transition.sources and transition.name != "start"
                    and can(user, transition.permission, path=task.org_path)],
        "progress_form": ProgressForm(initial={"percent": task.percent}) if can_report else None,
    }
    context.update(extra)
    return context


@campaign_page
def task_detail(request, pk):
    task = get_task_for_user(request.user, pk)
    return render(request, "campaigns/task_detail.html", task_context(request, task))


@campaign_page
@require_POST
def task_progress(request, pk):
    task = get_task_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    result, refusal = submit(form, lambda data: services.progress_record(actor=request.user, task=task, **data))
    if result is not None:
        messages.success(request, _("进展已更新。"))
        return redirect("campaigns:task", pk=task.pk)
    return render(request, "campaigns/task_detail.html", task_context(request, task, progress_form=form),
                  status=refusal_status(refusal) if refusal else 400)


@campaign_page
@require_POST
def task_transition(request, pk):
    task = get_task_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择要执行的操作。"))
        services.task_transition(actor=request.user, task=task, name=form.cleaned_data["transition"],
                                 reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        return render(request, "campaigns/task_detail.html", task_context(request, task, action_error=error_text(error)),
                      status=refusal_status(error))
    messages.success(request, _("已%(action)s。") % {"action": TASK_TRANSITIONS[form.cleaned_data["transition"]].label})
    return redirect("campaigns:task", pk=task.pk)


@campaign_page
def task_file(request, pk):
    """Evidence of a progress report: `?progress=<id>`, looked up only among this visible task's reports."""
    task = get_task_for_user(request.user, pk)
    value = request.GET.get("progress", "")
    report = TaskProgress.objects.filter(task=task, pk=value).exclude(evidence="").first() if value.isdigit() else None
    if report is None:
        raise Http404(_("文件不存在。"))
    response = FileResponse(report.evidence.open("rb"), as_attachment=True, filename=report.evidence_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@campaign_page
@require_POST
def milestone_done(request, pk):
    milestone = get_milestone_for_user(request.user, pk)
    try:
        services.milestone_done(actor=request.user, milestone=milestone)
    except (ValidationError, PermissionDenied) as error:
        task = get_task_for_user(request.user, milestone.task_id)
        return render(request, "campaigns/task_detail.html", task_context(request, task, action_error=error_text(error)),
                      status=refusal_status(error))
    messages.success(request, _("节点已完成。"))
    return redirect("campaigns:task", pk=milestone.task_id)

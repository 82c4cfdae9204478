"""Problem pages: entry, detail with its measures and timeline, edit, review transitions, push-down."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can, has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.core.pages import refusal_status
from yuntu.orgs.forms import add_service_errors

from .. import selectors, services
from ..access import get_problem_for_user
from ..forms import MeasureForm, ProblemEditForm, ProblemForm, PushDownForm, TransitionForm
from ..models import Evidence, Progress
from ..workflow import PROBLEM_TRANSITIONS, MeasureStatus, ProblemStatus
from .common import (
    can_add_measure,
    can_edit_problem,
    error_text,
    labelled_timeline,
    ledger_page,
    measure_actions,
    posted,
    problem_actions,
)

INLINE_TYPES = {".jpg", ".jpeg", ".png", ".pdf"}


def problem_context(request, problem, **extra) -> dict:
    user = request.user
    reports = Progress.objects.select_related("author").prefetch_related("evidence").order_by("-created_at", "-id")
    measures = list(selectors.measures_of_problem(user, problem).prefetch_related(
        Prefetch("progress_reports", queryset=reports)))
    for measure in measures:
        measure.actions = measure_actions(user, measure)
    counts = problem.measures.aggregate(total=Count("id"), open=Count("id", filter=~Q(status=MeasureStatus.VERIFIED)))
    pushed = selectors.pushed_problems_of(user, problem)
    pushed_from = (selectors.problems_visible_to(user).filter(pk=problem.pushed_from_id).first()
                   if problem.pushed_from_id else None)
    may_push = (problem.status != ProblemStatus.CLOSED and can_add_measure(user, problem)
                and selectors.push_targets_for(user, problem).exists())
    context = {
        "problem": problem,
        "measures": measures,
        "attachments": problem.attachments.order_by("id"),
        "actions": problem_actions(user, problem, open_measures=counts["open"], measure_count=counts["total"]),
        "can_edit": can_edit_problem(user, problem),
        "can_add_measure": can_add_measure(user, problem),
        "may_push": may_push,
        "pushed": pushed,
        "rollup": selectors.push_down_rollup(user, problem) if pushed.exists() else None,
        "pushed_from": pushed_from,
        "timeline": labelled_timeline(selectors.problem_timeline(user, problem)),
        "measure_form": MeasureForm(user=user, problem=problem) if can_add_measure(user, problem) else None,
    }
    context.update(extra)
    return context


@ledger_page
def problem_create(request):
    if not has_permission_anywhere(request.user, Permission.LEDGER_EDIT):
        raise PermissionDenied(_("无权填报整改台账。"))
    form = ProblemForm(*posted(request, files=True), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_create(
                actor=request.user, org=data["org"], title=data["title"], description=data["description"],
                source=data["source"], category=data["category"], batch=data["batch"], found_on=data["found_on"],
                attachments=data["attachments"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError):
                add_service_errors(form, error)
            else:
                form.add_error(None, error_text(error))
        else:
            messages.success(request, _("问题已填报，等待联络组审核。"))
            return redirect("ledger:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/problem_form.html", {"form": form, "creating": True}, status=status)


@ledger_page
def problem_detail(request, pk):
    problem = get_problem_for_user(request.user, pk)
    return render(request, "ledger/problem_detail.html", problem_context(request, problem))


@ledger_page
def problem_edit(request, pk):
    problem = get_problem_for_user(request.user, pk)
    form = ProblemEditForm.for_problem(problem, *posted(request))
    if request.method == "POST" and form.is_valid():
        changes = form.changes(problem)
        if not changes:
            return redirect("ledger:problem_detail", pk=problem.pk)
        try:
            services.problem_update(actor=request.user, problem=problem, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("问题已修改。"))
            return redirect("ledger:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/problem_form.html",
                  {"form": form, "problem": problem, "editable": can_edit_problem(request.user, problem)}, status=status)


@ledger_page
@require_POST
def problem_transition(request, pk):
    problem = get_problem_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return render(request, "ledger/problem_detail.html",
                      problem_context(request, problem, action_error=form.error_text()), status=400)
    name = form.cleaned_data["transition"]
    try:
        services.problem_transition(actor=request.user, problem=problem, name=name, reason=form.reason())
    except (ValidationError, PermissionDenied) as error:
        return render(request, "ledger/problem_detail.html",
                      problem_context(request, problem, action_error=error_text(error)), status=refusal_status(error))
    messages.success(request, _("已%(action)s。") % {"action": PROBLEM_TRANSITIONS[name].label})
    return redirect("ledger:problem_detail", pk=problem.pk)


@ledger_page
def measure_add(request, pk):
    problem = get_problem_for_user(request.user, pk)
    form = MeasureForm(*posted(request), user=request.user, problem=problem)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_add(actor=request.user, problem=problem, text=data["text"], org=data["org"],
                                 responsible_person=data["responsible_person"], deadline=data["deadline"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("整改措施已制定，等待联络组审核。"))
            return redirect("ledger:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/measure_form.html",
                  {"form": form, "problem": problem, "creating": True,
                   "allowed": can_add_measure(request.user, problem)}, status=status)


@ledger_page
def problem_push(request, pk):
    problem = get_problem_for_user(request.user, pk)
    if not can(request.user, Permission.LEDGER_EDIT, path=problem.org_path):
        raise PermissionDenied(_("无权推送该问题。"))
    form = PushDownForm(*posted(request), user=request.user, problem=problem)
    if request.method == "POST" and form.is_valid():
        try:
            pushed = services.problem_push_down(actor=request.user, problem=problem, orgs=list(form.cleaned_data["orgs"]))
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("已向%(count)s个下级单位推送该问题。") % {"count": len(pushed)})
            return redirect("ledger:problem_detail", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/problem_push.html",
                  {"form": form, "problem": problem,
                   "pushed": selectors.pushed_problems_of(request.user, problem)}, status=status)


def serve_evidence(evidence: Evidence) -> FileResponse:
    """Images and PDFs open in the browser (sandboxed); office files download."""
    extension = os.path.splitext(evidence.file_name)[1].lower()
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("文件不存在。")) from error
    response = FileResponse(handle, as_attachment=extension not in INLINE_TYPES, filename=evidence.file_name)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@ledger_page
def problem_file(request, pk):
    """An attachment of a problem: `?file=<id>`, looked up only among this visible problem's files."""
    problem = get_problem_for_user(request.user, pk)
    file_id = request.GET.get("file", "")
    evidence = problem.attachments.filter(pk=file_id).first() if file_id.isdigit() else None
    if evidence is None:
        raise Http404(_("文件不存在。"))
    return serve_evidence(evidence)

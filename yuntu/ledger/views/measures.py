"""Measure pages: detail with progress reports and evidence, edit, review transitions, progress reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.core.pages import run_service
from yuntu.orgs.forms import add_service_errors

from .. import selectors, services
from ..access import get_measure_for_user
from ..forms import MeasureEditForm, ProgressForm, TransitionForm
from ..models import Evidence
from ..workflow import MEASURE_TRANSITIONS
from .common import (
    can_edit_measure,
    can_report_progress,
    error_text,
    labelled_timeline,
    ledger_page,
    measure_actions,
    posted,
)
from .problems import problem_context, refusal_status, serve_evidence


def measure_context(request, measure, **extra) -> dict:
    user = request.user
    problem_visible = selectors.problems_visible_to(user).filter(pk=measure.problem_id).exists()
    context = {
        "measure": measure,
        "problem": measure.problem,
        "problem_visible": problem_visible,
        "actions": measure_actions(user, measure),
        "can_edit": can_edit_measure(user, measure),
        "can_report": can_report_progress(user, measure),
        "progress_reports": selectors.progress_of(user, measure),
        "timeline": labelled_timeline(selectors.measure_timeline(user, measure)),
        "progress_form": ProgressForm(initial={"percent": measure.percent}),
    }
    context.update(extra)
    return context


def _from_problem_page(request, measure) -> bool:
    """Actions taken on the problem page go back there, when the user may see that problem."""
    return request.POST.get("next") == "problem" and selectors.problems_visible_to(request.user).filter(
        pk=measure.problem_id).exists()


def _back(request, measure):
    if _from_problem_page(request, measure):
        return redirect(reverse("ledger:problem_detail", kwargs={"pk": measure.problem_id}) + f"#measure-{measure.pk}")
    return redirect("ledger:measure_detail", pk=measure.pk)


@ledger_page
def measure_detail(request, pk):
    measure = get_measure_for_user(request.user, pk)
    return render(request, "ledger/measure_detail.html", measure_context(request, measure))


@ledger_page
@require_POST
def measure_transition(request, pk):
    measure = get_measure_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    name = form.cleaned_data["transition"] if form.is_valid() else ""
    try:
        if not name:
            raise ValidationError(form.error_text())
        services.measure_transition(actor=request.user, measure=measure, name=name, reason=form.reason())
    except (ValidationError, PermissionDenied) as error:
        status = refusal_status(error)
        if _from_problem_page(request, measure):
            return render(request, "ledger/problem_detail.html",
                          problem_context(request, measure.problem, action_error=error_text(error),
                                          error_measure=measure.pk), status=status)
        return render(request, "ledger/measure_detail.html",
                      measure_context(request, measure, action_error=error_text(error)), status=status)
    messages.success(request, _("措施已%(action)s。") % {"action": MEASURE_TRANSITIONS[name].label})
    return _back(request, measure)


@ledger_page
@require_POST
def measure_progress(request, pk):
    measure = get_measure_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    return run_service(
        request, form, lambda data: services.progress_record(actor=request.user, measure=measure, text=data["text"],
                                                             percent=data["percent"], evidence=data["evidence"]),
        success=_("进展已更新。"), done=lambda _result: reverse("ledger:measure_detail", args=[measure.pk]),
        page=lambda status: render(request, "ledger/measure_detail.html",
                                   measure_context(request, measure, progress_form=form), status=status))


@ledger_page
def measure_edit(request, pk):
    measure = get_measure_for_user(request.user, pk)
    form = MeasureEditForm.for_measure(measure, *posted(request))
    if request.method == "POST" and form.is_valid():
        changes = form.changes(measure)
        if not changes:
            return redirect("ledger:measure_detail", pk=measure.pk)
        try:
            services.measure_update(actor=request.user, measure=measure, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("措施已修改。"))
            return redirect("ledger:measure_detail", pk=measure.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/measure_form.html",
                  {"form": form, "measure": measure, "problem": measure.problem,
                   "allowed": can_edit_measure(request.user, measure)}, status=status)


@ledger_page
def measure_file(request, pk):
    """Evidence of a progress report: `?file=<id>`, looked up only among this visible measure's files."""
    measure = get_measure_for_user(request.user, pk)
    file_id = request.GET.get("file", "")
    evidence = (Evidence.objects.filter(progress__measure=measure, pk=file_id).first()
                if file_id.isdigit() else None)
    if evidence is None:
        raise Http404(_("文件不存在。"))
    return serve_evidence(evidence)

"""Writes to the rectification ledger: each action is atomic and leaves a timeline event and an audit entry."""

import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from yuntu.accounts.audit import audit_record, snapshot
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, uploads, workflow
from yuntu.orgs.models import Org

from . import rollups
from .models import Evidence, LedgerEvent, LevelClass, Measure, Problem, Progress
from .workflow import MEASURE_TRANSITIONS, PROBLEM_TRANSITIONS, MeasureStatus, ProblemStatus

EVIDENCE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx", ".doc", ".xls"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = {"jpeg", "png", "pdf", "docx", "xlsx", "ole"}
PROBLEM_FIELDS = ["title", "description", "source", "category", "level_class", "batch", "found_on", "status", "org_id"]
MEASURE_FIELDS = ["text", "responsible_person", "deadline", "status", "percent", "org_id", "problem_id"]


def level_class_of(org: Org) -> str:
    """County-level units are the district committee and the units directly under it (streets, agencies, SOEs)."""
    return LevelClass.COUNTY if org.depth <= 2 else LevelClass.GRASSROOTS


def _require(actor, permission: str, org_path: str, message: str) -> None:
    if not can(actor, permission, path=org_path):
        raise PermissionDenied(message)


def _event(*, problem: Problem, measure: Measure | None = None, action: str, label: str, actor, reason: str = "",
           from_status: str = "", to_status: str = "") -> None:
    LedgerEvent.objects.create(problem=problem, measure=measure, action=action, label=label, actor=actor, reason=reason,
                               from_status=from_status, to_status=to_status)


def check_evidence(files: list[UploadedFile]) -> None:
    for upload in files:
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in EVIDENCE_EXTENSIONS:
            raise ValidationError({"evidence": f"佐证材料“{upload.name}”的类型不支持，仅限图片、PDF、Word、Excel。"})
        if upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError({"evidence": f"佐证材料“{upload.name}”超过10MB。"})
        uploads.check_upload(upload, allowed=EVIDENCE_KINDS, field="evidence", label="佐证材料")


def _attach(files: list[UploadedFile], **owner) -> None:
    for upload in files:
        Evidence.objects.create(file=upload, file_name=upload.name, size=upload.size, **owner)


def _check_problem(title: str, found_on: datetime.date) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = "请填写问题。"
    if found_on and found_on > clock.today():
        errors["found_on"] = "发现日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def problem_create(*, actor, org: Org, title: str, source: str, category: str, found_on: datetime.date,
                   description: str = "", batch: str = "第一批问题清单", attachments: list | None = None,
                   pushed_from: Problem | None = None) -> Problem:
    _require(actor, Permission.LEDGER_EDIT, org.path, "无权为该单位填报问题。")
    _check_problem(title, found_on)
    check_evidence(attachments or [])
    problem = Problem.objects.create(org=org, org_path=org.path, title=title.strip(), description=description,
                                     source=source, category=category, level_class=level_class_of(org), batch=batch,
                                     found_on=found_on, pushed_from=pushed_from, created_by=actor)
    rollups.added(problems=[problem])
    _attach(attachments or [], problem=problem)
    _event(problem=problem, action="create", label="填报问题", actor=actor, to_status=problem.status)
    audit_record(actor=actor, action="problem.create", obj=problem, after=snapshot(problem, PROBLEM_FIELDS))
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, **changes) -> Problem:
    """Owners revise a problem while it awaits review or has been sent back."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _require(actor, Permission.LEDGER_EDIT, problem.org_path, "无权修改该问题。")
    if problem.status not in (ProblemStatus.SUBMITTED, ProblemStatus.RETURNED):
        raise ValidationError("问题审核通过后不能再修改内容。")
    allowed = {"title", "description", "source", "category", "batch", "found_on"}
    if set(changes) - allowed:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(set(changes) - allowed))}")
    before = snapshot(problem, PROBLEM_FIELDS)
    for field, value in changes.items():
        setattr(problem, field, value)
    _check_problem(problem.title, problem.found_on)
    with rollups.tracking(problems=[problem]):  # a new discovery date moves the problem and its measures
        problem.save()
    _event(problem=problem, action="edit", label="修改问题", actor=actor)
    audit_record(actor=actor, action="problem.update", obj=problem, before=before, after=snapshot(problem, PROBLEM_FIELDS))
    return problem


@transaction.atomic
def problem_push_down(*, actor, problem: Problem, orgs: list[Org]) -> list[Problem]:
    """上下联动: an upper unit pushes its problem to lower units; each keeps its own measures."""
    _require(actor, Permission.LEDGER_EDIT, problem.org_path, "无权推送该问题。")
    if not orgs:
        raise ValidationError({"orgs": "请选择要推送的下级单位。"})
    pushed = []
    for org in orgs:
        if not org.path.startswith(problem.org_path) or org.path == problem.org_path:
            raise ValidationError({"orgs": f"“{org.name}”不是本单位的下级单位。"})
        if Problem.objects.filter(pushed_from=problem, org=org).exists():
            raise ValidationError({"orgs": f"已向“{org.name}”推送过该问题。"})
        pushed.append(problem_create(actor=actor, org=org, title=problem.title, description=problem.description,
                                     source="upper", category=problem.category, found_on=clock.today(),
                                     batch=problem.batch, pushed_from=problem))
    return pushed


def _check_measure(text: str, responsible_person: str, deadline: datetime.date | None) -> None:
    errors = {}
    if len(text.strip()) < 4:
        errors["text"] = "请填写具体的整改措施。"
    if not responsible_person.strip():
        errors["responsible_person"] = "请填写责任人。"
    if deadline is None:
        errors["deadline"] = "请填写完成时限。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_add(*, actor, problem: Problem, text: str, responsible_person: str, deadline: datetime.date,
                org: Org | None = None, responsible_user=None) -> Measure:
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    org = org or problem.org
    _require(actor, Permission.LEDGER_EDIT, problem.org_path, "无权为该问题制定措施。")
    if not org.path.startswith(problem.org_path):
        raise ValidationError({"org": "措施的责任单位应为问题所属单位或其下级单位。"})
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationError("问题已销号，如需新增措施请先重新挂账。")
    _check_measure(text, responsible_person, deadline)
    measure = Measure.objects.create(problem=problem, org=org, org_path=org.path, text=text.strip(),
                                     responsible_person=responsible_person.strip(), responsible_user=responsible_user,
                                     deadline=deadline, level_class=problem.level_class)
    rollups.added(measures=[measure])
    _event(problem=problem, measure=measure, action="measure_add", label="制定措施", actor=actor, to_status=measure.status)
    audit_record(actor=actor, action="measure.create", obj=measure, after=snapshot(measure, MEASURE_FIELDS))
    return measure


@transaction.atomic
def measure_update(*, actor, measure: Measure, **changes) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require(actor, Permission.LEDGER_EDIT, measure.org_path, "无权修改该措施。")
    if measure.status not in (MeasureStatus.PLANNED, MeasureStatus.RETURNED):
        raise ValidationError("措施审核通过后不能再修改内容。")
    allowed = {"text", "responsible_person", "deadline"}
    if set(changes) - allowed:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(set(changes) - allowed))}")
    before = snapshot(measure, MEASURE_FIELDS)
    for field, value in changes.items():
        setattr(measure, field, value)
    _check_measure(measure.text, measure.responsible_person, measure.deadline)
    measure.save()
    _event(problem=measure.problem, measure=measure, action="measure_edit", label="修改措施", actor=actor)
    audit_record(actor=actor, action="measure.update", obj=measure, before=before, after=snapshot(measure, MEASURE_FIELDS))
    return measure


@transaction.atomic
def progress_record(*, actor, measure: Measure, text: str, percent: int, evidence: list | None = None) -> Progress:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require(actor, Permission.LEDGER_EDIT, measure.org_path, "无权填报该措施的进展。")
    if measure.status != MeasureStatus.IN_PROGRESS:
        raise ValidationError(f"措施当前为“{measure.get_status_display()}”，审核通过后才能填报进展。")
    if not text.strip():
        raise ValidationError({"text": "请填写进展情况。"})
    if not 0 <= percent <= 100:
        raise ValidationError({"percent": "进度应在0到100之间。"})
    check_evidence(evidence or [])
    progress = Progress.objects.create(measure=measure, text=text.strip(), percent=percent, author=actor)
    _attach(evidence or [], progress=progress)
    measure.percent = percent
    measure.last_progress_at = clock.now()
    measure.save(update_fields=["percent", "last_progress_at", "updated_at"])
    _event(problem=measure.problem, measure=measure, action="progress", label=f"更新进展（{percent}%）", actor=actor)
    audit_record(actor=actor, action="measure.progress", obj=measure, after={"percent": percent, "text": text.strip()})
    return progress


@transaction.atomic
def problem_transition(*, actor, problem: Problem, name: str, reason: str = "") -> Problem:
    """Apply one declared transition to a problem (approve, send back, resubmit, close, reopen)."""
    transition = workflow.find(PROBLEM_TRANSITIONS, name)
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    _require(actor, transition.permission, problem.org_path, f"无权对该问题执行“{transition.label}”。")
    reason = workflow.begin(transition, noun="问题", status=problem.status, status_label=problem.get_status_display(),
                            reason=reason)
    if name == "close":
        open_count = problem.measures.exclude(status=MeasureStatus.VERIFIED).count()
        if not problem.measures.exists():
            raise ValidationError("问题还没有整改措施，不能销号。")
        if open_count:
            raise ValidationError(f"还有{open_count}项措施未验收，不能销号。")
    before = problem.status
    problem.status = transition.target
    problem.closed_at = clock.now() if transition.target == ProblemStatus.CLOSED else None
    if reason:
        problem.last_reason = reason[:255]
    with rollups.tracking(problems=[problem], with_measures=False):
        problem.save(update_fields=["status", "closed_at", "last_reason", "updated_at"])
    _event(problem=problem, action=name, label=transition.label, actor=actor, reason=reason, from_status=before,
           to_status=problem.status)
    audit_record(actor=actor, action=f"problem.{name}", obj=problem, before={"status": before},
                 after={"status": problem.status, "reason": reason})
    return problem


@transaction.atomic
def measure_transition(*, actor, measure: Measure, name: str, reason: str = "") -> Measure:
    """Apply one declared transition to a measure (approve, send back, resubmit, report done, verify, reopen)."""
    transition = workflow.find(MEASURE_TRANSITIONS, name)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require(actor, transition.permission, measure.org_path, f"无权对该措施执行“{transition.label}”。")
    reason = workflow.begin(transition, noun="措施", status=measure.status, status_label=measure.get_status_display(),
                            reason=reason)
    before = measure.status
    target = transition.target
    if name == "send_back":
        measure.returned_from = before
    if name == "resubmit" and measure.returned_from == MeasureStatus.REPORTED:
        target = MeasureStatus.IN_PROGRESS  # sent back at verification: more work, then report again
    if name == "report_done":
        measure.percent = 100
    measure.status = target
    measure.verified_at = clock.now() if target == MeasureStatus.VERIFIED else None
    if reason:
        measure.last_reason = reason[:255]
    with rollups.tracking(measures=[measure]):
        measure.save()
    if name == "reopen" and measure.problem.status == ProblemStatus.CLOSED:
        problem_transition(actor=actor, problem=measure.problem, name="reopen", reason=reason)
    _event(problem=measure.problem, measure=measure, action=name, label=transition.label, actor=actor, reason=reason,
           from_status=before, to_status=target)
    audit_record(actor=actor, action=f"measure.{name}", obj=measure, before={"status": before},
                 after={"status": target, "reason": reason})
    return measure

"""Writes to campaigns: each action is atomic, checks the actor's scope and leaves a timeline event and an audit entry."""

import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from yuntu.accounts.audit import audit_record, snapshot
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level, Member, Org

from .models import (
    Campaign,
    CampaignEvent,
    HQMembership,
    Milestone,
    Post,
    Project,
    ScoreMark,
    Task,
    TaskProgress,
)
from .workflow import CAMPAIGN_TRANSITIONS, TASK_TRANSITIONS, CampaignStatus, TaskStatus

EVIDENCE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx", ".doc", ".xls"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
CAMPAIGN_FIELDS = ["name", "goal", "start_date", "end_date", "status", "org_id"]
PROJECT_FIELDS = ["campaign_id", "number", "name", "owner_name", "site", "planned_start", "planned_end", "org_id"]
TASK_FIELDS = ["campaign_id", "project_id", "name", "key_point", "owner_name", "planned_start", "planned_end",
               "deadline", "status", "percent", "org_id", "post_id"]
MARK_LIMIT = 20


def _require(actor, permission: str, path: str, message: str) -> None:
    if not can(actor, permission, path=path):
        raise PermissionDenied(message)


def _event(*, campaign: Campaign, project: Project | None = None, task: Task | None = None, action: str, label: str,
           actor, reason: str = "", from_status: str = "", to_status: str = "") -> None:
    CampaignEvent.objects.create(campaign=campaign, project=project, task=task, action=action, label=label[:64],
                                 actor=actor, reason=reason[:255], from_status=from_status, to_status=to_status)


def _in_scope(org: Org, campaign: Campaign, field: str) -> None:
    """The owner of a project or task must sit in the campaign's lead org or below it."""
    if not org.path.startswith(campaign.org_path):
        raise ValidationError({field: f"“{org.name}”不在专项行动牵头单位“{campaign.org.name}”的范围内，"
                                      "请选择牵头单位或其下级单位。"})


def _check_dates(errors: dict, start, end, *, end_field: str, end_label: str) -> None:
    if start is None:
        errors["planned_start"] = "请填写计划开始日期。"
    if end is None:
        errors[end_field] = f"请填写{end_label}。"
    if start and end and end < start:
        errors[end_field] = f"{end_label}（{end:%Y-%m-%d}）不能早于计划开始日期（{start:%Y-%m-%d}）。"


def _required(errors: dict, **values) -> None:
    labels = {"name": "名称", "owner_name": "责任人", "text": "进展情况", "duties": "岗位职责", "holder_name": "在岗人"}
    for field, value in values.items():
        if not (value or "").strip():
            errors[field] = f"请填写{labels.get(field, field)}。"


# --- campaigns ---------------------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, actor, org: Org, name: str, start_date: datetime.date, end_date: datetime.date,
                    goal: str = "") -> Campaign:
    _require(actor, Permission.CAMPAIGN_EDIT, org.path, "无权为该单位创建专项行动。")
    errors: dict = {}
    _required(errors, name=name)
    if start_date is None:
        errors["start_date"] = "请填写开始日期。"
    if end_date is None:
        errors["end_date"] = "请填写结束日期。"
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "结束日期不能早于开始日期。"
    if not errors and Campaign.objects.filter(org=org, name=name.strip()).exists():
        errors["name"] = "本单位已有同名的专项行动。"
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(org=org, org_path=org.path, name=name.strip(), goal=goal.strip(),
                                       start_date=start_date, end_date=end_date, created_by=actor)
    _event(campaign=campaign, action="create", label="创建专项行动", actor=actor, to_status=campaign.status)
    audit_record(actor=actor, action="campaign.create", obj=campaign, after=snapshot(campaign, CAMPAIGN_FIELDS))
    return campaign


@transaction.atomic
def campaign_transition(*, actor, campaign: Campaign, name: str, reason: str = "") -> Campaign:
    transition = workflow.find(CAMPAIGN_TRANSITIONS, name)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(actor, transition.permission, campaign.org_path, f"无权对该专项行动执行“{transition.label}”。")
    reason = workflow.begin(transition, noun="专项行动", status=campaign.status,
                            status_label=campaign.get_status_display(), reason=reason)
    before = campaign.status
    campaign.status = transition.target
    campaign.save(update_fields=["status", "updated_at"])
    _event(campaign=campaign, action=name, label=transition.label, actor=actor, reason=reason, from_status=before,
           to_status=campaign.status)
    audit_record(actor=actor, action=f"campaign.{name}", obj=campaign, before={"status": before},
                 after={"status": campaign.status, "reason": reason})
    return campaign


# --- projects and tasks ------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor, campaign: Campaign, org: Org, name: str, owner_name: str,
                   planned_start: datetime.date, planned_end: datetime.date, site: str = "", description: str = "",
                   latitude=None, longitude=None, number: int | None = None) -> Project:
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("org").get(pk=campaign.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, campaign.org_path, "无权为该专项行动添加项目。")
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("专项行动已结束，不能再添加项目。")
    _in_scope(org, campaign, "org")
    errors: dict = {}
    _required(errors, name=name, owner_name=owner_name)
    _check_dates(errors, planned_start, planned_end, end_field="planned_end", end_label="计划完成日期")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = "经度和纬度须同时填写。"
    if latitude is not None and not (-90 <= float(latitude) <= 90 and -180 <= float(longitude) <= 180):
        errors["latitude"] = "经纬度超出范围。"
    if "name" not in errors and Project.objects.filter(campaign=campaign, name=name.strip()).exists():
        errors["name"] = f"专项行动中已有项目“{name.strip()}”。"
    if errors:
        raise ValidationError(errors)
    if number is None:
        number = (Project.objects.filter(campaign=campaign).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1
    project = Project.objects.create(campaign=campaign, org=org, org_path=org.path, number=number, name=name.strip(),
                                     owner_name=owner_name.strip(), site=site.strip(), description=description.strip(),
                                     latitude=latitude, longitude=longitude, planned_start=planned_start,
                                     planned_end=planned_end)
    _event(campaign=campaign, project=project, action="project_create", label="新增项目", actor=actor)
    audit_record(actor=actor, action="campaign.project_create", obj=project, after=snapshot(project, PROJECT_FIELDS))
    return project


def check_task_fields(*, name: str, owner_name: str, planned_start, planned_end, deadline) -> None:
    """The rules of a task's schedule, shared by the forms, the API and the roadmap import."""
    errors: dict = {}
    _required(errors, name=name, owner_name=owner_name)
    if len((name or "").strip()) > 255:
        errors["name"] = "任务不能超过255个字。"
    _check_dates(errors, planned_start, planned_end, end_field="planned_end", end_label="计划完成日期")
    if deadline is None:
        errors["deadline"] = "请填写完成时限。"
    elif planned_start and deadline < planned_start:
        errors["deadline"] = f"完成时限（{deadline:%Y-%m-%d}）不能早于计划开始日期（{planned_start:%Y-%m-%d}）。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(*, actor, project: Project, org: Org, name: str, owner_name: str, planned_start: datetime.date,
                planned_end: datetime.date, deadline: datetime.date, key_point: str = "",
                milestones: list[tuple[str, datetime.date]] | None = None, post: Post | None = None,
                owner_user=None) -> Task:
    project = Project.objects.select_related("campaign", "campaign__org").get(pk=project.pk)
    campaign = project.campaign
    _require(actor, Permission.CAMPAIGN_EDIT, project.org_path, "无权为该项目添加任务。")
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError("专项行动已结束，不能再添加任务。")
    _in_scope(org, campaign, "org")
    check_task_fields(name=name, owner_name=owner_name, planned_start=planned_start, planned_end=planned_end,
                      deadline=deadline)
    if post is not None and post.project_id != project.pk:
        raise ValidationError({"post": "岗位不属于该项目。"})
    for milestone_name, due_on in milestones or []:
        if not milestone_name.strip() or due_on is None:
            raise ValidationError({"milestones": "时序安排的每个节点须有名称和时间。"})
        if due_on < planned_start:
            raise ValidationError({"milestones": f"节点“{milestone_name}”的时间早于计划开始日期。"})
    task = Task.objects.create(campaign=campaign, project=project, org=org, org_path=org.path, name=name.strip(),
                               key_point=key_point.strip(), owner_name=owner_name.strip(), owner_user=owner_user,
                               planned_start=planned_start, planned_end=planned_end, deadline=deadline, post=post)
    Milestone.objects.bulk_create([Milestone(task=task, name=milestone_name.strip()[:128], due_on=due_on)
                                   for milestone_name, due_on in milestones or []])
    _event(campaign=campaign, project=project, task=task, action="task_create", label="新增任务", actor=actor,
           to_status=task.status)
    audit_record(actor=actor, action="campaign.task_create", obj=task, after=snapshot(task, TASK_FIELDS))
    return task


@transaction.atomic
def task_assign_post(*, actor, task: Task, post: Post | None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, task.project.org_path, "无权调整该任务的岗位。")
    if post is not None and post.project_id != task.project_id:
        raise ValidationError({"post": "岗位不属于该任务所在项目。"})
    before = task.post_id
    task.post = post
    task.save(update_fields=["post", "updated_at"])
    _event(campaign=task.campaign, project=task.project, task=task, action="assign_post",
           label=f"落实到岗位：{post.name}" if post else "取消岗位", actor=actor)
    audit_record(actor=actor, action="campaign.task_assign_post", obj=task, before={"post_id": before},
                 after={"post_id": task.post_id})
    return task


def check_evidence(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError({"evidence": f"佐证材料“{upload.name}”的类型不支持，仅限图片、PDF、Word、Excel。"})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"evidence": f"佐证材料“{upload.name}”超过10MB。"})


def _apply(task: Task, name: str, *, actor, reason: str = "") -> None:
    """Move a locked task along one declared transition, with its timeline event and audit entry."""
    transition = workflow.find(TASK_TRANSITIONS, name)
    _require(actor, transition.permission, task.org_path, f"无权对该任务执行“{transition.label}”。")
    reason = workflow.begin(transition, noun="任务", status=task.status, status_label=task.get_status_display(),
                            reason=reason)
    before = task.status
    task.status = transition.target
    today = clock.today()
    if name == "start" or (name == "complete" and task.started_on is None):
        task.started_on = task.started_on or today
    if name == "complete":
        task.completed_on = today
        task.percent = 100
    if name == "reopen":
        task.completed_on = None
    task.save()
    _event(campaign=task.campaign, project=task.project, task=task, action=name, label=transition.label, actor=actor,
           reason=reason, from_status=before, to_status=task.status)
    audit_record(actor=actor, action=f"campaign.task_{name}", obj=task, before={"status": before},
                 after={"status": task.status, "reason": reason})


@transaction.atomic
def task_transition(*, actor, task: Task, name: str, reason: str = "") -> Task:
    """Apply one declared transition to a task (start, complete, reopen)."""
    task = Task.objects.select_for_update(of=("self",)).select_related("campaign", "project").get(pk=task.pk)
    _apply(task, name, actor=actor, reason=reason)
    if name == "reopen" and reason:
        task.percent = min(task.percent, 90)
        task.save(update_fields=["percent", "updated_at"])
    return task


@transaction.atomic
def progress_record(*, actor, task: Task, percent: int, text: str, reason: str = "",
                    evidence: UploadedFile | None = None) -> TaskProgress:
    """A progress report: percent never goes back without a reason; 100% completes the task."""
    task = Task.objects.select_for_update(of=("self",)).select_related("campaign", "project").get(pk=task.pk)
    _require(actor, Permission.CAMPAIGN_REPORT, task.org_path, "无权填报该任务的进展。")
    if task.status == TaskStatus.DONE:
        raise ValidationError("任务已完成；如需继续推进，请督查人员先“退回重办”。")
    errors: dict = {}
    _required(errors, text=text)
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = "进度应在0到100之间。"
    reason = (reason or "").strip()
    if percent is not None and percent < task.percent and not reason:
        errors["reason"] = f"进度从{task.percent}%回调到{percent}%，须说明原因。"
    if errors:
        raise ValidationError(errors)
    check_evidence(evidence)
    progress = TaskProgress.objects.create(task=task, percent=percent, previous_percent=task.percent, text=text.strip(),
                                           reason=reason[:255], author=actor, reported_on=clock.today(),
                                           evidence=evidence or "", evidence_name=(evidence.name if evidence else ""))
    before = task.percent
    task.percent = percent
    task.last_progress_at = clock.now()
    task.save(update_fields=["percent", "last_progress_at", "updated_at"])
    _event(campaign=task.campaign, project=task.project, task=task, action="progress",
           label=f"更新进展（{before}%→{percent}%）", actor=actor, reason=reason)
    audit_record(actor=actor, action="campaign.task_progress", obj=task, before={"percent": before},
                 after={"percent": percent, "text": text.strip(), "reason": reason})
    if task.status == TaskStatus.NOT_STARTED and 0 < percent < 100:
        _apply(task, "start", actor=actor)
    if percent == 100:
        _apply(task, "complete", actor=actor)
    return progress


@transaction.atomic
def milestone_done(*, actor, milestone: Milestone, done_on: datetime.date | None = None) -> Milestone:
    milestone = Milestone.objects.select_for_update(of=("self",)).select_related("task", "task__campaign", "task__project").get(
        pk=milestone.pk)
    task = milestone.task
    _require(actor, Permission.CAMPAIGN_REPORT, task.org_path, "无权填报该任务的节点。")
    done_on = done_on or clock.today()
    if done_on > clock.today():
        raise ValidationError({"done_on": "完成时间不能晚于今天。"})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _event(campaign=task.campaign, project=task.project, task=task, action="milestone",
           label=f"完成节点：{milestone.name}", actor=actor)
    audit_record(actor=actor, action="campaign.milestone_done", obj=task,
                 after={"milestone": milestone.name, "done_on": done_on.isoformat()})
    return milestone


# --- project HQ and its temporary branch ---------------------------------------------------------


@transaction.atomic
def project_hq_create(*, actor, project: Project, hq_name: str, branch_name: str, parent: Org | None = None) -> Project:
    """项目指挥部 + 临时党支部: the branch is a temporary org (orgs services) that ends with the project."""
    project = Project.objects.select_for_update(of=("self",)).select_related("campaign", "org").get(pk=project.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, project.org_path, "无权为该项目建立指挥部。")
    parent = parent or project.org
    if not parent.path.startswith(project.campaign.org_path):
        raise ValidationError({"parent": "临时党支部的上级组织应在专项行动牵头单位的范围内。"})
    if project.hq_branch_id:
        raise ValidationError("该项目已建立临时党支部。")
    errors: dict = {}
    if not hq_name.strip():
        errors["hq_name"] = "请填写项目指挥部名称。"
    if not branch_name.strip():
        errors["branch_name"] = "请填写临时党支部名称。"
    if errors:
        raise ValidationError(errors)
    level = Level.BRANCH if parent.level != Level.GROUP else Level.GROUP
    branch = org_services.org_create(actor=actor, parent=parent, name=branch_name.strip(), level=level, temporary=True,
                                     end_date=project.planned_end, address=project.site)
    project.hq_name = hq_name.strip()
    project.hq_branch = branch
    project.save(update_fields=["hq_name", "hq_branch", "updated_at"])
    _event(campaign=project.campaign, project=project, action="hq_create", label="建立项目指挥部和临时党支部",
           actor=actor)
    audit_record(actor=actor, action="campaign.hq_create", obj=project,
                 after={"hq_name": project.hq_name, "hq_branch_id": branch.pk, "end_date": str(branch.end_date)})
    return project


@transaction.atomic
def hq_member_add(*, actor, project: Project, member: Member, duty: str = "") -> HQMembership:
    """Second a member (from any org the actor may see members of) to the project's temporary branch."""
    project = Project.objects.select_for_update(of=("self",)).select_related("campaign", "hq_branch").get(pk=project.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, project.org_path, "无权调整该项目临时党支部的党员。")
    if not can(actor, Permission.MEMBER_VIEW, path=member.org_path):
        raise PermissionDenied("无权选派该党员。")
    if project.hq_branch is None:
        raise ValidationError("该项目还没有临时党支部。")
    if not project.hq_branch.is_active:
        raise ValidationError("临时党支部已撤销。")
    if HQMembership.objects.filter(project=project, member=member).exists():
        raise ValidationError({"member": f"{member.name}已在临时党支部中。"})
    branch = project.hq_branch
    membership = HQMembership.objects.create(project=project, member=member, home_org_id=member.org_id, duty=duty.strip(),
                                             org=branch, org_path=branch.path)
    _event(campaign=project.campaign, project=project, action="hq_member", label=f"选派党员：{member.name}", actor=actor)
    audit_record(actor=actor, action="campaign.hq_member_add", obj=project,
                 after={"member_id": member.pk, "home_org_id": member.org_id, "duty": duty.strip()})
    return membership


@transaction.atomic
def project_hq_dissolve(*, actor, project: Project) -> Project:
    """撤销临时党支部: the branch is marked inactive and its end date set to today (members never moved)."""
    project = Project.objects.select_for_update(of=("self",)).select_related("campaign", "hq_branch").get(pk=project.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, project.org_path, "无权撤销该项目的临时党支部。")
    branch = project.hq_branch
    if branch is None or not branch.is_active:
        raise ValidationError("该项目没有需要撤销的临时党支部。")
    org_services.org_update(actor=actor, org=branch, is_active=False, end_date=min(branch.end_date, clock.today()))
    _event(campaign=project.campaign, project=project, action="hq_dissolve", label="撤销临时党支部", actor=actor)
    audit_record(actor=actor, action="campaign.hq_dissolve", obj=project, after={"hq_branch_id": branch.pk})
    return project


# --- posts and scores --------------------------------------------------------------------------


@transaction.atomic
def post_create(*, actor, project: Project, name: str, duties: str, holder_name: str,
                holder: Member | None = None) -> Post:
    project = Project.objects.select_related("campaign").get(pk=project.pk)
    _require(actor, Permission.CAMPAIGN_EDIT, project.org_path, "无权为该项目设岗。")
    errors: dict = {}
    _required(errors, name=name, duties=duties, holder_name=holder_name)
    if "name" not in errors and Post.objects.filter(project=project, name=name.strip()).exists():
        errors["name"] = f"项目中已有岗位“{name.strip()}”。"
    if errors:
        raise ValidationError(errors)
    post = Post.objects.create(project=project, org_id=project.org_id, org_path=project.org_path, name=name.strip(),
                               duties=duties.strip(), holder_name=holder_name.strip(), holder=holder)
    _event(campaign=project.campaign, project=project, action="post_create", label=f"设岗：{post.name}", actor=actor)
    audit_record(actor=actor, action="campaign.post_create", obj=post,
                 after={"name": post.name, "holder_name": post.holder_name, "project_id": project.pk})
    return post


@transaction.atomic
def score_mark_add(*, actor, post: Post, month: datetime.date, points: int, reason: str) -> ScoreMark:
    """A manual mark on a post for a month (加分/减分), always with a reason; supervisors give it."""
    post = Post.objects.select_related("project", "project__campaign").get(pk=post.pk)
    _require(actor, Permission.CAMPAIGN_SUPERVISE, post.org_path, "无权为该岗位评分。")
    errors: dict = {}
    if points is None or points == 0 or not -MARK_LIMIT <= points <= MARK_LIMIT:
        errors["points"] = f"加减分应在-{MARK_LIMIT}到{MARK_LIMIT}分之间，且不为0。"
    if not (reason or "").strip():
        errors["reason"] = "加减分须说明理由。"
    if month is None:
        errors["month"] = "请选择考核月份。"
    if errors:
        raise ValidationError(errors)
    mark = ScoreMark.objects.create(post=post, org_id=post.org_id, org_path=post.org_path, month=month.replace(day=1),
                                    points=points, reason=reason.strip()[:255], actor=actor)
    _event(campaign=post.project.campaign, project=post.project, action="score_mark",
           label=f"{post.name}{'加' if points > 0 else '减'}{abs(points)}分", actor=actor, reason=reason.strip())
    audit_record(actor=actor, action="campaign.score_mark", obj=post,
                 after={"month": month.replace(day=1).isoformat(), "points": points, "reason": reason.strip()})
    return mark


@transaction.atomic
def record_import(*, actor, campaign: Campaign, projects: int, tasks: int) -> None:
    """The roadmap import's own timeline event and audit entry (each row was written by the services above)."""
    _event(campaign=campaign, action="import", label=f"导入路线图：{projects}个项目、{tasks}项任务", actor=actor)
    audit_record(actor=actor, action="campaign.import", obj=campaign, after={"projects": projects, "tasks": tasks})

"""Writes for needs, claims, dual reports and service records. Each is atomic and leaves an audit entry.

A need's places are guarded by the database: a claim takes a place only through one conditional
UPDATE (`claimed_count < claimants_needed`, F() + 1) on the need's row, which it holds locked, and a
check constraint refuses a count above the places. Two members pressing 认领 together on a
one-person need: one UPDATE changes the row, the other changes nothing and is told so.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.orgs.models import Level, Member, Org
from yuntu.voices.services import check_photos, check_point

from .models import (
    CLAIMANTS_MAX,
    TEXT_MAX,
    Claim,
    ClaimEvent,
    ClaimPhoto,
    DualReport,
    Need,
    NeedCategory,
    NeedKind,
    NeedPhoto,
    Pledge,
    ReportKind,
    ServiceKind,
    ServiceRecord,
)
from .workflow import CLAIM_TRANSITIONS, CLAIMANT, ClaimStatus, NeedStatus

DEADLINE_MAX_DAYS = 366
HOURS_MAX = Decimal("24")


def member_of(user) -> Member | None:
    """The active member record of a signed-in user, if they are a party member."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, is_active=True).select_related("org").first()


def check_hours(value) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError) as error:
        raise ValidationError({"hours": "请填写服务时长（小时），如 2 或 1.5。"}) from error
    if not Decimal("0") < hours <= HOURS_MAX:
        raise ValidationError({"hours": "服务时长应大于0且不超过24小时。"})
    return hours


def _claim_event(claim: Claim, *, action: str, label: str, actor, text: str = "") -> None:
    ClaimEvent.objects.create(claim=claim, action=action, label=label, actor=actor, text=text)


# ---- needs ------------------------------------------------------------------------------------


@transaction.atomic
def need_post(*, actor, org: Org, category: str, title: str, description: str, address: str, deadline: datetime.date,
              claimants_needed: int = 1, kind: str = NeedKind.WISH, latitude=None, longitude=None,
              photos: list | None = None) -> Need:
    """发布: a community or branch posts a need for members to claim."""
    if not can(actor, Permission.CLAIMS_POST, org):
        raise PermissionDenied("无权以该组织名义发布群众需求。")
    if org.level not in (Level.COMMUNITY, Level.BRANCH, Level.STREET):
        raise ValidationError({"org": "群众需求应由社区（村）或党支部发布。"})
    errors = {}
    title, description, address = (title or "").strip(), (description or "").strip(), (address or "").strip()
    if not title:
        errors["title"] = "请填写需求标题。"
    elif len(title) > 64:
        errors["title"] = "需求标题不能超过64字。"
    if not description:
        errors["description"] = "请填写需求说明。"
    elif len(description) > TEXT_MAX:
        errors["description"] = f"需求说明不能超过{TEXT_MAX}字（当前{len(description)}字）。"
    if not address:
        errors["address"] = "请填写服务地点。"
    if category not in NeedCategory.values:
        errors["category"] = "请选择需求类别。"
    if kind not in NeedKind.values:
        errors["kind"] = "请选择微心愿或群众需求。"
    today = clock.today()
    if deadline is None:
        errors["deadline"] = "请填写截止日期。"
    elif deadline < today:
        errors["deadline"] = "截止日期不能早于今天。"
    elif deadline > today + datetime.timedelta(days=DEADLINE_MAX_DAYS):
        errors["deadline"] = "截止日期不能超过一年。"
    if not isinstance(claimants_needed, int) or not 1 <= claimants_needed <= CLAIMANTS_MAX:
        errors["claimants_needed"] = f"需认领人数应为1至{CLAIMANTS_MAX}人。"
    if errors:
        raise ValidationError(errors)
    lat, lon = check_point(latitude, longitude)
    check_photos(photos or [])
    need = Need.objects.create(org=org, org_path=org.path, kind=kind, category=category, title=title,
                               description=description, address=address, latitude=lat, longitude=lon,
                               claimants_needed=claimants_needed, deadline=deadline, posted_at=clock.now(),
                               posted_by=actor)
    for photo in photos or []:
        NeedPhoto.objects.create(need=need, file=photo, size=photo.size)
    audit_record(actor=actor, action="need.post", obj=need,
                 after={"title": title, "claimants_needed": claimants_needed, "deadline": deadline})
    return need


@transaction.atomic
def need_withdraw(*, actor, need: Need, reason: str) -> Need:
    """撤回: the poster takes a need down while no claim has reported work on it; live claims are released."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not can(actor, Permission.CLAIMS_POST, path=need.org_path):
        raise PermissionDenied("无权撤回该需求。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤回需求须说明原因。"})
    if need.status not in (NeedStatus.OPEN, NeedStatus.FULL):
        raise ValidationError(f"需求当前为“{need.get_status_display()}”，不能撤回。")
    if need.claims.filter(status__in=(ClaimStatus.REPORTED, ClaimStatus.CONFIRMED)).exists():
        raise ValidationError("已有认领人提交完成情况，不能撤回该需求。")
    for claim in need.claims.filter(status=ClaimStatus.CLAIMED):
        claim.status = ClaimStatus.WITHDRAWN
        claim.save(update_fields=["status", "updated_at"])
        _claim_event(claim, action="need_withdrawn", label="需求已撤回", actor=actor, text=reason)
    before = need.status
    need.status, need.claimed_count = NeedStatus.WITHDRAWN, 0
    need.save(update_fields=["status", "claimed_count", "updated_at"])
    audit_record(actor=actor, action="need.withdraw", obj=need, before={"status": before},
                 after={"status": need.status, "reason": reason})
    return need


def _refuse_closed(*, status: str, status_label: str, places_left: int, deadline: datetime.date) -> None:
    if status == NeedStatus.FULL or (status == NeedStatus.OPEN and places_left <= 0):
        raise ValidationError("该需求已被认领，名额已满。")
    if status != NeedStatus.OPEN:
        raise ValidationError(f"该需求当前为“{status_label}”，不能认领。")
    if deadline < clock.today():
        raise ValidationError("该需求已过截止日期，不能认领。")


def need_claim(*, actor, need: Need, branch: Org | None = None) -> Claim:
    """认领: the acting member (or, with `branch`, the branch through its secretary) takes one place of a need.

    A need already taken is refused from a plain read, without waiting for the write lock: under
    contention most presses are late ones. The locked path below decides every other case.
    """
    current = Need.objects.filter(pk=need.pk).values("status", "claimed_count", "claimants_needed", "deadline").first()
    if current is None:
        raise ValidationError("该需求不存在。")
    _refuse_closed(status=current["status"], status_label=NeedStatus(current["status"]).label,
                   places_left=current["claimants_needed"] - current["claimed_count"], deadline=current["deadline"])
    return _need_claim_locked(actor=actor, need=need, branch=branch)


@transaction.atomic
def _need_claim_locked(*, actor, need: Need, branch: Org | None) -> Claim:
    if branch is not None:
        if not can(actor, Permission.CLAIMS_BRANCH, branch) or branch.level != Level.BRANCH:
            raise PermissionDenied("无权以该党支部名义认领。")
        member, claimant_path = None, branch.path
    else:
        member = member_of(actor)
        if member is None:
            raise PermissionDenied("只有党员可以认领群众需求，请先绑定党员档案。")
        claimant_path = member.org_path
    need = Need.objects.select_for_update().get(pk=need.pk)
    _refuse_closed(status=need.status, status_label=need.get_status_display(), places_left=need.places_left,
                   deadline=need.deadline)
    live = need.claims.exclude(status=ClaimStatus.WITHDRAWN)
    if member is not None and live.filter(member=member).exists():
        raise ValidationError("您已认领过该需求。")
    if branch is not None and live.filter(branch=branch).exists():
        raise ValidationError("本支部已认领过该需求。")
    now = clock.now()
    taken = Need.objects.filter(pk=need.pk, status=NeedStatus.OPEN, claimed_count__lt=F("claimants_needed")).update(
        claimed_count=F("claimed_count") + 1,
        status=Case(When(claimed_count__gte=F("claimants_needed") - 1, then=Value(NeedStatus.FULL)),
                    default=F("status")),
        first_claimed_at=Case(When(first_claimed_at__isnull=True, then=Value(now)), default=F("first_claimed_at")),
        updated_at=now,
    )
    if taken != 1:
        raise ValidationError("该需求已被认领，名额已满。")
    try:
        with transaction.atomic():
            claim = Claim.objects.create(need=need, org=need.org, org_path=need.org_path, member=member, branch=branch,
                                         claimant_path=claimant_path, claimed_at=now, claimed_by=actor)
    except IntegrityError as error:
        raise ValidationError("您已认领过该需求。") from error
    _claim_event(claim, action="claim", label="认领", actor=actor)
    audit_record(actor=actor, action="need.claim", obj=claim, after={"need": need.pk, "member": getattr(member, "pk", None),
                                                                    "branch": getattr(branch, "pk", None)})
    return claim


def _is_claimant(actor, claim: Claim) -> bool:
    if claim.member_id:
        return claim.member.user_id is not None and claim.member.user_id == getattr(actor, "pk", None)
    return can(actor, Permission.CLAIMS_BRANCH, path=claim.claimant_path)


@transaction.atomic
def claim_transition(*, actor, claim: Claim, name: str, proof_text: str = "", hours=None, photos: list | None = None,
                     reason: str = "", pledge: Pledge | None = None) -> Claim:
    """提交完成情况 (proof: text, photos, hours) / 放弃认领 by the claimant; 确认完成 / 退回补充 by the need's org."""
    transition = workflow.find(CLAIM_TRANSITIONS, name)
    claim = Claim.objects.select_for_update(of=("self",)).select_related("need", "member", "branch").get(pk=claim.pk)
    if transition.permission == CLAIMANT:
        if not _is_claimant(actor, claim):
            raise PermissionDenied("只有认领人本人可以提交或放弃认领。")
    elif not can(actor, transition.permission, path=claim.org_path):
        raise PermissionDenied(f"无权对该认领执行“{transition.label}”。")
    reason = workflow.begin(transition, noun="认领", status=claim.status, status_label=claim.get_status_display(),
                            reason=reason)
    need = Need.objects.select_for_update().get(pk=claim.need_id)
    now = clock.now()
    before = claim.status
    text = reason
    if name == "report":
        proof_text = (proof_text or "").strip()
        errors = {}
        if not proof_text:
            errors["proof_text"] = "请填写完成情况。"
        elif len(proof_text) > TEXT_MAX:
            errors["proof_text"] = f"完成情况不能超过{TEXT_MAX}字。"
        if not photos and not claim.photos.exists():
            errors["photos"] = "请上传至少一张完成照片。"
        if errors:
            raise ValidationError(errors)
        claim.hours = check_hours(hours)
        check_photos(photos or [])
        if pledge is not None and (claim.member_id is None or pledge.member_id != claim.member_id):
            raise ValidationError({"pledge": "只能计入本人的承诺事项。"})
        claim.proof_text, claim.reported_at, claim.return_reason, claim.pledge = proof_text, now, "", pledge
        for photo in photos or []:
            ClaimPhoto.objects.create(claim=claim, file=photo, size=photo.size)
        text = proof_text
    elif name == "withdraw":
        Need.objects.filter(pk=need.pk, claimed_count__gt=0).update(
            claimed_count=F("claimed_count") - 1,
            status=Case(When(status=NeedStatus.FULL, then=Value(NeedStatus.OPEN)), default=F("status")), updated_at=now)
    elif name == "return":
        claim.return_reason = reason[:255]
    claim.status = transition.target
    claim.save()
    if name == "confirm":
        claim.confirmed_at, claim.confirmed_by = now, actor
        claim.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
        _credit_hours(actor=actor, claim=claim)
        need.refresh_from_db()
        unfinished = need.claims.filter(status__in=(ClaimStatus.CLAIMED, ClaimStatus.REPORTED)).exists()
        if need.claimed_count >= need.claimants_needed and not unfinished:
            need.status, need.completed_at = NeedStatus.DONE, now
            need.save(update_fields=["status", "completed_at", "updated_at"])
    _claim_event(claim, action=name, label=transition.label, actor=actor, text=text)
    audit_record(actor=actor, action=f"claim.{name}", obj=claim, before={"status": before},
                 after={"status": claim.status, "hours": claim.hours, "reason": reason})
    return claim


def _credit_hours(*, actor, claim: Claim) -> ServiceRecord:
    """Volunteer hours of a confirmed claim: one service record in the need's community."""
    return ServiceRecord.objects.create(
        org=claim.org, org_path=claim.org_path, kind=ServiceKind.NEED, member=claim.member, branch=claim.branch,
        server_path=claim.claimant_path, title=f"认领：{claim.need.title}"[:128],
        served_on=timezone.localtime(claim.reported_at).date() if claim.reported_at else clock.today(), hours=claim.hours,
        claim=claim, pledge=claim.pledge, recorded_by=actor)


# ---- dual reporting ---------------------------------------------------------------------------


def _check_community(community: Org) -> None:
    if community is None or community.level != Level.COMMUNITY or not community.is_active:
        raise ValidationError({"community": "请选择报到的社区（村）。"})


@transaction.atomic
def member_report(*, actor, community: Org, home_address: str, member: Member | None = None) -> DualReport:
    """在职党员报到: a member registers with the community where they live (themselves, or by community staff)."""
    own = member_of(actor)
    member = member or own
    if member is None:
        raise PermissionDenied("只有党员可以报到，请先绑定党员档案。")
    if (own is None or own.pk != member.pk) and not can(actor, Permission.CLAIMS_REPORT, community):
        raise PermissionDenied("无权为该党员登记报到。")
    _check_community(community)
    home_address = (home_address or "").strip()
    if not home_address:
        raise ValidationError({"home_address": "请填写居住地址。"})
    today = clock.today()
    current = DualReport.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if current is not None and current.org_id == community.pk:
        raise ValidationError("您已在该社区报到。")
    if current is not None:  # moving house: the old report ends today
        current.ended_on = today
        current.save(update_fields=["ended_on", "updated_at"])
    try:
        with transaction.atomic():
            report = DualReport.objects.create(org=community, org_path=community.path, kind=ReportKind.MEMBER,
                                               member=member, reporter_path=member.org_path, home_address=home_address,
                                               reported_on=today, registered_by=actor)
    except IntegrityError as error:
        raise ValidationError("该党员已在一个社区报到。") from error
    Member.objects.filter(pk=member.pk).update(reporting_community=community, home_address=home_address[:255],
                                               in_service=True)
    audit_record(actor=actor, action="dual_report.member", obj=report, before={"community": getattr(current, "org_id", None)},
                 after={"community": community.pk, "member": member.pk})
    return report


@transaction.atomic
def branch_report(*, actor, branch: Org, community: Org) -> DualReport:
    """单位报到: an agency's branch registers with a community it serves (by its secretary or the community)."""
    if not (can(actor, Permission.CLAIMS_BRANCH, branch) or can(actor, Permission.CLAIMS_REPORT, community)):
        raise PermissionDenied("无权登记该党组织的报到。")
    _check_community(community)
    if branch.level != Level.BRANCH:
        raise ValidationError({"branch": "报到的应是党支部。"})
    if DualReport.objects.filter(branch=branch, org=community, ended_on__isnull=True).exists():
        raise ValidationError("该党组织已向这个社区报到。")
    try:
        with transaction.atomic():
            report = DualReport.objects.create(org=community, org_path=community.path, kind=ReportKind.BRANCH,
                                               branch=branch, reporter_path=branch.path, reported_on=clock.today(),
                                               registered_by=actor)
    except IntegrityError as error:
        raise ValidationError("该党组织已向这个社区报到。") from error
    audit_record(actor=actor, action="dual_report.branch", obj=report, after={"community": community.pk,
                                                                               "branch": branch.pk})
    return report


@transaction.atomic
def service_record(*, actor, community: Org, title: str, served_on: datetime.date, hours, kind: str = ServiceKind.COMMUNITY,
                   member: Member | None = None, branch: Org | None = None) -> ServiceRecord:
    """The community records a service a reported member or branch did there, and how long it took."""
    if not can(actor, Permission.CLAIMS_REPORT, community):
        raise PermissionDenied("无权为该社区登记服务记录。")
    if kind not in (ServiceKind.COMMUNITY, ServiceKind.VOLUNTEER):
        raise ValidationError({"kind": "请选择服务类型。"})
    if (member is None) == (branch is None):
        raise ValidationError({"member": "请选择一名报到党员或一个报到党组织。"})
    reported = DualReport.objects.filter(org=community, ended_on__isnull=True)
    if member is not None and not reported.filter(member=member).exists():
        raise ValidationError({"member": f"{member.name}未在本社区报到。"})
    if branch is not None and not reported.filter(branch=branch).exists():
        raise ValidationError({"branch": f"{branch.name}未在本社区报到。"})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写服务内容。"})
    if served_on is None or served_on > clock.today():
        raise ValidationError({"served_on": "服务日期不能晚于今天。"})
    record = ServiceRecord.objects.create(
        org=community, org_path=community.path, kind=kind, member=member, branch=branch,
        server_path=member.org_path if member is not None else branch.path, title=title[:128], served_on=served_on,
        hours=check_hours(hours), recorded_by=actor)
    audit_record(actor=actor, action="service.record", obj=record, after={"kind": kind, "hours": record.hours})
    return record


@transaction.atomic
def pledge_add(*, actor, title: str, year: int | None = None) -> Pledge:
    """A member declares one of their own items (X) for the year."""
    member = member_of(actor)
    if member is None:
        raise PermissionDenied("只有党员可以登记承诺事项。")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写承诺事项。"})
    if len(title) > 128:
        raise ValidationError({"title": "承诺事项不能超过128字。"})
    year = year or clock.today().year
    if Pledge.objects.filter(member=member, year=year, title=title).exists():
        raise ValidationError({"title": "该承诺事项已登记。"})
    pledge = Pledge.objects.create(member=member, year=year, title=title)
    audit_record(actor=actor, action="pledge.add", obj=pledge, org=member.org, after={"title": title, "year": year})
    return pledge

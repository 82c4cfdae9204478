"""Writes to the organisation tree and its members. Each is atomic and leaves an audit entry."""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from yuntu.accounts.audit import audit_record, snapshot
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import chinese, clock, crypto

from . import signals
from .models import Level, Member, MemberStatus, Org, OrgMemberCount, OrgScopedModel, Transfer

ORG_AUDIT_FIELDS = ["name", "short_name", "level", "kind", "sector", "division_code", "temporary", "end_date", "address", "is_active"]
MEMBER_AUDIT_FIELDS = ["name", "gender", "org_id", "status", "joined_on", "probation_end", "floating", "in_service",
                       "employer", "id_number_masked", "mobile_masked", "is_active"]
LEVEL_ORDER = [Level.DISTRICT, Level.STREET, Level.COMMUNITY, Level.BRANCH, Level.GROUP]


def _require(user, permission: str, *, path: str, message: str) -> None:
    if user is not None and not can(user, permission, path=path):
        raise PermissionDenied(message)


def _check_org_fields(*, parent: Org | None, level: str, temporary: bool, end_date, division_code: str) -> None:
    errors = {}
    if parent is not None and LEVEL_ORDER.index(level) < LEVEL_ORDER.index(parent.level):
        errors["level"] = f"下级组织的层级不能高于上级组织（上级为{parent.get_level_display()}）。"
    if temporary and end_date is None:
        errors["end_date"] = "临时党组织必须填写撤销日期。"
    if division_code and (not division_code.isdigit() or len(division_code) not in (6, 9, 12)):
        errors["division_code"] = "行政区划代码应为6位（区县）、9位（街道乡镇）或12位数字。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def org_create(*, actor, parent: Org | None, name: str, level: str, kind: str = "standard", sector: str = "",
               division_code: str = "", temporary: bool = False, end_date: datetime.date | None = None,
               short_name: str = "", address: str = "") -> Org:
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied("只有系统超级管理员可以创建根组织。")
    else:
        _require(actor, Permission.ORG_CHANGE, path=parent.path, message="无权在该组织下新建组织。")
    _check_org_fields(parent=parent, level=level, temporary=temporary, end_date=end_date, division_code=division_code)
    fields = dict(name=name.strip(), short_name=short_name, level=level, kind=kind, sector=sector,
                  division_code=division_code, temporary=temporary, end_date=end_date, address=address,
                  search_text=chinese.search_text(name, short_name))
    if parent is None:
        org = Org.objects.add_root(fields)
    else:
        org = Org.objects.add_child(Org.objects.get(pk=parent.pk), fields)
    OrgMemberCount.objects.create(org=org, org_path=org.path)
    audit_record(actor=actor, action="org.create", obj=org, after=snapshot(org, ORG_AUDIT_FIELDS))
    return org


@transaction.atomic
def org_update(*, actor, org: Org, **changes) -> Org:
    _require(actor, Permission.ORG_CHANGE, path=org.path, message="无权修改该组织。")
    org = Org.objects.select_for_update().get(pk=org.pk)
    before = snapshot(org, ORG_AUDIT_FIELDS)
    allowed = set(ORG_AUDIT_FIELDS) | {"latitude", "longitude"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(org, field, value)
    parent = Org.objects.get_parent(org)
    _check_org_fields(parent=parent, level=org.level, temporary=org.temporary, end_date=org.end_date,
                      division_code=org.division_code)
    org.search_text = chinese.search_text(org.name, org.short_name)
    org.save()
    audit_record(actor=actor, action="org.update", obj=org, before=before, after=snapshot(org, ORG_AUDIT_FIELDS))
    return org


def governed_models() -> list[type]:
    """Every model that copies an org path: they all move with their org."""
    found = [model for model in apps.get_models() if issubclass(model, OrgScopedModel)]
    from yuntu.accounts.models import RoleGrant

    return [*found, RoleGrant, OrgMemberCount]


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org) -> Org:
    """Move a subtree under another parent, rewriting the copied paths of every governed record.

    The whole tree is locked (its root row) for the move, so two moves cannot interleave.
    """
    _require(actor, Permission.ORG_CHANGE, path=org.path, message="无权移动该组织。")
    _require(actor, Permission.ORG_CHANGE, path=new_parent.path, message="无权把组织移入目标组织。")
    roots = list(Org.objects.get_root_nodes().select_for_update().order_by("path"))
    org = Org.objects.get(pk=org.pk)
    new_parent = Org.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise ValidationError("不能把组织移动到它自己或它的下级组织之下。")
    if org.depth == 1:
        raise ValidationError("根组织不能移动。")
    if LEVEL_ORDER.index(org.level) < LEVEL_ORDER.index(new_parent.level):
        raise ValidationError("不能把组织移动到层级更低的组织之下。")
    old_path = org.path
    before = {"parent_id": Org.objects.get_parent(org).pk, "path": old_path}
    Org.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    new_path = org.path
    for model in governed_models():
        # A model may copy a second path (e.g. a claim's claimant): it names it in `copied_path_fields`.
        for field in ("org_path", *getattr(model, "copied_path_fields", ())):
            model._default_manager.filter(**{f"{field}__under": old_path}).update(
                **{field: Concat(Value(new_path), Substr(F(field), len(old_path) + 1))}
            )
    del roots
    signals.subtree_moved.send(sender=Org, org=org, old_path=old_path, new_path=new_path)
    audit_record(actor=actor, action="org.move", obj=org, before=before, after={"parent_id": new_parent.pk, "path": new_path})
    return org


@dataclass
class PersonalData:
    id_number: str
    mobile: str = ""


def _set_personal_data(member: Member, personal: PersonalData) -> None:
    id_number = chinese.validate_id_number(personal.id_number)
    member.id_number_encrypted = crypto.encrypt(id_number)
    member.id_number_digest = crypto.digest(id_number)
    member.id_number_masked = chinese.mask_id_number(id_number)
    if not member.birth_date:
        member.birth_date = chinese.birth_date_from_id_number(id_number)
    if not member.gender:
        member.gender = chinese.gender_from_id_number(id_number)
    if personal.mobile:
        mobile = chinese.validate_mobile(personal.mobile)
        member.mobile_encrypted = crypto.encrypt(mobile)
        member.mobile_digest = crypto.digest(mobile)
        member.mobile_masked = chinese.mask_mobile(mobile)


def _count_delta(org_id: int, status: str, delta: int) -> None:
    column = "full" if status == MemberStatus.FULL else "probationary"
    OrgMemberCount.objects.filter(org_id=org_id).update(**{column: F(column) + delta})


def check_member_fields(member: Member) -> None:
    errors = {}
    if member.status == MemberStatus.PROBATIONARY and member.probation_end is None:
        errors["probation_end"] = "预备党员必须填写预备期满日期。"
    if member.org.level not in (Level.BRANCH, Level.GROUP, Level.COMMUNITY):
        errors["org"] = "党员应编入党支部（党小组）或党总支。"
    if not member.name.strip():
        errors["name"] = "请填写姓名。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_create(*, actor, org: Org, name: str, personal: PersonalData, status: str = MemberStatus.FULL,
                  joined_on=None, probation_end=None, floating: bool = False, floating_location: str = "",
                  in_service: bool = False, employer: str = "", reporting_community: Org | None = None,
                  home_address: str = "") -> Member:
    _require(actor, Permission.MEMBER_CHANGE, path=org.path, message="无权在该组织下登记党员。")
    member = Member(org=org, org_path=org.path, name=name.strip(), status=status, joined_on=joined_on,
                    probation_end=probation_end, floating=floating, floating_location=floating_location,
                    in_service=in_service, employer=employer, reporting_community=reporting_community,
                    home_address=home_address, search_text=chinese.search_text(name))
    _set_personal_data(member, personal)
    check_member_fields(member)
    if Member.objects.filter(id_number_digest=member.id_number_digest).exists():
        raise ValidationError({"id_number": "该身份证号码已登记为党员。"})
    member.save()
    _count_delta(org.pk, status, +1)
    audit_record(actor=actor, action="member.create", obj=member, after=snapshot(member, MEMBER_AUDIT_FIELDS))
    return member


MEMBER_EDITABLE = {"name", "status", "joined_on", "probation_end", "floating", "floating_location", "in_service",
                   "employer", "reporting_community", "home_address"}


@transaction.atomic
def member_update(*, actor, member: Member, personal: PersonalData | None = None, **changes) -> Member:
    _require(actor, Permission.MEMBER_CHANGE, path=member.org_path, message="无权修改该党员信息。")
    member = Member.objects.select_for_update().get(pk=member.pk)
    unknown = set(changes) - MEMBER_EDITABLE
    if unknown:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(unknown))}")
    before = snapshot(member, MEMBER_AUDIT_FIELDS)
    for field, value in changes.items():
        setattr(member, field, value)
    if personal is not None:
        _set_personal_data(member, personal)
        if Member.objects.filter(id_number_digest=member.id_number_digest).exclude(pk=member.pk).exists():
            raise ValidationError({"id_number": "该身份证号码已登记为党员。"})
    check_member_fields(member)
    member.search_text = chinese.search_text(member.name)
    member.save()
    if before["status"] != member.status:
        _count_delta(member.org_id, before["status"], -1)
        _count_delta(member.org_id, member.status, +1)
    audit_record(actor=actor, action="member.update", obj=member, before=before, after=snapshot(member, MEMBER_AUDIT_FIELDS))
    return member


@transaction.atomic
def member_transfer(*, actor, member: Member, to_org: Org, reason: str = "", transferred_on=None) -> Transfer:
    """Move a member's record to another org; both ends must be in the actor's scope."""
    _require(actor, Permission.MEMBER_CHANGE, path=member.org_path, message="无权转出该党员。")
    _require(actor, Permission.MEMBER_CHANGE, path=to_org.path, message="无权转入目标组织。")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.org_id == to_org.pk:
        raise ValidationError({"to_org": "转入组织与当前组织相同。"})
    from_org = member.org
    member.org = to_org
    check_member_fields(member)
    member.org_path = to_org.path
    member.save(update_fields=["org", "org_path", "updated_at"])
    _count_delta(from_org.pk, member.status, -1)
    _count_delta(to_org.pk, member.status, +1)
    transfer = Transfer.objects.create(member=member, org=to_org, org_path=to_org.path, from_org=from_org,
                                       from_path=from_org.path, transferred_on=transferred_on or clock.today(),
                                       reason=reason, actor=actor)
    audit_record(actor=actor, action="member.transfer", obj=member, org=to_org,
                 before={"org_id": from_org.pk, "org": from_org.name}, after={"org_id": to_org.pk, "org": to_org.name})
    return transfer


def member_personal_data(*, actor, member: Member) -> PersonalData:
    """Decrypt a member's personal data for a role allowed to see it; the reading itself is audited."""
    if not can(actor, Permission.PERSONAL_DATA_VIEW, path=member.org_path):
        raise PermissionDenied("无权查看完整个人信息。")
    with transaction.atomic():
        audit_record(actor=actor, action="member.personal_data_view", obj=member)
    return PersonalData(id_number=crypto.decrypt(member.id_number_encrypted), mobile=crypto.decrypt(member.mobile_encrypted))


def member_counts_rebuild() -> int:
    """Recompute the member roll-up from the records (a grouped query per status)."""
    from django.db.models import Count, Q

    with transaction.atomic():
        OrgMemberCount.objects.all().delete()
        counts = {
            row["org_id"]: row
            for row in Member.objects.filter(is_active=True).values("org_id").annotate(
                full=Count("id", filter=Q(status=MemberStatus.FULL)),
                probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
            )
        }
        rows = []
        for org_id, path in Org.objects.values_list("id", "path").iterator(chunk_size=5000):
            row = counts.get(org_id, {})
            rows.append(OrgMemberCount(org_id=org_id, org_path=path, full=row.get("full", 0),
                                       probationary=row.get("probationary", 0)))
        OrgMemberCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)

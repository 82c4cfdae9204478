"""Writes of organisational life: each action is atomic and leaves a timeline event and an audit entry."""

import datetime
import os
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record, snapshot
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.orgs.models import Level, Member, Org

from .models import Attendance, Dues, DuesBracket, Meeting, MeetingEvent, MeetingPhoto, Officer
from .workflow import MEETING_TRANSITIONS, AttendanceStatus, MeetingKind, MeetingStatus, SignInMethod

MEETING_FIELDS = ["kind", "title", "topics", "starts_at", "place", "status", "held_on", "org_id"]
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MEETING_LEVELS = (Level.BRANCH, Level.GROUP, Level.COMMUNITY)


def _require(actor, org_path: str, message: str, permission: str = Permission.ORGLIFE_EDIT) -> None:
    if not can(actor, permission, path=org_path):
        raise PermissionDenied(message)


def _event(meeting: Meeting, action: str, label: str, actor) -> None:
    MeetingEvent.objects.create(meeting=meeting, action=action, label=label, actor=actor)


def expected_members(meeting: Meeting):
    """The members expected at a meeting: the active members of its org and the groups under it."""
    return Member.objects.filter(org_path__under=meeting.org_path, is_active=True)


def _check_meeting(*, org: Org, kind: str, title: str, starts_at: datetime.datetime | None) -> None:
    errors = {}
    if kind not in MeetingKind.values:
        errors["kind"] = "请选择会议类型。"
    if not (title or "").strip():
        errors["title"] = "请填写会议名称。"
    if starts_at is None:
        errors["starts_at"] = "请填写会议时间。"
    if org.level not in MEETING_LEVELS:
        errors["org"] = "会议应由党支部、党小组或社区（村）党组织召开。"
    elif kind == MeetingKind.GROUP and org.level != Level.GROUP:
        errors["kind"] = "党小组会应由党小组召开。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_plan(*, actor, org: Org, kind: str, title: str, starts_at: datetime.datetime, place: str = "",
                 topics: str = "", notify: bool = True) -> Meeting:
    """Plan a meeting and, after commit, tell its members when and where (through `yuntu.core.senders`)."""
    _require(actor, org.path, "无权为该组织安排会议。")
    _check_meeting(org=org, kind=kind, title=title, starts_at=starts_at)
    meeting = Meeting.objects.create(org=org, org_path=org.path, kind=kind, title=title.strip(), starts_at=starts_at,
                                     place=place.strip(), topics=topics.strip(), created_by=actor)
    meeting.expected_count = expected_members(meeting).count()
    meeting.save(update_fields=["expected_count"])
    _event(meeting, "plan", "安排会议", actor)
    audit_record(actor=actor, action="meeting.plan", obj=meeting, after=snapshot(meeting, MEETING_FIELDS))
    if notify:
        from .tasks import notify_on_commit

        notify_on_commit(meeting.pk)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **changes) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.org_path, "无权修改该会议。")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("会议召开或取消后不能再修改安排。")
    allowed = {"kind", "title", "starts_at", "place", "topics"}
    if set(changes) - allowed:
        raise ValidationError(f"不能修改的字段：{', '.join(sorted(set(changes) - allowed))}")
    before = snapshot(meeting, MEETING_FIELDS)
    for field, value in changes.items():
        setattr(meeting, field, value.strip() if isinstance(value, str) else value)
    _check_meeting(org=meeting.org, kind=meeting.kind, title=meeting.title, starts_at=meeting.starts_at)
    meeting.save()
    _event(meeting, "edit", "修改会议安排", actor)
    audit_record(actor=actor, action="meeting.update", obj=meeting, before=before,
                 after=snapshot(meeting, MEETING_FIELDS))
    return meeting


def member_of(user) -> Member | None:
    return Member.objects.filter(user=user, is_active=True).first() if getattr(user, "pk", None) else None


@transaction.atomic
def meeting_sign_in(*, actor, meeting: Meeting) -> Attendance:
    """扫码签到: the signed-in member scans the meeting's QR code on the day; a second scan is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    member = member_of(actor)
    if member is None or not member.org_path.startswith(meeting.org_path):
        raise PermissionDenied("您不是该组织的党员，不能签到。")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("会议已取消，不能签到。")
    if timezone.localtime(meeting.starts_at).date() != clock.today():
        raise ValidationError("只能在会议当天签到。")
    existing = Attendance.objects.filter(meeting=meeting, member=member).first()
    if existing is not None and existing.status == AttendanceStatus.PRESENT:
        raise ValidationError(f"{member.name}已于{timezone.localtime(existing.signed_in_at or meeting.starts_at):%H:%M}签到，"
                              "请勿重复签到。")
    now = clock.now()
    try:
        with transaction.atomic():
            if existing is not None:  # marked on leave or absent, then came after all
                existing.status, existing.reason, existing.method, existing.signed_in_at = (
                    AttendanceStatus.PRESENT, "", SignInMethod.QR, now)
                existing.save(update_fields=["status", "reason", "method", "signed_in_at"])
                attendance = existing
            else:
                attendance = Attendance.objects.create(meeting=meeting, member=member, status=AttendanceStatus.PRESENT,
                                                       method=SignInMethod.QR, signed_in_at=now,
                                                       starts_at=meeting.starts_at)
    except IntegrityError:
        raise ValidationError(f"{member.name}已签到，请勿重复签到。") from None
    meeting.present_count = meeting.attendances.filter(status=AttendanceStatus.PRESENT).count()
    meeting.save(update_fields=["present_count", "updated_at"])
    _event(meeting, "sign_in", f"{member.name}扫码签到", actor)
    audit_record(actor=actor, action="meeting.sign_in", obj=meeting, after={"member": member.pk})
    return attendance


@transaction.atomic
def meeting_hold(*, actor, meeting: Meeting, present: list[int] | None = None,
                 leave: dict[int, str] | None = None, absent_reasons: dict[int, str] | None = None) -> Meeting:
    """记录召开: the meeting took place; members not signed in are marked present by roll call, on leave
    (with a reason) or absent. Refused for a meeting whose time has not come."""
    transition = workflow.find(MEETING_TRANSITIONS, "hold")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.org_path, "无权记录该会议。")
    workflow.begin(transition, noun="会议", status=meeting.status, status_label=meeting.get_status_display())
    if meeting.starts_at > clock.now():
        raise ValidationError("会议时间未到，不能记录召开。")
    present, leave, absent_reasons = set(present or []), dict(leave or {}), dict(absent_reasons or {})
    expected = dict(expected_members(meeting).values_list("pk", "name"))
    unknown = (present | set(leave) | set(absent_reasons)) - set(expected)
    if unknown:
        raise ValidationError("出席名单中有不属于该组织的党员。")
    missing_reason = [expected[pk] for pk, reason in leave.items() if not (reason or "").strip()]
    if missing_reason:
        raise ValidationError({"leave": f"请填写请假原因：{'、'.join(missing_reason)}。"})
    signed = set(meeting.attendances.filter(status=AttendanceStatus.PRESENT).values_list("member_id", flat=True))
    rows = []
    for pk in expected:
        if pk in signed:
            continue
        if pk in present:
            rows.append(Attendance(meeting=meeting, member_id=pk, status=AttendanceStatus.PRESENT,
                                   method=SignInMethod.ROLL, signed_in_at=meeting.starts_at, starts_at=meeting.starts_at))
        elif pk in leave:
            rows.append(Attendance(meeting=meeting, member_id=pk, status=AttendanceStatus.LEAVE,
                                   reason=leave[pk].strip()[:128], starts_at=meeting.starts_at))
        else:
            rows.append(Attendance(meeting=meeting, member_id=pk, status=AttendanceStatus.ABSENT,
                                   reason=(absent_reasons.get(pk) or "").strip()[:128], starts_at=meeting.starts_at))
    meeting.attendances.exclude(status=AttendanceStatus.PRESENT).delete()
    Attendance.objects.bulk_create(rows)
    meeting.status = transition.target
    meeting.held_on = timezone.localtime(meeting.starts_at).date()
    meeting.expected_count = len(expected)
    meeting.present_count = meeting.attendances.filter(status=AttendanceStatus.PRESENT).count()
    meeting.save()
    _event(meeting, "hold", f"记录召开（应到{meeting.expected_count}人，实到{meeting.present_count}人）", actor)
    audit_record(actor=actor, action="meeting.hold", obj=meeting, before={"status": MeetingStatus.PLANNED},
                 after={"status": meeting.status, "present": meeting.present_count, "expected": meeting.expected_count})
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, reason: str) -> Meeting:
    transition = workflow.find(MEETING_TRANSITIONS, "cancel")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.org_path, "无权取消该会议。")
    reason = workflow.begin(transition, noun="会议", status=meeting.status, status_label=meeting.get_status_display(),
                            reason=reason)
    meeting.status, meeting.last_reason = transition.target, reason[:255]
    meeting.save(update_fields=["status", "last_reason", "updated_at"])
    _event(meeting, "cancel", f"取消会议：{reason}", actor)
    audit_record(actor=actor, action="meeting.cancel", obj=meeting, before={"status": MeetingStatus.PLANNED},
                 after={"status": meeting.status, "reason": reason})
    return meeting


@transaction.atomic
def meeting_record_minutes(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    """会议记录: only for a meeting that has begun; a record of a meeting still to come is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.org_path, "无权填写该会议的记录。")
    if meeting.starts_at > clock.now():
        raise ValidationError({"minutes": "会议尚未召开，不能填写会议记录。"})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"minutes": "会议已取消，不能填写会议记录。"})
    if len((minutes or "").strip()) < 10:
        raise ValidationError({"minutes": "会议记录过于简短，请写明议程、发言和决定事项。"})
    before = {"minutes": meeting.minutes}
    meeting.minutes = minutes.strip()
    meeting.minutes_recorded_at = clock.now()
    meeting.save(update_fields=["minutes", "minutes_recorded_at", "updated_at"])
    _event(meeting, "minutes", "填写会议记录", actor)
    audit_record(actor=actor, action="meeting.minutes", obj=meeting, before=before, after={"minutes": meeting.minutes})
    return meeting


def check_photos(files: list[UploadedFile]) -> None:
    """Photos are JPEG or PNG by name *and* content, each at most 10 MB."""
    from PIL import Image, UnidentifiedImageError

    for upload in files:
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in PHOTO_EXTENSIONS:
            raise ValidationError({"photos": f"“{upload.name}”不是JPG或PNG照片。"})
        if upload.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": f"照片“{upload.name}”超过10MB。"})
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
                if image.format not in ("JPEG", "PNG"):
                    raise ValidationError({"photos": f"“{upload.name}”不是JPG或PNG照片。"})
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise ValidationError({"photos": f"“{upload.name}”不是有效的图片文件。"}) from None
        finally:
            upload.seek(0)


@transaction.atomic
def meeting_add_photos(*, actor, meeting: Meeting, photos: list[UploadedFile]) -> list[MeetingPhoto]:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require(actor, meeting.org_path, "无权为该会议上传照片。")
    if not photos:
        raise ValidationError({"photos": "请选择照片。"})
    if meeting.starts_at > clock.now():
        raise ValidationError({"photos": "会议尚未召开，不能上传会议照片。"})
    check_photos(photos)
    saved = [MeetingPhoto.objects.create(meeting=meeting, file=upload, file_name=upload.name, size=upload.size,
                                         uploaded_by=actor) for upload in photos]
    _event(meeting, "photos", f"上传照片{len(saved)}张", actor)
    audit_record(actor=actor, action="meeting.photos", obj=meeting, after={"photos": [p.file_name for p in saved]})
    return saved


@transaction.atomic
def officer_appoint(*, actor, org: Org, member: Member, position: str, since: datetime.date) -> Officer:
    """任职: a member takes a post of the org's committee; a new secretary ends the term of the previous one."""
    _require(actor, org.path, "无权调整该组织的支部委员。", Permission.MEMBER_CHANGE)
    if not member.org_path.startswith(org.path):
        raise ValidationError({"member": "只能任命本组织的党员。"})
    if position == "secretary":
        Officer.objects.select_for_update().filter(org=org, position=position, until__isnull=True).update(until=since)
    officer = Officer.objects.create(org=org, org_path=org.path, member=member, position=position, since=since)
    audit_record(actor=actor, action="officer.appoint", obj=officer, after={"member": member.pk, "position": position})
    return officer


# --- 党费 dues ---------------------------------------------------------------------------------

CENT = Decimal("0.01")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def dues_table(month: datetime.date) -> list[DuesBracket]:
    """The brackets in force on a month: the latest table whose `effective_from` is not after it."""
    latest = (DuesBracket.objects.filter(effective_from__lte=month).order_by("-effective_from")
              .values_list("effective_from", flat=True).first())
    if latest is None:
        return []
    return list(DuesBracket.objects.filter(effective_from=latest).order_by("income_above"))


def dues_amount(income: Decimal, month: datetime.date) -> Decimal:
    """Monthly dues: the declared income × the rate of the highest bracket it exceeds (rounded to the fen)."""
    table = dues_table(month)
    if not table:
        raise ValidationError("尚未设置党费交纳标准，请先维护党费标准表。")
    rate = Decimal("0")
    for bracket in table:
        if income > bracket.income_above or (bracket.income_above == 0 and income >= 0):
            rate = bracket.rate
    return (income * rate).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def dues_table_replace(*, actor, effective_from: datetime.date, rows: list[tuple[Decimal, Decimal]]) -> list[DuesBracket]:
    """Replace (or create) the table in force from a date: [(income_above, rate), …], rising income."""
    from .access import holds_at_root

    if not holds_at_root(actor, Permission.ASSESSMENT_MANAGE):
        raise PermissionDenied("只有区委组织部可以维护党费标准表。")
    if not rows:
        raise ValidationError("党费标准表不能为空。")
    lowers = [row[0] for row in rows]
    if lowers != sorted(lowers) or len(set(lowers)) != len(lowers) or lowers[0] != 0:
        raise ValidationError("收入档次须从0元起、由低到高且不重复。")
    if any(not Decimal("0") < rate <= Decimal("0.05") for _lower, rate in rows):
        raise ValidationError("交纳比例应在0到5%之间。")
    effective_from = first_of_month(effective_from)
    DuesBracket.objects.filter(effective_from=effective_from).delete()
    brackets = DuesBracket.objects.bulk_create(
        [DuesBracket(effective_from=effective_from, income_above=lower, rate=rate) for lower, rate in rows])
    audit_record(actor=actor, action="dues.table", obj=brackets[0], org=None,
                 after={"effective_from": effective_from, "rows": [[str(a), str(b)] for a, b in rows]})
    return brackets


@transaction.atomic
def dues_declare(*, actor, member: Member, month: datetime.date, income: Decimal) -> Dues:
    """申报收入: the month's dues are computed from the income by the table in force."""
    _require(actor, member.org_path, "无权登记该党员的党费。")
    if income is None or income < 0:
        raise ValidationError({"income": "月收入不能为负数。"})
    month = first_of_month(month)
    if month > first_of_month(clock.today()):
        raise ValidationError({"month": "不能登记未来月份的党费。"})
    amount = dues_amount(income, month)
    try:
        with transaction.atomic():
            dues = Dues.objects.create(org_id=member.org_id, org_path=member.org_path, member=member, month=month,
                                       declared_income=income, amount=amount, recorded_by=actor)
    except IntegrityError:
        raise ValidationError({"month": f"{member.name}{month:%Y年%m月}的党费已登记。"}) from None
    audit_record(actor=actor, action="dues.declare", obj=dues, after={"month": month, "income": income, "amount": amount})
    return dues


@transaction.atomic
def dues_pay(*, actor, dues: Dues, paid_amount: Decimal, paid_on: datetime.date) -> Dues:
    dues = Dues.objects.select_for_update().get(pk=dues.pk)
    _require(actor, dues.org_path, "无权登记该党员的党费。")
    if dues.paid_on is not None:
        raise ValidationError("该月党费已交纳，请勿重复登记。")
    if paid_amount is None or paid_amount < dues.amount:
        raise ValidationError({"paid_amount": f"实交金额不能少于应交的{dues.amount}元。"})
    if paid_on > clock.today():
        raise ValidationError({"paid_on": "交纳日期不能晚于今天。"})
    dues.paid_amount, dues.paid_on = paid_amount, paid_on
    dues.save(update_fields=["paid_amount", "paid_on", "updated_at"])
    audit_record(actor=actor, action="dues.pay", obj=dues, after={"paid_amount": paid_amount, "paid_on": paid_on})
    return dues

"""Writes for the lecture menu: the menu itself and an order's way through 点菜 → 配菜 → 送菜 → 评菜.

Each action is atomic, checked against the declared workflow, and leaves a timeline event and an
audit entry. A lecturer's time is held in quarter-hour cells (`LecturerSlot`, unique per lecturer
and start), so a lecturer assigned to two overlapping lectures is refused by the database.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can, scope_q
from yuntu.accounts.roles import Permission
from yuntu.core import clock, timeslots, workflow
from yuntu.orgs.models import Member, Org
from yuntu.voices.services import check_photos

from .models import (
    LECTURER_CELL_MINUTES,
    LectureAttendee,
    LectureEvent,
    LectureOrder,
    LecturePhoto,
    Lecturer,
    LectureRating,
    LecturerSlot,
    LectureTeam,
    Topic,
)
from .workflow import AUDIENCE, ORDER_TRANSITIONS, ORDERER, OrderStatus

MAX_DAYS_AHEAD = 120
MIN_LEAD = datetime.timedelta(hours=24)
COMMENT_MAX = 255


def _require(actor, permission: str, obj, message: str) -> None:
    if actor is None or not can(actor, permission, obj):
        raise PermissionDenied(message)


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"请填写{label}。"})
    if len(value) > limit:
        raise ValidationError({field: f"{label}不能超过{limit}字。"})
    return value


@transaction.atomic
def team_create(*, actor, org: Org, name: str, description: str = "") -> LectureTeam:
    _require(actor, Permission.LECTURES_MANAGE, org, "无权在该组织下组建宣讲团。")
    team = LectureTeam.objects.create(org=org, org_path=org.path, name=_text(name, "name", "宣讲团名称", 128),
                                      description=(description or "").strip())
    audit_record(actor=actor, action="lectures.team_create", obj=team, after={"name": team.name})
    return team


@transaction.atomic
def lecturer_create(*, actor, team: LectureTeam, name: str, title: str = "", member: Member | None = None) -> Lecturer:
    _require(actor, Permission.LECTURES_MANAGE, team, "无权维护该宣讲团。")
    lecturer = Lecturer.objects.create(team=team, org_id=team.org_id, org_path=team.org_path,
                                       name=_text(name, "name", "宣讲员姓名", 64), title=(title or "").strip()[:128],
                                       member=member)
    audit_record(actor=actor, action="lectures.lecturer_create", obj=lecturer, after={"name": lecturer.name})
    return lecturer


@transaction.atomic
def topic_create(*, actor, team: LectureTeam, title: str, summary: str, minutes: int, audience: str) -> Topic:
    _require(actor, Permission.LECTURES_MANAGE, team, "无权维护该宣讲团的菜单。")
    if not minutes or not 15 <= int(minutes) <= 480:
        raise ValidationError({"minutes": "时长须在15到480分钟之间。"})
    topic = Topic.objects.create(team=team, org_id=team.org_id, org_path=team.org_path,
                                 title=_text(title, "title", "宣讲题目", 128), summary=_text(summary, "summary", "内容简介", 2000),
                                 minutes=int(minutes), audience=_text(audience, "audience", "适合对象", 128))
    audit_record(actor=actor, action="lectures.topic_create", obj=topic, after={"title": topic.title})
    return topic


def _event(order: LectureOrder, *, action: str, label: str, actor=None, text: str = "") -> None:
    LectureEvent.objects.create(order=order, action=action, label=label, actor=actor, text=text[:255])


@transaction.atomic
def order_create(*, actor, topic: Topic, group_name: str, starts_at: datetime.datetime, place: str,
                 expected_audience: int, note: str = "", now: datetime.datetime | None = None) -> LectureOrder:
    """点菜: a resident group or unit orders a topic for a time and place."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("请先登录再点菜。")
    now = now or clock.now()
    if not (topic.is_active and topic.team.is_active):
        raise ValidationError("该宣讲题目已下架。")
    group_name = _text(group_name, "group_name", "点菜单位（群体）", 128)
    place = _text(place, "place", "宣讲地点", 200)
    if not expected_audience or int(expected_audience) < 1:
        raise ValidationError({"expected_audience": "请填写预计听众人数。"})
    if starts_at < now:
        raise ValidationError({"starts_at": "宣讲时间不能早于现在。"})
    if starts_at < now + MIN_LEAD:
        raise ValidationError({"starts_at": "请至少提前24小时点菜，便于宣讲团配菜。"})
    if starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"starts_at": f"最多可预约{MAX_DAYS_AHEAD}天内的宣讲。"})
    order = LectureOrder.objects.create(
        number=f"T{secrets.token_hex(8)}", topic=topic, team=topic.team, org_id=topic.org_id, org_path=topic.org_path,
        orderer=actor, group_name=group_name, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=topic.minutes), place=place,
        expected_audience=int(expected_audience), note=(note or "").strip()[:255])
    order.number = f"XJ{timezone.localtime(now):%Y%m%d}{order.pk:06d}"
    LectureOrder.objects.filter(pk=order.pk).update(number=order.number)
    _event(order, action="order", label="点菜", actor=actor, text=f"{group_name}点了《{topic.title}》")
    audit_record(actor=actor, action="lectures.order_create", obj=order,
                 after={"topic": topic.pk, "starts_at": starts_at, "group": group_name})
    return order


def _begin(actor, order: LectureOrder, action: str, reason: str = "") -> tuple:
    transition = workflow.find(ORDER_TRANSITIONS, action)
    order = (LectureOrder.objects.select_for_update(of=("self",)).select_related("topic", "team", "lecturer")
             .get(pk=order.pk))
    if transition.permission == ORDERER:
        allowed = order.orderer_id == getattr(actor, "pk", None)
    elif transition.permission == AUDIENCE:
        allowed = bool(getattr(actor, "is_authenticated", False))
    else:
        allowed = can(actor, transition.permission, order)
    if not allowed:
        raise PermissionDenied(f"无权“{transition.label}”。")
    reason = workflow.begin(transition, noun="该点单", status=order.status,
                            status_label=OrderStatus(order.status).label, reason=reason)
    return transition, order, reason


def _finish(order: LectureOrder, transition, actor, *, before: str, text: str = "", fields=()) -> LectureOrder:
    order.status = transition.target
    order.save(update_fields=["status", "updated_at", *fields])
    _event(order, action=transition.name, label=transition.label, actor=actor, text=text)
    audit_record(actor=actor, action=f"lectures.order_{transition.name}", obj=order, before={"status": before},
                 after={"status": order.status, "text": text})
    return order


def _clash_message(lecturer: Lecturer, cells: list[datetime.datetime]) -> str:
    other = (LecturerSlot.objects.filter(lecturer=lecturer, starts_at__in=cells).select_related("order")
             .order_by("starts_at").first())
    if other is None:
        return f"宣讲员{lecturer.name}在该时段已有宣讲安排，不能同时在两地宣讲。"
    clash = other.order
    return (f"宣讲员{lecturer.name}在{timezone.localtime(clash.starts_at):%m月%d日 %H:%M}—"
            f"{timezone.localtime(clash.ends_at):%H:%M}已有宣讲安排（{clash.place}），不能同时在两地宣讲。")


@transaction.atomic
def order_assign(*, actor, order: LectureOrder, lecturer: Lecturer, note: str = "") -> LectureOrder:
    """配菜: the team assigns a lecturer; their time is held so they cannot be in two places at once."""
    transition, order, _ = _begin(actor, order, "assign")
    if lecturer.team_id != order.team_id or not lecturer.is_active:
        raise ValidationError({"lecturer": "请从本宣讲团在册的宣讲员中指派。"})
    Lecturer.objects.select_for_update().filter(pk=lecturer.pk).first()  # assignments of one lecturer queue here
    before = order.status
    LecturerSlot.objects.filter(order=order).delete()  # a reassignment frees the previous lecturer
    cells = timeslots.cell_starts(order.starts_at, order.ends_at, LECTURER_CELL_MINUTES)
    if LecturerSlot.objects.filter(lecturer=lecturer, starts_at__in=cells).exists():
        raise ValidationError({"lecturer": _clash_message(lecturer, cells)})
    try:
        with transaction.atomic():
            LecturerSlot.objects.bulk_create([LecturerSlot(lecturer=lecturer, starts_at=cell, order=order)
                                              for cell in cells])
    except IntegrityError as error:
        raise ValidationError({"lecturer": f"宣讲员{lecturer.name}在该时段已有宣讲安排，不能同时在两地宣讲。"}) from error
    order.lecturer, order.assigned_at = lecturer, clock.now()
    text = f"指派宣讲员{lecturer.name}" + (f"：{note.strip()}" if note and note.strip() else "")
    return _finish(order, transition, actor, before=before, text=text, fields=("lecturer", "assigned_at"))


@transaction.atomic
def order_deliver(*, actor, order: LectureOrder, attendance: int, summary: str, members=(), photos=(),
                  now: datetime.datetime | None = None) -> LectureOrder:
    """送菜: the lecture took place; attendance, what was said, members in the audience, photos."""
    now = now or clock.now()
    transition, order, _ = _begin(actor, order, "deliver")
    if now < order.starts_at:
        raise ValidationError("宣讲尚未开始，不能登记送菜。")
    if attendance is None or int(attendance) < 1:
        raise ValidationError({"attendance": "请填写实到听众人数。"})
    summary = _text(summary, "summary", "宣讲情况", 2000)
    photos = list(photos or [])
    check_photos(photos)
    member_ids = {int(pk) for pk in members or ()}
    visible = set(Member.objects.filter(scope_q(actor, Permission.MEMBER_VIEW, "org_path"), pk__in=member_ids)
                  .values_list("pk", flat=True))
    if member_ids - visible:
        raise ValidationError({"members": "所选党员不存在或不在您的管理范围内。"})
    if order.lecturer and order.lecturer.member_id in member_ids:
        raise ValidationError({"members": "宣讲员本人不计入听众。"})
    before = order.status
    order.attendance, order.delivery_summary = int(attendance), summary
    order.delivered_at, order.delivered_on = now, timezone.localtime(order.starts_at).date()
    LectureAttendee.objects.bulk_create([LectureAttendee(order=order, member_id=pk) for pk in sorted(member_ids)])
    for photo in photos:
        LecturePhoto.objects.create(order=order, file=photo, size=photo.size)
    return _finish(order, transition, actor, before=before, text=f"实到{order.attendance}人",
                   fields=("attendance", "delivery_summary", "delivered_at", "delivered_on"))


@transaction.atomic
def order_rate(*, actor, order: LectureOrder, score: int, comment: str = "") -> LectureRating:
    """评菜: a listener rates the lecture once (1–5)."""
    transition, order, _ = _begin(actor, order, "rate")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationError({"score": "请选择1到5分。"})
    if LectureRating.objects.filter(order=order, rater=actor).exists():
        raise ValidationError("您已评价过这场宣讲。")
    try:
        with transaction.atomic():
            rating = LectureRating.objects.create(order=order, rater=actor, score=score,
                                                  comment=(comment or "").strip()[:COMMENT_MAX])
    except IntegrityError as error:
        raise ValidationError("您已评价过这场宣讲。") from error
    _finish(order, transition, actor, before=order.status, text=f"{score}分" + (f"：{rating.comment}" if rating.comment else ""))
    return rating


@transaction.atomic
def order_decline(*, actor, order: LectureOrder, reason: str) -> LectureOrder:
    transition, order, reason = _begin(actor, order, "decline", reason)
    order.reason = reason[:255]
    return _finish(order, transition, actor, before=order.status, text=reason, fields=("reason",))


@transaction.atomic
def order_cancel(*, actor, order: LectureOrder, reason: str = "", now: datetime.datetime | None = None) -> LectureOrder:
    now = now or clock.now()
    transition, order, reason = _begin(actor, order, "cancel", reason)
    if order.starts_at <= now:
        raise ValidationError("宣讲时间已到，不能取消。")
    before = order.status
    LecturerSlot.objects.filter(order=order).delete()
    order.reason = reason[:255]
    return _finish(order, transition, actor, before=before, text=reason, fields=("reason",))


def order_for_rating(token: str) -> LectureOrder:
    """The order behind a rating code (shown as a QR code at the lecture)."""
    order = LectureOrder.objects.filter(rating_token=token).select_related("topic", "team", "lecturer").first()
    if order is None:
        raise ValidationError("评价码无效。")
    return order

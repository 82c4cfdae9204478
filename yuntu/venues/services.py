"""Writes for venues and bookings. Each action is atomic and leaves a timeline event and an audit entry.

A booking holds its room's half-hour cells (`BookingSlot`, unique per room and start); the room's
row is locked first so that on PostgreSQL competing requests queue and the loser gets the overlap
message from the check, and the unique constraint refuses whatever slips past, on every database.
"""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can, scope_paths
from yuntu.accounts.roles import Permission
from yuntu.core import clock, timeslots, workflow
from yuntu.orgs.models import Org, PartnerUnit
from yuntu.voices.services import check_photos

from . import conf
from .hours import outside_hours
from .models import (
    SLOT_MINUTES,
    BookerKind,
    Booking,
    BookingEvent,
    BookingSlot,
    ClosedDay,
    Room,
    Venue,
    VenueLevel,
    VenuePhoto,
)
from .workflow import BOOKER, BOOKING_TRANSITIONS, RELEASING, BookingStatus

MAX_DAYS_AHEAD = 60
MAX_BOOKING_HOURS = 8
CHECK_IN_EARLY = datetime.timedelta(minutes=15)
NO_SHOW_AFTER = datetime.timedelta(minutes=15)
PURPOSE_MAX = 200
PHOTO_MAX_PER_VENUE = 12


def check_point(latitude, longitude) -> tuple[Decimal, Decimal]:
    """A WGS-84 point inside the deployment's area, or a Chinese refusal."""
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except Exception as error:
        raise ValidationError({"location": "坐标格式不正确。"}) from error
    box = conf.area()
    if not (box["south"] <= lat <= box["north"] and box["west"] <= lon <= box["east"]):
        raise ValidationError({"location": "该位置不在本辖区范围内，请重新选择地点。"})
    return lat, lon


def _require(actor, permission: str, obj=None, *, path: str | None = None, message: str) -> None:
    if actor is None or not can(actor, permission, obj, path=path):
        raise PermissionDenied(message)


VENUE_FIELDS = ["name", "level", "address", "latitude", "longitude", "phone", "description", "opens_at", "closes_at",
                "open_weekdays", "closed_on_public_holidays", "needs_approval", "is_active"]


def _clean_venue(data: dict) -> dict:
    errors = {}
    if not (data.get("name") or "").strip():
        errors["name"] = "请填写阵地名称。"
    if data.get("level") not in VenueLevel.values:
        errors["level"] = "请选择阵地层级。"
    if not (data.get("address") or "").strip():
        errors["address"] = "请填写地址。"
    weekdays = "".join(sorted({ch for ch in str(data.get("open_weekdays", "")) if ch in "1234567"}))
    if not weekdays:
        errors["open_weekdays"] = "请至少选择一个开放日。"
    if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
        errors["closes_at"] = "关闭时间须晚于开放时间。"
    if errors:
        raise ValidationError(errors)
    data["latitude"], data["longitude"] = check_point(data.get("latitude"), data.get("longitude"))
    data["open_weekdays"] = weekdays
    data["name"], data["address"] = data["name"].strip(), data["address"].strip()
    return data


@transaction.atomic
def venue_create(*, actor, org: Org, name: str, level: str, address: str, latitude, longitude,
                 opens_at: datetime.time, closes_at: datetime.time, open_weekdays: str = "1234567",
                 closed_on_public_holidays: bool = True, needs_approval: bool = False, phone: str = "",
                 description: str = "") -> Venue:
    _require(actor, Permission.VENUES_MANAGE, org, message="无权在该组织下建立阵地。")
    data = _clean_venue({"name": name, "level": level, "address": address, "latitude": latitude,
                         "longitude": longitude, "opens_at": opens_at, "closes_at": closes_at,
                         "open_weekdays": open_weekdays})
    venue = Venue.objects.create(org=org, org_path=org.path, phone=phone.strip(), description=description.strip(),
                                 closed_on_public_holidays=closed_on_public_holidays, needs_approval=needs_approval,
                                 **data)
    audit_record(actor=actor, action="venues.venue_create", obj=venue, after={"name": venue.name, "org": org.pk})
    return venue


@transaction.atomic
def venue_update(*, actor, venue: Venue, **changes) -> Venue:
    _require(actor, Permission.VENUES_MANAGE, venue, message="无权修改该阵地。")
    unknown = set(changes) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    before = {name: getattr(venue, name) for name in changes}
    data = _clean_venue({**{name: getattr(venue, name) for name in VENUE_FIELDS}, **changes})
    for name in changes:
        setattr(venue, name, data.get(name, changes[name]))
    venue.save()
    audit_record(actor=actor, action="venues.venue_update", obj=venue, before=before,
                 after={name: getattr(venue, name) for name in changes})
    return venue


@transaction.atomic
def room_create(*, actor, venue: Venue, name: str, capacity: int, equipment: str = "") -> Room:
    _require(actor, Permission.VENUES_MANAGE, venue, message="无权修改该阵地。")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写活动室名称。"})
    if not capacity or int(capacity) < 1:
        raise ValidationError({"capacity": "容纳人数至少为1人。"})
    room = Room.objects.create(venue=venue, name=name, capacity=int(capacity), equipment=equipment.strip())
    audit_record(actor=actor, action="venues.room_create", obj=room, org=venue.org,
                 after={"name": name, "capacity": room.capacity})
    return room


@transaction.atomic
def closed_day_add(*, actor, venue: Venue, date: datetime.date, reason: str = "") -> ClosedDay:
    _require(actor, Permission.VENUES_MANAGE, venue, message="无权修改该阵地。")
    if date < clock.today():
        raise ValidationError({"date": "不能设置已经过去的日期。"})
    day, _ = ClosedDay.objects.update_or_create(venue=venue, date=date, defaults={"reason": reason.strip()[:64]})
    audit_record(actor=actor, action="venues.closed_day_add", obj=venue, after={"date": date, "reason": day.reason})
    return day


@transaction.atomic
def venue_photos_add(*, actor, venue: Venue, photos: list, caption: str = "") -> int:
    """Photos of the venue, checked by type, content and size (the same rules as residents' photos)."""
    _require(actor, Permission.VENUES_MANAGE, venue, message="无权修改该阵地。")
    if not photos:
        raise ValidationError({"photos": "请选择照片。"})
    if venue.photos.count() + len(photos) > PHOTO_MAX_PER_VENUE:
        raise ValidationError({"photos": f"每个阵地最多{PHOTO_MAX_PER_VENUE}张照片。"})
    check_photos(photos)
    for photo in photos:
        VenuePhoto.objects.create(venue=venue, file=photo, caption=caption.strip()[:64], size=photo.size)
    audit_record(actor=actor, action="venues.photos_add", obj=venue, after={"photos": len(photos)})
    return len(photos)


def _event(booking: Booking, *, action: str, label: str, actor=None, text: str = "") -> None:
    BookingEvent.objects.create(booking=booking, action=action, label=label, actor=actor, text=text)


def _booker(actor, *, venue: Venue, kind: str, booker_org: Org | None, partner_unit: PartnerUnit | None) -> str:
    """Who the booking is for, checked against the actor's grants; returns the label shown on it."""
    if kind == BookerKind.RESIDENT:
        return actor.display_name or actor.get_username()
    if kind == BookerKind.ORG:
        if booker_org is None:
            raise ValidationError({"booker_org": "请选择以哪个党组织的名义预约。"})
        if not any(booker_org.path.startswith(path) for path in scope_paths(actor, Permission.ORG_VIEW)):
            raise PermissionDenied("只能以本人所在（所管）党组织的名义预约。")
        return booker_org.short_name or booker_org.name
    if kind == BookerKind.PARTNER:
        if partner_unit is None:
            raise ValidationError({"partner_unit": "请选择共建单位。"})
        _require(actor, Permission.VENUES_MANAGE, venue, message="共建单位的预约由阵地管理人员代为登记。")
        return partner_unit.name
    raise ValidationError({"booker_kind": "预约主体无效。"})


def _slot_message(room: Room, starts: list[datetime.datetime]) -> str:
    taken = sorted(BookingSlot.objects.filter(room=room, starts_at__in=starts).values_list("starts_at", flat=True))
    if not taken:
        return "该时段已被预约，请选择其他时段。"
    first = timezone.localtime(taken[0])
    return f"该时段已被预约（{first.month}月{first.day}日 {first:%H:%M}起已有预约），请选择其他时段。"


@transaction.atomic
def booking_create(*, actor, room: Room, starts_at: datetime.datetime, ends_at: datetime.datetime, purpose: str,
                   attendees: int, booker_kind: str = BookerKind.RESIDENT, booker_org: Org | None = None,
                   partner_unit: PartnerUnit | None = None, now: datetime.datetime | None = None) -> Booking:
    """Book a room for [starts_at, ends_at): refused if past, outside hours, over capacity or overlapping."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("请先登录再预约。")
    now = now or clock.now()
    venue = room.venue
    errors = {}
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = "请填写活动内容。"
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = f"活动内容不能超过{PURPOSE_MAX}字。"
    if not attendees or int(attendees) < 1:
        errors["attendees"] = "请填写预计人数。"
    elif int(attendees) > room.capacity:
        errors["attendees"] = f"预计人数超过该活动室的容纳人数（{room.capacity}人）。"
    if errors:
        raise ValidationError(errors)
    if not (room.is_active and venue.is_active):
        raise ValidationError("该活动室暂停预约。")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间须晚于开始时间。"})
    if starts_at < now:
        raise ValidationError({"starts_at": "不能预约已经过去的时间。"})
    if starts_at > now + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"starts_at": f"最多可预约{MAX_DAYS_AHEAD}天内的时段。"})
    if not (timeslots.on_grid(starts_at, SLOT_MINUTES) and timeslots.on_grid(ends_at, SLOT_MINUTES)):
        raise ValidationError({"starts_at": "开始和结束时间须为整点或半点。"})
    if ends_at - starts_at > datetime.timedelta(hours=MAX_BOOKING_HOURS):
        raise ValidationError({"ends_at": f"一次预约最长{MAX_BOOKING_HOURS}小时。"})
    closed = outside_hours(venue, starts_at, ends_at)
    if closed:
        raise ValidationError({"starts_at": closed})
    label = _booker(actor, venue=venue, kind=booker_kind, booker_org=booker_org, partner_unit=partner_unit)

    Room.objects.select_for_update().filter(pk=room.pk).first()  # the per-room lock: competing bookings queue here
    cells = timeslots.cell_starts(starts_at, ends_at, SLOT_MINUTES)
    if BookingSlot.objects.filter(room=room, starts_at__in=cells).exists():
        raise ValidationError({"starts_at": _slot_message(room, cells)})
    local_start = timezone.localtime(starts_at)
    status = BookingStatus.PENDING if venue.needs_approval else BookingStatus.CONFIRMED
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                number=f"T{secrets.token_hex(8)}", org_id=venue.org_id, org_path=venue.org_path, room=room,
                booker=actor, booker_kind=booker_kind, booker_org=booker_org, partner_unit=partner_unit,
                booker_label=label, purpose=purpose, attendees=int(attendees), starts_at=starts_at, ends_at=ends_at,
                booked_on=local_start.date(), minutes=int((ends_at - starts_at).total_seconds() // 60), status=status)
            BookingSlot.objects.bulk_create([BookingSlot(room=room, starts_at=cell, booking=booking) for cell in cells])
    except IntegrityError as error:
        raise ValidationError({"starts_at": "该时段已被预约，请选择其他时段。"}) from error
    booking.number = f"YY{local_start:%Y%m%d}{booking.pk:06d}"
    Booking.objects.filter(pk=booking.pk).update(number=booking.number)
    _event(booking, action="create", label="提交预约" if status == BookingStatus.PENDING else "预约成功", actor=actor,
           text=f"{room} {local_start:%m月%d日 %H:%M}—{timezone.localtime(ends_at):%H:%M}")
    audit_record(actor=actor, action="venues.booking_create", obj=booking, after={
        "room": room.pk, "starts_at": starts_at, "ends_at": ends_at, "status": status, "booker": label})
    return booking


def _may(actor, transition, booking: Booking) -> bool:
    if transition.permission == BOOKER:
        if booking.booker_id == getattr(actor, "pk", None):
            return True
        # staff of the venue may cancel on the booker's behalf (e.g. the booker phoned in)
        return transition.name == "cancel" and can(actor, Permission.VENUES_MANAGE, booking)
    return can(actor, transition.permission, booking)


@transaction.atomic
def booking_transition(*, actor, booking: Booking, action: str, reason: str = "",
                       now: datetime.datetime | None = None) -> Booking:
    """approve / reject / cancel / check_in / no_show, each checked against the declared workflow."""
    now = now or clock.now()
    transition = workflow.find(BOOKING_TRANSITIONS, action)
    booking = Booking.objects.select_for_update().select_related("room", "room__venue").get(pk=booking.pk)
    if not _may(actor, transition, booking):
        raise PermissionDenied(f"无权“{transition.label}”。")
    reason = workflow.begin(transition, noun="该预约", status=booking.status,
                            status_label=BookingStatus(booking.status).label, reason=reason)
    if action == "cancel" and booking.starts_at <= now:
        raise ValidationError("活动已开始，不能取消预约。")
    if action == "approve" and booking.starts_at <= now:
        raise ValidationError("预约时段已过，不能再审核通过。")
    if action == "check_in":
        if now < booking.starts_at - CHECK_IN_EARLY:
            raise ValidationError(f"未到签到时间：请在开始前{CHECK_IN_EARLY.seconds // 60}分钟内签到。")
        if now >= booking.ends_at:
            raise ValidationError("预约时段已结束，无法签到。")
        booking.checked_in_at = now
    if action == "no_show" and now < booking.starts_at + NO_SHOW_AFTER:
        raise ValidationError(f"开始{NO_SHOW_AFTER.seconds // 60}分钟后仍未签到，才能登记未到场。")
    before = booking.status
    booking.status = transition.target
    booking.reason = reason or booking.reason
    if action in ("approve", "reject", "no_show"):
        booking.decided_by, booking.decided_at = actor, now
    booking.save(update_fields=["status", "reason", "decided_by", "decided_at", "checked_in_at", "updated_at"])
    if transition.target in RELEASING:
        BookingSlot.objects.filter(booking=booking).delete()
    _event(booking, action=action, label=transition.label, actor=actor, text=reason)
    audit_record(actor=actor, action=f"venues.booking_{action}", obj=booking, before={"status": before},
                 after={"status": booking.status, "reason": reason})
    return booking


def booking_check_in(*, actor, token: str, now: datetime.datetime | None = None) -> Booking:
    """The booker scanned the QR code in the room: check in to their booking of this room now."""
    now = now or clock.now()
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("请先登录再签到。")
    room = Room.objects.filter(checkin_token=token).first()
    if room is None:
        raise ValidationError("签到码无效，请扫描活动室张贴的签到二维码。")
    booking = (Booking.objects.filter(room=room, booker=actor, status=BookingStatus.CONFIRMED,
                                      booked_on=timezone.localtime(now).date(), ends_at__gt=now)
               .order_by("starts_at").first())
    if booking is None:
        raise ValidationError(f"您在“{room}”当前时段没有待签到的预约。")
    return booking_transition(actor=actor, booking=booking, action="check_in", now=now)


def mark_no_shows(*, now: datetime.datetime | None = None) -> int:
    """Confirmed bookings whose time is over without a check-in become no-shows (run by the task worker)."""
    now = now or clock.now()
    overdue = list(Booking.objects.filter(status=BookingStatus.CONFIRMED, ends_at__lte=now).values_list("pk", flat=True))
    for pk in overdue:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=pk)
            if booking.status != BookingStatus.CONFIRMED:
                continue
            booking.status = BookingStatus.NO_SHOW
            booking.decided_at = now
            booking.save(update_fields=["status", "decided_at", "updated_at"])
            _event(booking, action="no_show", label="未到场（系统登记）", text="预约时段结束仍未签到")
            audit_record(actor=None, action="venues.booking_no_show", obj=booking,
                         before={"status": BookingStatus.CONFIRMED}, after={"status": BookingStatus.NO_SHOW})
    return len(overdue)

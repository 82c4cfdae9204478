"""The demo district's venues: every level's 阵地 with rooms, street outlines, and two months of bookings.

What is written for the demo district (the root org with division code 350205, see `manage.py demo`):

* 海沧区党群服务中心 (bookings need approval), one 党建服务中心 per street, one 党群服务中心 per
  community and village, a 党群之家 in each estate branch (e.g. 海沧招商花园城), and activity rooms of
  a few agency branches — at the coordinates the org tree gives them (WGS-84), with rooms, equipment,
  opening hours by level and a maintenance closed day here and there;
* an outline per street (drawn on the circle's map, online or offline);
* demo residents (one booker pool) and about 60 days of past bookings (used, no-shows, cancelled)
  and 14 days of future ones (confirmed, waiting for approval), never overlapping in a room.

Rows are written in bulk with their history dates; one audit entry on the root marks the run, and a
second run changes nothing.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import AuditEntry, RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.demo.names import FEMALE_GIVEN, MALE_GIVEN, ROADS, SURNAMES
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Kind, Level, Org, Resident, Sector

from .hours import closed_reason
from .models import (
    SLOT_MINUTES,
    BookerKind,
    Booking,
    BookingEvent,
    BookingSlot,
    ClosedDay,
    OrgOutline,
    Room,
    Venue,
)
from .models import VenueLevel as V
from .workflow import BookingStatus as S

AUDIT_ACTION = "venues.demo_generate"
DEFAULT_SEED = 2025
PAST_DAYS, FUTURE_DAYS = 60, 14
RESIDENTS = 80
PURPOSES = ["楼栋议事会", "党小组学习", "主题党日活动", "老年大学书法课", "亲子阅读", "志愿者培训", "居民议事协商会",
            "退役军人座谈", "青年读书会", "健康讲座", "法律咨询", "垃圾分类宣传", "两岸青年交流", "少儿托管", "合唱排练",
            "防诈骗宣传", "网格员例会", "共建单位联席会"]
ROOMS = {
    V.DISTRICT: [("多功能报告厅", 150, "LED大屏、音响、话筒、同声传译"), ("党员教育室", 40, "投影仪、音响、党建书籍"),
                 ("两岸融合交流室", 30, "投影仪、视频会议"), ("小会议室", 16, "电视、白板")],
    V.STREET: [("多功能厅", 80, "投影仪、音响、话筒"), ("议事厅", 30, "电视、白板"), ("党员之家", 24, "党建书籍、投影仪")],
    V.COMMUNITY: [("党员活动室", 40, "投影仪、音响"), ("议事协商室", 16, "白板、茶水"), ("共享书屋", 20, "图书、阅读桌"),
                  ("四点半课堂", 25, "课桌椅、白板")],
    V.ESTATE: [("党群之家活动室", 20, "电视、茶水、图书角")],
    V.AGENCY: [("党员活动室", 30, "投影仪、党建书籍")],
}
# (opens, closes, open weekdays, closed on public holidays, needs approval)
HOURS = {
    V.DISTRICT: (datetime.time(9), datetime.time(17, 30), "12345", True, True),
    V.STREET: (datetime.time(8, 30), datetime.time(18), "123456", True, False),
    V.COMMUNITY: (datetime.time(8, 30), datetime.time(21), "1234567", False, False),
    V.ESTATE: (datetime.time(9), datetime.time(21), "1234567", False, False),
    V.AGENCY: (datetime.time(8, 30), datetime.time(17, 30), "12345", True, True),
}
TIME_BLOCKS = [(9, 0, 11, 0), (9, 30, 10, 30), (14, 30, 16, 30), (15, 0, 17, 0), (19, 0, 21, 0), (10, 0, 11, 30)]


class DemoVenuesError(Exception):
    pass


@dataclass
class DemoVenuesResult:
    root: Org
    created: bool
    venues: int
    rooms: int
    bookings: int
    by_status: dict


def _name(rng: random.Random) -> str:
    surnames, weights = zip(*SURNAMES, strict=True)
    surname = rng.choices(surnames, weights=weights)[0]
    return surname + ("女士" if rng.random() < 0.55 else "先生")


def _given(rng: random.Random) -> str:
    pool = FEMALE_GIVEN if rng.random() < 0.5 else MALE_GIVEN
    return "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))


def _near(rng: random.Random, latitude: float, longitude: float, spread: float) -> tuple[float, float]:
    return round(latitude + rng.uniform(-spread, spread), 6), round(longitude + rng.uniform(-spread, spread), 6)


def _outline(rng: random.Random, latitude: float, longitude: float, radius: float) -> list[list[float]]:
    """A rough, irregular octagon around a street's centre (WGS-84)."""
    points = []
    for index in range(8):
        angle = math.tau * index / 8 + rng.uniform(-0.15, 0.15)
        reach = radius * rng.uniform(0.8, 1.15)
        points.append([round(latitude + reach * math.sin(angle), 6),
                       round(longitude + reach * math.cos(angle) / math.cos(math.radians(latitude)), 6)])
    return points


def _point(org: Org, fallback: Org | None, rng: random.Random, spread: float) -> tuple[float, float]:
    source = org if org.latitude is not None else fallback
    if source is None or source.latitude is None:
        return _near(rng, 24.48, 118.03, 0.08)
    return _near(rng, float(source.latitude), float(source.longitude), spread)


def _plan_venues(root: Org, rng: random.Random) -> list[tuple[Org, Venue]]:
    orgs = list(Org.objects.filter(path__startswith=root.path, is_active=True).order_by("path"))
    by_path = {org.path: org for org in orgs}
    step = Org.steplen

    def parent(org: Org) -> Org | None:
        return by_path.get(org.path[:-step])

    planned = []

    def venue(org: Org, level: str, name: str, address: str, latitude: float, longitude: float) -> None:
        opens, closes, weekdays, holidays, approval = HOURS[level]
        planned.append((org, Venue(org=org, org_path=org.path, name=name, level=level, address=address,
                                   latitude=latitude, longitude=longitude, opens_at=opens, closes_at=closes,
                                   open_weekdays=weekdays, closed_on_public_holidays=holidays, needs_approval=approval,
                                   phone=f"0592-6{rng.randint(100000, 999999)}",
                                   description=f"{name}面向辖区党员群众开放，可预约开展组织生活、议事协商、志愿服务和文体活动。")))

    label = root.short_name.replace("区委", "区") if root.short_name else "海沧区"
    venue(root, V.DISTRICT, f"{label}党群服务中心", f"厦门市{label}滨湖北路{rng.randint(1, 300)}号", 24.4846, 118.0327)
    agencies = 0
    for org in orgs:
        if org.level == Level.STREET:
            short = org.short_name or org.name
            latitude, longitude = _point(org, root, rng, 0.004)
            venue(org, V.STREET, f"{short}党建服务中心", f"{label}{short}{rng.choice(ROADS)}{rng.randint(1, 400)}号",
                  latitude, longitude)
        elif org.level == Level.COMMUNITY:
            short = org.short_name or org.name
            latitude, longitude = _point(org, parent(org), rng, 0.002)
            venue(org, V.COMMUNITY, f"{short}党群服务中心", f"{label}{short}{rng.choice(ROADS)}{rng.randint(1, 400)}号",
                  latitude, longitude)
        elif org.level == Level.BRANCH and org.kind == Kind.ESTATE:
            estate = org.name.replace("党支部", "").replace("小区", "").replace("兼合式", "").strip() or org.name
            latitude, longitude = _point(org, parent(org), rng, 0.003)
            venue(org, V.ESTATE, f"{estate}小区党群之家", org.address or f"{label}{estate}", latitude, longitude)
        elif (org.level == Level.BRANCH and org.sector == Sector.AGENCY and org.path[:-step] == root.path
              and agencies < 6):
            agencies += 1
            unit = org.name.replace("机关党支部", "").replace("党支部", "")
            latitude, longitude = _near(rng, 24.4846, 118.0327, 0.01)
            venue(org, V.AGENCY, f"{unit}党员活动室", f"{label}行政中心{unit}", latitude, longitude)
    return planned


def _residents(root: Org, rng: random.Random) -> list[User]:
    """The demo's booker pool: residents of the district's communities (no password: they cannot sign in)."""
    existing = list(User.objects.filter(username__startswith="demo_resident_").order_by("id"))
    if len(existing) >= RESIDENTS:
        return existing
    communities = list(Org.objects.filter(path__startswith=root.path, level=Level.COMMUNITY).order_by("path"))
    if not communities:
        raise DemoVenuesError("演示区没有社区（村），请先运行 manage.py demo --scale district。")
    users = [User(username=f"demo_resident_{index:03d}", display_name=_name(rng), password=make_password(None))
             for index in range(len(existing), RESIDENTS)]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__in=[user.username for user in users]).order_by("id"))
    homes = [rng.choice(communities) for _ in users]
    Resident.objects.bulk_create([Resident(user=user, community=home) for user, home in zip(users, homes, strict=True)])
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=Role.RESIDENT, org=home, org_path=home.path)
                                   for user, home in zip(users, homes, strict=True)])
    return existing + users


def _bookings(rooms: list[Room], residents: list[User], rng: random.Random, now: datetime.datetime):
    today = timezone.localdate(now)
    bookings = []
    for room in rooms:
        venue = room.venue
        busy = {V.DISTRICT: 0.35, V.STREET: 0.3, V.COMMUNITY: 0.45, V.ESTATE: 0.3, V.AGENCY: 0.15}[venue.level]
        for offset in range(-PAST_DAYS, FUTURE_DAYS + 1):
            day = today + datetime.timedelta(days=offset)
            if closed_reason(venue, day, closed_days={}) or rng.random() > busy:
                continue
            taken: set[datetime.datetime] = set()
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                h1, m1, h2, m2 = rng.choice(TIME_BLOCKS)
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(h1, m1)))
                end = timezone.make_aware(datetime.datetime.combine(day, datetime.time(h2, m2)))
                local_open = timezone.make_aware(datetime.datetime.combine(day, venue.opens_at))
                local_close = timezone.make_aware(datetime.datetime.combine(day, venue.closes_at))
                cells = []
                cell = start
                while cell < end:
                    cells.append(cell)
                    cell += datetime.timedelta(minutes=SLOT_MINUTES)
                if start < local_open or end > local_close or taken & set(cells):
                    continue
                booker = rng.choice(residents)
                kind = BookerKind.ORG if venue.level in (V.STREET, V.DISTRICT, V.AGENCY) and rng.random() < 0.5 \
                    else BookerKind.RESIDENT
                booker_org = venue.org if kind == BookerKind.ORG else None
                label = (booker_org.short_name or booker_org.name) if booker_org else booker.display_name
                if end <= now:
                    status = rng.choices([S.CHECKED_IN, S.NO_SHOW, S.CANCELLED, S.REJECTED],
                                         weights=[80, 8, 10, 2 if venue.needs_approval else 0])[0]
                elif venue.needs_approval:
                    status = rng.choices([S.PENDING, S.CONFIRMED, S.CANCELLED], weights=[40, 55, 5])[0]
                else:
                    status = rng.choices([S.CONFIRMED, S.CANCELLED], weights=[92, 8])[0]
                created = start - datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
                created = min(created, now - datetime.timedelta(minutes=5))
                booking = Booking(org_id=venue.org_id, org_path=venue.org_path, number="", room=room, booker=booker,
                                  booker_kind=kind, booker_org=booker_org, booker_label=label,
                                  purpose=rng.choice(PURPOSES), attendees=max(2, min(room.capacity, rng.randint(5, 45))),
                                  starts_at=start, ends_at=end, booked_on=day,
                                  minutes=int((end - start).total_seconds() // 60), status=status,
                                  checked_in_at=start + datetime.timedelta(minutes=rng.randint(-10, 8))
                                  if status == S.CHECKED_IN else None,
                                  reason="时段已安排区级活动" if status == S.REJECTED else
                                  ("活动改期" if status == S.CANCELLED else ""),
                                  decided_at=created + datetime.timedelta(hours=3) if venue.needs_approval
                                  and status != S.PENDING else None,
                                  created_at=created, updated_at=max(created, min(end, now)))
                bookings.append((booking, cells))
                if status not in (S.CANCELLED, S.REJECTED):
                    taken |= set(cells)
    return bookings


@transaction.atomic
def generate_venues(root: Org | None = None, *, seed: int = DEFAULT_SEED,
                    now: datetime.datetime | None = None) -> DemoVenuesResult:
    """Write the demo district's venues, rooms, outlines and bookings; skip what is already there."""
    root = root or find_demo_root()
    if root is None:
        raise DemoVenuesError("没有找到演示区（行政区划代码 350205 的区级根组织），请先运行 manage.py demo --scale district。")
    if AuditEntry.objects.filter(action=AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk)).exists():
        return _result(root, created=False)
    if Venue.objects.filter(org_path__startswith=root.path).exists():
        raise DemoVenuesError(f"“{root.name}”下已有阵地（非演示生成），未生成演示数据。")
    rng = random.Random(seed)
    now = now or clock.now()
    planned = _plan_venues(root, rng)
    Venue.objects.bulk_create([venue for _, venue in planned], batch_size=500)
    venues = list(Venue.objects.filter(org_path__startswith=root.path).select_related("org").order_by("id"))
    rooms = []
    for venue in venues:
        for name, capacity, equipment in ROOMS[venue.level]:
            if venue.level == V.COMMUNITY and name == "四点半课堂" and rng.random() < 0.5:
                continue
            rooms.append(Room(venue=venue, name=name, capacity=capacity, equipment=equipment))
    Room.objects.bulk_create(rooms, batch_size=1000)
    rooms = list(Room.objects.filter(venue__in=venues).select_related("venue", "venue__org").order_by("id"))
    today = timezone.localdate(now)
    closed = [ClosedDay(venue=venue, date=today + datetime.timedelta(days=rng.randint(3, FUTURE_DAYS)),
                        reason=rng.choice(["设备检修", "场地消杀", "承接区级活动"])) for venue in venues if rng.random() < 0.12]
    ClosedDay.objects.bulk_create(closed, ignore_conflicts=True)
    streets = Org.objects.filter(path__startswith=root.path, level=Level.STREET).order_by("path")
    OrgOutline.objects.bulk_create([
        OrgOutline(org=street, org_path=street.path, name=street.short_name or street.name,
                   points=_outline(rng, float(street.latitude or 24.48), float(street.longitude or 118.03), 0.035))
        for street in streets])
    residents = _residents(root, rng)
    planned_bookings = _bookings(rooms, residents, rng, now)
    with history_kept(Booking, BookingEvent):
        saved = [booking for booking, _ in planned_bookings]
        for index, booking in enumerate(saved):  # a unique placeholder until the id is known
            booking.number = f"T{seed}-{index:08d}"
        Booking.objects.bulk_create(saved, batch_size=1000)
        for booking in saved:
            booking.number = f"YY{booking.booked_on:%Y%m%d}{booking.pk:06d}"
        Booking.objects.bulk_update(saved, ["number"], batch_size=1000)
        slots = [BookingSlot(room_id=booking.room_id, starts_at=cell, booking=booking)
                 for booking, cells in planned_bookings if booking.status not in (S.CANCELLED, S.REJECTED)
                 for cell in cells]
        BookingSlot.objects.bulk_create(slots, batch_size=2000)
        labels = {S.PENDING: "提交预约", S.CONFIRMED: "预约成功", S.CHECKED_IN: "扫码签到", S.NO_SHOW: "未到场（系统登记）",
                  S.CANCELLED: "取消预约", S.REJECTED: "不予通过"}
        events = []
        for booking in saved:
            events.append(BookingEvent(booking=booking, action="create", label="预约成功", occurred_at=booking.created_at))
            if booking.status not in (S.CONFIRMED,):
                events.append(BookingEvent(booking=booking, action=booking.status, label=labels[booking.status],
                                           text=booking.reason, occurred_at=booking.checked_in_at or booking.updated_at))
        BookingEvent.objects.bulk_create(events, batch_size=2000)
    result = _result(root, created=True)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={"venues": result.venues, "rooms": result.rooms,
                                                                    "bookings": result.bookings, "seed": seed})
    return result


def _result(root: Org, *, created: bool) -> DemoVenuesResult:
    from django.db.models import Count

    venues = Venue.objects.filter(org_path__startswith=root.path)
    bookings = Booking.objects.filter(org_path__startswith=root.path)
    return DemoVenuesResult(root=root, created=created, venues=venues.count(),
                            rooms=Room.objects.filter(venue__in=venues).count(), bookings=bookings.count(),
                            by_status=dict(bookings.values_list("status").annotate(n=Count("pk")).order_by()))

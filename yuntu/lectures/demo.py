"""The demo district's lecture menu: a district team and a team per street, lecturers (some of them
party members of the tree), a menu of topics, and four months of orders at every stage.

Past orders were delivered (with attendance and members in the audience) and most were rated by
demo residents; future ones are ordered or assigned; a few were declined or cancelled. No lecturer
is ever booked twice at once (the same quarter-hour cells the service holds). One audit entry on the
root marks the run; a second run changes nothing. Run `manage.py demo_venues` first (its residents
rate the lectures).
"""

from __future__ import annotations

import datetime
import random
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import AuditEntry, User
from yuntu.core import clock, timeslots
from yuntu.demo.history import history_kept
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Level, Member, Org

from .models import (
    LECTURER_CELL_MINUTES,
    LectureAttendee,
    LectureEvent,
    LectureOrder,
    Lecturer,
    LectureRating,
    LecturerSlot,
    LectureTeam,
    Topic,
)
from .workflow import OrderStatus as S

AUDIT_ACTION = "lectures.demo_generate"
DEFAULT_SEED = 2026
PAST_DAYS, FUTURE_DAYS = 120, 21
ORDERS = 180
TOPICS = [
    ("党的二十届三中全会精神解读", "讲清进一步全面深化改革的总目标和重大举措，结合海沧发展讲身边变化。", 90, "党员、居民群众"),
    ("学习贯彻习近平新时代中国特色社会主义思想", "用百姓语言讲理论，讲好新思想在基层的生动实践。", 90, "党员、入党积极分子"),
    ("新时代“枫桥经验”与基层治理", "从小区议事会到网格化服务，讲矛盾纠纷就地化解的做法。", 60, "社区干部、网格员、楼栋长"),
    ("民法典与百姓生活", "婚姻家庭、继承、物业、邻里纠纷中的常见法律问题。", 60, "居民群众"),
    ("防范电信网络诈骗", "以真实案例讲清常见骗局和防范要点。", 45, "老年人、学生、居民群众"),
    ("两岸融合发展的海沧故事", "讲台胞台企在海沧扎根发展、两岸同胞共建家园的故事。", 60, "党员、台胞、青年"),
    ("垃圾分类与文明城市创建", "垃圾分类的做法、误区和小区里的好办法。", 45, "居民群众、物业人员"),
    ("乡村振兴政策解读", "讲清产业、人才、文化、生态、组织振兴的惠农政策。", 60, "村民、村“两委”干部"),
    ("红色故事进社区：闽西南革命斗争史", "讲述厦门及闽西南地区的革命先辈故事。", 60, "党员、青少年"),
    ("医保政策与长者健康", "医保报销、家庭医生签约和常见慢病的健康管理。", 45, "老年人、居民群众"),
    ("防台防汛与安全生产", "台风季的避险常识、企业安全生产责任。", 45, "企业职工、居民群众"),
    ("家庭教育促进法与未成年人保护", "父母如何依法带娃，社区如何守护孩子成长。", 45, "家长、教师"),
]
LECTURER_TITLES = ["区委党校讲师", "退休老干部", "社区党委书记", "“五老”宣讲员", "律师", "青年理论骨干", "先进模范代表",
                   "民警", "社区医生", "台胞宣讲员"]
GROUPS = ["老年协会", "居民议事会", "妇女之家", "青年志愿者队", "“四点半课堂”家长", "新就业群体党支部", "业委会",
          "退役军人服务站", "共建单位党支部", "两新组织党支部"]
PLACES = ["党群服务中心多功能厅", "小区党群之家", "社区文化广场", "村史馆", "企业会议室", "新时代文明实践站"]


class DemoLecturesError(Exception):
    pass


@dataclass
class DemoLecturesResult:
    root: Org
    created: bool
    teams: int
    lecturers: int
    topics: int
    orders: int
    by_status: dict


def _teams(root: Org, rng: random.Random) -> list[LectureTeam]:
    label = root.short_name.replace("区委", "区") if root.short_name else "海沧区"
    teams = [LectureTeam(org=root, org_path=root.path, name=f"{label}委百姓宣讲团",
                         description="由党校教师、“五老”、先进模范和青年骨干组成，推行“群众点单、支部派单、宣讲员接单”。")]
    for street in Org.objects.filter(path__startswith=root.path, level=Level.STREET).order_by("path"):
        short = street.short_name or street.name
        teams.append(LectureTeam(org=street, org_path=street.path, name=f"{short}理论宣讲队",
                                 description=f"{short}党工委组建，深入社区、村、企业和小区开展“菜单式”宣讲。"))
    LectureTeam.objects.bulk_create(teams)
    return list(LectureTeam.objects.filter(org_path__startswith=root.path).order_by("id"))


@transaction.atomic
def generate_lectures(root: Org | None = None, *, seed: int = DEFAULT_SEED,
                      now: datetime.datetime | None = None) -> DemoLecturesResult:
    root = root or find_demo_root()
    if root is None:
        raise DemoLecturesError("没有找到演示区（行政区划代码 350205 的区级根组织），请先运行 manage.py demo --scale district。")
    if AuditEntry.objects.filter(action=AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk)).exists():
        return _result(root, created=False)
    if LectureTeam.objects.filter(org_path__startswith=root.path).exists():
        raise DemoLecturesError(f"“{root.name}”下已有宣讲团（非演示生成），未生成演示数据。")
    rng = random.Random(seed)
    now = now or clock.now()
    teams = _teams(root, rng)
    lecturers, topics = [], []
    for team in teams:
        members = list(Member.objects.filter(org_path__startswith=team.org_path).order_by("id")
                       .values_list("pk", "name")[:400])
        for _ in range(6 if team.org_id == root.pk else 3):
            pk, name = rng.choice(members) if members and rng.random() < 0.7 else (None, None)
            lecturers.append(Lecturer(team=team, org_id=team.org_id, org_path=team.org_path,
                                      name=name or f"{rng.choice('陈林黄张李王吴蔡')}{rng.choice('建国丽华志明秀英海燕')}",
                                      title=rng.choice(LECTURER_TITLES), member_id=pk))
        chosen = TOPICS if team.org_id == root.pk else rng.sample(TOPICS, 4)
        topics += [Topic(team=team, org_id=team.org_id, org_path=team.org_path, title=title, summary=summary,
                         minutes=minutes, audience=audience) for title, summary, minutes, audience in chosen]
    Lecturer.objects.bulk_create(lecturers)
    Topic.objects.bulk_create(topics)
    lecturers_of = {}
    for lecturer in Lecturer.objects.filter(team__in=teams):
        lecturers_of.setdefault(lecturer.team_id, []).append(lecturer)
    topics = list(Topic.objects.filter(team__in=teams).select_related("team"))
    raters = list(User.objects.filter(username__startswith="demo_resident_").order_by("id"))
    orderers = raters or list(User.objects.filter(is_superuser=False).order_by("id")[:20])
    if not orderers:
        raise DemoLecturesError("没有可用作点菜人的演示账号，请先运行 manage.py demo_venues。")
    communities = {org.path: org for org in Org.objects.filter(path__startswith=root.path, level=Level.COMMUNITY)}
    members_by_street = {}
    for team in teams:
        members_by_street[team.pk] = list(Member.objects.filter(org_path__startswith=team.org_path)
                                          .order_by("id").values_list("pk", flat=True)[:600])
    held: set[tuple[int, datetime.datetime]] = set()
    orders, cells_of, ratings, attendees = [], {}, [], []
    today = timezone.localdate(now)
    for index in range(ORDERS):
        topic = rng.choice(topics)
        team = topic.team
        day = today + datetime.timedelta(days=rng.randint(-PAST_DAYS, FUTURE_DAYS))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice((9, 10, 14, 15, 19)),
                                                                                  rng.choice((0, 30)))))
        end = start + datetime.timedelta(minutes=topic.minutes)
        community = rng.choice([org for path, org in communities.items() if path.startswith(team.org_path)]
                               or list(communities.values()))
        ordered_at = min(start - datetime.timedelta(days=rng.randint(2, 12)), now - datetime.timedelta(hours=1))
        order = LectureOrder(org_id=team.org_id, org_path=team.org_path, number=f"T{secrets.token_hex(8)}", topic=topic,
                             team=team, orderer=rng.choice(orderers),
                             group_name=f"{community.short_name or community.name}{rng.choice(GROUPS)}",
                             starts_at=start, ends_at=end,
                             place=f"{community.short_name or community.name}{rng.choice(PLACES)}",
                             expected_audience=rng.randint(20, 120), created_at=ordered_at, updated_at=ordered_at)
        cells = timeslots.cell_starts(start, end, LECTURER_CELL_MINUTES)
        free = [lecturer for lecturer in lecturers_of[team.pk] if not any((lecturer.pk, cell) in held for cell in cells)]
        roll = rng.random()
        if end <= now:
            status = S.DECLINED if roll < 0.04 else S.CANCELLED if roll < 0.08 else S.DELIVERED if roll < 0.25 else S.RATED
        else:
            status = S.ORDERED if roll < 0.4 else S.CANCELLED if roll < 0.45 else S.ASSIGNED
        if status in (S.ASSIGNED, S.DELIVERED, S.RATED) and not free:
            status = S.DECLINED
        if status == S.DECLINED:
            order.reason = "该时段宣讲员均已有安排，建议改约其他时间"
        if status == S.CANCELLED:
            order.reason = "活动改期"
        if status in (S.ASSIGNED, S.DELIVERED, S.RATED):
            lecturer = rng.choice(free)
            order.lecturer = lecturer
            order.assigned_at = ordered_at + datetime.timedelta(hours=rng.randint(2, 30))
            held.update((lecturer.pk, cell) for cell in cells)
            cells_of[index] = (lecturer, cells)
        if status in (S.DELIVERED, S.RATED):
            order.attendance = max(5, int(order.expected_audience * rng.uniform(0.7, 1.15)))
            order.delivered_at = end + datetime.timedelta(hours=rng.randint(1, 20))
            order.delivered_on = day
            order.delivery_summary = f"围绕《{topic.title}》开展宣讲，现场互动提问{rng.randint(2, 9)}个，群众反响良好。"
            pool = members_by_street.get(team.pk) or []
            listener_ids = rng.sample(pool, min(len(pool), rng.randint(2, 8)))
            if order.lecturer.member_id in listener_ids:
                listener_ids.remove(order.lecturer.member_id)
            attendees.append((index, listener_ids))
        if status == S.RATED and raters:
            for rater in rng.sample(raters, min(len(raters), rng.randint(3, 12))):
                ratings.append((index, LectureRating(rater=rater, score=rng.choices([5, 4, 3, 2], weights=[62, 28, 8, 2])[0],
                                                     comment=rng.choice(["", "", "通俗易懂", "很接地气", "希望多来讲",
                                                                         "案例生动", "时间再短一点更好"]))))
        order.status = status
        order.updated_at = order.delivered_at or order.assigned_at or ordered_at
        orders.append(order)
    with history_kept(LectureOrder, LectureRating, LectureEvent):
        LectureOrder.objects.bulk_create(orders, batch_size=500)
        for order in orders:
            order.number = f"XJ{timezone.localtime(order.created_at):%Y%m%d}{order.pk:06d}"
        LectureOrder.objects.bulk_update(orders, ["number"], batch_size=500)
        LecturerSlot.objects.bulk_create([LecturerSlot(lecturer=lecturer, starts_at=cell, order=orders[index])
                                          for index, (lecturer, cells) in cells_of.items() for cell in cells],
                                         batch_size=2000)
        LectureAttendee.objects.bulk_create([LectureAttendee(order=orders[index], member_id=pk)
                                             for index, ids in attendees for pk in ids], batch_size=2000)
        for index, rating in ratings:
            rating.order = orders[index]
            rating.created_at = rating.updated_at = orders[index].delivered_at + datetime.timedelta(hours=2)
        LectureRating.objects.bulk_create([rating for _, rating in ratings], batch_size=2000)
        labels = {"assign": "配菜（指派宣讲员）", "deliver": "送菜（登记宣讲）", "rate": "评菜"}
        events = []
        for order in orders:
            events.append(LectureEvent(order=order, action="order", label="点菜", actor=order.orderer,
                                       text=f"{order.group_name}点了《{order.topic.title}》", occurred_at=order.created_at))
            if order.lecturer_id:
                events.append(LectureEvent(order=order, action="assign", label=labels["assign"],
                                           text=f"指派宣讲员{order.lecturer.name}", occurred_at=order.assigned_at))
            if order.delivered_at:
                events.append(LectureEvent(order=order, action="deliver", label=labels["deliver"],
                                           text=f"实到{order.attendance}人", occurred_at=order.delivered_at))
            if order.status in (S.DECLINED, S.CANCELLED):
                events.append(LectureEvent(order=order, action=order.status, label=S(order.status).label,
                                           text=order.reason, occurred_at=order.updated_at))
        LectureEvent.objects.bulk_create(events, batch_size=2000)
    result = _result(root, created=True)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={"teams": result.teams, "orders": result.orders,
                                                                    "seed": seed})
    return result


def _result(root: Org, *, created: bool) -> DemoLecturesResult:
    orders = LectureOrder.objects.filter(org_path__startswith=root.path)
    teams = LectureTeam.objects.filter(org_path__startswith=root.path)
    return DemoLecturesResult(root=root, created=created, teams=teams.count(),
                              lecturers=Lecturer.objects.filter(team__in=teams).count(),
                              topics=Topic.objects.filter(team__in=teams).count(), orders=orders.count(),
                              by_status=dict(orders.values_list("status").annotate(n=Count("pk")).order_by()))

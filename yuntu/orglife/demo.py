"""A year of organisational life for the demo district, with the gaps the compliance scan should find.

What is written under the demo root (or, with `bench=True`, the whole tree under any root):

* a secretary (书记) for 97 % of branches — the rest have none (`orgs.no_secretary`);
* thirteen months of meetings up to today for every branch and party group: monthly theme days,
  committee meetings (branches of 7 or more members) and group meetings, quarterly general meetings
  and party lectures, the year's 组织生活会 and 民主评议党员 in December, themed-education study
  classes and seminars; most branches keep to the rules, about 15 % are patchy and 5 % lax (they
  skip a good share of their meetings), so the scan has lapses, warnings and repeats to escalate;
* attendance of every member at every meeting but committee meetings (present by QR code or roll
  call, on leave with a reason, or absent), a few members absent time after time;
* the dues table in force and three months of dues, with arrears;
* a 100-point scheme for the branches of 新阳街道, last quarter scored, ranked and its red flag
  awarded, the current quarter scored from the data so far;
* then the compliance scans of the first days of the last three months and of today (so repeated
  lapses have escalated), and a draft circular of the last quarter for the district.

Rows are written in bulk; the same seed gives the same data; a second run changes nothing.
In bench mode only orgs, officers, meetings and the attendance of the last three theme days are
written (the attendance of a province's year would be ~10⁸ rows).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import User
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.orgs.models import Level, Member, Org

from .models import Attendance, Dues, DuesBracket, Meeting, Officer, new_sign_in_token
from .workflow import ABSENCE_REASONS, AttendanceStatus, MeetingKind, MeetingStatus, SignInMethod

DEFAULT_SEED = 2026
BATCH = 5000
DUES_TABLE = [(Decimal("0"), Decimal("0.005")), (Decimal("3000"), Decimal("0.01")), (Decimal("5000"), Decimal("0.015")),
              (Decimal("10000"), Decimal("0.02"))]
THEMES = ["学习贯彻党的二十届四中全会精神", "清理楼道堆物、美化小区环境", "走访慰问困难党员群众", "重温入党誓词",
          "“我为群众办实事”志愿服务", "学习《中国共产党支部工作条例》", "垃圾分类宣传进小区", "参观海沧红色教育基地",
          "文明城市创建志愿服务", "关爱“一老一小”", "防范电信诈骗宣传", "党员亮身份、践承诺"]
LECTURES = ["以高质量党建引领基层治理", "弘扬伟大建党精神", "新时代“枫桥经验”的海沧实践", "作风建设永远在路上"]
MINUTES = ("会议由支部书记主持。{topic}。与会党员结合工作实际交流发言，会议明确了下阶段任务分工，"
           "并对群众反映的问题逐条研究、落实责任人。")


class DemoOrglifeError(Exception):
    pass


@dataclass
class OrglifeDemoResult:
    root: Org
    created: bool
    meetings: int = 0
    attendances: int = 0
    officers: int = 0
    dues: int = 0
    alerts_open: int = 0
    scan_seconds: float = 0.0


def _system_user() -> User:
    user, _ = User.objects.get_or_create(username="system", defaults={"display_name": "系统", "is_superuser": True,
                                                                      "is_staff": True})
    return user


def _marker(root: Org):
    from yuntu.accounts.models import AuditEntry

    return AuditEntry.objects.filter(action="orglife.demo_generate", object_id=str(root.pk))


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return sorted(months)


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


class Planner:
    """Decides, org by org and month by month, which meetings took place (and which were skipped)."""

    def __init__(self, rng: random.Random, today: datetime.date, months: int):
        self.rng, self.today, self.months = rng, today, _months(today, months)
        self.now = clock.now()

    def profile(self) -> float:
        """The chance that a due meeting is skipped: diligent, patchy or lax."""
        roll = self.rng.random()
        return 0.02 if roll < 0.80 else (0.3 if roll < 0.95 else 0.7)

    def day_in(self, month: datetime.date, low: int, high: int) -> datetime.date:
        return month.replace(day=self.rng.randint(low, high))

    def meetings_of(self, org_id: int, path: str, level: str, members: int) -> list[Meeting]:
        skip, rng, rows = self.profile(), self.rng, []

        def add(kind: str, day: datetime.date, title: str, hour: int = 9):
            starts = _moment(day, hour)
            held = starts <= self.now
            if held and rng.random() < skip:
                return
            rows.append(Meeting(org_id=org_id, org_path=path, kind=kind, title=title, starts_at=starts,
                                status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                                held_on=day if held else None, topics=title, place="党员活动室",
                                minutes=MINUTES.format(topic=title) if held else "", sign_in_token=new_sign_in_token(),
                                minutes_recorded_at=starts + datetime.timedelta(hours=3) if held else None))

        for month in self.months:
            if level == Level.GROUP:
                add(MeetingKind.GROUP, self.day_in(month, 3, 25), f"{month.month}月党小组会", 19)
                continue
            add(MeetingKind.THEME_DAY, self.day_in(month, 5, 25), f"{month.month}月主题党日：{rng.choice(THEMES)}", 15)
            if members >= 7:
                add(MeetingKind.COMMITTEE, self.day_in(month, 1, 10), f"{month.month}月支部委员会", 10)
            if month.month % 3 == 2:
                add(MeetingKind.GENERAL, self.day_in(month, 10, 25), f"第{(month.month + 2) // 3}季度支部党员大会")
                add(MeetingKind.LECTURE, self.day_in(month, 10, 25), f"党课：{rng.choice(LECTURES)}", 14)
            if month.month == 12:
                add(MeetingKind.LIFE_MEETING, self.day_in(month, 8, 28), f"{month.year}年度组织生活会")
                add(MeetingKind.APPRAISAL, self.day_in(month, 8, 28), f"{month.year}年度民主评议党员", 14)
            if month.month in (4, 9) and rng.random() < 0.5:
                kind = rng.choice([MeetingKind.STUDY_CLASS, MeetingKind.SEMINAR, MeetingKind.SPECIAL_LECTURE,
                                   MeetingKind.TALK])
                add(kind, self.day_in(month, 5, 25), f"主题教育{MeetingKind(kind).label}", 9)
        return [row for row in rows if row.starts_at.date() <= self.today + datetime.timedelta(days=20)]


def _members_by_org(root: Org, meeting_orgs: dict[str, int]) -> dict[int, list[int]]:
    """Active members under each meeting org: a member belongs to their branch and, if any, their group."""
    by_org: dict[int, list[int]] = {org_id: [] for org_id in meeting_orgs.values()}
    step = Org.steplen
    for member_id, path in Member.objects.filter(org_path__startswith=root.path, is_active=True).values_list(
            "pk", "org_path").order_by("pk").iterator(chunk_size=20000):
        for end in range(len(path), 0, -step):
            org_id = meeting_orgs.get(path[:end])
            if org_id is not None:
                by_org[org_id].append(member_id)
    return by_org


def _attendance(rng: random.Random, meetings: list[Meeting], members: dict[int, list[int]], truants: set[int],
                only_last: int | None = None):
    """Attendance rows of held meetings (committee meetings excepted), and each meeting's counts."""
    if only_last is not None:
        by_org: dict[int, list[Meeting]] = {}
        for meeting in meetings:
            if meeting.status == MeetingStatus.HELD and meeting.kind == MeetingKind.THEME_DAY:
                by_org.setdefault(meeting.org_id, []).append(meeting)
        chosen = [meeting for rows in by_org.values() for meeting in sorted(rows, key=lambda m: m.starts_at)[-only_last:]]
    else:
        chosen = [m for m in meetings if m.status == MeetingStatus.HELD and m.kind != MeetingKind.COMMITTEE]
    for meeting in chosen:
        present = 0
        expected = members.get(meeting.org_id, [])
        for member_id in expected:
            roll = rng.random()
            if member_id in truants or roll < 0.04:
                status, reason, method = AttendanceStatus.ABSENT, "", ""
            elif roll < 0.12:
                status, reason, method = AttendanceStatus.LEAVE, rng.choice(ABSENCE_REASONS), ""
            else:
                status, reason = AttendanceStatus.PRESENT, ""
                method = SignInMethod.QR if roll < 0.75 else SignInMethod.ROLL
                present += 1
            yield Attendance(meeting_id=meeting.pk, member_id=member_id, status=status, reason=reason, method=method,
                             signed_in_at=meeting.starts_at if status == AttendanceStatus.PRESENT else None,
                             starts_at=meeting.starts_at)
        meeting.expected_count, meeting.present_count = len(expected), present


def _bulk(model, rows, batch: int = BATCH) -> int:
    written, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            model.objects.bulk_create(chunk)
            written += len(chunk)
            chunk = []
    if chunk:
        model.objects.bulk_create(chunk)
        written += len(chunk)
    return written


@transaction.atomic
def generate_orglife(root: Org | None = None, *, seed: int = DEFAULT_SEED, months: int = 13, bench: bool = False,
                     scan: bool = True) -> OrglifeDemoResult:
    from yuntu.ledger.demo import find_demo_root

    root = root or find_demo_root()
    if root is None:
        raise DemoOrglifeError("没有找到演示区（行政区划代码 350205），请先运行 manage.py demo --scale district。")
    if _marker(root).exists():
        return OrglifeDemoResult(root=root, created=False, meetings=Meeting.objects.filter(
            org_path__startswith=root.path).count())
    rng = random.Random(seed)
    today = clock.today()
    system = _system_user()
    orgs = list(Org.objects.filter(path__startswith=root.path, is_active=True, level__in=[Level.BRANCH, Level.GROUP])
                .values_list("pk", "path", "level").order_by("path"))
    meeting_orgs = {path: pk for pk, path, _level in orgs}
    members = _members_by_org(root, meeting_orgs)
    result = OrglifeDemoResult(root=root, created=True)

    # Secretaries: the first member of 97 % of branches.
    officers = [Officer(org_id=pk, org_path=path, member_id=members[pk][0], position="secretary",
                        since=today - datetime.timedelta(days=rng.randint(200, 1500)))
                for pk, path, level in orgs if level == Level.BRANCH and members[pk] and rng.random() < 0.97]
    result.officers = _bulk(Officer, officers)

    planner = Planner(rng, today, months)
    with history_kept(Meeting):
        meetings = []
        for pk, path, level in orgs:
            meetings.extend(planner.meetings_of(pk, path, level, len(members[pk])))
        for meeting in meetings:
            meeting.created_at = meeting.updated_at = meeting.starts_at - datetime.timedelta(days=7)
        for start in range(0, len(meetings), BATCH):
            Meeting.objects.bulk_create(meetings[start:start + BATCH])
    if meetings and meetings[0].pk is None:  # backends that return no ids on bulk insert
        ids = dict(Meeting.objects.filter(org_path__startswith=root.path).values_list("sign_in_token", "pk"))
        for meeting in meetings:
            meeting.pk = ids[meeting.sign_in_token]
    result.meetings = len(meetings)

    every_member = [member_id for ids in members.values() for member_id in ids]
    truants = set(rng.sample(every_member, max(1, len(every_member) // 150))) if every_member else set()
    result.attendances = _bulk(Attendance, _attendance(rng, meetings, members, truants,
                                                       only_last=3 if bench else None))
    Meeting.objects.bulk_update([m for m in meetings if m.expected_count], ["expected_count", "present_count"],
                                batch_size=BATCH)
    if not bench:
        result.dues = _dues(rng, root, today)
        _assessment(rng, root, today, system)
    audit_record(actor=None, action="orglife.demo_generate", obj=root,
                 after={"meetings": result.meetings, "attendances": result.attendances, "officers": result.officers,
                        "dues": result.dues, "seed": seed})
    if scan:
        from yuntu.assessment.scan import run_scan

        if not bench:  # the scans of the last months, so that repeated lapses have escalated by now
            for month in _months(today, 4)[:-1]:
                run_scan(today=month, now=_moment(month, 6))
        outcome = run_scan()
        result.alerts_open, result.scan_seconds = outcome.still_open, outcome.seconds
        if not bench:
            _circular(root, today, system)
    return result


def _dues(rng: random.Random, root: Org, today: datetime.date) -> int:
    """The 2008 dues table in force, and three months of dues: most paid, some in arrears, this month half paid."""
    effective = datetime.date(2008, 4, 1)
    if not DuesBracket.objects.filter(effective_from=effective).exists():
        DuesBracket.objects.bulk_create([DuesBracket(effective_from=effective, income_above=lower, rate=rate)
                                         for lower, rate in DUES_TABLE])
    months = _months(today, 3)
    rows = []
    members = Member.objects.filter(org_path__startswith=root.path, is_active=True).values_list("pk", "org_id",
                                                                                                "org_path")
    for member_id, org_id, path in members.iterator(chunk_size=20000):
        income = Decimal(rng.choice([2600, 3800, 4500, 6200, 7800, 9500, 12000, 15000]))
        rate = max(rate for lower, rate in DUES_TABLE if income > lower or lower == 0)
        amount = (income * rate).quantize(Decimal("0.01"))
        for month in months:
            current = month == months[-1]
            paid = rng.random() < (0.5 if current else 0.95)
            rows.append(Dues(org_id=org_id, org_path=path, member_id=member_id, month=month, declared_income=income,
                             amount=amount, paid_amount=amount if paid else None,
                             paid_on=min(today, month + datetime.timedelta(days=rng.randint(3, 20))) if paid else None))
    return _bulk(Dues, rows)


def _assessment(rng: random.Random, root: Org, today: datetime.date, actor) -> None:
    """机关党建式百分考评 over the branches of 新阳街道: last quarter ranked with its red flag, this quarter begun."""
    from yuntu.assessment import services as assessment_services
    from yuntu.assessment.models import AssessmentPeriod, SchemeItem, Score, ScoringScheme, StarThreshold
    from yuntu.assessment.rules import Period, window_of

    street = Org.objects.filter(path__startswith=root.path, level=Level.STREET, name__contains="新阳").first()
    if street is None:
        return
    scheme = ScoringScheme.objects.create(org=root, org_path=root.path, name="基层党支部建设百分考评",
                                          target_level=Level.BRANCH,
                                          description="三会一课、主题党日由系统按记录自动计分，阵地建设、作用发挥由考核组评分。")
    items = [("三会一课开展", "automatic", "orglife.meetings_held", 20, Decimal("25")),
             ("主题党日开展", "automatic", "orglife.theme_days", 3, Decimal("20")),
             ("党员参加组织生活", "automatic", "orglife.attendance_present", 300, Decimal("15")),
             ("阵地建设与党员教育", "assessor", "", None, Decimal("20")),
             ("服务群众作用发挥", "assessor", "", None, Decimal("20"))]
    created = [SchemeItem.objects.create(scheme=scheme, name=name, method=method, indicator=indicator,
                                         full_at=full_at, max_score=maximum, position=index)
               for index, (name, method, indicator, full_at, maximum) in enumerate(items, start=1)]
    for stars, minimum in ((5, 90), (4, 80), (3, 70)):
        StarThreshold.objects.create(scheme=scheme, stars=stars, min_score=Decimal(minimum))
    current = window_of(Period.QUARTER, today, current=True)
    previous = window_of(Period.QUARTER, current.start - datetime.timedelta(days=1), current=False)
    for window, finished in ((previous, True), (current, False)):
        period = AssessmentPeriod.objects.create(org=street, org_path=street.path, scheme=scheme,
                                                 name=window.label, start=window.start,
                                                 end=min(window.end - datetime.timedelta(days=1), today))
        assessment_services.scores_compute(actor=actor, period=period)
        if not finished:
            continue
        units = list(assessment_services.competitors(period).values_list("pk", "path"))
        Score.objects.bulk_create([
            Score(period=period, item=item, org_id=pk, org_path=path, assessor=actor,
                  score=Decimal(rng.randint(12, 20)), evidence="考核组实地查看阵地、查阅台账")
            for item in created if item.method == "assessor" for pk, path in units])
        assessment_services.red_flag_award(actor=actor, period=period)


def _circular(root: Org, today: datetime.date, actor) -> None:
    from yuntu.assessment import services as assessment_services

    last = today.replace(day=1) - datetime.timedelta(days=1)
    assessment_services.circular_generate(actor=actor, org=root, start=last.replace(day=1) - datetime.timedelta(days=62),
                                          end=last)

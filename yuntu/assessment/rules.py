"""Compliance rules (融e红-style checks), declared in one place: each with its period, threshold and query.

A rule evaluates the whole tree at once: `evaluate(context, window, threshold)` returns the orgs that
fail it, {org id: Finding}, from one or two grouped queries — never a query per org. The scan
(`assessment.scan`) turns findings into alerts. Rules of this module and of the modules that exist
are declared below; another module adds its own in `yuntu/<app>/compliance.py` with
`rules.register(ComplianceRule(...))`, which the assessment app loads at start-up.
Staff override `enabled`, `threshold` and `escalate_after` per rule (`RuleSetting`, JSON text).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q

from yuntu.core.lookups import id_rows
from yuntu.orgs.models import Level, Member, Org, OrgMemberCount


class Period:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    NONE = ""
    LABELS = {MONTH: "每月", QUARTER: "每季度", YEAR: "每年", NONE: "随时"}


# How close to its end the current period must be before a missing meeting is a warning (days).
WARN_WINDOW_DAYS = {Period.MONTH: 31, Period.QUARTER: 30, Period.YEAR: 60}


@dataclass(frozen=True)
class Window:
    """One period of a periodic rule: [start, end), with its key ("2026-11", "2026Q4", "2026") and label."""

    key: str
    label: str
    start: datetime.date
    end: datetime.date
    current: bool


def window_of(period: str, day: datetime.date, *, current: bool) -> Window:
    if period == Period.MONTH:
        start = day.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1)
        return Window(f"{start:%Y-%m}", f"{start.year}年{start.month}月", start, end, current)
    if period == Period.QUARTER:
        quarter = (day.month - 1) // 3
        start = datetime.date(day.year, quarter * 3 + 1, 1)
        end = datetime.date(day.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
        return Window(f"{day.year}Q{quarter + 1}", f"{day.year}年第{'一二三四'[quarter]}季度", start, end, current)
    start = datetime.date(day.year, 1, 1)
    return Window(f"{day.year}", f"{day.year}年", start, datetime.date(day.year + 1, 1, 1), current)


def windows_for(period: str, today: datetime.date) -> list[Window]:
    """The windows a scan evaluates: the period just ended (a lapse) and, near its end, the current one (a warning)."""
    if period == Period.NONE:
        return []
    current = window_of(period, today, current=True)
    previous = window_of(period, current.start - datetime.timedelta(days=1), current=False)
    windows = [previous]
    if (current.end - today).days <= WARN_WINDOW_DAYS[period]:
        windows.append(current)
    return windows


def previous_windows(period: str, window: Window, count: int) -> list[Window]:
    found, day = [], window.start
    for _ in range(count):
        previous = window_of(period, day - datetime.timedelta(days=1), current=False)
        found.append(previous)
        day = previous.start
    return found


@dataclass(frozen=True)
class Finding:
    count: int
    detail: str


class Context:
    """What every rule of one scan shares: the date, the org tree read once, and memoised grouped queries."""

    def __init__(self, today: datetime.date, now: datetime.datetime):
        self.today, self.now = today, now
        self.orgs = list(Org.objects.filter(is_active=True).values_list("id", "path", "level", "temporary", "end_date"))
        self.active_ids = {row[0] for row in self.orgs}
        self._held: dict[tuple, dict[int, int]] = {}
        self._orgs_at: dict[tuple, list[tuple]] = {}
        self._members_under: dict[int, int] | None = None

    def orgs_at(self, *levels: str, live_only: bool = True) -> list[tuple]:
        """The active orgs of these levels (by default without temporary ones past their end), read once per scan."""
        key = (levels, live_only)
        if key not in self._orgs_at:
            self._orgs_at[key] = [row for row in self.orgs if row[2] in levels
                                  and not (live_only and row[3] and row[4] and row[4] < self.today)]
        return self._orgs_at[key]

    def held_by_org(self, kind: str, start: datetime.date, end: datetime.date) -> dict[int, int]:
        """Held meetings of one kind by org with held_on in [start, end): one grouped query per (kind, window).

        A rule needs one kind only; grouping every kind of a year would read all of the year's meetings to
        keep two kinds. The range runs along the index (kind, status, held_on, org), without the table.
        """
        from yuntu.orglife.models import Meeting
        from yuntu.orglife.workflow import MeetingStatus

        key = (kind, start, end)
        if key not in self._held:
            rows = (Meeting.objects.filter(kind=kind, status=MeetingStatus.HELD, held_on__gte=start, held_on__lt=end)
                    .order_by().values_list("org_id").annotate(n=Count("*")))  # COUNT(*): the index alone
            self._held[key] = dict(rows)
        return self._held[key]

    def members_under(self) -> dict[int, int]:
        """Active members in each org's subtree, rolled up from the per-org counts (one query)."""
        if self._members_under is None:
            by_path = {path: full + probationary for path, full, probationary in
                       OrgMemberCount.objects.values_list("org_path", "full", "probationary")}
            totals: dict[str, int] = {}
            step = Org.steplen
            for path, count in by_path.items():
                for end in range(step, len(path) + 1, step):
                    totals[path[:end]] = totals.get(path[:end], 0) + count
            self._members_under = {org_id: totals.get(path, 0) for org_id, path, *_rest in self.orgs}
        return self._members_under


@dataclass(frozen=True)
class ComplianceRule:
    code: str  # "orglife.theme_day": module, dot, name
    name: str  # "主题党日每月至少开展1次"
    description: str
    period: str  # Period.*
    threshold: int
    evaluate: Callable[[Context, Window | None, int], dict[int, Finding]] = field(compare=False)
    applies_to: str = "党支部"
    escalate_after: int = 2  # consecutive lapsed periods (or, for standing rules, scans) before escalation
    counts_kind: str = ""  # the meeting kind a meeting rule counts: a late record of it re-checks its old periods

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def period_label(self) -> str:
        return Period.LABELS[self.period]


_RULES: dict[str, ComplianceRule] = {}


def register(*rules: ComplianceRule) -> None:
    for rule in rules:
        if rule.code in _RULES and _RULES[rule.code] != rule:
            raise ValueError(f"compliance rule {rule.code} is declared twice")
        _RULES[rule.code] = rule


def all_rules() -> list[ComplianceRule]:
    return list(_RULES.values())


def get(code: str) -> ComplianceRule | None:
    return _RULES.get(code)


# --- configuration ----------------------------------------------------------------------------

CONFIG_KEYS = {"enabled": bool, "threshold": int, "escalate_after": int}


def parse_config(rule: ComplianceRule, text: str) -> dict:
    """Staff's JSON overrides of a rule, checked key by key; anything that does not parse is refused in Chinese."""
    try:
        value = json.loads(text or "{}")
    except json.JSONDecodeError as error:
        raise ValidationError({"config": f"规则配置不是有效的JSON（第{error.lineno}行第{error.colno}列）：{error.msg}。"}) \
            from None
    if not isinstance(value, dict):
        raise ValidationError({"config": "规则配置应为JSON对象，例如 {\"threshold\": 1}。"})
    unknown = sorted(set(value) - set(CONFIG_KEYS))
    if unknown:
        raise ValidationError({"config": f"规则配置中有不认识的项：{'、'.join(unknown)}；"
                                         f"可配置的项为 enabled、threshold、escalate_after。"})
    for key, kind in CONFIG_KEYS.items():
        if key in value and (type(value[key]) is not kind):
            raise ValidationError({"config": f"“{key}”应为{'true 或 false' if kind is bool else '整数'}。"})
    if value.get("threshold", 1) < 0 or not 1 <= value.get("escalate_after", 1) <= 12:
        raise ValidationError({"config": "threshold 不能为负数，escalate_after 应在1到12之间。"})
    return value


@dataclass(frozen=True)
class Effective:
    rule: ComplianceRule
    enabled: bool
    threshold: int
    escalate_after: int
    config: str


def effective_rules() -> list[Effective]:
    from .models import RuleSetting

    saved = dict(RuleSetting.objects.values_list("code", "config"))
    result = []
    for rule in all_rules():
        text = saved.get(rule.code, "")
        try:
            config = parse_config(rule, text) if text else {}
        except ValidationError:  # a stored setting never stops the scan; the defaults apply
            config = {}
        result.append(Effective(rule, config.get("enabled", True), config.get("threshold", rule.threshold),
                                config.get("escalate_after", rule.escalate_after), text))
    return result


# --- the rules over organisational life ---------------------------------------------------------


def meeting_rule(code: str, name: str, kind: str, period: str, threshold: int, levels: tuple[str, ...],
                 applies_to: str, min_members: int = 0) -> ComplianceRule:
    from yuntu.orglife.workflow import MeetingKind

    label = MeetingKind(kind).label
    verb = {MeetingKind.THEME_DAY: "开展", MeetingKind.APPRAISAL: "开展", MeetingKind.LECTURE: "讲授"}.get(kind, "召开")

    def evaluate(context: Context, window: Window, threshold: int) -> dict[int, Finding]:
        held_by_org = context.held_by_org(kind, window.start, window.end)
        members = context.members_under() if min_members else {}
        details: dict[int, str] = {}  # most lapsing orgs held none: one text per count, not per org
        findings = {}
        for org_id, *_rest in context.orgs_at(*levels):
            if min_members and members.get(org_id, 0) < min_members:
                continue
            held = held_by_org.get(org_id, 0)
            if held < threshold:
                detail = details.get(held)
                if detail is None:
                    detail = details[held] = f"{window.label}{verb}{label}{held}次，应不少于{threshold}次"
                findings[org_id] = Finding(threshold - held, detail)
        return findings

    return ComplianceRule(code, name, f"{applies_to}{Period.LABELS[period]}至少{verb}{threshold}次{label}。", period,
                          threshold, evaluate, applies_to, counts_kind=kind)


def _absent_three_running(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    """Members whose last `threshold` recorded meetings (within a year) were all absences without leave.

    Two statements: the members absent at least `threshold` times in the year, read along the index
    (status, starts_at, member) — nobody else can qualify — then a window function numbering only
    their attendances newest first (index (member, starts_at)). One statement over the whole table
    would number every attendance of the year, 10⁶ and more at province scale.
    """
    from yuntu.orglife.models import Attendance
    from yuntu.orglife.workflow import AttendanceStatus

    threshold = max(threshold, 1)
    attendance, member = Attendance._meta.db_table, Member._meta.db_table
    since = context.now - datetime.timedelta(days=365)
    candidates = list(Attendance.objects.filter(status=AttendanceStatus.ABSENT, starts_at__gte=since).order_by()
                      .values_list("member_id").annotate(n=Count("*")).filter(n__gte=threshold)
                      .values_list("member_id", flat=True))
    if not candidates:
        return {}
    listed, listed_params = id_rows(candidates, connection.vendor)
    sql = f"""
        SELECT m.org_id, COUNT(*) FROM (
            SELECT r.member_id FROM (
                SELECT a.member_id, a.status,
                       ROW_NUMBER() OVER (PARTITION BY a.member_id ORDER BY a.starts_at DESC, a.id DESC) AS rn
                FROM {attendance} a
                WHERE a.starts_at >= %s AND a.member_id IN ({listed})
            ) r WHERE r.rn <= %s
            GROUP BY r.member_id
            HAVING COUNT(*) = %s AND SUM(CASE WHEN r.status = %s THEN 1 ELSE 0 END) = %s
        ) absent JOIN {member} m ON m.id = absent.member_id
        WHERE m.is_active = %s GROUP BY m.org_id"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [since, *listed_params, threshold, threshold, AttendanceStatus.ABSENT, threshold, True])
        rows = cursor.fetchall()
    return {org_id: Finding(n, f"{n}名党员连续{threshold}次无故缺席组织生活") for org_id, n in rows}


def _probation_overdue(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    rows = (Member.objects.filter(is_active=True, status="probationary",
                                  probation_end__lt=context.today - datetime.timedelta(days=threshold))
            .order_by().values_list("org_id").annotate(n=Count("id")))
    return {org_id: Finding(n, f"{n}名预备党员预备期已满，尚未讨论转正") for org_id, n in rows}


def _ledger_overdue(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    from yuntu.ledger.models import Measure
    from yuntu.ledger.workflow import OPEN_MEASURE_STATUSES

    rows = (Measure.objects.filter(status__in=OPEN_MEASURE_STATUSES,
                                   deadline__lt=context.today - datetime.timedelta(days=threshold))
            .order_by().values_list("org_id").annotate(n=Count("id")))
    return {org_id: Finding(n, f"{n}项整改措施超过完成时限仍未完成") for org_id, n in rows}


def _requests_overdue(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    from yuntu.voices.models import Request
    from yuntu.voices.workflow import OPEN_STATUSES

    rows = (Request.objects.filter(status__in=OPEN_STATUSES,
                                   resolve_due__lt=context.now - datetime.timedelta(days=threshold))
            .order_by().values_list("org_id").annotate(n=Count("id")))
    return {org_id: Finding(n, f"{n}件群众诉求超过办结期限仍未办结") for org_id, n in rows}


def _temporary_past_end(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    limit = context.today - datetime.timedelta(days=threshold)
    return {row[0]: Finding(1, f"临时党组织已于{row[4]:%Y年%m月%d日}到期，尚未撤销")
            for row in context.orgs_at(Level.BRANCH, Level.COMMUNITY, Level.GROUP, live_only=False)
            if row[3] and row[4] and row[4] < limit}


def _no_secretary(context: Context, window: Window | None, threshold: int) -> dict[int, Finding]:
    from yuntu.orglife.models import Officer

    with_secretary = set(Officer.objects.filter(position="secretary", until__isnull=True).values_list("org_id", flat=True))
    return {org_id: Finding(1, "未配备书记") for org_id, *_rest in context.orgs_at(Level.BRANCH)
            if org_id not in with_secretary}


def _builtin() -> list[ComplianceRule]:
    from yuntu.orglife.workflow import MeetingKind as K

    branch, group = (Level.BRANCH,), (Level.GROUP,)
    return [
        meeting_rule("orglife.general_meeting", "支部党员大会每季度至少1次", K.GENERAL, Period.QUARTER, 1, branch, "党支部"),
        meeting_rule("orglife.committee_meeting", "支部委员会每月至少1次", K.COMMITTEE, Period.MONTH, 1, branch,
                     "党员7人以上的党支部", min_members=7),
        meeting_rule("orglife.group_meeting", "党小组会每月至少1次", K.GROUP, Period.MONTH, 1, group, "党小组"),
        meeting_rule("orglife.party_lecture", "党课每季度至少1次", K.LECTURE, Period.QUARTER, 1, branch, "党支部"),
        meeting_rule("orglife.theme_day", "主题党日每月开展", K.THEME_DAY, Period.MONTH, 1, branch, "党支部"),
        meeting_rule("orglife.life_meeting", "每年召开组织生活会", K.LIFE_MEETING, Period.YEAR, 1, branch, "党支部"),
        meeting_rule("orglife.appraisal", "每年开展民主评议党员", K.APPRAISAL, Period.YEAR, 1, branch, "党支部"),
        ComplianceRule("orglife.absent_running", "党员连续3次无故缺席", "党员连续3次（阈值）无故缺席组织生活（请假不计）。",
                       Period.NONE, 3, _absent_three_running, "党员所在组织", escalate_after=3),
        ComplianceRule("orgs.probation_overdue", "预备期满未讨论转正", "预备党员预备期满超过阈值天数，仍未讨论转正。",
                       Period.NONE, 0, _probation_overdue, "党员所在组织", escalate_after=3),
        ComplianceRule("ledger.measure_overdue", "整改措施超期未完成", "整改措施超过完成时限（加阈值天数）仍未完成。",
                       Period.NONE, 0, _ledger_overdue, "措施责任单位", escalate_after=3),
        ComplianceRule("voices.request_overdue", "群众诉求超期未办结", "群众诉求超过办结期限（加阈值天数）仍未办结。",
                       Period.NONE, 0, _requests_overdue, "诉求所属组织", escalate_after=3),
        ComplianceRule("orgs.temporary_expired", "临时党组织到期未撤销", "临时党组织超过撤销日期（加阈值天数）仍在运行。",
                       Period.NONE, 0, _temporary_past_end, "临时党组织", escalate_after=3),
        ComplianceRule("orgs.no_secretary", "党支部未配备书记", "党支部没有在任书记。", Period.NONE, 0, _no_secretary,
                       "党支部", escalate_after=3),
    ]


register(*_builtin())


def active_filter() -> Q:
    from .workflow import ACTIVE_ALERT_STATUSES

    return Q(status__in=ACTIVE_ALERT_STATUSES)

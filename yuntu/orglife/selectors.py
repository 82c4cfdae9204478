"""Reads of organisational life, limited to what the acting user may see; figures are grouped SQL."""

import calendar
import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from yuntu.accounts.policy import scope_paths, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Level, Member, Org

from .models import Attendance, Dues, Meeting
from .workflow import AttendanceStatus, MeetingKind, MeetingStatus

STEP = Org.steplen


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return visible(user, Meeting, Permission.ORGLIFE_VIEW).select_related("org")


def orglife_orgs_visible_to(user, *, permission: str = Permission.ORGLIFE_VIEW) -> QuerySet[Org]:
    return visible(user, Org, permission)


def orglife_roots_for(user, *, permission: str = Permission.ORGLIFE_VIEW) -> QuerySet[Org]:
    """The top nodes of the user's scope under a permission: where a page's subtree picker starts."""
    paths = scope_paths(user, permission)
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path")
    return Org.objects.filter(path__in=paths).order_by("path")


def meeting_orgs_for(user) -> QuerySet[Org]:
    """Orgs the user may plan meetings for (orglife.edit): branches, groups and community committees."""
    return (orglife_orgs_visible_to(user, permission=Permission.ORGLIFE_EDIT)
            .filter(is_active=True, level__in=[Level.BRANCH, Level.GROUP, Level.COMMUNITY]).order_by("path"))


def meeting_list(user, *, org: Org | None = None, kind: str = "", status: str = "",
                 start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet[Meeting]:
    meetings = meetings_visible_to(user)
    if org is not None:
        meetings = meetings.filter(org_path__under=org.path)
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    if start:
        meetings = meetings.filter(starts_at__date__gte=start)
    if end:
        meetings = meetings.filter(starts_at__date__lte=end)
    return meetings.order_by("-starts_at", "-id")


CALENDAR_DAY_LIMIT = 8


def month_calendar(user, *, org: Org, month: datetime.date) -> list[list[dict]]:
    """The branch calendar: weeks (Monday first) of days, each with the meetings of the org's subtree that day.

    A wide subtree has hundreds of meetings a day: a day shows the first few and how many more.
    """
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    meetings = list(meeting_list(user, org=org, start=first, end=last).order_by("starts_at"))
    by_day: dict[datetime.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(first.year, first.month):
        weeks.append([{"day": day, "in_month": day.month == first.month, "today": day == clock.today(),
                       "meetings": by_day.get(day, [])[:CALENDAR_DAY_LIMIT],
                       "more": max(0, len(by_day.get(day, [])) - CALENDAR_DAY_LIMIT)} for day in week])
    return weeks


def attendance_of(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendances.select_related("member").order_by("member__name", "member_id")


def member_history(user, member: Member, *, year: int | None = None) -> dict:
    """One member's attendance record: every meeting of their org, present / on leave / absent, and the totals."""
    rows = Attendance.objects.filter(member=member, meeting__org_path__in=_visible_meeting_paths(user, member))
    if year:
        rows = rows.filter(starts_at__year=year)
    rows = rows.select_related("meeting", "meeting__org").order_by("-starts_at", "-id")
    totals = rows.order_by().aggregate(
        total=Count("id"), present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
        absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)))
    totals["rate"] = round(totals["present"] * 100 / totals["total"], 1) if totals["total"] else None
    return {"rows": rows, "totals": totals}


def _visible_meeting_paths(user, member: Member) -> list[str]:
    """The member's own org and its ancestors that the user may see (where the member's meetings are held)."""
    wanted = [member.org_path[:end] for end in range(STEP, len(member.org_path) + 1, STEP)]
    if member.user_id and member.user_id == getattr(user, "pk", None):
        return wanted  # a member always sees their own record
    return list(orglife_orgs_visible_to(user).filter(path__in=wanted).values_list("path", flat=True))


def _theme_day_attendances(year: int) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting__kind=MeetingKind.THEME_DAY, meeting__status=MeetingStatus.HELD,
                                     status=AttendanceStatus.PRESENT, starts_at__year=year)


def _per_member(rows: QuerySet[Attendance]) -> dict[int, int]:
    return dict(rows.order_by().values("member_id").annotate(n=Count("id")).values_list("member_id", "n"))


def theme_days_attended(user, *, year: int, org: Org | None = None, member_ids: list[int] | None = None) -> dict[int, int]:
    """主题党日 attended per member in a calendar year: {member id: count}, one grouped query.

    Only members the user may see (or the user's own record).
    """
    rows = _theme_day_attendances(year)
    own = Member.objects.filter(user_id=getattr(user, "pk", None)).values_list("pk", flat=True)
    visible_members = visible(user, Member, Permission.ORGLIFE_VIEW)
    if org is not None:
        visible_members = visible_members.filter(org_path__under=org.path)
    rows = rows.filter(Q(member__in=visible_members.values("pk")) | Q(member__in=own))
    if member_ids is not None:
        rows = rows.filter(member_id__in=member_ids)
    return _per_member(rows)


def theme_days_of_members(year: int, members: QuerySet[Member]) -> dict[int, int]:
    """The 5+X theme-day source: 主题党日 attended per member of `members`, a queryset the caller has scoped.

    One grouped query; registered with the claims app's 5+X in `OrglifeConfig.ready()`.
    """
    return _per_member(_theme_day_attendances(year).filter(member__in=members.values("pk")))


def figures(user, *, org: Org, start: datetime.date, end: datetime.date) -> dict:
    """Meetings held by kind, and the attendance rate, for a subtree and period [start, end]: two grouped queries."""
    held = meetings_visible_to(user).filter(org_path__under=org.path, status=MeetingStatus.HELD,
                                            held_on__gte=start, held_on__lte=end)
    by_kind = dict(held.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    sums = held.order_by().aggregate(expected=Sum("expected_count"), present=Sum("present_count"))
    expected, present = sums["expected"] or 0, sums["present"] or 0
    return {"by_kind": [(kind, label, by_kind.get(kind, 0)) for kind, label in MeetingKind.choices],
            "held": sum(by_kind.values()), "expected": expected, "present": present,
            "attendance_rate": round(present * 100 / expected, 1) if expected else None}


def meetings_by_child(user, *, org: Org, start: datetime.date, end: datetime.date) -> list[dict]:
    """Held meetings and attendance of each child unit of org (one grouped query)."""
    from django.db.models.functions import Substr

    held = meetings_visible_to(user).filter(org_path__under=org.path, status=MeetingStatus.HELD,
                                            held_on__gte=start, held_on__lte=end).exclude(org_path=org.path)
    rows = list(held.order_by().annotate(child=Substr("org_path", 1, len(org.path) + STEP)).values("child")
                .annotate(n=Count("id"), expected=Sum("expected_count"), present=Sum("present_count")))
    names = dict(Org.objects.filter(path__in=[row["child"] for row in rows]).values_list("path", "name"))
    for row in rows:
        row["name"] = names.get(row["child"], "")
        row["rate"] = round((row["present"] or 0) * 100 / row["expected"], 1) if row["expected"] else None
    return sorted(rows, key=lambda row: row["child"])


def years_with_meetings(user) -> list[int]:
    years = (meetings_visible_to(user).order_by().annotate(y=ExtractYear("starts_at")).values_list("y", flat=True)
             .distinct())
    return sorted(set(years) | {clock.today().year}, reverse=True)


def arrears(user, *, org: Org, before: datetime.date | None = None) -> QuerySet[Dues]:
    """欠缴名单: dues of past months not yet paid, under the org, oldest first."""
    before = (before or clock.today()).replace(day=1)
    return (visible(user, Dues, Permission.ORGLIFE_VIEW).filter(org_path__under=org.path, paid_on__isnull=True,
                                                                 month__lt=before)
            .select_related("member", "org").order_by("org_path", "member_id", "month"))


def arrears_by_branch(user, *, org: Org, before: datetime.date | None = None) -> list[dict]:
    rows = (arrears(user, org=org, before=before).order_by().values("org_id", "org__name")
            .annotate(members=Count("member_id", distinct=True), months=Count("id"), amount=Sum("amount")))
    return sorted(rows, key=lambda row: -row["amount"])


def dues_of(user, *, org: Org, month: datetime.date) -> QuerySet[Dues]:
    return (visible(user, Dues, Permission.ORGLIFE_VIEW).filter(org_path__under=org.path, month=month.replace(day=1))
            .select_related("member").order_by("org_path", "member__name"))

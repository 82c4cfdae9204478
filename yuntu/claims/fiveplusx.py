"""5+X: each member's yearly duties, filled in from the records, never ticked by hand.

The five duties are a theme day, a claimed need, a lecture, a volunteer service and a visit to a
family in difficulty; X are the member's own declared items (pledges) that a service was filed
against. Each duty has one *source*: a function `source(year, members) -> {member_id: count}` that
answers for a queryset of members with one grouped query. A duty whose records live in a module
that is not installed has no source yet; it is shown as 待接入 (not connected), never as missed.

Another module connects its duty with, e.g. in its `AppConfig.ready()`::

    from yuntu.claims import fiveplusx
    fiveplusx.register_source("theme_day", theme_days_attended)   # (year, members) -> {member_id: n}
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext_noop as _

from yuntu.orgs.models import Member

from .models import Pledge, ServiceKind, ServiceRecord

Source = Callable[[int, QuerySet], dict[int, int]]


@dataclass(frozen=True)
class Duty:
    code: str
    label: str
    hint: str  # where the records come from, shown beside a duty not yet connected


DUTIES: tuple[Duty, ...] = (
    Duty("theme_day", _("参加一次主题党日"), _("组织生活模块（三会一课·主题党日签到）")),
    Duty("claimed_need", _("认领一个微心愿"), _("服务认领（认领经社区确认）")),
    Duty("lecture", _("参加一次宣讲"), _("菜单式宣讲模块（宣讲场次听众）")),
    Duty("volunteer_service", _("参加一次志愿服务"), _("双报到服务记录（志愿服务、社区报到服务）")),
    Duty("family_visit", _("走访一户困难家庭"), _("四下基层模块（走访记录）")),
)
X_CODE = "x"
X_LABEL = _("自选承诺事项（X）")

_SOURCES: dict[str, Source] = {}


def register_source(code: str, source: Source) -> None:
    if code not in {duty.code for duty in DUTIES} | {X_CODE}:
        raise ValueError(f"unknown 5+X duty {code}")
    _SOURCES[code] = source


def source_of(code: str) -> Source | None:
    return _SOURCES.get(code)


def _member_counts(records: QuerySet, field: str = "member") -> dict[int, int]:
    return {row[field]: row["n"] for row in records.values(field).annotate(n=Count("id")).order_by()}


def claimed_needs(year: int, members: QuerySet) -> dict[int, int]:
    """Claims confirmed by the community in the year (their service records)."""
    return _member_counts(ServiceRecord.objects.filter(kind=ServiceKind.NEED, served_on__year=year,
                                                       member__in=members.values("pk")))


def volunteer_services(year: int, members: QuerySet) -> dict[int, int]:
    """Volunteer services and dual-report services the community recorded in the year."""
    return _member_counts(ServiceRecord.objects.filter(kind__in=(ServiceKind.VOLUNTEER, ServiceKind.COMMUNITY),
                                                       served_on__year=year, member__in=members.values("pk")))


def own_items(year: int, members: QuerySet) -> dict[int, int]:
    """The member's pledges of the year that at least one service record was filed against."""
    served = ServiceRecord.objects.filter(pledge=OuterRef("pk"))
    return _member_counts(Pledge.objects.filter(year=year, member__in=members.values("pk")).filter(Exists(served)))


register_source("claimed_need", claimed_needs)
register_source("volunteer_service", volunteer_services)
register_source(X_CODE, own_items)


def year_of(members: QuerySet[Member], year: int) -> dict:
    """For the given members: {"duties": [...], "rows": {member_id: {code: count}}} — one query per source."""
    counts = {}
    duties = []
    for duty in DUTIES:
        source = source_of(duty.code)
        duties.append({"code": duty.code, "label": duty.label, "hint": duty.hint, "connected": source is not None})
        if source is not None:
            counts[duty.code] = source(year, members)
    x_source = source_of(X_CODE)
    counts[X_CODE] = x_source(year, members) if x_source else {}
    return {"duties": duties, "counts": counts}


def member_rows(members: list[Member], year: int, queryset: QuerySet[Member]) -> tuple[list[dict], list[dict]]:
    """Rows of a branch's 5+X table: each member's duties (count, or None when not connected) and gaps."""
    result = year_of(queryset, year)
    duties = result["duties"]
    rows = []
    for member in members:
        cells, missing = [], 0
        for duty in duties:
            if duty["connected"]:
                count = result["counts"][duty["code"]].get(member.pk, 0)
                missing += count == 0
            else:
                count = None
            cells.append({"code": duty["code"], "label": duty["label"], "count": count})
        rows.append({"member": member, "cells": cells, "x": result["counts"][X_CODE].get(member.pk, 0),
                     "missing": missing})
    return duties, rows

"""Reads of the command dashboard: every registered figure of a subtree and period, through the registry.

The dashboard knows no module: it shows whatever `yuntu.indicators.registry` holds, grouped by
module, each figure limited to the users who may see its records (`Indicator.permission`).
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Avg, QuerySet
from django.db.models.functions import Substr

from yuntu.accounts.policy import can, scope_paths, scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.indicators import registry, tallies
from yuntu.indicators.figures import Figures, prefetch_children
from yuntu.indicators.registry import Indicator, Scope
from yuntu.orgs.models import Org

STEP = Org.steplen
TREND_MONTHS = 12
TREND_PER_MODULE = 2  # the first dated figures of each module get a line on the trend


def permission_of(indicator: Indicator) -> str:
    return indicator.permission or Permission.DASHBOARD_VIEW


def dashboard_orgs_visible_to(user) -> QuerySet[Org]:
    return visible(user, Org, Permission.DASHBOARD_VIEW)


def dashboard_roots_for(user) -> QuerySet[Org]:
    """The top nodes of the user's dashboard scope: the subtrees they may pick."""
    paths = scope_paths(user, Permission.DASHBOARD_VIEW)
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path")
    return Org.objects.filter(path__in=paths).order_by("path")


def org_trail(user, org: Org) -> list[Org]:
    wanted = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    return list(dashboard_orgs_visible_to(user).filter(path__in=wanted).order_by("depth"))


def org_children(user, org: Org) -> QuerySet[Org]:
    return dashboard_orgs_visible_to(user).filter(path__under=org.path, depth=org.depth + 1,
                                                  is_active=True).order_by("path")


def indicators_for(user, org: Org) -> list[Indicator]:
    """The registered indicators whose records the user may see in org's subtree, in declaration order."""
    return [indicator for indicator in registry.declared() if can(user, permission_of(indicator), path=org.path)]


def scope_of(org: Org, start: datetime.date | None, end: datetime.date | None) -> Scope:
    """Pages take the period's last day inclusive; the registry's end is exclusive."""
    return Scope(org_path=org.path, start=start, end=end + datetime.timedelta(days=1) if end else None)


def module_label(module: str) -> str:
    try:
        return str(apps.get_app_config(module).verbose_name)
    except LookupError:
        return module


@dataclass
class Board:
    org: Org
    scope: Scope
    modules: list[dict] = field(default_factory=list)
    children: list[dict] = field(default_factory=list)
    columns: list[Indicator] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    ranking: dict = field(default_factory=dict)
    points: list[dict] = field(default_factory=list)


def trend_scope(org: Org, start: datetime.date | None, end: datetime.date | None) -> Scope:
    """The trend's months: the period, or the last twelve whole months (this one included) when it is open."""
    last = (end + datetime.timedelta(days=1)) if end else registry.next_month(clock.today())
    first = start or (last.replace(day=1) - datetime.timedelta(days=31 * (TREND_MONTHS - 1))).replace(day=1)
    return Scope(org_path=org.path, start=first, end=last)


def child_points(children: list[Org]) -> dict[str, tuple[float, float]]:
    """A point per child unit: its own coordinates, else the mean of those of the units up to two
    levels below it (one grouped query over those levels, not the whole subtree)."""
    points = {child.path: (float(child.latitude), float(child.longitude)) for child in children
              if child.latitude is not None and child.longitude is not None}
    missing = [child.path for child in children if child.path not in points]
    if missing:
        depth = len(missing[0]) // STEP
        rows = (Org.objects.filter(latitude__isnull=False, longitude__isnull=False, path__under=missing[0][:-STEP],
                                   depth__in=(depth + 1, depth + 2))
                .annotate(child_path=Substr("path", 1, len(missing[0]))).filter(child_path__in=missing)
                .values("child_path").annotate(latitude=Avg("latitude"), longitude=Avg("longitude")).order_by())
        points.update({row["child_path"]: (float(row["latitude"]), float(row["longitude"])) for row in rows})
    return points


def board(user, *, org: Org, start: datetime.date | None = None, end: datetime.date | None = None,
          rank: str = "") -> Board:
    """Key figures by module, the children's table and ranking, the monthly trend and the map of a subtree."""
    scope = scope_of(org, start, end)
    figures = Figures(scope)
    indicators = indicators_for(user, org)
    result = Board(org=org, scope=scope)
    children = list(org_children(user, org)[:300])
    result.columns = [indicator for indicator in indicators if "org" in indicator.breakdowns]
    months_scope = trend_scope(org, start, end)
    figures.prefetch_tallies(org, indicators, months_scope)
    prefetch_children(figures, result.columns)
    table = {indicator.code: figures.by_child(indicator) for indicator in result.columns}
    result.children = [{"org": child, "values": [table[indicator.code].get(child.path, 0 if not indicator.is_ratio else None)
                                                 for indicator in result.columns]} for child in children]

    by_module: dict[str, list] = {}
    for indicator in indicators:
        by_module.setdefault(indicator.module, []).append({"indicator": indicator, "value": figures.value(indicator)})
    result.modules = [{"module": module, "label": module_label(module), "figures": rows}
                      for module, rows in by_module.items()]

    ranked = next((indicator for indicator in result.columns if indicator.code == rank), None)
    ranked = ranked or next((indicator for indicator in result.columns if indicator.is_ratio), None)
    ranked = ranked or (result.columns[0] if result.columns else None)
    if ranked is not None:
        index = result.columns.index(ranked)
        rows = sorted(result.children, key=lambda row: (-(row["values"][index] or 0), row["org"].path))
        result.ranking = {"indicator": ranked, "rows": [{"org": row["org"], "value": row["values"][index]}
                                                        for row in rows]}
        points = child_points(children)
        result.points = [{"org": row["org"], "value": row["values"][index], "point": points[row["org"].path]}
                         for row in result.children if row["org"].path in points]

    months = registry.month_starts(months_scope.start, months_scope.end)
    trended, per_module = [], {}
    # Each module's first dated figures, those kept in tallies first (their months are read already).
    candidates = sorted(indicators, key=lambda indicator: tallies.counted_for(indicator.code) is None)
    for indicator in candidates:
        if indicator.date_field and not indicator.is_ratio and per_module.get(indicator.module, 0) < TREND_PER_MODULE:
            per_module[indicator.module] = per_module.get(indicator.module, 0) + 1
            trended.append(indicator)
    figures.prefetch_months(trended, months_scope)
    series = []
    trended.sort(key=indicators.index)
    for indicator in trended:
        values = figures.by_month(indicator, months_scope)
        series.append({"indicator": indicator, "data": [values.get(month, 0) for month in months]})
    result.trend = {"months": months, "series": series}
    return result


def records(user, indicator: Indicator, scope: Scope) -> QuerySet:
    """The records behind a figure, as the policy lets this user see them (callers check the subtree first)."""
    queryset = registry.records_in(indicator, scope).filter(scope_q(user, permission_of(indicator), indicator.path_field))
    if any(field.name == "org" for field in queryset.model._meta.get_fields()):
        queryset = queryset.select_related("org")
    return queryset.order_by("-pk")


def may_see(user, indicator: Indicator, org: Org) -> bool:
    return can(user, Permission.DASHBOARD_VIEW, path=org.path) and can(user, permission_of(indicator), path=org.path)

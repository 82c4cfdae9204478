"""The indicator registry: every figure Yuntu shows is declared here once, by the module that owns it.

An indicator names a base queryset of records, the record's org-path field and date field, and an
aggregate. The registry adds the subtree and the period itself, so the dashboard, briefings,
circulars and exports compute a figure the same way, in SQL, and can list the records behind it.
Callers check that the acting user may see the subtree before asking (`yuntu.accounts.policy`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Aggregate, Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone


class Unit:
    """Units as the source reports write them."""

    ITEM = "个"
    MATTER = "项"
    SESSION = "场"
    PERSON_TIME = "人次"
    PERSON = "人"
    HOUR = "小时"
    YUAN = "元"
    PERCENT = "%"


@dataclass(frozen=True)
class Scope:
    """A subtree (the root org's tree path) and a period [start, end), both inclusive of start."""

    org_path: str
    start: datetime.date | None = None
    end: datetime.date | None = None


@dataclass(frozen=True)
class Indicator:
    code: str  # "ledger.problems": module, dot, name
    name: str  # "梳理问题"
    unit: str
    definition: str  # what is counted, in words a district officer would use
    records: Callable[[], QuerySet]  # the base records, before subtree and period
    path_field: str = "org_path"
    date_field: str | None = None  # None: a stock figure, not limited by period
    aggregate: Callable[[], Aggregate] = field(default=lambda: Count("pk"))
    breakdowns: tuple[str, ...] = ("org", "period")
    phrases: tuple[str, ...] = ()  # how reports name it ("梳理问题", "排查问题"), for reading figures
    permission: str = ""  # who may see the figure and its records; "" = whoever may see the dashboard
    numerator: str = ""  # a ratio (%): numerator ÷ denominator × 100 of two other indicators' codes
    denominator: str = ""
    record_url: Callable[[object], str] | None = None  # the page of one record behind the figure
    # A stock figure kept in a roll-up table (one row per org, `org_path`): (rows, aggregate over them).
    # The figure is computed from it; the records behind it are still `records`.
    rollup: Callable[[], tuple[QuerySet, Aggregate]] | None = None

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def is_ratio(self) -> bool:
        return bool(self.numerator and self.denominator)


_REGISTRY: dict[str, Indicator] = {}


class UnknownIndicator(KeyError):
    pass


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        existing = _REGISTRY.get(indicator.code)
        if existing is not None and existing != indicator:
            raise ValueError(f"indicator {indicator.code} is declared twice")
        _REGISTRY[indicator.code] = indicator


def ratio(*, code: str, name: str, numerator: str, denominator: str, definition: str, **options) -> Indicator:
    """A rate of two registered indicators (e.g. 完成率 = completed measures ÷ measures), in %.

    Its records are the denominator's; its period and subtree are those of both parts.
    """
    base = get(denominator)
    options.setdefault("permission", base.permission)
    options.setdefault("record_url", base.record_url)
    return Indicator(code=code, name=name, unit=Unit.PERCENT, definition=definition, records=base.records,
                     path_field=base.path_field, date_field=base.date_field, numerator=numerator,
                     denominator=denominator, **options)


def get(code: str) -> Indicator:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownIndicator(code) from None


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda indicator: indicator.code)


def declared() -> list[Indicator]:
    """Every indicator in the order the modules declared them (the order a board shows them in)."""
    return list(_REGISTRY.values())


def _is_timestamp(model, lookup: str) -> bool:
    """Whether a date lookup (`found_on`, `problem__found_on`, `posted_at__date`) compares timestamps."""
    parts = lookup.split("__")
    for position, part in enumerate(parts):
        field = model._meta.get_field(part)
        rest = parts[position + 1:]
        if field.is_relation and rest:
            model = field.related_model
            continue
        return isinstance(field, models.DateTimeField) and not rest  # `__date` and the like compare dates
    return False


def _bound(indicator: Indicator, queryset: QuerySet, day: datetime.date):
    """A period bound fit for the date field: the local midnight of the day for a timestamp."""
    if _is_timestamp(queryset.model, indicator.date_field):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day


def records_in(indicator: Indicator, scope: Scope) -> QuerySet:
    """The records behind the figure: the base records within the subtree and period."""
    queryset = indicator.records().filter(**{f"{indicator.path_field}__under": scope.org_path})
    if indicator.date_field and scope.start:
        queryset = queryset.filter(**{f"{indicator.date_field}__gte": _bound(indicator, queryset, scope.start)})
    if indicator.date_field and scope.end:
        queryset = queryset.filter(**{f"{indicator.date_field}__lt": _bound(indicator, queryset, scope.end)})
    return queryset


def percent(numerator, denominator) -> float | None:
    return round(numerator * 100 / denominator, 1) if denominator else None


def value(code: str, scope: Scope):
    indicator = get(code)
    if indicator.is_ratio:
        return percent(value(indicator.numerator, scope), value(indicator.denominator, scope))
    if indicator.rollup is not None:
        rows, aggregate = indicator.rollup()
        return rows.filter(org_path__under=scope.org_path).aggregate(value=aggregate)["value"] or 0
    result = records_in(indicator, scope).aggregate(value=indicator.aggregate())["value"]
    return result or 0


def values_by_child(code: str, scope: Scope, step: int) -> dict[str, object]:
    """The figure for each child subtree of the scope's root in one grouped query: {child path: value}.

    `step` is the length of one path step (`Org.steplen`); records on the root itself are left out.
    """
    indicator = get(code)
    if indicator.is_ratio:
        return _ratio_of(values_by_child(indicator.numerator, scope, step),
                         values_by_child(indicator.denominator, scope, step))
    child_length = len(scope.org_path) + step
    if indicator.rollup is not None:
        base, aggregate = indicator.rollup()
        base, path_field = base.filter(org_path__under=scope.org_path), "org_path"
    else:
        base, aggregate, path_field = records_in(indicator, scope), indicator.aggregate(), indicator.path_field
    rows = (
        base.exclude(**{path_field: scope.org_path})
        .annotate(child_path=Substr(path_field, 1, child_length))
        .values("child_path")
        .annotate(value=aggregate)
        .order_by()
    )
    return {row["child_path"]: row["value"] or 0 for row in rows}


def _ratio_of(numerators: dict, denominators: dict) -> dict:
    return {key: percent(numerators.get(key, 0), total) for key, total in denominators.items()}


def values_by(code: str, scope: Scope, breakdown: str) -> dict[object, object]:
    """The figure for each value of a field of the records (e.g. `level_class`) in one grouped query."""
    indicator = get(code)
    if indicator.is_ratio:
        return _ratio_of(values_by(indicator.numerator, scope, breakdown),
                         values_by(indicator.denominator, scope, breakdown))
    rows = records_in(indicator, scope).values(breakdown).annotate(value=indicator.aggregate()).order_by()
    return {row[breakdown]: row["value"] or 0 for row in rows}


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first days of the months that [start, end) touches."""
    months, month = [], start.replace(day=1)
    while month < end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def values_by_month(code: str, scope: Scope) -> dict[datetime.date, object]:
    """The trend: the figure for each month of the period, in one query of conditional aggregates.

    Comparisons of the date column against each month's bounds (no per-row date functions), so the
    cost is one pass over the subtree's records in the period. The scope needs both ends.
    """
    indicator = get(code)
    if indicator.is_ratio:
        return _ratio_of(values_by_month(indicator.numerator, scope), values_by_month(indicator.denominator, scope))
    if not indicator.date_field or not (scope.start and scope.end):
        return {}
    queryset = records_in(indicator, scope)
    months = month_starts(scope.start, scope.end)
    aggregates = {}
    for index, month in enumerate(months):
        following = months[index + 1] if index + 1 < len(months) else scope.end
        aggregate = indicator.aggregate()
        in_month = models.Q(**{f"{indicator.date_field}__gte": _bound(indicator, queryset, max(month, scope.start)),
                               f"{indicator.date_field}__lt": _bound(indicator, queryset, following)})
        aggregate.filter = in_month if aggregate.filter is None else aggregate.filter & in_month
        aggregates[f"month_{index}"] = aggregate
    row = queryset.aggregate(**aggregates)
    return {month: row[f"month_{index}"] or 0 for index, month in enumerate(months)}


def format_value(value) -> str:
    """A figure as text: 720, 74.4 (a rate keeps one decimal, dropped when zero), — when undefined."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)

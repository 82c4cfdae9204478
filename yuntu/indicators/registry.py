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
    # A figure kept in a roll-up table (rows per org with `org_path`): (rows, aggregate over them).
    # The figure is computed from it; the records behind it are still `records`. Without
    # `rollup_month` it is a stock figure (one row per org); with it, the rows are per org and month
    # (that field holds the month's first day, of the records' `date_field`) and periods apply.
    rollup: Callable[[], tuple[QuerySet, Aggregate]] | None = None
    rollup_month: str = ""
    # False for a figure that changes with the date as well as the records (e.g. tasks now overdue):
    # it is counted from the records at every read, never kept in a tally (`yuntu.indicators.tallies`).
    tallied: bool = True

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


def _field(model, lookup: str):
    """The model field a (possibly related, `problem__found_on`) lookup ends at; `posted_at__date` is a date."""
    field = None
    for part in lookup.split("__"):
        if field is not None and field.related_model is None:  # a transform of the column
            return models.DateField() if part == "date" else field
        field = model._meta.get_field(part)
        model = field.related_model
    return field


def _bound(indicator: Indicator, queryset: QuerySet, day: datetime.date):
    """A period bound fit for the date field: the local midnight of the day for a timestamp."""
    if isinstance(_field(queryset.model, indicator.date_field), models.DateTimeField):
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


def _records_between(indicator: Indicator, org_path: str, start: datetime.date, end: datetime.date) -> QuerySet:
    """The records of a short stretch of days (an end of a partly covered month) under a subtree.

    The same records as `records_in`, but found through the date's index first (the days' ids as a
    subquery) with the subtree as a prefix match: SQLite would otherwise walk a wide subtree's
    records by their path, or by an index on a mostly-null column, to find a few days of them.
    """
    queryset = indicator.records()
    model = queryset.model
    in_days = model._default_manager.filter(**{f"{indicator.date_field}__gte": _bound(indicator, queryset, start),
                                               f"{indicator.date_field}__lt": _bound(indicator, queryset, end)})
    return queryset.filter(pk__in=in_days.values("pk")).filter(**{f"{indicator.path_field}__startswith": org_path})


def percent(numerator, denominator) -> float | None:
    return round(numerator * 100 / denominator, 1) if denominator else None


def next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def rollup_pieces(start: datetime.date | None, end: datetime.date | None) -> list[tuple[int, str, object, object]]:
    """The period [start, end) as (sign, source, start, end) pieces: whole months read from roll-up rows
    ("rollup") and the ends of partly covered months counted from the records ("records").

    An end that covers most of its month is read as the whole month less the records of the rest
    of it (the rest of the current month is usually empty), so each records piece spans at most
    half a month, and lies within one month.
    """
    if start is not None and end is not None and start.day != 1 and end <= next_month(start):
        return [(1, "records", start, end)]  # within one month
    pieces, first, last = [], start, end
    if start is not None and start.day != 1:
        pieces += _partial_month(start.replace(day=1), next_month(start), start, next_month(start))
        first = next_month(start)
    if end is not None and end.day != 1:
        pieces += _partial_month(end.replace(day=1), next_month(end), end.replace(day=1), end)
        last = end.replace(day=1)
    if first is None or last is None or first < last:
        pieces.append((1, "rollup", first, last))
    return pieces


def _partial_month(month, following, covered_from, covered_to) -> list[tuple[int, str, object, object]]:
    """[covered_from, covered_to) of the month [month, following), one of its ends: the covered days
    from the records, or the whole month less the other days when those are fewer."""
    rest = (month, covered_from) if covered_to == following else (covered_to, following)
    if covered_to - covered_from > rest[1] - rest[0]:
        return [(1, "rollup", month, following), (-1, "records", *rest)]
    return [(1, "records", covered_from, covered_to)]


def rollup_values(indicators: list[Indicator], scope: Scope, group: str = "", step: int = 0) -> list[dict]:
    """Figures of indicators kept in one roll-up table, one query per piece of the period: [{key: value}].

    `group` is "" (the subtree: key None), "own" (the root's own rows and records: key None),
    "child" (key: the child's path, `step` long per level, the root left out) or "month" (key:
    the month's first day). Indicators without `rollup_month` read all their rows, whatever the period.
    """
    first = indicators[0]
    pieces = rollup_pieces(scope.start, scope.end) if first.rollup_month else [(1, "rollup", None, None)]
    results: list[dict] = [{} for _ in indicators]
    child_length = len(scope.org_path) + step

    def add(index: int, key, amount, sign: int) -> None:
        results[index][key] = results[index].get(key, 0) + sign * (amount or 0)

    def grouped(queryset: QuerySet, path_field: str, month_field: str, aggregates: dict) -> list[dict]:
        if group == "own":
            queryset = queryset.filter(**{path_field: scope.org_path})
        if group == "child":
            return list(queryset.exclude(**{path_field: scope.org_path})
                        .annotate(group_key=Substr(path_field, 1, child_length))
                        .values("group_key").annotate(**aggregates).order_by())
        if group == "month" and month_field:
            return list(queryset.annotate(group_key=models.F(month_field)).values("group_key")
                        .annotate(**aggregates).order_by())
        return [queryset.aggregate(**aggregates)]

    for sign, source, start, end in pieces:
        if source == "rollup":
            rows = first.rollup()[0].filter(org_path__under=scope.org_path)
            if start is not None:
                rows = rows.filter(**{f"{first.rollup_month}__gte": start})
            if end is not None:
                rows = rows.filter(**{f"{first.rollup_month}__lt": end})
            aggregates = {f"value_{index}": indicator.rollup()[1] for index, indicator in enumerate(indicators)}
            for row in grouped(rows, "org_path", first.rollup_month, aggregates):
                for index in range(len(indicators)):
                    add(index, row.get("group_key", start if group == "month" else None), row[f"value_{index}"], sign)
            continue
        for index, indicator in enumerate(indicators):
            records = _records_between(indicator, scope.org_path, start, end)
            for row in grouped(records, indicator.path_field, "", {"value": indicator.aggregate()}):
                # a records piece lies within one month
                key = start.replace(day=1) if group == "month" else row.get("group_key")
                add(index, key, row["value"], sign)
    if group == "child" and first.rollup_month:  # as a count of records: children without any are left out
        results = [{key: amount for key, amount in values.items() if amount} for values in results]
    return results


def value(code: str, scope: Scope):
    indicator = get(code)
    if indicator.is_ratio:
        return percent(value(indicator.numerator, scope), value(indicator.denominator, scope))
    if indicator.rollup is not None:
        return rollup_values([indicator], scope)[0].get(None, 0)
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
        return rollup_values([indicator], scope, "child", step)[0]
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
        month = next_month(month)
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
    if indicator.rollup is not None and indicator.rollup_month:
        values = rollup_values([indicator], scope, "month")[0]
        return {month: values.get(month, 0) for month in month_starts(scope.start, scope.end)}
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

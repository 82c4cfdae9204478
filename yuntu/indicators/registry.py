"""The indicator registry: every figure Yuntu shows is declared here once, by the module that owns it.

An indicator names a base queryset of records, the record's org-path field and date field, and an
aggregate. The registry adds the subtree and the period itself, so the dashboard, briefings,
circulars and exports compute a figure the same way, in SQL, and can list the records behind it.
Callers check that the acting user may see the subtree before asking (`yuntu.accounts.policy`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, QuerySet
from django.db.models.functions import Substr


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

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]


_REGISTRY: dict[str, Indicator] = {}


class UnknownIndicator(KeyError):
    pass


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        existing = _REGISTRY.get(indicator.code)
        if existing is not None and existing != indicator:
            raise ValueError(f"indicator {indicator.code} is declared twice")
        _REGISTRY[indicator.code] = indicator


def get(code: str) -> Indicator:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownIndicator(code) from None


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda indicator: indicator.code)


def records_in(indicator: Indicator, scope: Scope) -> QuerySet:
    """The records behind the figure: the base records within the subtree and period."""
    queryset = indicator.records().filter(**{f"{indicator.path_field}__under": scope.org_path})
    if indicator.date_field and scope.start:
        queryset = queryset.filter(**{f"{indicator.date_field}__gte": scope.start})
    if indicator.date_field and scope.end:
        queryset = queryset.filter(**{f"{indicator.date_field}__lt": scope.end})
    return queryset


def value(code: str, scope: Scope):
    indicator = get(code)
    result = records_in(indicator, scope).aggregate(value=indicator.aggregate())["value"]
    return result or 0


def values_by_child(code: str, scope: Scope, step: int) -> dict[str, object]:
    """The figure for each child subtree of the scope's root in one grouped query: {child path: value}.

    `step` is the length of one path step (`Org.steplen`); records on the root itself are left out.
    """
    indicator = get(code)
    child_length = len(scope.org_path) + step
    rows = (
        records_in(indicator, scope)
        .exclude(**{indicator.path_field: scope.org_path})
        .annotate(child_path=Substr(indicator.path_field, 1, child_length))
        .values("child_path")
        .annotate(value=indicator.aggregate())
        .order_by()
    )
    return {row["child_path"]: row["value"] or 0 for row in rows}

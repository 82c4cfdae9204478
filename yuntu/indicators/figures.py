"""The figures of one scope, computed once each: what a board or a briefing asks for many times."""

from django.db.models import Count, Sum

from yuntu.orgs.models import Org

from . import registry
from .registry import Indicator, Scope


def _additive(indicator: Indicator) -> bool:
    """A count or sum over records partitioned by org: the subtree's figure is the sum of its parts."""
    aggregate = indicator.aggregate()
    return isinstance(aggregate, Count | Sum) and not getattr(aggregate, "distinct", False)


class Figures:
    """Figures of one scope, each part asked of the database once (a ratio reuses its two parts)."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self._values: dict = {}
        self._children: dict = {}
        self._months: dict = {}

    def value(self, indicator: Indicator):
        if indicator.code not in self._values:
            if indicator.is_ratio:
                self._values[indicator.code] = registry.percent(self.value(registry.get(indicator.numerator)),
                                                                self.value(registry.get(indicator.denominator)))
            elif indicator.code in self._children and _additive(indicator):
                # The children's figures are there already: add the records on the root itself (an index seek).
                own = (registry.records_in(indicator, self.scope).filter(**{indicator.path_field: self.scope.org_path})
                       .aggregate(value=indicator.aggregate())["value"] or 0)
                self._values[indicator.code] = sum(self._children[indicator.code].values()) + own
            else:
                self._values[indicator.code] = registry.value(indicator.code, self.scope)
        return self._values[indicator.code]

    def by_child(self, indicator: Indicator) -> dict:
        if indicator.code not in self._children:
            if indicator.is_ratio:
                numerators = self.by_child(registry.get(indicator.numerator))
                self._children[indicator.code] = {
                    path: registry.percent(numerators.get(path, 0), total)
                    for path, total in self.by_child(registry.get(indicator.denominator)).items()}
            else:
                self._children[indicator.code] = registry.values_by_child(indicator.code, self.scope, Org.steplen)
        return self._children[indicator.code]

    def by_month(self, indicator: Indicator, scope: Scope) -> dict:
        if indicator.code not in self._months:
            self._months[indicator.code] = registry.values_by_month(indicator.code, scope)
        return self._months[indicator.code]


def _attribute(record, lookup: str):
    value = record
    for part in lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def record_rows(indicator, records) -> list[dict]:
    """One row per record: its name, its org, its date and its own page when the module gives one."""
    rows = []
    for record in records:
        org = getattr(record, "org", None) if not isinstance(record, Org) else record
        rows.append({"record": record, "org": org,
                     "date": _attribute(record, indicator.date_field) if indicator.date_field else None,
                     "url": indicator.record_url(record) if indicator.record_url else ""})
    return rows

"""The figures of one scope, computed once each: what a board or a briefing asks for many times."""

from django.db.models import Count, Sum

from yuntu.orgs.models import Org

from . import registry
from .registry import Indicator, Scope


def _additive(indicator: Indicator) -> bool:
    """A count or sum over records partitioned by org: the subtree's figure is the sum of its parts."""
    aggregate = indicator.rollup()[1] if indicator.rollup is not None else indicator.aggregate()
    return isinstance(aggregate, Count | Sum) and not getattr(aggregate, "distinct", False)


def _rollup_family(indicator: Indicator):
    """Indicators read from one roll-up table by month share its queries: one aggregate each."""
    if indicator.is_ratio or indicator.rollup is None or not indicator.rollup_month:
        return None
    return (indicator.rollup()[0].model, indicator.rollup_month)


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
            elif indicator.code in self._children and indicator.rollup is not None and _additive(indicator):
                # The children's figures are there already: add the root's own roll-up rows (an index seek).
                own = registry.rollup_values([indicator], self.scope, "own")[0].get(None, 0)
                self._values[indicator.code] = sum(self._children[indicator.code].values()) + own
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

    def prefetch_tallies(self, root: Org, indicators: list[Indicator], months_scope: Scope | None = None,
                         with_children: bool = True) -> None:
        """Fill totals, children's figures and months of every tallied indicator from the tallies
        (`yuntu.indicators.tallies`): two queries for all of them, when the period is whole months."""
        from . import tallies

        whole = all(day is None or day.day == 1 for day in (self.scope.start, self.scope.end))
        entries = [entry for entry in map(tallies.counted_for, (indicator.code for indicator in indicators)) if entry]
        if not whole or not entries or root.path != self.scope.org_path:
            return
        months = []
        if months_scope is not None and months_scope.start.day == 1 and months_scope.end.day == 1:
            months = registry.month_starts(months_scope.start, months_scope.end)
        found = tallies.read(root, entries, start=self.scope.start, end=self.scope.end, months=months,
                             with_children=with_children)
        self._values.update(found.values)
        self._children.update(found.children)
        self._months.update({code: {month: series.get(month, 0) for month in months}
                             for code, series in found.months.items()})

    def by_month(self, indicator: Indicator, scope: Scope) -> dict:
        if indicator.code not in self._months:
            self._months[indicator.code] = registry.values_by_month(indicator.code, scope)
        return self._months[indicator.code]

    def prefetch_months(self, indicators: list[Indicator], scope: Scope) -> None:
        """Fill `by_month` for the indicators of one roll-up table with one query per piece of the period."""
        families: dict = {}
        for indicator in indicators:
            key = _rollup_family(indicator)
            if key is not None and indicator.code not in self._months and scope.start and scope.end:
                families.setdefault(key, []).append(indicator)
        months = registry.month_starts(scope.start, scope.end) if scope.start and scope.end else []
        for members in families.values():
            for indicator, values in zip(members, registry.rollup_values(members, scope, "month"), strict=True):
                self._months[indicator.code] = {month: values.get(month, 0) for month in months}


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


def _columns(node, column_class):
    """The columns a WHERE tree refers to (lookups' sides, expressions' sources, nested nodes)."""
    if isinstance(node, column_class):
        yield node
        return
    for child in getattr(node, "children", None) or ():
        yield from _columns(child, column_class)
    for side in ("lhs", "rhs"):
        value = getattr(node, side, None)
        if value is not None and hasattr(value, "resolve_expression"):
            yield from _columns(value, column_class)
    if hasattr(node, "get_source_expressions") and not hasattr(node, "children"):
        for source in node.get_source_expressions():
            if source is not None:
                yield from _columns(source, column_class)


def _family(indicator: Indicator):
    """Indicators that can share one grouped query: same table, path and date field, a count or sum whose
    base records are one table filtered (no joins), so their filters become conditions of the aggregates."""
    if indicator.is_ratio or indicator.rollup is not None or not _additive(indicator):
        return None
    if indicator.aggregate().filter is not None:  # its own condition: kept in a query of its own
        return None
    from django.db.models.expressions import Col

    query = indicator.records().query
    if query.distinct or query.low_mark or query.high_mark is not None:
        return None
    tables = {column.alias for column in _columns(query.where, Col)}
    if not tables <= {query.model._meta.db_table}:
        return None
    return (query.model, indicator.path_field, indicator.date_field)


def prefetch_children(figures: "Figures", indicators: list[Indicator]) -> None:
    """Fill `figures.by_child` for many indicators with one grouped query per table instead of one per figure."""
    from django.db.models.functions import Substr

    rollup_families: dict = {}
    for indicator in indicators:
        key = _rollup_family(indicator)
        if key is not None and indicator.code not in figures._children:
            rollup_families.setdefault(key, []).append(indicator)
    for members in rollup_families.values():
        by_child = registry.rollup_values(members, figures.scope, "child", Org.steplen)
        for indicator, values in zip(members, by_child, strict=True):
            figures._children[indicator.code] = {path: value for path, value in values.items() if value}

    families: dict = {}
    for indicator in indicators:
        key = _family(indicator)
        if key is not None and indicator.code not in figures._children:
            families.setdefault(key, []).append(indicator)
    for (model, path_field, date_field), members in families.items():
        if len(members) < 2:
            continue
        template = Indicator(code="_family", name="", unit="", definition="", records=model._default_manager.all,
                             path_field=path_field, date_field=date_field)
        base = registry.records_in(template, figures.scope).exclude(**{path_field: figures.scope.org_path})
        aggregates = {}
        for index, indicator in enumerate(members):
            aggregate = indicator.aggregate()
            where = indicator.records().query.where
            if where:
                aggregate.filter = where
            aggregates[f"value_{index}"] = aggregate
        rows = (base.annotate(child_path=Substr(path_field, 1, len(figures.scope.org_path) + Org.steplen))
                .values("child_path").annotate(**aggregates).order_by())
        results = [dict() for _ in members]
        for row in rows:
            for index in range(len(members)):
                if row[f"value_{index}"]:
                    results[index][row["child_path"]] = row[f"value_{index}"]
        for indicator, values in zip(members, results, strict=True):
            figures._children[indicator.code] = values

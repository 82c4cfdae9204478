"""Roll-up rows per org and month, kept by the services that change the records (ADR 0041).

A roll-up table holds, per org, month of a record's date and a few key fields (e.g. the level
class), the counts the indicators read. Each source says which records count towards which
column. A service that changes records measures their contribution before and after the change
(one grouped query over just those records) and adds the difference to the rows with `F()`, in
its own transaction; `rebuild` recomputes the whole table from the records with the same query,
so the two cannot drift apart by definition, only by a service that forgets to track.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.db import models, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone


@dataclass(frozen=True)
class Source:
    """Records of one model that count towards a roll-up: `counts` maps a column to its condition."""

    model: str  # "ledger.Problem"
    date_field: str  # the indicator's date field, e.g. "problem__found_on"
    counts: dict[str, Q]
    base: Q = field(default_factory=Q)  # the records that count at all (e.g. requests not merged)
    keys: tuple[str, ...] = ()  # further key fields copied to the row (e.g. "level_class")


@dataclass(frozen=True)
class Rollup:
    model: str  # the roll-up table: org, org_path, month, the keys, one integer column per count
    sources: tuple[Source, ...]

    @property
    def columns(self) -> list[str]:
        return [column for source in self.sources for column in source.counts]

    def keys(self) -> tuple[str, ...]:
        return ("org_id", "month", *dict.fromkeys(key for source in self.sources for key in source.keys))


_ROLLUPS: dict[str, Rollup] = {}


def register(rollup: Rollup) -> Rollup:
    _ROLLUPS[rollup.model] = rollup
    return rollup


def registered() -> list[Rollup]:
    """Every roll-up declared in an app's `rollups` module."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("rollups")
    return [_ROLLUPS[name] for name in sorted(_ROLLUPS)]


def _contributions(source: Source, records: QuerySet) -> dict[tuple, tuple[str, dict]]:
    """{(org_id, month, *keys): (org_path, {column: count})} of the given records, in one grouped query."""
    month_options = {}
    if isinstance(_date_field(records.model, source.date_field), models.DateTimeField):
        month_options = {"tzinfo": timezone.get_default_timezone(), "output_field": models.DateField()}
    rows = (records.filter(source.base).annotate(rollup_month=TruncMonth(source.date_field, **month_options))
            .values("org_id", "org_path", "rollup_month", *source.keys)
            .annotate(**{f"rollup_{column}": Count("pk", filter=condition) for column, condition in source.counts.items()})
            .order_by())
    result = {}
    for row in rows:
        month = row["rollup_month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        key = (row["org_id"], month, *(row[name] for name in source.keys))
        result[key] = (row["org_path"], {column: row[f"rollup_{column}"] for column in source.counts})
    return result


def _date_field(model, lookup: str):
    for part in lookup.split("__")[:-1]:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(lookup.split("__")[-1])


def _row_key(rollup: Rollup, source: Source, key: tuple) -> dict:
    names = rollup.keys()
    values = dict(zip(("org_id", "month", *source.keys), key, strict=True))
    return {name: values.get(name, "") for name in names}


def measure(rollup: Rollup, records: dict[str, QuerySet]) -> dict[tuple, tuple[str, dict]]:
    """The contribution of some records of each source: {row key: (org_path, {column: count})}."""
    totals: dict[tuple, tuple[str, dict]] = {}
    for source in rollup.sources:
        queryset = records.get(source.model)
        if queryset is None:
            continue
        for key, (path, counts) in _contributions(source, queryset).items():
            row = _row_key(rollup, source, key)
            row_key = tuple(row.values())
            totals.setdefault(row_key, (path, {}))[1].update(counts)
    return totals


def apply(rollup: Rollup, before: dict, after: dict) -> None:
    """Add after − before to the rows: create missing rows with zeros, then one `F()` update per changed row."""
    model = global_apps.get_model(rollup.model)
    names = rollup.keys()
    deltas = {}
    for row_key in set(before) | set(after):
        old, new = before.get(row_key, ("", {}))[1], after.get(row_key, ("", {}))[1]
        delta = {column: new.get(column, 0) - old.get(column, 0) for column in set(old) | set(new)}
        delta = {column: change for column, change in delta.items() if change}
        if delta:
            deltas[row_key] = ((after.get(row_key) or before[row_key])[0], delta)
    if not deltas:
        return
    model.objects.bulk_create([model(org_path=path, **dict(zip(names, row_key, strict=True)))
                               for row_key, (path, _) in deltas.items()], ignore_conflicts=True)
    for row_key, (_, delta) in sorted(deltas.items(), key=lambda item: str(item[0])):
        model.objects.filter(**dict(zip(names, row_key, strict=True))).update(
            **{column: F(column) + change for column, change in delta.items()})


@contextmanager
def tracking(rollup: Rollup, records: Callable[[], dict[str, QuerySet]]):
    """Keep the roll-up right across a change: measure the records before and after the block.

    `records` returns the affected records of each source (called twice, so ids created inside the
    block can be included the second time). Use it inside the service's transaction.
    """
    before = measure(rollup, records())
    yield
    apply(rollup, before, measure(rollup, records()))


def rebuild(rollup: Rollup, apps=global_apps) -> int:
    """Recompute the whole roll-up from the records (the same grouped query the services use)."""
    model = apps.get_model(rollup.model)
    names = rollup.keys()
    with transaction.atomic():
        model.objects.all().delete()
        totals: dict[tuple, tuple[str, dict]] = {}
        for source in rollup.sources:
            records = apps.get_model(source.model)._default_manager.all()
            for key, (path, counts) in _contributions(source, records).items():
                row_key = tuple(_row_key(rollup, source, key).values())
                totals.setdefault(row_key, (path, {}))[1].update(counts)
        model.objects.bulk_create([model(org_path=path, **dict(zip(names, row_key, strict=True)), **counts)
                                   for row_key, (path, counts) in totals.items()], batch_size=2000)
    return len(totals)


def rows(rollup: Rollup) -> set[tuple]:
    """The table's non-zero rows as tuples (keys, path, counts): what a rebuild and the services must agree on."""
    model = global_apps.get_model(rollup.model)
    fields = [*rollup.keys(), "org_path", *rollup.columns]
    nonzero = Q()
    for column in rollup.columns:
        nonzero |= ~Q(**{column: 0})
    return set(model.objects.filter(nonzero).values_list(*fields))

"""Where a briefing's figures come from: live through the registry (a draft), or its frozen snapshot (issued)."""

import datetime

from django.apps import apps

from yuntu.indicators import registry
from yuntu.indicators.figures import Figures
from yuntu.indicators.registry import Scope
from yuntu.orgs.models import Org

from .models import Briefing, BriefingFigure


def scope_of(org: Org, start: datetime.date | None, end: datetime.date | None) -> Scope:
    """Briefings state the period's last day inclusive; the registry's end is exclusive."""
    return Scope(org_path=org.path, start=start, end=end + datetime.timedelta(days=1) if end else None)


def child_units(org: Org) -> list[Org]:
    return list(Org.objects.filter(path__under=org.path, depth=org.depth + 1, is_active=True).order_by("path"))


class LiveSource:
    """Figures as they are now, for a subtree and period (a draft's preview and the dashboard's numbers)."""

    def __init__(self, org: Org, start: datetime.date | None, end: datetime.date | None):
        self.root = org
        self.scope = scope_of(org, start, end)
        self.figures = Figures(self.scope)
        self.figures.prefetch_tallies(org, registry.declared())
        self._children: list[Org] | None = None

    def children(self) -> list[Org]:
        if self._children is None:
            self._children = child_units(self.root)
        return self._children

    def value(self, code: str, org: Org):
        indicator = registry.get(code)
        if org.pk == self.root.pk:
            return self.figures.value(indicator)
        return self.figures.by_child(indicator).get(org.path, None if indicator.is_ratio else 0)

    def record_queryset(self, code: str, org: Org | None = None):
        org = org or self.root
        scope = Scope(org_path=org.path, start=self.scope.start, end=self.scope.end)
        return registry.records_in(registry.get(code), scope).order_by("-pk")

    def records(self, code: str, limit: int) -> list[str]:
        return [str(record) for record in self.record_queryset(code)[:limit]]


class SnapshotSource:
    """Figures as they were frozen when the briefing was issued."""

    def __init__(self, briefing: Briefing):
        self.root = briefing.org
        rows = list(BriefingFigure.objects.filter(briefing=briefing).select_related("org"))
        self.rows = {(row.code, row.org_id): row for row in rows}
        self._children = sorted({row.org for row in rows if row.org_id != self.root.pk}, key=lambda org: org.path)

    def children(self) -> list[Org]:
        return self._children

    def figure(self, code: str, org: Org) -> BriefingFigure | None:
        return self.rows.get((code, org.pk))

    def value(self, code: str, org: Org):
        row = self.figure(code, org)
        return row.value if row is not None else None

    def records(self, code: str, limit: int) -> list[str]:
        row = self.figure(code, self.root)
        if row is None or not row.record_ids or not row.record_model:
            return []
        model = apps.get_model(row.record_model)
        ids = row.record_ids[:limit]
        found = {record.pk: record for record in model._default_manager.filter(pk__in=ids)}
        return [str(found[pk]) for pk in ids if pk in found]

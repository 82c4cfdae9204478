"""Reads of briefings and submitted reports, limited to what the acting user may see."""

from decimal import Decimal

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from yuntu.accounts.policy import scope_paths, scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.orgs.models import Org

from . import composer, reading
from .models import Briefing, BriefingFigure, BriefingSeries, BriefingTemplate, ReportFigure, SubmittedReport
from .sources import scope_of
from .workflow import BriefingStatus

STEP = Org.steplen


def _own_or_upper(user, permission: str) -> Q:
    """Records of the user's subtrees, and of the orgs above them (a district's templates serve its streets)."""
    paths = scope_paths(user, permission)
    if "" in paths:
        return Q()
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in paths:
        condition |= Q(org_path__under=path) | Q(org_path__in=[path[:end] for end in range(STEP, len(path), STEP)])
    return condition


def briefings_visible_to(user) -> QuerySet[Briefing]:
    return visible(user, Briefing, Permission.BRIEFING_EDIT).select_related("org", "series")


def briefing_list(user) -> QuerySet[Briefing]:
    return briefings_visible_to(user).order_by("-created_at", "-id")


def templates_for(user) -> QuerySet[BriefingTemplate]:
    return BriefingTemplate.objects.filter(_own_or_upper(user, Permission.BRIEFING_EDIT)).select_related("org").order_by(
        "org_path", "name")


def series_for(user) -> QuerySet[BriefingSeries]:
    return BriefingSeries.objects.filter(_own_or_upper(user, Permission.BRIEFING_EDIT)).select_related("org").order_by(
        "org_path", "name")


def orgs_for_briefings(user) -> QuerySet[Org]:
    return visible(user, Org, Permission.BRIEFING_EDIT).filter(is_active=True, depth__lte=4).order_by("path")


def snapshot_figures(briefing: Briefing) -> QuerySet[BriefingFigure]:
    return BriefingFigure.objects.filter(briefing=briefing).select_related("org").order_by("org_path", "code")


def figure_rows(briefing: Briefing, source) -> list[dict]:
    """The figures an issue shows, for the Excel sheet and the page: frozen rows once issued, else live."""
    period = composer.period_text(briefing.start, briefing.end)
    if briefing.status == BriefingStatus.PUBLISHED:
        return [{"name": row.name, "code": row.code, "unit": row.unit, "value": row.value, "org": row.org.name,
                 "period": period, "definition": row.definition, "computed_at": timezone.localtime(row.computed_at).strftime("%Y-%m-%d %H:%M:%S"),
                 "id": row.pk} for row in snapshot_figures(briefing)]
    needed = composer.needed_figures(briefing.body, briefing.title)
    rows = []
    for code in sorted(needed["root"]):
        indicator = registry.get(code)
        rows.append({"name": indicator.name, "code": code, "unit": indicator.unit, "value": source.value(code, source.root),
                     "org": briefing.org.name, "period": period, "definition": indicator.definition,
                     "computed_at": "（草稿，实时数据）", "id": None})
    return rows


def figure_records(user, figure: BriefingFigure) -> QuerySet:
    """The records behind a frozen figure: its ids (or its query, when there were too many), as the policy allows."""
    model = apps.get_model(figure.record_model)
    try:
        indicator = registry.get(figure.code)
    except registry.UnknownIndicator:
        indicator = None
    permission = (indicator.permission if indicator else "") or Permission.DASHBOARD_VIEW
    path_field = indicator.path_field if indicator else getattr(model, "scope_path_field", "org_path")
    if figure.record_ids is not None:
        records = model._default_manager.filter(pk__in=figure.record_ids)
    elif indicator is not None:
        records = registry.records_in(indicator, scope_of(figure.org, figure.start, figure.end))
    else:
        return model._default_manager.none()
    records = records.filter(scope_q(user, permission, path_field))
    if any(field.name == "org" for field in model._meta.get_fields()):
        records = records.select_related("org")
    return records.order_by("-pk")


def reports_visible_to(user) -> QuerySet[SubmittedReport]:
    return visible(user, SubmittedReport, Permission.BRIEFING_EDIT).select_related("org")


def report_list(user) -> QuerySet[SubmittedReport]:
    return reports_visible_to(user).order_by("-created_at", "-id")


def _as_figure(row: ReportFigure) -> reading.Figure:
    return reading.Figure(value=Decimal(row.value), unit=row.unit, qualifier=row.qualifier, indicator=row.phrase,
                          code=row.indicator_code, sentence=row.sentence, start=row.start, end=row.end)


def report_comparisons(user, report: SubmittedReport) -> list[dict]:
    """Other reports of the same unit and period, each with the figures that disagree with this one."""
    others = reports_visible_to(user).filter(org=report.org, start=report.start, end=report.end).exclude(pk=report.pk)
    mine = [_as_figure(row) for row in report.figures.exclude(status="rejected")]
    result = []
    for other in others.order_by("-created_at")[:5]:
        theirs = [_as_figure(row) for row in other.figures.exclude(status="rejected")]
        result.append({"report": other, "differences": reading.compare(theirs, mine)})
    return result


def indicator_choices() -> list[tuple[str, str]]:
    return [(indicator.code, f"{indicator.name}（{indicator.code}）") for indicator in registry.declared()]

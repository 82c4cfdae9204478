"""Writes of briefings: templates, generating a draft, editing it, issuing it (numbered, figures frozen),
and storing a submitted report with the figures read out of it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.indicators import registry, tallies
from yuntu.orgs.models import Org

from . import composer, reading
from .models import Briefing, BriefingFigure, BriefingSeries, BriefingTemplate, ReportFigure, SubmittedReport
from .sources import LiveSource
from .workflow import BRIEFING_TRANSITIONS, BriefingStatus

RECORD_ID_LIMIT = 20_000  # beyond this a snapshot keeps the query, not every id
TITLE_MAX = 128


def _require(actor, permission: str, org: Org, message: str) -> None:
    if not can(actor, permission, path=org.path):
        raise PermissionDenied(message)


def _check_indicators_visible(actor, org: Org, body: str, title: str = "") -> None:
    """The author must be allowed to see every figure the text asks for, in that subtree."""
    needed = composer.needed_figures(body, title)
    hidden = [registry.get(code).name for code in sorted(set().union(*needed.values()))
              if not can(actor, registry.get(code).permission or Permission.DASHBOARD_VIEW, path=org.path)]
    if hidden:
        raise ValidationError("您无权查看以下指标：%(names)s。", params={"names": "、".join(hidden)})


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError({"title": "请填写标题。"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"标题不能超过 {TITLE_MAX} 个字。"})
    if not body:
        raise ValidationError({"body": "请填写正文。"})
    composer.check_template(title, body)
    return title, body


@transaction.atomic
def series_create(*, actor, org: Org, name: str, issuer: str, kind: str = "briefing", document_prefix: str = "",
                  next_number: int = 1) -> BriefingSeries:
    _require(actor, Permission.BRIEFING_PUBLISH, org, "无权为该单位设立简报。")
    series = BriefingSeries.objects.create(org=org, org_path=org.path, name=name.strip(), issuer=issuer.strip(),
                                           kind=kind, document_prefix=document_prefix.strip(),
                                           next_number=max(1, next_number))
    audit_record(actor=actor, action="briefing_series.create", obj=series, after={"name": series.name})
    return series


@transaction.atomic
def template_save(*, actor, org: Org, name: str, title: str, body: str, kind: str = "briefing",
                  template: BriefingTemplate | None = None) -> BriefingTemplate:
    """Create or change a template; an unknown indicator in it is refused and nothing is written."""
    _require(actor, Permission.BRIEFING_EDIT, template.org if template else org, "无权编辑该单位的简报模板。")
    title, body = _clean_text(title, body)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写模板名称。"})
    if template is None:
        template = BriefingTemplate.objects.create(org=org, org_path=org.path, name=name.strip(), title=title,
                                                   body=body, kind=kind)
        action = "briefing_template.create"
    else:
        template.name, template.title, template.body, template.kind = name.strip(), title, body, kind
        template.save()
        action = "briefing_template.update"
    audit_record(actor=actor, action=action, obj=template, after={"name": template.name, "body": template.body})
    return template


@transaction.atomic
def briefing_generate(*, actor, series: BriefingSeries, org: Org, template: BriefingTemplate,
                      start: datetime.date | None = None, end: datetime.date | None = None) -> Briefing:
    """A draft for a subtree and period from a template; its figures stay live until it is issued."""
    _require(actor, Permission.BRIEFING_EDIT, org, "无权为该单位编写简报。")
    if not org.path.startswith(series.org_path):
        raise ValidationError({"series": "所选简报系列不属于该单位或其上级。"})
    if start and end and end < start:
        raise ValidationError({"end": "截止日期不能早于起始日期。"})
    composer.check_template(template.title, template.body)
    _check_indicators_visible(actor, org, template.body, template.title)
    briefing = Briefing.objects.create(org=org, org_path=org.path, series=series, template=template,
                                       title=template.title, body=template.body, start=start, end=end,
                                       created_by=actor)
    audit_record(actor=actor, action="briefing.generate", obj=briefing,
                 after={"title": briefing.title, "start": start, "end": end})
    return briefing


@transaction.atomic
def briefing_update(*, actor, briefing: Briefing, title: str, body: str) -> Briefing:
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    _require(actor, Permission.BRIEFING_EDIT, briefing.org, "无权编辑该简报。")
    if briefing.status != BriefingStatus.DRAFT:
        raise ValidationError("已签发的简报不能再修改。")
    title, body = _clean_text(title, body)
    _check_indicators_visible(actor, briefing.org, body, title)
    before = {"title": briefing.title, "body": briefing.body}
    briefing.title, briefing.body = title, body
    briefing.save(update_fields=["title", "body", "updated_at"])
    audit_record(actor=actor, action="briefing.update", obj=briefing, before=before,
                 after={"title": title, "body": body})
    return briefing


def _freeze(briefing: Briefing, now) -> list[BriefingFigure]:
    """Each figure the text shows, with the time, the query and the ids of the records behind it."""
    source = LiveSource(briefing.org, briefing.start, briefing.end)
    needed = composer.needed_figures(briefing.body, briefing.title)
    wanted = [(code, briefing.org) for code in sorted(needed["root"])]
    wanted += [(code, child) for code in sorted(needed["children"]) for child in source.children()]
    rows = []
    for code, org in wanted:
        indicator = registry.get(code)
        records = source.record_queryset(code, org)
        value = source.value(code, org)
        # A plain count of records is its records' number: no second pass over them.
        count = value if tallies.counts_records(indicator) else records.count()
        ids = list(records.values_list("pk", flat=True)) if count <= RECORD_ID_LIMIT else None
        rows.append(BriefingFigure(
            briefing=briefing, code=code, name=indicator.name, unit=indicator.unit,
            definition=indicator.definition[:255], org=org, org_path=org.path, start=briefing.start,
            end=briefing.end, value=value, record_model=records.model._meta.label,
            record_ids=ids, record_count=count, query=str(records.query), computed_at=now))
    return BriefingFigure.objects.bulk_create(rows)


@transaction.atomic
def briefing_publish(*, actor, briefing: Briefing) -> Briefing:
    """签发: the next number of the series (locked), the document number, and the figures frozen."""
    briefing = Briefing.objects.select_for_update().select_related("org").get(pk=briefing.pk)
    transition = workflow.find(BRIEFING_TRANSITIONS, "publish")
    workflow.begin(transition, noun="简报", status=briefing.status, status_label=briefing.get_status_display())
    _require(actor, transition.permission, briefing.org, "无权签发该简报。")
    _check_indicators_visible(actor, briefing.org, briefing.body, briefing.title)
    series = BriefingSeries.objects.select_for_update().get(pk=briefing.series_id)
    now = clock.now()
    briefing.number = series.next_number
    BriefingSeries.objects.filter(pk=series.pk).update(next_number=F("next_number") + 1)
    if series.document_prefix:
        briefing.document_number = f"{series.document_prefix}〔{clock.today(now).year}〕{briefing.number}号"
    briefing.status, briefing.published_at, briefing.published_by = transition.target, now, actor
    briefing.save(update_fields=["number", "document_number", "status", "published_at", "published_by", "updated_at"])
    figures = _freeze(briefing, now)
    audit_record(actor=actor, action="briefing.publish", obj=briefing,
                 after={"number": briefing.number, "figures": {f"{row.code}@{row.org_id}": row.value for row in figures}})
    return briefing


@transaction.atomic
def report_submit(*, actor, org: Org, file_name: str, data: bytes, title: str = "",
                  start: datetime.date | None = None, end: datetime.date | None = None) -> SubmittedReport:
    """Read a report (text or Word) and keep it with its figures; bad files are refused before anything is written."""
    _require(actor, Permission.BRIEFING_EDIT, org, "无权为该单位登记报送材料。")
    document = reading.read_document(data, file_name=file_name)
    figures = reading.extract(document.text)
    report = SubmittedReport.objects.create(
        org=org, org_path=org.path, title=(title or "").strip()[:255] or document.title[:255] or file_name[:255],
        file_name=file_name[:255], encoding=document.encoding, text=document.text, start=start, end=end,
        uploaded_by=actor)
    ReportFigure.objects.bulk_create([
        ReportFigure(report=report, value=figure.value, unit=figure.unit, qualifier=figure.qualifier,
                     phrase=figure.indicator[:64], indicator_code=figure.code, sentence=figure.sentence,
                     start=figure.start, end=figure.end) for figure in figures])
    audit_record(actor=actor, action="report.submit", obj=report,
                 after={"file_name": report.file_name, "figures": len(figures), "encoding": report.encoding})
    return report


@transaction.atomic
def report_figure_confirm(*, actor, figure: ReportFigure, indicator_code: str, accept: bool = True) -> ReportFigure:
    """Staff confirm a figure read from a report and map it onto a registered indicator (or reject it)."""
    figure = ReportFigure.objects.select_for_update().select_related("report__org").get(pk=figure.pk)
    _require(actor, Permission.BRIEFING_EDIT, figure.report.org, "无权确认该报送材料的数据。")
    if accept and indicator_code:
        try:
            registry.get(indicator_code)
        except registry.UnknownIndicator:
            raise ValidationError({"indicator_code": "没有这个指标。"}) from None
    before = {"status": figure.status, "indicator_code": figure.indicator_code}
    figure.status = "confirmed" if accept else "rejected"
    figure.indicator_code = indicator_code if accept else figure.indicator_code
    figure.confirmed_by = actor
    figure.save(update_fields=["status", "indicator_code", "confirmed_by"])
    audit_record(actor=actor, action="report.figure_confirm", obj=figure.report, before=before,
                 after={"status": figure.status, "indicator_code": figure.indicator_code, "figure": figure.pk})
    return figure

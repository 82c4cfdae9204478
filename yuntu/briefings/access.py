"""Lookups by id for the acting user: 404 alike for "does not exist" and "not yours"."""

from django.http import Http404

from . import selectors
from .models import Briefing, BriefingFigure, BriefingTemplate, ReportFigure, SubmittedReport


def get_briefing_for_user(user, pk) -> Briefing:
    briefing = selectors.briefings_visible_to(user).filter(pk=pk).first()
    if briefing is None:
        raise Http404("简报不存在或不在您的查看范围内。")
    return briefing


def get_template_for_user(user, pk) -> BriefingTemplate:
    template = selectors.templates_for(user).filter(pk=pk).first()
    if template is None:
        raise Http404("模板不存在或不在您的查看范围内。")
    return template


def get_briefing_figure_for_user(user, briefing: Briefing, pk) -> BriefingFigure:
    figure = BriefingFigure.objects.filter(briefing=briefing, pk=pk).select_related("org").first()
    if figure is None:
        raise Http404("该数据不存在。")
    return figure


def get_report_for_user(user, pk) -> SubmittedReport:
    report = selectors.reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404("报送材料不存在或不在您的查看范围内。")
    return report


def get_report_figure_for_user(user, report: SubmittedReport, pk) -> ReportFigure:
    figure = ReportFigure.objects.filter(report=report, pk=pk).first()
    if figure is None:
        raise Http404("该数据不存在。")
    return figure

"""Figures of the rectification ledger, the same as the rate table (`selectors.ledger_figures`).

A measure belongs to the period of its problem (the date the problem was found), as on the rate table.
"""

from django.db.models import Sum
from django.urls import reverse

from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit

from .models import LedgerCount, Measure, Problem
from .rollups import MEASURE_COMPLETED, PROBLEM_CLOSED

BREAKDOWNS = ("org", "period", "level_class")


def _counted(column: str) -> dict:
    """The figure is the column's sum over the roll-up rows (per org, month and level class) under the subtree."""
    return {"rollup": lambda: (LedgerCount.objects.all(), Sum(column)), "rollup_month": "month"}


def _problem_url(problem) -> str:
    return reverse("ledger:problem_detail", args=[problem.pk])


def _measure_url(measure) -> str:
    return reverse("ledger:measure_detail", args=[measure.pk])


registry.register(
    Indicator(code="ledger.problems", name="梳理问题", unit=Unit.ITEM, definition="问题清单中的问题数（按发现日期计入期间）",
              records=Problem.objects.all, date_field="found_on", permission=Permission.LEDGER_VIEW,
              breakdowns=BREAKDOWNS, record_url=_problem_url, **_counted("problems"),
              phrases=("梳理问题", "排查问题", "查找问题", "形成问题清单", "检视问题", "联动整改整治问题")),
    Indicator(code="ledger.problems_closed", name="问题销号", unit=Unit.ITEM, definition="已验收销号的问题数",
              records=lambda: Problem.objects.filter(PROBLEM_CLOSED), date_field="found_on",
              permission=Permission.LEDGER_VIEW, breakdowns=BREAKDOWNS, record_url=_problem_url,
              **_counted("problems_closed"),
              phrases=("销号", "完成问题整改", "已完成问题整改")),
    Indicator(code="ledger.measures", name="制定整改措施", unit=Unit.MATTER, definition="问题的整改措施数（按问题的发现日期计入期间）",
              records=Measure.objects.all, date_field="problem__found_on", permission=Permission.LEDGER_VIEW,
              breakdowns=BREAKDOWNS, record_url=_measure_url, **_counted("measures"),
              phrases=("制定整改措施", "整改措施", "提出整改措施", "制定措施")),
    Indicator(code="ledger.measures_completed", name="完成整改措施", unit=Unit.MATTER, definition="已验收通过的整改措施数",
              records=lambda: Measure.objects.filter(MEASURE_COMPLETED), date_field="problem__found_on",
              permission=Permission.LEDGER_VIEW, breakdowns=BREAKDOWNS, record_url=_measure_url,
              **_counted("measures_completed"),
              phrases=("完成", "已完成", "完成整改")),
)
registry.register(
    registry.ratio(code="ledger.completion_rate", name="整改完成率", numerator="ledger.measures_completed",
                   denominator="ledger.measures", definition="已验收的整改措施 ÷ 整改措施", breakdowns=BREAKDOWNS,
                   phrases=("整改完成率", "问题整改完成率", "完成率")),
    registry.ratio(code="ledger.closure_rate", name="问题销号率", numerator="ledger.problems_closed",
                   denominator="ledger.problems", definition="已销号的问题 ÷ 问题", breakdowns=BREAKDOWNS,
                   phrases=("销号率",)),
)

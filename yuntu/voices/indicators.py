"""Figures of residents' voices, the same as the public board (`selectors.voices_figures(board_requests())`).

A request counts once (merged duplicates are left out) in the period it was submitted in.
"""

from django.db.models import Sum
from django.urls import reverse

from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit

from .models import Request, Suggestion, VoicesCount
from .rollups import REQUEST_BASE, REQUEST_COUNTS, SUGGESTION_COUNTS


def _counted(column: str):
    """The figure is the column's sum over the roll-up rows (per org and month) under the subtree."""
    return lambda: (VoicesCount.objects.all(), Sum(column))


def _request_url(request) -> str:
    return reverse("voices:request_detail", args=[request.pk])


def _suggestion_url(suggestion) -> str:
    return reverse("voices:suggestion_detail", args=[suggestion.pk])


def _request_indicator(code: str, name: str, definition: str, phrases: tuple[str, ...]) -> Indicator:
    column = code.split(".", 1)[1]
    condition = REQUEST_BASE & REQUEST_COUNTS[column]
    return Indicator(code=code, name=name, unit=Unit.ITEM, definition=definition,
                     records=lambda: Request.objects.filter(condition), date_field="submitted_at",
                     permission=Permission.VOICES_VIEW, phrases=phrases, record_url=_request_url,
                     rollup=_counted(column), rollup_month="month")


registry.register(
    _request_indicator("voices.requests", "受理群众诉求", "收到的群众诉求数（合并的重复诉求不计）",
                       ("群众诉求", "受理诉求", "收到诉求", "协助解决诉求", "诉求")),
    _request_indicator("voices.requests_resolved", "办结群众诉求", "已答复并公开（含已评价）的诉求数",
                       ("办结诉求", "解决诉求", "办结")),
    _request_indicator("voices.requests_answered", "已答复诉求", "已答复的诉求数", ("答复诉求",)),
    _request_indicator("voices.requests_on_time", "按时办结诉求", "在办结期限内答复的诉求数", ("按时办结",)),
    _request_indicator("voices.requests_rated", "已评价诉求", "群众已评价的诉求数", ("评价",)),
    _request_indicator("voices.requests_satisfied", "满意诉求", "评价为满意或基本满意的诉求数", ("满意",)),
    Indicator(code="voices.suggestions", name="收集意见建议", unit="条", definition="收集的群众意见建议数",
              records=Suggestion.objects.all, date_field="created_at", permission=Permission.VOICES_VIEW,
              record_url=_suggestion_url, rollup=_counted("suggestions"), rollup_month="month", phrases=("征集群众意见建议", "收集意见建议", "意见建议", "征集意见建议")),
    Indicator(code="voices.suggestions_adopted", name="采纳意见建议", unit="条", definition="已采纳的意见建议数",
              records=lambda: Suggestion.objects.filter(SUGGESTION_COUNTS["suggestions_adopted"]),
              date_field="created_at", permission=Permission.VOICES_VIEW, record_url=_suggestion_url,
              rollup=_counted("suggestions_adopted"), rollup_month="month",
              phrases=("采纳", "采纳意见建议", "提出改进措施办法")),
)
registry.register(
    registry.ratio(code="voices.on_time_rate", name="按时办结率", numerator="voices.requests_on_time",
                   denominator="voices.requests_answered", definition="按时答复的诉求 ÷ 已答复的诉求"),
    registry.ratio(code="voices.satisfaction_rate", name="群众满意率", numerator="voices.requests_satisfied",
                   denominator="voices.requests_rated", definition="满意与基本满意 ÷ 已评价的诉求",
                   phrases=("满意率", "群众满意率")),
)

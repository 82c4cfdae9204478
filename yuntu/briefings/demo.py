"""Demo briefings of Haicang: the 主题教育工作简报 series, its monthly template and a 工作提示, and issued
numbers 第25期–第27期 (one per month, cumulative to the month's end), with their figures frozen.

Idempotent: a rerun finds the series and its issues and writes nothing.
"""

import datetime
from dataclasses import dataclass

from yuntu.accounts.models import User
from yuntu.core import clock
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Org

from . import services
from .models import Briefing, BriefingSeries, BriefingTemplate

SERIES_NAME = "主题教育工作简报"
ISSUER = "海沧区委主题教育办公室"
FIRST_NUMBER = 25
ISSUES = 3

MONTHLY_BODY = """# 一、检视整改扎实推进
{期间}，{单位}梳理问题{ledger.problems}，制定整改措施{ledger.measures}，完成{ledger.measures_completed}，整改完成率{ledger.completion_rate}；已销号问题{ledger.problems_closed}。各街道、区直机关工委和国资工委的情况如下。

{table:ledger.problems,ledger.measures,ledger.measures_completed,ledger.completion_rate}

# 二、群众诉求及时回应
按照“说事、议事、理事、晒事、评事”五事工作法，受理群众诉求{voices.requests}，办结{voices.requests_resolved}，按时办结率{voices.on_time_rate}，群众满意率{voices.satisfaction_rate}。

# 三、建言献策转化落地
开展“我为海沧高质量发展献良策”活动，线上线下共征集群众意见建议{voices.suggestions}，采纳{voices.suggestions_adopted}，逐一转化为整改措施。

# 四、下一步工作
坚持“每周一调度、两周一更新、一月一总结”，对整改进度滞后的单位加强督导，确保问题清单变为履职清单。"""

TIP_BODY = """# 关于加快整改进度的工作提示
截至{日期}，{单位}仍有部分整改措施未按时完成。请各单位对照问题清单逐项核查，整改完成率低于全区平均（{ledger.completion_rate}）的单位，须在一周内报送整改计划。

{table:ledger.measures,ledger.measures_completed,ledger.completion_rate}"""


@dataclass
class DemoBriefingsResult:
    root: Org
    created: bool
    numbers: list[int]


def _actor() -> User:
    user, _ = User.objects.get_or_create(username="briefings-demo", defaults={"display_name": "主题教育办公室（演示）",
                                                                               "is_superuser": True, "is_active": False})
    return user


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def generate_briefings(root: Org | None = None) -> DemoBriefingsResult:
    root = root or find_demo_root()
    if root is None:
        raise ValueError("没有找到演示区（行政区划代码 350205 的区级根组织），请先运行 manage.py demo --scale district。")
    existing = BriefingSeries.objects.filter(org=root, name=SERIES_NAME).first()
    if existing is not None and existing.briefings.filter(number__isnull=False).exists():
        numbers = list(existing.briefings.exclude(number=None).order_by("number").values_list("number", flat=True))
        return DemoBriefingsResult(root=root, created=False, numbers=numbers)
    actor = _actor()
    series = existing or services.series_create(actor=actor, org=root, name=SERIES_NAME, issuer=ISSUER,
                                                document_prefix="海委教办", next_number=FIRST_NUMBER)
    monthly = services.template_save(actor=actor, org=root, name="月度工作简报", title="{单位}主题教育进展情况",
                                     body=MONTHLY_BODY)
    services.template_save(actor=actor, org=root, name="整改进度工作提示", title="关于加快问题整改进度的工作提示",
                           body=TIP_BODY, kind="tip")
    this_month = clock.today().replace(day=1)
    months, month = [], this_month
    for _ in range(ISSUES):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.insert(0, month)
    numbers = []
    for month in months:
        draft = services.briefing_generate(actor=actor, series=series, org=root, template=monthly, end=_month_end(month))
        draft.title = f"{root.short_name or root.name}主题教育进展情况（{month.month}月）"
        draft.save(update_fields=["title"])
        numbers.append(services.briefing_publish(actor=actor, briefing=draft).number)
    services.briefing_generate(actor=actor, series=series, org=root, template=monthly, start=this_month)
    return DemoBriefingsResult(root=root, created=True, numbers=numbers)


def demo_templates(root: Org) -> list[BriefingTemplate]:
    return list(BriefingTemplate.objects.filter(org=root).order_by("name"))


def demo_issues(root: Org) -> list[Briefing]:
    return list(Briefing.objects.filter(org=root, series__name=SERIES_NAME).order_by("number"))

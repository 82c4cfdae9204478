"""The figures of 四下基层, declared once: topics, visits, enterprises visited and served, demands, problems solved on site."""

from django.db.models import Count, Q

from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit

from .selectors import RESOLVED_STATUSES


def _model(name):
    from . import models

    return getattr(models, name).objects


registry.register(
    Indicator(code="grassroots.topics", name="调研课题", unit=Unit.ITEM,
              definition="领导干部（班子成员）确定的调研课题数，按课题开始日期计入时段。",
              records=lambda: _model("ResearchTopic").all(), date_field="starts_on",
              phrases=("调研课题", "确定调研课题")),
    Indicator(code="grassroots.field_visits", name="实地调研", unit="次",
              definition="调研课题登记的实地调研次数。", records=lambda: _model("FieldVisit").all(),
              date_field="visited_on", phrases=("实地调研", "深入基层调研")),
    Indicator(code="grassroots.problems_found", name="调研发现问题", unit=Unit.ITEM,
              definition="实地调研中发现并登记的问题数。", records=lambda: _model("SiteProblem").all(),
              date_field="found_on", phrases=("发现问题", "调研发现问题")),
    Indicator(code="grassroots.problems_solved_on_site", name="现场解决问题", unit=Unit.ITEM,
              definition="实地调研中发现、并在现场研究解决的问题数（每条问题记录标明是否现场解决）。",
              records=lambda: _model("SiteProblem").filter(solved_on_site=True), date_field="found_on",
              phrases=("现场研究解决问题", "现场解决问题", "当场解决问题")),
    Indicator(code="grassroots.contacts", name="接访走访", unit=Unit.PERSON_TIME,
              definition="领导干部接访、下访、约访、走访群众的记录数。", records=lambda: _model("Contact").all(),
              date_field="contacted_on", phrases=("接访", "走访群众", "接待群众")),
    Indicator(code="grassroots.household_visits", name="入户走访", unit="户次",
              definition="干部入户走访的记录数。", records=lambda: _model("Contact").filter(kind="household_visit"),
              date_field="contacted_on", phrases=("入户走访", "走访困难家庭")),
    Indicator(code="grassroots.enterprises_visited", name="走访企业", unit="家（次）",
              definition="挂钩干部（部门）走访企业的次数，一次走访计一家次。",
              records=lambda: _model("PairingVisit").filter(pairing__enterprise__isnull=False),
              date_field="visited_on", phrases=("走访企业", "走访新成立党组织企业")),
    Indicator(code="grassroots.enterprises_served", name="服务企业", unit="家",
              definition="在益企接待日等接待中服务的企业家数，同一企业在时段内只计一次。",
              records=lambda: _model("Contact").filter(enterprise__isnull=False), date_field="contacted_on",
              aggregate=lambda: Count("enterprise", distinct=True), phrases=("服务企业",)),
    Indicator(code="grassroots.demands_raised", name="企业（村居）诉求", unit=Unit.ITEM,
              definition="挂钩走访中企业、村居提出并登记办理的诉求数。", records=lambda: _model("Demand").all(),
              date_field="raised_on", phrases=("收集诉求", "企业诉求")),
    Indicator(code="grassroots.demands_resolved", name="协助解决诉求", unit=Unit.ITEM,
              definition="挂钩走访收集的诉求中已办结并答复公开的数量。",
              records=lambda: _model("Demand").filter(Q(request__status__in=RESOLVED_STATUSES)), date_field="raised_on",
              phrases=("协助解决诉求", "解决诉求")),
)

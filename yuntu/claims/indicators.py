"""The figures of service claims and dual reporting, declared once for boards, briefings and exports.

Subtree and period are added by the registry; `org_path` is the community served (or that posted
the need), so a street's figure sums its communities.
"""

from django.db.models import Count, Sum
from django.utils.translation import gettext_noop as _

from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit

from .models import DualReport, Need, ReportKind, ServiceRecord
from .workflow import NeedStatus


def _reports(kind: str):
    return DualReport.objects.filter(kind=kind, ended_on__isnull=True)


registry.register(
    Indicator(code="claims.branches_reported", name=_("报到党组织"), unit=Unit.ITEM,
              definition=_("向社区（村）报到且未结束报到的单位党组织数，按报到日期计入期间；同一党组织向多个社区报到分别计"),
              records=lambda: _reports(ReportKind.BRANCH), date_field="reported_on",
              phrases=("党组织到社区报到", "单位党组织报到", "报到党组织")),
    Indicator(code="claims.members_reported", name=_("报到在职党员"), unit=Unit.PERSON,
              definition=_("到居住地社区（村）报到且未结束报到的在职党员人数，按报到日期计入期间"),
              records=lambda: _reports(ReportKind.MEMBER), date_field="reported_on",
              aggregate=lambda: Count("member", distinct=True),
              phrases=("在职党员到社区报到", "报到党员", "双报到党员")),
    Indicator(code="claims.needs_posted", name=_("发布群众需求"), unit=Unit.ITEM,
              definition=_("社区（村）和党支部发布的微心愿、群众需求数（不含已撤回），按发布时间计入期间"),
              records=lambda: Need.objects.exclude(status=NeedStatus.WITHDRAWN), date_field="posted_at__date",
              phrases=("发布微心愿", "收集群众需求", "征集微心愿")),
    Indicator(code="claims.needs_claimed", name=_("认领群众需求"), unit=Unit.ITEM,
              definition=_("至少有一人（或一个支部）认领的需求数（不含已撤回），按首次认领时间计入期间"),
              records=lambda: Need.objects.exclude(status=NeedStatus.WITHDRAWN).filter(first_claimed_at__isnull=False),
              date_field="first_claimed_at__date", phrases=("认领微心愿", "认领群众需求", "认领需求")),
    Indicator(code="claims.needs_done", name=_("完成群众需求"), unit=Unit.ITEM,
              definition=_("全部认领经发布组织确认完成的需求数，按完成时间计入期间"),
              records=lambda: Need.objects.filter(status=NeedStatus.DONE), date_field="completed_at__date",
              phrases=("破解各类基层治理难题", "解决群众需求", "实现微心愿", "完成微心愿")),
    Indicator(code="claims.service_hours", name=_("志愿服务时长"), unit=Unit.HOUR,
              definition=_("经确认的认领、志愿服务和社区报到服务的时长合计，按服务日期计入期间"),
              records=ServiceRecord.objects.all, date_field="served_on",
              aggregate=lambda: Sum("hours"), phrases=("志愿服务时长", "服务时长", "志愿服务")),
    Indicator(code="claims.service_visits", name=_("到社区服务"), unit=Unit.PERSON_TIME,
              definition=_("党员和党组织到社区（村）服务的人次：每条服务记录（确认的认领、志愿服务、报到服务）计一人次"),
              records=ServiceRecord.objects.all, date_field="served_on",
              phrases=("到社区服务", "服务群众", "报到服务")),
)

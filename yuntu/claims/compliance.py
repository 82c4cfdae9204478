"""Service claims' compliance rule (loaded by the assessment app): residents' needs no member takes up."""

import datetime

from django.db.models import Count, Q

from yuntu.assessment import rules

from .models import Need
from .workflow import NeedStatus


def needs_unclaimed(context: rules.Context, window: rules.Window | None, threshold: int) -> dict[int, rules.Finding]:
    """Open needs past their deadline with places left, or posted `threshold` days ago and claimed by no one.

    One grouped query by the org that posted the need.
    """
    past_deadline = Q(deadline__lt=context.today)
    stale = Q(claimed_count=0, posted_at__lt=context.now - datetime.timedelta(days=threshold))
    rows = (Need.objects.filter(Q(status=NeedStatus.OPEN) & (past_deadline | stale)).order_by()
            .values_list("org_id").annotate(n=Count("id"), late=Count("id", filter=past_deadline)))
    findings = {}
    for org_id, count, late in rows:
        detail = f"{count}项群众需求（微心愿）无人认领或名额未满"
        if late:
            detail += f"，其中{late}项已过截止日期"
        findings[org_id] = rules.Finding(count, detail)
    return findings


rules.register(rules.ComplianceRule(
    "claims.need_unclaimed", "群众需求无人认领", "待认领的群众需求（微心愿）已过截止日期仍有名额，或发布满阈值天数仍无人认领。",
    rules.Period.NONE, 7, needs_unclaimed, "发布需求的社区或党支部", escalate_after=3))

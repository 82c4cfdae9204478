"""Affairs publicity's compliance rule (loaded by the assessment app): an entry not published by its due period."""

import datetime

from yuntu.assessment import rules

from .selectors import overdue_rows


def publicity_overdue(context: rules.Context, window: rules.Window | None, threshold: int) -> dict[int, rules.Finding]:
    """Orgs with catalogue entries unpublished `GRACE_DAYS` + `threshold` days after their period: one query per
    requirement of the catalogue (a fixed number, whatever the size of the tree), one finding per org."""
    late: dict[int, list[str]] = {}
    for row in overdue_rows(today=context.today - datetime.timedelta(days=threshold)):
        late.setdefault(row["org_id"], []).append(row["text"].removeprefix(row["org_name"]).removeprefix("未按期公开"))
    return {org_id: rules.Finding(len(items), f"{len(items)}项党务（村务）公开未按期公开：{'、'.join(items)}")
            for org_id, items in late.items()}


rules.register(rules.ComplianceRule(
    "publicity.overdue", "党务公开未按期公开", "清单要求公开的事项，所属期限届满（加公开宽限期和阈值天数）仍未公开。",
    rules.Period.NONE, 0, publicity_overdue, "须公开的党组织", escalate_after=2))

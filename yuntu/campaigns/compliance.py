"""The campaigns' compliance rule (loaded by the assessment app): tasks past their deadline, per owner org."""

import datetime

from yuntu.assessment import rules

from .selectors import overdue_tasks_by_org


def tasks_overdue(context: rules.Context, window: rules.Window | None, threshold: int) -> dict[int, rules.Finding]:
    """Open tasks whose deadline passed more than `threshold` days ago, by owner org: one grouped query."""
    rows = overdue_tasks_by_org(today=context.today - datetime.timedelta(days=threshold))
    return {row["org_id"]: rules.Finding(row["overdue"], f"{row['overdue']}项专项行动任务超过完成时限仍未完成"
                                                         f"（最早时限{row['oldest_deadline']:%Y年%m月%d日}）")
            for row in rows}


rules.register(rules.ComplianceRule(
    "campaigns.task_overdue", "专项行动任务超期未完成", "专项行动任务超过完成时限（加阈值天数）仍未完成。",
    rules.Period.NONE, 0, tasks_overdue, "任务责任单位", escalate_after=3))

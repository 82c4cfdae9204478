"""Statuses of problems and measures and the transitions between them, declared once.

Every status change goes through `ledger.services.transition`, which checks this table, the
actor's permission on the item's org, writes the item's timeline and the audit trail.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class ProblemStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "被退回"
    RECTIFYING = "rectifying", "整改中"
    CLOSED = "closed", "已销号"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "待审核"
    IN_PROGRESS = "in_progress", "整改中"
    REPORTED = "reported", "已报完成"
    VERIFIED = "verified", "已验收"
    RETURNED = "returned", "被退回"


RETURN_REASONS = ["问题选取不够精准", "整改举措较为空洞", "时限不明确", "佐证材料不足"]


PROBLEM_TRANSITIONS = declare(
    Transition("approve", "审核通过", (ProblemStatus.SUBMITTED,), ProblemStatus.RECTIFYING, Permission.LEDGER_REVIEW),
    Transition("send_back", "退回修改", (ProblemStatus.SUBMITTED,), ProblemStatus.RETURNED, Permission.LEDGER_REVIEW, True),
    Transition("resubmit", "重新提交", (ProblemStatus.RETURNED,), ProblemStatus.SUBMITTED, Permission.LEDGER_EDIT),
    Transition("close", "销号", (ProblemStatus.RECTIFYING,), ProblemStatus.CLOSED, Permission.LEDGER_REVIEW),
    Transition("reopen", "重新挂账", (ProblemStatus.CLOSED,), ProblemStatus.RECTIFYING, Permission.LEDGER_REVIEW, True),
)

MEASURE_TRANSITIONS = declare(
    Transition("approve", "审核通过", (MeasureStatus.PLANNED,), MeasureStatus.IN_PROGRESS, Permission.LEDGER_REVIEW),
    Transition("send_back", "退回修改", (MeasureStatus.PLANNED, MeasureStatus.REPORTED), MeasureStatus.RETURNED,
               Permission.LEDGER_REVIEW, True),
    Transition("resubmit", "重新提交", (MeasureStatus.RETURNED,), MeasureStatus.PLANNED, Permission.LEDGER_EDIT),
    Transition("report_done", "报告完成", (MeasureStatus.IN_PROGRESS,), MeasureStatus.REPORTED, Permission.LEDGER_EDIT),
    Transition("verify", "验收通过", (MeasureStatus.REPORTED,), MeasureStatus.VERIFIED, Permission.LEDGER_REVIEW),
    Transition("reopen", "重新整改", (MeasureStatus.VERIFIED,), MeasureStatus.IN_PROGRESS, Permission.LEDGER_REVIEW, True),
)

OPEN_MEASURE_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.REPORTED, MeasureStatus.RETURNED)

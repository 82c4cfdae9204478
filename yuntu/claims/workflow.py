"""Statuses of a need (微心愿) and of a claim (认领), and the claim's transitions, declared once.

A need is open until its places are taken (full), then done once every claim is confirmed; the
poster may withdraw it while nobody has reported work on it. A claim is taken → reported with proof
→ confirmed by the need's community (hours credited) or returned for more proof; the claimant may
give it up before reporting.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class NeedStatus(models.TextChoices):
    OPEN = "open", "待认领"
    FULL = "full", "已认领"
    DONE = "done", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "已认领"
    REPORTED = "reported", "待确认"
    CONFIRMED = "confirmed", "已确认"
    WITHDRAWN = "withdrawn", "已放弃"


PUBLIC_NEED_STATUSES = (NeedStatus.OPEN, NeedStatus.FULL, NeedStatus.DONE)

CLAIMANT = "claimant"  # transitions the claimant (the member, or the branch's secretary) performs

CLAIM_TRANSITIONS = declare(
    Transition("report", "提交完成情况", (ClaimStatus.CLAIMED,), ClaimStatus.REPORTED, CLAIMANT),
    Transition("withdraw", "放弃认领", (ClaimStatus.CLAIMED,), ClaimStatus.WITHDRAWN, CLAIMANT),
    Transition("confirm", "确认完成", (ClaimStatus.REPORTED,), ClaimStatus.CONFIRMED, Permission.CLAIMS_POST),
    Transition("return", "退回补充", (ClaimStatus.REPORTED,), ClaimStatus.CLAIMED, Permission.CLAIMS_POST, True),
)

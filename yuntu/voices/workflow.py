"""Stages of a resident's request (五事工作法) and of a dispatch (吹哨报到), declared once.

说事 submitted → 议事 triage (handle / dispatch / merge / decline) → 理事 handling or dispatched
→ 晒事 published with the reply → 评事 rated by the resident, who may reopen once.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    HANDLING = "handling", "办理中"
    DISPATCHED = "dispatched", "已吹哨"
    PUBLISHED = "published", "已答复公开"
    RATED = "rated", "已评价"
    MERGED = "merged", "已合并"
    DECLINED = "declined", "不予受理"


class Stage(models.TextChoices):
    RAISE = "raise", "说事"
    DELIBERATE = "deliberate", "议事"
    HANDLE = "handle", "理事"
    PUBLICISE = "publicise", "晒事"
    RATE = "rate", "评事"


STAGE_OF_STATUS = {
    RequestStatus.SUBMITTED: Stage.RAISE,
    RequestStatus.HANDLING: Stage.HANDLE,
    RequestStatus.DISPATCHED: Stage.HANDLE,
    RequestStatus.PUBLISHED: Stage.PUBLICISE,
    RequestStatus.RATED: Stage.RATE,
    RequestStatus.MERGED: Stage.DELIBERATE,
    RequestStatus.DECLINED: Stage.DELIBERATE,
}

OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.HANDLING, RequestStatus.DISPATCHED)
CLOSED_STATUSES = (RequestStatus.PUBLISHED, RequestStatus.RATED, RequestStatus.MERGED, RequestStatus.DECLINED)


class DispatchStatus(models.TextChoices):
    PENDING = "pending", "待签收"
    ACCEPTED = "accepted", "已签收办理"
    REPLIED = "replied", "已答复"
    RETURNED = "returned", "已退回"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


RESIDENT = "resident"  # transitions the item's own resident performs, whatever their grants


REQUEST_TRANSITIONS = declare(
    Transition("handle", "社区受理办理", (RequestStatus.SUBMITTED,), RequestStatus.HANDLING, Permission.VOICES_TRIAGE),
    Transition("dispatch", "吹哨派单", (RequestStatus.SUBMITTED, RequestStatus.HANDLING, RequestStatus.DISPATCHED),
               RequestStatus.DISPATCHED, Permission.VOICES_TRIAGE),
    Transition("merge", "合并重复诉求", (RequestStatus.SUBMITTED,), RequestStatus.MERGED, Permission.VOICES_TRIAGE),
    Transition("decline", "不予受理", (RequestStatus.SUBMITTED,), RequestStatus.DECLINED, Permission.VOICES_TRIAGE, True),
    Transition("publish", "答复并公开", (RequestStatus.HANDLING, RequestStatus.DISPATCHED), RequestStatus.PUBLISHED,
               Permission.VOICES_TRIAGE),
    Transition("rate", "评价", (RequestStatus.PUBLISHED,), RequestStatus.RATED, RESIDENT),
    Transition("reopen", "不满意重新办理", (RequestStatus.PUBLISHED, RequestStatus.RATED), RequestStatus.HANDLING,
               RESIDENT, True),
)

DISPATCH_TRANSITIONS = declare(
    Transition("accept", "签收", (DispatchStatus.PENDING,), DispatchStatus.ACCEPTED, Permission.VOICES_DEPARTMENT),
    Transition("reply", "答复", (DispatchStatus.ACCEPTED,), DispatchStatus.REPLIED, Permission.VOICES_DEPARTMENT),
    Transition("hand_back", "退回（非本部门职责）", (DispatchStatus.PENDING, DispatchStatus.ACCEPTED),
               DispatchStatus.RETURNED, Permission.VOICES_DEPARTMENT, True),
)

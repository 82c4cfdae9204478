"""Statuses and transitions of publications, articles and contests, declared once."""

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare

from .models import ContestStatus, PublicationStatus

S = PublicationStatus
PUBLICATION_TRANSITIONS = declare(
    Transition("publish", "公开", (S.DRAFT, S.WITHDRAWN), S.PUBLISHED, Permission.PUBLICITY_EDIT),
    Transition("withdraw", "撤回", (S.PUBLISHED,), S.WITHDRAWN, Permission.PUBLICITY_EDIT, needs_reason=True),
)
C = ContestStatus
CONTEST_TRANSITIONS = declare(
    Transition("close", "截止征集，开始评审", (C.OPEN,), C.JUDGING, Permission.PUBLICITY_EDIT),
    Transition("publish_results", "公布结果", (C.JUDGING,), C.PUBLISHED, Permission.PUBLICITY_EDIT),
)

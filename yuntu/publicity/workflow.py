"""Statuses and transitions of publications, articles and contests, declared once."""

from django.utils.translation import gettext_noop

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare

from .models import ContestStatus, PublicationStatus

S = PublicationStatus
PUBLICATION_TRANSITIONS = declare(
    Transition("publish", gettext_noop("公开"), (S.DRAFT, S.WITHDRAWN), S.PUBLISHED, Permission.PUBLICITY_EDIT),
    Transition("withdraw", gettext_noop("撤回"), (S.PUBLISHED,), S.WITHDRAWN, Permission.PUBLICITY_EDIT, needs_reason=True),
)
C = ContestStatus
CONTEST_TRANSITIONS = declare(
    Transition("close", gettext_noop("截止征集，开始评审"), (C.OPEN,), C.JUDGING, Permission.PUBLICITY_EDIT),
    Transition("publish_results", gettext_noop("公布结果"), (C.JUDGING,), C.PUBLISHED, Permission.PUBLICITY_EDIT),
)

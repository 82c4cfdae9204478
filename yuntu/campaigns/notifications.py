"""Escalation of overdue tasks (逾期督办) to the owner's parent org, through a pluggable sender.

An open task past its deadline (of a campaign not yet closed) is reported to the secretaries of the org above its owner org —
the nearest ancestor that has any secretary account — who answer for their lower units. A task
is escalated at most once every `INTERVAL_DAYS` (its `escalated_on`), so a daily timer sends each
reminder once a week; every escalation is a `CampaignEvent` on the task's timeline naming the
recipients. The sender is the setting ``CAMPAIGNS_NOTIFICATION_SENDER`` (a dotted path to a
`yuntu.core.senders.Sender`); the default prints to the console.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from yuntu.accounts.models import RoleGrant
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.core.senders import Sender
from yuntu.orgs.models import Org

from . import selectors
from .models import CampaignEvent, Task
from .workflow import CampaignStatus

logger = logging.getLogger("yuntu.campaigns.notifications")

DEFAULT_SENDER = "yuntu.core.senders.ConsoleSender"
SECRETARY_ROLES = (Role.DISTRICT_OFFICER, Role.STREET_SECRETARY, Role.COMMUNITY_SECRETARY, Role.BRANCH_SECRETARY)
INTERVAL_DAYS = 7
STEP = Org.steplen


def get_sender() -> Sender:
    return import_string(getattr(settings, "CAMPAIGNS_NOTIFICATION_SENDER", DEFAULT_SENDER))()


@dataclass
class EscalationReport:
    overdue: int = 0  # overdue tasks due for escalation in this run
    escalated: int = 0  # tasks whose escalation reached someone
    unreachable: int = 0  # tasks with nobody above to tell
    messages: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _ancestors(path: str) -> list[str]:
    """The paths above `path`, nearest first."""
    return [path[:end] for end in range(len(path) - STEP, 0, -STEP)]


def _parents_secretaries(tasks: list[Task]) -> dict[int, list]:
    paths = {ancestor for task in tasks for ancestor in _ancestors(task.org_path)}
    by_path: dict[str, list] = defaultdict(list)
    for grant in (RoleGrant.objects.filter(org_path__in=paths, role__in=SECRETARY_ROLES, user__is_active=True)
                  .select_related("user").order_by("org_path", "user_id")):
        if grant.user not in by_path[grant.org_path]:
            by_path[grant.org_path].append(grant.user)
    found = {}
    for task in tasks:
        found[task.pk] = next((by_path[path] for path in _ancestors(task.org_path) if by_path.get(path)), [])
    return found


def _compose(tasks: list[Task], today: datetime.date) -> tuple[str, str]:
    lines = "\n".join(
        f"· {task.campaign.name}｜{task.project.name}｜{task.name}｜责任单位：{task.org.name}｜责任人：{task.owner_name}"
        f"｜完成时限：{task.deadline:%Y-%m-%d}，已逾期{(today - task.deadline).days}天｜进度：{task.percent}%"
        for task in tasks)
    subject = f"【专项行动】下级单位{len(tasks)}项任务已逾期未完成"
    body = f"以下任务已超过完成时限仍未完成，请督促责任单位抓紧推进并及时填报进展：\n{lines}\n\n（云图·专项行动逾期督办，请登录系统处理）"
    return subject, body


def escalate_overdue(*, today: datetime.date | None = None, sender: Sender | None = None) -> EscalationReport:
    today = today or clock.today()
    sender = sender or get_sender()
    report = EscalationReport()
    since = today - datetime.timedelta(days=INTERVAL_DAYS)
    from django.db.models import Q

    tasks = list(selectors.tasks_past_deadline(today=today).exclude(campaign__status=CampaignStatus.CLOSED)
                 .filter(Q(escalated_on__isnull=True) | Q(escalated_on__lte=since))
                 .select_related("org", "project", "campaign").order_by("org_path", "id"))
    report.overdue = len(tasks)
    recipients = _parents_secretaries(tasks)
    by_user: dict[int, list[Task]] = defaultdict(list)
    users = {}
    for task in tasks:
        for user in recipients[task.pk]:
            by_user[user.pk].append(task)
            users[user.pk] = user
    reached: dict[int, list[str]] = defaultdict(list)
    for user_pk, items in by_user.items():
        subject, body = _compose(items, today)
        try:
            delivered = sender.send(users[user_pk], subject, body, {"tasks": [task.pk for task in items]})
        except Exception:  # one failing recipient must not stop the others
            logger.exception("专项行动督办发送失败：%s", users[user_pk].get_username())
            delivered = False
        if not delivered:
            report.failed += 1
            continue
        report.messages += 1
        for task in items:
            reached[task.pk].append(str(users[user_pk]))
    report.unreachable = sum(1 for task in tasks if not recipients[task.pk])
    _record([task for task in tasks if reached.get(task.pk)], reached, today)
    report.escalated = len(reached)
    return report


@transaction.atomic
def _record(tasks: list[Task], reached: dict[int, list[str]], today: datetime.date) -> None:
    """The run's record: `escalated_on` on each task (idempotence) and one timeline event per task."""
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(escalated_on=today)
    CampaignEvent.objects.bulk_create([
        CampaignEvent(campaign_id=task.campaign_id, project_id=task.project_id, task=task, action="escalation",
                      label="逾期督办（报上级单位）", reason=("已督办：" + "、".join(reached[task.pk]))[:255])
        for task in tasks
    ])

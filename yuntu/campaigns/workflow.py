"""Statuses of campaigns and tasks and the transitions between them, declared once.

Every status change goes through `campaigns.services` (`campaign_transition`, `task_transition`,
and `progress_record`, which starts and completes a task through the same table).
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", "筹备中"
    ACTIVE = "active", "推进中"
    CLOSED = "closed", "已结束"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


CAMPAIGN_TRANSITIONS = declare(
    Transition("launch", "启动", (CampaignStatus.PLANNING,), CampaignStatus.ACTIVE, Permission.CAMPAIGN_EDIT),
    Transition("close", "结束", (CampaignStatus.ACTIVE,), CampaignStatus.CLOSED, Permission.CAMPAIGN_EDIT),
    Transition("reopen", "重新启动", (CampaignStatus.CLOSED,), CampaignStatus.ACTIVE, Permission.CAMPAIGN_EDIT, True),
)

TASK_TRANSITIONS = declare(
    Transition("start", "开始推进", (TaskStatus.NOT_STARTED,), TaskStatus.IN_PROGRESS, Permission.CAMPAIGN_REPORT),
    Transition("complete", "报告完成", (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS), TaskStatus.DONE,
               Permission.CAMPAIGN_REPORT),
    Transition("reopen", "退回重办", (TaskStatus.DONE,), TaskStatus.IN_PROGRESS, Permission.CAMPAIGN_SUPERVISE, True),
)

OPEN_TASK_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)

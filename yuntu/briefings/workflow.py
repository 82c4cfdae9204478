"""Statuses of a briefing, declared once: a draft is edited until it is issued (签发), which freezes its figures."""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已签发"


class BriefingKind(models.TextChoices):
    BRIEFING = "briefing", "工作简报"
    TIP = "tip", "工作提示"


class FigureStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "不采用"


BRIEFING_TRANSITIONS = declare(
    Transition("publish", "签发", (BriefingStatus.DRAFT,), BriefingStatus.PUBLISHED, Permission.BRIEFING_PUBLISH),
)

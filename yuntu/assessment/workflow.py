"""Statuses of alerts, circulars and weak-and-lax flags and their transitions, declared once."""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class AlertStatus(models.TextChoices):
    OPEN = "open", "待整改"
    EXPLAINED = "explained", "已说明待审核"
    ACCEPTED = "accepted", "说明已认可"
    RESOLVED = "resolved", "已消除"


class Severity(models.TextChoices):
    WARNING = "warning", "预警"  # the current period is not over yet: a reminder
    LAPSE = "lapse", "未落实"  # the period has ended, or a deadline has passed


ACTIVE_ALERT_STATUSES = (AlertStatus.OPEN, AlertStatus.EXPLAINED)

# Resolution by the data happens in the scan; an org explains, the level above reviews.
ALERT_TRANSITIONS = declare(
    Transition("explain", "情况说明", (AlertStatus.OPEN,), AlertStatus.EXPLAINED, Permission.ORGLIFE_EDIT, True),
    Transition("accept", "认可说明", (AlertStatus.EXPLAINED,), AlertStatus.ACCEPTED, Permission.ASSESSMENT_MANAGE),
    Transition("reject", "退回说明", (AlertStatus.EXPLAINED,), AlertStatus.OPEN, Permission.ASSESSMENT_MANAGE, True),
)


class CircularStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


CIRCULAR_TRANSITIONS = declare(
    Transition("publish", "发布", (CircularStatus.DRAFT,), CircularStatus.PUBLISHED, Permission.ASSESSMENT_MANAGE),
)


class ItemMethod(models.TextChoices):
    AUTOMATIC = "automatic", "系统自动计分"
    ASSESSOR = "assessor", "考核人评分"


class WeakLaxStatus(models.TextChoices):
    RECTIFYING = "rectifying", "整顿中"
    LIFTED = "lifted", "已摘帽"

"""Statuses of 四下基层 records and their transitions, declared once."""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class TopicStatus(models.TextChoices):
    RESEARCHING = "researching", "调研中"
    REPORTED = "reported", "已形成报告"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "待采纳"
    ADOPTED = "adopted", "已采纳"
    NOT_ADOPTED = "not_adopted", "暂不采纳"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    RECEIVED = "received", "已接待"
    CANCELLED = "cancelled", "已取消"


class ContactKind(models.TextChoices):
    RECEPTION = "reception", "接访"
    DOWN_VISIT = "down_visit", "下访"
    APPOINTMENT = "appointment", "约访"
    HOUSEHOLD_VISIT = "household_visit", "走访"


class MediationStatus(models.TextChoices):
    MEDIATING = "mediating", "调解中"
    SETTLED = "settled", "调解成功"
    FAILED = "failed", "调解未成"


TOPIC_TRANSITIONS = declare(
    Transition("report", "提交调研报告", (TopicStatus.RESEARCHING,), TopicStatus.REPORTED, Permission.GRASSROOTS_EDIT),
)

PROPOSAL_TRANSITIONS = declare(
    Transition("adopt", "采纳并纳入整改台账", (ProposalStatus.PROPOSED,), ProposalStatus.ADOPTED, Permission.LEDGER_EDIT),
    Transition("decline", "暂不采纳", (ProposalStatus.PROPOSED,), ProposalStatus.NOT_ADOPTED, Permission.GRASSROOTS_EDIT,
               True),
)

BOOKING_TRANSITIONS = declare(
    Transition("receive", "接待", (BookingStatus.BOOKED,), BookingStatus.RECEIVED, Permission.GRASSROOTS_EDIT),
    Transition("cancel", "取消预约", (BookingStatus.BOOKED,), BookingStatus.CANCELLED, "resident"),
)

MEDIATION_TRANSITIONS = declare(
    Transition("settle", "调解成功", (MediationStatus.MEDIATING,), MediationStatus.SETTLED, Permission.GRASSROOTS_EDIT),
    Transition("fail", "调解未成", (MediationStatus.MEDIATING,), MediationStatus.FAILED, Permission.GRASSROOTS_EDIT, True),
)

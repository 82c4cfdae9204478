"""Statuses of a booking and the moves between them, declared once.

A booking is confirmed at once, or waits for the venue's approval where the venue asks for it;
the booker may cancel before it starts; at the time of use the booker checks in with the room's QR
code; a confirmed booking nobody checked in to is marked as a no-show.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class BookingStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    CONFIRMED = "confirmed", "已预约"
    REJECTED = "rejected", "未通过"
    CANCELLED = "cancelled", "已取消"
    CHECKED_IN = "checked_in", "已签到"
    NO_SHOW = "no_show", "未到场"


# Statuses that hold the room's time cells; the others release them.
HOLDING_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)
RELEASING = (BookingStatus.REJECTED, BookingStatus.CANCELLED)

BOOKER = "booker"  # transitions the booking's own booker performs, whatever their grants

BOOKING_TRANSITIONS = declare(
    Transition("approve", "审核通过", (BookingStatus.PENDING,), BookingStatus.CONFIRMED, Permission.VENUES_MANAGE),
    Transition("reject", "不予通过", (BookingStatus.PENDING,), BookingStatus.REJECTED, Permission.VENUES_MANAGE, True),
    Transition("cancel", "取消预约", (BookingStatus.PENDING, BookingStatus.CONFIRMED), BookingStatus.CANCELLED, BOOKER),
    Transition("check_in", "扫码签到", (BookingStatus.CONFIRMED,), BookingStatus.CHECKED_IN, BOOKER),
    Transition("no_show", "登记未到场", (BookingStatus.CONFIRMED,), BookingStatus.NO_SHOW, Permission.VENUES_MANAGE),
)

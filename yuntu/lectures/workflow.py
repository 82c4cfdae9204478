"""The lecture menu's order, declared once: 点菜 ordered → 配菜 assigned → 送菜 delivered → 评菜 rated.

A team may decline an order it cannot serve (with a reason); the orderer may cancel before delivery.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", "已点菜"
    ASSIGNED = "assigned", "已配菜"
    DELIVERED = "delivered", "已送菜"
    RATED = "rated", "已评菜"
    DECLINED = "declined", "未受理"
    CANCELLED = "cancelled", "已取消"


class Stage(models.TextChoices):
    ORDER = "order", "点菜"
    ASSIGN = "assign", "配菜"
    DELIVER = "deliver", "送菜"
    RATE = "rate", "评菜"


STAGE_OF_STATUS = {OrderStatus.ORDERED: Stage.ORDER, OrderStatus.ASSIGNED: Stage.ASSIGN,
                   OrderStatus.DELIVERED: Stage.DELIVER, OrderStatus.RATED: Stage.RATE}

ORDERER = "orderer"  # the order's own orderer, whatever their grants
AUDIENCE = "audience"  # anyone signed in who holds the order's rating code

ORDER_TRANSITIONS = declare(
    Transition("assign", "配菜（指派宣讲员）", (OrderStatus.ORDERED, OrderStatus.ASSIGNED), OrderStatus.ASSIGNED,
               Permission.LECTURES_MANAGE),
    Transition("deliver", "送菜（登记宣讲）", (OrderStatus.ASSIGNED,), OrderStatus.DELIVERED, Permission.LECTURES_MANAGE),
    Transition("rate", "评菜", (OrderStatus.DELIVERED, OrderStatus.RATED), OrderStatus.RATED, AUDIENCE),
    Transition("decline", "不予受理", (OrderStatus.ORDERED,), OrderStatus.DECLINED, Permission.LECTURES_MANAGE, True),
    Transition("cancel", "取消点菜", (OrderStatus.ORDERED, OrderStatus.ASSIGNED), OrderStatus.CANCELLED, ORDERER),
)

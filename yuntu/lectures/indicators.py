"""The lecture menu's figures, declared once in the indicator registry."""

from django.db.models import Avg, Count, Sum

from yuntu.indicators.registry import Indicator, Unit, register

from .models import LectureOrder, LectureRating, LectureTeam
from .workflow import OrderStatus

DELIVERED = (OrderStatus.DELIVERED, OrderStatus.RATED)

register(
    Indicator(code="lectures.teams", name="宣讲团", unit=Unit.ITEM,
              definition="在册（启用）的宣讲团个数，按宣讲团所属组织计。",
              records=lambda: LectureTeam.objects.filter(is_active=True), phrases=("宣讲团", "组建宣讲团")),
    Indicator(code="lectures.sessions", name="开展宣讲", unit=Unit.SESSION,
              definition="已送菜（宣讲已开展并登记）的场次，按宣讲日期计。",
              records=lambda: LectureOrder.objects.filter(status__in=DELIVERED), date_field="delivered_on",
              phrases=("开展宣讲", "宣讲场次", "送菜上门")),
    Indicator(code="lectures.audience", name="受众", unit=Unit.PERSON_TIME,
              definition="已送菜宣讲的实到听众人数之和，按宣讲日期计。",
              records=lambda: LectureOrder.objects.filter(status__in=DELIVERED), date_field="delivered_on",
              aggregate=lambda: Sum("attendance"), phrases=("受众", "覆盖群众", "听众")),
    Indicator(code="lectures.rating", name="评菜平均分", unit="分",
              definition="听众对已送菜宣讲的评分（1—5分）的平均值，按宣讲日期计。",
              records=lambda: LectureRating.objects.all(), path_field="order__org_path", date_field="order__delivered_on",
              aggregate=lambda: Avg("score"), phrases=("评菜", "满意度评分")),
    Indicator(code="lectures.ratings", name="评菜人次", unit=Unit.PERSON_TIME,
              definition="听众对已送菜宣讲的评价人次，按宣讲日期计。",
              records=lambda: LectureRating.objects.all(), path_field="order__org_path", date_field="order__delivered_on",
              aggregate=lambda: Count("pk"), phrases=("评菜人次",)),
)

"""Venue and booking figures, declared once in the indicator registry."""

from django.db.models import Count, Sum

from yuntu.indicators.registry import Indicator, Unit, register

from .models import Booking, Venue
from .workflow import BookingStatus

HELD = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)

register(
    Indicator(code="venues.venues", name="党群服务阵地", unit=Unit.ITEM,
              definition="启用的阵地（党群服务中心、党建服务中心、小区党群之家、机关活动室）个数，按所属组织计。",
              records=lambda: Venue.objects.filter(is_active=True), phrases=("党群服务阵地", "阵地", "党群服务中心")),
    Indicator(code="venues.bookings", name="阵地预约", unit=Unit.ITEM,
              definition="经确认的活动室预约（已预约、已签到、未到场）笔数，按使用日期计；不含待审核、未通过、已取消的。",
              records=lambda: Booking.objects.filter(status__in=HELD), date_field="booked_on",
              phrases=("阵地预约", "预约场次", "预约使用")),
    Indicator(code="venues.uses", name="阵地使用", unit=Unit.SESSION,
              definition="扫码签到、实际使用的预约场次，按使用日期计。",
              records=lambda: Booking.objects.filter(status=BookingStatus.CHECKED_IN), date_field="booked_on",
              phrases=("开展活动", "阵地使用")),
    Indicator(code="venues.hours", name="阵地使用时长", unit=Unit.HOUR,
              definition="已签到预约的时长之和（小时），按使用日期计。",
              records=lambda: Booking.objects.filter(status=BookingStatus.CHECKED_IN), date_field="booked_on",
              aggregate=lambda: Sum("minutes") / 60.0, phrases=("使用时长",)),
    Indicator(code="venues.no_shows", name="预约未到场", unit=Unit.SESSION,
              definition="已确认但到时未签到的预约场次，按使用日期计。",
              records=lambda: Booking.objects.filter(status=BookingStatus.NO_SHOW), date_field="booked_on",
              aggregate=lambda: Count("pk"), phrases=("爽约", "未到场")),
)

"""Is a venue open at a time? Weekly open days and hours, its own closed days, China's public holidays."""

import datetime
from functools import lru_cache

from django.utils import timezone

WEEKDAY_NAMES = "一二三四五六日"


@lru_cache(maxsize=4096)
def public_holiday(day: datetime.date) -> str:
    """The name of the statutory holiday on `day` ('' if none, or if the calendar does not know the year)."""
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except (ImportError, NotImplementedError):
        return ""
    if not on_holiday or name is None:  # an ordinary weekend, or a make-up workday
        return ""
    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    return names.get(name, name)


def weekdays_label(open_weekdays: str) -> str:
    days = sorted({int(ch) for ch in open_weekdays if ch in "1234567"})
    if days == list(range(1, 8)):
        return "每天"
    if days == list(range(1, 6)):
        return "周一至周五"
    return "、".join(f"周{WEEKDAY_NAMES[day - 1]}" for day in days)


def closed_reason(venue, day: datetime.date, closed_days: dict | None = None) -> str:
    """Why the venue is closed on `day` ('' when it is open that day)."""
    if closed_days is None:
        closed_days = dict(venue.closed_days.filter(date=day).values_list("date", "reason"))
    if day in closed_days:
        return f"{day:%Y年%m月%d日}闭馆" + (f"（{closed_days[day]}）" if closed_days[day] else "")
    if venue.closed_on_public_holidays:
        holiday = public_holiday(day)
        if holiday:
            return f"{day:%m月%d日}为法定节假日（{holiday}），该阵地闭馆"
    if str(day.isoweekday()) not in venue.open_weekdays:
        return f"该阵地周{WEEKDAY_NAMES[day.weekday()]}不开放（开放日：{weekdays_label(venue.open_weekdays)}）"
    return ""


def outside_hours(venue, start: datetime.datetime, end: datetime.datetime) -> str:
    """Why [start, end) is outside the venue's opening hours ('' when it is inside)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() != local_end.date() and not (local_end.time() == datetime.time(0) and
                                                       local_end.date() == local_start.date() + datetime.timedelta(1)):
        return "预约须在同一天内。"
    reason = closed_reason(venue, local_start.date())
    if reason:
        return reason + "。"
    if local_start.time() < venue.opens_at or (local_end.time() > venue.closes_at or local_end.date() > local_start.date()):
        return f"超出开放时间（{venue.opens_at:%H:%M}—{venue.closes_at:%H:%M}），请重新选择时段。"
    return ""

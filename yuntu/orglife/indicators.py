"""Figures of organisational life, declared once in the indicator registry."""

from django.db.models import Sum

from yuntu.indicators.registry import Indicator, Unit, register


def _held():
    from .models import Meeting
    from .workflow import MeetingStatus

    return Meeting.objects.filter(status=MeetingStatus.HELD)


def _held_kind(kind):
    return lambda: _held().filter(kind=kind)


def _unpaid():
    from .models import Dues

    return Dues.objects.filter(paid_on__isnull=True)


register(
    Indicator("orglife.meetings_held", "召开会议活动", Unit.SESSION, "已召开的三会一课、主题党日、组织生活会等会议活动场次",
              _held, date_field="held_on", phrases=("召开会议", "开展组织生活", "三会一课")),
    Indicator("orglife.general_meetings", "召开支部党员大会", Unit.SESSION, "已召开的支部党员大会场次",
              _held_kind("general"), date_field="held_on", phrases=("支部党员大会",)),
    Indicator("orglife.committee_meetings", "召开支部委员会", Unit.SESSION, "已召开的支部委员会场次",
              _held_kind("committee"), date_field="held_on", phrases=("支委会", "支部委员会")),
    Indicator("orglife.group_meetings", "召开党小组会", Unit.SESSION, "已召开的党小组会场次",
              _held_kind("group"), date_field="held_on", phrases=("党小组会",)),
    Indicator("orglife.party_lectures", "讲授党课", Unit.SESSION, "已讲授的党课场次（不含专题党课）",
              _held_kind("lecture"), date_field="held_on", phrases=("上党课", "讲党课")),
    Indicator("orglife.theme_days", "开展主题党日", Unit.SESSION, "已开展的主题党日活动场次",
              _held_kind("theme_day"), date_field="held_on", phrases=("主题党日",)),
    Indicator("orglife.attendance_expected", "应到人次", Unit.PERSON_TIME, "已召开会议活动的应到人数之和",
              _held, date_field="held_on", aggregate=lambda: Sum("expected_count")),
    Indicator("orglife.attendance_present", "参加人次", Unit.PERSON_TIME, "已召开会议活动的实到（签到）人数之和",
              _held, date_field="held_on", aggregate=lambda: Sum("present_count"), phrases=("参加组织生活", "党员参与")),
    Indicator("orglife.dues_unpaid", "欠缴党费", Unit.PERSON_TIME, "已登记应交、尚未交纳的党费（人·月）",
              _unpaid, date_field="month", phrases=("欠缴党费",)),
)

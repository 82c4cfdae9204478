"""Meeting kinds, statuses and the transitions between them, declared once.

Every status change goes through `orglife.services.meeting_transition`, which checks this table and
the actor's permission on the meeting's org and writes the timeline and the audit entry.
"""

from django.db import models

from yuntu.accounts.roles import Permission
from yuntu.core.workflow import Transition, declare


class MeetingKind(models.TextChoices):
    GENERAL = "general", "支部党员大会"
    COMMITTEE = "committee", "支部委员会"
    GROUP = "group", "党小组会"
    LECTURE = "lecture", "党课"
    THEME_DAY = "theme_day", "主题党日"
    LIFE_MEETING = "life_meeting", "组织生活会"
    APPRAISAL = "appraisal", "民主评议党员"
    STUDY_CLASS = "study_class", "读书班"
    SEMINAR = "seminar", "专题研讨"
    SPECIAL_LECTURE = "special_lecture", "专题党课"
    TALK = "talk", "宣讲"


# 三会一课 and the yearly meetings, as against the activities of themed education (主题教育).
REGULAR_KINDS = (MeetingKind.GENERAL, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE,
                 MeetingKind.THEME_DAY, MeetingKind.LIFE_MEETING, MeetingKind.APPRAISAL)
THEMED_EDUCATION_KINDS = (MeetingKind.STUDY_CLASS, MeetingKind.SEMINAR, MeetingKind.SPECIAL_LECTURE, MeetingKind.TALK)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "已计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    ROLL = "roll", "书记点名"


ABSENCE_REASONS = ["因公出差", "因病请假", "外出务工（流动党员）", "家中有事", "年老体弱"]

MEETING_TRANSITIONS = declare(
    Transition("hold", "记录召开", (MeetingStatus.PLANNED,), MeetingStatus.HELD, Permission.ORGLIFE_EDIT),
    Transition("cancel", "取消会议", (MeetingStatus.PLANNED,), MeetingStatus.CANCELLED, Permission.ORGLIFE_EDIT, True),
)

import secrets

from django.db import models
from django.db.models import Q

from yuntu.orgs.models import OrgScopedModel, subtree_path_index

from .workflow import AttendanceStatus, MeetingKind, MeetingStatus, SignInMethod


def new_sign_in_token() -> str:
    return secrets.token_urlsafe(18)


class Meeting(OrgScopedModel):
    """三会一课, theme days, yearly meetings and themed-education activities of one org (branch or group)."""

    kind = models.CharField("类型", max_length=16, choices=MeetingKind.choices)
    title = models.CharField("名称", max_length=128)
    topics = models.TextField("议题", blank=True, help_text="每行一个议题")
    starts_at = models.DateTimeField("时间")
    place = models.CharField("地点", max_length=128, blank=True)
    status = models.CharField("状态", max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    held_on = models.DateField("召开日期", null=True, blank=True)
    minutes = models.TextField("会议记录", blank=True)
    minutes_recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    sign_in_token = models.CharField(max_length=32, unique=True, default=new_sign_in_token, editable=False)
    expected_count = models.PositiveIntegerField("应到人数", default=0)
    present_count = models.PositiveIntegerField("实到人数", default=0)
    last_reason = models.CharField("取消原因", max_length=255, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="创建人")

    class Meta:
        verbose_name = "会议活动"
        verbose_name_plural = "会议活动"
        indexes = [
            subtree_path_index("meeting_org_path", "org_path"),
            # The scan counts held meetings by (org, kind) within a period: one range on held_on.
            models.Index(fields=["held_on", "kind", "org"], name="meeting_held_kind_org"),
            # A compliance rule counts one kind's held meetings by org within a period: one index range, no table.
            models.Index(fields=["kind", "status", "held_on", "org"], name="meeting_kind_status_held_org"),
            models.Index(fields=["org", "starts_at"], name="meeting_org_starts"),
            # The scan finds meetings recorded since the last scan (a late record re-checks its old period).
            models.Index(fields=["updated_at"], name="meeting_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class Attendance(models.Model):
    """One member's attendance at one meeting: present (signed in), on leave with a reason, or absent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name="会议")
    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="attendances", verbose_name="党员")
    status = models.CharField("出席情况", max_length=16, choices=AttendanceStatus.choices)
    reason = models.CharField("缺席（请假）原因", max_length=128, blank=True)
    method = models.CharField("签到方式", max_length=8, choices=SignInMethod.choices, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    starts_at = models.DateTimeField(editable=False)  # copy of the meeting's time: the member's history in order

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = "出席记录"
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting",
                                               violation_error_message="该党员已签到（已登记出席情况）。")]
        indexes = [models.Index(fields=["member", "starts_at"], name="attendance_member_starts"),
                   # The absence rule first picks the members absent often enough within the year.
                   models.Index(fields=["status", "starts_at", "member"], name="attendance_status_starts")]


class MeetingPhoto(models.Model):
    """A photo taken at a meeting, kept as evidence that it was held."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos", verbose_name="会议")
    file = models.FileField("照片", upload_to="orglife/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会议照片"
        verbose_name_plural = "会议照片"


class MeetingEvent(models.Model):
    """The timeline of a meeting: planned, notified, signed in, minutes, photos, held, cancelled."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=32)
    label = models.CharField("说明", max_length=128)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class OfficerPosition(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY = "deputy", "副书记"
    ORGANISATION = "organisation", "组织委员"
    PROPAGANDA = "propaganda", "宣传委员"
    DISCIPLINE = "discipline", "纪检委员"
    GROUP_LEADER = "group_leader", "党小组长"


class Officer(OrgScopedModel):
    """A member holding a post of an org's committee (支部委员会): who the org's secretary is."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员")
    position = models.CharField("职务", max_length=16, choices=OfficerPosition.choices)
    since = models.DateField("任职日期")
    until = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "支部委员"
        verbose_name_plural = "支部委员"
        indexes = [subtree_path_index("officer_org_path", "org_path")]
        constraints = [models.UniqueConstraint(
            fields=["org"], condition=Q(position=OfficerPosition.SECRETARY, until__isnull=True),
            name="officer_one_secretary", violation_error_message="该组织已有在任书记。")]


class DuesBracket(models.Model):
    """One row of the dues table (党费收缴标准): monthly income above `income_above` pays `rate` of it.

    The table in force on a month is the rows with the latest `effective_from` not after that month.
    """

    effective_from = models.DateField("执行日期")
    income_above = models.DecimalField("月收入（元）以上", max_digits=10, decimal_places=2)
    rate = models.DecimalField("交纳比例", max_digits=5, decimal_places=4, help_text="例如 0.005 即 0.5%")

    class Meta:
        verbose_name = "党费交纳标准"
        verbose_name_plural = "党费交纳标准"
        ordering = ["effective_from", "income_above"]
        constraints = [models.UniqueConstraint(fields=["effective_from", "income_above"], name="dues_bracket_unique")]


class Dues(OrgScopedModel):
    """党费: one member's dues for one month, from the income they declared, and its payment."""

    member = models.ForeignKey("orgs.Member", on_delete=models.CASCADE, related_name="+", verbose_name="党员")
    month = models.DateField("月份")  # the first day of the month
    declared_income = models.DecimalField("申报月收入（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("应交（元）", max_digits=8, decimal_places=2)
    paid_amount = models.DecimalField("实交（元）", max_digits=8, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField("交纳日期", null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "党费"
        verbose_name_plural = "党费"
        indexes = [subtree_path_index("dues_org_path", "org_path"),
                   models.Index(fields=["month", "paid_on"], name="dues_month_paid")]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_once_per_month",
                                               violation_error_message="该党员本月党费已登记。")]

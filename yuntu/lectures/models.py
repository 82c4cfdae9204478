import secrets

from django.db import models

from yuntu.core.models import TimestampedModel
from yuntu.orgs.models import Member, OrgScopedModel, subtree_path_index

from .workflow import OrderStatus

LECTURER_CELL_MINUTES = 15  # a lecturer's time is held in quarter hours


def new_token() -> str:
    return secrets.token_urlsafe(16)


class LectureTeam(OrgScopedModel):
    """宣讲团: a team run by an org (district, street, community) that serves the topics of its menu."""

    name = models.CharField("名称", max_length=128)
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "宣讲团"
        verbose_name_plural = "宣讲团"
        ordering = ["name", "id"]
        indexes = [subtree_path_index("lecture_team_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class Lecturer(OrgScopedModel):
    """宣讲员 of a team; `member` links a party member, whose lectures count toward their 5+X year."""

    team = models.ForeignKey(LectureTeam, on_delete=models.CASCADE, related_name="lecturers", verbose_name="宣讲团")
    name = models.CharField("姓名", max_length=64)
    title = models.CharField("身份", max_length=128, blank=True, help_text="例如：区委党校讲师、社区书记、老党员")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="lecturer_roles",
                               verbose_name="党员")
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = "宣讲员"
        verbose_name_plural = "宣讲员"
        ordering = ["team", "name", "id"]
        indexes = [subtree_path_index("lecturer_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class Topic(OrgScopedModel):
    """A dish of the menu: a lecture topic with its length and audience."""

    team = models.ForeignKey(LectureTeam, on_delete=models.CASCADE, related_name="topics", verbose_name="宣讲团")
    title = models.CharField("题目", max_length=128)
    summary = models.TextField("内容简介")
    minutes = models.PositiveSmallIntegerField("时长（分钟）")
    audience = models.CharField("适合对象", max_length=128)
    is_active = models.BooleanField("上架", default=True)

    class Meta:
        verbose_name = "宣讲菜单"
        verbose_name_plural = "宣讲菜单"
        ordering = ["team", "title", "id"]
        indexes = [subtree_path_index("topic_org_path", "org_path")]
        constraints = [models.CheckConstraint(condition=models.Q(minutes__gte=15) & models.Q(minutes__lte=480),
                                              name="topic_minutes_sensible",
                                              violation_error_message="时长须在15到480分钟之间。")]

    def __str__(self) -> str:
        return self.title


class LectureOrder(OrgScopedModel):
    """点菜: a group orders a topic for a time and place; owned by the topic's team's org (`org`)."""

    number = models.CharField("编号", max_length=32, unique=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="orders", verbose_name="宣讲题目")
    team = models.ForeignKey(LectureTeam, on_delete=models.PROTECT, related_name="orders", verbose_name="宣讲团")
    orderer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="lecture_orders",
                                verbose_name="点菜人")
    group_name = models.CharField("点菜单位（群体）", max_length=128)
    starts_at = models.DateTimeField("宣讲时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("宣讲地点", max_length=200)
    expected_audience = models.PositiveIntegerField("预计听众人数")
    note = models.CharField("其他要求", max_length=255, blank=True)
    status = models.CharField("状态", max_length=16, choices=OrderStatus.choices, default=OrderStatus.ORDERED)
    lecturer = models.ForeignKey(Lecturer, null=True, blank=True, on_delete=models.PROTECT, related_name="orders",
                                 verbose_name="宣讲员")
    assigned_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField("送菜时间", null=True, blank=True)
    delivered_on = models.DateField("宣讲日期", null=True, blank=True)
    attendance = models.PositiveIntegerField("实到听众", null=True, blank=True)
    delivery_summary = models.TextField("宣讲情况", blank=True)
    reason = models.CharField("原因", max_length=255, blank=True)
    rating_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = "点单"
        verbose_name_plural = "点单"
        ordering = ["-starts_at", "-id"]
        indexes = [
            subtree_path_index("lecture_order_org_path", "org_path"),
            models.Index(fields=["status", "starts_at"], name="lecture_order_status_start"),
            models.Index(fields=["orderer", "starts_at"], name="lecture_order_orderer"),
            models.Index(fields=["delivered_on"], name="lecture_order_delivered_on"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="lecture_order_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.number} {self.topic.title}"


class LecturerSlot(models.Model):
    """A quarter hour of a lecturer held by an order: no lecturer in two places at once, by the database."""

    lecturer = models.ForeignKey(Lecturer, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    order = models.ForeignKey(LectureOrder, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lecturer", "starts_at"], name="lecturer_slot_once")]


class LectureAttendee(models.Model):
    """A party member recorded among the audience at delivery (counts toward their 5+X year)."""

    order = models.ForeignKey(LectureOrder, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="lecture_attendances")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "member"], name="lecture_attendee_once")]


class LecturePhoto(models.Model):
    order = models.ForeignKey(LectureOrder, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField("照片", upload_to="lectures/%Y/%m/")
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class LectureRating(TimestampedModel):
    """评菜: one listener's score (1–5) of a delivered lecture; one per listener."""

    order = models.ForeignKey(LectureOrder, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评价", max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "rater"], name="lecture_rating_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="lecture_rating_1_5",
                                   violation_error_message="评分须为1到5分。"),
        ]


class LectureEvent(models.Model):
    order = models.ForeignKey(LectureOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    text = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]

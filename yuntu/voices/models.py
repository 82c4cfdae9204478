from django.db import models

from yuntu.core.models import TimestampedModel
from yuntu.orgs.models import Org, OrgScopedModel, subtree_path_index

from .workflow import DispatchStatus, Rating, RequestStatus

TEXT_MAX = 2000


class Category(TimestampedModel):
    """A kind of request (an Open311 'service'), with the org that answers it and its deadlines."""

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64)
    description = models.CharField("说明", max_length=255, blank=True)
    group = models.CharField("分组", max_length=32, blank=True)
    responsible_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                        verbose_name="默认责任部门")
    answer_days = models.PositiveSmallIntegerField("答复时限（工作日）", default=1)
    resolve_days = models.PositiveSmallIntegerField("办结时限（工作日）", default=5)
    questions = models.JSONField("补充问题", default=list, blank=True,
                                 help_text="[{code, datatype: string|number|datetime|text|singlevaluelist|multivaluelist, required, description, values:[{key,name}]}]")
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class WorkdayOverride(models.Model):
    """A date whose working status differs from the default calendar: a public holiday or a make-up workday."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=64, blank=True)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'调休上班' if self.is_workday else '放假'}"


class Channel(models.TextChoices):
    PORTAL = "portal", "群众端"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    HOTLINE = "hotline", "12345热线转办"
    OPEN311 = "open311", "Open311接口"


class Request(OrgScopedModel):
    """群众诉求: a resident's request, owned by the community that triages it (`org`)."""

    number = models.CharField("编号", max_length=32, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests", verbose_name="类别")
    text = models.TextField("诉求内容", max_length=TEXT_MAX)
    address = models.CharField("地点", max_length=255, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    answers = models.JSONField("补充信息", default=dict, blank=True)
    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    resident = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="requests",
                                 verbose_name="提交人")
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    contact_mobile_encrypted = models.TextField(blank=True, editable=False)
    contact_mobile_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    contact_mobile_masked = models.CharField("联系电话", max_length=16, blank=True, editable=False)
    status = models.CharField("状态", max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates",
                                    verbose_name="合并到")
    submitted_at = models.DateTimeField("提交时间")
    answer_due = models.DateTimeField("答复期限")
    resolve_due = models.DateTimeField("办结期限")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    reply = models.TextField("公开答复", blank=True)
    decline_reason = models.CharField("不予受理原因", max_length=255, blank=True)
    rating = models.CharField("评价", max_length=16, choices=Rating.choices, blank=True)
    rating_comment = models.CharField("评价意见", max_length=255, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField("重新办理次数", default=0)
    escalated_at = models.DateTimeField("超期上报时间", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="录入人")

    class Meta:
        verbose_name = "群众诉求"
        verbose_name_plural = "群众诉求"
        indexes = [
            subtree_path_index("request_org_path", "org_path"),
            models.Index(fields=["status", "submitted_at"], name="request_status_submitted"),
            models.Index(fields=["category", "status"], name="request_category_status"),
            models.Index(fields=["submitted_at", "id"], name="request_submitted"),
            models.Index(fields=["updated_at"], name="request_updated"),
            models.Index(fields=["status", "answered_at"], name="request_board"),
            # The public board's order over its rows only: page 1 and the map's points stop after a few rows.
            models.Index(fields=["-answered_at", "-id"], name="request_board_public",
                         condition=models.Q(status__in=["published", "rated"], merged_into__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:30]}"


class RequestPhoto(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField("照片", upload_to="voices/%Y/%m/")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Dispatch(OrgScopedModel):
    """吹哨报到: a request routed to a department (`org`), which must accept, act and reply by `deadline`."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="dispatches", verbose_name="诉求")
    status = models.CharField("状态", max_length=16, choices=DispatchStatus.choices, default=DispatchStatus.PENDING)
    deadline = models.DateTimeField("办理期限")
    note = models.CharField("派单说明", max_length=255, blank=True)
    reply = models.TextField("部门答复", blank=True)
    hand_back_reason = models.CharField("退回原因", max_length=255, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "吹哨派单"
        verbose_name_plural = "吹哨派单"
        indexes = [subtree_path_index("dispatch_org_path", "org_path"),
                   models.Index(fields=["status", "deadline"], name="dispatch_status_deadline")]
        constraints = [models.UniqueConstraint(fields=["request", "org"], name="dispatch_once_per_department")]


class RequestEvent(models.Model):
    """The timeline of a request; `public` events are shown to the resident and on the board."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    dispatch = models.ForeignKey(Dispatch, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["public", "occurred_at"], name="request_event_public_time")]


class SuggestionDrive(OrgScopedModel):
    """A drive collecting suggestions, e.g. 我为高质量发展献良策."""

    title = models.CharField("活动名称", max_length=128)
    description = models.TextField("说明", blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "建言献策活动"
        verbose_name_plural = "建言献策活动"

    def __str__(self) -> str:
        return self.title


class Suggestion(OrgScopedModel):
    """建言献策: a resident's idea; staff adopt it and turn it into a ledger measure."""

    class Status(models.TextChoices):
        RECEIVED = "received", "已收到"
        ADOPTED = "adopted", "已采纳"
        NOT_ADOPTED = "not_adopted", "暂不采纳"

    class Mode(models.TextChoices):
        ONLINE = "online", "线上"
        OFFLINE = "offline", "线下"

    drive = models.ForeignKey(SuggestionDrive, null=True, blank=True, on_delete=models.PROTECT, related_name="suggestions",
                              verbose_name="活动")
    text = models.TextField("建议内容", max_length=TEXT_MAX)
    author = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="建议人")
    author_name = models.CharField("建议人姓名", max_length=64, blank=True)
    mode = models.CharField("方式", max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    response = models.TextField("答复", blank=True)
    measure = models.ForeignKey("ledger.Measure", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="suggestions", verbose_name="转化的整改措施")

    class Meta:
        verbose_name = "建议"
        verbose_name_plural = "建言献策"
        indexes = [subtree_path_index("suggestion_org_path", "org_path")]


class VoicesCount(OrgScopedModel):
    """Roll-up of residents' voices per org and month (of a request's submission, a suggestion's creation).

    Kept by the voices services in the same transaction as the change (`yuntu.voices.rollups`);
    the dashboard sums these rows under a path prefix instead of scanning the requests.
    """

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month, in local time
    requests = models.IntegerField(default=0)
    requests_resolved = models.IntegerField(default=0)
    requests_answered = models.IntegerField(default=0)
    requests_on_time = models.IntegerField(default=0)
    requests_rated = models.IntegerField(default=0)
    requests_satisfied = models.IntegerField(default=0)
    suggestions = models.IntegerField(default=0)
    suggestions_adopted = models.IntegerField(default=0)

    class Meta:
        indexes = [subtree_path_index("voices_count_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="voices_count_key")]

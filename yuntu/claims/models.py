from django.db import models
from django.db.models import Q

from yuntu.core.models import TimestampedModel
from yuntu.orgs.models import PATH_LENGTH, Member, Org, OrgScopedModel, subtree_path_index

from .workflow import ClaimStatus, NeedStatus

TEXT_MAX = 1000
CLAIMANTS_MAX = 50


class NeedCategory(models.TextChoices):
    ELDERLY = "elderly", "助老助残"
    STUDY = "study", "助学圆梦"
    LIVING = "living", "生活帮扶"
    ENVIRONMENT = "environment", "环境整治"
    HEALTH = "health", "医疗健康"
    LEGAL = "legal", "法律咨询"
    CULTURE = "culture", "文体活动"
    OTHER = "other", "其他"


class NeedKind(models.TextChoices):
    WISH = "wish", "微心愿"
    NEED = "need", "群众需求"


class Need(OrgScopedModel):
    """微心愿 / 群众需求: something concrete a community (or branch, `org`) asks members to take on.

    `claimed_count` counts the live claims; the database refuses more than `claimants_needed` of them
    (a check constraint, and the claim service raises it only by a conditional F() update).
    """

    kind = models.CharField("类型", max_length=8, choices=NeedKind.choices, default=NeedKind.WISH)
    category = models.CharField("类别", max_length=16, choices=NeedCategory.choices)
    title = models.CharField("标题", max_length=64)
    description = models.TextField("需求说明", max_length=TEXT_MAX)
    address = models.CharField("地点", max_length=255)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    claimants_needed = models.PositiveSmallIntegerField("需认领人数", default=1)
    claimed_count = models.PositiveSmallIntegerField("已认领人数", default=0)
    deadline = models.DateField("截止日期")
    status = models.CharField("状态", max_length=16, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    posted_at = models.DateTimeField("发布时间")
    first_claimed_at = models.DateTimeField("首次认领时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    posted_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  verbose_name="发布人")

    class Meta:
        verbose_name = "群众需求"
        verbose_name_plural = "群众需求"
        indexes = [
            subtree_path_index("need_org_path", "org_path"),
            models.Index(fields=["status", "deadline"], name="need_status_deadline"),
            models.Index(fields=["posted_at"], name="need_posted"),
            models.Index(fields=["completed_at"], name="need_completed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(claimed_count__lte=models.F("claimants_needed")),
                                   name="need_claims_within_places",
                                   violation_error_message="认领人数不能超过需求人数。"),
            models.CheckConstraint(condition=Q(claimants_needed__gte=1) & Q(claimants_needed__lte=CLAIMANTS_MAX),
                                   name="need_claimants_in_range",
                                   violation_error_message=f"需认领人数应为1至{CLAIMANTS_MAX}人。"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(0, self.claimants_needed - self.claimed_count)


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField("照片", upload_to="claims/needs/%Y/%m/")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Claim(OrgScopedModel):
    """认领: a member (or a branch as a whole) takes on a need; `org` is the need's org, which confirms it.

    `claimant_path` is the claimant's own org path (the member's branch, or the branch), so a branch
    sees its members' claims as well as the community sees the claims of its needs.
    """

    copied_path_fields = ("claimant_path",)  # rewritten by orgs.services.org_move with org_path

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="claims", verbose_name="需求")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="claims",
                               verbose_name="认领党员")
    branch = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="认领支部")
    claimant_path = models.CharField(max_length=PATH_LENGTH, editable=False)
    status = models.CharField("状态", max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED)
    claimed_at = models.DateTimeField("认领时间")
    claimed_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="经办人")
    proof_text = models.TextField("完成情况", blank=True, max_length=TEXT_MAX)
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1, null=True, blank=True)
    reported_at = models.DateTimeField("提交时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=255, blank=True)
    pledge = models.ForeignKey("Pledge", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims",
                               verbose_name="计入承诺事项")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name="确认人")

    class Meta:
        verbose_name = "认领"
        verbose_name_plural = "认领"
        indexes = [
            subtree_path_index("claim_org_path", "org_path"),
            subtree_path_index("claim_claimant_path", "claimant_path"),
            models.Index(fields=["status", "claimed_at"], name="claim_status_claimed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=False, branch__isnull=True)
                                   | Q(member__isnull=True, branch__isnull=False),
                                   name="claim_by_member_or_branch"),
            models.UniqueConstraint(fields=["need", "member"], condition=~Q(status="withdrawn") & Q(member__isnull=False),
                                    name="claim_once_per_member",
                                    violation_error_message="您已认领过该需求。"),
            models.UniqueConstraint(fields=["need", "branch"], condition=~Q(status="withdrawn") & Q(branch__isnull=False),
                                    name="claim_once_per_branch",
                                    violation_error_message="本支部已认领过该需求。"),
        ]

    def __str__(self) -> str:
        return f"{self.claimant_name}认领“{self.need.title}”"

    @property
    def claimant_name(self) -> str:
        return self.member.name if self.member_id else self.branch.name


class ClaimPhoto(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField("照片", upload_to="claims/proof/%Y/%m/")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)


class ClaimEvent(models.Model):
    """The timeline of a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class ReportKind(models.TextChoices):
    BRANCH = "branch", "单位党组织报到"
    MEMBER = "member", "在职党员报到"


class DualReport(OrgScopedModel):
    """双报到: an agency branch, or an in-service member (by where they live), registers with a community (`org`).

    `reporter_path` is the branch's path, or the member's own org path: the employer's side of the report.
    """

    copied_path_fields = ("reporter_path",)

    kind = models.CharField("报到类型", max_length=8, choices=ReportKind.choices)
    branch = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="报到党组织")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="dual_reports",
                               verbose_name="报到党员")
    reporter_path = models.CharField(max_length=PATH_LENGTH, editable=False)
    home_address = models.CharField("居住地址", max_length=255, blank=True)
    reported_on = models.DateField("报到日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    registered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name="登记人")

    class Meta:
        verbose_name = "双报到"
        verbose_name_plural = "双报到"
        indexes = [
            subtree_path_index("dual_report_org_path", "org_path"),
            subtree_path_index("dual_report_reporter_path", "reporter_path"),
            models.Index(fields=["kind", "reported_on"], name="dual_report_kind_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind="branch", branch__isnull=False, member__isnull=True)
                                   | Q(kind="member", member__isnull=False, branch__isnull=True),
                                   name="dual_report_kind_matches"),
            models.UniqueConstraint(fields=["member"], condition=Q(ended_on__isnull=True, member__isnull=False),
                                    name="dual_report_one_community_per_member",
                                    violation_error_message="该党员已在一个社区报到。"),
            models.UniqueConstraint(fields=["branch", "org"], condition=Q(ended_on__isnull=True, branch__isnull=False),
                                    name="dual_report_branch_once_per_community",
                                    violation_error_message="该党组织已向这个社区报到。"),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_name}向{self.org.short_name or self.org.name}报到"

    @property
    def reporter_name(self) -> str:
        return self.member.name if self.member_id else self.branch.name


class ServiceKind(models.TextChoices):
    NEED = "need", "认领微心愿"
    VOLUNTEER = "volunteer", "志愿服务"
    COMMUNITY = "community", "社区报到服务"


class Pledge(TimestampedModel):
    """A member's own item of the year (the X of 5+X); it counts once a service record is filed against it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="pledges", verbose_name="党员")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("承诺事项", max_length=128)

    class Meta:
        verbose_name = "承诺事项"
        verbose_name_plural = "承诺事项"
        ordering = ["year", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "year", "title"], name="pledge_once_per_year",
                                               violation_error_message="该承诺事项已登记。")]

    def __str__(self) -> str:
        return self.title


class ServiceRecord(OrgScopedModel):
    """One service a member or branch did in a community (`org`), for how long: the volunteer hours ledger.

    A confirmed claim files one (kind=need); the community files the others. `server_path` is the
    member's or branch's own path, so employers see their people's service too.
    """

    copied_path_fields = ("server_path",)

    kind = models.CharField("服务类型", max_length=16, choices=ServiceKind.choices)
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="services",
                               verbose_name="党员")
    branch = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="党组织")
    server_path = models.CharField(max_length=PATH_LENGTH, editable=False)
    title = models.CharField("服务内容", max_length=128)
    served_on = models.DateField("服务日期")
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    claim = models.OneToOneField(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="service",
                                 verbose_name="认领")
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.SET_NULL, related_name="services",
                               verbose_name="承诺事项")
    recorded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="登记人")

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        indexes = [
            subtree_path_index("service_org_path", "org_path"),
            subtree_path_index("service_server_path", "server_path"),
            models.Index(fields=["served_on"], name="service_served_on"),
            models.Index(fields=["member", "served_on"], name="service_member_served_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=False) | Q(branch__isnull=False),
                                   name="service_by_member_or_branch"),
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="service_hours_in_a_day",
                                   violation_error_message="服务时长应大于0且不超过24小时。"),
        ]

    def __str__(self) -> str:
        return self.title

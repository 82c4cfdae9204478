from django.db import models

from yuntu.orgs.models import OrgScopedModel, subtree_path_index

from .workflow import MeasureStatus, ProblemStatus


class Source(models.TextChoices):
    INSPECTION = "inspection", "巡视巡察"
    RESEARCH = "research", "调研发现"
    RESIDENTS = "residents", "群众反映"
    SELF_INSPECTION = "self_inspection", "自查自纠"
    UPPER = "upper", "上级推送（上下联动）"


class Category(models.TextChoices):
    DEVELOPMENT = "development", "推动高质量发展"
    PARTY_BUILDING = "party_building", "党的建设"
    LIVELIHOOD = "livelihood", "民生保障"
    GOVERNANCE = "governance", "基层治理"
    CONDUCT = "conduct", "作风建设"


class LevelClass(models.TextChoices):
    COUNTY = "county", "县处级以上单位"
    GRASSROOTS = "grassroots", "基层党组织"


class Problem(OrgScopedModel):
    """问题清单: one problem of a unit, owned by its org, with the measures that rectify it."""

    title = models.CharField("问题", max_length=255)
    description = models.TextField("问题描述", blank=True)
    source = models.CharField("问题来源", max_length=16, choices=Source.choices)
    category = models.CharField("问题类别", max_length=16, choices=Category.choices)
    level_class = models.CharField("单位类别", max_length=16, choices=LevelClass.choices)
    batch = models.CharField("批次", max_length=64, default="第一批问题清单")
    found_on = models.DateField("发现日期")
    status = models.CharField("状态", max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.SUBMITTED)
    pushed_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="pushed_to",
                                    verbose_name="上级推送的问题")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    last_reason = models.CharField("最近退回（重开）原因", max_length=255, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="填报人")

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        indexes = [
            subtree_path_index("problem_org_path", "org_path"),
            models.Index(fields=["status", "found_on"], name="problem_status_found"),
            # The ledger list's order (-found_on, -id): page 1 of a wide scope stops after 30 rows (docs/benchmarks.md).
            models.Index(fields=["found_on", "id"], name="problem_found_id"),
        ]

    def __str__(self) -> str:
        return self.title


class Measure(OrgScopedModel):
    """整改措施: a measure of a problem with its owner org, responsible person and deadline."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures", verbose_name="问题")
    text = models.TextField("整改措施")
    responsible_person = models.CharField("责任人", max_length=64)
    responsible_user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name="责任人账号")
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    returned_from = models.CharField(max_length=16, blank=True, editable=False)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    level_class = models.CharField("单位类别", max_length=16, choices=LevelClass.choices)
    verified_at = models.DateTimeField("验收时间", null=True, blank=True)
    last_progress_at = models.DateTimeField("最近更新", null=True, blank=True)
    last_reason = models.CharField("最近退回原因", max_length=255, blank=True)

    class Meta:
        verbose_name = "整改措施"
        verbose_name_plural = "整改措施"
        indexes = [
            subtree_path_index("measure_org_path", "org_path"),
            models.Index(fields=["status", "deadline"], name="measure_status_deadline"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Progress(models.Model):
    """进展情况: a progress report on a measure with its evidence files."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_reports", verbose_name="措施")
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("进度（%）")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改进展"
        verbose_name_plural = "整改进展"
        ordering = ["-created_at", "-id"]


class Evidence(models.Model):
    """佐证材料: a file attached to a problem or to a progress report."""

    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    progress = models.ForeignKey(Progress, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to="ledger/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("大小")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"


class LedgerEvent(models.Model):
    """The timeline of a problem and its measures: every transition, progress report and edit."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=32)
    label = models.CharField("说明", max_length=64)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.CharField("原因", max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class LedgerCount(OrgScopedModel):
    """Roll-up of the ledger per org, month of the problem's discovery date and level class.

    Kept by the ledger services in the same transaction as the change (`yuntu.ledger.rollups`);
    the dashboard sums these rows under a path prefix instead of scanning problems and measures.
    """

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month of the problem's `found_on`
    level_class = models.CharField(max_length=16, choices=LevelClass.choices)
    problems = models.IntegerField(default=0)
    problems_closed = models.IntegerField(default=0)
    measures = models.IntegerField(default=0)  # measures are counted at their own org
    measures_completed = models.IntegerField(default=0)

    class Meta:
        indexes = [subtree_path_index("ledger_count_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["org", "month", "level_class"], name="ledger_count_key")]

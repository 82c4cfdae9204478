from django.db import models
from django.db.models import Q

from yuntu.orgs.models import PATH_LENGTH, OrgScopedModel, subtree_path_index

from .workflow import AlertStatus, CircularStatus, ItemMethod, Severity, WeakLaxStatus


class RuleSetting(models.Model):
    """Staff's overrides of one compliance rule (enabled, threshold, escalate_after), kept as its JSON text."""

    code = models.CharField("规则", max_length=64, unique=True)
    config = models.TextField("配置", help_text='JSON，例如 {"threshold": 1, "enabled": true, "escalate_after": 2}')
    updated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "规则配置"
        verbose_name_plural = "规则配置"


class Alert(OrgScopedModel):
    """One rule's finding about one org for one period (融e红-style alert), raised to the org and its parent."""

    rule = models.CharField("规则", max_length=64)
    period = models.CharField("期间", max_length=16, blank=True)  # "2026-11", "2026Q4", "2026", "" for standing rules
    severity = models.CharField("级别", max_length=16, choices=Severity.choices)
    status = models.CharField("状态", max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    detail = models.CharField("情况", max_length=500)
    subject_count = models.PositiveIntegerField("涉及数量", default=1)
    parent_path = models.CharField(max_length=PATH_LENGTH, blank=True, editable=False)
    escalated = models.BooleanField("已升级", default=False)
    escalated_path = models.CharField(max_length=PATH_LENGTH, blank=True, editable=False)
    seen_count = models.PositiveIntegerField("连续发现次数", default=1)
    raised_count = models.PositiveIntegerField("发出次数", default=1)
    raised_at = models.DateTimeField("发现时间")
    last_seen_at = models.DateTimeField("最近发现")
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)
    explanation = models.TextField("情况说明", blank=True)
    explained_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    review_note = models.CharField("审核意见", max_length=255, blank=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = "合规预警"
        verbose_name_plural = "合规预警"
        indexes = [subtree_path_index("alert_org_path", "org_path"),
                   models.Index(fields=["status", "rule"], name="alert_status_rule")]
        constraints = [models.UniqueConstraint(fields=["rule", "org", "period"], name="alert_once_per_period")]


class AlertEvent(models.Model):
    """The timeline of an alert: raised, seen again, escalated, explained, reviewed, resolved."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    label = models.CharField(max_length=128)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "id"]


class ScanRun(models.Model):
    """One run of the compliance scan, with what it changed and how long it took."""

    as_of = models.DateField("扫描日期")
    started_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    orgs = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    still_open = models.PositiveIntegerField(default=0)
    queries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]


class ScoringScheme(OrgScopedModel):
    """考评方案: a published rubric (e.g. 机关党建100分) of items, owned by the org that assesses under it."""

    name = models.CharField("方案名称", max_length=128)
    target_level = models.CharField("考核对象层级", max_length=16, default="branch")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "考评方案"
        verbose_name_plural = "考评方案"

    def __str__(self) -> str:
        return self.name


class SchemeItem(models.Model):
    """An item of a scheme: scored by the system from an indicator, or by an assessor with evidence."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("考评项目", max_length=128)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2)
    method = models.CharField("计分方式", max_length=16, choices=ItemMethod.choices)
    indicator = models.CharField("指标", max_length=64, blank=True, help_text="自动计分时引用的指标编码")
    full_at = models.DecimalField("满分对应指标值", max_digits=10, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from yuntu.indicators import registry

        if self.method == ItemMethod.AUTOMATIC:
            try:
                registry.get(self.indicator)
            except registry.UnknownIndicator:
                raise ValidationError({"indicator": f"指标“{self.indicator}”未在指标库中登记。"}) from None


class StarThreshold(models.Model):
    """达标创星: the total a unit needs for a number of stars under a scheme."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="stars")
    stars = models.PositiveSmallIntegerField("星级")
    min_score = models.DecimalField("最低得分", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["-stars"]
        constraints = [models.UniqueConstraint(fields=["scheme", "stars"], name="star_once_per_scheme")]


class AssessmentPeriod(OrgScopedModel):
    """A period a scheme is applied in; `org` is the group whose child units compete (e.g. a street)."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="periods")
    name = models.CharField("考核期", max_length=64)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")

    class Meta:
        verbose_name = "考核期"
        verbose_name_plural = "考核期"
        indexes = [subtree_path_index("period_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class Score(OrgScopedModel):
    """The score of one unit (`org`) on one item in one period, with the assessor's evidence."""

    period = models.ForeignKey(AssessmentPeriod, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(SchemeItem, on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    evidence = models.TextField("评分依据", blank=True)
    automatic = models.BooleanField(default=False)
    assessor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [subtree_path_index("score_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["period", "item", "org"], name="score_once_per_item")]


class RedFlag(OrgScopedModel):
    """流动红旗: awarded for a period to the top unit (`org`) among the children of the period's group."""

    period = models.OneToOneField(AssessmentPeriod, on_delete=models.CASCADE, related_name="red_flag")
    total = models.DecimalField("得分", max_digits=7, decimal_places=2)
    awarded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "流动红旗"
        verbose_name_plural = "流动红旗"


class WeakLaxFlag(OrgScopedModel):
    """软弱涣散: an org put under rectification, with its plan entered in the ledger as a problem."""

    reason = models.TextField("主要问题")
    plan = models.TextField("整顿方案")
    status = models.CharField("状态", max_length=16, choices=WeakLaxStatus.choices, default=WeakLaxStatus.RECTIFYING)
    flagged_on = models.DateField("认定日期")
    lifted_on = models.DateField("摘帽日期", null=True, blank=True)
    problem = models.ForeignKey("ledger.Problem", null=True, on_delete=models.SET_NULL, related_name="+")
    flagged_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "软弱涣散党组织"
        verbose_name_plural = "软弱涣散党组织"
        constraints = [models.UniqueConstraint(fields=["org"], condition=Q(status="rectifying"),
                                               name="weak_lax_once_open")]


class Circular(OrgScopedModel):
    """通报: a periodic notice naming units with lapses and the best units, edited and published by staff."""

    title = models.CharField("标题", max_length=128)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    lapses = models.TextField("存在问题的单位")
    commendations = models.TextField("表现突出的单位")
    closing = models.TextField("工作要求", blank=True)
    status = models.CharField("状态", max_length=16, choices=CircularStatus.choices, default=CircularStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-period_end", "-id"]

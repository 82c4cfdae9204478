from django.db import models

from yuntu.orgs.models import PATH_LENGTH, OrgScopedModel, subtree_path_index

from .workflow import BriefingKind, BriefingStatus, FigureStatus


class BriefingSeries(OrgScopedModel):
    """A numbered series of an issuing office, e.g. 海沧区主题教育工作简报 (第27期), with its document prefix."""

    name = models.CharField("简报名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=BriefingKind.choices, default=BriefingKind.BRIEFING)
    issuer = models.CharField("编发单位", max_length=128)
    document_prefix = models.CharField("发文字号前缀", max_length=32, blank=True, help_text="如：海委教办")
    next_number = models.PositiveIntegerField("下一期期号", default=1)

    class Meta:
        verbose_name = "简报系列"
        verbose_name_plural = "简报系列"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="briefing_series_name_per_org")]

    def __str__(self) -> str:
        return self.name


class BriefingTemplate(OrgScopedModel):
    """A briefing's text with placeholders: {ledger.problems}, {table:ledger.problems,ledger.measures}, {list:…}."""

    name = models.CharField("模板名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=BriefingKind.choices, default=BriefingKind.BRIEFING)
    title = models.CharField("标题", max_length=128)
    body = models.TextField("正文模板")

    class Meta:
        verbose_name = "简报模板"
        verbose_name_plural = "简报模板"

    def __str__(self) -> str:
        return self.name


class Briefing(OrgScopedModel):
    """One issue of a series about a subtree (`org`) and a period; numbered and frozen when issued."""

    series = models.ForeignKey(BriefingSeries, on_delete=models.PROTECT, related_name="briefings", verbose_name="简报系列")
    template = models.ForeignKey(BriefingTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="模板")
    title = models.CharField("标题", max_length=128)
    body = models.TextField("正文")
    start = models.DateField("统计起始日期", null=True, blank=True)
    end = models.DateField("统计截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT)
    number = models.PositiveIntegerField("期号", null=True, blank=True)
    document_number = models.CharField("发文字号", max_length=64, blank=True)
    published_at = models.DateTimeField("签发时间", null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="签发人")
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="编写人")

    class Meta:
        verbose_name = "简报"
        verbose_name_plural = "简报"
        indexes = [subtree_path_index("briefing_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="briefing_number_once_per_series")]

    def __str__(self) -> str:
        return self.title


class BriefingFigure(models.Model):
    """A figure frozen when its briefing was issued: the value, when, the query and the records behind it."""

    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="figures")
    code = models.CharField("指标", max_length=64)
    name = models.CharField("指标名称", max_length=64)
    unit = models.CharField("单位", max_length=16)
    definition = models.CharField("口径", max_length=255)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=PATH_LENGTH)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="含当日")
    value = models.JSONField("数值", null=True)
    record_model = models.CharField(max_length=64, blank=True)
    record_ids = models.JSONField("记录", null=True, help_text="数量过大时不逐条保存，按 query 复现")
    record_count = models.PositiveIntegerField(default=0)
    query = models.TextField("查询", blank=True)
    computed_at = models.DateTimeField("计算时间")

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "简报数据快照"
        verbose_name_plural = "简报数据快照"
        constraints = [models.UniqueConstraint(fields=["briefing", "code", "org"], name="briefing_figure_once")]


class SubmittedReport(OrgScopedModel):
    """A report a unit sent in (text or Word), read for its figures; `org` is the unit that reports."""

    title = models.CharField("标题", max_length=255)
    file_name = models.CharField("文件名", max_length=255)
    encoding = models.CharField("编码", max_length=16)
    text = models.TextField("原文")
    start = models.DateField("所属期间起", null=True, blank=True)
    end = models.DateField("所属期间止", null=True, blank=True)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "报送材料"
        verbose_name_plural = "报送材料"
        indexes = [subtree_path_index("report_org_path", "org_path")]

    def __str__(self) -> str:
        return self.title


class ReportFigure(models.Model):
    """A figure read out of a report; staff confirm it and map it onto a registered indicator."""

    report = models.ForeignKey(SubmittedReport, on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    unit = models.CharField("单位", max_length=16, blank=True)
    qualifier = models.CharField("限定", max_length=16)
    phrase = models.CharField("指标表述", max_length=64, blank=True)
    indicator_code = models.CharField("对应指标", max_length=64, blank=True)
    sentence = models.TextField("原句")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    status = models.CharField("状态", max_length=16, choices=FigureStatus.choices, default=FigureStatus.PENDING)
    confirmed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["start", "id"]

from django.db import models
from treebeard.mp_tree import MP_Node

from yuntu.core.models import TimestampedModel

PATH_LENGTH = 255


def subtree_path_index(name: str, field: str) -> models.Index:
    """A prefix-searchable index on a path column (pattern ops on PostgreSQL, plain elsewhere)."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class Level(models.TextChoices):
    DISTRICT = "district", "区（县）委"
    STREET = "street", "街道（乡镇）党（工）委"
    COMMUNITY = "community", "社区（村）党组织"
    BRANCH = "branch", "党支部"
    GROUP = "group", "党小组"


def levels_above(level: str) -> list[str]:
    """The levels an org of `level` sits under (Level is declared top-down); none for an unknown level."""
    order = list(Level.values)
    return order[:order.index(level)] if level in order else []


class Kind(models.TextChoices):
    STANDARD = "standard", "常规"
    JOINT = "joint", "大党委（大党工委）"
    GENERAL_BRANCH = "general_branch", "党总支"
    ESTATE = "estate", "小区（兼合式）党支部"
    BUILDING = "building", "楼栋党小组"


class Sector(models.TextChoices):
    AGENCY = "agency", "机关"
    VILLAGE = "village", "农村"
    COMMUNITY = "community", "社区"
    SOE = "soe", "国企"
    SCHOOL = "school", "学校"
    PRIVATE = "private", "非公企业"
    NGO = "ngo", "社会组织"


class Org(MP_Node, TimestampedModel):
    """A node of the organisation tree; its treebeard `path` is the key of all data scope."""

    scope_path_field = "path"

    name = models.CharField("名称", max_length=128)
    short_name = models.CharField("简称", max_length=64, blank=True)
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.STANDARD)
    sector = models.CharField("领域", max_length=16, choices=Sector.choices, blank=True)
    division_code = models.CharField("行政区划代码", max_length=12, blank=True, help_text="GB/T 2260，区（县）与街道（乡镇）填写")
    temporary = models.BooleanField("临时党组织", default=False)
    end_date = models.DateField("撤销日期", null=True, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField("有效", default=True)

    node_order_by = None

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        indexes = [
            subtree_path_index("org_path_prefix", "path"),
            # A node's children (one depth, one path prefix) without walking its whole subtree.
            models.Index(fields=["depth", "path"], name="org_depth_path", opclasses=["int4_ops", "varchar_pattern_ops"]),
            models.Index(fields=["level"], name="org_level"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(temporary=False) | models.Q(end_date__isnull=False),
                name="org_temporary_has_end_date",
                violation_error_message="临时党组织必须填写撤销日期。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrgScopedModel(TimestampedModel):
    """A governed record: it belongs to an org and carries a copy of the org's path for range scans.

    `org_move` rewrites `org_path` of every subclass when a subtree moves.
    """

    scope_path_field = "org_path"

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="所属组织")
    org_path = models.CharField(max_length=PATH_LENGTH, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.org_id and not self.org_path:
            self.org_path = self.org.path
        super().save(*args, **kwargs)


class PartnerUnit(OrgScopedModel):
    """共建单位: an agency, enterprise, school or institute that joins a joint committee (大党委)."""

    class UnitKind(models.TextChoices):
        AGENCY = "agency", "机关单位"
        ENTERPRISE = "enterprise", "企业"
        SCHOOL = "school", "学校"
        INSTITUTE = "institute", "事业单位"
        NGO = "ngo", "社会组织"

    name = models.CharField("单位名称", max_length=128)
    unit_kind = models.CharField("单位类型", max_length=16, choices=UnitKind.choices)
    contact_name = models.CharField("联系人", max_length=64, blank=True)
    joined_on = models.DateField("加入日期", null=True, blank=True)

    class Meta:
        verbose_name = "共建单位"
        verbose_name_plural = "共建单位"
        indexes = [subtree_path_index("partner_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class Grid(OrgScopedModel):
    """网格 / 红色网格责任田: a cell of a community with the member responsible for it."""

    name = models.CharField("网格名称", max_length=128)
    responsible = models.ForeignKey(
        "orgs.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="网格责任党员"
    )
    household_count = models.PositiveIntegerField("户数", default=0)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        indexes = [subtree_path_index("grid_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class Household(OrgScopedModel):
    """党员中心户: a member household that is the contact point of its neighbours."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="households", verbose_name="网格")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    address = models.CharField("住址", max_length=255)
    neighbours_served = models.PositiveIntegerField("联系户数", default=0)

    class Meta:
        verbose_name = "党员中心户"
        verbose_name_plural = "党员中心户"
        indexes = [subtree_path_index("household_org_path", "org_path")]

    def __str__(self) -> str:
        return self.address


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Member(OrgScopedModel):
    """A party member. ID number and mobile are kept encrypted, with a keyed digest and a masked form."""

    name = models.CharField("姓名", max_length=64)
    gender = models.CharField("性别", max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number_encrypted = models.TextField(editable=False, blank=True)
    id_number_digest = models.CharField(max_length=64, editable=False, unique=True)
    id_number_masked = models.CharField("身份证号", max_length=24, editable=False)
    mobile_encrypted = models.TextField(editable=False, blank=True)
    mobile_digest = models.CharField(max_length=64, editable=False, blank=True, db_index=True)
    mobile_masked = models.CharField("手机号", max_length=16, editable=False, blank=True)
    status = models.CharField("党员类别", max_length=16, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField("入党日期", null=True, blank=True)
    probation_end = models.DateField("预备期满日期", null=True, blank=True)
    floating = models.BooleanField("流动党员", default=False)
    floating_location = models.CharField("流入地", max_length=128, blank=True)
    in_service = models.BooleanField("在职党员", default=False)
    employer = models.CharField("工作单位", max_length=128, blank=True)
    reporting_community = models.ForeignKey(
        Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="双报到社区"
    )
    home_address = models.CharField("居住地址", max_length=255, blank=True)
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="member", verbose_name="账号"
    )
    search_text = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField("在册", default=True)

    class Meta:
        verbose_name = "党员"
        verbose_name_plural = "党员"
        indexes = [
            subtree_path_index("member_org_path", "org_path"),
            # Lists are ordered by (org_path, id): this index serves the order and, under a C collation, the prefix.
            models.Index(fields=["org_path", "id"], name="member_org_path_order"),
            models.Index(fields=["org", "status"], name="member_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="probationary") | models.Q(probation_end__isnull=False),
                name="member_probationary_has_end",
                violation_error_message="预备党员必须填写预备期满日期。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Transfer(OrgScopedModel):
    """组织关系转接: a member's record moved from one org to another; `org` is the receiving org."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name="党员")
    from_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="转出组织")
    from_path = models.CharField(max_length=PATH_LENGTH, editable=False)
    transferred_on = models.DateField("转接日期")
    reason = models.CharField("原因", max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="经办人")

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-transferred_on", "-id"]
        indexes = [subtree_path_index("transfer_org_path", "org_path")]


class Resident(TimestampedModel):
    """群众: a portal account identified by a mainland mobile number (kept encrypted)."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE, related_name="resident", verbose_name="账号")
    community = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="所在社区")

    class Meta:
        verbose_name = "群众"
        verbose_name_plural = "群众"


class OrgMemberCount(models.Model):
    """Roll-up of members held directly by one org, kept by the member services in the same transaction.

    The figure of a subtree is the sum of these rows under a prefix: its cost follows the number
    of orgs, not of members.
    """

    org = models.OneToOneField(Org, primary_key=True, on_delete=models.CASCADE, related_name="member_count")
    org_path = models.CharField(max_length=PATH_LENGTH)
    full = models.IntegerField(default=0)
    probationary = models.IntegerField(default=0)

    scope_path_field = "org_path"

    class Meta:
        indexes = [subtree_path_index("member_count_org_path", "org_path")]


class ImportJob(OrgScopedModel):
    """An Excel import run in the background: all rows or none, with progress and errors by row/column."""

    class Kind(models.TextChoices):
        ORGS = "orgs", "党组织"
        MEMBERS = "members", "党员"

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "未导入"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    total_rows = models.IntegerField("总行数", default=0)
    processed_rows = models.IntegerField("已处理", default=0)
    created_count = models.IntegerField("新增", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="导入人")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (self.Status.SUCCEEDED, self.Status.FAILED) else 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))

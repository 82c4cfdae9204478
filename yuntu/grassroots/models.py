"""四下基层: research topics, receptions and visits, mediation, pairing with enterprises and villages, assignments.

Every record is governed (org + org_path). A cadre is a `User`; the frontline record of a cadre is
assembled from these tables by `selectors.frontline_record`, never stored twice.
"""

from django.db import models
from django.db.models import F, Q

from yuntu.orgs.models import Org, OrgScopedModel, subtree_path_index

from .workflow import BookingStatus, ContactKind, MediationStatus, ProposalStatus, TopicStatus

TEXT_MAX = 2000
HOURS = {"max_digits": 5, "decimal_places": 1, "default": 0}


class Field(models.TextChoices):
    ECONOMY = "economy", "经济发展"
    ENTERPRISE = "enterprise", "惠企服务"
    URBAN = "urban", "城乡建设"
    LIVELIHOOD = "livelihood", "民生保障"
    GOVERNANCE = "governance", "基层治理"
    PARTY_BUILDING = "party_building", "党的建设"
    ECOLOGY = "ecology", "生态环境"


class ResearchTopic(OrgScopedModel):
    """调研课题: chosen by a leader or a team of a unit (`org`) for a field and a period."""

    title = models.CharField("课题名称", max_length=128)
    field = models.CharField("领域", max_length=16, choices=Field.choices)
    lead = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="牵头领导")
    lead_team = models.CharField("牵头调研组", max_length=128, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    status = models.CharField("状态", max_length=16, choices=TopicStatus.choices, default=TopicStatus.RESEARCHING)
    report = models.TextField("调研报告", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)

    class Meta:
        verbose_name = "调研课题"
        verbose_name_plural = "调研课题"
        indexes = [subtree_path_index("research_topic_org_path", "org_path"), models.Index(fields=["starts_on"], name="topic_starts")]
        constraints = [
            models.CheckConstraint(condition=Q(lead__isnull=False) | ~Q(lead_team=""), name="topic_has_lead",
                                   violation_error_message="请填写牵头领导或牵头调研组。"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="topic_period_ordered",
                                   violation_error_message="结束日期不能早于开始日期。"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def lead_label(self) -> str:
        return str(self.lead) if self.lead_id else self.lead_team


class FieldVisit(OrgScopedModel):
    """A field visit of a topic to a place (`org`, the unit visited), with notes and hours on the spot."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="visits", verbose_name="调研课题")
    visitor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="调研人")
    visited_on = models.DateField("调研日期")
    place = models.CharField("调研地点", max_length=128)
    notes = models.TextField("调研记录", max_length=TEXT_MAX)
    hours = models.DecimalField("在一线时长（小时）", **HOURS)

    class Meta:
        verbose_name = "实地调研"
        verbose_name_plural = "实地调研"
        indexes = [subtree_path_index("field_visit_org_path", "org_path"),
                   models.Index(fields=["visitor", "visited_on"], name="field_visit_visitor")]


class SiteProblem(OrgScopedModel):
    """A problem found on a field visit; `solved_on_site` makes "problems solved on the spot" a count."""

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="problems", verbose_name="实地调研")
    description = models.CharField("发现的问题", max_length=255)
    solved_on_site = models.BooleanField("现场解决", default=False)
    solution = models.CharField("解决情况", max_length=255, blank=True)
    found_on = models.DateField("发现日期")

    class Meta:
        verbose_name = "调研发现问题"
        verbose_name_plural = "调研发现问题"
        indexes = [subtree_path_index("site_problem_org_path", "org_path")]
        constraints = [models.CheckConstraint(condition=Q(solved_on_site=False) | ~Q(solution=""),
                                              name="site_problem_solved_has_solution",
                                              violation_error_message="现场解决的问题须写明解决情况。")]

    def __str__(self) -> str:
        return self.description


class Proposal(OrgScopedModel):
    """A proposal of a topic's report; once adopted it is a measure in the rectification ledger."""

    topic = models.ForeignKey(ResearchTopic, on_delete=models.CASCADE, related_name="proposals", verbose_name="调研课题")
    text = models.TextField("对策建议", max_length=TEXT_MAX)
    status = models.CharField("状态", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    measure = models.ForeignKey("ledger.Measure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="转化的整改措施")

    class Meta:
        verbose_name = "对策建议"
        verbose_name_plural = "对策建议"
        indexes = [subtree_path_index("proposal_org_path", "org_path")]

    def __str__(self) -> str:
        return self.text[:40]


class ReceptionDay(OrgScopedModel):
    """领导接访日: a leader receives the public at a place on a day; residents book one of its slots."""

    leader = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="接访领导")
    leader_title = models.CharField("领导职务", max_length=64)
    for_enterprises = models.BooleanField("益企接待日", default=False, help_text="面向企业的接待日")
    date = models.DateField("接访日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    slot_minutes = models.PositiveSmallIntegerField("每个时段（分钟）", default=30)
    place = models.CharField("接访地点", max_length=128)
    theme = models.CharField("接访主题", max_length=128, blank=True)

    class Meta:
        verbose_name = "领导接访日"
        verbose_name_plural = "领导接访日"
        ordering = ["date", "starts_at", "id"]
        indexes = [subtree_path_index("reception_day_org_path", "org_path"), models.Index(fields=["date"], name="reception_day_date")]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="reception_day_hours_ordered",
                                              violation_error_message="结束时间应晚于开始时间。"),
                       models.CheckConstraint(condition=Q(slot_minutes__gte=10), name="reception_day_slot_length",
                                              violation_error_message="每个时段不少于10分钟。")]

    def __str__(self) -> str:
        return f"{self.date} {self.leader_title}{self.leader}"


class ReceptionBooking(OrgScopedModel):
    """约访: a resident books a slot of a reception day; one live booking per slot (a database constraint)."""

    day = models.ForeignKey(ReceptionDay, on_delete=models.PROTECT, related_name="bookings", verbose_name="接访日")
    slot = models.TimeField("预约时段")
    resident = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="预约人")
    name = models.CharField("姓名", max_length=64)
    matter = models.TextField("反映事项", max_length=TEXT_MAX)
    status = models.CharField("状态", max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED)

    class Meta:
        verbose_name = "接访预约"
        verbose_name_plural = "接访预约"
        ordering = ["day__date", "slot"]
        indexes = [subtree_path_index("reception_booking_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["day", "slot"], condition=~Q(status="cancelled"),
                                               name="reception_booking_one_per_slot",
                                               violation_error_message="该时段已被预约，请选择其他时段。")]


class Contact(OrgScopedModel):
    """接访、下访、约访、走访: one contact with a person, its matter, outcome and follow-up.

    A matter that needs action becomes a residents' voices request (`request`), with its stages and deadlines.
    """

    kind = models.CharField("方式", max_length=16, choices=ContactKind.choices)
    cadre = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="接待（走访）干部")
    person_name = models.CharField("来访（走访）对象", max_length=64)
    household = models.ForeignKey("orgs.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="走访住户")
    in_difficulty = models.BooleanField("困难家庭", default=False)
    enterprise = models.ForeignKey("grassroots.Enterprise", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="contacts", verbose_name="接待企业",
                                   help_text="益企接待日等接待的企业")
    booking = models.OneToOneField(ReceptionBooking, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="contact", verbose_name="预约")
    contacted_on = models.DateField("日期")
    matter = models.TextField("反映事项", max_length=TEXT_MAX)
    outcome = models.TextField("办理结果", blank=True)
    follow_up = models.CharField("后续跟进", max_length=255, blank=True)
    hours = models.DecimalField("在一线时长（小时）", **HOURS)
    request = models.OneToOneField("voices.Request", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="转为群众诉求")

    class Meta:
        verbose_name = "接访走访记录"
        verbose_name_plural = "接访走访记录"
        indexes = [subtree_path_index("contact_org_path", "org_path"),
                   models.Index(fields=["cadre", "contacted_on"], name="contact_cadre_date"),
                   models.Index(fields=["kind", "contacted_on"], name="contact_kind_date")]


class MediationCase(OrgScopedModel):
    """调解: a dispute between parties, mediated in sessions, with its outcome."""

    title = models.CharField("纠纷事项", max_length=128)
    parties = models.CharField("当事人", max_length=255, help_text="多方当事人以顿号分隔")
    mediator = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="调解人")
    opened_on = models.DateField("受理日期")
    status = models.CharField("状态", max_length=16, choices=MediationStatus.choices, default=MediationStatus.MEDIATING)
    outcome = models.TextField("调解结果", blank=True)
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="mediations",
                                verbose_name="来源接访")

    class Meta:
        verbose_name = "矛盾调解"
        verbose_name_plural = "矛盾调解"
        indexes = [subtree_path_index("mediation_org_path", "org_path")]

    def __str__(self) -> str:
        return self.title


class MediationSession(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions", verbose_name="调解")
    held_on = models.DateField("调解日期")
    notes = models.TextField("调解记录", max_length=TEXT_MAX)
    hours = models.DecimalField("时长（小时）", **HOURS)

    class Meta:
        ordering = ["held_on", "id"]


class Enterprise(OrgScopedModel):
    """An enterprise of the area (`org`: the street or community it is in), known by its unified social credit code."""

    name = models.CharField("企业名称", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    address = models.CharField("地址", max_length=255, blank=True)
    industry = models.CharField("行业", max_length=64, blank=True)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        indexes = [subtree_path_index("enterprise_org_path", "org_path")]

    def __str__(self) -> str:
        return self.name


class PairingTarget(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


class Pairing(OrgScopedModel):
    """挂钩: a cadre (千名干部挂千企) or a department (机关挂钩村居) paired with an enterprise, village or community.

    `org` is the pairing unit (the cadre's unit or the department) whose leaders oversee the work.
    """

    cadre = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="挂钩干部")
    department = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="挂钩部门")
    target_kind = models.CharField("挂钩对象类型", max_length=16, choices=PairingTarget.choices)
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="pairings",
                                   verbose_name="挂钩企业")
    target_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="挂钩村（社区）")
    starts_on = models.DateField("挂钩开始")
    ends_on = models.DateField("挂钩结束", null=True, blank=True)

    class Meta:
        verbose_name = "挂钩联系"
        verbose_name_plural = "挂钩联系"
        indexes = [subtree_path_index("pairing_org_path", "org_path")]
        constraints = [
            models.CheckConstraint(condition=Q(cadre__isnull=False) | Q(department__isnull=False), name="pairing_has_owner",
                                   violation_error_message="请选择挂钩干部或挂钩部门。"),
            models.CheckConstraint(condition=(Q(target_kind="enterprise", enterprise__isnull=False, target_org__isnull=True)
                                              | (~Q(target_kind="enterprise") & Q(enterprise__isnull=True,
                                                                                  target_org__isnull=False))),
                                   name="pairing_has_one_target", violation_error_message="挂钩对象与类型不一致。"),
            models.UniqueConstraint(fields=["cadre", "enterprise"], condition=Q(ends_on__isnull=True, cadre__isnull=False,
                                                                                enterprise__isnull=False),
                                    name="pairing_cadre_enterprise_once", violation_error_message="该干部已挂钩该企业。"),
        ]

    def __str__(self) -> str:
        owner = str(self.cadre) if self.cadre_id else str(self.department)
        return f"{owner} 挂钩 {self.target_label}"

    @property
    def target_label(self) -> str:
        return self.enterprise.name if self.enterprise_id else (self.target_org.short_name or self.target_org.name)


class PairingVisit(OrgScopedModel):
    """A visit of a pairing: who went, when, what was done, how long on the spot."""

    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="visits", verbose_name="挂钩联系")
    visitor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="走访干部")
    visited_on = models.DateField("走访日期")
    notes = models.TextField("走访情况", max_length=TEXT_MAX)
    served = models.BooleanField("提供服务", default=False, help_text="为企业（村居）解决问题或提供政策、要素等服务")
    hours = models.DecimalField("在一线时长（小时）", **HOURS)

    class Meta:
        verbose_name = "挂钩走访"
        verbose_name_plural = "挂钩走访"
        indexes = [subtree_path_index("pairing_visit_org_path", "org_path"),
                   models.Index(fields=["visitor", "visited_on"], name="pairing_visit_visitor")]


class Demand(OrgScopedModel):
    """A demand an enterprise or village raised on a visit. It is handled as a residents' voices request
    (`request`): the same dispatch to departments, working-day deadlines, stages and public reply."""

    visit = models.ForeignKey(PairingVisit, on_delete=models.PROTECT, related_name="demands", verbose_name="挂钩走访")
    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="demands", verbose_name="挂钩联系")
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="登记干部")
    text = models.TextField("诉求内容", max_length=TEXT_MAX)
    raised_on = models.DateField("提出日期")
    request = models.OneToOneField("voices.Request", on_delete=models.PROTECT, related_name="+", verbose_name="诉求办理")

    class Meta:
        verbose_name = "企业（村居）诉求"
        verbose_name_plural = "企业（村居）诉求"
        indexes = [subtree_path_index("demand_org_path", "org_path")]


class AssignmentKind(models.TextChoices):
    NEW_CIVIL_SERVANT = "new_civil_servant", "新录用公务员到村（社区）任职"
    FIRST_SECRETARY = "first_secretary", "驻村第一书记"
    SECONDMENT = "secondment", "到基层挂职锻炼"


class Assignment(OrgScopedModel):
    """下派基层: a cadre sent to a village or community (`org`) for a period, e.g. a new civil servant's year."""

    cadre = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name="干部")
    kind = models.CharField("类型", max_length=24, choices=AssignmentKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    duties = models.CharField("岗位职责", max_length=255, blank=True)

    class Meta:
        verbose_name = "下派基层"
        verbose_name_plural = "下派基层"
        indexes = [subtree_path_index("assignment_org_path", "org_path")]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="assignment_period_ordered",
                                              violation_error_message="结束日期应晚于开始日期。")]


class Event(models.Model):
    """The timeline of a 四下基层 record (topic, contact, booking, mediation, pairing …): what was done, by whom, when."""

    record_type = models.CharField(max_length=32)
    record_id = models.PositiveBigIntegerField()
    org_path = models.CharField(max_length=255)
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    text = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id", "occurred_at"], name="grassroots_event_record")]

"""Campaigns (专项行动), their projects and tasks, progress, project HQs, posts and scores.

Every governed row copies its org's path (`OrgScopedModel`): a campaign belongs to its lead org,
a project to its lead org, a task to its owner org (责任主体). Tasks also copy their campaign, so
the board of a campaign is a handful of grouped queries over one indexed column.
"""

from django.db import models
from django.db.models import F, Q

from yuntu.orgs.models import OrgScopedModel, subtree_path_index

from .workflow import CampaignStatus, TaskStatus


class Campaign(OrgScopedModel):
    """专项行动: a special action with its goal, period and lead org."""

    name = models.CharField("专项行动", max_length=128)
    goal = models.TextField("工作目标", blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    status = models.CharField("状态", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="创建人")

    class Meta:
        verbose_name = "专项行动"
        verbose_name_plural = "专项行动"
        indexes = [subtree_path_index("campaign_org_path", "org_path")]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="campaign_end_after_start",
                                   violation_error_message="结束日期不能早于开始日期。"),
            models.UniqueConstraint(fields=["org", "name"], name="campaign_unique_name_per_org",
                                    violation_error_message="本单位已有同名的专项行动。"),
        ]

    def __str__(self) -> str:
        return self.name


class Project(OrgScopedModel):
    """攻坚项目: a project of a campaign with its site, lead org and owner; optionally a project HQ."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="projects", verbose_name="专项行动")
    number = models.PositiveIntegerField("序号")
    name = models.CharField("项目", max_length=128)
    description = models.TextField("项目内容", blank=True)
    owner_name = models.CharField("项目负责人", max_length=64)
    site = models.CharField("项目地点", max_length=128, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    planned_start = models.DateField("计划开始")
    planned_end = models.DateField("计划完成")
    hq_name = models.CharField("项目指挥部", max_length=128, blank=True)
    hq_branch = models.OneToOneField("orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="hq_project",
                                     verbose_name="临时党支部")

    class Meta:
        verbose_name = "项目"
        verbose_name_plural = "项目"
        ordering = ["campaign_id", "number", "id"]
        indexes = [subtree_path_index("project_org_path", "org_path")]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="project_end_after_start",
                                   violation_error_message="计划完成日期不能早于计划开始日期。"),
            models.UniqueConstraint(fields=["campaign", "name"], name="project_unique_name_per_campaign",
                                    violation_error_message="该专项行动已有同名项目。"),
        ]

    def __str__(self) -> str:
        return self.name


class Post(OrgScopedModel):
    """设岗定责: a post on a project with its duties and holder; tasks are assigned to posts and scored."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="posts", verbose_name="项目")
    name = models.CharField("岗位", max_length=64)
    duties = models.TextField("岗位职责")
    holder_name = models.CharField("在岗人", max_length=64)
    holder = models.ForeignKey("orgs.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name="在岗党员")

    class Meta:
        verbose_name = "岗位"
        verbose_name_plural = "岗位"
        indexes = [subtree_path_index("post_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="post_unique_name_per_project",
                                               violation_error_message="该项目已有同名岗位。")]

    def __str__(self) -> str:
        return f"{self.name}（{self.holder_name}）"


class Task(OrgScopedModel):
    """攻坚任务: key point, owner org and person (责任主体), schedule (时序安排), deadline (完成时限), status."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name="专项行动")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks", verbose_name="项目")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                             verbose_name="岗位")
    name = models.CharField("任务", max_length=255)
    key_point = models.TextField("工作要点", blank=True)
    owner_name = models.CharField("责任人", max_length=64)
    owner_user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="责任人账号")
    planned_start = models.DateField("计划开始")
    planned_end = models.DateField("计划完成")
    deadline = models.DateField("完成时限")
    status = models.CharField("状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("进度（%）", default=0)
    started_on = models.DateField("实际开始", null=True, blank=True)
    completed_on = models.DateField("实际完成", null=True, blank=True)
    last_progress_at = models.DateTimeField("最近更新", null=True, blank=True)
    escalated_on = models.DateField("最近督办", null=True, blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        indexes = [
            subtree_path_index("task_org_path", "org_path"),
            models.Index(fields=["campaign", "status", "deadline"], name="task_campaign_status_deadline"),
            models.Index(fields=["status", "deadline"], name="task_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=F("planned_start")), name="task_deadline_after_start",
                                   violation_error_message="完成时限不能早于计划开始日期。"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="task_end_after_start",
                                   violation_error_message="计划完成日期不能早于计划开始日期。"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100",
                                   violation_error_message="进度不能超过100%。"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """时序安排的节点: a dated step of a task (方案、开工、完工…)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name="任务")
    name = models.CharField("节点", max_length=128)
    due_on = models.DateField("节点时间")
    done_on = models.DateField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "节点"
        verbose_name_plural = "节点"
        ordering = ["due_on", "id"]


class TaskProgress(models.Model):
    """进展情况: a progress report on a task, with percent, text, the reason when it goes back, and evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress_reports", verbose_name="任务")
    percent = models.PositiveSmallIntegerField("进度（%）")
    previous_percent = models.PositiveSmallIntegerField("原进度（%）", default=0)
    text = models.TextField("进展情况")
    reason = models.CharField("进度回调原因", max_length=255, blank=True)
    evidence = models.FileField("佐证材料", upload_to="campaigns/%Y/%m/", blank=True)
    evidence_name = models.CharField("文件名", max_length=255, blank=True)
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="填报人")
    reported_on = models.DateField("填报日期")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)

    class Meta:
        verbose_name = "任务进展"
        verbose_name_plural = "任务进展"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(percent__gte=F("previous_percent")) | ~Q(reason=""),
                                              name="progress_backwards_has_reason",
                                              violation_error_message="进度回调须说明原因。")]


class HQMembership(OrgScopedModel):
    """A member seconded to a project's temporary branch; their record stays with their own org (`home_org`)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="hq_members", verbose_name="项目")
    member = models.ForeignKey("orgs.Member", on_delete=models.PROTECT, related_name="+", verbose_name="党员")
    home_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所在党组织")
    duty = models.CharField("职务", max_length=64, blank=True)

    class Meta:
        verbose_name = "指挥部党员"
        verbose_name_plural = "指挥部党员"
        indexes = [subtree_path_index("hq_member_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["project", "member"], name="hq_member_once",
                                               violation_error_message="该党员已在项目临时党支部中。")]


class ScoreMark(OrgScopedModel):
    """量化考核的加减分: a manual mark on a post for a month, with its reason."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="marks", verbose_name="岗位")
    month = models.DateField("考核月份")  # the first day of the month
    points = models.SmallIntegerField("分值")
    reason = models.CharField("理由", max_length=255)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="评分人")
    created_at = models.DateTimeField("评分时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核加减分"
        verbose_name_plural = "考核加减分"
        ordering = ["-created_at", "-id"]
        indexes = [subtree_path_index("score_mark_org_path", "org_path")]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=-20, points__lte=20) & ~Q(points=0), name="score_mark_range",
                                   violation_error_message="加减分应在-20到20分之间，且不为0。"),
            models.CheckConstraint(condition=~Q(reason=""), name="score_mark_has_reason",
                                   violation_error_message="加减分须说明理由。"),
        ]


class CampaignEvent(models.Model):
    """The timeline of a campaign: transitions, progress reports, imports, escalations, HQ changes."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=32)
    label = models.CharField("说明", max_length=64)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.CharField("原因", max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["campaign", "occurred_at"], name="campaign_event_when")]

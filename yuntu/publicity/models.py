"""Affairs publicity (党务公开/村务公开), news and study columns, study lists, reading records, contests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop

from yuntu.orgs.models import OrgScopedModel, Sector, subtree_path_index

from .catalogue import Catalogue


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", gettext_noop("草稿")
    PUBLISHED = "published", gettext_noop("已公开")
    WITHDRAWN = "withdrawn", gettext_noop("已撤回")


class Publication(OrgScopedModel):
    """One item an org makes public under a catalogue entry, for a period (公开期间)."""

    catalogue = models.CharField("公开目录", max_length=32, choices=Catalogue.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")  # sanitised HTML
    period_start = models.DateField("公开期间起")
    period_end = models.DateField("公开期间止")
    status = models.CharField("状态", max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="填报人")

    class Meta:
        verbose_name = "公开事项"
        verbose_name_plural = "公开事项"
        indexes = [
            subtree_path_index("publication_org_path", "org_path"),
            models.Index(fields=["catalogue", "status", "period_end"], name="publication_catalogue_period"),
            models.Index(fields=["status", "-published_at"], name="publication_published"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="publication_period_order", violation_error_message="公开期间的止日不能早于起日。"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionStatus(models.TextChoices):
    ASKED = "asked", gettext_noop("待答复")
    ANSWERED = "answered", gettext_noop("已答复")


class Question(OrgScopedModel):
    """A resident's question about a published item; the answer goes to their inbox."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="questions", verbose_name="公开事项")
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publicity_questions",
                              verbose_name="提问人")
    text = models.TextField("问题")
    status = models.CharField("状态", max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.ASKED)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公开事项提问"
        verbose_name_plural = "公开事项提问"
        indexes = [subtree_path_index("question_org_path", "org_path"),
                   models.Index(fields=["asker", "-created_at"], name="question_asker")]

    def __str__(self) -> str:
        return self.text[:40]


class ColumnKind(models.TextChoices):
    NEWS = "news", gettext_noop("新闻")
    STUDY = "study", gettext_noop("学习")


class Audience(models.TextChoices):
    ALL = "all", gettext_noop("所有人")
    MEMBERS = "members", gettext_noop("党员")
    SECTOR = "sector", gettext_noop("某一领域党员")


class Column(OrgScopedModel):
    """A news or study column of an org (e.g. 三个专栏), read by its audience."""

    name = models.CharField("栏目名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=ColumnKind.choices)
    audience = models.CharField("读者范围", max_length=16, choices=Audience.choices, default=Audience.ALL)
    sector = models.CharField("领域", max_length=16, choices=Sector.choices, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        indexes = [subtree_path_index("column_org_path", "org_path")]
        constraints = [
            models.CheckConstraint(condition=~Q(audience="sector") | ~Q(sector=""), name="column_sector_audience",
                                   violation_error_message="读者范围为某一领域时须选择领域。"),
            models.UniqueConstraint(fields=["org", "name"], name="column_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Article(OrgScopedModel):
    """An article of a column: sanitised text, an optional checked and resized image, an optional video link."""

    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="articles", verbose_name="栏目")
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文")  # sanitised HTML
    image = models.ImageField("配图", upload_to="publicity/%Y/%m/", blank=True)
    image_alt = models.CharField("配图说明", max_length=120, blank=True)
    video_url = models.URLField("视频链接", blank=True)
    status = models.CharField("状态", max_length=16, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name="编辑")

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        indexes = [subtree_path_index("article_org_path", "org_path"),
                   models.Index(fields=["column", "status", "-published_at"], name="article_column_published")]

    def __str__(self) -> str:
        return self.title


class StudyAudience(models.TextChoices):
    LEADERS = "leaders", gettext_noop("领导干部")
    ORGS = "orgs", gettext_noop("基层党组织")
    MEMBERS = "members", gettext_noop("党员")


class StudyList(OrgScopedModel):
    """A study list (学习清单) for one audience, with the materials assigned to it."""

    title = models.CharField("清单名称", max_length=120)
    audience = models.CharField("学习对象", max_length=16, choices=StudyAudience.choices)
    year = models.PositiveIntegerField("年度")
    description = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "学习清单"
        verbose_name_plural = "学习清单"
        indexes = [subtree_path_index("study_list_org_path", "org_path")]

    def __str__(self) -> str:
        return self.title


class StudyListItem(models.Model):
    study_list = models.ForeignKey(StudyList, on_delete=models.CASCADE, related_name="items", verbose_name="学习清单")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+", verbose_name="学习材料")
    sort_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "学习材料"
        verbose_name_plural = "学习材料"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["study_list", "article"], name="study_item_unique")]


class ReadingRecord(models.Model):
    """A member read an article (once counted); scoped by the member's org for the study figures."""

    scope_path_field = "org_path"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name="读者")  # empty for reads recorded offline (学习班签到)
    member = models.ForeignKey("orgs.Member", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name="党员")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readings", verbose_name="文章")
    org = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            verbose_name="所在组织")
    org_path = models.CharField(max_length=255, blank=True)
    read_on = models.DateField("阅读日期")
    read_at = models.DateTimeField("阅读时间")

    class Meta:
        verbose_name = "学习记录"
        verbose_name_plural = "学习记录"
        indexes = [subtree_path_index("reading_org_path", "org_path"),
                   models.Index(fields=["read_on"], name="reading_read_on")]
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], condition=Q(user__isnull=False),
                                    name="reading_unique_user_article"),
            models.UniqueConstraint(fields=["member", "article"], condition=Q(member__isnull=False),
                                    name="reading_unique_member_article"),
        ]


class ContestKind(models.TextChoices):
    ESSAY = "essay", gettext_noop("征文")
    CASE = "case", gettext_noop("案例征集")
    VIDEO = "video", gettext_noop("视频作品")


class ContestStatus(models.TextChoices):
    OPEN = "open", gettext_noop("征集中")
    JUDGING = "judging", gettext_noop("评审中")
    PUBLISHED = "published", gettext_noop("结果已公布")


class Contest(OrgScopedModel):
    """A call for entries (征文、案例评选): collected, scored by judges, results published."""

    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=ContestKind.choices)
    description = models.TextField("征集说明", blank=True)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    status = models.CharField("状态", max_length=16, choices=ContestStatus.choices, default=ContestStatus.OPEN)
    first_prizes = models.PositiveSmallIntegerField("一等奖名额", default=1)
    second_prizes = models.PositiveSmallIntegerField("二等奖名额", default=2)
    third_prizes = models.PositiveSmallIntegerField("三等奖名额", default=3)
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="judged_contests",
                                    verbose_name="评委")
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        verbose_name = "征集评选"
        verbose_name_plural = "征集评选"
        indexes = [subtree_path_index("contest_org_path", "org_path")]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="contest_dates_order",
                                              violation_error_message="截止日期不能早于开始日期。")]

    def __str__(self) -> str:
        return self.title


class Entry(OrgScopedModel):
    """An entry of a contest: an essay, a case write-up or a video link; org is the entrant's unit."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries", verbose_name="征集评选")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="contest_entries", verbose_name="作者账号")
    author_name = models.CharField("作者", max_length=64)
    title = models.CharField("题目", max_length=200)
    body = models.TextField("正文", blank=True)  # sanitised HTML
    video_url = models.URLField("视频链接", blank=True)
    submitted_at = models.DateTimeField("提交时间")
    average = models.DecimalField("平均分", max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    award = models.CharField("奖项", max_length=16, blank=True)

    class Meta:
        verbose_name = "参评作品"
        verbose_name_plural = "参评作品"
        indexes = [subtree_path_index("entry_org_path", "org_path"),
                   models.Index(fields=["contest", "rank"], name="entry_contest_rank")]
        constraints = [models.UniqueConstraint(fields=["contest", "author"], condition=Q(author__isnull=False),
                                               name="entry_one_per_author",
                                               violation_error_message="每人每次征集限投一件作品。")]

    def __str__(self) -> str:
        return self.title


class Score(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores", verbose_name="作品")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="评委")
    points = models.DecimalField("得分", max_digits=5, decimal_places=2)
    comment = models.CharField("评语", max_length=300, blank=True)
    scored_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="score_unique_entry_judge"),
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=100), name="score_points_range",
                                   violation_error_message="得分须在0到100分之间。"),
        ]


class PublicityEvent(OrgScopedModel):
    """The timeline of publicity records: what was done to which item, by whom."""

    object_type = models.CharField("对象类型", max_length=32)
    object_id = models.PositiveBigIntegerField("对象编号")
    action = models.CharField("操作", max_length=32)
    label = models.CharField("说明", max_length=120)
    reason = models.CharField("原因", max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="操作人")

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        indexes = [models.Index(fields=["object_type", "object_id"], name="publicity_event_object")]

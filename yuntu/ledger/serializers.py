"""Shapes of the ledger API: input serializers check types and scope of references, output ones render.

No business rules here: every write goes to `yuntu.ledger.services`, which checks permissions,
transitions and content and answers in Chinese.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.api.fields import OrgReferenceField
from yuntu.core import clock
from yuntu.orgs.models import Org

from .models import Category, Evidence, LedgerEvent, LevelClass, Measure, Problem, Progress, Source
from .workflow import (
    MEASURE_TRANSITIONS,
    OPEN_MEASURE_STATUSES,
    PROBLEM_TRANSITIONS,
    RETURN_REASONS,
    MeasureStatus,
    ProblemStatus,
)


def ledger_org(**kwargs) -> OrgReferenceField:
    """An org id the acting user may see in the ledger; any other id reads as 'does not exist'."""
    return OrgReferenceField(permission=Permission.LEDGER_VIEW, **kwargs)


def _choices_message(choices) -> dict:
    return {"invalid_choice": "“{input}”不是有效的选项，可选：" + "、".join(str(value) for value, _ in choices) + "。"}


# ---- query parameters -------------------------------------------------------------------------


class ProblemFilterSerializer(serializers.Serializer):
    org = ledger_org(required=False, help_text="只看该组织及其下级的问题")
    status = serializers.ChoiceField(ProblemStatus.choices, required=False, error_messages=_choices_message(ProblemStatus.choices))
    source = serializers.ChoiceField(Source.choices, required=False, error_messages=_choices_message(Source.choices))
    category = serializers.ChoiceField(Category.choices, required=False, error_messages=_choices_message(Category.choices))
    level_class = serializers.ChoiceField(LevelClass.choices, required=False,
                                          error_messages=_choices_message(LevelClass.choices))
    start = serializers.DateField(required=False, help_text="发现日期不早于（YYYY-MM-DD）")
    end = serializers.DateField(required=False, help_text="发现日期不晚于（YYYY-MM-DD）")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="按问题或描述中的文字查找")

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": "结束日期不能早于开始日期。"})
        return attrs


class MeasureFilterSerializer(serializers.Serializer):
    org = ledger_org(required=False, help_text="只看该组织及其下级的措施")
    problem = serializers.IntegerField(required=False, min_value=1, help_text="只看该问题的措施")
    status = serializers.ChoiceField(MeasureStatus.choices, required=False,
                                     error_messages=_choices_message(MeasureStatus.choices))
    overdue = serializers.BooleanField(required=False, default=False, help_text="true：只看已逾期未完成的措施")


class FiguresQuerySerializer(serializers.Serializer):
    org = ledger_org(required=False, help_text="统计的组织（含下级）；省略时为本人可见范围的最高一级组织")
    start = serializers.DateField(required=False, help_text="问题发现日期不早于")
    end = serializers.DateField(required=False, help_text="问题发现日期不晚于")

    def validate(self, attrs):
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": "结束日期不能早于开始日期。"})
        return attrs


# ---- request bodies ---------------------------------------------------------------------------


class ProblemCreateSerializer(serializers.Serializer):
    org = ledger_org(help_text="问题所属单位")
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(Source.choices, error_messages=_choices_message(Source.choices))
    category = serializers.ChoiceField(Category.choices, error_messages=_choices_message(Category.choices))
    found_on = serializers.DateField()
    batch = serializers.CharField(required=False, max_length=64, default="第一批问题清单")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                        help_text="附件（multipart，可多个）")


class ProblemUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(Source.choices, required=False, error_messages=_choices_message(Source.choices))
    category = serializers.ChoiceField(Category.choices, required=False, error_messages=_choices_message(Category.choices))
    found_on = serializers.DateField(required=False)
    batch = serializers.CharField(required=False, max_length=64)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("请至少修改一项内容。")
        return attrs


class _TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="",
                                   help_text="退回、重新挂账须说明原因；常用：" + "、".join(RETURN_REASONS))


class ProblemTransitionSerializer(_TransitionSerializer):
    name = serializers.ChoiceField([(name, t.label) for name, t in PROBLEM_TRANSITIONS.items()],
                                   error_messages=_choices_message([(name, "") for name in PROBLEM_TRANSITIONS]))


class MeasureTransitionSerializer(_TransitionSerializer):
    name = serializers.ChoiceField([(name, t.label) for name, t in MEASURE_TRANSITIONS.items()],
                                   error_messages=_choices_message([(name, "") for name in MEASURE_TRANSITIONS]))


class PushSerializer(serializers.Serializer):
    orgs = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=500,
                                 help_text="接收推送的下级单位（组织编号）",
                                 error_messages={"empty": "请选择要推送的下级单位。"})

    def validate_orgs(self, pks: list[int]) -> list[Org]:
        """Each id looked up in the user's ledger scope; one flat message whatever the position of a bad id."""
        user = self.context["request"].user
        orgs = {org.pk: org for org in visible(user, Org, Permission.LEDGER_VIEW).filter(pk__in=pks)}
        if len(orgs) != len(set(pks)):
            raise serializers.ValidationError("所选组织不存在或无权访问。")
        return [orgs[pk] for pk in dict.fromkeys(pks)]


class MeasureCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    responsible_person = serializers.CharField(max_length=64)
    deadline = serializers.DateField()
    org = ledger_org(required=False, help_text="责任单位；省略时为问题所属单位")


class MeasureUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(required=False)
    responsible_person = serializers.CharField(required=False, max_length=64)
    deadline = serializers.DateField(required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("请至少修改一项内容。")
        return attrs


class ProgressCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                     help_text="佐证材料（multipart，可多个；图片、PDF、Word、Excel，单个不超过10MB）")


# ---- responses --------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "file_name", "size", "uploaded_at"]


class ProgressSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Progress
        fields = ["id", "text", "percent", "author_name", "created_at", "evidence"]

    def get_author_name(self, progress) -> str:
        return str(progress.author) if progress.author_id else ""


class MeasureSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    problem_title = serializers.CharField(source="problem.title", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    level_class_label = serializers.CharField(source="get_level_class_display", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ["id", "problem", "problem_title", "text", "org", "org_name", "responsible_person", "deadline",
                  "status", "status_label", "percent", "level_class", "level_class_label", "overdue", "verified_at",
                  "last_progress_at", "last_reason", "created_at", "updated_at"]
        read_only_fields = fields

    def get_overdue(self, measure) -> bool:
        return measure.status in OPEN_MEASURE_STATUSES and measure.deadline < clock.today()


class MeasureDetailSerializer(MeasureSerializer):
    progress_reports = ProgressSerializer(many=True, read_only=True)

    class Meta(MeasureSerializer.Meta):
        fields = [*MeasureSerializer.Meta.fields, "progress_reports"]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    level_class_label = serializers.CharField(source="get_level_class_display", read_only=True)
    measure_count = serializers.IntegerField(read_only=True, required=False)
    verified_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Problem
        fields = ["id", "title", "description", "org", "org_name", "source", "source_label", "category",
                  "category_label", "level_class", "level_class_label", "batch", "found_on", "status", "status_label",
                  "pushed_from", "closed_at", "last_reason", "measure_count", "verified_count", "created_at",
                  "updated_at"]
        read_only_fields = fields


class LedgerEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEvent
        fields = ["id", "measure", "action", "label", "from_status", "to_status", "reason", "actor_name", "occurred_at"]

    def get_actor_name(self, event) -> str:
        return str(event.actor) if event.actor_id else "系统"


class PushRollupSerializer(serializers.Serializer):
    problems = serializers.IntegerField()
    problems_closed = serializers.IntegerField()
    measures = serializers.IntegerField()
    measures_completed = serializers.IntegerField()


class ProblemDetailSerializer(ProblemSerializer):
    """A problem with its measures, attachments, timeline and, when it was pushed down, the roll-up below."""

    pushed_from_title = serializers.SerializerMethodField()
    measures = MeasureSerializer(many=True, read_only=True)
    attachments = EvidenceSerializer(many=True, read_only=True)
    events = LedgerEventSerializer(many=True, read_only=True)
    pushed_down = serializers.SerializerMethodField()

    class Meta(ProblemSerializer.Meta):
        fields = [*ProblemSerializer.Meta.fields, "pushed_from_title", "measures", "attachments", "events",
                  "pushed_down"]
        read_only_fields = fields

    def get_pushed_from_title(self, problem) -> str:
        return problem.pushed_from.title if problem.pushed_from_id else ""

    @extend_schema_field(PushRollupSerializer(allow_null=True))
    def get_pushed_down(self, problem):
        return self.context.get("pushed_down")


class FigureRowSerializer(serializers.Serializer):
    problems = serializers.IntegerField()
    problems_closed = serializers.IntegerField()
    measures = serializers.IntegerField()
    measures_completed = serializers.IntegerField()
    measures_overdue = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True, help_text="措施完成率（%），一位小数")
    closure_rate = serializers.FloatField(allow_null=True, help_text="问题销号率（%），一位小数")


class LevelFiguresSerializer(serializers.Serializer):
    all = FigureRowSerializer()
    county = FigureRowSerializer(help_text="县处级以上单位")
    grassroots = FigureRowSerializer(help_text="基层党组织")


class RankingRowSerializer(serializers.Serializer):
    org_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    measures = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)


class OrgRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    figures = LevelFiguresSerializer()
    ranking = RankingRowSerializer(many=True)

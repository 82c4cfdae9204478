"""Shapes of the residents' voices API: input serializers check types and look references up in scope.

No business rules here: every write goes to `yuntu.voices.services`, which checks permissions,
transitions and content and answers in Chinese. Statuses are rendered as plain strings with their
Chinese label beside them.
"""

from django.http import Http404
from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import MAX_ID, OrgReferenceField
from yuntu.core import clock

from . import selectors
from .access import get_request_for_user
from .models import Dispatch, Request, RequestEvent, Suggestion
from .workflow import OPEN_STATUSES, REQUEST_TRANSITIONS, STAGE_OF_STATUS, DispatchStatus, RequestStatus

TRIAGE_TRANSITIONS = ("handle", "merge", "decline", "publish")
DISPATCH_ACTIONS = ("accept", "reply", "hand_back")


def _choices_message(values) -> dict:
    return {"invalid_choice": "“{input}”不是有效的选项，可选：" + "、".join(str(value) for value in values) + "。"}


# ---- query parameters -------------------------------------------------------------------------


class RequestFilterSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.VOICES_VIEW, required=False, help_text="只看该组织及其下级的诉求")
    status = serializers.ChoiceField(RequestStatus.values, required=False, error_messages=_choices_message(RequestStatus.values),
                                     help_text="submitted 待受理 · handling 办理中 · dispatched 已吹哨 · published 已答复公开 · "
                                               "rated 已评价 · merged 已合并 · declined 不予受理")
    category = serializers.CharField(required=False, max_length=32, help_text="类别编码")
    open = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="true 只看未办结的")
    overdue = serializers.BooleanField(required=False, default=False, help_text="true 只看超过办结期限仍未办结的")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="按编号或内容中的文字查找")


class DispatchFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(DispatchStatus.values, required=False,
                                     error_messages=_choices_message(DispatchStatus.values),
                                     help_text="pending 待签收 · accepted 已签收办理 · replied 已答复 · returned 已退回")
    overdue = serializers.BooleanField(required=False, default=False, help_text="true 只看超过办理期限仍未答复的")


class SuggestionFilterSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.VOICES_VIEW, required=False, help_text="只看该组织及其下级收集的建议")
    status = serializers.ChoiceField(Suggestion.Status.values, required=False,
                                     error_messages=_choices_message(Suggestion.Status.values),
                                     help_text="received 已收到 · adopted 已采纳 · not_adopted 暂不采纳")
    drive = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="建言献策活动编号")


class FiguresQuerySerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.VOICES_VIEW, required=False, help_text="统计该组织及其下级；缺省为本人可见范围")


# ---- request bodies ---------------------------------------------------------------------------


class RequestTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField([(name, REQUEST_TRANSITIONS[name].label) for name in TRIAGE_TRANSITIONS],
                                   error_messages=_choices_message(TRIAGE_TRANSITIONS),
                                   help_text="handle 社区受理办理 · merge 合并重复诉求 · decline 不予受理 · publish 答复并公开")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255, help_text="不予受理的原因")
    reply = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="公开答复内容")
    target = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="合并到的诉求编号（id）")

    def validate_target(self, pk: int) -> Request:
        try:
            return get_request_for_user(self.context["request"].user, pk)
        except Http404 as error:
            raise serializers.ValidationError("合并目标诉求不存在或无权访问。") from error


class DispatchCreateSerializer(serializers.Serializer):
    departments = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), allow_empty=False,
                                        max_length=20, help_text="派往的部门（组织编号），可多个",
                                        error_messages={"empty": "请至少选择一个部门。"})
    days = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="办理时限（工作日，1—60），缺省取类别的办结时限")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255, help_text="派单说明")

    def validate_departments(self, pks: list[int]):
        """Each id must be an organ of the request's deployment; one flat message whatever the bad id."""
        request = self.context["voices_request"]
        found = {org.pk: org for org in selectors.dispatch_departments(request).filter(pk__in=pks)}
        if len(found) != len(set(pks)):
            raise serializers.ValidationError("所选部门不存在或不能派单。")
        return [found[pk] for pk in dict.fromkeys(pks)]


class DispatchActionSerializer(serializers.Serializer):
    name = serializers.ChoiceField([("accept", "签收"), ("reply", "答复"), ("hand_back", "退回（非本部门职责）")],
                                   error_messages=_choices_message(DISPATCH_ACTIONS),
                                   help_text="accept 签收 · reply 答复 · hand_back 退回（须说明原因）")
    reply = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class SuggestionAdoptSerializer(serializers.Serializer):
    problem = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="转化到的整改台账问题（编号）")
    measure_text = serializers.CharField(max_length=2000, help_text="整改措施内容")
    responsible_person = serializers.CharField(max_length=64)
    deadline = serializers.DateField(help_text="完成时限（YYYY-MM-DD）")
    response = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="给建议人的答复")

    def validate_problem(self, pk: int):
        from yuntu.ledger.access import get_problem_for_user

        try:
            return get_problem_for_user(self.context["request"].user, pk)
        except Http404 as error:
            raise serializers.ValidationError("整改台账问题不存在或无权访问。") from error


class SuggestionDeclineSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=2000, help_text="暂不采纳的答复")


# ---- responses --------------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    stage = serializers.SerializerMethodField()
    stage_label = serializers.SerializerMethodField()
    channel = serializers.CharField(read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    rating = serializers.CharField(read_only=True)
    merged_into_number = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Request
        fields = ["id", "number", "category", "category_code", "category_name", "text", "address", "latitude", "longitude",
                  "channel", "channel_label", "status", "status_label", "stage", "stage_label", "org", "org_name",
                  "contact_name", "contact_mobile_masked", "submitted_at", "answer_due", "resolve_due", "answered_at",
                  "overdue", "escalated_at", "rating", "reopened_count", "merged_into", "merged_into_number", "updated_at"]
        read_only_fields = fields

    def get_stage(self, item) -> str:
        return STAGE_OF_STATUS[item.status].value

    def get_stage_label(self, item) -> str:
        return STAGE_OF_STATUS[item.status].label

    def get_merged_into_number(self, item) -> str:
        return item.merged_into.number if item.merged_into_id else ""

    def get_overdue(self, item) -> bool:
        return item.status in OPEN_STATUSES and item.resolve_due < clock.now()


class DispatchSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    request_number = serializers.CharField(source="request.number", read_only=True)
    request_text = serializers.CharField(source="request.text", read_only=True)
    request_address = serializers.CharField(source="request.address", read_only=True)
    category_name = serializers.CharField(source="request.category.name", read_only=True)
    community_name = serializers.CharField(source="request.org.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Dispatch
        fields = ["id", "request", "request_number", "request_text", "request_address", "category_name", "community_name",
                  "org", "org_name", "status", "status_label", "deadline", "overdue", "note", "reply", "hand_back_reason",
                  "accepted_at", "replied_at", "created_at", "updated_at"]
        read_only_fields = fields

    def get_overdue(self, dispatch) -> bool:
        return dispatch.status in (DispatchStatus.PENDING, DispatchStatus.ACCEPTED) and dispatch.deadline < clock.now()


class RequestEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = RequestEvent
        fields = ["id", "action", "label", "text", "public", "dispatch", "actor_name", "occurred_at"]
        read_only_fields = fields

    def get_actor_name(self, event) -> str:
        return str(event.actor) if event.actor_id else "系统"


class RequestDetailSerializer(RequestSerializer):
    """A request with its answers, reply, dispatches, duplicates and the whole timeline (staff see internal events)."""

    dispatches = DispatchSerializer(many=True, read_only=True)
    events = RequestEventSerializer(many=True, read_only=True)
    duplicates = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "answers", "reply", "decline_reason", "rating_comment", "rated_at",
                  "dispatches", "duplicates", "events"]
        read_only_fields = fields

    def get_duplicates(self, item) -> list[str]:
        return [duplicate.number for duplicate in item.duplicates.all()]


class DepartmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SuggestionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    mode = serializers.CharField(read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    drive_title = serializers.SerializerMethodField()
    measure_text = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = ["id", "drive", "drive_title", "org", "org_name", "text", "author_name", "mode", "mode_label", "status",
                  "status_label", "response", "measure", "measure_text", "created_at", "updated_at"]
        read_only_fields = fields

    def get_drive_title(self, suggestion) -> str:
        return suggestion.drive.title if suggestion.drive_id else ""

    def get_measure_text(self, suggestion) -> str:
        return suggestion.measure.text if suggestion.measure_id else ""


class RequestFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    answered_on_time = serializers.IntegerField()
    resolved = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    open = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按期答复率（%）")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率（满意+基本满意，%）")


class SuggestionFiguresSerializer(serializers.Serializer):
    collected = serializers.IntegerField()
    adopted = serializers.IntegerField()
    measures = serializers.IntegerField()


class VoicesFiguresReportSerializer(serializers.Serializer):
    org = serializers.DictField(allow_null=True, help_text="{id, name}；未指定组织时为 null（本人可见范围）")
    requests = RequestFiguresSerializer()
    suggestions = SuggestionFiguresSerializer()

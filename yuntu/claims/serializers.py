"""Shapes of the claims API. Input serializers check types and look references up in scope; every
write goes to `yuntu.claims.services`, which checks permissions and content and answers in Chinese."""

from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import OrgReferenceField

from .models import CLAIMANTS_MAX, TEXT_MAX, Claim, DualReport, Need, NeedCategory, NeedKind, ServiceRecord
from .workflow import NeedStatus


def _choices_message(values) -> dict:
    return {"invalid_choice": "“{input}”不是有效的选项，可选：" + "、".join(str(value) for value in values) + "。"}


class NeedFilterSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.CLAIMS_VIEW, required=False, help_text="只看该组织及其下级发布的需求")
    status = serializers.ChoiceField(NeedStatus.values, required=False, error_messages=_choices_message(NeedStatus.values),
                                     help_text="open 待认领 · full 已认领 · done 已完成 · withdrawn 已撤回")
    category = serializers.ChoiceField(NeedCategory.values, required=False,
                                       error_messages=_choices_message(NeedCategory.values))


class OrgYearSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.CLAIMS_VIEW, required=False, help_text="统计该组织及其下级；缺省为本人可见范围的顶端")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="年度；缺省为今年（统计为累计）")


class NeedSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Need
        fields = ["id", "org", "org_name", "kind", "category", "category_label", "title", "description", "address",
                  "latitude", "longitude", "claimants_needed", "claimed_count", "deadline", "status", "status_label",
                  "posted_at", "first_claimed_at", "completed_at"]


class NeedCreateSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.CLAIMS_POST, help_text="发布的社区（村）或党支部编号")
    kind = serializers.ChoiceField(NeedKind.values, default=NeedKind.WISH, error_messages=_choices_message(NeedKind.values))
    category = serializers.ChoiceField(NeedCategory.values, error_messages=_choices_message(NeedCategory.values))
    title = serializers.CharField(max_length=64)
    description = serializers.CharField(max_length=TEXT_MAX)
    address = serializers.CharField(max_length=255)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    claimants_needed = serializers.IntegerField(min_value=1, max_value=CLAIMANTS_MAX, default=1)
    deadline = serializers.DateField()


class NeedClaimSerializer(serializers.Serializer):
    branch = OrgReferenceField(permission=Permission.CLAIMS_BRANCH, required=False, allow_null=True, default=None,
                               help_text="以该党支部名义认领；缺省为本人（党员）认领")


class ClaimSerializer(serializers.ModelSerializer):
    need_title = serializers.CharField(source="need.title", read_only=True)
    claimant = serializers.CharField(source="claimant_name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "need", "need_title", "member", "branch", "claimant", "status", "status_label", "claimed_at",
                  "proof_text", "hours", "reported_at", "return_reason", "confirmed_at"]


class ClaimTransitionSerializer(serializers.Serializer):
    ACTIONS = ("report", "withdraw", "confirm", "return")
    name = serializers.ChoiceField(ACTIONS, error_messages=_choices_message(ACTIONS),
                                   help_text="report 提交完成情况（照片须在手机端上传） · withdraw 放弃认领 · confirm 确认完成 · return 退回补充")
    proof_text = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class DualReportSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="org.name", read_only=True)
    reporter = serializers.CharField(source="reporter_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DualReport
        fields = ["id", "org", "community", "kind", "kind_label", "branch", "member", "reporter", "reported_on", "ended_on"]


class ServiceRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRecord
        fields = ["id", "org", "kind", "member", "branch", "title", "served_on", "hours", "claim"]

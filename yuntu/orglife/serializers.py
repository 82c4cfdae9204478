"""Shapes of the organisational-life API; validation of input only — decisions stay in the services."""

from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import OrgReferenceField

from .models import Attendance, Meeting
from .workflow import MeetingKind, MeetingStatus


def orglife_org(**kwargs) -> OrgReferenceField:
    return OrgReferenceField(permission=Permission.ORGLIFE_VIEW, **kwargs)


def _choices(choices) -> dict:
    return {"invalid_choice": "“{input}”不是有效的选项，可选：" + "、".join(str(value) for value, _ in choices) + "。"}


class MeetingFilterSerializer(serializers.Serializer):
    org = orglife_org(required=False, help_text="只看该组织及其下级的会议")
    kind = serializers.ChoiceField(MeetingKind.choices, required=False, error_messages=_choices(MeetingKind.choices))
    status = serializers.ChoiceField(MeetingStatus.choices, required=False,
                                     error_messages=_choices(MeetingStatus.choices))
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class MeetingSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "org", "org_name", "kind", "kind_label", "title", "topics", "starts_at", "place", "status",
                  "status_label", "held_on", "expected_count", "present_count"]


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "status", "reason", "method", "signed_in_at"]


class MeetingDetailSerializer(MeetingSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "attendances"]


class MeetingCreateSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.ORGLIFE_EDIT)
    kind = serializers.ChoiceField(MeetingKind.choices, error_messages=_choices(MeetingKind.choices))
    title = serializers.CharField(max_length=128)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    topics = serializers.CharField(required=False, allow_blank=True, default="")


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()


class SignInSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64, help_text="会议二维码中的签到码")


class FiguresQuerySerializer(serializers.Serializer):
    org = orglife_org(required=False)
    start = serializers.DateField()
    end = serializers.DateField()

from rest_framework import serializers

from yuntu.core import chinese
from yuntu.orgs.models import Member, MemberStatus, Transfer

from ..fields import OrgReferenceField

MEMBER_WRITABLE = ["name", "status", "joined_on", "probation_end", "floating", "floating_location", "in_service",
                   "employer", "reporting_community", "home_address"]


class MemberSerializer(serializers.ModelSerializer):
    """What a list or detail shows: ID number and mobile only masked; birth date and home address not at all
    (the birth date is the part of the ID number that masking hides)."""

    org = serializers.PrimaryKeyRelatedField(read_only=True, help_text="所属组织编号")
    org_name = serializers.CharField(source="org.name", read_only=True)
    reporting_community = serializers.PrimaryKeyRelatedField(read_only=True, help_text="双报到社区编号")
    gender_label = serializers.CharField(source="get_gender_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "name", "gender", "gender_label", "id_number_masked", "mobile_masked", "org", "org_name",
                  "status", "status_label", "joined_on", "probation_end", "floating", "floating_location",
                  "in_service", "employer", "reporting_community", "is_active", "created_at", "updated_at"]
        read_only_fields = fields


class _PersonalDataFields:
    """Shape checks of the personal data fields; the services check them again before encrypting."""

    def validate_id_number(self, value: str) -> str:
        return chinese.validate_id_number(value)

    def validate_mobile(self, value: str) -> str:
        return chinese.validate_mobile(value) if value else ""


class MemberCreateSerializer(_PersonalDataFields, serializers.ModelSerializer):
    org = OrgReferenceField(help_text="所属党组织编号（党支部、党小组或党总支）")
    reporting_community = OrgReferenceField(required=False, allow_null=True, help_text="双报到社区编号")
    id_number = serializers.CharField(write_only=True, max_length=32, help_text="18位居民身份证号码（加密保存）")
    mobile = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20,
                                   help_text="11位手机号码（加密保存）")

    class Meta:
        model = Member
        fields = ["org", "id_number", "mobile", *MEMBER_WRITABLE]
        extra_kwargs = {"home_address": {"write_only": True}}


class MemberUpdateSerializer(_PersonalDataFields, serializers.ModelSerializer):
    reporting_community = OrgReferenceField(required=False, allow_null=True, help_text="双报到社区编号")
    id_number = serializers.CharField(write_only=True, required=False, max_length=32,
                                      help_text="更正身份证号码时填写")
    mobile = serializers.CharField(write_only=True, required=False, max_length=20,
                                   help_text="更换手机号码时填写，需同时填写身份证号码")

    class Meta:
        model = Member
        fields = ["id_number", "mobile", *MEMBER_WRITABLE]
        extra_kwargs = {"home_address": {"write_only": True}}

    def validate(self, attrs):
        if "mobile" in attrs and "id_number" not in attrs:
            raise serializers.ValidationError({"id_number": "更换手机号码时请同时填写身份证号码。"})
        return attrs


class MemberTransferSerializer(serializers.Serializer):
    to_org = OrgReferenceField(help_text="转入组织编号")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, help_text="转接原因")
    transferred_on = serializers.DateField(required=False, help_text="转接日期，默认今天")


class TransferSerializer(serializers.ModelSerializer):
    to_org = serializers.PrimaryKeyRelatedField(source="org", read_only=True, help_text="转入组织编号")
    to_org_name = serializers.CharField(source="org.name", read_only=True)
    from_org = serializers.PrimaryKeyRelatedField(read_only=True, help_text="转出组织编号")
    from_org_name = serializers.CharField(source="from_org.name", read_only=True)
    member = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "member", "from_org", "from_org_name", "to_org", "to_org_name", "transferred_on", "reason"]
        read_only_fields = fields


class MemberFilterSerializer(serializers.Serializer):
    """Query parameters of the member list."""

    org = OrgReferenceField(required=False, help_text="只列出该组织及其下级的党员")
    q = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="按姓名、拼音或首字母查找")
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False, allow_blank=True,
                                     help_text="党员类别")
    floating = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="流动党员")
    in_service = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="在职党员")

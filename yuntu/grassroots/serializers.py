"""Shapes of the 四下基层 API. Input serializers look references up in the user's scope; services decide."""

from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import MAX_ID, OrgReferenceField
from yuntu.voices.models import Category

from .models import Contact, Demand, Enterprise, MediationCase, Pairing, ReceptionDay, ResearchTopic


class ResearchTopicSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name")
    lead = serializers.CharField(source="lead_label")
    status_label = serializers.CharField(source="get_status_display")
    field_label = serializers.CharField(source="get_field_display")

    class Meta:
        model = ResearchTopic
        fields = ["id", "title", "field", "field_label", "org", "org_name", "lead", "starts_on", "ends_on", "status",
                  "status_label", "reported_on"]


class ContactSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    cadre = serializers.CharField(source="cadre.__str__")
    request_number = serializers.CharField(source="request.number", default=None)

    class Meta:
        model = Contact
        fields = ["id", "kind", "kind_label", "org", "cadre", "person_name", "contacted_on", "matter", "outcome",
                  "follow_up", "hours", "in_difficulty", "request_number"]


class ReceptionDaySerializer(serializers.ModelSerializer):
    leader = serializers.CharField(source="leader.__str__")

    class Meta:
        model = ReceptionDay
        fields = ["id", "org", "leader", "leader_title", "date", "starts_at", "ends_at", "slot_minutes", "place", "theme",
                  "for_enterprises"]


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["id", "name", "credit_code", "org", "address", "industry"]


class EnterpriseCreateSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.GRASSROOTS_EDIT)
    name = serializers.CharField(max_length=128)
    credit_code = serializers.CharField(max_length=24, help_text="统一社会信用代码（GB 32100-2015，18位，校验位校验）")
    address = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    industry = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class PairingSerializer(serializers.ModelSerializer):
    cadre = serializers.CharField(source="cadre.__str__", default=None)
    department = serializers.CharField(source="department.name", default=None)
    target = serializers.CharField(source="target_label")

    class Meta:
        model = Pairing
        fields = ["id", "org", "cadre", "department", "target_kind", "enterprise", "target_org", "target", "starts_on",
                  "ends_on"]


class DemandSerializer(serializers.ModelSerializer):
    target = serializers.CharField(source="pairing.target_label")
    request_number = serializers.CharField(source="request.number")
    request_status = serializers.CharField(source="request.status")
    request_status_label = serializers.CharField(source="request.get_status_display")
    resolve_due = serializers.DateTimeField(source="request.resolve_due")
    reply = serializers.CharField(source="request.reply")

    class Meta:
        model = Demand
        fields = ["id", "pairing", "target", "text", "raised_on", "request_number", "request_status",
                  "request_status_label", "resolve_due", "reply"]


class CategoryCodeField(serializers.SlugRelatedField):
    """A request category by its code; a code with a NUL character is refused before it reaches the database."""

    def to_internal_value(self, data):
        if "\x00" in str(data):
            raise serializers.ValidationError("诉求类别代码含有不允许的字符。")
        return super().to_internal_value(data)


class DemandInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    category = CategoryCodeField(slug_field="code", queryset=Category.objects.filter(is_active=True),
                                 error_messages={"does_not_exist": "诉求类别“{value}”不存在。"})


class EnterpriseReferenceField(serializers.IntegerField):
    """An enterprise by id: one the user may see, or one of their own pairings; anything else is 'not found'."""

    def to_internal_value(self, data):
        from . import selectors

        pk = super().to_internal_value(data)
        if not 0 < pk <= MAX_ID:
            raise serializers.ValidationError("企业不存在或无权访问。")
        user = self.context["request"].user
        found = (selectors.enterprises_visible_to(user) | Enterprise.objects.filter(
            pairings__in=selectors.pairings_visible_to(user))).filter(pk=pk).distinct().first()
        if found is None:
            raise serializers.ValidationError("企业不存在或无权访问。")
        return found


class PairingVisitInputSerializer(serializers.Serializer):
    enterprise = EnterpriseReferenceField()
    visited_on = serializers.DateField()
    notes = serializers.CharField(max_length=2000)
    served = serializers.BooleanField(required=False, default=False)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, default=0)
    demands = DemandInputSerializer(many=True, required=False, default=list)


class PairingVisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pairing = serializers.IntegerField(source="pairing_id")
    visited_on = serializers.DateField()
    demands = DemandSerializer(many=True)


class PeriodQuerySerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.GRASSROOTS_VIEW, required=False, help_text="统计该组织及其下级；缺省为本人可见范围")
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)




class MediationSerializer(serializers.ModelSerializer):
    mediator = serializers.CharField(source="mediator.__str__")
    status_label = serializers.CharField(source="get_status_display")
    sessions = serializers.IntegerField(source="session_count")

    class Meta:
        model = MediationCase
        fields = ["id", "org", "title", "parties", "mediator", "opened_on", "status", "status_label", "outcome", "sessions"]

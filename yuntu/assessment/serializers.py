from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import OrgReferenceField
from yuntu.orgs.models import Level

from . import rules
from .models import Alert, AssessmentPeriod, ScoringScheme
from .workflow import ALERT_TRANSITIONS, AlertStatus, ItemMethod, Severity


class AlertFilterSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.ASSESSMENT_VIEW, required=False)
    rule = serializers.CharField(required=False, max_length=64)
    status = serializers.ChoiceField(AlertStatus.choices, required=False)
    severity = serializers.ChoiceField(Severity.choices, required=False)


class AlertSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    rule_name = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "org", "org_name", "rule", "rule_name", "period", "severity", "status", "detail",
                  "subject_count", "escalated", "seen_count", "raised_at", "last_seen_at", "resolved_at",
                  "explanation", "review_note"]

    def get_rule_name(self, alert) -> str:
        rule = rules.get(alert.rule)
        return rule.name if rule else alert.rule


class AlertTransitionSerializer(serializers.Serializer):
    name = serializers.ChoiceField([(name, t.label) for name, t in ALERT_TRANSITIONS.items()])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class CountsQuerySerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.ASSESSMENT_VIEW, required=False)


class SchemeItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=128)
    max_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    method = serializers.ChoiceField(ItemMethod.choices, default=ItemMethod.ASSESSOR)
    indicator = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    full_at = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True, default=None)


class StarSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    min_score = serializers.DecimalField(max_digits=6, decimal_places=2)


class SchemeSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    items = SchemeItemSerializer(many=True, read_only=True)
    stars = StarSerializer(many=True, read_only=True)

    class Meta:
        model = ScoringScheme
        fields = ["id", "org", "org_name", "name", "target_level", "description", "items", "stars"]


class SchemeUpdateSerializer(serializers.Serializer):
    """A correction sends the whole scheme: its items and thresholds replace the old ones."""

    name = serializers.CharField(max_length=128)
    target_level = serializers.ChoiceField([value for value in Level.values if value != Level.DISTRICT])
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    items = SchemeItemSerializer(many=True)
    stars = StarSerializer(many=True, required=False, default=list)


class SchemeCreateSerializer(SchemeUpdateSerializer):
    org = OrgReferenceField(permission=Permission.ASSESSMENT_MANAGE)


class PeriodSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)

    class Meta:
        model = AssessmentPeriod
        fields = ["id", "scheme", "scheme_name", "org", "org_name", "name", "start", "end"]


class PeriodCreateSerializer(serializers.Serializer):
    org = OrgReferenceField(permission=Permission.ASSESSMENT_MANAGE)
    name = serializers.CharField(max_length=64)
    start = serializers.DateField()
    end = serializers.DateField()

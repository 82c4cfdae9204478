from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.api.fields import OrgReferenceField

from . import rules
from .models import Alert
from .workflow import ALERT_TRANSITIONS, AlertStatus, Severity


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

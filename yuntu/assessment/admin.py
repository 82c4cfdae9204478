"""Django admin for the configuration of assessment: scoring schemes with their items and star thresholds,
and the periods they are applied in. Scores, red flags, alerts and circulars change only through services."""

from django.contrib import admin

from .models import AssessmentPeriod, SchemeItem, ScoringScheme, StarThreshold


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 1
    fields = ["position", "name", "max_score", "method", "indicator", "full_at"]


class StarThresholdInline(admin.TabularInline):
    model = StarThreshold
    extra = 1


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "target_level"]
    raw_id_fields = ["org"]
    inlines = [SchemeItemInline, StarThresholdInline]

    def save_model(self, request, obj, form, change):
        obj.org_path = obj.org.path
        super().save_model(request, obj, form, change)


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "scheme", "org", "start", "end"]
    raw_id_fields = ["org"]

    def save_model(self, request, obj, form, change):
        obj.org_path = obj.org.path
        super().save_model(request, obj, form, change)

"""Django admin for the configuration of residents' voices: categories (Open311 services) and the calendar.

Requests, dispatches and suggestions are shown read-only: every change to them is a service with its
timeline event and audit entry, made through the pages or the API, never by editing rows here.
Contacts are shown masked only.
"""

from django.contrib import admin

from .models import Category, Dispatch, Request, Suggestion, SuggestionDrive, WorkdayOverride


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "responsible_org", "answer_days", "resolve_days", "is_active", "sort_order"]
    list_filter = ["is_active", "group"]
    search_fields = ["code", "name", "description"]
    raw_id_fields = ["responsible_org"]
    ordering = ["sort_order", "code"]


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "org", "status", "channel", "submitted_at", "resolve_due", "escalated_at"]
    list_filter = ["status", "channel", "category"]
    search_fields = ["number"]
    exclude = ["contact_mobile_encrypted", "contact_mobile_digest"]
    list_select_related = ["category", "org"]


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["request", "org", "status", "deadline", "replied_at"]
    list_filter = ["status"]
    list_select_related = ["request", "org"]


@admin.register(SuggestionDrive)
class SuggestionDriveAdmin(admin.ModelAdmin):
    list_display = ["title", "org", "starts_on", "ends_on"]
    raw_id_fields = ["org"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["id", "drive", "org", "mode", "status", "measure", "created_at"]
    list_filter = ["status", "mode", "drive"]
    list_select_related = ["drive", "org", "measure"]

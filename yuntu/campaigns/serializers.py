"""Shapes of the campaign API: read serializers of the records, and the input of progress reports."""

from rest_framework import serializers

from .models import Campaign, Project, Task, TaskProgress


class CampaignSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "goal", "start_date", "end_date", "status", "org", "org_name"]


class ProjectSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "campaign", "number", "name", "description", "owner_name", "site", "latitude", "longitude",
                  "planned_start", "planned_end", "org", "org_name", "hq_name", "hq_branch"]


class TaskSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "campaign", "project", "name", "key_point", "org", "org_name", "owner_name", "planned_start",
                  "planned_end", "deadline", "status", "percent", "started_on", "completed_on", "post"]


class TaskProgressSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskProgress
        fields = ["id", "percent", "previous_percent", "text", "reason", "reported_on", "created_at"]


class TaskProgressCreateSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=0, max_value=100, error_messages={
        "required": "请填写进度。", "invalid": "进度应为0到100之间的整数。", "min_value": "进度应在0到100之间。",
        "max_value": "进度应在0到100之间。"})
    text = serializers.CharField(error_messages={"required": "请填写进展情况。", "blank": "请填写进展情况。"})
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class TaskFilterSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False)
    project = serializers.IntegerField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


class BoardSerializer(serializers.Serializer):
    campaign = serializers.DictField()
    today = serializers.DateField()
    totals = serializers.DictField()
    projects = serializers.ListField(child=serializers.DictField())
    ranking = serializers.ListField(child=serializers.DictField())
    overdue = serializers.ListField(child=serializers.DictField())
    due_soon = serializers.ListField(child=serializers.DictField())


class TaskCreateSerializer(serializers.Serializer):
    """A new task of a visible project; the owner org is checked against the campaign's lead org by the service."""

    project = serializers.IntegerField(error_messages={"required": "请选择项目。", "invalid": "项目编号应为整数。"})
    org = serializers.IntegerField(error_messages={"required": "请选择责任单位。", "invalid": "单位编号应为整数。"})
    name = serializers.CharField(max_length=255, error_messages={"required": "请填写任务。", "blank": "请填写任务。"})
    key_point = serializers.CharField(required=False, allow_blank=True, default="")
    owner_name = serializers.CharField(max_length=64, error_messages={"required": "请填写责任人。", "blank": "请填写责任人。"})
    planned_start = serializers.DateField(error_messages={"required": "请填写计划开始日期。", "invalid": "日期格式应为 2026-03-01。"})
    planned_end = serializers.DateField(error_messages={"required": "请填写计划完成日期。", "invalid": "日期格式应为 2026-03-01。"})
    deadline = serializers.DateField(error_messages={"required": "请填写完成时限。", "invalid": "日期格式应为 2026-03-01。"})

"""Shapes of the lecture menu API. No business rules: writes go to `yuntu.lectures.services`."""

from rest_framework import serializers

from .models import LectureOrder, Topic


class TopicSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "title", "summary", "minutes", "audience", "team", "team_name"]


class OrderSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    lecturer_name = serializers.CharField(source="lecturer.name", read_only=True, default="")

    class Meta:
        model = LectureOrder
        fields = ["id", "number", "topic", "topic_title", "team", "group_name", "starts_at", "ends_at", "place",
                  "expected_audience", "note", "status", "status_label", "lecturer", "lecturer_name", "attendance",
                  "delivery_summary", "delivered_on", "reason"]


class OrderCreateSerializer(serializers.Serializer):
    topic = serializers.IntegerField()
    group_name = serializers.CharField(max_length=128)
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    expected_audience = serializers.IntegerField(min_value=1, max_value=100000)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class OrderActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(["assign", "deliver", "rate", "decline", "cancel"],
                                     help_text="assign 配菜 · deliver 送菜 · rate 评菜 · decline 不予受理 · cancel 取消")
    lecturer = serializers.IntegerField(required=False, help_text="assign：宣讲员编号")
    attendance = serializers.IntegerField(required=False, min_value=1, help_text="deliver：实到听众人数")
    summary = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    members = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text="deliver：听众中的党员编号（计入5+X）")
    score = serializers.IntegerField(required=False, help_text="rate：1—5分")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

from rest_framework import serializers

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Org

from .catalogue import Catalogue
from .models import Article, Column, Publication, PublicationStatus


class PublicationSerializer(serializers.ModelSerializer):
    catalogue = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    catalogue_label = serializers.CharField(source="get_catalogue_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "org", "org_name", "catalogue", "catalogue_label", "title", "body", "period_start",
                  "period_end", "status", "status_label", "published_at", "updated_at"]
        read_only_fields = fields


class PublicationWriteSerializer(serializers.Serializer):
    org = serializers.PrimaryKeyRelatedField(queryset=Org.objects.all(), error_messages={
        "required": "请选择公开单位。", "does_not_exist": "公开单位不存在。", "incorrect_type": "公开单位不正确。"})
    catalogue = serializers.CharField(required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField(required=False, allow_null=True, default=None,
                                         error_messages={"invalid": "日期格式不正确，应为YYYY-MM-DD。"})
    period_end = serializers.DateField(required=False, allow_null=True, default=None,
                                       error_messages={"invalid": "日期格式不正确，应为YYYY-MM-DD。"})
    publish = serializers.BooleanField(required=False, default=False)

    def validate_org(self, org):
        user = self.context["request"].user
        if not visible(user, Org, Permission.PUBLICITY_EDIT).filter(pk=org.pk).exists():
            raise serializers.ValidationError("公开单位不存在。")
        return org

    def validate_catalogue(self, value):
        if value not in Catalogue.values:
            raise serializers.ValidationError("请选择公开目录：每项公开内容须归入目录。")
        return value


class PublicationFilterSerializer(serializers.Serializer):
    catalogue = serializers.CharField(required=False, help_text="公开目录代码，如 dues、org_building")
    status = serializers.CharField(required=False, help_text="draft、published 或 withdrawn")

    def validate_catalogue(self, value):
        if value not in Catalogue.values:
            raise serializers.ValidationError("公开目录不正确。")
        return value

    def validate_status(self, value):
        if value not in PublicationStatus.values:
            raise serializers.ValidationError("状态不正确。")
        return value


class ColumnSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    audience = serializers.CharField(read_only=True)
    sector = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    audience_label = serializers.CharField(source="get_audience_display", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Column
        fields = ["id", "org", "org_name", "name", "kind", "kind_label", "audience", "audience_label", "sector",
                  "is_active"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    column_name = serializers.CharField(source="column.name", read_only=True)
    image_url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["id", "org", "column", "column_name", "title", "summary", "body", "image_url", "image_alt",
                  "video_url", "status", "published_at", "updated_at"]
        read_only_fields = fields

    def get_image_url(self, article) -> str:
        return article.image.url if article.image else ""

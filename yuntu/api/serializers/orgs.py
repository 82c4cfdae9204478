from rest_framework import serializers

from yuntu.orgs.models import Level, Org, Sector
from yuntu.orgs.selectors import visible_parent_pk

from ..fields import OrgReferenceField


class OrgSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField(help_text="上级组织编号；根组织为 null")
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    sector_label = serializers.CharField(source="get_sector_display", read_only=True)
    child_count = serializers.IntegerField(source="numchild", read_only=True, help_text="直属下级组织数")

    class Meta:
        model = Org
        fields = ["id", "name", "short_name", "parent", "depth", "child_count", "level", "level_label", "kind",
                  "kind_label", "sector", "sector_label", "division_code", "temporary", "end_date", "address",
                  "latitude", "longitude", "is_active", "created_at", "updated_at"]
        read_only_fields = fields

    def get_parent(self, org: Org) -> int | None:
        """The parent's id, only where the requesting user may see the parent."""
        if hasattr(org, "parent_pk"):  # annotated by the list query
            return org.parent_pk
        return visible_parent_pk(self.context["request"].user, org)


class OrgCreateSerializer(serializers.ModelSerializer):
    parent = OrgReferenceField(help_text="上级组织编号（必填）")

    class Meta:
        model = Org
        fields = ["parent", "name", "short_name", "level", "kind", "sector", "division_code", "temporary",
                  "end_date", "address"]


class OrgUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Org
        fields = ["name", "short_name", "level", "kind", "sector", "division_code", "temporary", "end_date",
                  "address", "latitude", "longitude", "is_active"]


class OrgMoveSerializer(serializers.Serializer):
    parent = OrgReferenceField(help_text="新的上级组织编号")


class OrgFilterSerializer(serializers.Serializer):
    """Query parameters of the org list."""

    parent = OrgReferenceField(required=False, help_text="只列出该组织的直属下级")
    under = OrgReferenceField(required=False, help_text="只列出该组织及其全部下级")
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True, help_text="层级")
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True, help_text="领域")
    q = serializers.CharField(required=False, allow_blank=True, max_length=64,
                              help_text="按名称、简称、拼音、首字母或繁体字查找")


class ChildMemberCountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    full = serializers.IntegerField(help_text="正式党员")
    probationary = serializers.IntegerField(help_text="预备党员")
    total = serializers.IntegerField(help_text="合计")


class OrgMemberCountsSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="组织编号")
    full = serializers.IntegerField(help_text="整棵子树的正式党员")
    probationary = serializers.IntegerField(help_text="整棵子树的预备党员")
    total = serializers.IntegerField(help_text="整棵子树合计")
    children = ChildMemberCountSerializer(many=True, help_text="各直属下级组织的整棵子树人数")

"""Serializer fields of the API layer."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from yuntu.accounts.roles import Permission
from yuntu.orgs import access

MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class OrgReferenceField(serializers.Field):
    """An org named by its id in a request body or query string, looked up in the requesting user's scope.

    The lookup is `access.get_org_for_user`, so an org that does not exist and an org outside the
    user's scope get the same answer and nothing about the other subtree is revealed.
    """

    default_error_messages = {
        "invalid": "请填写组织编号（整数）。",
        "not_found": "组织不存在或无权访问。",
    }

    def __init__(self, *, permission: str = Permission.ORG_VIEW, **kwargs):
        self.permission = permission
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        try:
            pk = int(str(data).strip())
        except (TypeError, ValueError):
            self.fail("invalid")
        if not 0 < pk <= MAX_ID:
            self.fail("not_found")
        try:
            return access.get_org_for_user(self.context["request"].user, pk, permission=self.permission)
        except Http404:
            self.fail("not_found")

    def to_representation(self, value):
        return value.pk

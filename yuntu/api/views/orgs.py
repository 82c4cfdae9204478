from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yuntu.core import chinese
from yuntu.orgs import access, selectors, services
from yuntu.orgs.models import Org

from ..schema import error_responses
from ..serializers.orgs import (
    OrgCreateSerializer,
    OrgFilterSerializer,
    OrgMemberCountsSerializer,
    OrgMoveSerializer,
    OrgSerializer,
    OrgUpdateSerializer,
)


def org_list(user, *, parent: Org | None = None, under: Org | None = None, level: str = "", sector: str = "",
             q: str = "") -> QuerySet[Org]:
    """The visible orgs narrowed by the list's query parameters (q matches like `selectors.org_search`)."""
    orgs = selectors.org_children(user, parent) if parent is not None else selectors.orgs_visible_to(user)
    if under is not None:
        orgs = orgs.filter(path__under=under.path)
    if level:
        orgs = orgs.filter(level=level)
    if sector:
        orgs = orgs.filter(sector=sector)
    needle = chinese.normalize_query(q)
    if needle:
        return orgs.filter(search_text__contains=needle).order_by("depth", "path")
    return orgs.order_by("path")


@extend_schema_view(
    list=extend_schema(summary="党组织列表", parameters=[OrgFilterSerializer], responses={
        200: OrgSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(summary="党组织详情", responses={200: OrgSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="新建下级党组织", request=OrgCreateSerializer, responses={
        201: OrgSerializer, **error_responses(400, 401, 403)}),
    partial_update=extend_schema(summary="修改党组织", request=OrgUpdateSerializer, responses={
        200: OrgSerializer, **error_responses(400, 401, 403, 404)}),
)
class OrgViewSet(viewsets.GenericViewSet):
    serializer_class = OrgSerializer
    lookup_value_converter = "int"
    filter_backends: list = []  # query parameters are checked by OrgFilterSerializer and applied to selectors

    def get_queryset(self):
        return selectors.orgs_visible_to(self.request.user)

    def get_object(self) -> Org:
        return access.get_org_for_user(self.request.user, self.kwargs["pk"])

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def list(self, request):
        filters = OrgFilterSerializer(data=request.query_params.dict(), context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.with_visible_parent(request.user, org_list(request.user, **filters.validated_data)))
        return self.get_paginated_response(OrgSerializer(page, many=True, context={"request": request}).data)

    def retrieve(self, request, pk):
        return Response(OrgSerializer(self.get_object(), context={"request": request}).data)

    def create(self, request):
        data = self._input(OrgCreateSerializer)
        org = services.org_create(actor=request.user, **data)
        return Response(OrgSerializer(org, context={"request": request}).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk):
        org = self.get_object()
        changes = self._input(OrgUpdateSerializer, partial=True)
        org = services.org_update(actor=request.user, org=org, **changes)
        return Response(OrgSerializer(org, context={"request": request}).data)

    @extend_schema(summary="移动党组织（连同下级）", request=OrgMoveSerializer,
                   responses={200: OrgSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def move(self, request, pk):
        org = self.get_object()
        data = self._input(OrgMoveSerializer)
        org = services.org_move(actor=request.user, org=org, new_parent=data["parent"])
        return Response(OrgSerializer(org, context={"request": request}).data)

    @extend_schema(summary="党员人数（整棵子树及各直属下级）",
                   responses={200: OrgMemberCountsSerializer, **error_responses(401, 404)})
    @action(detail=True, methods=["get"], url_path="member-counts")
    def member_counts(self, request, pk):
        org = self.get_object()
        by_child_path = selectors.children_member_counts(org)
        zero = {"full": 0, "probationary": 0, "total": 0}
        children = [{"id": child.pk, "name": child.name, **by_child_path.get(child.path, zero)}
                    for child in selectors.org_children(request.user, org)]
        counts = {"org": org.pk, **selectors.subtree_member_counts(org), "children": children}
        return Response(OrgMemberCountsSerializer(counts).data)

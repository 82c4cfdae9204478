from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yuntu.orgs import access, selectors, services
from yuntu.orgs.models import Member

from ..schema import error_responses
from ..serializers.members import (
    MemberCreateSerializer,
    MemberFilterSerializer,
    MemberSerializer,
    MemberTransferSerializer,
    MemberUpdateSerializer,
    TransferSerializer,
)


def _personal(data: dict) -> services.PersonalData | None:
    """Take the clear ID number and mobile out of validated data; they go to the service, never to a response."""
    if "id_number" not in data:
        return None
    return services.PersonalData(id_number=data.pop("id_number"), mobile=data.pop("mobile", ""))


@extend_schema_view(
    list=extend_schema(summary="党员列表（身份证号、手机号仅显示脱敏值）", parameters=[MemberFilterSerializer],
                       responses={200: MemberSerializer(many=True), **error_responses(400, 401)}),
    retrieve=extend_schema(summary="党员详情（脱敏）", responses={200: MemberSerializer, **error_responses(401, 404)}),
    create=extend_schema(summary="登记党员", request=MemberCreateSerializer, responses={
        201: MemberSerializer, **error_responses(400, 401, 403)}),
    partial_update=extend_schema(summary="修改党员信息", request=MemberUpdateSerializer, responses={
        200: MemberSerializer, **error_responses(400, 401, 403, 404)}),
)
class MemberViewSet(viewsets.GenericViewSet):
    serializer_class = MemberSerializer
    lookup_value_converter = "int"
    filter_backends: list = []  # query parameters are checked by MemberFilterSerializer and passed to the selector

    def get_queryset(self):
        return selectors.members_visible_to(self.request.user)

    def get_object(self) -> Member:
        return access.get_member_for_user(self.request.user, self.kwargs["pk"])

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def list(self, request):
        filters = MemberFilterSerializer(data=request.query_params.dict(), context=self.get_serializer_context())
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        members = selectors.member_list(request.user, org=params.get("org"), query=params.get("q", ""),
                                        status=params.get("status", ""), floating=params.get("floating"),
                                        in_service=params.get("in_service"))
        unfiltered = not any(params.get(key) not in (None, "") for key in ("q", "status", "floating", "in_service"))
        count = selectors.member_list_count(request.user, org=params.get("org")) if unfiltered else None
        page = self.paginator.paginate_queryset(members, request, view=self, count=count)
        return self.get_paginated_response(MemberSerializer(page, many=True).data)

    def retrieve(self, request, pk):
        return Response(MemberSerializer(self.get_object()).data)

    def create(self, request):
        data = self._input(MemberCreateSerializer)
        personal = _personal(data)
        member = services.member_create(actor=request.user, personal=personal, **data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk):
        member = self.get_object()
        changes = self._input(MemberUpdateSerializer, partial=True)
        personal = _personal(changes)
        member = services.member_update(actor=request.user, member=member, personal=personal, **changes)
        return Response(MemberSerializer(member).data)

    @extend_schema(summary="组织关系转接", request=MemberTransferSerializer,
                   responses={201: TransferSerializer, **error_responses(400, 401, 403, 404)})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk):
        member = self.get_object()
        data = self._input(MemberTransferSerializer)
        transfer = services.member_transfer(actor=request.user, member=member, **data)
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

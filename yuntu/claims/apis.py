"""REST wiring of service claims: reads from selectors, writes through services, lookups by access.

Lists hold only what the selectors give the user; every id goes through `access.get_*_for_user`, so
another subtree's record answers 404 exactly like a missing one. Errors are JSON with a Chinese message.
"""

import datetime

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.accounts.policy import scope_paths, visible
from yuntu.accounts.roles import Permission
from yuntu.api.input import validated
from yuntu.api.schema import error_responses
from yuntu.core import clock
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.orgs.models import Member, Org

from . import fiveplusx, selectors, services
from .access import get_claim_for_user, get_need_for_user, get_public_need
from .serializers import (
    ClaimSerializer,
    ClaimTransitionSerializer,
    DualReportSerializer,
    NeedClaimSerializer,
    NeedCreateSerializer,
    NeedFilterSerializer,
    NeedSerializer,
    OrgYearSerializer,
    ServiceRecordSerializer,
)

TAGS = ["服务认领"]
FIGURE_CODES = ("claims.branches_reported", "claims.members_reported", "claims.needs_posted", "claims.needs_claimed",
                "claims.needs_done", "claims.service_visits", "claims.service_hours")



def _top_org(request) -> Org | None:
    paths = scope_paths(request.user, Permission.CLAIMS_VIEW)
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path").first()
    return Org.objects.filter(path__in=paths).order_by("depth", "path").first()


class NeedListApi(generics.ListAPIView):
    """群众需求（微心愿）列表：本人可见范围内发布的需求；POST 发布一条需求。"""

    serializer_class = NeedSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(NeedFilterSerializer, self.request.query_params.dict(), self.request)
        needs = selectors.needs_visible_to(self.request.user)
        if filters.get("org") is not None:
            needs = needs.filter(org_path__under=filters["org"].path)
        if filters.get("status"):
            needs = needs.filter(status=filters["status"])
        if filters.get("category"):
            needs = needs.filter(category=filters["category"])
        return needs.order_by("-posted_at", "-id")

    @extend_schema(tags=TAGS, summary="群众需求列表", parameters=[NeedFilterSerializer],
                   responses={200: NeedSerializer(many=True), **error_responses(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="发布群众需求", request=NeedCreateSerializer,
                   responses={201: NeedSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        data = validated(NeedCreateSerializer, request.data, request)
        need = services.need_post(actor=request.user, **data)
        return Response(NeedSerializer(need).data, status=status.HTTP_201_CREATED)


class NeedDetailApi(APIView):
    """一条需求（工作人员视图，含认领情况）。"""

    @extend_schema(tags=TAGS, summary="需求详情", responses={200: NeedSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        need = get_need_for_user(request.user, pk)
        body = NeedSerializer(need).data
        body["claims"] = ClaimSerializer(need.claims.select_related("need", "member", "branch").order_by("id"),
                                         many=True).data
        return Response(body)


class NeedClaimApi(APIView):
    """认领一条公开的需求：党员本人认领，或支部书记以支部名义认领（branch）。"""

    @extend_schema(tags=TAGS, summary="认领需求", request=NeedClaimSerializer,
                   responses={201: ClaimSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        need = get_public_need(pk)
        data = validated(NeedClaimSerializer, request.data, request)
        claim = services.need_claim(actor=request.user, need=need, branch=data.get("branch"))
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimListApi(generics.ListAPIView):
    """认领记录：本人可见范围内的需求被认领的情况，以及本范围党员、支部的认领。"""

    serializer_class = ClaimSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.claims_visible_to(self.request.user).order_by("-claimed_at", "-id")

    @extend_schema(tags=TAGS, summary="认领列表", responses={200: ClaimSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ClaimDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="认领详情", responses={200: ClaimSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(ClaimSerializer(get_claim_for_user(request.user, pk)).data)


class ClaimTransitionApi(APIView):
    """确认完成（计入志愿服务时长）或退回补充（须说明原因）；认领人也可放弃或提交完成情况。"""

    @extend_schema(tags=TAGS, summary="认领办理", request=ClaimTransitionSerializer,
                   responses={200: ClaimSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        visible_claims = selectors.claims_visible_to(request.user) | selectors.claims_of_claimant(request.user)
        claim = generics.get_object_or_404(visible_claims.distinct(), pk=pk)
        data = validated(ClaimTransitionSerializer, request.data, request)
        claim = services.claim_transition(actor=request.user, claim=claim, name=data["name"],
                                          proof_text=data["proof_text"], hours=data["hours"], reason=data["reason"])
        return Response(ClaimSerializer(claim).data)


class DualReportListApi(generics.ListAPIView):
    """双报到：向本范围社区报到的党组织、党员，以及本范围党组织、党员的报到。"""

    serializer_class = DualReportSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user).filter(ended_on__isnull=True).order_by("org_path", "id")

    @extend_schema(tags=TAGS, summary="双报到列表", responses={200: DualReportSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ServiceRecordListApi(generics.ListAPIView):
    """服务记录（志愿服务时长）：本范围社区内的服务，以及本范围党员、党组织在各社区的服务；可按年度筛选。"""

    serializer_class = ServiceRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        query = validated(OrgYearSerializer, self.request.query_params.dict(), self.request)
        records = selectors.services_visible_to(self.request.user)
        if query.get("org") is not None:
            records = records.filter(org_path__under=query["org"].path)
        if query.get("year"):
            records = records.filter(served_on__year=query["year"])
        return records.order_by("-served_on", "-id")

    @extend_schema(tags=TAGS, summary="服务记录列表", parameters=[OrgYearSerializer],
                   responses={200: ServiceRecordSerializer(many=True), **error_responses(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


FivePlusXSerializer = inline_serializer(name="FivePlusX", fields={
    "org": serializers.IntegerField(), "year": serializers.IntegerField(),
    "duties": serializers.ListField(child=serializers.DictField()),
    "members": serializers.ListField(child=serializers.DictField())})


class FivePlusXApi(APIView):
    """5+X：组织下每名党员本年度五项规定动作与自选事项的完成次数（null 表示该项数据源待接入）。"""

    LIMIT = 500

    @extend_schema(tags=TAGS, summary="党员5+X", parameters=[OrgYearSerializer],
                   responses={200: FivePlusXSerializer, **error_responses(400, 401, 404)})
    def get(self, request):
        query = validated(OrgYearSerializer, request.query_params.dict(), request)
        org = query.get("org") or _top_org(request)
        year = query.get("year") or clock.today().year
        if org is None:
            return Response({"org": None, "year": year, "duties": [], "members": []})
        members = visible(request.user, Member, Permission.CLAIMS_VIEW).filter(org_path__under=org.path, is_active=True,
                                                                               in_service=True)
        listed = list(members.order_by("org_path", "id")[:self.LIMIT])
        duties, rows = fiveplusx.member_rows(listed, year, members.filter(pk__in=[member.pk for member in listed]))
        return Response({"org": org.pk, "year": year, "duties": duties, "members": [
            {"id": row["member"].pk, "name": row["member"].name,
             "duties": {cell["code"]: cell["count"] for cell in row["cells"]}, "x": row["x"], "missing": row["missing"]}
            for row in rows]})


FiguresSerializer = inline_serializer(name="ClaimsFigures", fields={
    "org": serializers.IntegerField(), "figures": serializers.ListField(child=serializers.DictField())})


class FiguresApi(APIView):
    """报到党组织、报到党员、需求发布/认领/完成、服务人次与时长（按组织、年度）。"""

    @extend_schema(tags=TAGS, summary="服务认领统计", parameters=[OrgYearSerializer],
                   responses={200: FiguresSerializer, **error_responses(400, 401, 404)})
    def get(self, request):
        query = validated(OrgYearSerializer, request.query_params.dict(), request)
        org = query.get("org") or _top_org(request)
        if org is None:
            return Response({"org": None, "figures": []})
        year = query.get("year")
        scope = Scope(org_path=org.path, start=datetime.date(year, 1, 1) if year else None,
                      end=datetime.date(year + 1, 1, 1) if year else None)
        figures = []
        for code in FIGURE_CODES:
            indicator = registry.get(code)
            figures.append({"code": code, "name": indicator.name, "unit": indicator.unit,
                            "value": float(registry.value(code, scope))})
        return Response({"org": org.pk, "year": year, "figures": figures})

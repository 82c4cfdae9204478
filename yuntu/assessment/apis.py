"""REST wiring of compliance alerts and assessment: reads from selectors, writes through services, lookups by access."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_alert_for_user, get_period_for_user, get_scheme_for_user
from .serializers import (
    AlertFilterSerializer,
    AlertSerializer,
    AlertTransitionSerializer,
    CountsQuerySerializer,
    PeriodCreateSerializer,
    PeriodSerializer,
    SchemeCreateSerializer,
    SchemeSerializer,
    SchemeUpdateSerializer,
)

TAGS = ["合规预警"]


class AlertListApi(generics.ListAPIView):
    serializer_class = AlertSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(AlertFilterSerializer, self.request.query_params.dict(), self.request)
        return selectors.alert_list(self.request.user, org=filters.get("org"), rule=filters.get("rule", ""),
                                    status=filters.get("status", ""), severity=filters.get("severity", ""))

    @extend_schema(tags=TAGS, summary="合规预警列表（默认只列未消除的）", parameters=[AlertFilterSerializer],
                   responses={200: AlertSerializer(many=True), **error_responses(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AlertDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="预警详情", responses={200: AlertSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(AlertSerializer(get_alert_for_user(request.user, pk)).data)


class AlertTransitionApi(APIView):
    """情况说明（本组织）、认可说明或退回说明（上级党组织）。"""

    @extend_schema(tags=TAGS, summary="预警说明与审核", request=AlertTransitionSerializer,
                   responses={200: AlertSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        alert = get_alert_for_user(request.user, pk)
        data = validated(AlertTransitionSerializer, request.data, request)
        alert = services.alert_transition(actor=request.user, alert=alert, name=data["name"], reason=data["reason"])
        return Response(AlertSerializer(get_alert_for_user(request.user, alert.pk)).data)


class AlertCountsApi(APIView):
    @extend_schema(tags=TAGS, summary="未消除预警数：按规则、按下级单位", parameters=[CountsQuerySerializer],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request):
        query = validated(CountsQuerySerializer, request.query_params.dict(), request)
        org = query.get("org") or selectors.alert_roots_for(request.user).first()
        if org is None:
            return Response({"code": "not_found", "message": "您没有可查看的组织。"}, status=404)
        by_unit = [{"org": row["org"].pk, "name": row["org"].name, "count": row["n"]}
                   for row in selectors.counts_by_unit(request.user, org=org)]
        return Response({"org": org.pk, "by_rule": selectors.counts_by_rule(request.user, org=org), "by_unit": by_unit})


SCHEME_TAGS = ["考评"]


class SchemeListApi(generics.ListAPIView):
    """考评方案：本辖区内制定的，以及上级制定、本辖区可用的。"""

    serializer_class = SchemeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.schemes_visible_to(self.request.user).prefetch_related("items", "stars")

    @extend_schema(tags=SCHEME_TAGS, summary="考评方案列表", responses={200: SchemeSerializer(many=True),
                                                                      **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=SCHEME_TAGS, summary="制定考评方案（项目与星级门槛一并提交，有误则整体不保存）",
                   request=SchemeCreateSerializer, responses={201: SchemeSerializer, **error_responses(400, 401, 403)})
    def post(self, request, *args, **kwargs):
        data = validated(SchemeCreateSerializer, request.data, request)
        scheme = services.scheme_create(actor=request.user, **data)
        return Response(SchemeSerializer(get_scheme_for_user(request.user, scheme.pk)).data, status=201)


class SchemeDetailApi(APIView):
    @extend_schema(tags=SCHEME_TAGS, summary="考评方案详情", responses={200: SchemeSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(SchemeSerializer(get_scheme_for_user(request.user, pk)).data)

    @extend_schema(tags=SCHEME_TAGS, summary="修改考评方案（项目与星级门槛整体替换；已有单位评分后不能修改）",
                   request=SchemeUpdateSerializer, responses={200: SchemeSerializer, **error_responses(400, 401, 403, 404)})
    def put(self, request, pk):
        scheme = get_scheme_for_user(request.user, pk)
        data = validated(SchemeUpdateSerializer, request.data, request)
        services.scheme_update(actor=request.user, scheme=scheme, **data)
        return Response(SchemeSerializer(get_scheme_for_user(request.user, pk)).data)

    @extend_schema(tags=SCHEME_TAGS, summary="删除考评方案（尚未设立考核期的方案）",
                   responses={204: None, **error_responses(400, 401, 403, 404)})
    def delete(self, request, pk):
        services.scheme_delete(actor=request.user, scheme=get_scheme_for_user(request.user, pk))
        return Response(status=204)


class SchemePeriodsApi(APIView):
    @extend_schema(tags=SCHEME_TAGS, summary="按方案设立考核期", request=PeriodCreateSerializer,
                   responses={201: PeriodSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        scheme = get_scheme_for_user(request.user, pk)
        data = validated(PeriodCreateSerializer, request.data, request)
        period = services.period_create(actor=request.user, scheme=scheme, **data)
        return Response(PeriodSerializer(get_period_for_user(request.user, period.pk)).data, status=201)


class PeriodListApi(generics.ListAPIView):
    serializer_class = PeriodSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.periods_visible_to(self.request.user)

    @extend_schema(tags=SCHEME_TAGS, summary="考核期列表", responses={200: PeriodSerializer(many=True),
                                                                    **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PeriodRankingApi(APIView):
    @extend_schema(tags=SCHEME_TAGS, summary="考核期得分排名、星级与流动红旗",
                   responses={200: dict, **error_responses(401, 404)})
    def get(self, request, pk):
        period = get_period_for_user(request.user, pk)
        flag = selectors.red_flag_of(period)
        rows = [{"rank": row["rank"], "org": row["org"].pk, "org_name": row["org"].name, "total": str(row["total"]),
                 "stars": row["stars"]} for row in services.ranking(period)]
        return Response({"period": PeriodSerializer(period).data, "ranking": rows,
                         "red_flag": {"org": flag.org_id, "org_name": flag.org.name, "total": str(flag.total)}
                         if flag else None})

"""REST wiring of compliance alerts: reads from selectors, writes through services, lookups by access."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_alert_for_user
from .serializers import (
    AlertFilterSerializer,
    AlertSerializer,
    AlertTransitionSerializer,
    CountsQuerySerializer,
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

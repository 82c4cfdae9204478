"""REST wiring of 四下基层: lists from selectors, writes through services, ids through access (404 for others')."""

import datetime

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.schema import error_responses
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope

from . import selectors, services
from .access import get_cadre_for_user, get_topic_for_user
from .exports import SUMMARY
from .serializers import (
    ContactSerializer,
    DemandSerializer,
    EnterpriseCreateSerializer,
    EnterpriseSerializer,
    PairingSerializer,
    PairingVisitInputSerializer,
    PairingVisitSerializer,
    PeriodQuerySerializer,
    ReceptionDaySerializer,
    TopicSerializer,
)
from .views.figures import CODES, figures_for

TAGS = ["四下基层"]


def _valid(serializer_class, data, request):
    serializer = serializer_class(data=data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class TopicListApi(generics.ListAPIView):
    """调研课题：本人可见范围内的课题。"""

    serializer_class = TopicSerializer

    def get_queryset(self):
        return selectors.topics_visible_to(self.request.user).order_by("-starts_on", "-id")

    @extend_schema(tags=TAGS, summary="调研课题列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TopicDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="调研课题详情", responses={200: TopicSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(TopicSerializer(get_topic_for_user(request.user, pk)).data)


class ContactListApi(generics.ListAPIView):
    """接访、下访、约访、走访记录。"""

    serializer_class = ContactSerializer

    def get_queryset(self):
        return selectors.contacts_visible_to(self.request.user).order_by("-contacted_on", "-id")

    @extend_schema(tags=TAGS, summary="接访走访记录")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReceptionDayListApi(generics.ListAPIView):
    """领导接访日安排（本人可见范围内）。"""

    serializer_class = ReceptionDaySerializer

    def get_queryset(self):
        return selectors.reception_days_visible_to(self.request.user).order_by("-date", "-id")

    @extend_schema(tags=TAGS, summary="领导接访日")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EnterpriseListApi(generics.ListAPIView):
    """企业：列表与登记（统一社会信用代码校验位校验）。"""

    serializer_class = EnterpriseSerializer

    def get_queryset(self):
        return selectors.enterprises_visible_to(self.request.user).order_by("name", "id")

    @extend_schema(tags=TAGS, summary="企业列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="登记企业", request=EnterpriseCreateSerializer,
                   responses={201: EnterpriseSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        data = _valid(EnterpriseCreateSerializer, request.data, request)
        enterprise = services.enterprise_register(actor=request.user, **data)
        return Response(EnterpriseSerializer(enterprise).data, status=status.HTTP_201_CREATED)


class PairingListApi(generics.ListAPIView):
    """挂钩联系：本人的和本人可见范围内的。"""

    serializer_class = PairingSerializer

    def get_queryset(self):
        return selectors.pairings_visible_to(self.request.user).order_by("-starts_on", "-id")

    @extend_schema(tags=TAGS, summary="挂钩联系列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PairingVisitApi(APIView):
    """登记挂钩走访及企业提出的诉求；不在本人挂钩范围内的企业不能登记。"""

    @extend_schema(tags=TAGS, summary="登记挂钩走访", request=PairingVisitInputSerializer,
                   responses={201: PairingVisitSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        data = _valid(PairingVisitInputSerializer, request.data, request)
        visit = services.pairing_visit_log(
            actor=request.user, enterprise=data["enterprise"], visited_on=data["visited_on"], notes=data["notes"],
            served=data["served"], hours=data["hours"],
            demands=[services.RaisedDemand(item["text"], item["category"]) for item in data["demands"]])
        return Response(PairingVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class DemandListApi(generics.ListAPIView):
    """企业（村居）诉求及其办理状态（按群众诉求的派单和时限办理）。"""

    serializer_class = DemandSerializer

    def get_queryset(self):
        return selectors.demands_visible_to(self.request.user).order_by("-raised_on", "-id")

    @extend_schema(tags=TAGS, summary="企业（村居）诉求")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CadreRecordApi(APIView):
    """干部一线纪实：本人、所在单位领导和组织部可见，同事不可见。"""

    @extend_schema(tags=TAGS, summary="干部一线纪实", parameters=[PeriodQuerySerializer],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, pk):
        cadre = get_cadre_for_user(request.user, pk)
        query = _valid(PeriodQuerySerializer, request.query_params.dict(), request)
        record = selectors.frontline_record(cadre, start=query.get("start"), end=query.get("end"))
        totals = {key: float(record["totals"][key]) if key == "frontline_hours" else record["totals"][key]
                  for key, _label in SUMMARY}
        return Response({"cadre": {"id": cadre.pk, "name": str(cadre)}, "start": query.get("start"),
                         "end": query.get("end"), "totals": totals,
                         "demands": DemandSerializer(record["demands"], many=True).data})


class FiguresApi(APIView):
    """四下基层指标：课题、调研、现场解决问题、接访走访、走访与服务企业、诉求收集与解决。"""

    @extend_schema(tags=TAGS, summary="四下基层指标", parameters=[PeriodQuerySerializer],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request):
        query = _valid(PeriodQuerySerializer, request.query_params.dict(), request)
        start, end = query.get("start"), query.get("end")
        org = query.get("org")
        if org is None:
            figures = figures_for(request.user, start, end)["totals"]
        else:
            end_exclusive = end + datetime.timedelta(days=1) if end else None
            figures = [{"code": code, "name": registry.get(code).name, "unit": registry.get(code).unit,
                        "value": registry.value(code, Scope(org.path, start, end_exclusive))} for code in CODES]
        return Response({"org": {"id": org.pk, "name": org.name} if org else None, "start": start, "end": end,
                         "figures": [{key: item[key] for key in ("code", "name", "unit", "value")} for item in figures]})

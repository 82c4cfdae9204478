"""REST wiring of 四下基层: lists from selectors, writes through services, ids through access (404 for others')."""

import datetime

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
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
    MediationSerializer,
    PairingSerializer,
    PairingVisitInputSerializer,
    PairingVisitSerializer,
    PeriodQuerySerializer,
    ReceptionDaySerializer,
    ResearchTopicSerializer,
)
from .views.figures import CODES, figures_for

TAGS = ["四下基层"]



def scoped_list(name: str, *, selector, serializer, summary: str, order: tuple[str, ...]):
    """A list endpoint over a selector: only what the user may see, in a stable order, paginated."""

    class ScopedListApi(generics.ListAPIView):
        serializer_class = serializer

        def get_queryset(self):
            return selector(self.request.user).order_by(*order)

        @extend_schema(tags=TAGS, summary=summary)
        def get(self, request, *args, **kwargs):
            return super().get(request, *args, **kwargs)

    ScopedListApi.__name__ = ScopedListApi.__qualname__ = name
    ScopedListApi.__doc__ = f"{summary}：本人可见范围内的记录。"
    return ScopedListApi


TopicListApi = scoped_list("TopicListApi", selector=selectors.topics_visible_to, serializer=ResearchTopicSerializer,
                           summary="调研课题列表", order=("-starts_on", "-id"))
ContactListApi = scoped_list("ContactListApi", selector=selectors.contacts_visible_to, serializer=ContactSerializer,
                             summary="接访走访记录", order=("-contacted_on", "-id"))
ReceptionDayListApi = scoped_list("ReceptionDayListApi", selector=selectors.reception_days_visible_to,
                                  serializer=ReceptionDaySerializer, summary="领导接访日", order=("-date", "-id"))
PairingListApi = scoped_list("PairingListApi", selector=selectors.pairings_visible_to, serializer=PairingSerializer,
                             summary="挂钩联系列表（含本人的挂钩）", order=("-starts_on", "-id"))
MediationListApi = scoped_list("MediationListApi", selector=selectors.mediations_with_sessions_visible_to,
                               serializer=MediationSerializer, summary="矛盾调解", order=("-opened_on", "-id"))
DemandListApi = scoped_list("DemandListApi", selector=selectors.demands_visible_to, serializer=DemandSerializer,
                            summary="企业（村居）诉求及其办理状态", order=("-raised_on", "-id"))


class TopicDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="调研课题详情", responses={200: ResearchTopicSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(ResearchTopicSerializer(get_topic_for_user(request.user, pk)).data)


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
        data = validated(EnterpriseCreateSerializer, request.data, request)
        enterprise = services.enterprise_register(actor=request.user, **data)
        return Response(EnterpriseSerializer(enterprise).data, status=status.HTTP_201_CREATED)


class PairingVisitApi(APIView):
    """登记挂钩走访及企业提出的诉求；不在本人挂钩范围内的企业不能登记。"""

    @extend_schema(tags=TAGS, summary="登记挂钩走访", request=PairingVisitInputSerializer,
                   responses={201: PairingVisitSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        data = validated(PairingVisitInputSerializer, request.data, request)
        visit = services.pairing_visit_log(
            actor=request.user, enterprise=data["enterprise"], visited_on=data["visited_on"], notes=data["notes"],
            served=data["served"], hours=data["hours"],
            demands=[services.RaisedDemand(item["text"], item["category"]) for item in data["demands"]])
        return Response(PairingVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class CadreRecordApi(APIView):
    """干部一线纪实：本人、所在单位领导和组织部可见，同事不可见。"""

    @extend_schema(tags=TAGS, summary="干部一线纪实", parameters=[PeriodQuerySerializer],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request, pk):
        cadre = get_cadre_for_user(request.user, pk)
        query = validated(PeriodQuerySerializer, request.query_params.dict(), request)
        record = selectors.frontline_record(request.user, cadre, start=query.get("start"), end=query.get("end"))
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
        query = validated(PeriodQuerySerializer, request.query_params.dict(), request)
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

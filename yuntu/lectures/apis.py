"""REST wiring of the lecture menu: reads from selectors, writes through services, lookups by access."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_order_for_user, get_public_topic
from .serializers import (
    FiguresQuerySerializer,
    OrderActionSerializer,
    OrderCreateSerializer,
    OrderSerializer,
    TopicSerializer,
)

TAGS = ["菜单式宣讲"]



class TopicListApi(generics.ListAPIView):
    """宣讲菜单（公开）：上架的宣讲题目。"""

    serializer_class = TopicSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_menu()

    @extend_schema(tags=TAGS, summary="宣讲菜单", responses={200: TopicSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OrderListApi(generics.ListAPIView):
    """点单列表：本人数据范围内宣讲团收到的点单；POST 点菜。"""

    serializer_class = OrderSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.orders_visible_to(self.request.user).order_by("-starts_at", "-id")

    @extend_schema(tags=TAGS, summary="点单列表", responses={200: OrderSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="点菜", request=OrderCreateSerializer,
                   responses={201: OrderSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        data = validated(OrderCreateSerializer, request.data)
        topic = get_public_topic(data.pop("topic"))
        order = services.order_create(actor=request.user, topic=topic, **data)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class MyOrdersApi(generics.ListAPIView):
    serializer_class = OrderSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.orders_of_orderer(self.request.user)

    @extend_schema(tags=TAGS, summary="我的点单", responses={200: OrderSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _order(request, pk):
    own = selectors.orders_of_orderer(request.user).filter(pk=pk).first()
    return own or get_order_for_user(request.user, pk)


class OrderDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="点单详情", responses={200: OrderSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(OrderSerializer(_order(request, pk)).data)


class OrderActionApi(APIView):
    """配菜、送菜、评菜、不予受理、取消：按声明的流程检查。"""

    @extend_schema(tags=TAGS, summary="点单流转", request=OrderActionSerializer,
                   responses={200: OrderSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        order = _order(request, pk)
        data = validated(OrderActionSerializer, request.data)
        action = data["action"]
        if action == "assign":
            if data.get("lecturer") is None:
                raise ValidationError({"lecturer": "请选择宣讲员。"})
            lecturer = get_object_or_404(order.team.lecturers.all(), pk=data["lecturer"])
            order = services.order_assign(actor=request.user, order=order, lecturer=lecturer)
        elif action == "deliver":
            order = services.order_deliver(actor=request.user, order=order, attendance=data.get("attendance"),
                                           summary=data["summary"], members=data["members"])
        elif action == "rate":
            services.order_rate(actor=request.user, order=order, score=data.get("score"), comment=data["comment"])
            order.refresh_from_db()
        elif action == "decline":
            order = services.order_decline(actor=request.user, order=order, reason=data["reason"])
        else:
            order = services.order_cancel(actor=request.user, order=order, reason=data["reason"])
        return Response(OrderSerializer(order).data)


class FiguresApi(APIView):
    """各宣讲团的宣讲员、题目、场次、受众和评菜平均分（本人数据范围内，按宣讲日期）。"""

    @extend_schema(tags=TAGS, summary="宣讲统计", parameters=[FiguresQuerySerializer],
                   responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401)})
    def get(self, request):
        query = validated(FiguresQuerySerializer, request.query_params.dict())
        rows = selectors.figures_by_team(request.user, start=query.get("start"), end=query.get("end"))
        return Response({"teams": [{**{key: value for key, value in row.items() if key != "team"},
                                    "team": row["team"].pk, "name": row["team"].name} for row in rows]})

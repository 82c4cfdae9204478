"""REST wiring of venues: reads from selectors, writes through services, lookups by access.

The venue directory and the circle are public data (any signed-in user); bookings are listed only
within the user's data scope (staff) or as the user's own.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses

from . import geo, selectors, services
from .access import get_booking_for_user, get_public_venue
from .models import Room
from .serializers import (
    BookingCreateSerializer,
    BookingFilterSerializer,
    BookingSerializer,
    BookingTransitionSerializer,
    CircleQuerySerializer,
    CircleVenueSerializer,
    UsageQuerySerializer,
    VenueSerializer,
)

TAGS = ["阵地预约"]



class VenueListApi(generics.ListAPIView):
    """阵地名录（公开信息：名称、地址、开放时间、活动室）。"""

    serializer_class = VenueSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_venues().prefetch_related("rooms")

    @extend_schema(tags=TAGS, summary="阵地名录", responses={200: VenueSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class VenueDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="阵地详情", responses={200: VenueSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(VenueSerializer(get_public_venue(pk)).data)


class CircleApi(APIView):
    """十五分钟党群活动圈：某点步行可达的阵地，由近及远。"""

    @extend_schema(tags=TAGS, summary="十五分钟党群活动圈", parameters=[CircleQuerySerializer],
                   responses={200: CircleVenueSerializer(many=True), **error_responses(400, 401)})
    def get(self, request):
        query = validated(CircleQuerySerializer, request.query_params.dict())
        latitude, longitude = geo.to_wgs84(query["latitude"], query["longitude"], query["crs"])
        services.check_point(latitude, longitude)
        rows = selectors.circle(latitude=latitude, longitude=longitude, minutes=query.get("minutes"))
        return Response(CircleVenueSerializer(rows, many=True).data)


class BookingListApi(generics.ListAPIView):
    """预约列表：本人数据范围内各阵地的预约；POST 以本人名义预约活动室。"""

    serializer_class = BookingSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(BookingFilterSerializer, self.request.query_params.dict())
        bookings = selectors.bookings_visible_to(self.request.user)
        if filters.get("status"):
            bookings = bookings.filter(status=filters["status"])
        if filters.get("venue"):
            bookings = bookings.filter(room__venue_id=filters["venue"])
        return bookings.order_by("-starts_at", "-id")

    @extend_schema(tags=TAGS, summary="预约列表", parameters=[BookingFilterSerializer],
                   responses={200: BookingSerializer(many=True), **error_responses(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="预约活动室", request=BookingCreateSerializer,
                   responses={201: BookingSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        data = validated(BookingCreateSerializer, request.data)
        room = get_object_or_404(Room.objects.filter(venue__in=selectors.public_venues()).select_related("venue"),
                                 pk=data.pop("room"))
        booking = services.booking_create(actor=request.user, room=room, **data)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class MyBookingsApi(generics.ListAPIView):
    serializer_class = BookingSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.bookings_of_booker(self.request.user)

    @extend_schema(tags=TAGS, summary="我的预约", responses={200: BookingSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BookingDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="预约详情", responses={200: BookingSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(BookingSerializer(get_booking_for_user(request.user, pk)).data)


class BookingTransitionApi(APIView):
    @extend_schema(tags=TAGS, summary="审核、取消、登记未到场", request=BookingTransitionSerializer,
                   responses={200: BookingSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        own = selectors.bookings_of_booker(request.user).filter(pk=pk).first()
        booking = own or get_booking_for_user(request.user, pk)
        data = validated(BookingTransitionSerializer, request.data)
        booking = services.booking_transition(actor=request.user, booking=booking, **data)
        return Response(BookingSerializer(booking).data)


class UsageApi(APIView):
    """各阵地的预约、签到、未到场与使用时长（本人数据范围内）。"""

    @extend_schema(tags=TAGS, summary="阵地使用情况", parameters=[UsageQuerySerializer], responses={200: OpenApiTypes.OBJECT,
                                                                                            **error_responses(400, 401)})
    def get(self, request):
        query = validated(UsageQuerySerializer, request.query_params.dict())
        venues = selectors.venues_visible_to(request.user)
        usage = selectors.usage_by_venue(venues, start=query.get("start"), end=query.get("end"))
        names = dict(venues.filter(pk__in=list(usage)).values_list("pk", "name"))
        return Response({"venues": [{"venue": pk, "name": names.get(pk, ""), **row} for pk, row in usage.items()]})

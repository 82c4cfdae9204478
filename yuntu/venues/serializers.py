"""Shapes of the venues API. No business rules: writes go to `yuntu.venues.services`."""

from rest_framework import serializers

from .models import Booking, Room, Venue
from .workflow import BOOKING_TRANSITIONS, BookingStatus


class RoomSerializer(serializers.ModelSerializer):
    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "equipment", "is_active"]


class VenueSerializer(serializers.ModelSerializer):
    level = serializers.CharField(read_only=True, help_text="district 区党群服务中心 · street 街道党建服务中心 · "
                                  "community 社区（村）党群服务中心 · estate 小区党群之家 · agency 机关单位活动室")
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    rooms = RoomSerializer(many=True, read_only=True)

    class Meta:
        model = Venue
        fields = ["id", "name", "level", "level_label", "address", "latitude", "longitude", "phone", "opens_at",
                  "closes_at", "open_weekdays", "closed_on_public_holidays", "needs_approval", "is_active", "rooms"]


class CircleQuerySerializer(serializers.Serializer):
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    crs = serializers.ChoiceField(["wgs84", "gcj02"], default="wgs84", help_text="坐标系：手机定位为 wgs84，国内地图选点为 gcj02")
    minutes = serializers.IntegerField(min_value=1, max_value=60, required=False, help_text="步行分钟数，缺省为设置值（15）")


class CircleVenueSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="venue.pk")
    name = serializers.CharField(source="venue.name")
    level = serializers.CharField(source="venue.level")
    address = serializers.CharField(source="venue.address")
    latitude = serializers.DecimalField(source="venue.latitude", max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(source="venue.longitude", max_digits=9, decimal_places=6)
    walking_minutes = serializers.IntegerField()
    walking_metres = serializers.IntegerField(source="distance_m")


class BookingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    venue = serializers.IntegerField(source="room.venue_id", read_only=True)
    room_name = serializers.CharField(source="room.name", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "number", "venue", "room", "room_name", "booker_kind", "booker_label", "purpose", "attendees",
                  "starts_at", "ends_at", "status", "status_label", "reason", "checked_in_at"]


class BookingCreateSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)
    attendees = serializers.IntegerField(min_value=1, max_value=9999)


class BookingTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField([name for name in BOOKING_TRANSITIONS if name != "check_in"],
                                     help_text="approve 审核通过 · reject 不予通过 · cancel 取消 · no_show 登记未到场")
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class UsageQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class BookingFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(BookingStatus.values, required=False)
    venue = serializers.IntegerField(required=False)

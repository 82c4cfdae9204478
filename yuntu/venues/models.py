import secrets

from django.db import models

from yuntu.core.models import TimestampedModel
from yuntu.orgs.models import Org, OrgScopedModel, PartnerUnit, subtree_path_index

from .workflow import BookingStatus

SLOT_MINUTES = 30  # bookings start and end on the half hour; one time cell per half hour


def new_token() -> str:
    return secrets.token_urlsafe(16)


class VenueLevel(models.TextChoices):
    DISTRICT = "district", "区党群服务中心"
    STREET = "street", "街道党建服务中心"
    COMMUNITY = "community", "社区（村）党群服务中心"
    ESTATE = "estate", "小区党群之家"
    AGENCY = "agency", "机关单位活动室"


class Venue(OrgScopedModel):
    """阵地: a service centre or activity room run by an org, with hours and rooms residents may book.

    Coordinates are WGS-84; the (latitude, longitude) index bounds the 15-minute circle's query.
    """

    name = models.CharField("名称", max_length=128)
    level = models.CharField("阵地层级", max_length=16, choices=VenueLevel.choices)
    address = models.CharField("地址", max_length=255)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    phone = models.CharField("联系电话", max_length=32, blank=True)
    description = models.TextField("简介", blank=True)
    opens_at = models.TimeField("开放时间")
    closes_at = models.TimeField("关闭时间")
    open_weekdays = models.CharField("开放日", max_length=7, default="1234567",
                                     help_text="开放的星期，1=周一 … 7=周日，例如 12345 为工作日开放")
    closed_on_public_holidays = models.BooleanField("法定节假日闭馆", default=True)
    needs_approval = models.BooleanField("预约须审核", default=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "阵地"
        verbose_name_plural = "阵地"
        ordering = ["name", "id"]
        indexes = [subtree_path_index("venue_org_path", "org_path"),
                   models.Index(fields=["latitude", "longitude"], name="venue_lat_lng")]
        constraints = [models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                              name="venue_closes_after_opening",
                                              violation_error_message="关闭时间须晚于开放时间。")]

    def __str__(self) -> str:
        return self.name


class ClosedDay(models.Model):
    """A date the venue is closed besides its weekly closed days and public holidays (e.g. maintenance)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField("闭馆日期")
    reason = models.CharField("原因", max_length=64, blank=True)

    class Meta:
        verbose_name = "闭馆日"
        verbose_name_plural = "闭馆日"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["venue", "date"], name="closed_day_once_per_venue")]


class VenuePhoto(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField("照片", upload_to="venues/%Y/%m/")
    caption = models.CharField("说明", max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)


class Room(TimestampedModel):
    """A bookable room of a venue; its check-in QR code (posted in the room) carries `checkin_token`."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name="阵地")
    name = models.CharField("名称", max_length=64)
    capacity = models.PositiveSmallIntegerField("容纳人数")
    equipment = models.CharField("设施设备", max_length=255, blank=True, help_text="用顿号分隔，例如：投影仪、音响、白板")
    is_active = models.BooleanField("可预约", default=True)
    checkin_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = "活动室"
        verbose_name_plural = "活动室"
        ordering = ["venue", "name", "id"]

    def __str__(self) -> str:
        return f"{self.venue.name} · {self.name}"

    @property
    def equipment_list(self) -> list[str]:
        return [item for item in self.equipment.replace(",", "、").replace("，", "、").split("、") if item.strip()]


class BookerKind(models.TextChoices):
    RESIDENT = "resident", "个人（群众）"
    ORG = "org", "党组织"
    PARTNER = "partner", "共建单位"


class Booking(OrgScopedModel):
    """阵地预约: a room for a time, owned by the venue's org (`org`), made by a resident, an org or a partner unit."""

    number = models.CharField("预约号", max_length=32, unique=True)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name="活动室")
    booker = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="bookings", verbose_name="预约人")
    booker_kind = models.CharField("预约主体", max_length=16, choices=BookerKind.choices, default=BookerKind.RESIDENT)
    booker_org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="预约党组织")
    partner_unit = models.ForeignKey(PartnerUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="共建单位")
    booker_label = models.CharField("预约方", max_length=128)
    purpose = models.CharField("活动内容", max_length=200)
    attendees = models.PositiveSmallIntegerField("预计人数")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    booked_on = models.DateField("使用日期")
    minutes = models.PositiveIntegerField("时长（分钟）")
    status = models.CharField("状态", max_length=16, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED)
    reason = models.CharField("原因", max_length=255, blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)

    class Meta:
        verbose_name = "阵地预约"
        verbose_name_plural = "阵地预约"
        ordering = ["-starts_at", "-id"]
        indexes = [
            subtree_path_index("booking_org_path", "org_path"),
            models.Index(fields=["room", "starts_at"], name="booking_room_start"),
            models.Index(fields=["status", "starts_at"], name="booking_status_start"),
            models.Index(fields=["booker", "starts_at"], name="booking_booker_start"),
            models.Index(fields=["booked_on"], name="booking_booked_on"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="booking_ends_after_start",
                                              violation_error_message="结束时间须晚于开始时间。")]

    def __str__(self) -> str:
        return f"{self.number} {self.room.name}"


class BookingSlot(models.Model):
    """One half hour of a room held by a booking; the unique pair refuses an overlapping second booking."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "starts_at"], name="booking_slot_once_per_room")]


class BookingEvent(models.Model):
    """The timeline of a booking."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    label = models.CharField(max_length=64)
    text = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]


class OrgOutline(OrgScopedModel):
    """The outline of an org's area (WGS-84 [[lat, lng], …]), drawn on the circle's map even offline."""

    name = models.CharField("名称", max_length=64)
    points = models.JSONField("边界点")

    class Meta:
        verbose_name = "组织区域边界"
        verbose_name_plural = "组织区域边界"
        indexes = [subtree_path_index("outline_org_path", "org_path")]
        constraints = [models.UniqueConstraint(fields=["org"], name="outline_once_per_org")]

    def __str__(self) -> str:
        return self.name

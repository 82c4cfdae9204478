"""Forms of the venue pages: they parse and show errors; the rules live in the services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuntu.accounts.policy import scope_paths
from yuntu.accounts.roles import Permission
from yuntu.orgs.forms import add_service_errors
from yuntu.orgs.models import Org, PartnerUnit

from .models import BookerKind, Room, Venue, VenueLevel

REQUIRED = {"required": _("请填写此项。")}
WEEKDAYS = [("1", _("周一")), ("2", _("周二")), ("3", _("周三")), ("4", _("周四")), ("5", _("周五")), ("6", _("周六")),
            ("7", _("周日"))]


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        add_service_errors(self, error)


class LocateForm(forms.Form):
    """Where the resident is: a typed address, or a point from the phone (WGS-84) or the map (tiles' CRS)."""

    address = forms.CharField(label=_("地址或小区名称"), max_length=64, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：海沧招商花园城"), "autocomplete": "street-address"}))
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput(attrs={"data-point": "latitude"}))
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput(attrs={"data-point": "longitude"}))
    crs = forms.ChoiceField(choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02")], required=False,
                            widget=forms.HiddenInput(attrs={"data-point": "crs"}))

    def clean(self):
        data = super().clean()
        has_point = data.get("latitude") is not None and data.get("longitude") is not None
        if not has_point and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("请输入地址，或使用当前位置。"))
        data["crs"] = data.get("crs") or "wgs84"
        return data


class BookingForm(ServiceErrorsMixin, forms.Form):
    room = forms.ModelChoiceField(label=_("活动室"), queryset=Room.objects.none(), error_messages=REQUIRED)
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages={**REQUIRED, "invalid": _("请输入有效日期。")})
    start = forms.ChoiceField(label=_("开始时间"), error_messages=REQUIRED)
    end = forms.ChoiceField(label=_("结束时间"), error_messages=REQUIRED)
    purpose = forms.CharField(label=_("活动内容"), max_length=200, error_messages=REQUIRED,
                              widget=forms.TextInput(attrs={"placeholder": _("例如：楼栋议事会、党小组学习")}))
    attendees = forms.IntegerField(label=_("预计人数"), min_value=1, max_value=999, error_messages=REQUIRED)
    booker_kind = forms.ChoiceField(label=_("预约主体"), choices=[(BookerKind.RESIDENT, BookerKind.RESIDENT.label)],
                                    initial=BookerKind.RESIDENT)
    booker_org = forms.ModelChoiceField(label=_("党组织"), queryset=Org.objects.none(), required=False)
    partner_unit = forms.ModelChoiceField(label=_("共建单位"), queryset=PartnerUnit.objects.none(), required=False)

    def __init__(self, *args, venue: Venue, user, times: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.venue = venue
        self.fields["room"].queryset = venue.rooms.filter(is_active=True)
        self.fields["room"].label_from_instance = lambda room: _("%(name)s（可容纳%(capacity)s人）") % {
            "name": room.name, "capacity": room.capacity}
        self.fields["start"].choices = [(time, time) for time in times[:-1]]
        self.fields["end"].choices = [(time, time) for time in times[1:]]
        kinds = [(BookerKind.RESIDENT, BookerKind.RESIDENT.label)]
        paths = scope_paths(user, Permission.ORG_VIEW) if user.is_authenticated else []
        if paths and "" not in paths:
            orgs = Org.objects.filter(path__in=paths).order_by("path")
            self.fields["booker_org"].queryset = orgs
            kinds.append((BookerKind.ORG, BookerKind.ORG.label))
        if user.is_authenticated and venue.pk and any(venue.org_path.startswith(p) for p in
                                                      scope_paths(user, Permission.VENUES_MANAGE)):
            self.fields["partner_unit"].queryset = PartnerUnit.objects.filter(org_path__under=venue.org_path)
            kinds.append((BookerKind.PARTNER, BookerKind.PARTNER.label))
        self.fields["booker_kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["booker_kind"].widget = forms.HiddenInput()

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        day = data["day"]
        start = datetime.datetime.combine(day, datetime.time.fromisoformat(data["start"]))
        end = datetime.datetime.combine(day, datetime.time.fromisoformat(data["end"]))
        if data["end"] == "00:00":
            end += datetime.timedelta(days=1)
        return timezone.make_aware(start), timezone.make_aware(end)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=255, required=False)


class VenueForm(ServiceErrorsMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=Org.objects.none(), error_messages=REQUIRED)
    name = forms.CharField(label=_("名称"), max_length=128, error_messages=REQUIRED)
    level = forms.ChoiceField(label=_("阵地层级"), choices=VenueLevel.choices, error_messages=REQUIRED)
    address = forms.CharField(label=_("地址"), max_length=255, error_messages=REQUIRED)
    latitude = forms.DecimalField(label=_("纬度（WGS-84）"), max_digits=9, decimal_places=6, error_messages=REQUIRED)
    longitude = forms.DecimalField(label=_("经度（WGS-84）"), max_digits=9, decimal_places=6, error_messages=REQUIRED)
    opens_at = forms.TimeField(label=_("开放时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               error_messages=REQUIRED)
    closes_at = forms.TimeField(label=_("关闭时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                error_messages=REQUIRED)
    open_weekdays = forms.MultipleChoiceField(label=_("开放日"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple,
                                              error_messages=REQUIRED)
    closed_on_public_holidays = forms.BooleanField(label=_("法定节假日闭馆"), required=False)
    needs_approval = forms.BooleanField(label=_("预约须审核"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if editing:
            del self.fields["org"]


class RoomForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("活动室名称"), max_length=64, error_messages=REQUIRED)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=2000, error_messages=REQUIRED)
    equipment = forms.CharField(label=_("设施设备"), max_length=255, required=False,
                                help_text=_("用顿号分隔，例如：投影仪、音响、白板"))


class ClosedDayForm(ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("闭馆日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={**REQUIRED, "invalid": _("请输入有效日期。")})
    reason = forms.CharField(label=_("原因"), max_length=64, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosForm(forms.Form):
    photos = forms.Field(label=_("阵地照片"), widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
                         required=False, help_text=_("JPG、PNG或WebP，每张不超过5MB"))
    caption = forms.CharField(label=_("说明"), max_length=64, required=False)

    def clean_photos(self):
        return self.files.getlist("photos") if self.files else []

"""Forms of organisational life: they only clean input; the services decide and write."""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .workflow import MeetingKind, MeetingStatus


class MeetingForm(forms.Form):
    org = forms.ModelChoiceField(label=_("召开组织"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("名称"), max_length=128)
    starts_at = forms.DateTimeField(label=_("时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                                 format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    topics = forms.CharField(label=_("议题（每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, orgs=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议记录"), widget=forms.Textarea(attrs={"rows": 8}))


class PhotosForm(forms.Form):
    photos = forms.FileField(label=_("会议照片（JPG、PNG，每张不超过10MB）"),
                             widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=255)


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *MeetingKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *MeetingStatus.choices])
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"kind": data.get("kind", ""), "status": data.get("status", ""), "start": data.get("start"),
                "end": data.get("end")}


def default_start() -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)


class DuesDeclareForm(forms.Form):
    member = forms.ModelChoiceField(label=_("党员"), queryset=None)
    month = forms.DateField(label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    income = forms.DecimalField(label=_("申报月收入（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0"))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class DuesPayForm(forms.Form):
    paid_amount = forms.DecimalField(label=_("实交（元）"), max_digits=8, decimal_places=2, min_value=Decimal("0"))
    paid_on = forms.DateField(label=_("交纳日期"), widget=forms.DateInput(attrs={"type": "date"}))


class DuesTableForm(forms.Form):
    effective_from = forms.DateField(label=_("执行月份"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                                     input_formats=["%Y-%m", "%Y-%m-%d"])
    table = forms.CharField(label=_("标准表（每行：月收入以上（元），比例%）"), widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("例如：0,0.5 / 3000,1 / 5000,1.5 / 10000,2"))

    def clean_table(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["table"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            try:
                lower, percent = Decimal(parts[0]), Decimal(parts[1].rstrip("%"))
            except (IndexError, ArithmeticError, ValueError):
                raise forms.ValidationError(_("第%(number)s行无法识别，应为“月收入以上,比例%%”。") % {"number": number}) from None
            rows.append((lower, percent / 100))
        return rows

"""The dashboard's filter: a period (both ends inclusive, either may be open)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError(_("截止日期不能早于起始日期。"))
        return data

    def period(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {"start": None, "end": None}
        return {"start": self.cleaned_data.get("start"), "end": self.cleaned_data.get("end")}

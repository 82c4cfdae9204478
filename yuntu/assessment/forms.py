from django import forms
from django.utils.translation import gettext_lazy as _

from .workflow import AlertStatus, Severity


class AlertFilterForm(forms.Form):
    rule = forms.ChoiceField(label=_("规则"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("未消除的")), *AlertStatus.choices])
    severity = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部级别")), *Severity.choices])

    def __init__(self, *args, rule_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [("", _("全部规则")), *rule_choices]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: data.get(key, "") for key in ("rule", "status", "severity")}


class CircularGenerateForm(forms.Form):
    start = forms.DateField(label=_("期间开始"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("期间结束"), widget=forms.DateInput(attrs={"type": "date"}))


class CircularForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=128)
    lapses = forms.CharField(label=_("存在问题的单位"), widget=forms.Textarea(attrs={"rows": 10}))
    commendations = forms.CharField(label=_("表现突出的单位"), widget=forms.Textarea(attrs={"rows": 5}))
    closing = forms.CharField(label=_("工作要求"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WeakLaxForm(forms.Form):
    org = forms.ModelChoiceField(label=_("党组织"), queryset=None)
    reason = forms.CharField(label=_("主要问题"), widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label=_("整顿方案"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from yuntu.orgs.models import Level

from .workflow import AlertStatus, ItemMethod, Severity


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


class SchemeForm(forms.Form):
    org = forms.ModelChoiceField(label=_("制定单位"), queryset=None)
    name = forms.CharField(label=_("方案名称"), max_length=128)
    target_level = forms.ChoiceField(label=_("考核对象层级"), choices=[
        (value, label) for value, label in Level.choices if value != Level.DISTRICT], initial=Level.BRANCH)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if orgs is None:  # a scheme being corrected keeps the org that set it
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs
            self.fields["org"].initial = orgs.first()  # the user's own top org: a scheme is usually set there


class SchemeItemForm(forms.Form):
    """One row of a scheme: an item scored by an assessor, or from an indicator up to the value that earns full marks."""

    name = forms.CharField(label=_("考评项目"), max_length=128)
    max_score = forms.DecimalField(label=_("满分"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"))
    method = forms.ChoiceField(label=_("计分方式"), choices=ItemMethod.choices, initial=ItemMethod.ASSESSOR)
    indicator = forms.ChoiceField(label=_("指标（自动计分）"), required=False)
    full_at = forms.DecimalField(label=_("满分对应指标值"), required=False, max_digits=10, decimal_places=2,
                                 min_value=Decimal("0.01"))

    def __init__(self, *args, **kwargs):
        from yuntu.indicators import registry

        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "—"), *((indicator.code, indicator.name)
                                                         for indicator in registry.all_indicators())]


class StarForm(forms.Form):
    stars = forms.IntegerField(label=_("星级"), min_value=1, max_value=5)
    min_score = forms.DecimalField(label=_("最低得分"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"))


SchemeItemFormSet = forms.formset_factory(SchemeItemForm, extra=8, max_num=40, absolute_max=40, validate_max=True)
StarFormSet = forms.formset_factory(StarForm, extra=3, max_num=5, absolute_max=5, validate_max=True)
SchemeItemEditFormSet = forms.formset_factory(SchemeItemForm, extra=4, max_num=40, absolute_max=40, validate_max=True,
                                              can_delete=True)
StarEditFormSet = forms.formset_factory(StarForm, extra=2, max_num=5, absolute_max=5, validate_max=True,
                                        can_delete=True)


class SchemeDeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("确认删除该方案（删除后不能恢复）"),
                                 error_messages={"required": _("请勾选确认后再删除。")})


class PeriodForm(forms.Form):
    org = forms.ModelChoiceField(label=_("考核组织（其下级单位参评）"), queryset=None)
    name = forms.CharField(label=_("考核期名称"), max_length=64)
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

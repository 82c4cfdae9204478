"""Forms of the briefing pages: shapes of the input; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT

from . import reading
from .workflow import BriefingKind

TEMPLATE_HELP = _("占位符：{ledger.problems} 或 {梳理问题} 写入指标数值；{table:ledger.problems,ledger.measures} 插入下级单位表；"
                  "{list:ledger.problems:5} 列出记录；{单位}、{期间}、{期号}、{日期}。以 # 开头的行为小标题。")


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("模板名称"), max_length=64)
    kind = forms.ChoiceField(label=_("类型"), choices=BriefingKind.choices)
    title = forms.CharField(label=_("标题"), max_length=128)
    body = forms.CharField(label=_("正文模板"), widget=forms.Textarea(attrs={"rows": 16}), help_text=TEMPLATE_HELP)
    org = forms.ModelChoiceField(label=_("所属单位"), queryset=None, empty_label=None)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class GenerateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("模板"), queryset=None, empty_label=None)
    series = forms.ModelChoiceField(label=_("简报系列"), queryset=None, empty_label=None)
    org = forms.ModelChoiceField(label=_("统计范围"), queryset=None, empty_label=None)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def __init__(self, *args, templates=None, series=None, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["series"].queryset = series
        self.fields["org"].queryset = orgs


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=128)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 20}), help_text=TEMPLATE_HELP)


class ReportForm(forms.Form):
    file = forms.FileField(label=_("报送材料（文本或 Word .docx，不超过 10 MB）"))
    org = forms.ModelChoiceField(label=_("报送单位"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("标题"), max_length=255, required=False)
    start = forms.DateField(label=_("所属期间起"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("所属期间止"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reading.MAX_BYTES:
            raise forms.ValidationError(_("文件过大，报送材料不能超过 10 MB。"))
        return upload


class ConfirmForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("对应指标"), required=False)
    accept = forms.BooleanField(label=_("采用"), required=False, initial=True)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = [("", "—")] + list(choices)

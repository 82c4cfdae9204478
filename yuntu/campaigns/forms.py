"""Forms of the campaign pages: they check the shape of the input; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT, REQUIRED

from . import services

# Status and action labels live in `workflow` as Chinese text; listed here so that `makemessages`
# offers them and templates can show them with `{% translate label %}`.
CHOICE_LABELS = [
    gettext_noop("筹备中"), gettext_noop("推进中"), gettext_noop("已结束"), gettext_noop("未开始"), gettext_noop("已完成"),
    gettext_noop("启动"), gettext_noop("结束"), gettext_noop("重新启动"), gettext_noop("开始推进"), gettext_noop("报告完成"),
    gettext_noop("退回重办"),
]


def _date(label, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                           error_messages={**REQUIRED, **DATE_ERRORS})


def _orgs(queryset, label) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=queryset, label=label,
                                   error_messages={**REQUIRED, "invalid_choice": _("所选单位不在可选范围内。")})
    field.label_from_instance = lambda org: "　" * max(org.depth - 1, 0) + org.name
    return field


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("专项行动名称"), max_length=128, error_messages=REQUIRED)
    goal = forms.CharField(label=_("工作目标"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_date = _date(_("开始日期"))
    end_date = _date(_("结束日期"))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _orgs(orgs, _("牵头单位")), **self.fields}


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目"), max_length=128, error_messages=REQUIRED)
    owner_name = forms.CharField(label=_("项目负责人"), max_length=64, error_messages=REQUIRED)
    site = forms.CharField(label=_("项目地点"), max_length=128, required=False)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    planned_start = _date(_("计划开始"))
    planned_end = _date(_("计划完成"))
    description = forms.CharField(label=_("项目内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _orgs(orgs, _("牵头单位")), **self.fields}


class TaskForm(forms.Form):
    name = forms.CharField(label=_("任务"), max_length=255, error_messages=REQUIRED)
    key_point = forms.CharField(label=_("工作要点"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_name = forms.CharField(label=_("责任人"), max_length=64, error_messages=REQUIRED)
    planned_start = _date(_("计划开始"))
    planned_end = _date(_("计划完成"))
    deadline = _date(_("完成时限"))

    def __init__(self, *args, orgs, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _orgs(orgs, _("责任单位")), **self.fields}
        self.fields["post"] = forms.ModelChoiceField(queryset=posts, label=_("岗位"), required=False,
                                                     error_messages={"invalid_choice": _("岗位不属于该项目。")})


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100,
                                 error_messages={**REQUIRED, "invalid": _("请填写0到100之间的整数。"),
                                                 "min_value": _("进度应在0到100之间。"),
                                                 "max_value": _("进度应在0到100之间。")})
    text = forms.CharField(label=_("进展情况"), error_messages=REQUIRED, widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("进度回调原因"), required=False, max_length=255,
                             help_text=_("进度比上次低时必须填写。"))
    evidence = forms.FileField(label=_("佐证材料"), required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(services.EVIDENCE_EXTENSIONS))}),
                               help_text=_("限图片、PDF、Word、Excel，不超过10MB。"))


class TransitionForm(forms.Form):
    transition = forms.CharField(max_length=32, error_messages={"required": _("请选择要执行的操作。"),
                                                                "max_length": _("未知的操作。")})
    reason = forms.CharField(label=_("原因"), required=False, max_length=255)


class HQForm(forms.Form):
    hq_name = forms.CharField(label=_("项目指挥部"), max_length=128, error_messages=REQUIRED)
    branch_name = forms.CharField(label=_("临时党支部名称"), max_length=128, error_messages=REQUIRED)


class HQMemberForm(forms.Form):
    duty = forms.CharField(label=_("职务"), max_length=64, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"member": forms.ModelChoiceField(
            queryset=members, label=_("党员"), error_messages={**REQUIRED, "invalid_choice": _("所选党员不在可选范围内。")}),
            **self.fields}
        self.fields["member"].label_from_instance = lambda member: f"{member.name}（{member.org.short_name or member.org.name}）"


class PostForm(forms.Form):
    name = forms.CharField(label=_("岗位"), max_length=64, error_messages=REQUIRED)
    duties = forms.CharField(label=_("岗位职责"), error_messages=REQUIRED, widget=forms.Textarea(attrs={"rows": 2}))
    holder_name = forms.CharField(label=_("在岗人"), max_length=64, error_messages=REQUIRED)


class MarkForm(forms.Form):
    month = forms.DateField(label=_("考核月份"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            error_messages={**REQUIRED, "invalid": _("请选择考核月份。")})
    points = forms.IntegerField(label=_("加减分"), min_value=-services.MARK_LIMIT, max_value=services.MARK_LIMIT,
                                error_messages={**REQUIRED, "invalid": _("请填写整数分值。"),
                                                "min_value": _("加减分应在-20到20分之间。"),
                                                "max_value": _("加减分应在-20到20分之间。")})
    reason = forms.CharField(label=_("理由"), max_length=255, error_messages={"required": _("加减分须说明理由。")})


class ImportForm(forms.Form):
    file = forms.FileField(label=_("路线图文件（.xlsx）"), error_messages={"required": _("请选择要导入的文件。")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

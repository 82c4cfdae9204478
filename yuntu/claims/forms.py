"""Forms of the claims pages: they check the shape of the input; the services decide the rest and
their Chinese messages are shown by the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT, REQUIRED
from yuntu.orgs.models import Level, Member, Org
from yuntu.voices.forms import PhotoField

from .models import CLAIMANTS_MAX, TEXT_MAX, NeedCategory, NeedKind, Pledge, ServiceKind
from .workflow import PUBLIC_NEED_STATUSES, NeedStatus

# Choice and transition labels, listed so that `makemessages` offers them to translators.
CHOICE_LABELS = [
    gettext_noop("待认领"), gettext_noop("已认领"), gettext_noop("已完成"), gettext_noop("已撤回"),
    gettext_noop("待确认"), gettext_noop("已确认"), gettext_noop("已放弃"), gettext_noop("提交完成情况"),
    gettext_noop("放弃认领"), gettext_noop("确认完成"), gettext_noop("退回补充"), gettext_noop("认领"),
    gettext_noop("助老助残"), gettext_noop("助学圆梦"), gettext_noop("生活帮扶"), gettext_noop("环境整治"),
    gettext_noop("医疗健康"), gettext_noop("法律咨询"), gettext_noop("文体活动"), gettext_noop("其他"),
    gettext_noop("微心愿"), gettext_noop("群众需求"), gettext_noop("单位党组织报到"), gettext_noop("在职党员报到"),
    gettext_noop("认领微心愿"), gettext_noop("志愿服务"), gettext_noop("社区报到服务"), gettext_noop("需求已撤回"),
    gettext_noop("个"), gettext_noop("人"), gettext_noop("人次"), gettext_noop("小时"),
]


def _decimal_hours(label):
    return forms.DecimalField(label=label, min_value=0.1, max_value=24, decimal_places=1, max_digits=4,
                              error_messages={**REQUIRED, "invalid": _("请填写数字，如 2 或 1.5。"),
                                              "min_value": _("服务时长应大于0且不超过24小时。"),
                                              "max_value": _("服务时长应大于0且不超过24小时。"),
                                              "max_decimal_places": _("服务时长最多保留一位小数。")})


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *NeedCategory.choices])
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部状态"))] + [(value, NeedStatus(value).label)
                                                               for value in PUBLIC_NEED_STATUSES])

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"query": (data.get("q") or "").strip(), "category": data.get("category") or "",
                "status": data.get("status") or ""}


class NeedForm(forms.Form):
    org = forms.ModelChoiceField(label=_("发布组织"), queryset=Org.objects.none(), error_messages={
        **REQUIRED, "invalid_choice": _("请选择您管理范围内的社区或党支部。")})
    kind = forms.ChoiceField(label=_("类型"), choices=NeedKind.choices, initial=NeedKind.WISH)
    category = forms.ChoiceField(label=_("类别"), choices=NeedCategory.choices, error_messages=REQUIRED)
    title = forms.CharField(label=_("标题"), max_length=64, error_messages=REQUIRED)
    description = forms.CharField(label=_("需求说明"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages=REQUIRED)
    address = forms.CharField(label=_("服务地点"), max_length=255, error_messages=REQUIRED)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    claimants_needed = forms.IntegerField(label=_("需认领人数"), min_value=1, max_value=CLAIMANTS_MAX, initial=1,
                                          error_messages={**REQUIRED, "min_value": _("需认领人数应为1至50人。"),
                                                          "max_value": _("需认领人数应为1至50人。")})
    deadline = forms.DateField(label=_("截止日期"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                               error_messages={**REQUIRED, **DATE_ERRORS})
    photos = PhotoField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible(user, Org, Permission.CLAIMS_POST).filter(
            level__in=(Level.COMMUNITY, Level.BRANCH), is_active=True).order_by("path")


class ProofForm(forms.Form):
    proof_text = forms.CharField(label=_("完成情况"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                                 error_messages=REQUIRED)
    hours = _decimal_hours(_("服务时长（小时）"))
    photos = PhotoField(label=_("完成照片"), help_text=_("至少1张，最多6张，JPG/PNG/WebP，每张不超过5MB。"))
    pledge = forms.ModelChoiceField(label=_("计入我的承诺事项（可选）"), queryset=Pledge.objects.none(), required=False)

    def __init__(self, *args, member=None, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None:
            self.fields["pledge"].queryset = Pledge.objects.filter(member=member, year=year)
        else:
            del self.fields["pledge"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=255, required=False)


class MemberReportForm(forms.Form):
    home_address = forms.CharField(label=_("居住地址"), max_length=255, error_messages=REQUIRED,
                                   help_text=_("填写小区、楼栋和门牌，系统据此找到您居住地的社区。"))
    community = forms.ModelChoiceField(label=_("报到社区"), queryset=Org.objects.none(), required=False,
                                       error_messages={"invalid_choice": _("请选择报到的社区（村）。")})

    def __init__(self, *args, member=None, **kwargs):
        """Only a party member is offered the deployment's communities to choose from."""
        super().__init__(*args, **kwargs)
        from .selectors import reporting_communities

        if member is not None:
            self.fields["community"].queryset = reporting_communities()
        else:
            self.fields["community"].widget = forms.HiddenInput()


class BranchReportForm(forms.Form):
    """Community staff register any branch (by its id) with a community of theirs; a branch secretary
    registers their own branch with any community, named in words (no list of the deployment's
    communities is shown to them)."""

    branch = forms.ModelChoiceField(label=_("报到党组织"), queryset=Org.objects.filter(level=Level.BRANCH),
                                    error_messages={**REQUIRED, "invalid_choice": _("请选择报到的党支部。")})
    community = forms.ModelChoiceField(label=_("报到社区"), queryset=Org.objects.none(), error_messages={
        **REQUIRED, "invalid_choice": _("请选择您管理范围内的社区（村）。")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_name = not visible(user, Org, Permission.CLAIMS_REPORT).filter(level=Level.COMMUNITY).exists()
        if self.by_name:
            self.fields["branch"].queryset = visible(user, Org, Permission.CLAIMS_BRANCH).filter(
                level=Level.BRANCH).order_by("path")
            self.fields["community"] = forms.CharField(label=_("报到社区名称"), max_length=64, error_messages=REQUIRED,
                                                       help_text=_("填写社区（村）的全称或简称。"))
        else:
            self.fields["community"].queryset = visible(user, Org, Permission.CLAIMS_REPORT).filter(
                level=Level.COMMUNITY).order_by("path")
            self.fields["branch"].widget = forms.NumberInput()
            self.fields["branch"].label = _("报到党组织编号")

    def clean_community(self):
        value = self.cleaned_data["community"]
        if not self.by_name:
            return value
        from .selectors import community_named

        community = community_named(value)
        if community is None:
            raise forms.ValidationError(_("没有找到名为“%(name)s”的社区（村），请填写完整的社区名称。") % {"name": value[:30]})
        return community


class ServiceForm(forms.Form):
    community = forms.ModelChoiceField(label=_("服务社区"), queryset=Org.objects.none(), error_messages={
        **REQUIRED, "invalid_choice": _("请选择您管理范围内的社区（村）。")})
    member = forms.ModelChoiceField(label=_("报到党员编号"), queryset=Member.objects.filter(is_active=True),
                                    required=False, widget=forms.NumberInput(),
                                    error_messages={"invalid_choice": _("没有这名党员。")})
    branch = forms.ModelChoiceField(label=_("报到党组织编号"), queryset=Org.objects.filter(level=Level.BRANCH),
                                    required=False, widget=forms.NumberInput(),
                                    error_messages={"invalid_choice": _("没有这个党组织。")})
    kind = forms.ChoiceField(label=_("服务类型"), choices=[(ServiceKind.COMMUNITY, ServiceKind.COMMUNITY.label),
                                                       (ServiceKind.VOLUNTEER, ServiceKind.VOLUNTEER.label)])
    title = forms.CharField(label=_("服务内容"), max_length=128, error_messages=REQUIRED)
    served_on = forms.DateField(label=_("服务日期"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                                error_messages={**REQUIRED, **DATE_ERRORS})
    hours = _decimal_hours(_("服务时长（小时）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = visible(user, Org, Permission.CLAIMS_REPORT).filter(
            level=Level.COMMUNITY).order_by("path")


class PledgeForm(forms.Form):
    title = forms.CharField(label=_("承诺事项"), max_length=128, error_messages=REQUIRED)

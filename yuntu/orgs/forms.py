"""Forms of the org and member pages: they check the shape of the input; the services decide the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.core import chinese

from .models import Kind, Level, MemberStatus, Org, Sector

# Choice labels live in the models as Chinese text; listed here so that `makemessages` offers them
# for translation and templates can show them with `{% translate org.get_level_display %}`.
# A test checks that this list still covers the labels of the models and roles.
CHOICE_LABELS = [
    gettext_noop("区（县）委"), gettext_noop("街道（乡镇）党（工）委"), gettext_noop("社区（村）党组织"),
    gettext_noop("党支部"), gettext_noop("党小组"),
    gettext_noop("常规"), gettext_noop("大党委（大党工委）"), gettext_noop("党总支"),
    gettext_noop("小区（兼合式）党支部"), gettext_noop("楼栋党小组"),
    gettext_noop("机关"), gettext_noop("农村"), gettext_noop("社区"), gettext_noop("国企"), gettext_noop("学校"),
    gettext_noop("非公企业"), gettext_noop("社会组织"),
    gettext_noop("正式党员"), gettext_noop("预备党员"), gettext_noop("男"), gettext_noop("女"),
    gettext_noop("机关单位"), gettext_noop("企业"), gettext_noop("事业单位"),
    gettext_noop("系统管理员"), gettext_noop("区委组织部"), gettext_noop("街道党工委书记"),
    gettext_noop("社区（村）党组织书记"), gettext_noop("党支部书记"), gettext_noop("联络组（督导组）"),
    gettext_noop("职能部门经办人"), gettext_noop("党员"), gettext_noop("群众"), gettext_noop("党组织"),
]

REQUIRED = {"required": _("请填写此项。")}
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("请输入有效日期，例如 2026-03-01。")}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field messages by the field, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                           error_messages={**REQUIRED, **DATE_ERRORS})


class ScopedOrgChoiceField(forms.ModelChoiceField):
    """An org picked by id among those the acting user may act on; anything else is 'not in your scope'."""

    widget = forms.HiddenInput

    def __init__(self, *, user, permission: str, **kwargs):
        kwargs.setdefault("error_messages", {
            "required": _("请先搜索并选择目标组织。"),
            "invalid_choice": _("目标组织不存在或不在您的管理范围内。"),
        })
        super().__init__(queryset=visible(user, Org, permission), **kwargs)


class OrgSearchForm(forms.Form):
    q = forms.CharField(label=_("搜索组织"), required=False, max_length=64,
                        widget=forms.SearchInput(attrs={"placeholder": _("名称、拼音或首字母，如 hc 查找海沧")}))


class OrgForm(forms.Form):
    name = forms.CharField(label=_("组织名称"), max_length=128, error_messages=REQUIRED)
    short_name = forms.CharField(label=_("简称"), max_length=64, required=False)
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.STANDARD)
    sector = forms.ChoiceField(label=_("领域"), choices=[("", "—"), *Sector.choices], required=False)
    division_code = forms.CharField(label=_("行政区划代码"), max_length=12, required=False,
                                    help_text=_("区（县）6位、街道（乡镇）9位，其他组织可不填。"))
    temporary = forms.BooleanField(label=_("临时党组织"), required=False)
    end_date = _date_field(_("撤销日期"))
    address = forms.CharField(label=_("地址"), max_length=255, required=False)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写组织名称。"))
        return name

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("temporary") and not cleaned.get("end_date") and "end_date" not in self.errors:
            self.add_error("end_date", _("临时党组织必须填写撤销日期。"))
        return cleaned


class OrgEditForm(OrgForm):
    is_active = forms.BooleanField(label=_("有效"), required=False)


class OrgMoveForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = ScopedOrgChoiceField(user=user, permission=Permission.ORG_CHANGE,
                                                         label=_("新的上级组织"))


class MemberFilterForm(forms.Form):
    YES_NO = [("", _("全部")), ("yes", _("是")), ("no", _("否"))]

    q = forms.CharField(label=_("姓名"), required=False, max_length=64,
                        widget=forms.SearchInput(attrs={"placeholder": _("姓名或拼音")}))
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("党员类别"), choices=[("", _("全部")), *MemberStatus.choices], required=False)
    floating = forms.ChoiceField(label=_("流动党员"), choices=YES_NO, required=False)
    in_service = forms.ChoiceField(label=_("在职党员"), choices=YES_NO, required=False)

    @staticmethod
    def as_flag(value: str) -> bool | None:
        return {"yes": True, "no": False}.get(value)


class MemberForm(forms.Form):
    """Create (ID number required) or edit (ID number and mobile left blank mean 'unchanged')."""

    name = forms.CharField(label=_("姓名"), max_length=64, error_messages=REQUIRED)
    id_number = forms.CharField(label=_("身份证号码"), max_length=24, error_messages=REQUIRED,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    mobile = forms.CharField(label=_("手机号码"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}))
    status = forms.ChoiceField(label=_("党员类别"), choices=MemberStatus.choices, initial=MemberStatus.FULL)
    joined_on = _date_field(_("入党日期"))
    probation_end = _date_field(_("预备期满日期"))
    floating = forms.BooleanField(label=_("流动党员"), required=False)
    floating_location = forms.CharField(label=_("流入地"), max_length=128, required=False)
    in_service = forms.BooleanField(label=_("在职党员"), required=False)
    employer = forms.CharField(label=_("工作单位"), max_length=128, required=False)
    home_address = forms.CharField(label=_("居住地址"), max_length=255, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["reporting_community"] = forms.ModelChoiceField(
            label=_("双报到社区"), required=False, empty_label="—",
            queryset=visible(user, Org, Permission.ORG_VIEW).filter(level=Level.COMMUNITY).order_by("path"),
            error_messages={"invalid_choice": _("所选社区不在您的查看范围内。")},
        )
        if editing:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("留空表示不修改。")
            self.fields["mobile"].help_text = _("留空表示不修改；修改手机号时请一并填写身份证号码以核对身份。")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写姓名。"))
        return name

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not value and self.editing:
            return ""
        return chinese.validate_id_number(value)

    def clean_mobile(self):
        value = self.cleaned_data["mobile"]
        return chinese.validate_mobile(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        if self.editing and cleaned.get("mobile") and not cleaned.get("id_number") and "id_number" not in self.errors:
            self.add_error("id_number", _("修改手机号时请一并填写身份证号码。"))
        if cleaned.get("status") == MemberStatus.PROBATIONARY and not cleaned.get("probation_end") \
                and "probation_end" not in self.errors:
            self.add_error("probation_end", _("预备党员必须填写预备期满日期。"))
        return cleaned

    def member_fields(self) -> dict:
        """The editable member fields as the member services take them."""
        names = ["name", "status", "joined_on", "probation_end", "floating", "floating_location", "in_service",
                 "employer", "home_address", "reporting_community"]
        return {name: self.cleaned_data[name] for name in names}


class MemberTransferForm(forms.Form):
    reason = forms.CharField(label=_("转接原因"), max_length=255, required=False)
    transferred_on = _date_field(_("转接日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"] = ScopedOrgChoiceField(user=user, permission=Permission.MEMBER_CHANGE,
                                                     label=_("转入组织"))

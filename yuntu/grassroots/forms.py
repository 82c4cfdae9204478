"""Forms of 四下基层: they clean input and offer choices within the user's scope; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT, REQUIRED
from yuntu.orgs.models import Household, Org
from yuntu.voices.forms import AdoptForm
from yuntu.voices.models import Category

from . import selectors
from .models import TEXT_MAX, AssignmentKind, Field
from .workflow import ContactKind

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CHOICES_LIMIT = 300


def _date(label, *, required=True):
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                           error_messages={**REQUIRED, **DATE_ERRORS})


def _text(label, *, required=True, rows=3, max_length=TEXT_MAX):
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}), error_messages=REQUIRED)


def _hours():
    return forms.DecimalField(label=_("在一线时长（小时）"), required=False, min_value=0, max_value=24, decimal_places=1,
                              error_messages={"invalid": _("时长应为数字（小时）。"),
                                              "max_value": _("一次在一线的时长应在0至24小时之间。"),
                                              "min_value": _("一次在一线的时长应在0至24小时之间。")})


def _choice(queryset, label, *, required=True, empty=None):
    field = forms.ModelChoiceField(queryset=queryset, label=label, required=required, empty_label=empty or _("请选择"),
                                   error_messages={"required": _("请选择%(label)s。") % {"label": label},
                                                   "invalid_choice": _("所选项不存在或不在您的范围内。")})
    return field


def editable_orgs(user):
    return visible(user, Org.objects.filter(is_active=True), Permission.GRASSROOTS_EDIT).order_by("path")


class TopicForm(forms.Form):
    title = forms.CharField(label=_("课题名称"), max_length=128, error_messages=REQUIRED)
    field = forms.ChoiceField(label=_("领域"), choices=Field.choices, error_messages=REQUIRED)
    lead_team = forms.CharField(label=_("牵头调研组"), max_length=128, required=False,
                                help_text=_("由调研组牵头时填写；由本人牵头时留空"))
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(editable_orgs(user), _("课题单位")), **self.fields}


class FieldVisitForm(forms.Form):
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label=_("调研单位"), error_messages=REQUIRED)
    visited_on = _date(_("调研日期"))
    place = forms.CharField(label=_("调研地点"), max_length=128, error_messages=REQUIRED)
    notes = _text(_("调研记录"))
    hours = _hours()
    problem_1 = forms.CharField(label=_("发现的问题"), max_length=255, required=False)
    solved_1 = forms.BooleanField(label=_("现场解决"), required=False)
    solution_1 = forms.CharField(label=_("解决情况"), max_length=255, required=False)
    problem_2 = forms.CharField(label=_("发现的问题（二）"), max_length=255, required=False)
    solved_2 = forms.BooleanField(label=_("现场解决"), required=False)
    solution_2 = forms.CharField(label=_("解决情况"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible(user, Org.objects.filter(is_active=True), Permission.ORG_VIEW).order_by("path")
        self.fields["org"].error_messages["invalid_choice"] = _("调研单位不在您的范围内。")

    def problems(self):
        from .services import FoundProblem

        data = self.cleaned_data
        return [FoundProblem(data.get(f"problem_{n}", ""), data.get(f"solved_{n}", False), data.get(f"solution_{n}", ""))
                for n in (1, 2)]


class ReportForm(forms.Form):
    report = _text(_("调研报告"), rows=6, max_length=20000)
    proposals = _text(_("对策建议（每行一条）"), rows=4, max_length=20000)


class ProposalAdoptForm(AdoptForm):
    """The form voices adopts a suggestion with (ledger problem, measure, who, by when), without the answer to a resident."""

    response = None


class ReceptionDayForm(forms.Form):
    leader_title = forms.CharField(label=_("领导职务"), max_length=64, error_messages=REQUIRED)
    date = _date(_("接访日期"))
    starts_at = forms.TimeField(label=_("开始时间"), widget=TIME_INPUT, error_messages=REQUIRED)
    ends_at = forms.TimeField(label=_("结束时间"), widget=TIME_INPUT, error_messages=REQUIRED)
    slot_minutes = forms.IntegerField(label=_("每个时段（分钟）"), initial=30, min_value=10, max_value=240)
    place = forms.CharField(label=_("接访地点"), max_length=128, error_messages=REQUIRED)
    theme = forms.CharField(label=_("接访主题"), max_length=128, required=False)
    for_enterprises = forms.BooleanField(label=_("益企接待日（面向企业）"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(editable_orgs(user), _("接访单位")), **self.fields}


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("方式"), choices=ContactKind.choices, error_messages=REQUIRED)
    person_name = forms.CharField(label=_("来访（走访）对象"), max_length=64, error_messages=REQUIRED)
    contacted_on = _date(_("日期"))
    in_difficulty = forms.BooleanField(label=_("困难家庭"), required=False)
    matter = _text(_("反映事项"))
    outcome = _text(_("办理结果"), required=False, rows=2)
    follow_up = forms.CharField(label=_("后续跟进"), max_length=255, required=False)
    hours = _hours()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(editable_orgs(user), _("所属单位")), **self.fields}
        households = visible(user, Household, Permission.GRASSROOTS_VIEW).order_by("org_path", "id")
        self.fields["household"] = _choice(households, _("走访住户"), required=False, empty=_("（非入户走访）"))
        self.fields["household"].choices = [("", _("（非入户走访）")), *[(item.pk, item.address) for item in households[:CHOICES_LIMIT]]]
        self.fields["enterprise"] = _choice(selectors.enterprises_visible_to(user), _("接待企业"), required=False,
                                            empty=_("（不是企业）"))


class BookingReceiveForm(forms.Form):
    outcome = _text(_("办理结果"), required=False, rows=2)
    follow_up = forms.CharField(label=_("后续跟进"), max_length=255, required=False)
    hours = _hours()


class ToRequestForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.filter(is_active=True), label=_("诉求类别"),
                                      empty_label=_("请选择"), error_messages={"required": _("请选择诉求类别。"),
                                                                               "invalid_choice": _("诉求类别无效。")})


class MediationForm(forms.Form):
    title = forms.CharField(label=_("纠纷事项"), max_length=128, error_messages=REQUIRED)
    parties = forms.CharField(label=_("当事人"), max_length=255, help_text=_("多方当事人以顿号分隔"), error_messages=REQUIRED)
    opened_on = _date(_("受理日期"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(editable_orgs(user), _("调解单位")), **self.fields}


class MediationSessionForm(forms.Form):
    held_on = _date(_("调解日期"))
    notes = _text(_("调解记录"))
    hours = _hours()


class MediationCloseForm(forms.Form):
    name = forms.ChoiceField(label=_("结果"), choices=[("settle", _("调解成功")), ("fail", _("调解未成"))])
    outcome = _text(_("调解结果"), rows=2)


class EnterpriseForm(forms.Form):
    name = forms.CharField(label=_("企业名称"), max_length=128, error_messages=REQUIRED)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=24, error_messages=REQUIRED)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    industry = forms.CharField(label=_("行业"), max_length=64, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(editable_orgs(user), _("所在单位")), **self.fields}


class PairingForm(forms.Form):
    starts_on = _date(_("挂钩开始"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cadres = selectors.cadres_visible_to(user)
        self.fields = {
            "org": _choice(editable_orgs(user), _("挂钩单位")),
            "cadre": _choice(cadres, _("挂钩干部"), required=False, empty=_("（部门挂钩）")),
            "department": _choice(editable_orgs(user).filter(sector="agency"), _("挂钩部门"), required=False,
                                  empty=_("（干部挂钩）")),
            "enterprise": _choice(selectors.enterprises_visible_to(user), _("挂钩企业"), required=False,
                                  empty=_("（挂钩村居）")),
            "target_org": _choice(visible(user, Org.objects.filter(level="community"), Permission.ORG_VIEW),
                                  _("挂钩村（社区）"), required=False, empty=_("（挂钩企业）")),
            **self.fields,
        }


class PairingVisitForm(forms.Form):
    """A visit to an enterprise, village or community the cadre can name; the service refuses one outside the pairing."""

    enterprise = forms.ModelChoiceField(queryset=None, label=_("走访企业"), empty_label=_("请选择"), required=False,
                                        error_messages={"invalid_choice": _("所选企业不存在。")})
    target_org = forms.ModelChoiceField(queryset=None, label=_("或走访挂钩村（社区）"), required=False,
                                        empty_label=_("（走访企业）"),
                                        error_messages={"invalid_choice": _("所选村（社区）不存在。")})
    visited_on = _date(_("走访日期"))
    notes = _text(_("走访情况"))
    served = forms.BooleanField(label=_("提供服务"), required=False)
    hours = _hours()
    demand = _text(_("企业提出的诉求"), required=False, rows=2)
    category = forms.ModelChoiceField(queryset=Category.objects.filter(is_active=True), label=_("诉求类别"),
                                      required=False, empty_label=_("请选择"),
                                      error_messages={"invalid_choice": _("诉求类别无效。")})

    def __init__(self, *args, user, **kwargs):
        from .models import Enterprise

        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = (selectors.enterprises_visible_to(user)
                                              | Enterprise.objects.filter(pairings__in=selectors.pairings_visible_to(user))
                                              ).distinct().order_by("name")
        paired = selectors.pairings_visible_to(user).filter(target_org__isnull=False).values("target_org")
        self.fields["target_org"].queryset = (visible(user, Org.objects.filter(level="community"), Permission.ORG_VIEW)
                                              | Org.objects.filter(pk__in=paired)).distinct().order_by("path")

    def clean(self):
        data = super().clean()
        if not data.get("enterprise") and not data.get("target_org"):
            self.add_error("enterprise", _("请选择走访的企业或村（社区）。"))
        return data


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=AssignmentKind.choices, error_messages=REQUIRED)
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"))
    duties = forms.CharField(label=_("岗位职责"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"org": _choice(visible(user, Org.objects.filter(level="community"), Permission.GRASSROOTS_APPRAISE),
                                      _("下派村（社区）")), **self.fields}


class PeriodForm(forms.Form):
    start = _date(_("起"), required=False)
    end = _date(_("止"), required=False)


class BookingForm(forms.Form):
    slot = forms.TimeField(label=_("预约时段"), input_formats=["%H:%M", "%H:%M:%S"],
                           error_messages={"required": _("请选择预约时段。"), "invalid": _("预约时段格式不正确。")})
    name = forms.CharField(label=_("姓名"), max_length=64, error_messages=REQUIRED)
    matter = _text(_("反映事项"), rows=4)



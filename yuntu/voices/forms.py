"""Forms of the voices pages (staff desktop and resident portal): they check the shape of the input;
the services decide the rest (length, area, photos, permissions) and their messages are shown by the fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.core import chinese
from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT, REQUIRED, add_service_errors
from yuntu.orgs.models import Level, Org

from . import selectors, services
from .models import TEXT_MAX, Category, Channel, Suggestion
from .workflow import DispatchStatus, Rating, RequestStatus, Stage

# Choice labels of the voices models and workflow, listed so that `makemessages` offers them;
# templates show them with `{% translate request.get_status_display %}`.
CHOICE_LABELS = [
    gettext_noop("待受理"), gettext_noop("办理中"), gettext_noop("已吹哨"), gettext_noop("已答复公开"),
    gettext_noop("已评价"), gettext_noop("已合并"), gettext_noop("不予受理"),
    gettext_noop("说事"), gettext_noop("议事"), gettext_noop("理事"), gettext_noop("晒事"), gettext_noop("评事"),
    gettext_noop("待签收"), gettext_noop("已签收办理"), gettext_noop("已答复"), gettext_noop("已退回"),
    gettext_noop("满意"), gettext_noop("基本满意"), gettext_noop("不满意"),
    gettext_noop("群众端"), gettext_noop("来电"), gettext_noop("来访"), gettext_noop("12345热线转办"),
    gettext_noop("Open311接口"), gettext_noop("已收到"), gettext_noop("已采纳"), gettext_noop("暂不采纳"),
    gettext_noop("线上"), gettext_noop("线下"),
    gettext_noop("社区受理办理"), gettext_noop("吹哨派单"), gettext_noop("合并重复诉求"), gettext_noop("答复并公开"),
    gettext_noop("评价"), gettext_noop("不满意重新办理"), gettext_noop("签收"), gettext_noop("答复"),
    gettext_noop("退回（非本部门职责）"), gettext_noop("说事：提交诉求"), gettext_noop("合并诉求已答复"),
]

PROBLEM_CHOICES = 200  # ledger problems listed in the adopt form (the field accepts any in scope)
STAFF_CHANNELS = [(Channel.PHONE, Channel.PHONE.label), (Channel.VISIT, Channel.VISIT.label),
                  (Channel.HOTLINE, Channel.HOTLINE.label)]


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Up to six photos in one input; type, size and content are checked by `services.check_photos`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片"))
        kwargs.setdefault("help_text", _("可选，最多6张，JPG/PNG/WebP，每张不超过5MB。"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        photos = [super(PhotoField, self).clean(item, initial) for item in items if item]
        try:
            services.check_photos(photos)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return photos


def category_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True).order_by("sort_order", "code"), label=_("诉求类别"),
        empty_label=_("请选择类别"),
        error_messages={"required": _("请选择诉求类别。"), "invalid_choice": _("该诉求类别不存在或已停用。")})


def text_field(label=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("诉求内容"), error_messages={"required": _("请填写诉求内容。")}, strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX, "data-count": TEXT_MAX,
                                     "placeholder": _("请写明事情、地点和您的诉求，如“兴旺小区3号楼旁路灯不亮已一周”")}))


def check_text(value: str, noun: str = "诉求内容") -> str:
    if len(value) > TEXT_MAX:
        raise ValidationError(_("%(noun)s不能超过%(limit)s字（当前%(count)s字）。")
                              % {"noun": _(noun), "limit": TEXT_MAX, "count": len(value)})
    return value


class PlaceMixin(forms.Form):
    """Address and/or a point (picked on the map or from the phone's location)."""

    address = forms.CharField(label=_("地点"), required=False, max_length=255,
                              widget=forms.TextInput(attrs={"placeholder": _("如：兴旺小区3号楼东侧"),
                                                            "autocomplete": "street-address"}))
    latitude = forms.CharField(label=_("纬度"), required=False, max_length=20,
                               widget=forms.TextInput(attrs={"inputmode": "decimal", "data-point": "latitude"}))
    longitude = forms.CharField(label=_("经度"), required=False, max_length=20,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "data-point": "longitude"}))

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude") or "", cleaned.get("longitude") or ""
        if bool(latitude) != bool(longitude):
            self.add_error("latitude", _("请同时填写经度和纬度，或在地图上选点。"))
            return cleaned
        try:
            cleaned["latitude"], cleaned["longitude"] = services.check_point(latitude or None, longitude or None)
        except ValidationError as error:
            self.add_error("latitude", error.messages)
        return cleaned


class ContactMixin(forms.Form):
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=64,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_mobile = forms.CharField(label=_("手机号"), required=False, max_length=20,
                                     widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    account_mobile_masked = ""

    def clean_contact_mobile(self):
        value = (self.cleaned_data.get("contact_mobile") or "").strip()
        if self.account_mobile_masked and value in ("", self.account_mobile_masked):
            return ""  # the account's own number, filled in by the view
        if not value:
            return ""
        try:
            return chinese.validate_mobile(value)
        except ValidationError as error:
            raise ValidationError(_("手机号码应为11位中国大陆手机号，以1开头。")) from error


class QuestionsMixin:
    """The extra questions of each category, as fields named `q-<category pk>-<code>`."""

    def add_question_fields(self):
        self.question_groups = []
        for category in self.fields["category"].queryset:
            names = []
            for question in category.questions or []:
                code = str(question.get("code", ""))
                if not code:
                    continue
                name = f"q-{category.pk}-{code}"
                label = question.get("description") or code
                values = [(str(item.get("key")), item.get("name") or item.get("key")) for item in question.get("values", [])]
                kind = question.get("datatype", "string")
                if kind == "singlevaluelist":
                    field = forms.ChoiceField(label=label, required=False, choices=[("", "—"), *values])
                elif kind == "multivaluelist":
                    field = forms.MultipleChoiceField(label=label, required=False, choices=values,
                                                      widget=forms.CheckboxSelectMultiple)
                elif kind == "text":
                    field = forms.CharField(label=label, required=False, max_length=500,
                                            widget=forms.Textarea(attrs={"rows": 2}))
                else:
                    field = forms.CharField(label=label, required=False, max_length=200)
                field.question_required = bool(question.get("required"))
                self.fields[name] = field
                names.append(name)
            if names:
                self.question_groups.append({"category": category, "names": names})

    def questions_of(self, category) -> list:
        for group in self.question_groups:
            if group["category"].pk == category.pk:
                return [self[name] for name in group["names"]]
        return []

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's refusal by the fields; answers to extra questions go next to their question."""
        category = self.cleaned_data.get("category")
        if hasattr(error, "error_dict") and category is not None:
            for field, messages in error.message_dict.items():
                name = field if field in self.fields else f"q-{category.pk}-{field}"
                self.add_error(name if name in self.fields else None, messages)
            return
        add_service_errors(self, error)

    def answers(self) -> dict:
        category = self.cleaned_data.get("category")
        if category is None:
            return {}
        prefix = f"q-{category.pk}-"
        return {name[len(prefix):]: value for name, value in self.cleaned_data.items()
                if name.startswith(prefix) and value not in (None, "", [])}


class PortalRequestForm(QuestionsMixin, PlaceMixin, ContactMixin, forms.Form):
    """说事 from the resident's phone."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"category": category_field(), "text": text_field(), **self.fields, "photos": PhotoField()}
        self.anonymous = not getattr(user, "is_authenticated", False)
        self.account_mobile_masked = "" if self.anonymous else (user.mobile_masked or "")
        if self.anonymous:
            self.fields["contact_mobile"].required = True
            self.fields["contact_mobile"].error_messages["required"] = _("未登录提交须填写手机号，以便答复您。")
            self.fields["contact_mobile"].help_text = _("登录后提交可随时查看办理进度。")
        else:
            self.fields["contact_name"].initial = user.display_name
            self.fields["contact_mobile"].initial = self.account_mobile_masked
            if self.account_mobile_masked:
                self.fields["contact_mobile"].help_text = _("默认使用账号绑定的手机号；如需其他号码请直接修改。")
        self.add_question_fields()

    def clean_text(self):
        return check_text(self.cleaned_data["text"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("address") and cleaned.get("latitude") is None and "latitude" not in self.errors:
            self.add_error("address", _("请填写地点，或在地图上选点、使用当前位置。"))
        return cleaned


class StaffIntakeForm(QuestionsMixin, PlaceMixin, ContactMixin, forms.Form):
    """Staff record a request on a resident's behalf: a call, a visit, a 12345 hotline transfer."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=STAFF_CHANNELS, error_messages=REQUIRED)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communities = visible(user, selectors.residential_communities(), Permission.VOICES_TRIAGE).order_by("path")
        self.fields = {
            "channel": self.fields["channel"],
            "community": forms.ModelChoiceField(
                queryset=communities, label=_("受理社区"), empty_label=None,
                error_messages={"required": _("请选择受理社区。"),
                                "invalid_choice": _("该社区不存在或不在您的受理范围内。")}),
            "category": category_field(), "text": text_field(),
            **{name: field for name, field in self.fields.items() if name != "channel"},
            "photos": PhotoField(),
        }
        self.fields["contact_mobile"].help_text = _("保存后仅显示脱敏号码。")
        self.add_question_fields()

    def clean_text(self):
        return check_text(self.cleaned_data["text"])


class TriageForm(forms.Form):
    """议事 and 晒事 on the request page: one declared transition with its reason, reply or target."""

    transition = forms.ChoiceField(choices=[(name, name) for name in ("handle", "merge", "decline", "publish")],
                                   error_messages={"required": _("请选择操作。"), "invalid_choice": _("未知的操作。")})
    reason = forms.CharField(required=False, max_length=255)
    reply = forms.CharField(required=False, max_length=TEXT_MAX)
    target = forms.IntegerField(required=False, error_messages={"invalid": _("请选择合并目标。")})

    def error_text(self) -> str:
        return "；".join(str(message) for messages in self.errors.values() for message in messages)


class DispatchForm(forms.Form):
    """吹哨: one or more departments, a deadline in working days, a note."""

    days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=60,
                              error_messages={"required": _("请填写办理时限。"), "invalid": _("请填写1至60之间的整数。"),
                                              "min_value": _("办理时限应为1至60个工作日。"),
                                              "max_value": _("办理时限应为1至60个工作日。")})
    note = forms.CharField(label=_("派单说明"), required=False, max_length=255,
                           widget=forms.TextInput(attrs={"placeholder": _("如：请于签收后联系居民现场核实")}))

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        already = request.dispatches.values("org_id")
        self.fields = {
            "departments": forms.ModelMultipleChoiceField(
                queryset=selectors.dispatch_departments(request).exclude(pk__in=already), label=_("派至部门"),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("请至少选择一个部门。"),
                                "invalid_choice": _("所选部门不存在或不能接收派单。"),
                                "invalid_pk_value": _("所选部门不存在或不能接收派单。")}),
            **self.fields,
        }
        self.fields["days"].initial = request.category.resolve_days
        responsible = request.category.responsible_org_id
        if responsible and not self.is_bound:
            self.fields["departments"].initial = [responsible]

    def error_text(self) -> str:
        return "；".join(str(message) for messages in self.errors.values() for message in messages)


class DispatchActionForm(forms.Form):
    transition = forms.ChoiceField(choices=[(name, name) for name in ("accept", "reply", "hand_back")],
                                   error_messages={"required": _("请选择操作。"), "invalid_choice": _("未知的操作。")})
    reply = forms.CharField(required=False, max_length=TEXT_MAX)
    reason = forms.CharField(required=False, max_length=255)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择满意、基本满意或不满意。"),
                                               "invalid_choice": _("请选择满意、基本满意或不满意。")})
    comment = forms.CharField(label=_("评价意见"), required=False, max_length=255,
                              widget=forms.Textarea(attrs={"rows": 2, "maxlength": 255}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重新办理的原因"), max_length=255,
                             error_messages={"required": _("请说明要求重新办理的原因。"),
                                             "max_length": _("原因不超过255字。")},
                             widget=forms.Textarea(attrs={"rows": 2, "maxlength": 255}))


class PortalSuggestionForm(forms.Form):
    """建言献策 from the portal, to an open drive."""

    author_name = forms.CharField(label=_("您的称呼"), required=False, max_length=64,
                                  widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "drive": forms.ModelChoiceField(
                queryset=selectors.open_drives(), label=_("建言活动"), empty_label=None,
                error_messages={"required": _("请选择建言活动。"),
                                "invalid_choice": _("该建言献策活动不存在或不在征集期内。")}),
            "text": text_field(_("建议内容")),
            **self.fields,
        }
        self.fields["text"].error_messages["required"] = _("请填写建议内容。")
        self.fields["text"].widget.attrs["placeholder"] = _("请写下您的意见建议，如“建议在兴旺小区增设电动车充电棚”")
        if getattr(user, "is_authenticated", False):
            self.fields["author_name"].initial = user.display_name

    def clean_text(self):
        return check_text(self.cleaned_data["text"], "建议内容")


class OfflineSuggestionForm(forms.Form):
    """Suggestions gathered offline (forums, boxes, visits), entered by staff."""

    author_name = forms.CharField(label=_("建议人"), required=False, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = visible(user, Org.objects.filter(level__in=(Level.STREET, Level.COMMUNITY), is_active=True),
                       Permission.VOICES_TRIAGE).order_by("path")
        self.fields = {
            "org": forms.ModelChoiceField(queryset=orgs, label=_("收集单位"), empty_label=None,
                                          error_messages={"required": _("请选择收集单位。"),
                                                          "invalid_choice": _("该单位不存在或不在您的范围内。")}),
            "text": text_field(_("建议内容")),
            **self.fields,
        }
        self.fields["text"].error_messages["required"] = _("请填写建议内容。")

    def clean_text(self):
        return check_text(self.cleaned_data["text"], "建议内容")


class AdoptForm(forms.Form):
    """Adopt a suggestion as a measure of a ledger problem."""

    measure_text = forms.CharField(label=_("整改措施"), error_messages={"required": _("请填写整改措施。")},
                                   widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("责任人"), max_length=64,
                                         error_messages={"required": _("请填写责任人。")})
    deadline = forms.DateField(label=_("完成时限"), widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                               error_messages={**DATE_ERRORS, "required": _("请填写完成时限。")})
    response = forms.CharField(label=_("答复建议人"), required=False, max_length=TEXT_MAX,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        problems = selectors.adoptable_problems(user)
        field = forms.ModelChoiceField(
            queryset=problems, label=_("纳入整改台账的问题"),
            error_messages={"required": _("请选择要纳入的台账问题。"),
                            "invalid_choice": _("该问题不存在或不在您的填报范围内。")})
        # Validation asks the whole scope; the list offers the latest ones.
        field.choices = [("", _("请选择问题")), *[(problem.pk, f"{problem.title}（{problem.org.short_name or problem.org.name}）")
                                                  for problem in problems[:PROBLEM_CHOICES]]]
        self.fields = {"problem": field, **self.fields}


class DeclineSuggestionForm(forms.Form):
    response = forms.CharField(label=_("暂不采纳的答复"), max_length=TEXT_MAX,
                               error_messages={"required": _("请填写暂不采纳的答复。")},
                               widget=forms.Textarea(attrs={"rows": 2}))


def _choices(blank, choices):
    return [("", blank), *choices]


class RequestFilterForm(forms.Form):
    """Filters of the staff list (all optional; bad values are dropped)."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=64,
                        widget=forms.SearchInput(attrs={"placeholder": _("编号、内容或地点")}))
    stage = forms.ChoiceField(label=_("阶段"), required=False, choices=_choices(_("全部"), Stage.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(_("全部"), RequestStatus.choices))
    category = forms.ChoiceField(label=_("类别"), required=False)
    overdue = forms.BooleanField(label=_("只看超期"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(_("全部"), Category.objects.order_by("sort_order", "code")
                                                   .values_list("code", "name"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        return {"status": data.get("status") or "", "stage": data.get("stage") or "",
                "category": data.get("category") or "", "overdue": bool(data.get("overdue")),
                "query": (data.get("q") or "").strip()}


class DeskFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(_("全部"), DispatchStatus.choices))


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=64,
                        widget=forms.SearchInput(attrs={"placeholder": _("搜索已公开的诉求")}))
    category = forms.ChoiceField(label=_("类别"), required=False)
    community = forms.ChoiceField(label=_("社区"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(_("全部类别"), Category.objects.filter(is_active=True)
                                                   .order_by("sort_order", "code").values_list("code", "name"))
        self.communities = list(selectors.board_communities()[:300])
        self.fields["community"].choices = _choices(_("全部社区"), [(str(org.pk), org.short_name or org.name)
                                                                    for org in self.communities])

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors}
        community = next((org for org in self.communities if str(org.pk) == data.get("community")), None)
        return {"category": data.get("category") or "", "org": community, "query": (data.get("q") or "").strip()}


class SuggestionFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=64, widget=forms.SearchInput())
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_choices(_("全部"), Suggestion.Status.choices))

"""Forms of the lecture pages: they parse and show errors; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yuntu.orgs.forms import add_service_errors

from .models import Lecturer

REQUIRED = {"required": _("请填写此项。")}
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotos(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": PHOTO_ACCEPT})

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultiplePhotos, self).clean(item, initial) for item in items]


class ServiceErrorsMixin:
    def add_service_errors(self, error) -> None:
        add_service_errors(self, error)


class OrderForm(ServiceErrorsMixin, forms.Form):
    group_name = forms.CharField(label=_("点菜单位（群体）"), max_length=128, error_messages=REQUIRED,
                                 widget=forms.TextInput(attrs={"placeholder": _("例如：某社区老年协会、某公司党支部")}))
    starts_at = forms.DateTimeField(label=_("宣讲时间"), error_messages={**REQUIRED, "invalid": _("请输入有效的日期和时间。")},
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("宣讲地点"), max_length=200, error_messages=REQUIRED)
    expected_audience = forms.IntegerField(label=_("预计听众人数"), min_value=1, max_value=100000, error_messages=REQUIRED)
    note = forms.CharField(label=_("其他要求"), max_length=255, required=False)


class AssignForm(ServiceErrorsMixin, forms.Form):
    lecturer = forms.ModelChoiceField(label=_("宣讲员"), queryset=Lecturer.objects.none(),
                                      error_messages={"required": _("请选择宣讲员。"), "invalid_choice": _("请从本宣讲团在册的宣讲员中指派。")})
    note = forms.CharField(label=_("配菜说明"), max_length=200, required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturer"].queryset = order.team.lecturers.filter(is_active=True)


class DeliverForm(ServiceErrorsMixin, forms.Form):
    attendance = forms.IntegerField(label=_("实到听众人数"), min_value=1, max_value=100000, error_messages=REQUIRED)
    summary = forms.CharField(label=_("宣讲情况"), max_length=2000, error_messages=REQUIRED,
                              widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultiplePhotos(label=_("现场照片"), required=False, help_text=_("JPG、PNG或WebP，每张不超过5MB，最多6张"))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=255, required=False)


class RateForm(ServiceErrorsMixin, forms.Form):
    score = forms.TypedChoiceField(label=_("评分"), coerce=int, widget=forms.RadioSelect,
                                   choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
                                   error_messages={"required": _("请选择1到5分。")})
    comment = forms.CharField(label=_("评价"), max_length=255, required=False)


class TopicForm(ServiceErrorsMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("宣讲团"), queryset=None, error_messages=REQUIRED)
    title = forms.CharField(label=_("题目"), max_length=128, error_messages=REQUIRED)
    summary = forms.CharField(label=_("内容简介"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages=REQUIRED)
    minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=15, max_value=480, error_messages=REQUIRED)
    audience = forms.CharField(label=_("适合对象"), max_length=128, error_messages=REQUIRED)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class LecturerForm(ServiceErrorsMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("宣讲团"), queryset=None, error_messages=REQUIRED)
    name = forms.CharField(label=_("姓名"), max_length=64, error_messages=REQUIRED)
    title = forms.CharField(label=_("身份"), max_length=128, required=False)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class TeamForm(ServiceErrorsMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=None, error_messages=REQUIRED)
    name = forms.CharField(label=_("宣讲团名称"), max_length=128, error_messages=REQUIRED)
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Org, Sector

from .catalogue import Catalogue
from .models import Audience, Column, ColumnKind, ContestKind, StudyAudience
from .services import ANSWER_MAX, QUESTION_MAX

DATE = forms.DateInput(attrs={"type": "date"})


def add_errors(form, error) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def call_service(form, call) -> tuple[object | None, int]:
    """Run a service for a valid form: (its result, 200), or (None, 400/403) with its Chinese message on the form."""
    try:
        return call(), 200
    except ValidationError as error:
        add_errors(form, error)
        return None, 400
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return None, 403


class PublicationForm(forms.Form):
    org = forms.ModelChoiceField(label=_("公开单位"), queryset=Org.objects.none(),
                                 error_messages={"required": _("请选择公开单位。"), "invalid_choice": _("请选择公开单位。")})
    catalogue = forms.ChoiceField(label=_("公开目录"), choices=[("", "——请选择——"), *Catalogue.choices],
                                  error_messages={"required": _("请选择公开目录：每项公开内容须归入目录。"),
                                                  "invalid_choice": _("请选择公开目录：每项公开内容须归入目录。")})
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    period_start = forms.DateField(label=_("公开期间起"), widget=DATE,
                                   error_messages={"required": _("请填写公开期间（起止日期）。"), "invalid": _("日期格式不正确。")})
    period_end = forms.DateField(label=_("公开期间止"), widget=DATE,
                                 error_messages={"required": _("请填写公开期间（起止日期）。"), "invalid": _("日期格式不正确。")})
    body = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 10}),
                           error_messages={"required": _("请填写公开内容。")},
                           help_text=_("可使用段落、加粗、列表和表格；脚本和样式会被去除。"))
    publish = forms.BooleanField(label=_("保存后立即公开"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = visible(user, Org, Permission.PUBLICITY_EDIT).order_by("path")


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("我要提问"), max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("请填写问题。"), "max_length": _("问题不能超过500字。")})


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写答复内容。")})


class TransitionForm(forms.Form):
    name = forms.CharField(max_length=32)
    reason = forms.CharField(label=_("原因"), max_length=255, required=False)


class ArticleForm(forms.Form):
    column = forms.ModelChoiceField(label=_("栏目"), queryset=Column.objects.none(),
                                    error_messages={"required": _("请选择栏目。"), "invalid_choice": _("请选择栏目。")})
    title = forms.CharField(label=_("标题"), max_length=200, error_messages={"required": _("请填写标题。")})
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}),
                           error_messages={"required": _("请填写正文。")})
    image = forms.FileField(label=_("配图"), required=False, help_text=_("JPG、PNG、GIF或WebP，不超过8MB，自动压缩"))
    image_alt = forms.CharField(label=_("配图说明"), max_length=120, required=False)
    video_url = forms.CharField(label=_("视频链接"), max_length=200, required=False, help_text=_("https:// 开头"))
    publish = forms.BooleanField(label=_("立即发布"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = visible(user, Column, Permission.PUBLICITY_EDIT).order_by("org__path", "id")


class EntryForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=200, error_messages={"required": _("请填写题目。")})
    body = forms.CharField(label=_("正文"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    video_url = forms.CharField(label=_("视频链接"), max_length=200, required=False)


class ScoreForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.DecimalField(label=_("得分"), min_value=0, max_value=100, decimal_places=2,
                                error_messages={"required": _("请填写得分。"), "invalid": _("请填写0到100之间的分数。"),
                                                "min_value": _("请填写0到100之间的分数。"),
                                                "max_value": _("请填写0到100之间的分数。")})
    comment = forms.CharField(label=_("评语"), max_length=300, required=False)


class StudyListForm(forms.Form):
    title = forms.CharField(label=_("清单名称"), max_length=120)
    audience = forms.ChoiceField(label=_("学习对象"), choices=StudyAudience.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)


class OrgChoiceMixin:
    """The org field lists only the orgs where the user may publish."""

    def limit_orgs(self, user) -> None:
        self.fields["org"].queryset = visible(user, Org, Permission.PUBLICITY_EDIT).order_by("path")


class ColumnForm(OrgChoiceMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=Org.objects.none(),
                                 error_messages={"required": _("请选择所属组织。"), "invalid_choice": _("请选择所属组织。")})
    name = forms.CharField(label=_("栏目名称"), max_length=64, error_messages={"required": _("请填写栏目名称。")})
    kind = forms.ChoiceField(label=_("类型"), choices=ColumnKind.choices)
    audience = forms.ChoiceField(label=_("读者范围"), choices=Audience.choices)
    sector = forms.ChoiceField(label=_("领域"), choices=[("", "——"), *Sector.choices], required=False,
                               help_text=_("读者范围为某一领域党员时选择"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_orgs(user)


class ContestForm(OrgChoiceMixin, forms.Form):
    org = forms.ModelChoiceField(label=_("发起组织"), queryset=Org.objects.none(),
                                 error_messages={"required": _("请选择发起组织。"), "invalid_choice": _("请选择发起组织。")})
    title = forms.CharField(label=_("名称"), max_length=200, error_messages={"required": _("请填写名称。")})
    kind = forms.ChoiceField(label=_("类型"), choices=ContestKind.choices)
    opens_on = forms.DateField(label=_("开始日期"), widget=DATE, error_messages={"required": _("请填写开始日期。")})
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE, error_messages={"required": _("请填写截止日期。")})
    description = forms.CharField(label=_("征集说明"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    judges = forms.CharField(label=_("评委（用户名，以逗号分隔）"), required=False, max_length=500)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_orgs(user)

    def clean_judges(self):
        from django.contrib.auth import get_user_model

        names = [name.strip() for name in self.cleaned_data["judges"].replace("，", ",").split(",") if name.strip()]
        found = list(get_user_model().objects.filter(username__in=names, is_active=True))
        missing = set(names) - {user.username for user in found}
        if missing:
            raise forms.ValidationError(_("没有这些用户：%(names)s") % {"names": "、".join(sorted(missing))})
        return found

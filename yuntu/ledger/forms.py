"""Forms of the ledger pages: they check the shape of the input; the services decide the rest."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yuntu.orgs.forms import DATE_ERRORS, DATE_INPUT, REQUIRED
from yuntu.orgs.models import Org

from . import selectors, services
from .models import Category, LevelClass, Problem, Source
from .workflow import RETURN_REASONS, ProblemStatus

# Choice labels of the ledger models and workflow, listed so that `makemessages` offers them;
# templates show them with `{% translate problem.get_status_display %}`.
CHOICE_LABELS = [
    gettext_noop("巡视巡察"), gettext_noop("调研发现"), gettext_noop("群众反映"), gettext_noop("自查自纠"),
    gettext_noop("上级推送（上下联动）"),
    gettext_noop("推动高质量发展"), gettext_noop("党的建设"), gettext_noop("民生保障"), gettext_noop("基层治理"),
    gettext_noop("作风建设"),
    gettext_noop("县处级以上单位"), gettext_noop("基层党组织"),
    gettext_noop("待审核"), gettext_noop("被退回"), gettext_noop("整改中"), gettext_noop("已销号"),
    gettext_noop("已报完成"), gettext_noop("已验收"),
    gettext_noop("审核通过"), gettext_noop("退回修改"), gettext_noop("重新提交"), gettext_noop("销号"),
    gettext_noop("重新挂账"), gettext_noop("报告完成"), gettext_noop("验收通过"), gettext_noop("重新整改"),
    gettext_noop("问题选取不够精准"), gettext_noop("整改举措较为空洞"), gettext_noop("时限不明确"),
    gettext_noop("佐证材料不足"),
]

MAX_FILES = 10
# Above this many orgs a <select> stops being usable: the field takes the unit's full name instead.
SELECT_LIMIT = 400


def _date_field(label, *, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT, input_formats=["%Y-%m-%d"],
                           error_messages={**REQUIRED, **DATE_ERRORS})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each is checked for type and size by `services.check_evidence`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(sorted(services.EVIDENCE_EXTENSIONS))}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("可多选；限图片、PDF、Word、Excel，单个文件不超过10MB，最多10个。"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(EvidenceField, self).clean(item, initial) for item in items if item]
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传10个文件。"))
        try:
            services.check_evidence(files)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return files


class ScopedOrgField(forms.ModelChoiceField):
    """An org among those the user may act on: a <select> for a small scope, the full name for a large one."""

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("error_messages", {
            "required": _("请选择责任单位。"),
            "invalid_choice": _("该单位不存在或不在您的填报范围内。"),
        })
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset=queryset, **kwargs)
        self.by_name = queryset.count() > SELECT_LIMIT
        if self.by_name:
            self.widget = forms.TextInput(attrs={"placeholder": _("请填写单位全称")})
            self.help_text = _("请填写单位全称，如“兴旺社区第一党支部”。")
        else:
            orgs = list(queryset)
            top = min((org.depth for org in orgs), default=1)
            self.choices = [(org.pk, "　" * (org.depth - top) + org.name) for org in orgs]

    def to_python(self, value):
        if self.by_name and value not in self.empty_values and not str(value).isdigit():
            matches = list(self.queryset.filter(name=str(value).strip())[:2])
            if len(matches) != 1:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return matches[0]
        return super().to_python(value)

    def prepare_value(self, value):
        if self.by_name and isinstance(value, Org):
            return value.name
        if self.by_name and str(value or "").isdigit():
            org = self.queryset.filter(pk=value).first()
            return org.name if org else value
        return super().prepare_value(value)


class LedgerFilterForm(forms.Form):
    """The filters of the list, export and print pages (all optional; bad values are ignored)."""

    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("关键词"), required=False, max_length=64,
                        widget=forms.SearchInput(attrs={"placeholder": _("问题或描述中的文字")}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *ProblemStatus.choices])
    source = forms.ChoiceField(label=_("来源"), required=False, choices=[("", _("全部")), *Source.choices])
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Category.choices])
    level_class = forms.ChoiceField(label=_("单位类别"), required=False, choices=[("", _("全部")), *LevelClass.choices])
    start = _date_field(_("发现日期自"))
    end = _date_field(_("至"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return cleaned

    def filters(self) -> dict:
        """The valid filters as `selectors.problem_list` takes them (invalid ones are dropped, not fatal)."""
        data = self.cleaned_data if self.is_valid() else {
            name: value for name, value in getattr(self, "cleaned_data", {}).items() if name not in self.errors
        }
        return {"status": data.get("status") or "", "source": data.get("source") or "",
                "category": data.get("category") or "", "level_class": data.get("level_class") or "",
                "query": (data.get("q") or "").strip(), "start": data.get("start"), "end": data.get("end")}


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=255, error_messages=REQUIRED,
                            widget=forms.TextInput(attrs={"placeholder": _("具体、准确地写明问题，如“兴旺小区3号楼消防通道长期被占用”")}))
    description = forms.CharField(label=_("问题描述"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label=_("问题来源"), choices=Source.choices, error_messages=REQUIRED)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices, error_messages=REQUIRED)
    batch = forms.CharField(label=_("批次"), max_length=64, initial="第一批问题清单", error_messages=REQUIRED)
    found_on = _date_field(_("发现日期"), required=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "org": ScopedOrgField(queryset=selectors.entry_orgs_for(user), label=_("责任单位")),
            **self.fields,
            "attachments": EvidenceField(label=_("附件")),
        }

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("请填写问题。"))
        return title


class ProblemEditForm(forms.Form):
    title = ProblemForm.base_fields["title"]
    description = ProblemForm.base_fields["description"]
    source = ProblemForm.base_fields["source"]
    category = ProblemForm.base_fields["category"]
    batch = ProblemForm.base_fields["batch"]
    found_on = _date_field(_("发现日期"), required=True)

    @classmethod
    def for_problem(cls, problem: Problem, data=None):
        initial = {name: getattr(problem, name) for name in ("title", "description", "source", "category", "batch",
                                                              "found_on")}
        return cls(data, initial=initial)

    def changes(self, problem: Problem) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if getattr(problem, name) != value}


class MeasureForm(forms.Form):
    text = forms.CharField(label=_("整改措施"), error_messages=REQUIRED, widget=forms.Textarea(attrs={"rows": 3}))
    responsible_person = forms.CharField(label=_("责任人"), max_length=64, error_messages=REQUIRED)
    deadline = _date_field(_("完成时限"), required=True)

    def __init__(self, *args, user, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.entry_orgs_for(user).filter(path__under=problem.org_path)
        self.fields = {"text": self.fields.pop("text"),
                       "org": ScopedOrgField(queryset=units, label=_("责任单位"), initial=problem.org_id),
                       **self.fields}
        self.fields["text"].widget.attrs["placeholder"] = _("写明做什么、做到什么程度，避免空洞表述")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < datetime.date(2000, 1, 1):
            raise ValidationError(_("请输入有效的完成时限。"))
        return deadline


class MeasureEditForm(forms.Form):
    text = MeasureForm.base_fields["text"]
    responsible_person = MeasureForm.base_fields["responsible_person"]
    deadline = _date_field(_("完成时限"), required=True)

    @classmethod
    def for_measure(cls, measure, data=None):
        return cls(data, initial={"text": measure.text, "responsible_person": measure.responsible_person,
                                  "deadline": measure.deadline})

    def changes(self, measure) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if getattr(measure, name) != value}


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), error_messages=REQUIRED, widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100,
                                 error_messages={**REQUIRED, "invalid": _("请填写0到100之间的整数。"),
                                                 "min_value": _("进度应在0到100之间。"),
                                                 "max_value": _("进度应在0到100之间。")})
    evidence = EvidenceField(label=_("佐证材料"))


class TransitionForm(forms.Form):
    """One declared transition; the reason is picked from the common ones or written out."""

    transition = forms.CharField(max_length=32, error_messages={"required": _("请选择要执行的操作。"),
                                                                "max_length": _("未知的操作。")})
    reason_choice = forms.ChoiceField(label=_("退回原因"), required=False,
                                      choices=[("", _("请选择常见原因")), *[(reason, reason) for reason in RETURN_REASONS]],
                                      error_messages={"invalid_choice": _("请从常见原因中选择，或在说明中写明原因。")})
    reason_text = forms.CharField(label=_("原因说明"), required=False, max_length=255)

    def error_text(self) -> str:
        return "；".join(message for messages in self.errors.values() for message in messages)

    def reason(self) -> str:
        parts = [self.cleaned_data.get("reason_choice") or "", (self.cleaned_data.get("reason_text") or "").strip()]
        return "；".join(part for part in parts if part)


class PushDownForm(forms.Form):
    def __init__(self, *args, user, problem: Problem, **kwargs):
        super().__init__(*args, **kwargs)
        targets = selectors.push_targets_for(user, problem).exclude(pk__in=problem.pushed_to.values("org_id"))
        self.fields["orgs"] = forms.ModelMultipleChoiceField(
            label=_("下级单位"), queryset=targets, widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("请选择要推送的下级单位。"),
                            "invalid_choice": _("所选单位不是本单位的下级单位或不在您的填报范围内。"),
                            "invalid_pk_value": _("所选单位无效。")},
        )
        self.fields["orgs"].label_from_instance = lambda org: org.name


class ImportForm(forms.Form):
    file = forms.FileField(label=_("台账文件（.xlsx）"), error_messages={"required": _("请选择要导入的文件。")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    daily_digest = forms.BooleanField(label=_("每日汇总推送（一天一条，代替逐条推送）"), required=False)
    opted_out = forms.MultipleChoiceField(label=_("不推送以下类别（仍保存在消息中）"), required=False,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opted_out"].choices = [(row["kind"], row["label"]) for row in kinds]

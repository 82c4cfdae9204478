from django import forms
from django.utils.translation import gettext_lazy as _


class MobileForm(forms.Form):
    mobile = forms.CharField(label=_("手机号"), max_length=20, error_messages={"required": _("请输入手机号。")},
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel",
                                                           "autofocus": True}))


class CodeForm(forms.Form):
    mobile = forms.CharField(widget=forms.HiddenInput, max_length=20)
    code = forms.CharField(label=_("验证码"), max_length=6, min_length=6,
                           error_messages={"required": _("请输入6位验证码。"), "min_length": _("请输入6位验证码。")},
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "autofocus": True}))

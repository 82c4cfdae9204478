from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """Sign in by user name or mainland mobile number (the backend resolves mobiles)."""

    username = forms.CharField(
        label=_("用户名或手机号"), max_length=150,
        error_messages={"required": _("请输入用户名或手机号。")},
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("密码"), strip=False, error_messages={"required": _("请输入密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("用户名（手机号）或密码不正确。连续输错5次将暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }

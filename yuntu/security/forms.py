from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class ChangePasswordForm(PasswordChangeForm):
    """Django's form with Chinese labels; the new password goes through AUTH_PASSWORD_VALIDATORS."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("原密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            self.add_error("new_password1", forms.ValidationError(_("新密码不能与原密码相同。"), code="password_reused"))
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(label=_("6位动态验证码"), min_length=6, max_length=6,
                            error_messages={"required": _("请输入验证码。"), "min_length": _("验证码为6位数字。"),
                                            "max_length": _("验证码为6位数字。")},
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "pattern": "[0-9]{6}"}))

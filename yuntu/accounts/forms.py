from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    username = forms.CharField(label="用户名或手机号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    error_messages = {
        "invalid_login": "用户名（手机号）或密码不正确。",
        "inactive": "该账号已停用。",
    }

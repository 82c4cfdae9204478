"""Password change (also when it expired) and the optional TOTP second factor."""

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuntu.accounts.audit import audit_record

from .forms import ChangePasswordForm, TokenForm
from .passwords import max_age_days, password_expired

DEVICE_NAME = "云图动态验证码"


def _next_url(request, default: str = "accounts:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit_record(actor=user, action="account.password_change", obj=user, after={"changed": True})
        messages.success(request, _("密码已修改。"))
        return redirect(_next_url(request))
    return render(request, "security/password_change.html", {
        "form": form, "expired": password_expired(request.user), "max_age_days": max_age_days(),
        "next": request.GET.get("next", ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Create an unconfirmed device, show its QR code; a correct code confirms it."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return render(request, "security/otp_setup.html", {"enabled": True})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=user, action="account.otp_enable", obj=user, after={"device": device.name})
            messages.success(request, _("已启用动态验证码，下次登录时需要输入。"))
            return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期，请重新输入手机上显示的6位数字。"))
    qr = segno.make(device.config_url, error="m")
    return render(request, "security/otp_setup.html", {
        "form": form, "qr_data_uri": qr.svg_data_uri(scale=4), "secret": device.bin_key.hex(),
        "next": request.GET.get("next", ""),
    })


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("验证码不正确或已过期。"))
    return render(request, "security/otp_verify.html", {"form": form, "next": request.GET.get("next", "")})

"""Per-request security controls: idle timeout, password expiry, the second factor, extra headers."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from yuntu.accounts.policy import roles_of
from yuntu.accounts.roles import STAFF_ROLES

from .passwords import password_expired

# Paths that never redirect (assets, the API and Open311 answer in their own formats, the pages
# a user needs to get out of the redirect: sign-in, sign-out, password change, second factor).
ALWAYS_OPEN = ("/static/", "/media/", "/api/", "/open311/", "/i18n/", "/logout/", "/login/", "/security/")
LAST_SEEN_KEY = "yuntu_last_seen"
LAST_SEEN_GRANULARITY = 60  # seconds: the session is written at most once a minute for the idle clock


def is_staff_account(user) -> bool:
    return bool(user.is_staff or user.is_superuser or roles_of(user) & STAFF_ROLES)


def _open(request) -> bool:
    return request.path.startswith(ALWAYS_OPEN)


class SessionIdleTimeoutMiddleware:
    """Sign out a session left idle longer than SESSION_IDLE_TIMEOUT seconds (8.1.4.1 b)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0))
        user = getattr(request, "user", None)
        if timeout > 0 and user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - int(last_seen) > timeout:
                logout(request)
                messages.info(request, _("长时间未操作，已自动退出登录，请重新登录。"))
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A staff user whose password is older than PASSWORD_MAX_AGE_DAYS must change it before going on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not _open(request) and is_staff_account(user)
                and password_expired(user)):
            return redirect(f"{reverse('security:password_change')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A user with a confirmed TOTP device is asked for a code after the password (8.1.4.1 d).

    With OTP_REQUIRED_FOR_STAFF, staff without a device are sent to set one up first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _open(request) or getattr(user, "is_verified", lambda: True)():
            return self.get_response(request)
        from django_otp import user_has_device

        next_query = urlencode({"next": request.get_full_path()})
        if user_has_device(user, confirmed=True):
            return redirect(f"{reverse('security:otp_verify')}?{next_query}")
        if getattr(settings, "OTP_REQUIRED_FOR_STAFF", False) and is_staff_account(user):
            return redirect(f"{reverse('security:otp_setup')}?{next_query}")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Browser features the pages do not use are switched off; geolocation stays for the place picker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

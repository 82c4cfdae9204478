"""The resident's home (/portal/) and signing in by mobile number and verification code."""

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yuntu.inbox.selectors import unread_count
from yuntu.publicity import selectors as publicity
from yuntu.voices import selectors as voices
from yuntu.voices.views.portal import public_row

from . import codes
from .forms import CodeForm, MobileForm
from .tiles import tiles_for

BACKEND = "yuntu.portal.backends.MobileCodeBackend"


@require_GET
def home(request):
    user = request.user
    mine = voices.resident_summary(user)
    community = publicity.community_of(user)
    tiles = tiles_for(user)
    return render(request, "portal/home.html", {
        "mine": mine, "tiles_do": [t for t in tiles if t["group"] == "do"],
        "tiles_read": [t for t in tiles if t["group"] == "read"], "tiles_mine": [t for t in tiles if t["group"] == "mine"],
        "affairs": list(publicity.public_publications(under=community.path if community else "")[:4]),
        "has_community": community is not None,
        "news": list(publicity.articles_for_reader(user, kind="news")[:3]),
        "latest": [public_row(item) for item in voices.public_board()[:2]],
        "figures": voices.voices_figures(voices.board_requests()),
        "unread": unread_count(user) if user.is_authenticated else 0,
    })


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return "/portal/"


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")[:64]


def signin(request):
    """Step 1: the mobile number (a code is sent); step 2: the code (signed in, back where they were)."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request))
    mobile_form, code_form, status = MobileForm(), None, 200
    if request.method == "POST" and request.POST.get("step") == "code":
        code_form = CodeForm(request.POST)
        status = 400
        if code_form.is_valid():
            user = authenticate(request, mobile=code_form.cleaned_data["mobile"], code=code_form.cleaned_data["code"])
            if user is not None:
                login(request, user, backend=BACKEND)
                messages.success(request, _("登录成功。"))
                return redirect(_next_url(request))
            error = getattr(request, "signin_code_error", None)
            code_form.add_error("code", error.messages[0] if error else _("验证码不正确。"))
    elif request.method == "POST":
        mobile_form = MobileForm(request.POST)
        status = 400
        if mobile_form.is_valid():
            try:
                codes.send_code(mobile=mobile_form.cleaned_data["mobile"], client_address=_client_address(request))
            except ValidationError as error:
                mobile_form.add_error("mobile", error.message_dict.get("mobile", error.messages))
                status = 429 if "频繁" in " ".join(error.messages) else 400
            else:
                number = codes.clean_mobile(mobile_form.cleaned_data["mobile"])
                code_form = CodeForm(initial={"mobile": number})
                status = 200
                messages.info(request, _("验证码已发送到 %(mobile)s，5分钟内有效。") % {"mobile": number[:3] + "****" + number[-4:]})
    return render(request, "portal/signin.html", {"mobile_form": mobile_form, "code_form": code_form,
                                                  "next": _next_url(request)}, status=status)

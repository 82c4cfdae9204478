from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import SignInForm
from .policy import has_permission_anywhere
from .roles import Permission
from .selectors import audit_entries_visible_to


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def home(request):
    if has_permission_anywhere(request.user, Permission.ORG_VIEW):
        return redirect("orgs:tree")
    return render(request, "accounts/home.html")


@login_required
def audit_list(request):
    if not has_permission_anywhere(request.user, Permission.AUDIT_VIEW):
        raise PermissionDenied("无权查看审计日志。")
    page = Paginator(audit_entries_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_list.html", {"page": page})

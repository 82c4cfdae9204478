from django.apps import apps
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yuntu.orgs.selectors import own_grants, own_member_record

from .forms import SignInForm
from .policy import has_permission_anywhere, roles_of
from .roles import STAFF_ROLES, Permission
from .selectors import audit_entries_visible_to

AUDIT_PER_PAGE = 50

ACTION_LABELS = {
    "org.create": gettext_lazy("新建组织"),
    "org.update": gettext_lazy("修改组织"),
    "org.move": gettext_lazy("移动组织"),
    "member.create": gettext_lazy("登记党员"),
    "member.update": gettext_lazy("修改党员信息"),
    "member.transfer": gettext_lazy("组织关系转接"),
    "member.personal_data_view": gettext_lazy("查看完整个人信息"),
}

FIELD_LABELS = {
    "name": gettext_lazy("名称"), "short_name": gettext_lazy("简称"), "level": gettext_lazy("层级"),
    "kind": gettext_lazy("类型"), "sector": gettext_lazy("领域"), "division_code": gettext_lazy("行政区划代码"),
    "temporary": gettext_lazy("临时党组织"), "end_date": gettext_lazy("撤销日期"), "address": gettext_lazy("地址"),
    "is_active": gettext_lazy("有效"), "gender": gettext_lazy("性别"), "org_id": gettext_lazy("所属组织编号"),
    "org": gettext_lazy("所属组织"), "status": gettext_lazy("党员类别"), "joined_on": gettext_lazy("入党日期"),
    "probation_end": gettext_lazy("预备期满日期"), "floating": gettext_lazy("流动党员"),
    "in_service": gettext_lazy("在职党员"), "employer": gettext_lazy("工作单位"),
    "id_number_masked": gettext_lazy("身份证号"), "mobile_masked": gettext_lazy("手机号"),
    "parent_id": gettext_lazy("上级组织编号"), "path": gettext_lazy("树路径"),
}


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("accounts:home")


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:login")


def is_staff_user(user) -> bool:
    return user.is_superuser or bool(roles_of(user) & STAFF_ROLES)


@login_required
@require_GET
def home(request):
    """Staff go to the org tree; members and residents see their own account."""
    user = request.user
    if is_staff_user(user) and has_permission_anywhere(user, Permission.ORG_VIEW):
        return redirect("orgs:tree")
    return my_account(request)


@login_required
@require_GET
def my_account(request):
    """Anyone's own account: masked mobile, roles (with the orgs they may see) and own member record."""
    user = request.user
    context = {"grants": own_grants(user), "member": own_member_record(user)}
    return render(request, "accounts/home.html", context)


def _value_labels() -> dict[str, dict]:
    from yuntu.orgs.models import Gender, Kind, Level, MemberStatus, Sector

    return {field: dict(choices.choices) for field, choices in
            (("level", Level), ("kind", Kind), ("sector", Sector), ("status", MemberStatus), ("gender", Gender))}


def _display(key: str, value, labels: dict) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return _("是")
    if value is False:
        return _("否")
    label = labels.get(key, {}).get(value)
    return _(label) if label else str(value)


def audit_changes(entry, labels: dict | None = None) -> list[dict]:
    """Rows of (field, before, after) for one entry: on an update the fields that changed, on a creation
    the fields that were filled in."""
    labels = _value_labels() if labels is None else labels
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [{"label": _("内容"), "before": str(before or ""), "after": str(after or "")}]
    rows = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if before and after and old == new:
            continue
        if not before and new in (None, "", False):
            continue
        rows.append({"label": FIELD_LABELS.get(key, key), "before": _display(key, old, labels) if before else "",
                     "after": _display(key, new, labels) if after else ""})
    return rows


def object_type_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@login_required
@require_GET
def audit_list(request):
    if not has_permission_anywhere(request.user, Permission.AUDIT_VIEW):
        raise PermissionDenied(_("无权查看审计日志。"))
    entries = audit_entries_visible_to(request.user).select_related("org")
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    labels = _value_labels()
    rows = [{"entry": entry, "action": ACTION_LABELS.get(entry.action, entry.action),
             "object_type": object_type_label(entry.object_type), "changes": audit_changes(entry, labels)}
            for entry in page.object_list]
    return render(request, "accounts/audit_list.html", {"page": page, "rows": rows})

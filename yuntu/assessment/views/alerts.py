"""合规预警: the alerts of a subtree with counts by rule and by unit, one alert, explain and review, rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.orglife.access import holds_at_root

from .. import rules, selectors, services
from ..access import get_alert_for_user
from ..forms import AlertFilterForm
from ..workflow import ALERT_TRANSITIONS
from .common import assessment_page, chosen_org, error_text, org_navigation

PAGE_SIZE = 50


@assessment_page
def alert_list(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    form = AlertFilterForm(request.GET or None, rule_choices=[(rule.code, rule.name) for rule in rules.all_rules()])
    filters = form.filters() if request.GET else {"rule": "", "status": "", "severity": ""}
    alerts = selectors.alert_list(user, org=org, **filters)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {rule.code: rule.name for rule in rules.all_rules()}
    for alert in page:
        alert.rule_name = names.get(alert.rule, alert.rule)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assessment/alert_list.html", {
        "form": form, "page": page, "by_rule": selectors.counts_by_rule(user, org=org),
        "by_unit": selectors.counts_by_unit(user, org=org)[:100], "last_scan": selectors.last_scan(),
        "can_scan": holds_at_root(user, Permission.ASSESSMENT_MANAGE), "query_string": query.urlencode(),
        **org_navigation(user, org)})


@assessment_page
def alert_detail(request, pk):
    user = request.user
    alert = get_alert_for_user(user, pk)
    rule = rules.get(alert.rule)
    actions = []
    for transition in ALERT_TRANSITIONS.values():
        path = alert.org_path if transition.name == "explain" else alert.parent_path
        if alert.status in transition.sources and path and can(user, transition.permission, path=path):
            actions.append(transition)
    return render(request, "assessment/alert_detail.html", {
        "alert": alert, "rule": rule, "actions": actions, "timeline": alert.events.select_related("actor")})


@require_POST
@assessment_page
def alert_transition(request, pk):
    alert = get_alert_for_user(request.user, pk)
    try:
        services.alert_transition(actor=request.user, alert=alert, name=request.POST.get("name", ""),
                                  reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("已提交。"))
    return redirect("assessment:alert_detail", alert.pk)


@require_POST
@assessment_page
def scan_now(request):
    """立即扫描: enqueue the scan (run at once by the test and immediate backends)."""
    from ..tasks import compliance_scan

    if not holds_at_root(request.user, Permission.ASSESSMENT_MANAGE):
        raise PermissionDenied(_("合规扫描覆盖整棵组织树，只有区委组织部可以发起。"))
    result = compliance_scan.enqueue()
    if getattr(result, "status", "") == "SUCCESSFUL" and isinstance(result.return_value, dict):
        value = result.return_value
        messages.success(request, _("扫描完成：新发现%(raised)s条，消除%(resolved)s条，升级%(escalated)s条。")
                         % value)
    else:
        messages.success(request, _("已加入扫描队列，稍后刷新查看。"))
    org = request.POST.get("org", "")
    return redirect(f"{request.path.rsplit('scan/', 1)[0]}{'?org=' + org if org.isdigit() else ''}")


@assessment_page
def rule_list(request):
    return render(request, "assessment/rules.html", {
        "rules": rules.effective_rules(), "can_configure": holds_at_root(request.user, Permission.ASSESSMENT_MANAGE)})


@require_POST
@assessment_page
def rule_configure(request, rule_code):
    try:
        services.rule_configure(actor=request.user, code=rule_code, config=request.POST.get("config", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("规则配置已保存，下次扫描生效。"))
    return redirect("assessment:rules")

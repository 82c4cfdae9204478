"""Staff pages: post and follow needs, confirm or return claims, dual reports and service records,
the 5+X table of a branch (who is behind) and the figures per unit."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can, has_permission_anywhere, scope_paths, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.core.pages import module_page, run_service
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.orgs.forms import add_service_errors
from yuntu.orgs.models import Level, Member, Org
from yuntu.voices.views.common import (
    area,
    error_text,
    photo_of,
    posted,
    query_without,
    refusal_status,
    serve_photo,
)

from .. import fiveplusx, selectors, services
from ..access import get_claim_for_user, get_need_for_user
from ..forms import BranchReportForm, NeedFilterForm, NeedForm, ReasonForm, ServiceForm
from ..workflow import ClaimStatus

PAGE_SIZE = 30
FIVEPLUSX_MEMBERS = 300
RECENT_SERVICES = 50
FIGURES = ("claims.branches_reported", "claims.members_reported", "claims.needs_posted", "claims.needs_claimed",
           "claims.needs_done", "claims.service_visits", "claims.service_hours")


claims_page = module_page(
    needs=Permission.CLAIMS_VIEW, refused=gettext_lazy("无权查看服务认领。"),
    missing=gettext_lazy("记录不存在或不在您的查看范围内。"), record_kwarg="pk",
    flags={"claims_can_post": Permission.CLAIMS_POST, "claims_can_report": Permission.CLAIMS_REPORT})
"""Signed in and holding claims.view somewhere; the rest is decided per record."""


def scope_org(request, permission: str = Permission.CLAIMS_VIEW) -> Org:
    """The org a page is about: ?org=<id> within the user's scope, else the top of their scope."""
    orgs = visible(request.user, Org, permission)
    chosen = request.GET.get("org", "")
    if chosen.isdigit():
        org = orgs.filter(pk=chosen).first()
        if org is not None:
            return org
    paths = scope_paths(request.user, permission)
    top = Org.objects.filter(path__in=paths).order_by("depth", "path").first() if "" not in paths else \
        Org.objects.filter(depth=1).order_by("path").first()
    if top is None:
        raise PermissionDenied(_("无权查看服务认领。"))
    return top


def year_of(request) -> int:
    """?year=YYYY, or this year."""
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 < int(text) < 2100 else clock.today().year


def _children(org: Org) -> list[Org]:
    """The org's direct children (all within the scope the org was picked from)."""
    return list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")[:200])


@claims_page
@require_GET
def need_list(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.filters()
    needs = selectors.needs_visible_to(request.user)
    if filters["category"]:
        needs = needs.filter(category=filters["category"])
    if filters["status"]:
        needs = needs.filter(status=filters["status"])
    if filters["query"]:
        needs = needs.filter(title__contains=filters["query"])
    org = scope_org(request)
    needs = needs.filter(org_path__under=org.path).order_by("-posted_at", "-id")
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = selectors.claims_visible_to(request.user).filter(status=ClaimStatus.REPORTED,
                                                               org_path__under=org.path).count()
    return render(request, "claims/need_list.html", {"form": form, "page": page, "org": org, "waiting": waiting,
                                                     "query": query_without(request, "page")})


@claims_page
def need_create(request):
    form = NeedForm(*posted(request, files=True), user=request.user)

    def page(status):
        return render(request, "claims/need_form.html", {"form": form, "area": area()}, status=status)

    if request.method != "POST":
        return page(200)
    return run_service(
        request, form, lambda data: services.need_post(
            actor=request.user, org=data["org"], kind=data["kind"], category=data["category"], title=data["title"],
            description=data["description"], address=data["address"], latitude=data["latitude"],
            longitude=data["longitude"], claimants_needed=data["claimants_needed"], deadline=data["deadline"],
            photos=data["photos"]),
        success=_("需求已发布，党员可在手机端认领。"), done=lambda need: reverse("claims:need_detail", args=[need.pk]),
        page=page)


def _need_context(request, need, **extra) -> dict:
    claims = list(need.claims.select_related("member", "member__org", "branch").prefetch_related("photos")
                  .order_by("claimed_at", "id"))
    context = {"need": need, "claims": claims, "photos": list(need.photos.order_by("id")),
               "may_confirm": can(request.user, Permission.CLAIMS_POST, need),
               "may_claim_for_branch": visible(request.user, Org, Permission.CLAIMS_BRANCH).filter(
                   level=Level.BRANCH).order_by("path")[:20],
               "reason_form": ReasonForm()}
    context.update(extra)
    return context


@claims_page
@require_GET
def need_detail(request, pk):
    need = get_need_for_user(request.user, pk)
    return render(request, "claims/need_detail.html", _need_context(request, need))


@claims_page
@require_GET
def need_photo(request, pk):
    need = get_need_for_user(request.user, pk)
    return serve_photo(photo_of(need, request.GET.get("photo", "")))


def _refuse(request, need, error, **extra):
    need.refresh_from_db()
    return render(request, "claims/need_detail.html", _need_context(request, need, action_error=error_text(error),
                                                                      **extra), status=refusal_status(error))


@claims_page
@require_POST
def need_withdraw(request, pk):
    need = get_need_for_user(request.user, pk)
    try:
        services.need_withdraw(actor=request.user, need=need, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, need, error)
    messages.success(request, _("需求已撤回。"))
    return redirect("claims:need_detail", pk=need.pk)


@claims_page
@require_POST
def need_branch_claim(request, pk):
    """A branch secretary claims a need in the branch's name."""
    need = get_need_for_user(request.user, pk)
    branch_id = request.POST.get("branch", "")
    branch = visible(request.user, Org, Permission.CLAIMS_BRANCH).filter(pk=branch_id).first() \
        if branch_id.isdigit() else None
    try:
        if branch is None:
            raise PermissionDenied(_("请选择您所在的党支部。"))
        services.need_claim(actor=request.user, need=need, branch=branch)
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, need, error)
    messages.success(request, _("已以支部名义认领。"))
    return redirect("claims:need_detail", pk=need.pk)


@claims_page
@require_POST
def claim_transition(request, pk):
    """确认完成 (hours credited) or 退回补充 (with a reason)."""
    claim = get_claim_for_user(request.user, pk)
    name = request.POST.get("name", "")
    if name not in ("confirm", "return"):
        return _refuse(request, claim.need, ValidationError(_("未知的操作：%(name)s") % {"name": name[:20]}))
    try:
        services.claim_transition(actor=request.user, claim=claim, name=name, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        return _refuse(request, claim.need, error)
    messages.success(request, _("已确认完成，志愿服务时长已计入。") if name == "confirm" else _("已退回认领人补充。"))
    return redirect("claims:need_detail", pk=claim.need_id)


@claims_page
@require_GET
def claim_photo(request, pk):
    claim = get_claim_for_user(request.user, pk)
    return serve_photo(photo_of(claim, request.GET.get("photo", "")))


# ---- dual reports -----------------------------------------------------------------------------


@claims_page
def reports(request):
    """Who reported to the communities in scope, what they did there and for how long."""
    org = scope_org(request)
    year = year_of(request)
    branch_form = BranchReportForm(user=request.user, prefix="branch")
    service_form = ServiceForm(user=request.user, prefix="service", initial={"served_on": clock.today()})
    status = 200
    if request.method == "POST":
        status = 400
        which = request.POST.get("form", "")
        try:
            if which == "branch":
                branch_form = BranchReportForm(request.POST, user=request.user, prefix="branch")
                if branch_form.is_valid():
                    services.branch_report(actor=request.user, **branch_form.cleaned_data)
                    messages.success(request, _("已登记党组织报到。"))
                    return redirect(request.get_full_path())
            elif which == "service":
                service_form = ServiceForm(request.POST, user=request.user, prefix="service")
                if service_form.is_valid():
                    services.service_record(actor=request.user, **service_form.cleaned_data)
                    messages.success(request, _("已登记服务记录。"))
                    return redirect(request.get_full_path())
            else:
                raise ValidationError(_("未知的操作。"))
        except ValidationError as error:
            add_service_errors(branch_form if which == "branch" else service_form, error)
        except PermissionDenied as error:
            (branch_form if which == "branch" else service_form).add_error(None, error_text(error))
            status = 403
    rows = selectors.community_reports(org.path, year=year) if org.depth >= 1 else []
    recent = (selectors.services_visible_to(request.user).filter(org_path__under=org.path, served_on__year=year)
              .select_related("member__org").order_by("-served_on", "-id")[:RECENT_SERVICES])
    return render(request, "claims/reports.html", {
        "org": org, "year": year, "rows": rows, "children": _children(org), "recent": recent, "branch_form": branch_form, "service_form": service_form,
        "may_report": can(request.user, Permission.CLAIMS_REPORT, org) or visible(
            request.user, Org, Permission.CLAIMS_REPORT).filter(path__under=org.path).exists(),
        "may_branch_report": has_permission_anywhere(request.user, Permission.CLAIMS_BRANCH)
        or has_permission_anywhere(request.user, Permission.CLAIMS_REPORT),
    }, status=status)


@claims_page
@require_GET
def five_plus_x(request):
    """A branch's members and their 5+X year: who has which duty, who is behind."""
    org = scope_org(request)
    year = year_of(request)
    members = visible(request.user, Member, Permission.CLAIMS_VIEW).filter(org_path__under=org.path, is_active=True,
                                                                           in_service=True)
    total = members.count()
    rows, duties = [], [{"label": duty.label, "hint": duty.hint, "connected": fiveplusx.source_of(duty.code) is not None}
                        for duty in fiveplusx.DUTIES]
    if total <= FIVEPLUSX_MEMBERS:
        listed = list(members.select_related("org").order_by("org_path", "id"))
        duties, rows = fiveplusx.member_rows(listed, year, members)
        if request.GET.get("behind") == "1":
            rows = [row for row in rows if row["missing"]]
        rows.sort(key=lambda row: -row["missing"])
    children = _children(org)
    return render(request, "claims/five_plus_x.html", {
        "org": org, "year": year, "duties": duties, "rows": rows, "total": total, "limit": FIVEPLUSX_MEMBERS,
        "children": children, "behind": request.GET.get("behind") == "1",
        "behind_count": sum(1 for row in rows if row["missing"]),
    })


def period_of(request) -> tuple[datetime.date | None, datetime.date | None, str]:
    """?year=YYYY[&quarter=1-4]: the period a figures page covers, as [start, end)."""
    year_text, quarter_text = request.GET.get("year", ""), request.GET.get("quarter", "")
    if not (year_text.isdigit() and 2000 < int(year_text) < 2100):
        return None, None, _("累计")
    year = int(year_text)
    if quarter_text in ("1", "2", "3", "4"):
        quarter = int(quarter_text)
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, end, _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), _("%(year)s年") % {"year": year}


@claims_page
@require_GET
def figures(request):
    """The figures per unit and period, through the indicator registry: the org, and each child below it."""
    org = scope_org(request)
    start, end, period = period_of(request)
    scope = Scope(org_path=org.path, start=start, end=end)
    indicators = [registry.get(code) for code in FIGURES]
    totals = [{"indicator": indicator, "value": registry.value(indicator.code, scope)} for indicator in indicators]
    by_child = {indicator.code: registry.values_by_child(indicator.code, scope, Org.steplen) for indicator in indicators}
    children = _children(org)
    child_rows = [{"org": child, "values": [by_child[indicator.code].get(child.path, 0) for indicator in indicators]}
                  for child in children]
    return render(request, "claims/figures.html", {"org": org, "period": period, "totals": totals,
                                                   "indicators": indicators, "child_rows": child_rows,
                                                   "children": children,
                                                   "year": request.GET.get("year", ""),
                                                   "quarter": request.GET.get("quarter", "")})

"""Desktop pages of the organisation tree and its members.

Every object comes from `access.get_*_for_user` (404 for 'missing' and 'not yours' alike), every
list from a selector, every write from a service. A service's ValidationError or PermissionDenied
becomes a form error: nothing is written, since each service is one transaction.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuntu.accounts.policy import can, has_permission_anywhere
from yuntu.accounts.roles import Permission

from . import selectors, services
from .access import get_member_for_user, get_org_for_user
from .forms import (
    MemberFilterForm,
    MemberForm,
    MemberTransferForm,
    OrgEditForm,
    OrgForm,
    OrgMoveForm,
    OrgSearchForm,
    add_service_errors,
)
from .models import Level, Member, Org

MEMBERS_PER_PAGE = 50
MEMBER_LEVELS = [Level.COMMUNITY, Level.BRANCH, Level.GROUP]
NEXT_LEVEL = {Level.DISTRICT: Level.STREET, Level.STREET: Level.COMMUNITY, Level.COMMUNITY: Level.BRANCH,
              Level.BRANCH: Level.GROUP, Level.GROUP: Level.GROUP}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_anywhere(user, permission: str, message: str) -> None:
    if not has_permission_anywhere(user, permission):
        raise PermissionDenied(message)


def _require(user, permission: str, obj, message: str) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(message)


def _search_results(user, query: str, *, permission: str | None = None, levels=None) -> list[tuple[Org, list[str]]]:
    if permission is None:
        orgs = list(selectors.org_search(user, query))
    else:
        orgs = list(selectors.org_candidates(user, query, permission=permission, levels=levels))
    trails = selectors.org_trails(user, orgs)
    return [(org, trails.get(org.pk, [])) for org in orgs]


# --- Org tree ---


@login_required
@require_GET
def tree(request):
    _require_anywhere(request.user, Permission.ORG_VIEW, _("无权查看组织架构。"))
    form = OrgSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query, "results": _search_results(request.user, query) if query else None}
    if _is_htmx(request) and "q" in request.GET:
        return render(request, "orgs/_search_results.html", context)
    context["nodes"] = selectors.org_roots_with_counts(request.user)
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def children(request, pk):
    """The children of one node as a partial for the tree; without JS the node's own page."""
    org = get_org_for_user(request.user, pk)
    if not _is_htmx(request):
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/_tree_nodes.html", {"nodes": selectors.org_children_with_counts(request.user, org)})


@login_required
@require_GET
def org_detail(request, pk):
    user = request.user
    org = get_org_for_user(user, pk)
    context = {
        "org": org,
        "breadcrumb": selectors.org_breadcrumb(user, org),
        "children": selectors.org_children_with_counts(user, org),
        "counts": selectors.subtree_member_counts(org),
        "partner_units": selectors.partner_units_of(user, org),
        "grids": selectors.grids_of(user, org),
        "can_change": can(user, Permission.ORG_CHANGE, org),
        "can_view_members": can(user, Permission.MEMBER_VIEW, org),
        "can_add_member": can(user, Permission.MEMBER_CHANGE, org) and org.level in MEMBER_LEVELS,
    }
    return render(request, "orgs/org_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request, pk):
    parent = get_org_for_user(request.user, pk)
    _require(request.user, Permission.ORG_CHANGE, parent, _("无权在该组织下新建组织。"))
    form = OrgForm(request.POST or None, initial={"level": NEXT_LEVEL[parent.level], "sector": parent.sector})
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已新建组织“%(name)s”。") % {"name": org.name})
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "parent": parent, "org": None,
                                                  "breadcrumb": [*selectors.org_breadcrumb(request.user, parent), parent]})


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request, pk):
    org = get_org_for_user(request.user, pk)
    _require(request.user, Permission.ORG_CHANGE, org, _("无权修改该组织。"))
    initial = {name: getattr(org, name) for name in OrgEditForm.base_fields}
    form = OrgEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changes:
            messages.info(request, _("没有需要保存的修改。"))
            return redirect("orgs:detail", pk=org.pk)
        try:
            services.org_update(actor=request.user, org=org, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存对组织的修改。"))
            return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/org_form.html", {"form": form, "parent": None, "org": org,
                                                  "breadcrumb": selectors.org_breadcrumb(request.user, org)})


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request, pk):
    user = request.user
    org = get_org_for_user(user, pk)
    _require(user, Permission.ORG_CHANGE, org, _("无权移动该组织。"))
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:64]
    form = OrgMoveForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_move(actor=user, org=org, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已将“%(name)s”及其下级组织移动到“%(parent)s”之下。")
                             % {"name": org.name, "parent": form.cleaned_data["new_parent"].name})
            return redirect("orgs:detail", pk=org.pk)
    context = {"org": org, "form": form, "query": query,
               "breadcrumb": selectors.org_breadcrumb(user, org),
               "candidates": _search_results(user, query, permission=Permission.ORG_CHANGE) if query else None}
    return render(request, "orgs/org_move.html", context)


# --- Members ---


@login_required
@require_GET
def member_list(request):
    user = request.user
    _require_anywhere(user, Permission.MEMBER_VIEW, _("无权查看党员信息。"))
    form = MemberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    org = None
    if filters.get("org"):
        org = get_org_for_user(user, filters["org"], permission=Permission.MEMBER_VIEW)
    members = selectors.member_list(
        user, org=org, query=filters.get("q", "").strip(), status=filters.get("status", ""),
        floating=MemberFilterForm.as_flag(filters.get("floating", "")),
        in_service=MemberFilterForm.as_flag(filters.get("in_service", "")),
    )
    paginator = Paginator(members, MEMBERS_PER_PAGE)
    if not any(filters.get(key) for key in ("q", "status", "floating", "in_service")):
        paginator.count = selectors.member_list_count(user, org=org)  # from the roll-up, not a row count
    page = paginator.get_page(request.GET.get("page"))
    keep = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {"form": form, "page": page, "org": org, "query_string": urlencode(keep),
               "can_add_member": org is not None and can(user, Permission.MEMBER_CHANGE, org)
               and org.level in MEMBER_LEVELS}
    return render(request, "orgs/member_list.html", context)


def _member_detail_context(user, member: Member) -> dict:
    return {
        "member": member,
        "breadcrumb": [*selectors.org_breadcrumb(user, member.org), member.org],
        "transfers": selectors.transfers_of(user, member),
        "can_change": can(user, Permission.MEMBER_CHANGE, member),
        "can_view_personal_data": can(user, Permission.PERSONAL_DATA_VIEW, member),
    }


@login_required
@require_GET
def member_detail(request, pk):
    member = get_member_for_user(request.user, pk)
    return render(request, "orgs/member_detail.html", _member_detail_context(request.user, member))


@never_cache
@login_required
@require_POST
def member_personal_data(request, pk):
    """Show the clear ID number and mobile once; the service audits the reading. Never kept in the session."""
    member = get_member_for_user(request.user, pk)
    personal = services.member_personal_data(actor=request.user, member=member)
    context = {**_member_detail_context(request.user, member), "personal": personal}
    return render(request, "orgs/member_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request, org_pk):
    user = request.user
    org = get_org_for_user(user, org_pk)
    _require(user, Permission.MEMBER_CHANGE, org, _("无权在该组织下登记党员。"))
    form = MemberForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        personal = services.PersonalData(form.cleaned_data["id_number"], form.cleaned_data["mobile"])
        try:
            member = services.member_create(actor=user, org=org, personal=personal, **form.member_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已登记党员“%(name)s”。") % {"name": member.name})
            return redirect("orgs:member_detail", pk=member.pk)
    return render(request, "orgs/member_form.html", {"form": form, "org": org, "member": None,
                                                     "breadcrumb": [*selectors.org_breadcrumb(user, org), org]})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    user = request.user
    member = get_member_for_user(user, pk)
    _require(user, Permission.MEMBER_CHANGE, member, _("无权修改该党员信息。"))
    initial = {name: getattr(member, name) for name in MemberForm.base_fields if name not in ("id_number", "mobile")}
    initial["reporting_community"] = member.reporting_community_id
    form = MemberForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        id_number = form.cleaned_data["id_number"]
        personal = services.PersonalData(id_number, form.cleaned_data["mobile"]) if id_number else None
        try:
            services.member_update(actor=user, member=member, personal=personal, **form.member_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已保存党员信息。"))
            return redirect("orgs:member_detail", pk=member.pk)
    return render(request, "orgs/member_form.html", {"form": form, "org": member.org, "member": member,
                                                     "breadcrumb": [*selectors.org_breadcrumb(user, member.org),
                                                                    member.org]})


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request, pk):
    user = request.user
    member = get_member_for_user(user, pk)
    _require(user, Permission.MEMBER_CHANGE, member, _("无权转出该党员。"))
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:64]
    form = MemberTransferForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(actor=user, member=member, to_org=form.cleaned_data["to_org"],
                                     reason=form.cleaned_data["reason"],
                                     transferred_on=form.cleaned_data["transferred_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已将“%(name)s”的组织关系转入“%(org)s”。")
                             % {"name": member.name, "org": form.cleaned_data["to_org"].name})
            return redirect("orgs:member_detail", pk=member.pk)
    candidates = None
    if query:
        candidates = _search_results(user, query, permission=Permission.MEMBER_CHANGE, levels=MEMBER_LEVELS)
    context = {"member": member, "form": form, "query": query, "candidates": candidates,
               "breadcrumb": [*selectors.org_breadcrumb(user, member.org), member.org]}
    return render(request, "orgs/member_transfer.html", context)

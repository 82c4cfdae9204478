"""What every organisational-life page shares: the permission gate, the chosen subtree, errors as messages."""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Org

from .. import selectors

STEP = Org.steplen


def orglife_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_permission_anywhere(request.user, Permission.ORGLIFE_VIEW):
            raise PermissionDenied(_("无权查看组织生活。"))
        request.orglife_can_edit = has_permission_anywhere(request.user, Permission.ORGLIFE_EDIT)
        return view(request, *args, **kwargs)

    return wrapped


def chosen_org(user, value, permission: str = Permission.ORGLIFE_VIEW) -> Org:
    """The subtree a page is about: `?org=<pk>` among the visible orgs, else the first root of the user's scope."""
    if value not in (None, ""):
        org = (selectors.orglife_orgs_visible_to(user, permission=permission).filter(pk=value).first()
               if str(value).isdigit() else None)
        if org is None:
            raise Http404(_("该组织不存在或不在您的查看范围内。"))
        return org
    root = selectors.orglife_roots_for(user, permission=permission).first()
    if root is None:
        raise Http404(_("您没有可查看的组织。"))
    return root


def org_navigation(user, org: Org, permission: str = Permission.ORGLIFE_VIEW) -> dict:
    """Breadcrumb, children and other roots for the subtree picker (`ledger/_org_scope.html`)."""
    wanted = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    visible = selectors.orglife_orgs_visible_to(user, permission=permission)
    return {"org": org, "org_trail": list(visible.filter(path__in=wanted).order_by("depth")),
            "org_children": list(visible.filter(path__under=org.path, depth=org.depth + 1).order_by("path")[:200]),
            "org_roots": list(selectors.orglife_roots_for(user, permission=permission)[:50])}


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("无权执行该操作。")


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else default.replace(day=1)
    except ValueError:
        return default.replace(day=1)

"""What every organisational-life page shares: the permission gate, the chosen subtree, errors as messages."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuntu.accounts.roles import Permission
from yuntu.core.pages import error_text as error_text
from yuntu.core.pages import module_page
from yuntu.orgs.models import Org

from .. import selectors

STEP = Org.steplen


orglife_page = module_page(needs=Permission.ORGLIFE_VIEW, refused=gettext_lazy("无权查看组织生活。"),
                           flags={"orglife_can_edit": Permission.ORGLIFE_EDIT})


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
    """Breadcrumb, children and other roots for the subtree picker (`includes/org_scope.html`)."""
    wanted = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    visible = selectors.orglife_orgs_visible_to(user, permission=permission)
    return {"org": org, "org_trail": list(visible.filter(path__in=wanted).order_by("depth")),
            "org_children": list(visible.filter(path__under=org.path, depth=org.depth + 1).order_by("path")[:200]),
            "org_roots": list(selectors.orglife_roots_for(user, permission=permission)[:50])}


def parse_month(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else default.replace(day=1)
    except ValueError:
        return default.replace(day=1)

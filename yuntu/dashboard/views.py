"""The command dashboard (指挥调度): key figures, trends, rankings and map of a subtree; figure → records."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.indicators.figures import record_rows
from yuntu.orgs.models import Org

from . import selectors
from .forms import PeriodForm

PAGE_SIZE = 50


def dashboard_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_permission_anywhere(request.user, Permission.DASHBOARD_VIEW):
            raise PermissionDenied(_("无权查看指挥调度大屏。"))
        return view(request, *args, **kwargs)

    return wrapped


def chosen_org(user, value) -> Org:
    """`?org=<pk>` among the orgs of the user's dashboard scope (404 alike for missing and not yours)."""
    if value not in (None, ""):
        org = selectors.dashboard_orgs_visible_to(user).filter(pk=value).first() if str(value).isdigit() else None
        if org is None:
            raise Http404(_("该组织不存在或不在您的查看范围内。"))
        return org
    root = selectors.dashboard_roots_for(user).first()
    if root is None:
        raise Http404(_("您没有可查看的组织。"))
    return root


def records_url(indicator, org: Org, period: dict) -> str:
    query = {"indicator": indicator.code, "org": org.pk}
    query.update({key: value.isoformat() for key, value in period.items() if value})
    return reverse("dashboard:records") + "?" + urlencode(query)


def _period_query(period: dict) -> str:
    return urlencode({key: value.isoformat() for key, value in period.items() if value})


def _chart_data(board, period: dict, wall: bool) -> dict:
    """What the charts draw, passed with json_script; every point carries the link a click follows."""
    suffix = ("&" + _period_query(period) if _period_query(period) else "") + ("&wall=1" if wall else "")
    drill = reverse("dashboard:board") + "?org={}" + suffix
    ranking = board.ranking
    return {
        "months": [month.strftime("%Y-%m") for month in board.trend.get("months", [])],
        "trend": [{"module": selectors.module_label(row["indicator"].module), "name": row["indicator"].name,
                   "code": row["indicator"].code, "data": row["data"]} for row in board.trend.get("series", [])],
        "ranking": {"name": ranking["indicator"].name, "unit": ranking["indicator"].unit,
                    "rows": [{"name": row["org"].short_name or row["org"].name, "value": row["value"],
                              "url": drill.format(row["org"].pk)} for row in ranking["rows"]]} if ranking else None,
        "points": [{"name": row["org"].short_name or row["org"].name, "lat": row["point"][0], "lng": row["point"][1],
                    "value": row["value"], "url": drill.format(row["org"].pk)} for row in board.points],
        # Offline by default: markers on a plain background; a deployment with its own tile server names it here.
        "tiles": getattr(settings, "DASHBOARD_MAP_TILES", ""),
    }


@dashboard_page
def board(request):
    user = request.user
    form = PeriodForm(request.GET if ("start" in request.GET or "end" in request.GET) else None)
    period = form.period()
    org = chosen_org(user, request.GET.get("org"))
    wall = request.GET.get("wall") == "1"
    result = selectors.board(user, org=org, start=period["start"], end=period["end"], rank=request.GET.get("rank", ""))
    for module in result.modules:
        for row in module["figures"]:
            row["url"] = records_url(row["indicator"], org, period)
    for row in result.children:
        row["url"] = reverse("dashboard:board") + f"?org={row['org'].pk}" + (
            "&" + _period_query(period) if _period_query(period) else "") + ("&wall=1" if wall else "")
        row["cells"] = [{"value": value, "indicator": indicator, "url": records_url(indicator, row["org"], period)}
                        for value, indicator in zip(row["values"], result.columns, strict=True)]
    context = {
        "form": form, "board": result, "org": org, "period": period, "wall": wall,
        "period_query": _period_query(period),
        "org_trail": selectors.org_trail(user, org), "org_children": [row["org"] for row in result.children],
        "org_roots": list(selectors.dashboard_roots_for(user)[:50]),
        "chart_data": _chart_data(result, period, wall),
    }
    return render(request, "dashboard/wall.html" if wall else "dashboard/board.html", context)


@dashboard_page
def records(request):
    """Click a figure, see its records: the same query as the figure, limited by the policy."""
    user = request.user
    try:
        indicator = registry.get(request.GET.get("indicator", ""))
    except registry.UnknownIndicator:
        raise Http404(_("没有这个指标。")) from None
    org = chosen_org(user, request.GET.get("org"))
    if not selectors.may_see(user, indicator, org):
        raise Http404(_("该组织不存在或不在您的查看范围内。"))
    form = PeriodForm(request.GET if ("start" in request.GET or "end" in request.GET) else None)
    period = form.period()
    scope = selectors.scope_of(org, period["start"], period["end"])
    queryset = selectors.records(user, indicator, scope)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/records.html", {
        "indicator": indicator, "org": org, "period": period, "page": page, "form": form,
        "value": selectors.Figures(scope).value(indicator), "rows": record_rows(indicator, page.object_list),
        "query": urlencode({key: value for key, value in request.GET.items() if key != "page"}),
        "back": reverse("dashboard:board") + f"?org={org.pk}" + (
            "&" + _period_query(period) if _period_query(period) else ""),
    })

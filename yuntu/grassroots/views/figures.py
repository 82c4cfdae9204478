"""The 四下基层 home: the figures of the user's scope and of each unit under it, through the indicator registry."""

import datetime

from django.shortcuts import render
from django.views.decorators.http import require_GET

from yuntu.accounts.policy import scope_paths
from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.orgs.models import Org

from ..forms import PeriodForm
from .common import grassroots_page

CODES = ("grassroots.topics", "grassroots.field_visits", "grassroots.problems_solved_on_site", "grassroots.contacts",
         "grassroots.enterprises_visited", "grassroots.enterprises_served", "grassroots.demands_raised",
         "grassroots.demands_resolved")


def figures_for(user, start: datetime.date | None, end: datetime.date | None) -> dict:
    """Figures over the user's grassroots.view scope; per child unit of the first root (one grouped query each)."""
    roots = scope_paths(user, Permission.GRASSROOTS_VIEW)
    if not roots:
        return {"roots": [], "totals": [], "units": []}
    end_exclusive = end + datetime.timedelta(days=1) if end else None
    indicators = [registry.get(code) for code in CODES]
    totals = [{"code": ind.code, "name": ind.name, "unit": ind.unit, "definition": ind.definition,
               "value": sum(registry.value(ind.code, Scope(root, start, end_exclusive)) for root in roots)}
              for ind in indicators]
    root = roots[0] if roots[0] else Org.objects.filter(depth=1).values_list("path", flat=True).first() or ""
    by_child = {ind.code: registry.values_by_child(ind.code, Scope(root, start, end_exclusive), Org.steplen)
                for ind in indicators}
    children = Org.objects.filter(path__startswith=root, depth=len(root) // Org.steplen + 1).order_by("path")
    units = [{"org": child, "values": [by_child[ind.code].get(child.path, 0) for ind in indicators]} for child in children]
    return {"roots": roots, "totals": totals, "units": [unit for unit in units if any(unit["values"])],
            "headers": [ind.name for ind in indicators]}


@grassroots_page
@require_GET
def index(request):
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    figures = figures_for(request.user, data.get("start"), data.get("end")) if request.grassroots_can_view else None
    return render(request, "grassroots/index.html", {"form": form, "figures": figures})

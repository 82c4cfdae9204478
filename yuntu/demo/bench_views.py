"""Views for the benchmark only (`bench/run.py`), mounted under /bench/ when benchmarking.

`hello` is the baseline: a hello-world view of the same app served the same way (same WSGI
app, middleware, workers), so the other figures can be read as ratios to it. The selector views
answer the same questions as the real pages through `yuntu.orgs.selectors`, as JSON, so the
cost of the reads can be told apart from the cost of the templates; the benchmark uses them
only where a real page is missing.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from yuntu.orgs import selectors
from yuntu.orgs.access import get_org_for_user

PAGE_SIZE = 50


@require_GET
def hello(request):
    return HttpResponse("hello", content_type="text/plain")


@login_required
@require_GET
def subtree_counts(request, pk):
    org = get_org_for_user(request.user, pk)
    return JsonResponse({"org": org.pk, **selectors.subtree_member_counts(org)})


@login_required
@require_GET
def children_counts(request, pk):
    org = get_org_for_user(request.user, pk)
    nodes = selectors.org_children_with_counts(request.user, org)
    return JsonResponse({"org": org.pk, "children": [
        {"id": child.pk, "name": child.name, "level": child.level, "numchild": child.numchild, **counts}
        for child, counts in nodes]})


@login_required
@require_GET
def members(request):
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    rows = selectors.member_list(request.user)[start:start + PAGE_SIZE]
    return JsonResponse({"page": page, "results": [
        {"id": member.pk, "name": member.name, "org": member.org.name, "status": member.status,
         "id_number": member.id_number_masked, "mobile": member.mobile_masked}
        for member in rows]})

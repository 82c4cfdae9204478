from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import org_roots_for


@login_required
def tree(request):
    return render(request, "orgs/tree.html", {"roots": org_roots_for(request.user)})

"""What the 四下基层 pages share: the gate, and one way to run a service from a posted form."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from yuntu.accounts.roles import Permission
from yuntu.core import pages
from yuntu.core.pages import module_page

PAGE_SIZE = 30


grassroots_page = module_page(flags={"grassroots_can_view": Permission.GRASSROOTS_VIEW,
                                     "grassroots_can_edit": Permission.GRASSROOTS_EDIT,
                                     "grassroots_can_appraise": Permission.GRASSROOTS_APPRAISE})
"""Signed in; staff pages also need grassroots.view somewhere (a cadre's own pages do not)."""


def staff_only(request, *, edit: bool = False) -> None:
    if not request.grassroots_can_view or (edit and not request.grassroots_can_edit):
        raise PermissionDenied(_("无权查看或填报四下基层工作。"))


def run_service(request, form, action, *, success: str, done, template: str, context: dict):
    """Validate `form`, call `action(data)`; a refusal shows on the form with nothing written."""
    return pages.run_service(request, form, action, success=success, done=done,
                             page=lambda status: render(request, template, context, status=status))


def form_page(request, form_class, title, action, success, done):
    """A create page: the form on GET, the service on POST."""
    user = request.user
    form = form_class(request.POST or None, user=user)
    context = {"form": form, "title": title}
    if request.method != "POST":
        return render(request, "grassroots/form.html", context)
    return run_service(request, form, lambda data: action(user, data), success=success, done=done,
                       template="grassroots/form.html", context=context)


def record_form_view(*, lookup, form_class, call, success, detail: str, template: str, context, form_key: str,
                     open_form: str = "", form_takes_user: bool = False):
    """A POST on a record's page: the record by `lookup` (404 for others'), the form, the service by `call`.

    `call(user, record, data, form)` runs the service; a refusal re-renders the page with `context(request, record,
    **{form_key: form})` and nothing written; success goes back to the record's `detail` page.
    """
    from django.urls import reverse
    from django.views.decorators.http import require_POST

    @grassroots_page
    @require_POST
    def view(request, pk):
        staff_only(request, edit=True)
        user = request.user
        record = lookup(user, pk)
        form = form_class(request.POST, user=user) if form_takes_user else form_class(request.POST)
        extra = {form_key: form, **({"open_form": open_form} if open_form else {})}
        return run_service(request, form, lambda data: call(user, record, data, form), success=str(success),
                           done=lambda _result: reverse(detail, args=[record.pk]), template=template,
                           context=context(request, record, **extra))

    return view

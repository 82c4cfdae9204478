"""考评方案: the rubrics a district or street sets (items, stars) and the periods it applies them in."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core.pages import posted, run_service

from .. import selectors, services
from ..access import get_scheme_for_user
from ..forms import (
    PeriodForm,
    SchemeDeleteForm,
    SchemeForm,
    SchemeItemEditFormSet,
    SchemeItemFormSet,
    StarEditFormSet,
    StarFormSet,
)
from .common import assessment_page


@assessment_page
def scheme_list(request):
    return render(request, "assessment/scheme_list.html", {
        "schemes": selectors.schemes_visible_to(request.user)[:200]})


def _filled(formset) -> list[dict]:
    """The rows filled in and not marked for deletion, without the deletion mark."""
    return [{key: value for key, value in form.cleaned_data.items() if key != "DELETE"} for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def _scheme_form(request, *, form, items, stars, save, success: str, scheme=None):
    """The scheme form with its two tables of rows: every part valid, then the service decides, or the page again."""
    data = request.POST if request.method == "POST" else None
    if data is not None and not (items.is_valid() and stars.is_valid()):
        form.is_valid()
        form.add_error(None, _("请按提示修改考评项目或星级门槛。"))

    def page(status=200):
        return render(request, "assessment/scheme_form.html", {"form": form, "items": items, "stars": stars,
                                                               "scheme": scheme}, status=status)

    if data is None:
        return page()
    if form.errors:
        return page(400)
    return run_service(request, form, lambda cleaned: save(items=_filled(items), stars=_filled(stars), **cleaned),
                       success=success, done=lambda saved: reverse("assessment:scheme_detail", args=[saved.pk]),
                       page=page)


@assessment_page
def scheme_create(request):
    user = request.user
    if not request.assessment_can_manage:
        raise PermissionDenied(_("无权制定考评方案。"))
    data = posted(request)[0]
    return _scheme_form(request, form=SchemeForm(data, orgs=selectors.scheme_orgs_for(user)),
                        items=SchemeItemFormSet(data, prefix="items"), stars=StarFormSet(data, prefix="stars"),
                        save=lambda **values: services.scheme_create(actor=user, **values),
                        success=_("考评方案已制定。"))


@assessment_page
def scheme_edit(request, pk):
    """修改方案: only while nobody has been scored under it (the service says so otherwise)."""
    user = request.user
    scheme = get_scheme_for_user(user, pk)
    if not can(user, Permission.ASSESSMENT_MANAGE, path=scheme.org_path):
        raise PermissionDenied(_("无权修改该考评方案。"))
    data = posted(request)[0]
    form = SchemeForm(data, initial={"name": scheme.name, "target_level": scheme.target_level,
                                     "description": scheme.description})
    # The rows as they are fill the page; a posted page stands on its own rows (the scheme may have changed since).
    items = SchemeItemEditFormSet(data, prefix="items", initial=None if data is not None else list(scheme.items.values(
        "name", "max_score", "method", "indicator", "full_at")))
    stars = StarEditFormSet(data, prefix="stars", initial=None if data is not None else list(
        scheme.stars.values("stars", "min_score")))
    return _scheme_form(request, form=form, items=items, stars=stars, scheme=scheme,
                        save=lambda **values: services.scheme_update(actor=user, scheme=scheme, **values),
                        success=_("考评方案已修改。"))


def _scheme_page(request, scheme, form, status=200, delete_form=None):
    from yuntu.indicators import registry

    periods = selectors.periods_visible_to(request.user).filter(scheme=scheme)[:100]
    items = list(scheme.items.all())
    for item in items:  # the indicator by its name, as the dashboard shows it
        try:
            item.indicator_name = registry.get(item.indicator).name if item.indicator else ""
        except registry.UnknownIndicator:
            item.indicator_name = item.indicator
    manages = can(request.user, Permission.ASSESSMENT_MANAGE, path=scheme.org_path)
    editable = manages and not selectors.scheme_is_scored(scheme)
    if manages and delete_form is None and not selectors.scheme_has_periods(scheme):
        delete_form = SchemeDeleteForm()
    return render(request, "assessment/scheme_detail.html", {
        "scheme": scheme, "items": items, "stars": scheme.stars.all(), "periods": periods,
        "total": sum(item.max_score for item in items), "form": form, "editable": editable,
        "delete_form": delete_form}, status=status)


@assessment_page
def scheme_detail(request, pk):
    scheme = get_scheme_for_user(request.user, pk)
    return _scheme_page(request, scheme, _period_form(request.user, scheme))


def _period_form(user, scheme, data=None):
    groups = selectors.period_groups_for(user, scheme)
    return PeriodForm(data, orgs=groups) if data is not None or groups.exists() else None


@require_POST
@assessment_page
def scheme_delete(request, pk):
    """删除方案: a scheme set by mistake, while no period applies it (the service says so otherwise)."""
    user = request.user
    scheme = get_scheme_for_user(user, pk)
    form = SchemeDeleteForm(request.POST)
    return run_service(
        request, form, lambda cleaned: services.scheme_delete(actor=user, scheme=scheme),
        success=_("考评方案已删除。"), done=lambda _result: reverse("assessment:schemes"),
        page=lambda status: _scheme_page(request, scheme, _period_form(user, scheme), status, delete_form=form))


@require_POST
@assessment_page
def period_create(request, pk):
    user = request.user
    scheme = get_scheme_for_user(user, pk)
    form = PeriodForm(request.POST, orgs=selectors.period_groups_for(user, scheme))
    return run_service(
        request, form, lambda cleaned: services.period_create(actor=user, scheme=scheme, **cleaned),
        success=_("考核期已设立，可自动计分和评分。"),
        done=lambda period: reverse("assessment:period_detail", args=[period.pk]),
        page=lambda status: _scheme_page(request, scheme, form, status))


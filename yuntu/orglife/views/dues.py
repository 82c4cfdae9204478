"""党费: the month's dues of a subtree, the arrears list by branch, declaring income, recording payment."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Member

from .. import selectors, services
from ..access import get_dues_for_user, holds_at_root
from ..forms import DuesDeclareForm, DuesPayForm, DuesTableForm
from .common import chosen_org, error_text, org_navigation, orglife_page, parse_month


def _members(user):
    return visible(user, Member, Permission.ORGLIFE_EDIT).filter(is_active=True).order_by("org_path", "name")


@orglife_page
def dues_list(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    month = parse_month(request.GET.get("month"), clock.today())
    table = services.dues_table(month)
    for bracket in table:
        bracket.percent = bracket.rate * 100
    context = {"month": month, "dues": selectors.dues_of(user, org=org, month=month)[:500],
               "arrears": selectors.arrears_by_branch(user, org=org)[:100],
               "arrears_rows": selectors.arrears(user, org=org)[:200], "table": table,
               "declare_form": DuesDeclareForm(members=_members(user).filter(org_path__under=org.path)[:500],
                                               initial={"month": month}),
               "pay_form": DuesPayForm(initial={"paid_on": clock.today()}),
               "can_manage_table": holds_at_root(user, Permission.ASSESSMENT_MANAGE),
               **org_navigation(user, org)}
    return render(request, "orglife/dues.html", context)


@require_POST
@orglife_page
def dues_declare(request):
    form = DuesDeclareForm(request.POST, members=_members(request.user))
    target = reverse("orglife:dues")
    if not form.is_valid():
        messages.error(request, "；".join(error for errors in form.errors.values() for error in errors))
        return redirect(target)
    data = form.cleaned_data
    try:
        dues = services.dues_declare(actor=request.user, member=data["member"], month=data["month"],
                                     income=data["income"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return redirect(target)
    messages.success(request, _("已登记%(name)s的党费：应交%(amount)s元。") % {"name": dues.member.name,
                                                                        "amount": dues.amount})
    return redirect(f"{target}?org={dues.org_id}&month={dues.month:%Y-%m}")


@require_POST
@orglife_page
def dues_pay(request, pk):
    dues = get_dues_for_user(request.user, pk)
    form = DuesPayForm(request.POST)
    target = f"{reverse('orglife:dues')}?org={dues.org_id}&month={dues.month:%Y-%m}"
    if not form.is_valid():
        messages.error(request, "；".join(error for errors in form.errors.values() for error in errors))
        return redirect(target)
    try:
        services.dues_pay(actor=request.user, dues=dues, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("已登记交纳。"))
    return redirect(target)


@orglife_page
def dues_table(request):
    if not holds_at_root(request.user, Permission.ASSESSMENT_MANAGE):
        raise PermissionDenied(_("无权维护党费标准表。"))
    form = DuesTableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dues_table_replace(actor=request.user, effective_from=form.cleaned_data["effective_from"],
                                        rows=form.cleaned_data["table"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("党费标准表已保存。"))
            return redirect("orglife:dues")
    return render(request, "orglife/dues_table.html", {"form": form, "table": services.dues_table(clock.today())})

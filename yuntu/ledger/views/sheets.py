"""Spreadsheets: the import template, the import itself, the filtered export and the monthly summary export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import exports, imports, selectors
from ..forms import ImportForm
from .common import chosen_org, filter_form, ledger_page, posted
from .lists import month_of

TEMPLATE_ORG_LIMIT = 2000


def _require_edit(user) -> None:
    if not has_permission_anywhere(user, Permission.LEDGER_EDIT):
        raise PermissionDenied(_("无权填报整改台账。"))


@ledger_page
def import_template(request):
    names = list(selectors.entry_orgs_for(request.user).values_list("name", flat=True)[:TEMPLATE_ORG_LIMIT])
    return exports.xlsx_response(exports.template_workbook(names), "整改台账导入模板.xlsx")


@ledger_page
def import_ledger(request):
    _require_edit(request.user)
    form = ImportForm(*posted(request, files=True))
    errors = []
    if request.method == "POST" and form.is_valid():
        result = imports.import_ledger(actor=request.user, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("已导入%(problems)s个问题、%(measures)s项措施，等待联络组审核。")
                             % {"problems": len(result.problems), "measures": result.measures})
            return redirect("ledger:list")
        errors = result.errors
    status = 400 if request.method == "POST" else 200
    return render(request, "ledger/import.html", {"form": form, "errors": errors, "max_rows": imports.MAX_ROWS,
                                                  "max_mb": imports.MAX_BYTES // (1024 * 1024),
                                                  "headers": exports.TEMPLATE_HEADERS}, status=status)


@ledger_page
def export(request):
    user = request.user
    form, org, filters = filter_form(request)
    problems = selectors.problem_list(user, org=org, **filters)
    title = f"{org.name}整改台账（导出于{clock.now():%Y-%m-%d %H:%M}）"
    content = exports.export_workbook(user, problems, title=title)
    return exports.xlsx_response(content, f"整改台账_{org.short_name or org.name}_{clock.today():%Y%m%d}.xlsx")


@ledger_page
def monthly_export(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    month = month_of(request.GET.get("month"))
    summary = selectors.monthly_summary(user, org=org, month=month, overdue_limit=exports.EXPORT_LIMIT)
    content = exports.monthly_workbook(summary, org_name=org.name)
    return exports.xlsx_response(content, f"整改台账月度总结_{org.short_name or org.name}_{month:%Y%m}.xlsx")

"""The ledger's lists: the filtered ledger with its rate table, to-do, overdue, weekly and monthly cadence, print."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import selectors
from ..exports import PRINT_LIMIT, activity_rows, problems_with_measures
from .common import PAGE_SIZE, chosen_org, filter_form, ledger_page, org_navigation, parse_date, query_without

TODO_LIMIT = 100
WEEK_EVENT_LIMIT = 500


@ledger_page
def problem_list(request):
    user = request.user
    form, org, filters = filter_form(request)
    problems = selectors.problem_list(user, org=org, **filters)
    page = Paginator(problems, PAGE_SIZE).get_page(request.GET.get("page"))
    period = {"start": filters["start"], "end": filters["end"]}
    figures = selectors.ledger_figures(user, org=org, **period)
    context = {
        "form": form,
        "page": page,
        "figures": figures,
        "figure_rows": [(_("合计"), figures["all"]), (_("县处级以上单位"), figures["county"]),
                        (_("基层党组织"), figures["grassroots"])],
        "ranking": selectors.unit_ranking(user, org=org, **period),
        "period": period,
        "query": query_without(request, "page"),
        "org_query": query_without(request, "page", "org"),
        "can_enter": has_permission_anywhere(user, Permission.LEDGER_EDIT),
        **org_navigation(user, org),
    }
    return render(request, "ledger/problem_list.html", context)


@ledger_page
def todo(request):
    lists = selectors.todo_for(request.user)
    sections = [
        ("returned_problems", _("被退回的问题"), _("请按退回原因修改后重新提交。"), "problem"),
        ("returned_measures", _("被退回的措施"), _("请按退回原因修改后重新提交。"), "measure"),
        ("problems_to_review", _("待审核的问题"), _("联络组审核：通过或退回。"), "problem"),
        ("measures_to_review", _("待审核的措施"), _("联络组审核：通过或退回。"), "measure"),
        ("measures_to_verify", _("待验收的措施"), _("责任单位已报完成，请核验佐证材料。"), "measure"),
    ]
    blocks = []
    for key, title, hint, kind in sections:
        items = lists[key].order_by("updated_at", "id")
        blocks.append({"key": key, "title": title, "hint": hint, "kind": kind, "count": items.count(),
                       "items": list(items[:TODO_LIMIT])})
    return render(request, "ledger/todo.html", {"blocks": blocks, "total": sum(block["count"] for block in blocks),
                                                "limit": TODO_LIMIT})


@ledger_page
def overdue(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    today = clock.today()
    measures = selectors.overdue_measures(user, org=org, today=today)
    page = Paginator(measures, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    for measure in page:
        measure.days_overdue = (today - measure.deadline).days
    return render(request, "ledger/overdue.html", {"page": page, "today": today,
                                                   "query": query_without(request, "page"),
                                                   **org_navigation(user, org)})


def week_of(value: str | None) -> datetime.date:
    day = parse_date(value) or clock.today()
    return day - datetime.timedelta(days=day.weekday())


@ledger_page
def weekly(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    week_start = week_of(request.GET.get("week"))
    dispatch = selectors.week_dispatch(user, org=org, week_start=week_start)
    events = list(dispatch["events"][:WEEK_EVENT_LIMIT + 1])
    context = {
        **dispatch,
        "events": events[:WEEK_EVENT_LIMIT],
        "events_truncated": len(events) > WEEK_EVENT_LIMIT,
        "overdue": list(dispatch["overdue"].order_by("org_path", "deadline", "id")[:WEEK_EVENT_LIMIT]),
        "due_next_week": list(dispatch["due_next_week"].order_by("org_path", "deadline", "id")[:WEEK_EVENT_LIMIT]),
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "limit": WEEK_EVENT_LIMIT,
        "scope_query": f"week={week_start:%Y-%m-%d}",
        **org_navigation(user, org),
    }
    return render(request, "ledger/weekly.html", context)


def month_of(value: str | None) -> datetime.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return clock.today().replace(day=1)


@ledger_page
def monthly(request):
    user = request.user
    org = chosen_org(user, request.GET.get("org"))
    month = month_of(request.GET.get("month"))
    summary = selectors.monthly_summary(user, org=org, month=month)
    figures = summary["figures"]
    context = {
        **summary,
        "month": month,
        "figure_rows": [(_("合计"), figures["all"]), (_("县处级以上单位"), figures["county"]),
                        (_("基层党组织"), figures["grassroots"])],
        "figure_rows_new": [(_("合计"), summary["figures_new"]["all"]),
                            (_("县处级以上单位"), summary["figures_new"]["county"]),
                            (_("基层党组织"), summary["figures_new"]["grassroots"])],
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
        "activity_rows": activity_rows(summary["activity"]),
        "scope_query": f"month={month:%Y-%m}",
        **org_navigation(user, org),
    }
    return render(request, "ledger/monthly.html", context)


@ledger_page
def print_ledger(request):
    user = request.user
    form, org, filters = filter_form(request)
    problems = selectors.problem_list(user, org=org, **filters)
    total = problems.count()
    rows = problems_with_measures(user, problems[:PRINT_LIMIT])
    return render(request, "ledger/print.html", {"org": org, "rows": rows, "total": total, "limit": PRINT_LIMIT,
                                                 "truncated": total > PRINT_LIMIT, "filters": filters,
                                                 "today": clock.today(), "query": query_without(request)})

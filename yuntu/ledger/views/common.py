"""What every ledger page shares: the permission gate, the chosen subtree, errors as Chinese messages."""

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core.pages import error_text as error_text
from yuntu.core.pages import module_page
from yuntu.core.pages import posted as posted
from yuntu.orgs.models import Org

from .. import selectors
from ..forms import LedgerFilterForm
from ..workflow import MEASURE_TRANSITIONS, PROBLEM_TRANSITIONS, RETURN_REASONS, MeasureStatus, ProblemStatus

PAGE_SIZE = 30


ledger_page = module_page(needs=Permission.LEDGER_VIEW, refused=gettext_lazy("无权查看整改台账。"),
                          flags={"ledger_can_enter": Permission.LEDGER_EDIT})
"""Signed in, and holding ledger.view somewhere; everything else is decided per record."""


def chosen_org(user, value) -> Org:
    """The subtree a page is about: `?org=<pk>` among the visible orgs, else the first root of the user's scope."""
    if value not in (None, ""):
        org = selectors.ledger_orgs_visible_to(user).filter(pk=value).first() if str(value).isdigit() else None
        if org is None:
            raise Http404(_("该组织不存在或不在您的查看范围内。"))
        return org
    root = selectors.ledger_roots_for(user).first()
    if root is None:
        raise Http404(_("您没有可查看的整改台账。"))
    return root


def org_navigation(user, org: Org) -> dict:
    """Breadcrumb, children and other roots for the subtree picker above the figures."""
    return {"org": org, "org_trail": selectors.ledger_org_trail(user, org),
            "org_children": selectors.ledger_org_children(user, org)[:200],
            "org_roots": list(selectors.ledger_roots_for(user)[:50])}


def filter_form(request) -> tuple[LedgerFilterForm, Org, dict]:
    form = LedgerFilterForm(request.GET or None)
    org = chosen_org(request.user, request.GET.get("org"))
    filters = form.filters() if request.GET else LedgerFilterForm().filters()
    return form, org, filters


def parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    needs_reason: bool
    common_reasons: tuple[str, ...] = ()
    blocked: str = ""
    style: str = ""


STYLES = {"approve": "primary", "verify": "primary", "close": "primary", "resubmit": "primary",
          "report_done": "primary", "send_back": "warn", "reopen": "warn"}


def _actions(user, obj, table) -> list[Action]:
    actions = []
    for transition in table.values():
        if obj.status not in transition.sources or not can(user, transition.permission, path=obj.org_path):
            continue
        actions.append(Action(transition.name, transition.label, transition.needs_reason,
                              tuple(RETURN_REASONS) if transition.name == "send_back" else (),
                              style=STYLES.get(transition.name, "")))
    return actions


def problem_actions(user, problem, *, open_measures: int, measure_count: int) -> list[Action]:
    """The transitions this user may apply to the problem now; closing shows why it is not yet possible."""
    actions = []
    for action in _actions(user, problem, PROBLEM_TRANSITIONS):
        if action.name == "close" and (open_measures or not measure_count):
            blocked = (_("还没有整改措施，不能销号。") if not measure_count
                       else _("还有%(count)s项措施未验收，不能销号。") % {"count": open_measures})
            action = Action(action.name, action.label, action.needs_reason, blocked=blocked, style=action.style)
        actions.append(action)
    return actions


def measure_actions(user, measure) -> list[Action]:
    return _actions(user, measure, MEASURE_TRANSITIONS)


def can_edit_problem(user, problem) -> bool:
    return (problem.status in (ProblemStatus.SUBMITTED, ProblemStatus.RETURNED)
            and can(user, Permission.LEDGER_EDIT, path=problem.org_path))


def can_add_measure(user, problem) -> bool:
    return problem.status != ProblemStatus.CLOSED and can(user, Permission.LEDGER_EDIT, path=problem.org_path)


def can_edit_measure(user, measure) -> bool:
    return (measure.status in (MeasureStatus.PLANNED, MeasureStatus.RETURNED)
            and can(user, Permission.LEDGER_EDIT, path=measure.org_path))


def can_report_progress(user, measure) -> bool:
    return measure.status == MeasureStatus.IN_PROGRESS and can(user, Permission.LEDGER_EDIT, path=measure.org_path)


def query_without(request, *names: str) -> str:
    """The current query string minus some keys (for pagination and export links that keep the filters)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


STATUS_LABELS = {**dict(MeasureStatus.choices), **dict(ProblemStatus.choices)}


def labelled_timeline(events) -> list:
    """The events of one problem or measure, each with the Chinese names of its statuses."""
    events = list(events)
    for event in events:
        event.from_label = _(STATUS_LABELS[event.from_status]) if event.from_status in STATUS_LABELS else ""
        event.to_label = _(STATUS_LABELS[event.to_status]) if event.to_status in STATUS_LABELS else ""
    return events



"""Reads of the ledger, limited to what the acting user may see; figures are grouped SQL."""

import datetime

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Substr

from yuntu.accounts.policy import can, scope_paths, scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Org

from .models import LevelClass, Measure, Problem
from .workflow import OPEN_MEASURE_STATUSES, MeasureStatus, ProblemStatus

STEP = Org.steplen


def problems_visible_to(user) -> QuerySet[Problem]:
    return visible(user, Problem, Permission.LEDGER_VIEW).select_related("org")


def measures_visible_to(user) -> QuerySet[Measure]:
    return visible(user, Measure, Permission.LEDGER_VIEW).select_related("org", "problem")


def problem_list(user, *, org: Org | None = None, status: str = "", source: str = "", category: str = "",
                 level_class: str = "", query: str = "", start: datetime.date | None = None,
                 end: datetime.date | None = None) -> QuerySet[Problem]:
    problems = problems_visible_to(user)
    if org is not None:
        problems = problems.filter(org_path__under=org.path)
    for field, value in (("status", status), ("source", source), ("category", category), ("level_class", level_class)):
        if value:
            problems = problems.filter(**{field: value})
    if query:
        problems = problems.filter(Q(title__contains=query) | Q(description__contains=query))
    if start:
        problems = problems.filter(found_on__gte=start)
    if end:
        problems = problems.filter(found_on__lte=end)
    # Counts as per-row subqueries, not a join + GROUP BY: the page's 30 rows are taken from the
    # (found_on, id) index first, and only they are counted.
    return problems.annotate(
        measure_count=_measure_count(),
        verified_count=_measure_count(status=MeasureStatus.VERIFIED),
    ).order_by("-found_on", "-id")


def _measure_count(**conditions):
    counted = (Measure.objects.filter(problem=OuterRef("pk"), **conditions).order_by().values("problem")
               .annotate(total=Count("id")).values("total"))
    return Coalesce(Subquery(counted), 0)


def overdue_measures(user, *, org: Org | None = None, today: datetime.date | None = None) -> QuerySet[Measure]:
    measures = measures_visible_to(user).filter(status__in=OPEN_MEASURE_STATUSES, deadline__lt=today or clock.today())
    if org is not None:
        measures = measures.filter(org_path__under=org.path)
    return measures.order_by("deadline", "id")


def _rate(done: int, total: int) -> float | None:
    return round(done * 100 / total, 1) if total else None


def _period(queryset, start, end, prefix: str = ""):
    if start:
        queryset = queryset.filter(**{f"{prefix}found_on__gte": start})
    if end:
        queryset = queryset.filter(**{f"{prefix}found_on__lte": end})
    return queryset


def ledger_figures(user, *, org: Org, start: datetime.date | None = None, end: datetime.date | None = None,
                   today: datetime.date | None = None) -> dict:
    """Problems, measures, completed, closed and completion rates for a subtree and period, by level class.

    Two grouped queries (problems by level class, measures by level class); the period is the
    date the problem was found.
    """
    today = today or clock.today()
    problems = _period(problems_visible_to(user).filter(org_path__under=org.path), start, end)
    measures = _period(measures_visible_to(user).filter(org_path__under=org.path), start, end, "problem__")
    rows = {key: {"problems": 0, "problems_closed": 0, "measures": 0, "measures_completed": 0, "measures_overdue": 0}
            for key in (LevelClass.COUNTY, LevelClass.GRASSROOTS)}
    for row in problems.order_by().values("level_class").annotate(
        total=Count("id"), closed=Count("id", filter=Q(status=ProblemStatus.CLOSED))
    ):
        rows[row["level_class"]].update(problems=row["total"], problems_closed=row["closed"])
    for row in measures.order_by().values("level_class").annotate(
        total=Count("id"),
        completed=Count("id", filter=Q(status=MeasureStatus.VERIFIED)),
        overdue=Count("id", filter=Q(status__in=OPEN_MEASURE_STATUSES, deadline__lt=today)),
    ):
        rows[row["level_class"]].update(measures=row["total"], measures_completed=row["completed"],
                                        measures_overdue=row["overdue"])
    total = {key: sum(row[key] for row in rows.values()) for key in rows[LevelClass.COUNTY]}
    result = {"all": total, **{str(key): value for key, value in rows.items()}}
    for figures in result.values():
        figures["completion_rate"] = _rate(figures["measures_completed"], figures["measures"])
        figures["closure_rate"] = _rate(figures["problems_closed"], figures["problems"])
    return result


def unit_ranking(user, *, org: Org, start=None, end=None) -> list[dict]:
    """Each child unit of org with its measures, completed and completion rate, best first (one grouped query)."""
    child = Substr("org_path", 1, len(org.path) + STEP)
    measures = _period(measures_visible_to(user).filter(org_path__under=org.path).exclude(org_path=org.path),
                       start, end, "problem__")
    rows = list(
        measures.order_by().annotate(child_path=child).values("child_path").annotate(
            measures=Count("id"), completed=Count("id", filter=Q(status=MeasureStatus.VERIFIED)),
            overdue=Count("id", filter=Q(status__in=OPEN_MEASURE_STATUSES, deadline__lt=clock.today())),
        )
    )
    names = dict(Org.objects.filter(path__in=[row["child_path"] for row in rows]).values_list("path", "name"))
    ids = dict(Org.objects.filter(path__in=[row["child_path"] for row in rows]).values_list("path", "id"))
    for row in rows:
        row["name"] = names.get(row["child_path"], "")
        row["org_id"] = ids.get(row["child_path"])
        row["completion_rate"] = _rate(row["completed"], row["measures"])
    return sorted(rows, key=lambda row: (-(row["completion_rate"] or 0), row["name"]))


def push_down_rollup(user, problem: Problem) -> dict:
    """What became of a problem pushed down: problems and measures below, and how many are done."""
    pushed = problems_visible_to(user).filter(pushed_from=problem)
    measures = measures_visible_to(user).filter(problem__pushed_from=problem)
    figures = pushed.aggregate(problems=Count("id"), problems_closed=Count("id", filter=Q(status=ProblemStatus.CLOSED)))
    figures.update(measures.aggregate(measures=Count("id"),
                                      measures_completed=Count("id", filter=Q(status=MeasureStatus.VERIFIED))))
    return figures


def todo_for(user) -> dict:
    """What waits for this user: items sent back to owners; items waiting for review or verification."""
    edit = scope_q(user, Permission.LEDGER_EDIT, "org_path")
    review = scope_q(user, Permission.LEDGER_REVIEW, "org_path")
    return {
        "returned_problems": Problem.objects.filter(edit, status=ProblemStatus.RETURNED).select_related("org"),
        "returned_measures": Measure.objects.filter(edit, status=MeasureStatus.RETURNED).select_related("org", "problem"),
        "problems_to_review": Problem.objects.filter(review, status=ProblemStatus.SUBMITTED).select_related("org"),
        "measures_to_review": Measure.objects.filter(review, status=MeasureStatus.PLANNED).select_related("org", "problem"),
        "measures_to_verify": Measure.objects.filter(review, status=MeasureStatus.REPORTED).select_related("org", "problem"),
    }


def stale_measures(*, days: int = 14, now: datetime.datetime | None = None) -> QuerySet[Measure]:
    """Measures in progress whose owners have not reported for `days` (the biweekly reminder)."""
    cutoff = (now or clock.now()) - datetime.timedelta(days=days)
    return Measure.objects.filter(status=MeasureStatus.IN_PROGRESS).filter(
        Q(last_progress_at__lt=cutoff) | Q(last_progress_at__isnull=True, updated_at__lt=cutoff)
    )


def week_dispatch(user, *, org: Org, week_start: datetime.date) -> dict:
    """每周一调度: what changed this week, what is overdue, what is due next week — by unit."""
    from .models import LedgerEvent

    week_end = week_start + datetime.timedelta(days=7)
    events = LedgerEvent.objects.filter(
        scope_q(user, Permission.LEDGER_VIEW, "problem__org_path"), problem__org_path__under=org.path,
        occurred_at__date__gte=week_start, occurred_at__date__lt=week_end,
    ).select_related("problem", "measure", "actor", "problem__org").order_by("problem__org_path", "occurred_at")
    measures = measures_visible_to(user).filter(org_path__under=org.path)
    return {
        "week_start": week_start,
        "week_end": week_end - datetime.timedelta(days=1),
        "events": events,
        "overdue": overdue_measures(user, org=org, today=week_start),
        "due_next_week": measures.filter(status__in=OPEN_MEASURE_STATUSES, deadline__gte=week_end,
                                         deadline__lt=week_end + datetime.timedelta(days=7)).order_by("deadline"),
    }


# --- Reads for the desktop pages (list, detail, cadence, spreadsheets) ---


def ledger_roots_for(user) -> QuerySet[Org]:
    """The top nodes of the user's ledger scope: where their rate table starts."""
    paths = scope_paths(user, Permission.LEDGER_VIEW)
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path")
    return Org.objects.filter(path__in=paths).order_by("path")


def ledger_orgs_visible_to(user, *, permission: str = Permission.LEDGER_VIEW) -> QuerySet[Org]:
    return visible(user, Org, permission)


def ledger_org_trail(user, org: Org) -> list[Org]:
    """The visible ancestors of org (root first), for the breadcrumb above the rate table."""
    wanted = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    return list(ledger_orgs_visible_to(user).filter(path__in=wanted).order_by("depth"))


def ledger_org_children(user, org: Org) -> QuerySet[Org]:
    return ledger_orgs_visible_to(user).filter(path__under=org.path, depth=org.depth + 1).order_by("path")


def entry_orgs_for(user) -> QuerySet[Org]:
    """Orgs the user may enter problems for (ledger.edit), in tree order."""
    return ledger_orgs_visible_to(user, permission=Permission.LEDGER_EDIT).filter(is_active=True).order_by("path")


def push_targets_for(user, problem: Problem, *, levels_below: int = 2) -> QuerySet[Org]:
    """Lower units a problem can be pushed to: the next `levels_below` levels under its org, within ledger.edit."""
    return entry_orgs_for(user).filter(path__under=problem.org_path, depth__gt=problem.org.depth,
                                       depth__lte=problem.org.depth + levels_below)


def pushed_problems_of(user, problem: Problem) -> QuerySet[Problem]:
    return problems_visible_to(user).filter(pushed_from=problem).annotate(
        measure_count=Count("measures"),
        verified_count=Count("measures", filter=Q(measures__status=MeasureStatus.VERIFIED)),
    ).order_by("org_path", "id")


def measures_of_problem(user, problem: Problem) -> QuerySet[Measure]:
    return measures_visible_to(user).filter(problem=problem).order_by("deadline", "id")


def problem_timeline(user, problem: Problem):
    """Every event of a problem and of its measures, oldest first."""
    from .models import LedgerEvent

    if not can(user, Permission.LEDGER_VIEW, path=problem.org_path):
        return LedgerEvent.objects.none()
    return LedgerEvent.objects.filter(problem=problem).select_related("actor", "measure").order_by("occurred_at", "id")


def measure_timeline(user, measure: Measure):
    from .models import LedgerEvent

    if not can(user, Permission.LEDGER_VIEW, path=measure.org_path):
        return LedgerEvent.objects.none()
    return LedgerEvent.objects.filter(measure=measure).select_related("actor").order_by("occurred_at", "id")


def progress_of(user, measure: Measure):
    from .models import Progress

    if not can(user, Permission.LEDGER_VIEW, path=measure.org_path):
        return Progress.objects.none()
    return Progress.objects.filter(measure=measure).select_related("author").prefetch_related("evidence")


def monthly_activity(user, *, org: Org, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """What happened in a period, counted by kind of event in one grouped query (e.g. measures verified)."""
    from .models import LedgerEvent

    rows = LedgerEvent.objects.filter(
        scope_q(user, Permission.LEDGER_VIEW, "problem__org_path"), problem__org_path__under=org.path,
        occurred_at__date__gte=start, occurred_at__date__lte=end,
    ).annotate(
        kind=Case(When(measure__isnull=True, then=Value("problem")), default=Value("measure"))
    ).order_by().values("kind", "action").annotate(total=Count("id"))
    return {f"{row['kind']}.{row['action']}": row["total"] for row in rows}


def export_measures(user, problem_ids) -> QuerySet[Measure]:
    """The visible measures of the given problems, each with its latest progress text (one subquery)."""
    from django.db.models import OuterRef, Subquery

    from .models import Progress

    latest = Progress.objects.filter(measure=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
    return measures_visible_to(user).filter(problem_id__in=list(problem_ids)).annotate(
        latest_progress=Subquery(latest)
    ).order_by("problem_id", "deadline", "id")


def month_bounds(month_start: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month_start.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def monthly_summary(user, *, org: Org, month: datetime.date, overdue_limit: int = 200) -> dict:
    """每月总结: the cumulative figures to the month's end, the month's new items and events, ranking, overdue.

    Every figure comes from `ledger_figures` / `unit_ranking`, so the page, the export and the list agree.
    """
    start, end = month_bounds(month)
    as_of = min(clock.today(), end + datetime.timedelta(days=1))
    overdue = overdue_measures(user, org=org, today=as_of)
    return {
        "month_start": start,
        "month_end": end,
        "figures": ledger_figures(user, org=org, end=end, today=as_of),
        "figures_new": ledger_figures(user, org=org, start=start, end=end, today=as_of),
        "activity": monthly_activity(user, org=org, start=start, end=end),
        "ranking": unit_ranking(user, org=org, end=end),
        "overdue_count": overdue.count(),
        "overdue": list(overdue.select_related("problem")[:overdue_limit]),
        "as_of": as_of,
    }


def measures_past_deadline(*, today: datetime.date | None = None) -> QuerySet[Measure]:
    """Open measures past their deadline, everywhere (the overdue escalation, run by the system, not a user)."""
    return Measure.objects.filter(status__in=OPEN_MEASURE_STATUSES, deadline__lt=today or clock.today())

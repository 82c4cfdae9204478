"""Reads of campaigns, limited to what the acting user may see; every figure is a grouped query.

What counts (one definition for the board, the lists, the exports and the indicators):

* overdue (逾期): a task not done whose deadline is before today;
* on time (按期完成): done on or before its deadline; late (逾期完成): done after it;
* on-time rate (按期完成率): tasks done on time ÷ tasks due (done, or open past their deadline).
"""

import datetime

from django.db.models import Avg, BooleanField, Case, Count, F, Max, Min, Q, QuerySet, Sum, Value, When

from yuntu.accounts.policy import can, has_permission_anywhere, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Org

from .models import (
    Campaign,
    CampaignEvent,
    HQMembership,
    Milestone,
    Post,
    Project,
    ScoreMark,
    Task,
    TaskProgress,
)
from .workflow import OPEN_TASK_STATUSES, TaskStatus

BOARD_LIST_LIMIT = 30
RANKING_LIMIT = 20
SCORE_POINTS = {"on_time": 10, "late": 6, "overdue": -5}  # 量化考核: points per task result in the month


def done_on_time() -> Q:
    return Q(status=TaskStatus.DONE, completed_on__lte=F("deadline"))


def done_late() -> Q:
    return Q(status=TaskStatus.DONE, completed_on__gt=F("deadline"))


def overdue(today: datetime.date) -> Q:
    return Q(status__in=OPEN_TASK_STATUSES, deadline__lt=today)


def due_soon(today: datetime.date, days: int = 7) -> Q:
    return Q(status__in=OPEN_TASK_STATUSES, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))


def rate(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def task_counts(today: datetime.date) -> dict:
    """The aggregates every figure is made of, for `.aggregate()` or `.values(...).annotate()`."""
    return {
        "tasks": Count("id"),
        "done": Count("id", filter=Q(status=TaskStatus.DONE)),
        "on_time": Count("id", filter=done_on_time()),
        "late": Count("id", filter=done_late()),
        "overdue": Count("id", filter=overdue(today)),
        "due_soon": Count("id", filter=due_soon(today)),
        "in_progress": Count("id", filter=Q(status=TaskStatus.IN_PROGRESS)),
        "percent": Avg("percent"),
    }


def _finish(row: dict) -> dict:
    row["percent"] = round(row["percent"] or 0, 1)
    row["due"] = row["done"] + row["overdue"]
    row["on_time_rate"] = rate(row["on_time"], row["due"])
    row["done_rate"] = rate(row["done"], row["tasks"])
    return row


# --- what a user may see -------------------------------------------------------------------------


def tasks_visible_to(user) -> QuerySet[Task]:
    return visible(user, Task, Permission.CAMPAIGN_VIEW)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns led within the user's scope, and campaigns where the user's scope owns tasks."""
    own = visible(user, Campaign, Permission.CAMPAIGN_VIEW).values("pk")
    with_tasks = tasks_visible_to(user).values("campaign_id")
    return Campaign.objects.filter(Q(pk__in=own) | Q(pk__in=with_tasks)).select_related("org")


def projects_visible_to(user) -> QuerySet[Project]:
    own = visible(user, Project, Permission.CAMPAIGN_VIEW).values("pk")
    with_tasks = tasks_visible_to(user).values("project_id")
    return Project.objects.filter(Q(pk__in=own) | Q(pk__in=with_tasks)).select_related("org", "campaign")


def campaign_list(user, *, today: datetime.date | None = None) -> list[dict]:
    """The user's campaigns with their figures over the tasks the user may see (one grouped query)."""
    today = today or clock.today()
    campaigns = list(campaigns_visible_to(user).order_by("-start_date", "id"))
    rows = {row["campaign_id"]: _finish(row) for row in tasks_visible_to(user).filter(
        campaign__in=[campaign.pk for campaign in campaigns]).order_by().values("campaign_id").annotate(
        **task_counts(today), projects=Count("project_id", distinct=True))}
    empty = _finish({key: 0 for key in ("tasks", "done", "on_time", "late", "overdue", "due_soon", "in_progress",
                                        "percent", "projects")})
    return [{"campaign": campaign, **rows.get(campaign.pk, dict(empty))} for campaign in campaigns]


def may_edit(user, obj) -> bool:
    return can(user, Permission.CAMPAIGN_EDIT, obj)


def may_supervise_anywhere(user) -> bool:
    return has_permission_anywhere(user, Permission.CAMPAIGN_SUPERVISE)


def campaign_tasks(user, campaign: Campaign) -> QuerySet[Task]:
    return tasks_visible_to(user).filter(campaign=campaign)


def project_tasks(user, project: Project, *, today: datetime.date | None = None) -> QuerySet[Task]:
    """The visible tasks of a project in deadline order, each with `is_overdue` as of today."""
    return tasks_visible_to(user).filter(project=project).select_related("org", "post").annotate(
        is_overdue=Case(When(overdue(today or clock.today()), then=Value(True)), default=Value(False),
                        output_field=BooleanField())).order_by("deadline", "id")


def campaign_projects(user, campaign: Campaign) -> QuerySet[Project]:
    return projects_visible_to(user).filter(campaign=campaign).order_by("number", "id")


# --- the board ---------------------------------------------------------------------------------


def _names(org_ids) -> dict[int, str]:
    return {pk: short or name for pk, short, name in
            Org.objects.filter(pk__in=list(org_ids)).values_list("pk", "short_name", "name")}


def board_data(user, campaign: Campaign, *, today: datetime.date | None = None) -> dict:
    """Everything the wall screen and the desk page show, from five grouped queries and two short lists.

    Figures cover the campaign's tasks the user may see; their cost follows the number of projects
    and owner orgs, not of tasks.
    """
    today = today or clock.today()
    tasks = campaign_tasks(user, campaign).order_by()
    totals = _finish(tasks.aggregate(**task_counts(today)))
    totals["projects"] = tasks.values("project_id").distinct().count()
    by_project = {row["project_id"]: _finish(row) for row in tasks.values("project_id").annotate(
        **task_counts(today), actual_start=Min("started_on"), actual_end=Max("completed_on"))}
    projects = list(Project.objects.filter(pk__in=list(by_project)).order_by("number", "id").values(
        "pk", "number", "name", "site", "latitude", "longitude", "planned_start", "planned_end", "org_id"))
    project_rows = []
    for project in projects:
        row = by_project[project["pk"]]
        open_tasks = row["tasks"] - row["done"]
        project_rows.append({
            "id": project["pk"], "number": project["number"], "name": project["name"], "site": project["site"],
            "latitude": float(project["latitude"]) if project["latitude"] is not None else None,
            "longitude": float(project["longitude"]) if project["longitude"] is not None else None,
            "planned_start": project["planned_start"].isoformat(), "planned_end": project["planned_end"].isoformat(),
            "actual_start": row["actual_start"].isoformat() if row["actual_start"] else None,
            "actual_end": (row["actual_end"].isoformat() if row["actual_end"] and not open_tasks
                           else (today.isoformat() if row["actual_start"] else None)),
            "finished": not open_tasks,
            **{key: row[key] for key in ("tasks", "done", "overdue", "due_soon", "percent", "on_time_rate")},
        })
    ranking = [_finish(row) for row in tasks.values("org_id").annotate(**task_counts(today))]
    names = _names(row["org_id"] for row in ranking)
    for row in ranking:
        row["name"] = names.get(row["org_id"], "")
    # 比学赶超: on-time rate first (nothing due yet counts as 0), then fewer overdue, then further along.
    ranking.sort(key=lambda row: (-(row["on_time_rate"] or 0), row["overdue"], -row["percent"], row["name"]))
    for position, row in enumerate(ranking, start=1):
        row["rank"] = position
    listed = ("id", "name", "project_id", "project__name", "org__short_name", "org__name", "owner_name", "deadline",
              "percent", "status")
    overdue_rows = list(tasks.filter(overdue(today)).order_by("deadline", "id").values(*listed)[:BOARD_LIST_LIMIT])
    due_rows = list(tasks.filter(due_soon(today)).order_by("deadline", "id").values(*listed)[:BOARD_LIST_LIMIT])
    for row in overdue_rows + due_rows:
        row["org"] = row.pop("org__short_name") or row.pop("org__name")
        row.pop("org__name", None)
        row["project"] = row.pop("project__name")
        row["days_late"] = (today - row["deadline"]).days
        row["deadline"] = row["deadline"].isoformat()
        row["status_label"] = str(TaskStatus(row["status"]).label)
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "start": campaign.start_date.isoformat(),
                     "end": campaign.end_date.isoformat()},
        "today": today.isoformat(),
        "updated_at": clock.now().isoformat(timespec="seconds"),
        "totals": totals,
        "projects": project_rows,
        "ranking": ranking[:RANKING_LIMIT],
        "overdue": overdue_rows,
        "due_soon": due_rows,
    }


# --- follow-up ---------------------------------------------------------------------------------


def overdue_tasks(user, *, campaign: Campaign | None = None, org: Org | None = None,
                  today: datetime.date | None = None) -> QuerySet[Task]:
    tasks = tasks_visible_to(user).filter(overdue(today or clock.today()))
    if campaign is not None:
        tasks = tasks.filter(campaign=campaign)
    if org is not None:
        tasks = tasks.filter(org_path__under=org.path)
    return tasks.select_related("org", "project", "campaign").order_by("deadline", "id")


def tasks_past_deadline(*, today: datetime.date | None = None) -> QuerySet[Task]:
    """Open tasks past their deadline, everywhere (the escalation run by the system, not a user)."""
    return Task.objects.filter(overdue(today or clock.today()))


def overdue_tasks_by_org(*, under: str = "", today: datetime.date | None = None) -> list[dict]:
    """Open tasks past deadline grouped by owner org, for scans (e.g. a compliance rule), not for a user.

    One grouped query: [{org_id, org_path, overdue, oldest_deadline}], most overdue first. Callers
    that show the result to a user limit `under` to a path the user may see.
    """
    tasks = tasks_past_deadline(today=today)
    if under:
        tasks = tasks.filter(org_path__under=under)
    rows = tasks.order_by().values("org_id", "org_path").annotate(overdue=Count("id"), oldest_deadline=Min("deadline"))
    return sorted(rows, key=lambda row: (-row["overdue"], row["org_path"]))


def responsibility_list(user, *, campaign: Campaign | None = None, today: datetime.date | None = None) -> list[dict]:
    """责任清单: each owner org with its tasks, done, overdue and on-time rate; the most overdue first."""
    today = today or clock.today()
    tasks = tasks_visible_to(user)
    if campaign is not None:
        tasks = tasks.filter(campaign=campaign)
    rows = [_finish(row) for row in tasks.order_by().values("org_id").annotate(**task_counts(today))]
    names = _names(row["org_id"] for row in rows)
    for row in rows:
        row["name"] = names.get(row["org_id"], "")
    return sorted(rows, key=lambda row: (-row["overdue"], -row["tasks"], row["name"]))


def project_list(user, *, campaign: Campaign | None = None, today: datetime.date | None = None) -> list[dict]:
    """项目清单: each visible project with its task figures (one grouped query over the user's tasks)."""
    today = today or clock.today()
    projects = projects_visible_to(user)
    if campaign is not None:
        projects = projects.filter(campaign=campaign)
    projects = list(projects.order_by("campaign_id", "number", "id")[:500])
    rows = {row["project_id"]: _finish(row) for row in tasks_visible_to(user).filter(
        project__in=[project.pk for project in projects]).order_by().values("project_id").annotate(**task_counts(today))}
    empty = {"tasks": 0, "done": 0, "on_time": 0, "late": 0, "overdue": 0, "due_soon": 0, "in_progress": 0,
             "percent": 0}
    return [{"project": project, **rows.get(project.pk, _finish(dict(empty)))} for project in projects]


def weekly_report(user, campaign: Campaign, *, week_start: datetime.date) -> dict:
    """每周进展: progress reported and tasks completed in the week, what is overdue, what is due next week."""
    week_end = week_start + datetime.timedelta(days=7)
    tasks = campaign_tasks(user, campaign)
    progress = (TaskProgress.objects.filter(task__in=tasks.values("pk"), reported_on__gte=week_start,
                                            reported_on__lt=week_end)
                .select_related("task", "task__org", "task__project", "author").order_by("task__project_id", "created_at"))
    completed = tasks.filter(completed_on__gte=week_start, completed_on__lt=week_end).select_related("org", "project")
    as_of = min(clock.today(), week_end)
    return {
        "week_start": week_start,
        "week_end": week_end - datetime.timedelta(days=1),
        "figures": _finish(tasks.order_by().aggregate(**task_counts(as_of))),
        "progress": progress,
        "completed": completed.order_by("completed_on", "id"),
        "overdue": overdue_tasks(user, campaign=campaign, today=as_of),
        "due_next_week": tasks.filter(status__in=OPEN_TASK_STATUSES, deadline__gte=week_end,
                                      deadline__lt=week_end + datetime.timedelta(days=7))
        .select_related("org", "project").order_by("deadline", "id"),
    }


# --- one project, one task -----------------------------------------------------------------------


def task_progress(user, task: Task) -> QuerySet[TaskProgress]:
    if not can(user, Permission.CAMPAIGN_VIEW, path=task.org_path):
        return TaskProgress.objects.none()
    return TaskProgress.objects.filter(task=task).select_related("author")


def task_milestones(user, task: Task) -> QuerySet[Milestone]:
    if not can(user, Permission.CAMPAIGN_VIEW, path=task.org_path):
        return Milestone.objects.none()
    return Milestone.objects.filter(task=task)


def task_timeline(user, task: Task) -> QuerySet[CampaignEvent]:
    if not can(user, Permission.CAMPAIGN_VIEW, path=task.org_path):
        return CampaignEvent.objects.none()
    return CampaignEvent.objects.filter(task=task).select_related("actor").order_by("occurred_at", "id")


def project_posts(user, project: Project) -> QuerySet[Post]:
    return visible(user, Post, Permission.CAMPAIGN_VIEW).filter(project=project).order_by("id")


def project_hq_members(user, project: Project) -> QuerySet[HQMembership]:
    return (visible(user, HQMembership, Permission.CAMPAIGN_VIEW).filter(project=project)
            .select_related("member", "home_org").order_by("id"))


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, (first + datetime.timedelta(days=32)).replace(day=1)


def post_scores(user, project: Project, *, month: datetime.date, today: datetime.date | None = None) -> list[dict]:
    """量化考核: each post's score for a month from its tasks due that month plus the manual marks.

    Tasks due in the month count once by result (on time, late, or overdue as of the month's end or
    today); two grouped queries (tasks by post, marks by post).
    """
    start, end = month_bounds(month)
    as_of = min(today or clock.today(), end)
    posts = list(project_posts(user, project))
    counted = {row["post_id"]: row for row in visible(user, Task, Permission.CAMPAIGN_VIEW).filter(
        post__in=[post.pk for post in posts], deadline__gte=start, deadline__lt=end).order_by().values("post_id").annotate(
        on_time=Count("id", filter=done_on_time()), late=Count("id", filter=done_late()),
        overdue=Count("id", filter=overdue(as_of)), tasks=Count("id"))}
    marks = {row["post_id"]: row["points"] for row in ScoreMark.objects.filter(
        post__in=[post.pk for post in posts], month=start).order_by().values("post_id").annotate(points=Sum("points"))}
    rows = []
    for post in posts:
        row = counted.get(post.pk, {"on_time": 0, "late": 0, "overdue": 0, "tasks": 0})
        task_points = sum(row[key] * points for key, points in SCORE_POINTS.items())
        rows.append({"post": post, **{key: row[key] for key in ("tasks", "on_time", "late", "overdue")},
                     "task_points": task_points, "marks": marks.get(post.pk, 0),
                     "score": task_points + marks.get(post.pk, 0)})
    return sorted(rows, key=lambda row: (-row["score"], row["post"].pk))


def post_marks(user, project: Project, *, month: datetime.date) -> QuerySet[ScoreMark]:
    return (visible(user, ScoreMark, Permission.CAMPAIGN_VIEW).filter(post__project=project, month=month.replace(day=1))
            .select_related("post", "actor"))


def branches_due_for_dissolution(*, today: datetime.date | None = None) -> QuerySet[Project]:
    """Projects whose temporary branch is still active although the project's planned end has passed (for scans)."""
    return Project.objects.filter(hq_branch__isnull=False, hq_branch__is_active=True,
                                  planned_end__lt=today or clock.today()).select_related("hq_branch", "campaign")


def branches_due_for_dissolution_visible_to(user, *, today: datetime.date | None = None) -> QuerySet[Project]:
    return branches_due_for_dissolution(today=today).filter(
        pk__in=visible(user, Project, Permission.CAMPAIGN_VIEW).values("pk")).order_by("planned_end", "id")


def edit_orgs_for(user, campaign: Campaign) -> QuerySet[Org]:
    """Orgs a project or task of the campaign may be given to: its lead org's subtree, active, in tree order."""
    return visible(user, Org, Permission.ORG_VIEW).filter(path__under=campaign.org_path, is_active=True).order_by("path")


def campaign_lead_orgs_for(user) -> QuerySet[Org]:
    return visible(user, Org, Permission.CAMPAIGN_EDIT).filter(is_active=True).order_by("path")


def export_tasks(user, campaign: Campaign) -> QuerySet[Task]:
    """The ledger rows of a campaign: every visible task with its project, owner and latest progress text."""
    from django.db.models import OuterRef, Subquery

    latest = TaskProgress.objects.filter(task=OuterRef("pk")).order_by("-created_at", "-id").values("text")[:1]
    return campaign_tasks(user, campaign).select_related("project", "project__org", "org", "post").annotate(
        latest_progress=Subquery(latest)).order_by("project__number", "project_id", "deadline", "id")

"""Background work of campaigns, through the one task interface (django-tasks)."""

import datetime

from django_tasks import task

from . import notifications


@task()
def campaigns_escalate(today: str | None = None) -> dict:
    """逾期督办: report overdue tasks to the owner's parent org; at most once a week per task.

    Scheduled by a timer through `manage.py campaigns_escalate --enqueue`, or run in place by
    `manage.py campaigns_escalate`. `today` is an ISO date (task arguments must be JSON).
    """
    day = datetime.date.fromisoformat(today) if today else None
    return notifications.escalate_overdue(today=day).as_dict()

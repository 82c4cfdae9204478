"""Background work of organisational life: telling members of a planned meeting, after commit."""

import logging

from django.db import transaction
from django_tasks import task

from . import notifications

logger = logging.getLogger("yuntu.orglife.tasks")


@task()
def orglife_notify(meeting_id: int) -> dict:
    """Tell every member of the meeting's org who has an account when and where it takes place."""
    return notifications.notify_meeting(meeting_id)


def notify_on_commit(meeting_id: int) -> None:
    def enqueue() -> None:
        try:
            orglife_notify.enqueue(meeting_id=meeting_id)
        except Exception:  # the meeting is planned; a lost notice is logged, not raised at the secretary
            logger.exception("会议通知未能加入队列：%s", meeting_id)

    transaction.on_commit(enqueue)

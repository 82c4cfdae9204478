"""Background work of publicity: the question and answer messages, sent after the write commits."""

import logging

from django.db import transaction
from django_tasks import task

from . import notifications

logger = logging.getLogger("yuntu.publicity.tasks")


@task()
def publicity_notify(event: str, question_id: int) -> int:
    return notifications.deliver(event, question_id)


def notify_on_commit(event: str, question_id: int) -> None:
    def enqueue() -> None:
        try:
            publicity_notify.enqueue(event=event, question_id=question_id)
        except Exception:
            logger.exception("公开事项通知未能加入队列：%s %s", event, question_id)

    transaction.on_commit(enqueue)

"""Background work of 四下基层 through the one task interface: reception messages after commit."""

import logging

from django.db import transaction
from django_tasks import task

from . import notifications

logger = logging.getLogger("yuntu.grassroots.tasks")


@task()
def reception_notify(event: str, booking_id: int) -> int:
    return notifications.deliver(event, booking_id)


def notify_on_commit(event: str, booking_id: int) -> None:
    """Enqueue `reception_notify` once the surrounding transaction has committed."""

    def enqueue() -> None:
        try:
            reception_notify.enqueue(event=event, booking_id=booking_id)
        except Exception:  # the booking is committed; a lost message is logged, not raised at the resident
            logger.exception("接访通知未能加入队列：%s %s", event, booking_id)

    transaction.on_commit(enqueue)

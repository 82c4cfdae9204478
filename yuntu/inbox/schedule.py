"""The inbox's periodic job (fired by `manage.py scheduler`): the day's digest each evening."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("inbox_digest", "yuntu.inbox.tasks.inbox_digest", daily_at=datetime.time(18, 0)))

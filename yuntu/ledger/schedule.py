"""The ledger's periodic job (fired by `manage.py scheduler`): 两周一更新 reminders every morning."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("ledger_remind", "yuntu.ledger.tasks.ledger_remind", daily_at=datetime.time(8, 30)))

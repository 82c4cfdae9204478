"""The campaigns' periodic job (fired by `manage.py scheduler`): 逾期督办 of overdue tasks each morning."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("campaigns_escalate", "yuntu.campaigns.tasks.campaigns_escalate", daily_at=datetime.time(9, 15)))

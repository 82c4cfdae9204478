"""Residents' voices' periodic job (fired by `manage.py scheduler`): overdue requests escalated each morning."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("voices_escalate", "yuntu.voices.tasks.voices_escalate", daily_at=datetime.time(9, 0)))

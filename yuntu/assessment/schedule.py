"""The assessment's periodic job (fired by `manage.py scheduler`): the compliance scan early each morning,
so the day's alerts are there when offices open."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("compliance_scan", "yuntu.assessment.tasks.compliance_scan", daily_at=datetime.time(5, 30)))

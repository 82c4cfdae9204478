"""The figures' periodic job (fired by `manage.py scheduler`): tallies brought up to date every minute."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("tallies_refresh", "yuntu.indicators.tasks.tallies_refresh", every=datetime.timedelta(minutes=1)))

"""Venues' periodic job (fired by `manage.py scheduler`): bookings over without a check-in become no-shows, hourly."""

import datetime

from yuntu.operations.schedule import Job, register

register(Job("venues_no_shows", "yuntu.venues.tasks.venues_mark_no_shows", every=datetime.timedelta(hours=1)))

"""Fifty people book the same half hour of one room at the same moment: exactly one gets it.

On PostgreSQL the threads run against the test database. On SQLite the suite's in-memory database
cannot be shared by threads the way a real file is, so the same service runs in a child process on
a fresh file database with the production settings (WAL, IMMEDIATE transactions, busy timeout).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.venues.contention import fire_bookings
from yuntu.venues.models import Booking, BookingSlot

from .factories import at, next_open_day, room_for, venue_for

ROOT = Path(__file__).resolve().parents[3]
USERS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_bookings_of_one_slot_give_exactly_one(cast, tmp_path):
    if connection.vendor == "sqlite":
        database = tmp_path / "contention.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
        done = subprocess.run([*manage, "venues_contention", "--users", str(USERS)], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True, timeout=300)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert result["bookings"] == 1
    else:
        room = room_for(venue_for(cast.orgs["community"]))
        org = cast.orgs["community"]
        users = [User.objects.create_user(f"rush{index:02d}", display_name=f"居民{index}") for index in range(USERS)]
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=Role.RESIDENT, org=org, org_path=org.path)
                                       for user in users])
        day = next_open_day(room.venue)
        result = fire_bookings(room_id=room.pk, user_ids=[user.pk for user in users], starts_at=at(day, 10),
                               ends_at=at(day, 11))
        assert Booking.objects.filter(room=room).count() == 1
        assert BookingSlot.objects.filter(room=room).count() == 2
    assert result["outcomes"] == {"booked": 1, "refused": USERS - 1}, result


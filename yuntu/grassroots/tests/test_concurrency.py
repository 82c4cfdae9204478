"""Two residents booking the same slot at the same moment: the database lets exactly one through."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from yuntu.accounts.models import User
from yuntu.core import clock
from yuntu.grassroots import services
from yuntu.grassroots.models import ReceptionBooking


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_one_slot_is_booked_once_under_concurrency(transactional_db, cast):
    secretary, street = cast.user("street_secretary"), cast.orgs["street"]
    day = services.reception_day_schedule(actor=secretary, org=street, leader=secretary, leader_title="书记",
                                          date=clock.today() + datetime.timedelta(days=2),
                                          starts_at=datetime.time(9), ends_at=datetime.time(10), place="党群服务中心")
    residents = [User.objects.create_user(f"booker{n}", password="x") for n in range(4)]
    barrier, outcomes = threading.Barrier(len(residents)), []

    def book(resident):
        try:
            barrier.wait()
            services.reception_book(resident=resident, day=day, slot=datetime.time(9, 30), name="居民", matter="停车难")
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(resident,)) for resident in residents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    assert all("已被预约" in outcome for outcome in outcomes if outcome != "booked")
    assert ReceptionBooking.objects.filter(day=day).count() == 1

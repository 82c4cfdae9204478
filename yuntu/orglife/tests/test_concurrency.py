"""Two phones scanning the same code at once: the database lets one sign-in through (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from yuntu.core import clock
from yuntu.orglife import services
from yuntu.orglife.models import Attendance
from yuntu.orglife.tests.factories import earlier_today


def test_one_attendance_per_member_and_meeting_is_a_constraint(cast):
    meeting = services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], kind="theme_day",
                                    title="主题党日", starts_at=clock.now(), notify=False)
    Attendance.objects.create(meeting=meeting, member=cast.members["member"], status="present",
                              starts_at=meeting.starts_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(meeting=meeting, member=cast.members["member"], status="absent",
                                  starts_at=meeting.starts_at)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ins_record_one(cast):
    meeting = services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], kind="theme_day",
                                    title="主题党日", starts_at=earlier_today(1),
                                    notify=False)
    barrier, outcomes = threading.Barrier(4), []

    def scan():
        try:
            barrier.wait()
            services.meeting_sign_in(actor=cast.user("member"), meeting=meeting)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Attendance.objects.filter(meeting=meeting).count() == 1

"""The demo year over the cast's small tree: bulk, idempotent, and the scan finds its gaps."""

from yuntu.assessment.models import Alert, RedFlag
from yuntu.orglife import demo
from yuntu.orglife.models import Attendance, Meeting


def test_a_year_of_meetings_with_gaps_is_written_once(cast):
    first = demo.generate_orglife(seed=7)
    assert first.created and first.meetings > 20 and first.attendances > 0
    assert Meeting.objects.filter(status="held").exists() and Attendance.objects.exists()
    assert Alert.objects.exists(), "the scan finds something"
    assert RedFlag.objects.count() <= 1
    again = demo.generate_orglife(seed=7)
    assert not again.created and Meeting.objects.count() == first.meetings

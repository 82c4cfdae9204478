"""Meetings: plan and notify, QR sign-in (once), roll call with reasons, minutes and photos, dues."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.orglife import selectors, services
from yuntu.orglife.models import Attendance, Dues, Meeting, MeetingEvent
from yuntu.orglife.workflow import AttendanceStatus, MeetingStatus

from . import senders
from .factories import earlier_today, held_meeting, png_bytes

SENDER = "yuntu.orglife.tests.senders.RecordingSender"


def soon():
    return earlier_today(5)


@override_settings(ORGLIFE_NOTIFICATION_SENDERS=[SENDER])
def test_planning_tells_the_members_with_an_account(cast, django_capture_on_commit_callbacks):
    senders.SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], kind="theme_day",
                                        title="12月主题党日：学习贯彻全会精神", starts_at=soon(), place="兴旺社区党群服务中心",
                                        topics="学习全会精神\n志愿服务")
    assert meeting.expected_count == 1
    assert [(name, subject) for name, subject, *_ in senders.SENT] == [("member", "【会议通知】兴旺社区第一党支部主题党日")]
    assert "兴旺社区党群服务中心" in senders.SENT[0][2] and "学习全会精神；志愿服务" in senders.SENT[0][2]


def test_a_member_signs_in_once(cast):
    meeting = services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], kind="theme_day",
                                    title="主题党日", starts_at=soon(), notify=False)
    attendance = services.meeting_sign_in(actor=cast.user("member"), meeting=meeting)
    assert attendance.status == AttendanceStatus.PRESENT and attendance.method == "qr"
    before = (Attendance.objects.count(), MeetingEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="请勿重复签到"):
        services.meeting_sign_in(actor=cast.user("member"), meeting=meeting)
    assert (Attendance.objects.count(), MeetingEvent.objects.count(), AuditEntry.objects.count()) == before
    meeting.refresh_from_db()
    assert meeting.present_count == 1


def test_only_members_of_the_org_sign_in_and_only_on_the_day(cast):
    secretary = cast.user("branch_secretary")
    meeting = services.meeting_plan(actor=secretary, org=cast.orgs["branch"], kind="lecture", title="党课",
                                    starts_at=soon(), notify=False)
    with pytest.raises(PermissionDenied):
        services.meeting_sign_in(actor=cast.user("outsider"), meeting=meeting)
    tomorrow = services.meeting_plan(actor=secretary, org=cast.orgs["branch"], kind="lecture", title="党课",
                                     starts_at=clock.now() + datetime.timedelta(days=1), notify=False)
    with pytest.raises(ValidationError, match="会议当天"):
        services.meeting_sign_in(actor=cast.user("member"), meeting=tomorrow)
    assert not Attendance.objects.exists()


def test_minutes_of_a_future_meeting_are_refused(cast):
    meeting = services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], kind="general",
                                    title="支部党员大会", starts_at=clock.now() + datetime.timedelta(days=2), notify=False)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="会议尚未召开"):
        services.meeting_record_minutes(actor=cast.user("branch_secretary"), meeting=meeting,
                                        minutes="会议听取了支部工作报告，讨论通过了发展对象。")
    meeting.refresh_from_db()
    assert meeting.minutes == "" and AuditEntry.objects.count() == before
    with pytest.raises(ValidationError, match="会议时间未到"):
        services.meeting_hold(actor=cast.user("branch_secretary"), meeting=meeting)


def test_roll_call_needs_a_reason_for_leave_and_marks_the_rest_absent(cast):
    secretary, member = cast.user("branch_secretary"), cast.members["member"]
    meeting = services.meeting_plan(actor=secretary, org=cast.orgs["branch"], kind="committee", title="支委会",
                                    starts_at=soon(), notify=False)
    with pytest.raises(ValidationError, match="请假原因"):
        services.meeting_hold(actor=secretary, meeting=meeting, leave={member.pk: " "})
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED
    services.meeting_hold(actor=secretary, meeting=meeting, leave={member.pk: "因公出差"})
    row = Attendance.objects.get(meeting=meeting)
    assert (row.status, row.reason) == (AttendanceStatus.LEAVE, "因公出差")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.held_on == clock.today()
    with pytest.raises(ValidationError):
        services.meeting_hold(actor=secretary, meeting=meeting)


def test_photos_are_checked_by_content(cast):
    secretary = cast.user("branch_secretary")
    meeting = held_meeting(secretary, cast.orgs["branch"])
    fake = SimpleUploadedFile("现场.jpg", b"not really a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效的图片"):
        services.meeting_add_photos(actor=secretary, meeting=meeting, photos=[fake])
    assert not meeting.photos.exists()
    photo = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    services.meeting_add_photos(actor=secretary, meeting=meeting, photos=[photo])
    assert meeting.photos.count() == 1


def test_an_outsider_cannot_plan_or_record(cast):
    with pytest.raises(PermissionDenied):
        services.meeting_plan(actor=cast.user("outsider"), org=cast.orgs["branch"], kind="theme_day", title="越权",
                              starts_at=soon(), notify=False)
    assert not Meeting.objects.exists()


def test_history_and_theme_days_attended_per_member(cast):
    secretary, member = cast.user("branch_secretary"), cast.members["member"]
    year = clock.today().year
    held_meeting(secretary, cast.orgs["branch"], present=[member.pk])
    forty_days_ago = clock.now() - datetime.timedelta(days=40)
    held_meeting(secretary, cast.orgs["branch"], present=[member.pk], when=forty_days_ago)
    held_meeting(secretary, cast.orgs["branch"], kind="lecture")
    counts = selectors.theme_days_attended(cast.user("street_secretary"), year=year)
    expected = 1 + (clock.today(forty_days_ago).year == year)  # earlier today, and 40 days ago if still this year
    assert counts.get(member.pk, 0) == expected
    assert selectors.theme_days_attended(cast.user("outsider"), year=year) == {}
    assert selectors.theme_days_attended(cast.user("member"), year=year).get(member.pk, 0) == expected
    history = selectors.member_history(cast.user("street_secretary"), member)
    assert history["totals"] == {"total": 3, "present": 2, "leave": 0, "absent": 1, "rate": 66.7}


def test_dues_follow_the_bracket_table_and_arrears_are_listed(cast):
    officer, secretary, member = cast.user("district_officer"), cast.user("branch_secretary"), cast.members["member"]
    start = datetime.date(2020, 1, 1)
    table = [(Decimal("0"), Decimal("0.005")), (Decimal("3000"), Decimal("0.01")), (Decimal("5000"), Decimal("0.015")),
             (Decimal("10000"), Decimal("0.02"))]
    with pytest.raises(PermissionDenied):
        services.dues_table_replace(actor=secretary, effective_from=start, rows=table)
    services.dues_table_replace(actor=officer, effective_from=start, rows=table)
    assert services.dues_amount(Decimal("2800"), clock.today()) == Decimal("14.00")
    assert services.dues_amount(Decimal("6000"), clock.today()) == Decimal("90.00")
    assert services.dues_amount(Decimal("12000"), clock.today()) == Decimal("240.00")
    last_month = (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    dues = services.dues_declare(actor=secretary, member=member, month=last_month, income=Decimal("6000"))
    with pytest.raises(ValidationError, match="已登记"):
        services.dues_declare(actor=secretary, member=member, month=last_month, income=Decimal("1"))
    rows = selectors.arrears_by_branch(secretary, org=cast.orgs["community"])
    assert [(row["org__name"], row["amount"]) for row in rows] == [("兴旺社区第一党支部", Decimal("90.00"))]
    assert selectors.arrears_by_branch(cast.user("outsider"), org=cast.orgs["other_community"]) == []
    with pytest.raises(ValidationError, match="不能少于"):
        services.dues_pay(actor=secretary, dues=dues, paid_amount=Decimal("10"), paid_on=clock.today())
    services.dues_pay(actor=secretary, dues=dues, paid_amount=Decimal("90"), paid_on=clock.today())
    assert not selectors.arrears(secretary, org=cast.orgs["community"]).exists()
    assert Dues.objects.get().paid_amount == Decimal("90.00")

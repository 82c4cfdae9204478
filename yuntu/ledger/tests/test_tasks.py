import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from yuntu.accounts.models import User
from yuntu.core import clock
from yuntu.ledger import notifications, services
from yuntu.ledger.models import LedgerEvent, Measure
from yuntu.ledger.tasks import ledger_remind


class RecordingSender:
    """Keeps every message instead of sending it; `fail_for` names users whose delivery raises."""

    sent: list[tuple[str, str, str]] = []

    def __init__(self, fail_for: tuple[str, ...] = ()):
        self.fail_for = fail_for
        RecordingSender.sent = []

    def send(self, recipient, subject: str, body: str) -> bool:
        if recipient.username in self.fail_for:
            raise ConnectionError("邮件服务器不可用")
        RecordingSender.sent.append((recipient.username, subject, body))
        return True

    def to(self, username: str) -> list[tuple[str, str]]:
        return [(subject, body) for name, subject, body in self.sent if name == username]


@pytest.fixture
def measures(cast):
    """Measures in progress in both subtrees; the clock of each test is moved 20 days ahead of their last update."""
    community_secretary, inspector = cast.user("community_secretary"), cast.user("inspector")
    today = clock.today()
    problem = services.problem_create(actor=community_secretary, org=cast.orgs["community"], title="兴旺社区楼道堆物长期未清理",
                                      source="residents", category="governance", found_on=today)
    services.problem_transition(actor=inspector, problem=problem, name="approve")

    def add(org, text, deadline_days, responsible_user=None, actor=community_secretary, reviewer=inspector, on=problem):
        measure = services.measure_add(actor=actor, problem=on, org=org, text=text, responsible_person="王建国",
                                       responsible_user=responsible_user,
                                       deadline=today + datetime.timedelta(days=deadline_days))
        services.measure_transition(actor=reviewer, measure=measure, name="approve")
        return measure

    owned = add(cast.orgs["branch"], "组织党员清理楼道堆物", 60, responsible_user=cast.user("member"))
    late = add(cast.orgs["community"], "建立楼道巡查制度并公示", 5)
    fresh = add(cast.orgs["community"], "召开居民议事会商定管理公约", 60)
    officer = cast.user("district_officer")
    other = services.problem_create(actor=officer, org=cast.orgs["other_branch"], title="山边社区路灯损坏",
                                    source="residents", category="livelihood", found_on=today)
    services.problem_transition(actor=officer, problem=other, name="approve")
    elsewhere = add(cast.orgs["other_branch"], "更换损坏路灯12盏", 60, actor=officer, reviewer=officer, on=other)
    district_problem = services.problem_create(actor=officer, org=cast.orgs["district"], title="区级统筹问题",
                                               source="inspection", category="conduct", found_on=today)
    services.problem_transition(actor=officer, problem=district_problem, name="approve")
    top = add(cast.orgs["district"], "区委统筹推进整改工作", 5, actor=officer, reviewer=officer, on=district_problem)
    now = clock.now() + datetime.timedelta(days=20)
    Measure.objects.filter(pk=fresh.pk).update(last_progress_at=now - datetime.timedelta(days=3))
    return {"owned": owned, "late": late, "fresh": fresh, "elsewhere": elsewhere, "top": top, "now": now}


def test_stale_owners_are_reminded_and_overdue_measures_escalated(cast, measures):
    sender = RecordingSender()
    now = measures["now"]
    report = notifications.send_reminders(now=now, sender=sender)
    # Not updated for 14 days: the responsible person and the secretaries of the owning org.
    assert [subject for subject, _ in sender.to("member")] == ["【整改台账】1项整改措施已超过14天未更新进展"]
    assert "组织党员清理楼道堆物" in sender.to("member")[0][1]
    assert "组织党员清理楼道堆物" in sender.to("branch_secretary")[0][1]
    community = sender.to("community_secretary")
    assert len(community) == 1 and "建立楼道巡查制度并公示" in community[0][1] and "召开居民议事会" not in community[0][1]
    # Past its deadline: the secretaries of the org above (the street for a community's measure).
    street = sender.to("street_secretary")
    assert [subject for subject, _ in street] == ["【整改台账】下级单位1项整改措施已逾期未完成"]
    assert "建立楼道巡查制度并公示" in street[0][1] and "已逾期15天" in street[0][1]
    # The other subtree's secretary hears only of their own measures.
    assert len(sender.to("outsider")) == 1 and "更换损坏路灯12盏" in sender.to("outsider")[0][1]
    assert "兴旺" not in sender.to("outsider")[0][1]
    # The district's own overdue measure has no unit above it; its stale reminder goes to the district officer.
    assert "区委统筹推进整改工作" in sender.to("district_officer")[0][1]
    assert (report.stale, report.reminded, report.overdue, report.escalated, report.unreachable) == (4, 4, 2, 1, 1)
    assert report.messages == len(sender.sent) == 6 and report.recipients == 6 and report.failed == 0
    reminded = LedgerEvent.objects.filter(action="reminder")
    assert set(reminded.values_list("measure_id", flat=True)) == {
        measures[key].pk for key in ("owned", "late", "elsewhere", "top")}
    assert all(event.occurred_at == now for event in reminded)
    owned_event = reminded.get(measure=measures["owned"])
    assert owned_event.label == "两周未更新提醒" and "林晓红" in owned_event.reason
    assert LedgerEvent.objects.get(action="escalation").measure_id == measures["late"].pk


def test_reminders_are_sent_once_per_fortnight(cast, measures):
    now = measures["now"]
    notifications.send_reminders(now=now, sender=RecordingSender())
    sender = RecordingSender()
    _, end = notifications.fortnight_of(timezone.localdate(now))
    later_same_fortnight = max(now, end - datetime.timedelta(hours=1))
    # The fresh measure keeps being updated, wherever in its fortnight the test's day falls.
    Measure.objects.filter(pk=measures["fresh"].pk).update(last_progress_at=max(now, end - datetime.timedelta(days=2)))
    report = notifications.send_reminders(now=later_same_fortnight, sender=sender)
    assert sender.sent == [] and report.reminded == report.escalated == 0
    report = notifications.send_reminders(now=end + datetime.timedelta(hours=1), sender=sender)
    assert report.reminded == 4 and report.escalated == 1
    assert LedgerEvent.objects.filter(action="reminder", measure=measures["owned"]).count() == 2


def test_an_update_stops_the_reminder(cast, measures):
    Measure.objects.filter(pk=measures["owned"].pk).update(last_progress_at=measures["now"] - datetime.timedelta(days=1))
    sender = RecordingSender()
    notifications.send_reminders(now=measures["now"], sender=sender)
    assert sender.to("member") == [] and sender.to("branch_secretary") == []


def test_a_failed_delivery_is_retried_next_run(cast, measures):
    sender = RecordingSender(fail_for=("community_secretary",))
    report = notifications.send_reminders(now=measures["now"], sender=sender)
    assert report.failed == 1
    assert not LedgerEvent.objects.filter(action="reminder", measure=measures["late"]).exists()
    retry = RecordingSender()
    notifications.send_reminders(now=measures["now"], sender=retry)
    assert [name for name, _, _ in retry.sent] == ["community_secretary"]


@override_settings(LEDGER_NOTIFICATION_SENDER="yuntu.ledger.tests.test_tasks.RecordingSender")
def test_the_task_uses_the_configured_sender(cast, measures):
    result = ledger_remind.enqueue(now=measures["now"].isoformat())
    assert result.return_value["reminded"] == 4 and result.return_value["escalated"] == 1
    assert len(RecordingSender.sent) == 6


def test_the_email_sender(cast):
    user = User(username="mail-test", display_name="王建国", email="wang@example.cn")
    assert notifications.EmailSender().send(user, "【整改台账】提醒", "请更新进展") is True
    assert mail.outbox[-1].to == ["wang@example.cn"] and mail.outbox[-1].subject == "【整改台账】提醒"
    assert notifications.EmailSender().send(User(username="no-mail"), "主题", "正文") is False


def test_the_default_sender_is_the_console(settings):
    assert isinstance(notifications.get_sender(), notifications.ConsoleSender)
    settings.LEDGER_NOTIFICATION_SENDER = "yuntu.ledger.notifications.EmailSender"
    assert isinstance(notifications.get_sender(), notifications.EmailSender)


def test_the_command_prints_what_it_sent(cast, measures):
    out = StringIO()
    call_command("ledger_remind", "--now", measures["now"].isoformat(), stdout=out)
    text = out.getvalue()
    assert "—— 致 林晓红（member）" in text and "组织党员清理楼道堆物" in text
    assert "已提醒4项" in text and "已督办1项" in text and "无人可提醒1项" in text
    out = StringIO()
    call_command("ledger_remind", "--now", measures["now"].isoformat(), stdout=out)
    assert "已提醒0项" in out.getvalue() and "—— 致" not in out.getvalue()

"""Every notification sent through a Yuntu sender lands in the recipient's inbox; digests and opt-outs."""

import io

import pytest
from django.core import mail
from django.urls import reverse

from yuntu.core import senders
from yuntu.inbox import selectors, services
from yuntu.inbox.models import Message
from yuntu.ledger.notifications import send_reminders
from yuntu.ledger.tests.test_tasks import measures  # noqa: F401 (the ledger's own fixture)
from yuntu.voices import services as voices_services
from yuntu.voices.models import Category, Channel


def test_a_console_message_to_an_account_is_kept_in_its_inbox(cast):
    stream = io.StringIO()
    user = cast.user("resident")
    assert senders.ConsoleSender(stream).send(user, "【群众诉求】已受理", "您反映的事已受理。")
    message = Message.objects.get(user=user)
    assert message.kind == "群众诉求" and message.subject == "【群众诉求】已受理" and message.held == ""
    assert "已受理" in stream.getvalue()  # delivered outside too


def test_a_multi_sender_keeps_one_copy_and_contacts_without_account_pass(cast):
    user = cast.user("member")
    user.email = "lin@example.cn"
    senders.MultiSender([senders.ConsoleSender(io.StringIO()), senders.EmailSender()]).send(user, "【整改台账】提醒", "请更新")
    assert Message.objects.filter(user=user).count() == 1 and len(mail.outbox) == 1

    class Contact:  # a resident known only by a mobile on a request
        user_id = None
        email = ""

        def get_username(self):
            return "137****0000"

    before = Message.objects.count()
    assert senders.ConsoleSender(io.StringIO()).send(Contact(), "【群众诉求】已受理", "…")
    assert Message.objects.count() == before


def test_voices_notifications_land_in_the_resident_inbox(cast, django_capture_on_commit_callbacks):
    category = Category.objects.create(code="lamp", name="路灯照明", responsible_org=cast.orgs["agency"])
    with django_capture_on_commit_callbacks(execute=True):
        voices_services.request_submit(community=cast.orgs["community"], category=category, text="兴旺小区路灯不亮一周了",
                                       channel=Channel.PORTAL, resident=cast.user("resident"), contact_mobile="13700001111")
    kept = Message.objects.filter(user=cast.user("resident"))
    assert kept.filter(kind="群众诉求").exists()
    assert Message.objects.filter(user=cast.user("community_secretary"), kind="群众诉求").exists()  # staff too


def test_ledger_reminders_land_in_the_inbox_through_the_default_sender(cast, measures, capsys):  # noqa: F811
    report = send_reminders(now=measures["now"])  # the ledger's default sender: the console
    assert report.messages > 0
    assert Message.objects.filter(user=cast.user("member"), kind="整改台账").exists()


@pytest.fixture
def digest_user(cast):
    user = cast.user("resident")
    services.set_preferences(actor=user, daily_digest=True, opted_out=["整改台账"])
    return user


def test_digest_holds_messages_back_and_sends_one_a_day(digest_user):
    stream = io.StringIO()
    console = senders.ConsoleSender(stream)
    for number in range(3):
        assert console.send(digest_user, f"【群众诉求】第{number}件已受理", "…")
    assert stream.getvalue() == ""  # nothing pushed yet
    assert Message.objects.filter(user=digest_user, held="digest").count() == 3
    report = services.send_digests(sender=console)
    assert (report.users, report.messages, report.sent) == (1, 3, 1)
    assert stream.getvalue().count("【消息汇总】") == 1 and "第2件已受理" in stream.getvalue()
    assert Message.objects.filter(user=digest_user).count() == 3  # the digest itself is not another inbox copy
    assert services.send_digests(sender=console).sent == 0  # rerunning sends nothing new


def test_an_opted_out_kind_is_kept_but_not_pushed(digest_user):
    stream = io.StringIO()
    senders.ConsoleSender(stream).send(digest_user, "【整改台账】两周未更新", "…")
    assert stream.getvalue() == ""
    assert Message.objects.get(user=digest_user, kind="整改台账").held == "opted_out"
    assert services.send_digests(sender=senders.ConsoleSender(stream)).sent == 0


def test_inbox_pages_show_only_my_messages(cast, client_for):
    mine = Message.objects.create(user=cast.user("resident"), kind="党务公开", subject="【党务公开】您的提问已答复", body="答复")
    other = Message.objects.create(user=cast.user("member"), kind="党务公开", subject="【党务公开】别人的消息", body="…")
    client = client_for(cast.user("resident"))
    body = client.get(reverse("inbox:list")).content.decode()
    assert mine.subject in body and other.subject not in body and "1 条未读" in body
    assert client.get(reverse("inbox:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("inbox:detail", args=[mine.pk])).status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None
    response = client.post(reverse("inbox:preferences"), {"daily_digest": "on", "opted_out": ["群众诉求"]})
    assert response.status_code == 302
    assert client.get(reverse("inbox:preferences")).status_code == 200
    assert selectors.takes_digest(cast.user("resident"))


def test_digest_command_runs(cast, capsys):
    from django.core.management import call_command

    call_command("inbox_digest")
    assert '"sent": 0' in capsys.readouterr().out

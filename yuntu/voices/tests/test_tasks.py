import base64
import datetime
import hashlib
import hmac
import io
import json
import urllib.parse
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from yuntu.core import clock
from yuntu.voices import notifications, services
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent
from yuntu.voices.notifications import (
    AliyunSmsSender,
    ConsoleSender,
    EmailSender,
    FakeTransport,
    MultiSender,
    Recipient,
    WeChatTemplateSender,
)
from yuntu.voices.tasks import voices_escalate

POINT = {"latitude": "24.480100", "longitude": "118.030200"}


class RecordingSender:
    """Keeps every message instead of sending it; `fail_for` names recipients whose delivery raises."""

    sent: list[tuple[str, str, str, dict]] = []

    def __init__(self, fail_for: tuple[str, ...] = ()):
        self.fail_for = fail_for
        RecordingSender.sent = []

    def send(self, recipient, subject, body, data=None) -> bool:
        if recipient.get_username() in self.fail_for:
            raise ConnectionError("短信网关不可用")
        RecordingSender.sent.append((recipient.get_username(), subject, body, data or {}))
        return True

    @classmethod
    def to(cls, username: str) -> list[tuple[str, str]]:
        return [(subject, body) for name, subject, body, _ in cls.sent if name == username]


@pytest.fixture
def category(cast):
    return Category.objects.create(code="road", name="道路设施", responsible_org=cast.orgs["agency"])


def submit(cast, category, community="community", text="兴旺小区3号楼门口路灯不亮", **extra):
    extra.setdefault("resident", cast.user("resident") if community == "community" else None)
    return services.request_submit(community=cast.orgs[community], category=category, text=text,
                                   contact_mobile=extra.pop("mobile", "13700001111"), **POINT, **extra)


# ---- the hook: a task enqueued after commit ---------------------------------------------------


@override_settings(VOICES_NOTIFICATION_SENDERS=["yuntu.voices.tests.test_tasks.RecordingSender"])
def test_each_stage_is_announced_after_commit(cast, category, django_capture_on_commit_callbacks):
    RecordingSender.sent = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = submit(cast, category)
    assert len(callbacks) == 1
    assert [subject for subject, _ in RecordingSender.to("resident")] == ["【群众诉求】已收到您的诉求"]
    assert "编号" + request.number in RecordingSender.to("resident")[0][1]
    assert [subject for subject, _ in RecordingSender.to("community_secretary")] == ["【群众诉求】新诉求待受理"]
    assert RecordingSender.to("street_secretary") == []  # the community has its own triage staff
    secretary, handler = cast.user("community_secretary"), cast.user("department_handler")
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = services.request_dispatch(actor=secretary, request=request, departments=[cast.orgs["agency"]])[0]
    assert RecordingSender.to("resident")[-1][0] == "【群众诉求】您的诉求已吹哨派单"
    assert "海沧区城市管理局机关党支部" in RecordingSender.to("resident")[-1][1]
    assert [subject for subject, _ in RecordingSender.to("department_handler")] == ["【吹哨报到】新派单待签收"]
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_transition(actor=handler, dispatch=dispatch, name="accept")
        services.dispatch_transition(actor=handler, dispatch=dispatch, name="reply", reply="已更换灯泡")
    assert RecordingSender.to("community_secretary")[-1][0] == "【吹哨报到】部门已答复"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(actor=secretary, request=request, name="publish", reply="城管局已更换路灯")
    assert RecordingSender.to("resident")[-1] == ("【群众诉求】您的诉求已答复",
                                                  f"您反映的“兴旺小区3号楼门口路灯不亮”（{request.number}）已答复：城管局已更换路灯。"
                                                  "请对办理结果进行评价。")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(actor=cast.user("resident"), request=request, name="reopen", reason="灯又坏了")
    assert RecordingSender.to("resident")[-1][0] == "【群众诉求】您的诉求已重新办理"
    assert RecordingSender.to("community_secretary")[-1][0] == "【群众诉求】群众不满意，要求重新办理"
    assert RecordingSender.to("outsider") == []


@override_settings(VOICES_NOTIFICATION_SENDERS=["yuntu.voices.tests.test_tasks.RecordingSender"])
def test_nothing_is_sent_for_a_write_that_rolled_back(cast, category, django_capture_on_commit_callbacks):
    RecordingSender.sent = []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                submit(cast, category)
                raise RuntimeError("回滚")
    assert callbacks == [] and RecordingSender.sent == []


def test_merged_residents_hear_the_answer_and_contacts_without_account_are_reached(cast, category):
    secretary = cast.user("community_secretary")
    first = submit(cast, category)
    second = submit(cast, category, text="路灯不亮", resident=None, mobile="13800002222", contact_name="林先生")
    services.request_transition(actor=secretary, request=second, name="merge", target=first)
    sender = RecordingSender()
    report = notifications.deliver("merged", second.pk, sender=sender)
    assert report.messages == 1 and RecordingSender.sent[0][0] == "138****2222"  # a contact, shown masked
    assert first.number in RecordingSender.sent[0][2]
    services.request_transition(actor=secretary, request=first, name="handle")
    services.request_transition(actor=secretary, request=first, name="publish", reply="已修复路灯")
    sender = RecordingSender()
    report = notifications.deliver("published", first.pk, sender=sender)
    assert sorted(name for name, *_ in RecordingSender.sent) == ["138****2222", "resident"]
    assert "已与" + first.number + "合并办理并答复：已修复路灯" in RecordingSender.to("138****2222")[0][1]
    assert report.messages == 2 and report.failed == 0


def test_declined_and_a_failing_sender(cast, category):
    request = submit(cast, category)
    services.request_transition(actor=cast.user("community_secretary"), request=request, name="decline", reason="属于民事纠纷")
    report = notifications.deliver("declined", request.pk, sender=RecordingSender(fail_for=("resident",)))
    assert report.messages == 0 and report.failed == 1
    report = notifications.deliver("declined", request.pk, sender=RecordingSender())
    assert "原因：属于民事纠纷" in RecordingSender.to("resident")[0][1]
    with pytest.raises(ValueError):
        notifications.deliver("exploded", request.pk)


def test_console_and_email_senders(cast, category):
    request = submit(cast, category, resident=None, contact_name="陈女士")
    stream = StringIO()
    notifications.deliver("submitted", request.pk, sender=ConsoleSender(stream))
    text = stream.getvalue()
    assert "致 陈女士（137****1111）" in text and "13700001111" not in text
    user = cast.user("community_secretary")
    user.email = "secretary@example.org"
    user.save(update_fields=["email"])
    sender = MultiSender([EmailSender(), RecordingSender(fail_for=("community_secretary",))])
    report = notifications.deliver("submitted", request.pk, sender=sender)
    assert [message.to for message in mail.outbox] == [["secretary@example.org"]]
    assert mail.outbox[0].subject == "【群众诉求】新诉求待受理" and report.messages == 2  # e-mail took the secretary's


# ---- the SMS and WeChat adapters behind an injected transport --------------------------------


def test_aliyun_sms_request_is_signed_as_the_provider_expects():
    transport = FakeTransport(answers=[{"Code": "OK", "Message": "OK"}, {"Code": "isv.BUSINESS_LIMIT_CONTROL"}])
    sender = AliyunSmsSender(access_key_id="testid", access_key_secret="testsecret", sign_name="云图", template_code="SMS_1",
                             transport=transport, now=lambda: datetime.datetime(2026, 11, 2, 1, 2, 3, tzinfo=datetime.UTC),
                             nonce=lambda: "nonce-1")
    recipient = Recipient(name="陈女士", mobile="13700001111")
    assert sender.send(recipient, "【群众诉求】已收到您的诉求", "很长的正文" * 20, {"number": "SQ2026110200001", "status": "已收到"})
    call = transport.calls[0]
    params = call["params"]
    assert call["method"] == "GET" and call["url"] == "https://dysmsapi.aliyuncs.com/"
    assert params["Action"] == "SendSms" and params["Version"] == "2017-05-25" and params["PhoneNumbers"] == "13700001111"
    assert params["Timestamp"] == "2026-11-02T01:02:03Z" and params["SignatureNonce"] == "nonce-1"
    assert json.loads(params["TemplateParam"]) == {"number": "SQ2026110200001", "status": "已收到",
                                                   "detail": ("很长的正文" * 20)[:35]}
    unsigned = {key: value for key, value in params.items() if key != "Signature"}
    quote = lambda value: urllib.parse.quote(str(value), safe="~")  # noqa: E731
    query = "&".join(f"{quote(key)}={quote(unsigned[key])}" for key in sorted(unsigned))
    expected = base64.b64encode(hmac.new(b"testsecret&", f"GET&%2F&{quote(query)}".encode(), hashlib.sha1).digest()).decode()
    assert params["Signature"] == expected
    assert not sender.send(recipient, "s", "b")  # the provider refused
    assert not sender.send(Recipient(name="无手机号"), "s", "b") and len(transport.calls) == 2


def test_wechat_template_message_keeps_and_refreshes_its_token():
    clock_value = [0.0]
    transport = FakeTransport(answers=[
        {"access_token": "token-1", "expires_in": 7200}, {"errcode": 0, "errmsg": "ok"},
        {"errcode": 0, "errmsg": "ok"},
        {"errcode": 42001, "errmsg": "access_token expired"}, {"access_token": "token-2", "expires_in": 7200},
        {"errcode": 0, "errmsg": "ok"},
    ])
    sender = WeChatTemplateSender(app_id="wx1", app_secret="secret", template_id="TPL", url="https://yuntu.example/portal/",
                                  transport=transport, monotonic=lambda: clock_value[0])
    recipient = Recipient(name="陈女士", wechat_openid="openid-1")
    assert sender.send(recipient, "【群众诉求】已收到您的诉求", "正文", {"number": "SQ1", "status": "已收到"})
    assert transport.calls[0]["params"] == {"grant_type": "client_credential", "appid": "wx1", "secret": "secret"}
    sent = transport.calls[1]
    assert sent["url"] == "https://api.weixin.qq.com/cgi-bin/message/template/send"
    assert sent["params"] == {"access_token": "token-1"} and sent["json"]["touser"] == "openid-1"
    assert sent["json"]["data"]["keyword1"] == {"value": "SQ1"} and sent["json"]["template_id"] == "TPL"
    assert sender.send(recipient, "s", "b") and transport.calls[2]["params"] == {"access_token": "token-1"}  # kept
    assert sender.send(recipient, "s", "b")  # expired: refreshed once and sent again
    assert [call["params"].get("access_token") for call in transport.calls[3:]] == ["token-1", None, "token-2"]
    assert not sender.send(Recipient(name="没有绑定微信"), "s", "b") and len(transport.calls) == 6


# ---- deadlines: escalation and overdue dispatches ---------------------------------------------


@pytest.fixture
def overdue(cast, category):
    """An overdue request in each subtree and an overdue dispatch to the agency; the clock is a week ahead."""
    mine = submit(cast, category)
    dispatched = submit(cast, category, text="兴旺小区井盖松动")
    dispatch = services.request_dispatch(actor=cast.user("community_secretary"), request=dispatched,
                                         departments=[cast.orgs["agency"]], days=1)[0]
    other = submit(cast, category, community="other_community", text="山边社区垃圾没人清运")
    # Mid-morning, so that the run "two hours later" in the tests falls on the same local day.
    later = timezone.localtime(clock.now() + datetime.timedelta(days=12))
    now = later.replace(hour=10, minute=0, second=0, microsecond=0)
    return {"mine": mine, "dispatched": dispatched, "dispatch": dispatch, "other": other, "now": now}


def test_overdue_requests_are_escalated_to_the_org_above_once(cast, overdue):
    now = overdue["now"]
    sender = RecordingSender()
    report = notifications.escalate_overdue(now=now, sender=sender)
    street = RecordingSender.to("street_secretary")
    assert [subject for subject, _ in street] == ["【群众诉求】下级单位2件诉求超期未办结"]
    assert overdue["mine"].number in street[0][1] and overdue["other"].number not in street[0][1]
    # 东孚街道 has no secretary account: the district officer above hears of 山边社区's item.
    officer = RecordingSender.to("district_officer")
    assert len(officer) == 1 and overdue["other"].number in officer[0][1] and "兴旺" not in officer[0][1]
    assert RecordingSender.to("community_secretary") == [] and RecordingSender.to("outsider") == []
    assert (report.overdue, report.escalated, report.unreachable) == (3, 3, 0)
    assert set(Request.objects.filter(escalated_at=now).values_list("pk", flat=True)) == {
        overdue["mine"].pk, overdue["dispatched"].pk, overdue["other"].pk}
    event = RequestEvent.objects.get(request=overdue["mine"], action="escalate")
    assert event.public is False and event.occurred_at == now and "新阳街道书记" in event.text
    # The department hears of its overdue dispatch, listed under its name.
    handler = RecordingSender.to("department_handler")
    assert [subject for subject, _ in handler] == ["【吹哨报到】1件派单超期未答复"]
    assert "海沧区城市管理局机关党支部（1件）" in handler[0][1] and overdue["dispatched"].number in handler[0][1]
    assert report.reminded_dispatches == 1 and report.departments[0]["name"] == "海沧区城市管理局机关党支部"
    assert report.departments[0]["overdue"] == 1
    # Idempotent: running again the same day sends nothing and writes nothing.
    events = RequestEvent.objects.count()
    again = notifications.escalate_overdue(now=now + datetime.timedelta(hours=2), sender=RecordingSender())
    assert RecordingSender.sent == [] and (again.overdue, again.escalated, again.reminded_dispatches) == (0, 0, 0)
    assert RequestEvent.objects.count() == events and again.departments == report.departments
    # The next day the department is reminded again; escalation stays done.
    next_day = notifications.escalate_overdue(now=now + datetime.timedelta(days=1), sender=RecordingSender())
    assert (next_day.escalated, next_day.reminded_dispatches) == (0, 1)


def test_a_failed_escalation_is_retried_next_run(cast, overdue):
    now = overdue["now"]
    report = notifications.escalate_overdue(now=now, sender=RecordingSender(fail_for=("street_secretary",)))
    assert report.escalated == 1 and report.failed == 1  # only 山边社区's reached the district officer
    report = notifications.escalate_overdue(now=now, sender=RecordingSender())
    assert report.escalated == 2 and not Request.objects.filter(escalated_at__isnull=True).exclude(
        status__in=["published", "rated"]).exists()


def test_answered_dispatches_and_requests_are_left_alone(cast, overdue):
    handler = cast.user("department_handler")
    services.dispatch_transition(actor=handler, dispatch=overdue["dispatch"], name="accept")
    services.dispatch_transition(actor=handler, dispatch=overdue["dispatch"], name="reply", reply="已修复")
    services.request_transition(actor=cast.user("community_secretary"), request=overdue["dispatched"], name="publish",
                                reply="已修复井盖")
    report = notifications.escalate_overdue(now=overdue["now"], sender=RecordingSender())
    assert report.overdue == 2 and report.overdue_dispatches == 0 and report.departments == []


def test_the_command_and_the_task(cast, overdue):
    out = StringIO()
    call_command("voices_escalate", "--now", overdue["now"].isoformat(),
                 "--sender", "yuntu.voices.tests.test_tasks.RecordingSender", stdout=out)
    text = out.getvalue()
    assert "超期未办结诉求3件，已报上级3件" in text and "已提醒1件" in text
    assert "海沧区城市管理局机关党支部：1件" in text
    out = StringIO()
    call_command("voices_escalate", "--now", overdue["now"].isoformat(), "--enqueue", stdout=out)
    assert "已加入后台任务队列" in out.getvalue()
    result = voices_escalate.enqueue(now=overdue["now"].isoformat())
    assert result.return_value["escalated"] == 0 and result.return_value["departments"][0]["overdue"] == 1
    console = io.StringIO()
    call_command("voices_escalate", stdout=console)  # today: nothing is overdue yet
    assert "超期未办结诉求0件" in console.getvalue() and "没有超期未答复的吹哨派单" in console.getvalue()
    assert Dispatch.objects.count() == 1

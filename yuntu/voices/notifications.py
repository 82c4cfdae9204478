"""Who hears what about residents' voices, and the pluggable senders that carry the messages.

The resident hears each stage of their request: submitted (说事), merged or declined (议事),
dispatched to departments (吹哨), published with the answer (晒事; the residents of merged
duplicates hear the same answer) and reopened. Staff hear of work: the community's triage staff
of a new or reopened request and of a department's reply or hand-back; a department's handlers
of a dispatch to them. Staff are found as in the ledger: the nearest org on the path (own org
first) that has any holder of the roles concerned.

Services do not send anything themselves: they call `yuntu.voices.tasks.notify_on_commit`, which
enqueues the `voices_notify` task once the transaction has committed (nothing is sent for a
write that rolled back) and `deliver()` below runs in the task. The overdue escalation
(`escalate_overdue`) runs from `manage.py voices_escalate` or its task.

Senders: ``send(recipient, subject, body, data=None) -> bool``. The setting
``VOICES_NOTIFICATION_SENDERS`` lists their dotted paths (default: console and e-mail); every
sender is tried and a message counts as delivered when one of them took it. SMS (Aliyun) and
WeChat (official-account template messages) adapters build the provider's real request and hand
it to an injected transport, so they are exercised in tests with `FakeTransport` and need only
credentials and `UrllibTransport` to go live.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yuntu.accounts.models import RoleGrant
from yuntu.accounts.roles import Role
from yuntu.core import chinese, clock, crypto
from yuntu.core.senders import ConsoleSender, EmailSender, MultiSender, Screened, Sender  # noqa: F401 (settings name them here)
from yuntu.orgs.models import Org

from . import selectors
from .models import Dispatch, Request, RequestEvent

logger = logging.getLogger("yuntu.voices.notifications")

DEFAULT_SENDERS = ("yuntu.voices.notifications.ConsoleSender", "yuntu.voices.notifications.EmailSender")
TRIAGE_ROLES = (Role.COMMUNITY_SECRETARY, Role.STREET_SECRETARY, Role.DISTRICT_OFFICER)
DEPARTMENT_ROLES = (Role.DEPARTMENT_HANDLER,)
STEP = Org.steplen
CHUNK = 1000

SUBMITTED, MERGED, DECLINED, DISPATCHED = "submitted", "merged", "declined", "dispatched"
PUBLISHED, REOPENED, DISPATCH_REPLIED, DISPATCH_RETURNED = "published", "reopened", "dispatch_replied", "dispatch_returned"
EVENTS = (SUBMITTED, MERGED, DECLINED, DISPATCHED, PUBLISHED, REOPENED, DISPATCH_REPLIED, DISPATCH_RETURNED)
ESCALATE, DISPATCH_OVERDUE = "escalate", "dispatch_overdue"


# ---- recipients -------------------------------------------------------------------------------


@dataclass
class Recipient:
    """Whoever a message is for: a user account, or a resident known only by the contact on a request.

    The mobile is decrypted here, in memory, only to hand it to a sender; it is never logged in clear.
    """

    name: str
    username: str = ""
    user_id: int | None = None
    mobile: str = ""
    email: str = ""
    wechat_openid: str = ""

    def __str__(self) -> str:
        return self.name

    def get_username(self) -> str:
        return self.username or chinese.mask_mobile(self.mobile) or self.name

    @property
    def key(self) -> str:
        return f"user:{self.user_id}" if self.user_id else f"contact:{crypto.digest(self.mobile)}"

    @classmethod
    def of_user(cls, user) -> Recipient:
        return cls(name=str(user), username=user.get_username(), user_id=user.pk, email=user.email or "",
                   mobile=crypto.decrypt(user.mobile_encrypted), wechat_openid=getattr(user, "wechat_openid", "") or "")

    @classmethod
    def of_request(cls, request: Request) -> Recipient | None:
        """The resident who raised the request: their account if any, else the contact mobile they gave."""
        contact = crypto.decrypt(request.contact_mobile_encrypted)
        if request.resident_id and request.resident.is_active:
            recipient = cls.of_user(request.resident)
            recipient.mobile = recipient.mobile or contact
            return recipient
        if contact:
            return cls(name=request.contact_name or "群众", mobile=contact)
        return None


def _prefixes(path: str) -> list[str]:
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def _holders_by_path(paths: set[str], roles: tuple[str, ...]) -> dict[str, list]:
    """Active users holding one of `roles` on exactly each of `paths` (one query)."""
    found: dict[str, list] = defaultdict(list)
    grants = RoleGrant.objects.filter(org_path__in=paths, role__in=roles, user__is_active=True)
    for grant in grants.select_related("user").order_by("org_path", "user_id"):
        if grant.user not in found[grant.org_path]:
            found[grant.org_path].append(grant.user)
    return found


def nearest_staff(path: str, roles: tuple[str, ...], *, above: bool = False) -> list:
    """Holders of `roles` on the nearest org of `path` that has any (own org first, or only the orgs above)."""
    upward = list(reversed(_prefixes(path)))
    if above:
        upward = upward[1:]
    holders = _holders_by_path(set(upward), roles)
    for prefix in upward:
        if holders.get(prefix):
            return holders[prefix]
    return []


# ---- senders ----------------------------------------------------------------------------------


def get_sender() -> Sender:
    paths = getattr(settings, "VOICES_NOTIFICATION_SENDERS", DEFAULT_SENDERS)
    senders = [import_string(path)() for path in paths]
    return Screened(senders[0]) if len(senders) == 1 else MultiSender(senders)  # screened: the inbox keeps a copy


# ---- provider adapters: SMS and WeChat --------------------------------------------------------


class Transport(Protocol):
    """Performs one HTTP call and returns the decoded JSON answer."""

    def __call__(self, method: str, url: str, *, params: dict | None = None, json_body: dict | None = None) -> dict: ...


class UrllibTransport:
    """The live transport: standard-library HTTP with a timeout, JSON in and out."""

    def __init__(self, timeout: float = 10.0):
        self.timeout = timeout

    def __call__(self, method: str, url: str, *, params: dict | None = None, json_body: dict | None = None) -> dict:
        if params:
            url = f"{url}?{urllib.parse.urlencode(params)}"
        data = json.dumps(json_body, ensure_ascii=False).encode() if json_body is not None else None
        headers = {"Content-Type": "application/json; charset=utf-8"} if data is not None else {}
        call = urllib.request.Request(url, data=data, method=method, headers=headers)
        with urllib.request.urlopen(call, timeout=self.timeout) as response:  # noqa: S310 (fixed https endpoints)
            return json.loads(response.read().decode("utf-8") or "{}")


class FakeTransport:
    """Records the calls and answers from a list (or a function): for tests and dry runs."""

    def __init__(self, answers: list[dict] | None = None, answer=None):
        self.calls: list[dict] = []
        self.answers = list(answers or [])
        self.answer = answer

    def __call__(self, method: str, url: str, *, params: dict | None = None, json_body: dict | None = None) -> dict:
        call = {"method": method, "url": url, "params": params, "json": json_body}
        self.calls.append(call)
        if self.answers:
            return self.answers.pop(0)
        return self.answer(call) if callable(self.answer) else {}


def _aliyun_escape(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~").replace("+", "%20").replace("*", "%2A")


class AliyunSmsSender:
    """SMS through Aliyun's SendSms (RPC API 2017-05-25, signature v1: HMAC-SHA1 of the sorted query).

    The template registered with the provider takes ``number`` (the request number), ``status``
    (what happened) and ``detail`` (a short line); each is cut to the provider's 35 characters.
    Settings: ``VOICES_SMS = {"access_key_id", "access_key_secret", "sign_name", "template_code"}``.
    """

    endpoint = "https://dysmsapi.aliyuncs.com/"
    VARIABLE_MAX = 35

    def __init__(self, *, access_key_id: str = "", access_key_secret: str = "", sign_name: str = "",
                 template_code: str = "", transport: Transport | None = None, now=None, nonce=None):
        config = getattr(settings, "VOICES_SMS", {})
        self.access_key_id = access_key_id or config.get("access_key_id", "")
        self.access_key_secret = access_key_secret or config.get("access_key_secret", "")
        self.sign_name = sign_name or config.get("sign_name", "")
        self.template_code = template_code or config.get("template_code", "")
        self.transport = transport or UrllibTransport()
        self.now = now or (lambda: datetime.datetime.now(datetime.UTC))
        self.nonce = nonce or (lambda: uuid.uuid4().hex)

    def template_param(self, subject: str, body: str, data: dict | None) -> dict:
        data = data or {}
        values = {"number": data.get("number", ""), "status": data.get("status", subject), "detail": data.get("detail", body)}
        return {key: str(value)[:self.VARIABLE_MAX] for key, value in values.items()}

    def signed_params(self, mobile: str, template_param: dict) -> dict:
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": self.nonce(), "SignatureVersion": "1.0",
            "Timestamp": self.now().strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            "PhoneNumbers": mobile, "SignName": self.sign_name, "TemplateCode": self.template_code,
            "TemplateParam": json.dumps(template_param, ensure_ascii=False, separators=(",", ":")),
        }
        query = "&".join(f"{_aliyun_escape(key)}={_aliyun_escape(params[key])}" for key in sorted(params))
        to_sign = f"GET&{_aliyun_escape('/')}&{_aliyun_escape(query)}"
        digest = hmac.new(f"{self.access_key_secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        return {**params, "Signature": base64.b64encode(digest).decode()}

    def send(self, recipient: Recipient, subject: str, body: str, data: dict | None = None) -> bool:
        if not recipient.mobile:
            return False
        answer = self.transport("GET", self.endpoint,
                                params=self.signed_params(recipient.mobile, self.template_param(subject, body, data)))
        if answer.get("Code") != "OK":
            logger.warning("短信发送失败：%s %s", answer.get("Code"), answer.get("Message"))
            return False
        return True


class WeChatTemplateSender:
    """WeChat official-account template messages (``/cgi-bin/message/template/send``).

    The access token comes from ``/cgi-bin/token`` (client_credential) and is kept until shortly
    before it expires; an "invalid or expired token" answer (40001, 42001) refreshes it once.
    The recipient needs a ``wechat_openid`` (bound when the resident follows the account).
    Settings: ``VOICES_WECHAT = {"app_id", "app_secret", "template_id", "url"}``.
    """

    token_url = "https://api.weixin.qq.com/cgi-bin/token"
    send_url = "https://api.weixin.qq.com/cgi-bin/message/template/send"
    EXPIRED = {40001, 40014, 42001}

    def __init__(self, *, app_id: str = "", app_secret: str = "", template_id: str = "", url: str = "",
                 transport: Transport | None = None, monotonic=time.monotonic):
        config = getattr(settings, "VOICES_WECHAT", {})
        self.app_id = app_id or config.get("app_id", "")
        self.app_secret = app_secret or config.get("app_secret", "")
        self.template_id = template_id or config.get("template_id", "")
        self.url = url or config.get("url", "")
        self.transport = transport or UrllibTransport()
        self.monotonic = monotonic
        self._token, self._expires = "", 0.0

    def access_token(self, *, refresh: bool = False) -> str:
        if refresh or not self._token or self.monotonic() >= self._expires:
            answer = self.transport("GET", self.token_url, params={"grant_type": "client_credential", "appid": self.app_id,
                                                                   "secret": self.app_secret})
            if not answer.get("access_token"):
                raise ConnectionError(f"微信 access_token 获取失败：{answer.get('errcode')} {answer.get('errmsg')}")
            self._token = answer["access_token"]
            self._expires = self.monotonic() + int(answer.get("expires_in", 7200)) - 300
        return self._token

    def payload(self, openid: str, subject: str, body: str, data: dict | None) -> dict:
        data = data or {}
        return {
            "touser": openid, "template_id": self.template_id, "url": self.url,
            "data": {"first": {"value": subject}, "keyword1": {"value": data.get("number", "")},
                     "keyword2": {"value": data.get("status", "")}, "remark": {"value": body[:200]}},
        }

    def send(self, recipient: Recipient, subject: str, body: str, data: dict | None = None) -> bool:
        if not recipient.wechat_openid:
            return False
        payload = self.payload(recipient.wechat_openid, subject, body, data)
        answer = self.transport("POST", self.send_url, params={"access_token": self.access_token()}, json_body=payload)
        if answer.get("errcode") in self.EXPIRED:
            answer = self.transport("POST", self.send_url, params={"access_token": self.access_token(refresh=True)},
                                    json_body=payload)
        if answer.get("errcode", 0) != 0:
            logger.warning("微信模板消息发送失败：%s %s", answer.get("errcode"), answer.get("errmsg"))
            return False
        return True


# ---- the messages of each stage ---------------------------------------------------------------


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _short(text: str, length: int = 40) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length] + "…"


@dataclass
class Message:
    recipients: list[Recipient]
    subject: str
    body: str
    data: dict = field(default_factory=dict)


def _resident_messages(event: str, request: Request, dispatches: list[Dispatch]) -> list[Message]:
    resident = Recipient.of_request(request)
    number, what = request.number, _short(request.text, 30)
    texts = {
        SUBMITTED: ("已收到您的诉求", f"您反映的“{what}”已提交，编号{number}。{request.org.name}将于{_local(request.answer_due)}前答复，"
                                     f"{_local(request.resolve_due)}前办结。可凭编号随时查询办理进度。"),
        MERGED: ("您的诉求已合并办理", f"您反映的“{what}”（{number}）与{request.merged_into.number if request.merged_into_id else '同类诉求'}"
                                      f"反映的是同一问题，已合并办理，答复后将同时告知您。"),
        DECLINED: ("您的诉求不予受理", f"您反映的“{what}”（{number}）经社区议事不予受理，原因：{request.decline_reason}。"
                                    "如有异议可拨打12345热线。"),
        DISPATCHED: ("您的诉求已吹哨派单", f"您反映的“{what}”（{number}）已派至"
                                         f"{'、'.join(dispatch.org.name for dispatch in dispatches)}办理。"),
        PUBLISHED: ("您的诉求已答复", f"您反映的“{what}”（{number}）已答复：{_short(request.reply, 80)}。请对办理结果进行评价。"),
        REOPENED: ("您的诉求已重新办理", f"您对“{what}”（{number}）的办理结果不满意，已重新办理，"
                                      f"将于{_local(request.resolve_due)}前办结。"),
    }
    if event not in texts or resident is None:
        return []
    subject, body = texts[event]
    messages = [Message([resident], f"【群众诉求】{subject}", body, {"number": number, "status": subject, "detail": what})]
    if event == PUBLISHED:  # the residents of merged duplicates hear the same answer
        for duplicate in request.duplicates.select_related("resident", "org"):
            other = Recipient.of_request(duplicate)
            if other is not None:
                messages.append(Message([other], f"【群众诉求】{subject}",
                                        f"您反映的“{_short(duplicate.text, 30)}”（{duplicate.number}）已与{number}合并办理并答复："
                                        f"{_short(request.reply, 80)}。",
                                        {"number": duplicate.number, "status": subject, "detail": _short(duplicate.text, 30)}))
    return messages


def _staff_messages(event: str, request: Request, dispatches: list[Dispatch]) -> list[Message]:
    line = f"{request.number}｜{request.category.name}｜{_short(request.text)}｜{request.address or '未填地点'}"
    data = {"number": request.number}
    if event in (SUBMITTED, REOPENED):
        staff = [Recipient.of_user(user) for user in nearest_staff(request.org_path, TRIAGE_ROLES)]
        subject = "【群众诉求】新诉求待受理" if event == SUBMITTED else "【群众诉求】群众不满意，要求重新办理"
        body = (f"{request.org.name}收到群众诉求：\n{line}\n答复期限：{_local(request.answer_due)}，"
                f"办结期限：{_local(request.resolve_due)}。请登录云图受理（办理、吹哨派单、合并或不予受理）。")
        return [Message(staff, subject, body, {**data, "status": subject[6:]})] if staff else []
    if event == DISPATCHED:
        messages = []
        for dispatch in dispatches:
            staff = [Recipient.of_user(user) for user in nearest_staff(dispatch.org_path, DEPARTMENT_ROLES)]
            if staff:
                messages.append(Message(staff, "【吹哨报到】新派单待签收",
                                        f"{request.org.name}向{dispatch.org.name}吹哨派单：\n{line}\n"
                                        f"办理期限：{_local(dispatch.deadline)}。{dispatch.note}\n请签收后办理并答复，非本部门职责请说明原因退回。",
                                        {**data, "status": "新派单待签收"}))
        return messages
    if event in (DISPATCH_REPLIED, DISPATCH_RETURNED):
        staff = [Recipient.of_user(user) for user in nearest_staff(request.org_path, TRIAGE_ROLES)]
        dispatch = dispatches[0] if dispatches else None
        if not staff or dispatch is None:
            return []
        if event == DISPATCH_REPLIED:
            subject, detail = "【吹哨报到】部门已答复", f"答复：{_short(dispatch.reply, 80)}。各部门答复后即可公开答复。"
        else:
            subject, detail = "【吹哨报到】部门退回派单", f"退回原因：{dispatch.hand_back_reason}。请改派其他部门或由社区办理。"
        return [Message(staff, subject, f"{dispatch.org.name}：\n{line}\n{detail}", {**data, "status": subject[6:]})]
    return []


@dataclass
class NotifyReport:
    event: str = ""
    number: str = ""
    messages: int = 0  # messages delivered
    failed: int = 0  # messages no sender could deliver
    recipients: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _send(sender: Sender, message: Message, recipient: Recipient) -> bool:
    try:
        return bool(sender.send(recipient, message.subject, message.body, message.data))
    except Exception:  # one failing address must not stop the others
        logger.exception("群众诉求通知发送失败：%s", message.subject)
        return False


def deliver(event: str, request_id: int, dispatch_ids: list[int] | tuple = (), *, sender: Sender | None = None) -> NotifyReport:
    """Send the messages of one stage of one request (runs in the `voices_notify` task)."""
    if event not in EVENTS:
        raise ValueError(f"未知的通知事件：{event}")
    request = (Request.objects.select_related("org", "category", "resident", "merged_into")
               .filter(pk=request_id).first())
    report = NotifyReport(event=event)
    if request is None:
        return report
    report.number = request.number
    dispatches = list(Dispatch.objects.filter(pk__in=dispatch_ids, request=request).select_related("org").order_by("id"))
    sender = sender or get_sender()
    for message in _resident_messages(event, request, dispatches) + _staff_messages(event, request, dispatches):
        for recipient in message.recipients:
            if _send(sender, message, recipient):
                report.messages += 1
                report.recipients.append(str(recipient))
            else:
                report.failed += 1
    return report


# ---- deadlines: escalation of overdue requests, overdue dispatches per department -------------


@dataclass
class EscalationReport:
    overdue: int = 0  # open requests past their deadline, not escalated yet
    escalated: int = 0  # of which the org above was told now
    unreachable: int = 0  # nobody above to tell (tried again next run)
    overdue_dispatches: int = 0  # open dispatches past their deadline, not reminded today
    reminded_dispatches: int = 0
    unreachable_dispatches: int = 0  # the department has no handler account
    departments: list[dict] = field(default_factory=list)  # every overdue dispatch, counted per department
    messages: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _request_line(request: Request, now) -> str:
    late = (now - request.resolve_due).days
    return (f"· {request.org.name}｜{request.number}｜{request.category.name}｜{_short(request.text)}｜"
            f"办结期限：{_local(request.resolve_due)}" + (f"，已超期{late}天" if late >= 1 else "，已超期"))


def _dispatch_line(dispatch: Dispatch, now) -> str:
    late = (now - dispatch.deadline).days
    return (f"· {dispatch.request.number}｜{dispatch.request.org.name}派单｜{_short(dispatch.request.text)}｜"
            f"{dispatch.get_status_display()}｜办理期限：{_local(dispatch.deadline)}" + (f"，已超期{late}天" if late >= 1 else "，已超期"))


def _deliver_grouped(sender, items: list, recipients_of, compose, report: EscalationReport) -> dict[int, list[str]]:
    """Send one message per recipient listing their items; item id → names of those reached."""
    by_key: dict[str, list] = defaultdict(list)
    people: dict[str, Recipient] = {}
    for item in items:
        for user in recipients_of(item):
            recipient = Recipient.of_user(user)
            by_key[recipient.key].append(item)
            people[recipient.key] = recipient
    reached: dict[int, list[str]] = defaultdict(list)
    for key, mine in by_key.items():
        subject, body = compose(mine)
        message = Message([people[key]], subject, body, {"status": subject[6:], "detail": f"{len(mine)}项"})
        if _send(sender, message, people[key]):
            report.messages += 1
            for item in mine:
                reached[item.pk].append(str(people[key]))
        else:
            report.failed += 1
    return reached


def staff_for_paths(paths: set[str], roles: tuple[str, ...], *, above: bool = False) -> dict[str, list]:
    """`nearest_staff` for many paths at once, with a single grant query."""
    chains = {path: list(reversed(_prefixes(path)))[1 if above else 0:] for path in paths}
    holders = _holders_by_path({prefix for chain in chains.values() for prefix in chain}, roles)
    return {path: next((holders[prefix] for prefix in chain if holders.get(prefix)), []) for path, chain in chains.items()}


def _compose_escalation(items: list[Request], now) -> tuple[str, str]:
    lines = "\n".join(_request_line(item, now) for item in items)
    return (f"【群众诉求】下级单位{len(items)}件诉求超期未办结",
            f"以下群众诉求已超过办结期限仍未答复公开，按规定报上级督办，请督促抓紧办理：\n{lines}\n\n（云图·群众诉求超期上报）")


def _compose_dispatch_reminder(items: list[Dispatch], now) -> tuple[str, str]:
    by_department: dict[str, list[str]] = defaultdict(list)
    for item in items:
        by_department[item.org.name].append(_dispatch_line(item, now))
    lines = "\n".join(f"{name}（{len(rows)}件）：\n" + "\n".join(rows) for name, rows in by_department.items())
    return (f"【吹哨报到】{len(items)}件派单超期未答复",
            f"以下吹哨派单已超过办理期限，请尽快签收办理并答复，非本部门职责请说明原因退回：\n{lines}\n\n（云图·吹哨报到超期提醒）")


def escalate_overdue(*, now: datetime.datetime | None = None, sender: Sender | None = None) -> EscalationReport:
    """超期上报: tell the org above of each open request past its deadline; remind departments of overdue dispatches.

    A request is escalated once (its `escalated_at` is set when the message reached someone; with
    nobody to tell it is tried again next run); a dispatch is reminded at most once a day (its
    timeline keeps a `dispatch_overdue` event). Running again changes nothing, so a timer may
    fire as often as it likes.
    """
    now = now or clock.now()
    sender = sender or get_sender()
    report = EscalationReport()

    requests = list(selectors.overdue_requests(now=now).select_related("org", "category").order_by("org_path", "id"))
    report.overdue = len(requests)
    for offset in range(0, len(requests), CHUNK):
        chunk = requests[offset:offset + CHUNK]
        above = staff_for_paths({item.org_path for item in chunk}, TRIAGE_ROLES, above=True)
        reached = _deliver_grouped(sender, chunk, lambda item, above=above: above[item.org_path],
                                   partial(_compose_escalation, now=now), report)
        report.unreachable += sum(1 for item in chunk if not above[item.org_path])
        done = [item for item in chunk if reached.get(item.pk)]
        _record_escalations(done, reached, now)
        report.escalated += len(done)

    day_start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time.min))
    dispatches = list(selectors.overdue_dispatches_unreminded(now=now, since=day_start)
                      .select_related("org", "request", "request__org").order_by("org_path", "deadline", "id"))
    report.overdue_dispatches = len(dispatches)
    for offset in range(0, len(dispatches), CHUNK):
        chunk = dispatches[offset:offset + CHUNK]
        own = staff_for_paths({item.org_path for item in chunk}, DEPARTMENT_ROLES)
        reached = _deliver_grouped(sender, chunk, lambda item, own=own: own[item.org_path],
                                   partial(_compose_dispatch_reminder, now=now), report)
        report.unreachable_dispatches += sum(1 for item in chunk if not own[item.org_path])
        done = [item for item in chunk if reached.get(item.pk)]
        _record_dispatch_reminders(done, reached, now)
        report.reminded_dispatches += len(done)
    report.departments = [{**row, "oldest_deadline": _local(row["oldest_deadline"])}
                          for row in selectors.overdue_dispatches_by_department(now=now)]
    return report


@transaction.atomic
def _record_escalations(requests: list[Request], reached: dict[int, list[str]], now) -> None:
    if not requests:
        return
    Request.objects.filter(pk__in=[request.pk for request in requests], escalated_at__isnull=True).update(escalated_at=now)
    events = RequestEvent.objects.bulk_create([
        RequestEvent(request=request, action=ESCALATE, label="超期上报上级", public=False,
                     text="已报：" + "、".join(reached[request.pk]))
        for request in requests
    ])
    RequestEvent.objects.filter(pk__in=[event.pk for event in events]).update(occurred_at=now)


@transaction.atomic
def _record_dispatch_reminders(dispatches: list[Dispatch], reached: dict[int, list[str]], now) -> None:
    if not dispatches:
        return
    events = RequestEvent.objects.bulk_create([
        RequestEvent(request_id=dispatch.request_id, dispatch=dispatch, action=DISPATCH_OVERDUE,
                     label=f"{dispatch.org.name}：派单超期提醒", public=False, text="已提醒：" + "、".join(reached[dispatch.pk]))
        for dispatch in dispatches
    ])
    RequestEvent.objects.filter(pk__in=[event.pk for event in events]).update(occurred_at=now)


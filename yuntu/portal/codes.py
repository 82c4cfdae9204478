"""Sign in by mobile number and a verification code (短信验证码登录).

A code is six digits, kept only as a keyed digest, valid for five minutes and for one sign-in.
Sending is limited per mobile (one a minute, five an hour) and per client address (twenty an
hour); a code takes at most five wrong tries and is dead after that. A mobile with no account
yet gets a resident account at its first sign-in. The code leaves through a `yuntu.core.senders`
sender chosen by the setting ``PORTAL_CODE_SENDERS`` (console in the demo; an SMS adapter in
production). The code never reaches the inbox: the recipient carries no account id.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from yuntu.accounts.audit import audit_record
from yuntu.core import chinese, clock, crypto, senders

from .models import SignInCode

CODE_LENGTH = 6
VALID_FOR = datetime.timedelta(minutes=5)
RESEND_AFTER = datetime.timedelta(seconds=60)
PER_MOBILE_HOUR = 5
PER_CLIENT_HOUR = 20
MAX_ATTEMPTS = 5
DEFAULT_SENDERS = ("yuntu.core.senders.ConsoleSender",)


@dataclass
class MobileRecipient:
    """Whoever holds a mobile number; the number is in memory only, to hand to an SMS sender."""

    mobile: str
    user_id = None
    email = ""

    def __str__(self) -> str:
        return chinese.mask_mobile(self.mobile)

    def get_username(self) -> str:
        return chinese.mask_mobile(self.mobile)


def get_sender():
    return senders.build(getattr(settings, "PORTAL_CODE_SENDERS", DEFAULT_SENDERS))


def _code_digest(mobile_digest: str, code: str) -> str:
    return crypto.digest(f"signin:{mobile_digest}:{code}")


def clean_mobile(mobile: str) -> str:
    number = chinese.normalize_mobile(mobile or "")
    if not chinese.MOBILE_PATTERN.match(number):
        raise ValidationError({"mobile": "请输入正确的11位手机号。"})
    return number


@transaction.atomic
def send_code(*, mobile: str, client_address: str = "", sender=None, now: datetime.datetime | None = None) -> SignInCode:
    """Send a new code to `mobile`, within the limits; the previous unused codes of the mobile die."""
    number = clean_mobile(mobile)
    now = now or clock.now()
    mobile_digest = crypto.digest(number)
    recent = SignInCode.objects.select_for_update().filter(mobile_digest=mobile_digest,
                                                           created_at__gt=now - datetime.timedelta(hours=1))
    latest = recent.order_by("-created_at").first()
    if latest is not None and latest.created_at > now - RESEND_AFTER:
        wait = int((latest.created_at + RESEND_AFTER - now).total_seconds()) + 1
        raise ValidationError({"mobile": f"验证码已发送，请{wait}秒后再试。"})
    if recent.count() >= PER_MOBILE_HOUR:
        raise ValidationError({"mobile": "该手机号获取验证码过于频繁，请一小时后再试。"})
    if client_address and SignInCode.objects.filter(
            client_address=client_address, created_at__gt=now - datetime.timedelta(hours=1)).count() >= PER_CLIENT_HOUR:
        raise ValidationError({"mobile": "获取验证码过于频繁，请稍后再试。"})
    SignInCode.objects.filter(mobile_digest=mobile_digest, used_at__isnull=True).update(used_at=now)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_LENGTH))
    record = SignInCode.objects.create(mobile_digest=mobile_digest, code_digest=_code_digest(mobile_digest, code),
                                       client_address=client_address[:64], created_at=now, expires_at=now + VALID_FOR)
    sender = sender or get_sender()
    body = f"您的云图登录验证码是 {code}，{int(VALID_FOR.total_seconds() // 60)}分钟内有效。请勿告诉他人。"
    transaction.on_commit(lambda: sender.send(MobileRecipient(number), "【云图】登录验证码", body,
                                              {"code": code, "status": "登录验证码", "detail": code}))
    return record


def _resident_for(number: str, mobile_digest: str):
    """The account of this mobile, or a new resident account (no password: codes only)."""
    from yuntu.orgs.models import Resident

    user_model = get_user_model()
    user = user_model.objects.filter(mobile_digest=mobile_digest).order_by("id").first()
    if user is not None:
        return user
    user = user_model(username=f"m{mobile_digest[:16]}", display_name=f"居民{number[-4:]}", mobile_digest=mobile_digest,
                      mobile_encrypted=crypto.encrypt(number), mobile_masked=chinese.mask_mobile(number))
    user.set_unusable_password()
    user.save()
    resident = Resident.objects.create(user=user)
    audit_record(actor=user, action="resident.register", obj=resident, after={"mobile_masked": user.mobile_masked})
    return user


def verify_code(*, mobile: str, code: str, now: datetime.datetime | None = None):
    """The account the code signs in, or a ValidationError in Chinese (wrong, expired, used up)."""
    number = clean_mobile(mobile)
    now = now or clock.now()
    mobile_digest = crypto.digest(number)
    code = (code or "").strip()
    refusal = ""
    with transaction.atomic():
        record = (SignInCode.objects.select_for_update().filter(mobile_digest=mobile_digest, used_at__isnull=True)
                  .order_by("-created_at").first())
        if record is None or record.expires_at <= now:
            refusal = "验证码已失效，请重新获取。"
        elif record.attempts >= MAX_ATTEMPTS:
            refusal = "验证码错误次数过多，请重新获取。"
        elif not (len(code) == CODE_LENGTH and code.isdigit()
                  and secrets.compare_digest(record.code_digest, _code_digest(mobile_digest, code))):
            # the wrong try is counted and committed; the sign-in is refused below
            SignInCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
            left = MAX_ATTEMPTS - record.attempts - 1
            refusal = f"验证码不正确，还可尝试{left}次。" if left > 0 else "验证码错误次数过多，请重新获取。"
        else:
            SignInCode.objects.filter(pk=record.pk).update(used_at=now, attempts=F("attempts") + 1)
            user = _resident_for(number, mobile_digest)
    if refusal:
        raise ValidationError({"code": refusal})
    if not user.is_active:
        raise ValidationError({"code": "该账号已停用。"})
    return user

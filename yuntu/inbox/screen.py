"""The screen every sent notification passes (registered with `yuntu.core.senders`).

It keeps a copy of each message for an account in its inbox and answers whether the outside
channels (console, e-mail, SMS, WeChat) should carry it now: not when the user takes a daily
digest, nor when they opted out of its kind. Messages to someone without an account (a resident
known only by the contact mobile on a request) pass untouched.
"""

import logging

from django.contrib.auth import get_user_model

from . import kinds
from .models import Message, OptOut, Preference

logger = logging.getLogger("yuntu.inbox")


def user_id_of(recipient) -> int | None:
    if isinstance(recipient, get_user_model()):
        return recipient.pk
    user_id = getattr(recipient, "user_id", None)
    return user_id if isinstance(user_id, int) else None


def keep_in_inbox(recipient, subject: str, body: str, data: dict | None) -> bool:
    user_id = user_id_of(recipient)
    if user_id is None:
        return True
    kind = kinds.kind_of(subject, data)
    held = ""
    if OptOut.objects.filter(user_id=user_id, kind=kind).exists():
        held = "opted_out"
    elif Preference.objects.filter(user_id=user_id, daily_digest=True).exists():
        held = "digest"
    extra = {key: value for key, value in (data or {}).items() if isinstance(value, str | int | float | bool)}
    Message.objects.create(user_id=user_id, kind=kind, subject=subject[:200], body=body, data=extra,
                           link=str(extra.get("link", ""))[:255], held=held)
    return not held

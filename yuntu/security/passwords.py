"""Password policy (GB/T 22239-2019 8.1.4.1 a): complexity on every new password, expiry for staff.

Django calls each validator's `password_changed` whenever a password is saved (set_password +
save), so the age is recorded for forms, the admin, `changepassword` and the demo alike.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yuntu.core import clock

CLASSES = (
    ("uppercase", re.compile(r"[A-Z]")),
    ("lowercase", re.compile(r"[a-z]")),
    ("digit", re.compile(r"[0-9]")),
    ("symbol", re.compile(r"[^A-Za-z0-9]")),
)


class ComplexityValidator:
    """At least `min_classes` of: capital letters, small letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _name, pattern in CLASSES if pattern.search(password or ""))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return ngettext(
            "密码须包含大写字母、小写字母、数字、符号中的至少%(count)d类。",
            "密码须包含大写字母、小写字母、数字、符号中的至少%(count)d类。",
            self.min_classes,
        ) % {"count": self.min_classes}


class PasswordAgeRecorder:
    """Not a check: remembers when the password was set, so it can expire."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordRecord

        PasswordRecord.objects.update_or_create(user=user, defaults={"changed_at": clock.now()})

    def get_help_text(self):
        return _("为保障账号安全，工作人员的密码每%(days)d天须更换一次。") % {"days": max_age_days()}


def max_age_days() -> int:
    return int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))


def password_set_at(user) -> datetime.datetime:
    record = getattr(user, "password_record", None) if _has_record(user) else None
    return record.changed_at if record is not None else user.date_joined


def _has_record(user) -> bool:
    from .models import PasswordRecord

    try:
        user.password_record  # noqa: B018
    except PasswordRecord.DoesNotExist:
        return False
    return True


def password_expired(user, *, now: datetime.datetime | None = None) -> bool:
    days = max_age_days()
    if days <= 0 or not user.has_usable_password():
        return False
    return (now or clock.now()) - password_set_at(user) > datetime.timedelta(days=days)

"""Where notifications leave Yuntu: one Sender shape for every module, console and e-mail built in.

Modules compose their messages and pick recipients; a sender only delivers. Provider adapters
(SMS, WeChat) implement the same `send` and live with the module that first needed them.

Screens: every message that goes through a built-in sender (console, e-mail, `MultiSender`) or
through `Screened(any_sender)` / `build(paths)` first passes the registered screens, once per
message. The in-app inbox registers one (`yuntu.inbox`): it keeps a copy of every message for an
account and may hold back the outside delivery (a daily digest, a kind the user opted out of).
Core knows no screen by name, so modules added later get the inbox by using these senders.
"""

import contextlib
import contextvars
import logging
import sys
from collections.abc import Callable
from typing import Protocol

from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("yuntu.notifications")


class Sender(Protocol):
    """Delivers one message to one recipient (a user); returns whether it went out."""

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool: ...


# A screen takes (recipient, subject, body, data) and answers whether to deliver outside now.
Screen = Callable[[object, str, str, dict | None], bool]
_screens: list[Screen] = []
_screening = contextvars.ContextVar("yuntu_senders_screened", default=False)


def register_screen(screen: Screen) -> None:
    """Add a screen (idempotent); apps call this from `AppConfig.ready`."""
    if screen not in _screens:
        _screens.append(screen)


def unregister_screen(screen: Screen) -> None:
    if screen in _screens:
        _screens.remove(screen)


@contextlib.contextmanager
def unscreened():
    """Deliver without the screens: for the digest itself, which is already the inbox's summary."""
    token = _screening.set(True)
    try:
        yield
    finally:
        _screening.reset(token)


def _screened_send(send, recipient, subject: str, body: str, data: dict | None) -> bool:
    """Run the screens once for this message; inner senders of the same message skip them."""
    if _screening.get():
        return send(recipient, subject, body, data)
    token = _screening.set(True)
    try:
        deliver_now = True
        for screen in list(_screens):
            try:
                deliver_now = bool(screen(recipient, subject, body, data)) and deliver_now
            except Exception:  # a screen failing must not lose the message
                logger.exception("通知筛选失败（%s）：%s", getattr(screen, "__name__", screen), subject)
        if not deliver_now:
            return True  # kept in the inbox; the digest or the user's choice covers the outside channel
        return send(recipient, subject, body, data)
    finally:
        _screening.reset(token)


class Screened:
    """Wraps any sender (e.g. an SMS adapter) so its messages pass the screens too."""

    def __init__(self, sender: Sender):
        self.sender = sender

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        return _screened_send(self.sender.send, recipient, subject, body, data)


def build(paths) -> Sender:
    """Senders from dotted paths (a setting), screened, tried in turn as one."""
    senders = [import_string(path)() for path in paths]
    return MultiSender(senders)


class ConsoleSender:
    """Writes messages to a stream (stdout by default): the demo and development sender."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        return _screened_send(self._write, recipient, subject, body, data)

    def _write(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        stream = self.stream or sys.stdout
        stream.write(f"—— 致 {recipient}（{recipient.get_username()}）\n{subject}\n{body}\n\n")
        return True


class EmailSender:
    """E-mail through Django's mail backend (EMAIL_* settings); recipients without an address are skipped."""

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        return _screened_send(self._mail, recipient, subject, body, data)

    def _mail(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        if not getattr(recipient, "email", ""):
            logger.warning("用户 %s 没有邮箱，通知未发送：%s", recipient.get_username(), subject)
            return False
        return send_mail(subject, body, None, [recipient.email]) > 0


class MultiSender:
    """Tries every sender; the message is delivered when at least one of them took it."""

    def __init__(self, senders: list):
        self.senders = senders

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        return _screened_send(self._each, recipient, subject, body, data)

    def _each(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        delivered = False
        for sender in self.senders:
            try:
                delivered = bool(sender.send(recipient, subject, body, data)) or delivered
            except Exception:  # one channel failing must not stop the others
                logger.exception("通知发送失败（%s）：%s", type(sender).__name__, subject)
        return delivered

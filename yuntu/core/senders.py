"""Where notifications leave Yuntu: one Sender shape for every module, console and e-mail built in.

Modules compose their messages and pick recipients; a sender only delivers. Provider adapters
(SMS, WeChat) implement the same `send` and live with the module that first needed them.
"""

import logging
import sys
from typing import Protocol

from django.core.mail import send_mail

logger = logging.getLogger("yuntu.notifications")


class Sender(Protocol):
    """Delivers one message to one recipient (a user); returns whether it went out."""

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool: ...


class ConsoleSender:
    """Writes messages to a stream (stdout by default): the demo and development sender."""

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        stream = self.stream or sys.stdout
        stream.write(f"—— 致 {recipient}（{recipient.get_username()}）\n{subject}\n{body}\n\n")
        return True


class EmailSender:
    """E-mail through Django's mail backend (EMAIL_* settings); recipients without an address are skipped."""

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        if not recipient.email:
            logger.warning("用户 %s 没有邮箱，通知未发送：%s", recipient.get_username(), subject)
            return False
        return send_mail(subject, body, None, [recipient.email]) > 0


class MultiSender:
    """Tries every sender; the message is delivered when at least one of them took it."""

    def __init__(self, senders: list):
        self.senders = senders

    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        delivered = False
        for sender in self.senders:
            try:
                delivered = bool(sender.send(recipient, subject, body, data)) or delivered
            except Exception:  # one channel failing must not stop the others
                logger.exception("通知发送失败（%s）：%s", type(sender).__name__, subject)
        return delivered

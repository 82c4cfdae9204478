"""Writes of the inbox: reading, the user's push choices, and the daily digest."""

import datetime
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from yuntu.core import clock, senders

from . import kinds
from .models import Message, OptOut, Preference

logger = logging.getLogger("yuntu.inbox")
DIGEST_LINES = 30
CHUNK = 500
DEFAULT_DIGEST_SENDERS = ("yuntu.core.senders.ConsoleSender", "yuntu.core.senders.EmailSender")


def mark_read(*, actor, message: Message) -> Message:
    if message.user_id != actor.pk:
        raise ValidationError("只能阅读自己的消息。")
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=clock.now())
        message.refresh_from_db(fields=["read_at"])
    return message


def mark_all_read(*, actor) -> int:
    return Message.objects.filter(user=actor, read_at__isnull=True).update(read_at=clock.now())


@transaction.atomic
def set_preferences(*, actor, daily_digest: bool, opted_out: list[str]) -> Preference:
    """Save the user's push choices: digest or not, and the kinds not pushed at all.

    A user's own settings, not a governed record: no audit entry (the audit trail is for the org's data).
    """
    unknown = [kind for kind in opted_out if len(kind) > 32 or not kind.strip()]
    if unknown:
        raise ValidationError({"opted_out": "消息类别不正确。"})
    preference, _ = Preference.objects.select_for_update().get_or_create(user=actor)
    preference.daily_digest = daily_digest
    preference.save(update_fields=["daily_digest", "updated_at"])
    OptOut.objects.filter(user=actor).exclude(kind__in=opted_out).delete()
    OptOut.objects.bulk_create([OptOut(user=actor, kind=kind) for kind in set(opted_out)], ignore_conflicts=True)
    return preference


@dataclass
class DigestReport:
    users: int = 0
    messages: int = 0  # messages summarised
    sent: int = 0  # digests delivered
    failed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def get_digest_sender():
    return senders.build(getattr(settings, "INBOX_DIGEST_SENDERS", DEFAULT_DIGEST_SENDERS))


def compose_digest(rows: list[Message], day: datetime.date) -> tuple[str, str]:
    lines = [f"· [{kinds.label_of(row.kind)}] {row.subject}" for row in rows[:DIGEST_LINES]]
    if len(rows) > DIGEST_LINES:
        lines.append(f"……另有{len(rows) - DIGEST_LINES}条")
    return (f"【消息汇总】{day.isoformat()} 共{len(rows)}条新消息",
            "您今天有以下消息，详情请登录云图查看“消息”：\n" + "\n".join(lines))


def send_digests(*, now: datetime.datetime | None = None, sender=None) -> DigestReport:
    """One message per user for everything held for the digest; rerunning sends nothing new."""
    now = now or clock.now()
    sender = sender or get_digest_sender()
    report = DigestReport()
    pending = (Message.objects.filter(held="digest", created_at__lte=now).values("user_id")
               .annotate(count=Count("id")).order_by("user_id"))
    user_ids = [row["user_id"] for row in pending]
    users = get_user_model().objects.in_bulk(user_ids)
    for offset in range(0, len(user_ids), CHUNK):
        chunk = user_ids[offset:offset + CHUNK]
        held = list(Message.objects.filter(held="digest", user_id__in=chunk, created_at__lte=now)
                    .order_by("user_id", "created_at", "id"))
        by_user: dict[int, list[Message]] = {}
        for message in held:
            by_user.setdefault(message.user_id, []).append(message)
        for user_id, rows in by_user.items():
            report.users += 1
            report.messages += len(rows)
            subject, body = compose_digest(rows, clock.today(now))
            try:
                with senders.unscreened():
                    delivered = sender.send(users[user_id], subject, body, {"kind": "消息汇总"})
            except Exception:
                logger.exception("消息汇总发送失败：%s", user_id)
                delivered = False
            if delivered:
                report.sent += 1
                Message.objects.filter(pk__in=[row.pk for row in rows], held="digest").update(held="digested")
            else:
                report.failed += 1
    return report

"""Reads of the inbox: always the acting user's own messages."""

from django.db.models import Count, Q, QuerySet

from . import kinds
from .models import Message, OptOut, Preference


def messages_of(user, *, kind: str = "", unread: bool = False) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    found = Message.objects.filter(user=user)
    if kind:
        found = found.filter(kind=kind)
    if unread:
        found = found.filter(read_at__isnull=True)
    return found


def unread_count(user) -> int:
    return messages_of(user, unread=True).count()


def kinds_of(user) -> list[dict]:
    """Every kind the user may choose about: the known ones and those already in their inbox, with counts."""
    counts = {row["kind"]: row for row in messages_of(user).values("kind").annotate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)))}
    opted_out = set(OptOut.objects.filter(user=user).values_list("kind", flat=True)) if user.is_authenticated else set()
    names = list(kinds.KNOWN) + sorted(kind for kind in counts if kind not in kinds.KNOWN)
    return [{"kind": kind, "label": kinds.label_of(kind), "total": counts.get(kind, {}).get("total", 0),
             "unread": counts.get(kind, {}).get("unread", 0), "opted_out": kind in opted_out} for kind in names]


def takes_digest(user) -> bool:
    return Preference.objects.filter(user=user, daily_digest=True).exists()

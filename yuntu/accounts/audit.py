"""The audit trail: services call `audit_record` inside their transaction; `audit_verify` checks the chain."""

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from yuntu.core import clock

from .models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def _canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))


def entry_hash(*, previous_hash: str, sequence: int, occurred_at: str, actor_id, action: str, object_type: str,
               object_id: str, org_path: str, before: Any, after: Any) -> str:
    body = json.dumps(
        [previous_hash, sequence, occurred_at, actor_id, action, object_type, object_id, org_path, before, after],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def audit_record(*, actor, action: str, obj, org=None, before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Append one entry; must run inside the caller's transaction so the change and its entry land together."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        sequence = head.last_sequence + 1
        occurred_at = clock.now().replace(microsecond=0)
        org = org if org is not None else getattr(obj, "org", None)
        org_path = getattr(org, "path", "") if org is not None else ""
        if not org_path and obj.__class__.__name__ == "Org":
            org, org_path = obj, obj.path
        before_value, after_value = _canonical(before), _canonical(after)
        actor_id = getattr(actor, "pk", None)
        entry = AuditEntry(
            sequence=sequence,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_label=str(actor) if actor is not None else "系统",
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:255],
            org=org,
            org_path=org_path,
            before=before_value,
            after=after_value,
            previous_hash=head.last_hash,
        )
        entry.hash = entry_hash(
            previous_hash=head.last_hash, sequence=sequence, occurred_at=occurred_at.isoformat(), actor_id=actor_id,
            action=action, object_type=entry.object_type, object_id=entry.object_id, org_path=org_path,
            before=before_value, after=after_value,
        )
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=entry.hash)
        return entry


def audit_verify() -> list[str]:
    """Walk the chain in order; return the problems found (empty when intact)."""
    problems: list[str] = []
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            problems.append(f"第{expected_sequence}条缺失（下一条为第{entry.sequence}条）")
            expected_sequence = entry.sequence
        if entry.previous_hash != previous_hash:
            problems.append(f"第{entry.sequence}条与上一条不衔接")
        recomputed = entry_hash(
            previous_hash=entry.previous_hash, sequence=entry.sequence, occurred_at=entry.occurred_at.isoformat(),
            actor_id=entry.actor_id, action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
            org_path=entry.org_path, before=entry.before, after=entry.after,
        )
        if recomputed != entry.hash:
            problems.append(f"第{entry.sequence}条内容被改动")
        previous_hash = entry.hash
        expected_sequence += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head and head.last_sequence != expected_sequence - 1:
        problems.append(f"链尾应为第{head.last_sequence}条，实际为第{expected_sequence - 1}条（末尾被删除）")
    return problems


def snapshot(obj, fields: list[str]) -> dict:
    """The values of `fields` of obj, for the before/after of an entry."""
    return {field: getattr(obj, field) for field in fields}

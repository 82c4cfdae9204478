"""Shared helpers of the API tests: JSON calls and a fingerprint of everything a write could change."""

import json

from yuntu.accounts.models import AuditEntry
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer


def call(client, method: str, url: str, data=None, **extra):
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, data=body, content_type="application/json", **extra)


def body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert b"\\u" not in response.content, response.content[:200]
    return response.json()


def snapshot(*objects) -> tuple:
    """Row counts of the governed tables, the audit trail, the member roll-up and the objects' own rows."""
    rows = []
    for obj in objects:
        rows.append(json.dumps(type(obj).objects.filter(pk=obj.pk).values().first(), default=str, sort_keys=True))
    return (
        Org.objects.count(), Member.objects.count(), Transfer.objects.count(), AuditEntry.objects.count(),
        sorted(OrgMemberCount.objects.values_list("org_id", "org_path", "full", "probationary")),
        sorted(Org.objects.values_list("id", "path")), *rows,
    )


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content.decode())
    data = body(response)
    assert data["code"] == code, data
    assert any("\u4e00" <= char <= "\u9fff" for char in data["message"]), data  # a Chinese message
    return data

"""The database itself refuses changes to audit entries, whoever writes (8.1.4.3 d)."""

import pytest
from django.db import DatabaseError, connection, transaction

from yuntu.accounts.audit import audit_verify
from yuntu.accounts.models import AuditEntry
from yuntu.orgs import services
from yuntu.security import audit_guard


@pytest.fixture
def entry(cast):
    services.org_update(actor=cast.user("street_secretary"), org=cast.orgs["community"], address="新阳路2号")
    return AuditEntry.objects.order_by("-sequence").first()


def test_the_migration_installed_the_triggers(db):
    assert audit_guard.installed(connection)


def test_update_through_sql_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(after={"address": "篡改"})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {audit_guard.TABLE} SET action = 'x' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.after["address"] == "新阳路2号" and audit_verify() == []


def test_delete_through_sql_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(AuditEntry.objects.db)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {audit_guard.TABLE}")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_can_lose_its_deleted_org_but_not_be_moved(entry, cast):
    """SET_NULL when an org is deleted is the one change let through; pointing it elsewhere is not."""
    AuditEntry.objects.filter(pk=entry.pk).update(org=None)
    entry.refresh_from_db()
    assert entry.org_id is None and entry.org_path == cast.orgs["community"].path
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(org=cast.orgs["other_community"])
    assert audit_verify() == []


def test_appending_still_works(entry):
    assert AuditEntry.objects.filter(sequence=entry.sequence).exists()
    assert audit_verify() == []

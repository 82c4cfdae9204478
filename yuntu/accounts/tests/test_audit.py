import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yuntu.accounts.audit import audit_verify
from yuntu.accounts.models import AuditEntry
from yuntu.orgs import services
from yuntu.security import audit_guard


def test_services_leave_a_verifiable_chain(cast):
    before = AuditEntry.objects.count()
    services.org_update(actor=cast.user("street_secretary"), org=cast.orgs["community"], address="新阳路1号")
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "org.update"
    assert entry.before["address"] == "" and entry.after["address"] == "新阳路1号"
    assert entry.org_path == cast.orgs["community"].path
    assert audit_verify() == []


def test_edited_entry_is_detected(cast):
    entry = AuditEntry.objects.order_by("sequence").first()
    with audit_guard.lifted(connection):  # tampering as someone with DDL rights could
        AuditEntry.objects.filter(pk=entry.pk).update(after={"name": "篡改"})
    problems = audit_verify()
    assert any(f"第{entry.sequence}条内容被改动" in problem for problem in problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_deleted_entry_is_detected(cast):
    middle = AuditEntry.objects.order_by("sequence")[2]
    with audit_guard.lifted(connection):
        AuditEntry.objects.filter(pk=middle.pk)._raw_delete(AuditEntry.objects.db)
    assert any("缺失" in problem or "不衔接" in problem for problem in audit_verify())


def test_deleted_tail_is_detected(cast):
    last = AuditEntry.objects.order_by("-sequence").first()
    with audit_guard.lifted(connection):
        AuditEntry.objects.filter(pk=last.pk)._raw_delete(AuditEntry.objects.db)
    assert any("末尾被删除" in problem for problem in audit_verify())


def test_entries_refuse_update_and_delete_through_the_model(cast):
    entry = AuditEntry.objects.first()
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_intact_chain_passes_the_command(cast, capsys):
    call_command("audit_verify")
    assert "校验通过" in capsys.readouterr().out

"""Database triggers that refuse UPDATE and DELETE on the audit trail (see yuntu/security/audit_guard.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from yuntu.security import audit_guard

    audit_guard.install(schema_editor.connection)


def remove(apps, schema_editor):
    from yuntu.security import audit_guard

    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_initial"),
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]

"""Backup on one database, restore on an empty one: same records, same files, the audit chain verifies.

Runs `manage.py` in subprocesses against file databases (the suite's own database is in memory),
so the commands are exercised exactly as an operator runs them.
"""

import io
import json
import tarfile

import pytest
from django.db import connection

from .sites import Site, new_site

BUILD = r"""
import datetime
from django.core.files.uploadedfile import SimpleUploadedFile
from yuntu.core.cast import build_cast
from yuntu.core import clock
from yuntu.ledger import services
cast = build_cast()
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
services.problem_create(actor=cast["users"]["branch_secretary"], org=cast["orgs"]["branch"], title="楼道堆物",
                        source="residents", category="livelihood", found_on=clock.today() - datetime.timedelta(days=3),
                        attachments=[SimpleUploadedFile("现场.png", PNG)])
"""

FINGERPRINT = r"""
import hashlib, json
from django.apps import apps
from django.core.files.storage import default_storage
from yuntu.accounts.models import AuditEntry, User
from yuntu.ledger.models import Evidence
from yuntu.core import crypto
from yuntu.orgs.models import Member, Org
out = {
    "orgs": sorted(Org.objects.values_list("path", "name")),
    "members": list(Member.objects.order_by("pk").values_list("pk", "name", "id_number_encrypted", "id_number_digest")),
    "users": sorted(User.objects.values_list("username", "password", "mobile_digest")),
    "audit": list(AuditEntry.objects.order_by("sequence").values_list("sequence", "hash")),
    "files": {e.file.name: hashlib.sha256(default_storage.open(e.file.name).read()).hexdigest()
              for e in Evidence.objects.all()},
    "decrypted": len(crypto.decrypt(Member.objects.first().id_number_encrypted)),
}
print(json.dumps(out, ensure_ascii=False, default=str))
"""


@pytest.fixture(scope="module")
def backup(tmp_path_factory, site_templates):
    folder = tmp_path_factory.mktemp("backup")
    source = new_site(folder, "source", site_templates[0])
    source.shell(BUILD)
    archive = folder / "yuntu.tar.gz"
    output = source.manage("backup", "--output", str(archive)).stdout
    assert "备份完成" in output
    return folder, source, archive


def test_restore_onto_an_empty_database_gives_back_the_same_records(backup, site_templates):
    folder, source, archive = backup
    target = new_site(folder, "target", site_templates[0])
    restored = target.manage("restore", "--no-migrate", str(archive))
    assert "恢复完成" in restored.stdout and "哈希链完整" in restored.stdout
    before = json.loads(source.shell(FINGERPRINT))
    after = json.loads(target.shell(FINGERPRINT))
    assert before["members"] and before["audit"] and len(before["files"]) == 1
    assert after == before
    assert after["decrypted"] == 18  # the same key reads the restored ciphertext


def test_the_manifest_lists_checksums_counts_and_the_audit_head(backup):
    _folder, _source, archive = backup
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert "data.json" in names and any(name.startswith("media/ledger/") for name in names)
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    assert manifest["counts"]["orgs.member"] >= 2 and manifest["audit"]["last_sequence"] > 0


def test_restore_refuses_a_database_that_is_not_empty(backup):
    _folder, source, archive = backup
    refused = source.manage("restore", "--no-migrate", str(archive), check=False)
    assert refused.returncode != 0 and "不是空库" in refused.stderr


def test_restore_refuses_a_damaged_archive_and_writes_nothing(backup, tmp_path, site_templates):
    folder, _source, archive = backup
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read() if member.isfile() else b""
            if member.name == "data.json":
                data = data.replace("楼道堆物".encode(), "篡改内容".encode())
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    target = new_site(folder, "damaged-target", site_templates[0])
    refused = target.manage("restore", "--no-migrate", str(damaged), check=False)
    assert refused.returncode != 0 and "校验和不符" in refused.stderr
    count = "from yuntu.orgs.models import Org; print(Org.objects.count())"
    assert target.shell(count).strip() == "0"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="restores onto PostgreSQL under make test-postgres")
def test_a_sqlite_backup_restores_onto_postgresql(backup, tmp_path):
    """The archive is engine-neutral: taken on SQLite, restored onto an empty PostgreSQL database."""
    import psycopg

    _folder, source, archive = backup
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"[:63]
    server = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        target = Site(tmp_path, "pg-target")
        restored = target.manage("restore", str(archive), DATABASE_URL=f"{server}/{name}")
        assert "哈希链完整" in restored.stdout
        assert json.loads(target.shell(FINGERPRINT, DATABASE_URL=f"{server}/{name}")) == json.loads(source.shell(FINGERPRINT))
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

"""Backup on one database, restore on an empty one: same records, same files, the audit chain verifies.

Runs `manage.py` in subprocesses against file databases (the suite's own database is in memory),
so the commands are exercised exactly as an operator runs them.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)

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
    "orgs": list(Org.objects.order_by("path").values_list("path", "name")),
    "members": list(Member.objects.order_by("pk").values_list("pk", "name", "id_number_encrypted", "id_number_digest")),
    "users": list(User.objects.order_by("username").values_list("username", "password", "mobile_digest")),
    "audit": list(AuditEntry.objects.order_by("sequence").values_list("sequence", "hash")),
    "files": {e.file.name: hashlib.sha256(default_storage.open(e.file.name).read()).hexdigest()
              for e in Evidence.objects.all()},
    "decrypted": len(crypto.decrypt(Member.objects.first().id_number_encrypted)),
}
print(json.dumps(out, ensure_ascii=False, default=str))
"""


def environment(folder: Path, name: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(DATABASE_URL=f"sqlite:///{folder / f'{name}.sqlite3'}", MEDIA_ROOT=str(folder / f"media-{name}"),
               SECRET_KEY="backup-test-secret-key-0123456789-0123456789-0123456789",
               DJANGO_SETTINGS_MODULE="config.settings", PASSWORD_MAX_AGE_DAYS="0")
    return env


def manage(env: dict, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "manage.py", *arguments], cwd=BASE, env=env, capture_output=True,
                            text=True, timeout=180)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def empty_database(folder: Path, name: str) -> dict:
    """A migrated, empty database: migrated once per run, then copied (migrating is the slow part)."""
    template = folder / "empty.sqlite3"
    if not template.exists():
        manage(environment(folder, "empty"), "migrate", "--noinput", "-v", "0")
    shutil.copyfile(template, folder / f"{name}.sqlite3")
    return environment(folder, name)


@pytest.fixture(scope="module")
def backup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    source = empty_database(folder, "source")
    manage(source, "shell", "-v", "0", "-c", BUILD)
    archive = folder / "yuntu.tar.gz"
    output = manage(source, "backup", "--output", str(archive)).stdout
    assert "备份完成" in output
    return folder, source, archive


def test_restore_onto_an_empty_database_gives_back_the_same_records(backup):
    folder, source, archive = backup
    target = empty_database(folder, "target")
    restored = manage(target, "restore", "--no-migrate", str(archive))
    assert "恢复完成" in restored.stdout and "哈希链完整" in restored.stdout
    before = json.loads(manage(source, "shell", "-v", "0", "-c", FINGERPRINT).stdout)
    after = json.loads(manage(target, "shell", "-v", "0", "-c", FINGERPRINT).stdout)
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
    refused = manage(source, "restore", "--no-migrate", str(archive), check=False)
    assert refused.returncode != 0 and "不是空库" in refused.stderr


def test_restore_refuses_a_damaged_archive_and_writes_nothing(backup, tmp_path):
    folder, _source, archive = backup
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as original, tarfile.open(damaged, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read() if member.isfile() else b""
            if member.name == "data.json":
                data = data.replace("楼道堆物".encode(), "篡改内容".encode())
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    target = empty_database(folder, "damaged-target")
    refused = manage(target, "restore", "--no-migrate", str(damaged), check=False)
    assert refused.returncode != 0 and "校验和不符" in refused.stderr
    count = "from yuntu.orgs.models import Org; print(Org.objects.count())"
    assert manage(target, "shell", "-v", "0", "-c", count).stdout.strip() == "0"

"""Backup and restore: one archive holds a consistent snapshot of the database and the uploads it names.

Archive (`.tar.gz`):
- `manifest.json` — format, time, engine, applied migrations, row counts per model, the audit
  chain's head, and a SHA-256 for every other member of the archive;
- `data.json` — Django's serialised data (dumpdata with natural keys), so a backup taken on
  SQLite restores on PostgreSQL and back;
- `media/<name>` — every uploaded file a record of the snapshot refers to (read through the
  storage API, so local disk and S3 alike).

Consistency: the rows are read from one snapshot — on PostgreSQL a REPEATABLE READ transaction,
on SQLite a copy made with SQLite's online backup API (writers are not held up) — and the files
are the ones those rows name, so the two always agree. Restore refuses a damaged archive
(checksums), a database that is not empty and a schema older than the archive's, loads the rows
in one transaction, writes the files, then checks the counts and the audit chain.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from yuntu.core import clock
from yuntu.indicators import tallies

FORMAT = "yuntu-backup/1"
SNAPSHOT_ALIAS = "backup_snapshot"
# Not backed up: rebuilt by migrate (content types, permissions), short-lived (sessions), or counted
# again from the records after a restore (the figures' tallies).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "indicators"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be made or restored; the message is Chinese and says why."""


@dataclass
class RestoreReport:
    rows: int = 0
    files: int = 0
    counts: dict = field(default_factory=dict)
    audit_problems: list = field(default_factory=list)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [model for model in apps.get_models()
            if model._meta.app_label not in excluded_apps and model._meta.label_lower not in excluded_models
            and model._meta.managed and not model._meta.proxy]


@contextmanager
def _snapshot():
    """Yield a database alias whose reads all see one moment of the default database."""
    default = connections["default"]
    if default.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="yuntu-snapshot-") as folder:
            copy = Path(folder) / "snapshot.sqlite3"
            default.ensure_connection()
            target = sqlite3.connect(copy)
            try:
                default.connection.backup(target)
            finally:
                target.close()
            connections.settings[SNAPSHOT_ALIAS] = {**connections.databases["default"], "NAME": str(copy),
                                                     "TEST": {"NAME": str(copy)}}
            try:
                yield SNAPSHOT_ALIAS
            finally:
                connections[SNAPSHOT_ALIAS].close()
                del connections[SNAPSHOT_ALIAS]
                connections.settings.pop(SNAPSHOT_ALIAS, None)
        return
    with transaction.atomic(using="default"):
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield "default"


def _file_names(alias: str) -> list[str]:
    names: set[str] = set()
    for model in _models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                names.update(name for name in model._default_manager.using(alias)
                             .exclude(**{model_field.name: ""}).values_list(model_field.attname, flat=True) if name)
    return sorted(names)


def _migrations(alias: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.values_list("app", "name"):
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _counts(alias: str) -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.using(alias).count() for model in _models()}


def _audit_head(alias: str) -> dict:
    from yuntu.accounts.models import AuditChainHead

    head = AuditChainHead.objects.using(alias).filter(pk=1).first()
    return {"last_sequence": head.last_sequence if head else 0, "last_hash": head.last_hash if head else ""}


def create_backup(destination: Path) -> dict:
    """Write the archive to `destination` (a .tar.gz path); return its manifest."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yuntu-backup-") as folder:
        work = Path(folder)
        data = work / "data.json"
        with _snapshot() as alias:
            with open(data, "w", encoding="utf-8") as handle:
                call_command("dumpdata", *[model._meta.label_lower for model in _models()], database=alias,
                             natural_foreign=True, natural_primary=True, indent=None, stdout=handle, verbosity=0)
            counts, migrations, audit = _counts(alias), _migrations(alias), _audit_head(alias)
            names = _file_names(alias)
        files = {"data.json": _sha256_file(data)}
        missing = []
        media = work / "media"
        for name in names:
            target = media / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy, CHUNK)
            except (FileNotFoundError, OSError):
                missing.append(name)
                continue
            files[f"media/{name}"] = _sha256_file(target)
        manifest = {
            "format": FORMAT, "created_at": clock.now().isoformat(), "engine": connections["default"].vendor,
            "migrations": migrations, "counts": counts, "audit": audit, "files": files, "missing_files": missing,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(body), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            for member in files:
                archive.add(work / member, arcname=member)
        os.replace(partial, destination)  # a crash mid-write never leaves a truncated archive under the real name
    return manifest


def read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        try:
            return json.load(archive.extractfile("manifest.json"))
        except KeyError as error:
            raise BackupError("备份文件中没有 manifest.json，不是云图备份。") from error


def _is_empty() -> list[str]:
    return [label for label, count in _counts("default").items() if count]


def restore_backup(archive_path: Path) -> RestoreReport:
    """Restore an archive onto an empty, migrated database; raise BackupError and write nothing on a problem."""
    from yuntu.accounts.audit import audit_verify

    archive_path = Path(archive_path)
    if not archive_path.exists():
        raise BackupError(f"找不到备份文件：{archive_path}")
    manifest = read_manifest(archive_path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式不受支持：{manifest.get('format')}")
    current = _migrations("default")
    behind = [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
              if name not in current.get(app, [])]
    if behind:
        raise BackupError("当前数据库结构比备份旧，请先升级代码并运行 migrate：缺少 " + "、".join(behind[:5]))
    occupied = _is_empty()
    if occupied:
        raise BackupError("目标数据库不是空库，恢复已取消（已有数据：" + "、".join(occupied[:5]) + "）。")
    with tempfile.TemporaryDirectory(prefix="yuntu-restore-") as folder:
        work = Path(folder)
        with tarfile.open(archive_path, "r:gz") as archive:
            for member in archive.getmembers():
                if member.name == "manifest.json":
                    continue
                if member.name not in manifest["files"] or not member.isfile():
                    raise BackupError(f"备份中有清单之外的内容：{member.name}")
                archive.extract(member, work, filter="data")
        for name, expected in manifest["files"].items():
            path = work / name
            if not path.exists() or _sha256_file(path) != expected:
                raise BackupError(f"备份文件已损坏：{name} 的校验和不符。")
        report = RestoreReport()
        with transaction.atomic():
            call_command("loaddata", str(work / "data.json"), verbosity=0)
            report.counts = _counts("default")
            differing = [label for label, count in manifest["counts"].items() if report.counts.get(label, 0) != count]
            if differing:
                raise BackupError("恢复后记录数与备份不符：" + "、".join(differing[:5]))
            tallies.rebuild_all()
        report.rows = sum(report.counts.values())
        for name in manifest["files"]:
            if not name.startswith("media/"):
                continue
            stored_name = name[len("media/"):]
            with open(work / name, "rb") as handle:
                if default_storage.exists(stored_name):
                    default_storage.delete(stored_name)
                saved = default_storage.save(stored_name, ContentFile(handle.read()))
            if saved != stored_name:
                raise BackupError(f"上传文件无法按原名恢复：{stored_name}")
            report.files += 1
    report.audit_problems = audit_verify()
    return report

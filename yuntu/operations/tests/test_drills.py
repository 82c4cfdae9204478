"""Failure drills with real processes: a process is killed with SIGKILL in the middle of its work.

- the web process (gunicorn) killed while it writes an import: no partial rows;
- the task worker killed while it runs an import: the task is re-queued and finishes, not lost.
"""

import datetime
import os
import signal
import sqlite3
import sys
import threading
import time

import openpyxl
import pytest
import requests

from yuntu.core.cast import PASSWORD, id_number
from yuntu.orgs import imports

from .sites import free_port, new_site

ROWS = 4000
BRANCH = "兴旺社区第一党支部"
IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
DATABASE_TASKS = "django_tasks_db.DatabaseBackend"


def member_workbook(path, rows: int = ROWS) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("党员信息")
    sheet.append([column.title for column in imports.MEMBER_COLUMNS])
    for serial in range(rows):
        sheet.append([f"演练党员{serial:05d}", id_number("350206", datetime.date(1985, 1, 1) + datetime.timedelta(days=serial // 900),
                                                        100 + serial % 900), "", BRANCH,
                      "正式党员", "2010-07-01", None, "否", "", "是", "某单位", "某小区"])
    workbook.save(path)


def scalar(site, sql: str, *params):
    with sqlite3.connect(site.database, timeout=30) as connection:
        return connection.execute(sql, params).fetchone()


def members(site) -> int:
    return scalar(site, "SELECT count(*) FROM orgs_member")[0]


def writer_active(site) -> bool:
    """Whether another connection holds the write lock right now (an open write transaction)."""
    connection = sqlite3.connect(site.database, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


def wait_for(condition, *, timeout: float, step: float = 0.005, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def kill(process) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture
def workbook(tmp_path_factory):
    path = tmp_path_factory.getbasetemp() / "drill-members.xlsx"
    if not path.exists():
        member_workbook(path)
    return path


def test_web_process_killed_during_an_import_leaves_no_partial_rows(tmp_path, site_templates, workbook):
    site = new_site(tmp_path, "web", site_templates[1])
    before = members(site)
    port = free_port()
    web = site.spawn(sys.executable, "-m", "gunicorn", "config.wsgi",
                     "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "300", log="gunicorn.log",
                     TASK_BACKEND=IMMEDIATE)
    try:
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        wait_for(lambda: _up(session, base), timeout=120, step=0.2, what="gunicorn")
        session.post(f"{base}/login/", data={"username": "street_secretary", "password": PASSWORD,
                                             "csrfmiddlewaretoken": session.cookies["csrftoken"]})
        session.get(f"{base}/excel/import/")

        def upload():
            with open(workbook, "rb") as handle:
                try:
                    session.post(f"{base}/excel/import/", data={"kind": "members",
                                                                "csrfmiddlewaretoken": session.cookies["csrftoken"]},
                                 files={"file": ("名单.xlsx", handle)}, timeout=300)
                except requests.ConnectionError:
                    pass  # the process serving it was killed: that is the drill

        thread = threading.Thread(target=upload)
        thread.start()
        # Every row checked (the progress row says so), then the write transaction holds the lock: kill now.
        wait_for(lambda: (scalar(site, "SELECT processed_rows, total_rows FROM orgs_importjob") or (0, 1)) == (ROWS, ROWS),
                 timeout=240, what="the check phase to finish")
        wait_for(lambda: writer_active(site), timeout=30, step=0.001, what="the write transaction")
        kill(web)
        thread.join(timeout=60)
    finally:
        if web.poll() is None:
            kill(web)
    assert members(site) == before
    assert scalar(site, "PRAGMA integrity_check")[0] == "ok"
    assert scalar(site, "SELECT count(*) FROM orgs_member WHERE name LIKE '演练党员%'")[0] == 0
    assert "哈希链完整" in site.manage("audit_verify").stdout


def _up(session, base) -> bool:
    try:
        return session.get(f"{base}/login/", timeout=10).status_code == 200
    except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still loading the app
        return False


START_IMPORT = """
from django.core.files.uploadedfile import SimpleUploadedFile
from yuntu.accounts.models import User
from yuntu.orgs import imports
with open({path!r}, "rb") as handle:
    job = imports.import_job_start(actor=User.objects.get(username="street_secretary"), kind="members",
                                   upload=SimpleUploadedFile("名单.xlsx", handle.read()))
print(job.pk)
"""


def test_worker_killed_during_a_task_leaves_it_to_be_retried(tmp_path, site_templates, workbook):
    site = new_site(tmp_path, "worker", site_templates[1])
    tasks = {"TASK_BACKEND": DATABASE_TASKS, "TASK_WORKER_LOST_AFTER": "1"}
    before = members(site)
    job = int(site.shell(START_IMPORT.format(path=str(workbook)), **tasks).strip())
    assert scalar(site, "SELECT status FROM django_tasks_database_dbtaskresult")[0] == "READY"

    worker = site.spawn(sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay",
                        log="worker-1.log", **tasks)
    try:
        wait_for(lambda: (scalar(site, "SELECT processed_rows FROM orgs_importjob WHERE id = ?", job) or (0,))[0] > 0,
                 timeout=120, step=0.01, what="the import to start")
        kill(worker)
    finally:
        if worker.poll() is None:
            kill(worker)
    assert scalar(site, "SELECT status FROM django_tasks_database_dbtaskresult")[0] == "RUNNING"
    assert scalar(site, "SELECT status FROM orgs_importjob WHERE id = ?", job)[0] == "running"
    assert members(site) == before

    time.sleep(1.5)  # the lost worker's heartbeat goes stale (TASK_WORKER_LOST_AFTER=1)
    second = site.manage("worker", "--batch", "--interval", "0", "--no-startup-delay", timeout=300, **tasks)
    assert second.returncode == 0
    status, worker_ids = scalar(site, "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult")
    assert status == "SUCCESSFUL" and worker_ids.count(":") >= 4  # two attempts, by two workers
    assert scalar(site, "SELECT status, created_count FROM orgs_importjob WHERE id = ?", job) == ("succeeded", ROWS)
    assert members(site) == before + ROWS
    assert scalar(site, "SELECT count(*) FROM operations_workerheartbeat")[0] == 0

"""Database drills: 20 concurrent writers on SQLite; PostgreSQL connections cut under load.

The PostgreSQL server is shared on this machine, so it is not restarted: every connection to the
test database is ended with pg_terminate_backend, which is what a restart does to the app (its
connections die); the app must reconnect by itself (CONN_HEALTH_CHECKS), without a restart.
"""

import json
import sys
import threading
import time

import pytest
import requests
from django.db import connection

from .sites import Site, free_port, new_site

WRITERS = r"""
import json, threading
from django.db import close_old_connections
from yuntu.accounts.audit import audit_verify
from yuntu.accounts.models import AuditEntry, User
from yuntu.orgs import services
from yuntu.orgs.models import Org
secretary = User.objects.get(username="street_secretary")
org_ids = list(Org.objects.filter(path__startswith=Org.objects.get(name="中共海沧区新阳街道工作委员会").path)
               .values_list("pk", flat=True))
before = AuditEntry.objects.count()
errors, barrier = [], threading.Barrier(20)
def write(number):
    try:
        barrier.wait()
        for step in range(10):
            org = Org.objects.get(pk=org_ids[(number + step) % len(org_ids)])
            services.org_update(actor=secretary, org=org, address=f"新阳路{number}-{step}号")
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    finally:
        close_old_connections()
threads = [threading.Thread(target=write, args=(number,)) for number in range(20)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
print(json.dumps({"errors": errors, "written": AuditEntry.objects.count() - before, "audit": audit_verify()}))
"""


def test_twenty_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path, site_templates):
    """Production SQLite settings (WAL, busy timeout, BEGIN IMMEDIATE) on a file database, 20 threads × 10 writes."""
    site = new_site(tmp_path, "writers", site_templates[1])
    outcome = json.loads(site.shell(WRITERS).strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["written"] == 200
    assert outcome["audit"] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL drill (make test-postgres)")
def test_postgresql_connections_cut_under_load_the_app_recovers_by_itself(db, tmp_path):
    name = connection.settings_dict["NAME"]
    port = free_port()
    site = Site(tmp_path, "pg")
    env = {"DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
                           f"{connection.settings_dict['PORT'] or 5432}/{name}", "CONN_MAX_AGE": "600"}
    web = site.spawn(sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                     log="gunicorn-pg.log", **env)
    url = f"http://127.0.0.1:{port}/open311/v2/services.json"
    results: list[tuple[float, float, int]] = []
    stop = threading.Event()

    def load():
        session = requests.Session()
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = session.get(url, timeout=10).status_code
            except requests.RequestException:
                status = 0
            results.append((started, time.monotonic(), status))
            stop.wait(0.05)  # workers are mostly idle when a cut comes: the next request meets a dead connection

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        workers_before = _children(web.pid)
        threads = [threading.Thread(target=load) for _ in range(2)]
        [thread.start() for thread in threads]
        cuts = []
        for _ in range(3):
            time.sleep(1.0)
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                assert cursor.fetchone()[0] >= 1  # the web workers' persistent connections were there
            cuts.append(time.monotonic())
        time.sleep(1.0)
        stop.set()
        [thread.join() for thread in threads]
        assert _children(web.pid) == workers_before  # no worker was restarted
    finally:
        stop.set()
        web.terminate()
        web.wait(timeout=30)
    # Only a request in flight at the moment of a cut may fail; every request started after it succeeds.
    in_flight = [(started, ended, status) for started, ended, status in results
                 if any(started - 0.01 <= cut <= ended + 0.01 for cut in cuts)]
    failures = [entry for entry in results if entry[2] != 200 and entry not in in_flight]
    assert failures == []
    assert len(results) > 30 and sum(1 for entry in results if entry[0] > cuts[-1]) > 5


def _children(pid: int) -> set[int]:
    import subprocess

    output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(line) for line in output.split()}

#!/usr/bin/env python
"""Yuntu's benchmark (`make bench`): the org tree, subtree counts, member lists, the rectification ledger
(list and rate table) and the residents' voices (public board, Open311 GET) at city and province scale.

What it does, each step bounded in time:

1. Builds the datasets once and keeps them: the city (≈10⁴ orgs, ≈1.5·10⁵ members) in SQLite at
   bench/.cache/city.sqlite3, the province (≈8·10⁴ orgs, ≈1.2·10⁶ members) in the PostgreSQL
   database yuntu_bench_province (127.0.0.1:5432, user postgres). `manage.py demo` skips a scale
   that is already there, so later runs reuse them. Each gets a rectification ledger over its whole tree
   (`manage.py demo_ledger --bench`: ≈10⁵ measures for the city, ≈10⁶ for the province), also built once.
   And residents' requests over its communities (`manage.py demo_voices --bench`: ≈10⁵ for the city,
   ≈10⁶ for the province, ≈70 % on the public board), also built once.
2. Serves the app with gunicorn (sync workers, `config.wsgi`, settings `bench.settings` = the app's
   settings plus /bench/ views) on 127.0.0.1, signed in as the scale's district officer (the widest
   staff scope: the whole tree); the public board and Open311 are requested anonymously.
3. Loads each endpoint from the loopback with wrk (or bench/loadgen.py without wrk) for a fixed
   time, after a warm-up, and reports requests/s, p50 and p99 and their ratio to the hello view.
4. Times the Excel import of 10⁵ members on a throw-away copy of each dataset.

Results go to stdout and bench/.cache/results-<dataset>.json.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import claims as claims_bench  # bench/claims.py: claims under contention

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WRK = shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").exists() else None)
HOST = "127.0.0.1"
PG: dict[str, str] = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}
DATASETS = {
    "city": {"scale": "city", "engine": "sqlite", "url": f"sqlite:///{CACHE / 'city.sqlite3'}",
             "ledger_measures": 100_000, "requests": 100_000},
    "province": {"scale": "province", "engine": "postgresql", "database": "yuntu_bench_province",
                 "url": f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/yuntu_bench_province",
                 "ledger_measures": 1_000_000, "requests": 1_000_000},
}
IMPORT_DATABASE = "yuntu_bench_import"
BUILD_TIMEOUT = 3600
STEP_TIMEOUT = 900
SLOW_SECONDS = 0.3  # a first response slower than this gets the longer measuring window
TOO_SLOW_SECONDS = 5.0  # … and one slower than this is only timed sequentially
PROBE_REQUESTS, PROBE_SECONDS = 3, 90


def log(message: str) -> None:
    print(message, flush=True)


def environment(database_url: str, settings: str = "config.settings", **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": settings, "DEBUG": "False",
                "LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore", "YUNTU_BENCH": "1", **extra})
    return env


def run(command: list, env: dict, timeout: float) -> subprocess.CompletedProcess:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- datasets ---------------------------------------------------------------------------------


def pg_execute(sql: str, database: str = "postgres", autocommit: bool = True) -> list:
    import psycopg

    with psycopg.connect(dbname=database, autocommit=autocommit, connect_timeout=10, host=PG["host"],
                         port=PG["port"], user=PG["user"]) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def ensure_dataset(name: str) -> dict:
    """Create (once) and migrate the dataset's database and generate its scale; report the build time."""
    spec = DATASETS[name]
    if spec["engine"] == "postgresql":
        exists = pg_execute(f"SELECT 1 FROM pg_database WHERE datname = '{spec['database']}'")
        if not exists:
            pg_execute(f'CREATE DATABASE "{spec["database"]}"')
    env = environment(spec["url"])
    started = time.perf_counter()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env, STEP_TIMEOUT)
    log(f"[{name}] generating or reusing the {spec['scale']} demo data (first build may take minutes)…")
    output = run([PYTHON, "manage.py", "demo", "--scale", spec["scale"]], env, BUILD_TIMEOUT).stdout
    if spec["engine"] == "postgresql":  # what autovacuum does sooner or later: measure steady plans
        pg_execute("ANALYZE", database=spec["database"])
    built = "已生成" in output
    summary = next((line for line in output.splitlines() if line.startswith(("已生成", "  分步"))), "")
    return {"built": built, "seconds": round(time.perf_counter() - started, 1), "summary": summary.strip(),
            "steps": next((line.strip() for line in output.splitlines() if "分步用时" in line), "")}


def ensure_ledger(name: str, root: int) -> dict:
    """Generate (once) the benchmark ledger over the whole tree: `demo_ledger --bench` reuses one already there."""
    spec = DATASETS[name]
    started = time.perf_counter()
    log(f"[{name}] generating or reusing the ledger (≈{spec['ledger_measures']:,} measures)…")
    output = run([PYTHON, "manage.py", "demo_ledger", "--bench", "--measures", spec["ledger_measures"], "--root", root],
                 environment(spec["url"]), BUILD_TIMEOUT).stdout.strip()
    counts = re.search(r"(\d+)个问题、(\d+)项措施", output)
    return {"built": "已生成" in output, "seconds": round(time.perf_counter() - started, 1), "output": output,
            "problems": int(counts.group(1)) if counts else None, "measures": int(counts.group(2)) if counts else None}


def ensure_requests(name: str, root: int) -> dict:
    """Generate (once) the residents' requests over the whole tree: `demo_voices --bench` reuses those already there."""
    spec = DATASETS[name]
    started = time.perf_counter()
    log(f"[{name}] generating or reusing the residents' requests (≈{spec['requests']:,})…")
    output = run([PYTHON, "manage.py", "demo_voices", "--bench", "--requests", spec["requests"], "--root", root],
                 environment(spec["url"]), BUILD_TIMEOUT).stdout.strip()
    count = re.search(r"下(\d+)件诉求", output)
    return {"built": "已生成" in output, "seconds": round(time.perf_counter() - started, 1), "output": output,
            "requests": int(count.group(1)) if count else None}


def prepare(name: str) -> dict:
    spec = DATASETS[name]
    output = run([PYTHON, "-m", "bench.prepare", spec["scale"]], environment(spec["url"]), STEP_TIMEOUT).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str], timeout: float = 120) -> tuple[int, bytes, float]:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        connection.close()


class Server:
    """gunicorn serving config.wsgi with the bench settings; always stopped on exit."""

    def __init__(self, name: str, workers: int):
        self.name, self.workers = name, workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = CACHE / f"gunicorn-{name}.log"

    def __enter__(self) -> Server:
        env = environment(DATASETS[self.name]["url"], settings="bench.settings")
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 — closed in __exit__
        self.process = subprocess.Popen(
            [str(GUNICORN), "config.wsgi:application", "--bind", f"{HOST}:{self.port}", "--workers", str(self.workers),
             "--worker-class", "sync", "--timeout", "120", "--log-level", "warning", "--chdir", str(ROOT)],
            cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}")
            try:
                if get(self.port, "/bench/hello/", {}, timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()


# --- load -------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(text: str) -> float | None:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else None


def load(port: int, path: str, headers: dict[str, str], *, connections: int, duration: float) -> dict:
    url = f"http://{HOST}:{port}{path}"
    if WRK is None:
        sys.path.insert(0, str(ROOT))
        from bench import loadgen

        return loadgen.run(url, headers=headers, connections=connections, duration=duration)
    command = [WRK, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration:g}s", "--latency",
               "--timeout", "30s"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=duration + 60).stdout
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"(\d+) requests in", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50_ms": _milliseconds(percentiles["50"]) if "50" in percentiles else None,
        "p99_ms": _milliseconds(percentiles["99"]) if "99" in percentiles else None,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
                  + (int(socket_errors.group(4)) + int(socket_errors.group(1)) if socket_errors else 0),
        "tool": "wrk",
    }


def probe(port: int, path: str, headers: dict[str, str], first: float) -> dict:
    """An endpoint too slow for a load test: a few sequential requests, within a fixed time."""
    timings = [first]
    deadline = time.monotonic() + PROBE_SECONDS
    while len(timings) < PROBE_REQUESTS and time.monotonic() < deadline:
        timings.append(get(port, path, headers)[2])
    timings.sort()
    return {"requests": len(timings), "rps": 1 / timings[len(timings) // 2], "p50_ms": timings[len(timings) // 2] * 1000,
            "p99_ms": timings[-1] * 1000, "errors": 0, "tool": "sequential (too slow to load)"}


def settle(figures: dict) -> None:
    """After a slow endpoint the workers still finish the requests the load generator gave up on: wait for them,
    so that they do not weigh on the next endpoint's first response and warm-up (bounded: at most 30 s)."""
    slowest = (figures.get("p99_ms") or 0) / 1000
    if slowest > 0.5:
        time.sleep(min(30.0, slowest + 1))


def endpoints(info: dict) -> list[dict]:
    """What is measured: real pages and API first; each with the bench view to fall back on if missing."""
    root, street = info["root"], info["street"]
    htmx = {"HX-Request": "true"}
    return [
        {"name": "hello (baseline)", "path": "/bench/hello/", "fallback": None},
        {"name": "org tree page", "path": "/orgs/", "fallback": None},
        {"name": "tree: expand root (htmx)", "path": f"/orgs/{root}/children/", "headers": htmx,
         "fallback": f"/bench/orgs/{root}/children/"},
        {"name": "tree: expand street (htmx)", "path": f"/orgs/{street}/children/", "headers": htmx,
         "fallback": f"/bench/orgs/{street}/children/"},
        {"name": "org page (root)", "path": f"/orgs/{root}/", "fallback": None},
        {"name": "subtree member counts (API)", "path": f"/api/orgs/{root}/member-counts/",
         "fallback": f"/bench/orgs/{root}/subtree-counts/"},
        {"name": "subtree member counts (selector)", "path": f"/bench/orgs/{root}/subtree-counts/", "fallback": None},
        {"name": "member list p.1 (page, 50)", "path": "/orgs/members/", "fallback": "/bench/members/"},
        {"name": "member list p.1 (API, 50)", "path": "/api/members/?page=1", "fallback": "/bench/members/"},
        {"name": "member list p.1 (selector)", "path": "/bench/members/", "fallback": None},
        {"name": "member list p.1000 (page)", "path": "/orgs/members/?page=1000", "fallback": "/bench/members/?page=1000"},
        {"name": "member list of a street (page)", "path": f"/orgs/members/?org={street}", "fallback": None},
        {"name": "ledger list p.1 + rate table (page)", "path": "/ledger/", "fallback": None},
        {"name": "ledger list of a street (page)", "path": f"/ledger/?org={street}", "fallback": None},
        {"name": "ledger figures + ranking (API)", "path": f"/api/ledger/figures/?org={root}", "fallback": None},
        {"name": "dashboard of the root (page)", "path": f"/dashboard/?org={root}", "fallback": None},
        {"name": "dashboard of a street (page)", "path": f"/dashboard/?org={street}", "fallback": None},
        {"name": "voices: public board p.1 (anonymous)", "path": "/portal/board/", "anonymous": True, "fallback": None},
        {"name": "voices: Open311 requests (default window)", "path": "/open311/v2/requests.json", "anonymous": True,
         "fallback": None},
        {"name": "voices: Open311 requests open + service",
         "path": f"/open311/v2/requests.json?status=open&service_code={info.get('service_code') or 'road'}",
         "anonymous": True, "fallback": None},
    ]


def measure_dataset(name: str, info: dict, args) -> list[dict]:
    cookie = {"Cookie": info["cookie"]}
    results = []
    with Server(name, args.workers) as server:
        log(f"[{name}] gunicorn {args.workers} sync workers on {HOST}:{server.port}; "
            f"{args.connections} connections, {args.warmup:g} s warm-up + {args.duration:g} s per endpoint")
        wanted = [word.strip() for word in args.endpoints.split(",") if word.strip()]
        for endpoint in endpoints(info):
            if not args.ledger and endpoint["path"].startswith(("/ledger/", "/api/ledger/")):
                continue
            if not args.voices and endpoint["name"].startswith("voices"):
                continue
            if wanted and not endpoint["name"].startswith("hello") and not any(w in endpoint["name"] for w in wanted):
                continue
            headers = {**({} if endpoint.get("anonymous") else cookie), **endpoint.get("headers", {})}
            path, source = endpoint["path"], "real" if not endpoint["path"].startswith("/bench/") else "bench view"
            status, body, first = get(server.port, path, headers)
            login_page = b'name="password"' in body
            if (status != 200 or login_page) and endpoint["fallback"]:
                log(f"  {endpoint['name']}: {path} answered {status}; using {endpoint['fallback']}")
                source = f"bench view (real {path} answered {status})"
                path = endpoint["fallback"]
                status, body, first = get(server.port, path, headers)
                login_page = b'name="password"' in body
            if status != 200 or login_page:
                log(f"  {endpoint['name']}: {path} answered {status}{' (login page)' if login_page else ''}; skipped")
                results.append({"name": endpoint["name"], "path": path, "source": source, "status": status,
                                "skipped": True})
                continue
            if first >= TOO_SLOW_SECONDS:
                figures = probe(server.port, path, headers, first)
                figures.update({"name": endpoint["name"], "path": path, "source": source, "bytes": len(body),
                                "first_ms": round(first * 1000, 1), "load": load_average()})
                results.append(figures)
                log(f"  {endpoint['name']:<34} too slow to load: {figures['requests']} sequential requests, "
                    f"median {figures['p50_ms']:.0f} ms, max {figures['p99_ms']:.0f} ms (load {figures['load']})")
                continue
            load(server.port, path, headers, connections=args.connections, duration=args.warmup)
            # A slow endpoint completes few requests in the usual window: give it a longer (still fixed) one.
            duration = args.duration if first < SLOW_SECONDS else max(args.duration, args.slow_duration)
            figures = load(server.port, path, headers, connections=args.connections, duration=duration)
            figures.update({"name": endpoint["name"], "path": path, "source": source, "bytes": len(body),
                            "seconds": duration,
                            "first_ms": round(first * 1000, 1), "load": load_average()})
            results.append(figures)
            settle(figures)
            log(f"  {endpoint['name']:<34} {figures['rps']:>8.1f} req/s  p50 {figures['p50_ms'] or 0:>8.1f} ms  "
                f"p99 {figures['p99_ms'] or 0:>8.1f} ms  ({figures['requests']} requests, {figures['errors']} errors, "
                f"load {figures['load']})")
    return results


# --- import -----------------------------------------------------------------------------------


def time_import(name: str, rows: int) -> dict:
    """Import `rows` members into a copy of the dataset, then drop the copy."""
    spec = DATASETS[name]
    if spec["engine"] == "sqlite":
        copy = CACHE / f"import-{name}.sqlite3"
        source = sqlite3.connect(CACHE / "city.sqlite3")
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        url = f"sqlite:///{copy}"
    else:
        pg_execute(f'DROP DATABASE IF EXISTS "{IMPORT_DATABASE}"')
        pg_execute(f'CREATE DATABASE "{IMPORT_DATABASE}" TEMPLATE "{spec["database"]}"')
        url = f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{IMPORT_DATABASE}"
    try:
        env = environment(url, IMPORT_MAX_BYTES=str(64 * 1024 * 1024))
        output = run([PYTHON, "-m", "bench.importbench", spec["scale"], str(rows)], env, STEP_TIMEOUT).stdout
        return json.loads(output.strip().splitlines()[-1])
    finally:
        if spec["engine"] == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        else:
            pg_execute(f'DROP DATABASE IF EXISTS "{IMPORT_DATABASE}"')


# --- report -----------------------------------------------------------------------------------


def report(name: str, info: dict, build: dict, results: list[dict], imported: dict | None,
           ledger: dict | None = None, voices: dict | None = None) -> None:
    hello = next((row for row in results if row["name"].startswith("hello") and not row.get("skipped")), None)
    log("")
    log(f"== {name}: {info['root_name']} — {info['orgs']:,} orgs, {info['members']:,} members "
        f"({DATASETS[name]['engine']}), signed in as {info['user']}")
    if build.get("built"):
        log(f"   built now: {build['summary']} {build['steps']}")
    if ledger:
        log(f"   ledger: {ledger['problems'] or 0:,} problems, {ledger['measures'] or 0:,} measures"
            + (f" (built now in {ledger['seconds']} s: {ledger['output']})" if ledger["built"] else ""))
    if voices:
        log(f"   residents' requests: {voices['requests'] or 0:,}"
            + (f" (built now in {voices['seconds']} s: {voices['output']})" if voices["built"] else ""))
    log(f"   {'endpoint':<34} {'req/s':>8} {'×hello':>7} {'p50 ms':>8} {'p99 ms':>8} {'p99×hello':>9}  source")
    for row in results:
        if row.get("skipped"):
            log(f"   {row['name']:<34} {'—':>8}  skipped ({row['path']} answered {row['status']})")
            continue
        ratio = row["rps"] / hello["rps"] if hello and hello["rps"] else float("nan")
        p99_ratio = (row["p99_ms"] / hello["p99_ms"]) if hello and hello.get("p99_ms") and row.get("p99_ms") else float("nan")
        log(f"   {row['name']:<34} {row['rps']:>8.1f} {ratio:>7.3g} {row['p50_ms'] or 0:>8.1f} {row['p99_ms'] or 0:>8.1f} "
            f"{p99_ratio:>9.1f}  {row['source']} {row['path']}")
    if imported:
        log(f"   import of {imported['rows']:,} members (Excel, {imported['file_bytes'] / 1e6:.1f} MB): "
            f"{imported['import_seconds']} s = {imported['rows_per_second']:,} rows/s, created {imported['created']:,}"
            f", ok={imported['ok']} {imported['errors'] or ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default="city,province", help="comma-separated: city, province")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections of the load generator")
    parser.add_argument("--duration", type=float, default=8, help="seconds measured per endpoint")
    parser.add_argument("--slow-duration", type=float, default=20,
                        help=f"seconds measured for an endpoint whose first response took over {SLOW_SECONDS} s")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--no-ledger", dest="ledger", action="store_false",
                        help="neither generate nor measure the rectification ledger")
    parser.add_argument("--no-voices", dest="voices", action="store_false",
                        help="neither generate nor measure the residents' requests (public board, Open311)")
    parser.add_argument("--no-orglife", dest="orglife", action="store_false",
                        help="neither generate the year of meetings nor time the compliance scan")
    parser.add_argument("--endpoints", default="",
                        help="only the endpoints whose name contains one of these comma-separated words (hello always)")
    parser.add_argument("--no-claims", dest="claims", action="store_false", help="skip claims under contention")
    parser.add_argument("--import-rows", type=int, default=100_000, help="members in the timed import (0: skip)")
    parser.add_argument("--campaign-tasks", type=int, default=10_000, help="tasks of the timed campaign board (0: skip)")
    parser.add_argument("--no-venues", dest="venues", action="store_false",
                        help="skip bench/venues.py (the 15-minute circle on 10⁵ venues, 50 bookings of one slot at once)")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    log(f"Yuntu benchmark {datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load {load_average()}, "
        f"load generator: {'wrk' if WRK else 'bench/loadgen.py'}")
    started = time.monotonic()
    for name in [part.strip() for part in args.datasets.split(",") if part.strip()]:
        if name not in DATASETS:
            parser.error(f"unknown dataset {name!r}")
        build = ensure_dataset(name)
        info = prepare(name)
        ledger = ensure_ledger(name, info["root"]) if args.ledger else None
        voices = ensure_requests(name, info["root"]) if args.voices else None
        sys.path.insert(0, str(ROOT))
        from bench import orglife as orglife_bench

        orglife = orglife_bench.ensure_and_scan(
            name, info["root"], run=run, environment=environment, python=PYTHON, url=DATASETS[name]["url"],
            timeout=BUILD_TIMEOUT, log=log) if args.orglife else None
        log(f"[{name}] bringing the figures' tallies up to date (what the minute job does)…")
        log(f"[{name}] {run([PYTHON, 'manage.py', 'tallies_refresh'], environment(DATASETS[name]['url']), BUILD_TIMEOUT).stdout.strip()}")
        results = measure_dataset(name, info, args)
        imported = None
        if args.import_rows:
            log(f"[{name}] timing the import of {args.import_rows:,} members on a copy of the dataset…")
            imported = time_import(name, args.import_rows)
        report(name, info, build, results, imported, ledger, voices)
        log(f"[{name}] dashboard and briefing, server time: "
            f"{run([PYTHON, '-m', 'bench.figures', DATASETS[name]['scale']], environment(DATASETS[name]['url']), STEP_TIMEOUT).stdout.strip()}")
        claims = claims_bench.run(DATASETS[name]["url"]) if args.claims else None
        if claims:
            log("\n".join(claims_bench.describe(claims)))
        suffix = "-partial" if args.endpoints else ""  # a partial run keeps the last full run's figures
        (CACHE / f"results-{name}{suffix}.json").write_text(json.dumps(
            {"when": datetime.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(),
             "args": vars(args), "dataset": info | {"cookie": "…"}, "build": build, "ledger": ledger, "voices": voices, "orglife": orglife, "endpoints": results,
             "import": imported, "claims": claims}, ensure_ascii=False, indent=2))
    if args.campaign_tasks:  # bench/campaigns.py: the board of one campaign, on its own throw-away SQLite file
        log(run([PYTHON, "-m", "bench.campaigns", args.campaign_tasks],
                environment(f"sqlite:///{CACHE / 'campaigns.sqlite3'}"), STEP_TIMEOUT).stdout)
    if args.venues:
        subprocess.run([str(PYTHON), str(ROOT / "bench" / "venues.py")], cwd=ROOT, timeout=BUILD_TIMEOUT, check=False)
    log(f"\nbenchmark finished in {(time.monotonic() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Venues in `make bench`: the 15-minute circle query and 50 bookings of one slot at once, measured on
a dataset of its own (default 10⁵ venues, a province's worth, clustered around 60 towns in Fujian's
latitude/longitude box), on PostgreSQL (database yuntu_bench_venues) and on SQLite
(bench/.cache/venues.sqlite3). Built once and reused; results go to bench/.cache/venues-<engine>.json.

    .venv/bin/python bench/venues.py [--venues 100000] [--queries 400] [--rounds 5] [--engines postgresql,sqlite]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PYTHON = ROOT / ".venv" / "bin" / "python"
URLS = {"postgresql": "postgres://postgres@127.0.0.1:5432/yuntu_bench_venues",
        "sqlite": f"sqlite:///{CACHE / 'venues.sqlite3'}"}
BOX = (23.5, 28.3, 115.8, 120.7)  # Fujian, roughly: south, north, west, east


def child(engine: str, args) -> dict:
    """Run the measurement in a fresh process bound to the engine's database."""
    env = {**os.environ, "DATABASE_URL": URLS[engine], "DJANGO_SETTINGS_MODULE": "config.settings",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-venues-secret-key-0123456789-not-for-production")}
    if engine == "postgresql":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = 'yuntu_bench_venues'").fetchone():
                connection.execute('CREATE DATABASE "yuntu_bench_venues"')
    subprocess.run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True,
                   timeout=900)
    done = subprocess.run([str(PYTHON), __file__, "--measure", "--venues", str(args.venues), "--queries",
                           str(args.queries), "--rounds", str(args.rounds)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=1800)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(args) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yuntu.accounts.models import User
    from yuntu.orgs.models import Level, Org
    from yuntu.venues import selectors
    from yuntu.venues.contention import fire_bookings
    from yuntu.venues.models import Booking, Room, Venue

    rng = random.Random(2026)
    root = Org.objects.filter(depth=1, name="性能测试省委").first() or Org.add_root(name="性能测试省委",
                                                                              level=Level.DISTRICT)
    built = 0.0
    existing = Venue.objects.filter(org=root).count()
    towns = [(rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])) for _ in range(60)]
    if existing < args.venues:
        started = time.perf_counter()
        batch = []
        for index in range(existing, args.venues):
            if rng.random() < 0.7:
                lat, lng = rng.choice(towns)
                lat, lng = lat + rng.gauss(0, 0.08), lng + rng.gauss(0, 0.08)
            else:
                lat, lng = rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])
            batch.append(Venue(org=root, org_path=root.path, name=f"性能测试阵地{index}", level="community",
                               address=f"测试路{index}号", latitude=round(lat, 6), longitude=round(lng, 6),
                               opens_at=datetime.time(0), closes_at=datetime.time(23, 30),
                               closed_on_public_holidays=False))
            if len(batch) == 5000:
                Venue.objects.bulk_create(batch)
                batch = []
        Venue.objects.bulk_create(batch)
        built = round(time.perf_counter() - started, 1)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE venues_venue")
    # The circle: half the points in towns (where venues are), half anywhere.
    points = [(lat + rng.gauss(0, 0.05), lng + rng.gauss(0, 0.05)) for lat, lng in rng.choices(towns, k=args.queries // 2)]
    points += [(rng.uniform(BOX[0], BOX[1]), rng.uniform(BOX[2], BOX[3])) for _ in range(args.queries - len(points))]
    for lat, lng in points[:20]:  # warm-up
        selectors.circle(latitude=lat, longitude=lng)
    timings, found = [], []
    for lat, lng in points:
        started = time.perf_counter()
        rows = selectors.circle(latitude=lat, longitude=lng)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(rows))
    with CaptureQueriesContext(connection) as queries:
        selectors.circle(latitude=towns[0][0], longitude=towns[0][1])
    plan = ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries[0]["sql"]) if connection.vendor == "postgresql" else \
            cursor.execute("EXPLAIN QUERY PLAN " + queries[0]["sql"])
        plan = " | ".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    ordered = sorted(timings)
    circle = {"queries": len(timings), "p50_ms": round(statistics.median(ordered), 2),
              "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2), "mean_ms": round(statistics.fmean(ordered), 2),
              "venues_found_mean": round(statistics.fmean(found), 2), "venues_found_max": max(found), "plan": plan}
    # Contention: 50 users book one slot at the same moment, several rounds.
    venue = Venue.objects.filter(org=root).order_by("id").first()
    room, _ = Room.objects.get_or_create(venue=venue, name="多功能室", defaults={"capacity": 50})
    users = []
    for index in range(50):
        user, _ = User.objects.get_or_create(username=f"bench_booker_{index:02d}", defaults={"display_name": f"测试{index}"})
        users.append(user.pk)
    Booking.objects.filter(room=room).delete()
    rounds = []
    base = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    for number in range(args.rounds):
        start = base + datetime.timedelta(hours=number)
        result = fire_bookings(room_id=room.pk, user_ids=users, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        rounds.append(result)
    Booking.objects.filter(room=room).delete()
    return {"engine": connection.vendor, "venues": Venue.objects.filter(org=root).count(), "built_seconds": built,
            "circle": circle, "contention": rounds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venues", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engines", default="postgresql,sqlite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args), ensure_ascii=False))
        return 0
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    for engine in [part.strip() for part in args.engines.split(",") if part.strip()]:
        print(f"[venues] {engine}: {args.venues:,} venues, {args.queries} circle queries, "
              f"{args.rounds} rounds of 50 concurrent bookings…", flush=True)
        result = child(engine, args)
        (CACHE / f"venues-{engine}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
        circle = result["circle"]
        print(f"[venues] {engine}: {result['venues']:,} venues (built now in {result['built_seconds']} s)" if
              result["built_seconds"] else f"[venues] {engine}: {result['venues']:,} venues (reused)")
        print(f"   circle (15 min): p50 {circle['p50_ms']} ms, p99 {circle['p99_ms']} ms, mean {circle['mean_ms']} ms, "
              f"venues found mean {circle['venues_found_mean']} max {circle['venues_found_max']}")
        print(f"   plan: {circle['plan'][:300]}")
        for number, round_ in enumerate(result["contention"], 1):
            print(f"   contention round {number}: {round_['outcomes']} in {round_['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

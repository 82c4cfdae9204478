#!/usr/bin/env python
"""Claims under contention (`make bench`, or alone): many members press 认领 at once.

For a dataset (a database URL), in a child process with the app's own settings:

1. one need with one place, and 50 (then 200) members with accounts, each attempt in a thread with its
   own database connection, at most 50 at once (PostgreSQL's connections are shared), the first 50
   released together by a barrier: exactly one must get it;
2. a hot set: 10 needs of 5 places each, 200 members each claiming one of them at random: exactly
   50 must succeed.

Reported per round: successes, refusals, wall time from the release to the last answer, attempts
answered per second, and the p50 / p99 latency of one attempt. The bench needs and claims are deleted
afterwards; the bench members stay, inactive, for the next run (their audit entries keep their accounts).

    .venv/bin/python bench/claims.py --database-url postgres://postgres@127.0.0.1:5432/yuntu_bench_province
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
PREFIX = "bench-claimant-"
THREADS = 50  # PostgreSQL's default max_connections is 100, shared with the rest of the machine


def _worker(rounds: list[int], hot_claimants: int, max_threads: int) -> dict:
    import datetime
    import random
    import statistics
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.db import connections

    from yuntu.accounts.models import RoleGrant, User
    from yuntu.claims import services
    from yuntu.claims.models import Claim, ClaimEvent, Need
    from yuntu.core import clock
    from yuntu.orgs.models import Level, Member, Org

    root = Org.objects.filter(depth=1).order_by("path").first()
    community = Org.objects.filter(path__startswith=root.path, level=Level.COMMUNITY).order_by("path").first()
    branch = Org.objects.filter(path__startswith=community.path, level=Level.BRANCH).order_by("path").first() or community
    poster = (User.objects.filter(grants__role="district_officer", grants__org_path=root.path).first()
              or User.objects.filter(is_superuser=True).first())
    count = max(rounds + [hot_claimants])
    User.objects.bulk_create([User(username=f"{PREFIX}{index:04d}", display_name=f"压测党员{index}")
                              for index in range(count)], ignore_conflicts=True)
    users = list(User.objects.filter(username__startswith=PREFIX).order_by("username")[:count])
    Member.objects.bulk_create([Member(org=branch, org_path=branch.path, name=f"压测党员{index}", user=user,
                                       id_number_digest=f"{PREFIX}{index}", id_number_masked="-")
                                for index, user in enumerate(users)], ignore_conflicts=True)
    Member.objects.filter(id_number_digest__startswith=PREFIX).update(is_active=True)
    RoleGrant.objects.filter(user__in=users).delete()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role="member", org=branch, org_path=branch.path) for user in users])
    deadline = clock.today() + datetime.timedelta(days=7)

    def post(places: int) -> Need:
        return services.need_post(actor=poster, org=community, category="other", title="压测需求", description="压测",
                                  address="压测地点", deadline=deadline, claimants_needed=places)

    def fire(pairs: list[tuple[int, int]]) -> dict:
        workers = min(len(pairs), max_threads)
        barrier = threading.Barrier(workers)
        first_wave = threading.Semaphore(workers)

        def claim(pair):
            user_id, need_id = pair
            try:
                user = User.objects.get(pk=user_id)
                if first_wave.acquire(blocking=False):  # the first `workers` attempts start together
                    barrier.wait(timeout=120)
                started = time.perf_counter()
                try:
                    services.need_claim(actor=user, need=Need(pk=need_id))
                    outcome = "ok"
                except ValidationError:
                    outcome = "refused"
                return outcome, started, time.perf_counter()
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(claim, pairs))
        wall = max(end for _, _, end in outcomes) - min(start for _, start, _ in outcomes)
        ordered = sorted(end - start for _, start, end in outcomes)
        return {"attempts": len(pairs), "threads": workers, "ok": sum(1 for outcome, _, _ in outcomes if outcome == "ok"),
                "refused": sum(1 for outcome, _, _ in outcomes if outcome == "refused"), "wall_s": round(wall, 3),
                "attempts_per_s": round(len(pairs) / wall, 1) if wall else None,
                "p50_ms": round(statistics.median(ordered) * 1000, 1),
                "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1)}

    results = {"engine": connections["default"].vendor, "orgs": Org.objects.count(),
               "members": Member.objects.count(), "rounds": []}
    needs = []
    try:
        for claimants in rounds:
            need = post(1)
            needs.append(need)
            outcome = fire([(user.pk, need.pk) for user in users[:claimants]])
            results["rounds"].append({"name": f"{claimants} claims, 1 place", "expected_ok": 1, **outcome})
        hot = [post(5) for _ in range(10)]
        needs += hot
        rng = random.Random(5)
        outcome = fire([(user.pk, rng.choice(hot).pk) for user in users[:hot_claimants]])
        results["rounds"].append({"name": f"{hot_claimants} claims over 10 needs × 5 places", "expected_ok": 50,
                                  **outcome})
    finally:
        claims = Claim.objects.filter(need__in=[need.pk for need in needs])
        ClaimEvent.objects.filter(claim__in=claims).delete()
        claims.delete()
        Need.objects.filter(pk__in=[need.pk for need in needs]).delete()
        Member.objects.filter(id_number_digest__startswith=PREFIX).update(is_active=False)
    return results


def run(database_url: str, *, rounds: tuple[int, ...] = (50, 200), hot_claimants: int = 200,
        threads: int = THREADS, timeout: float = 900) -> dict:
    """Measure in a child process on the given database (the app's settings, as served)."""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", DEBUG="False",
               LOG_LEVEL="ERROR", PYTHONWARNINGS="ignore")
    command = [str(PYTHON), str(Path(__file__).resolve()), "--worker", "--rounds", ",".join(map(str, rounds)),
               "--hot", str(hot_claimants), "--threads", str(threads)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"claims bench failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def describe(results: dict) -> list[str]:
    lines = [f"claims under contention ({results['engine']}, {results['orgs']:,} orgs, {results['members']:,} members):"]
    for row in results["rounds"]:
        verdict = "ok" if row["ok"] == row["expected_ok"] else f"WRONG (expected {row['expected_ok']})"
        lines.append(f"  {row['name']:<40} {row['threads']:>3} threads: {row['ok']:>3} won, {row['refused']:>3} refused ({verdict}); "
                     f"{row['wall_s']:.2f} s, {row['attempts_per_s']} attempts/s, p50 {row['p50_ms']} ms, "
                     f"p99 {row['p99_ms']} ms")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="the dataset to measure on")
    parser.add_argument("--rounds", default="50,200", help="claimants of the one-place rounds")
    parser.add_argument("--hot", type=int, default=200, help="claimants of the hot-set round")
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="at most this many threads (and database connections) at once")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    rounds = [int(part) for part in args.rounds.split(",") if part]
    if args.worker:
        sys.path.insert(0, str(ROOT))
        print(json.dumps(_worker(rounds, args.hot, args.threads), ensure_ascii=False))
        return 0
    if not args.database_url:
        parser.error("--database-url is required")
    print("\n".join(describe(run(args.database_url, rounds=tuple(rounds), hot_claimants=args.hot,
                                  threads=args.threads))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

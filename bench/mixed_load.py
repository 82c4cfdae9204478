#!/usr/bin/env python
"""`make load`: a mixed load of staff and residents against `make prod-local`, bounded in time.

Virtual users on 127.0.0.1 only, each with its own session (requests.Session, keep-alive):
- staff (the demo district's staff accounts, round robin) sign in, then walk the org tree, the
  member list, the ledger and its weekly view, request triage, and the REST API (orgs, members);
- residents sign in with the demo resident and open the portal, the public board, their own
  requests and the suggestions page;
- anonymous clients read Open311 (services, requests).
Every user loops without think time until the deadline. Any answer other than 200 (or the 302
of a sign-in) counts as an error. Figures per page and in total go to stdout and to
bench/.cache/load-<time>.json.

    LOAD_SECONDS=600 make load        # the full ten minutes
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import requests

STAFF = ["haicang-district_officer", "haicang-street_secretary", "haicang-community_secretary",  # roles that see every staff page below
         "haicang-inspector"]
RESIDENT = "haicang-resident"
PASSWORD = "Yuntu-demo-2026"
STAFF_PAGES = [("/orgs/", 3), ("/orgs/members/", 3), ("/ledger/", 3), ("/ledger/weekly/", 1), ("/voices/", 2),
               ("/api/orgs/?page_size=50", 2), ("/api/members/?page_size=50", 2), ("/api/me/", 1)]
RESIDENT_PAGES = [("/portal/", 3), ("/portal/board/", 3), ("/portal/mine/", 2), ("/portal/suggestions/", 1)]
ANONYMOUS_PAGES = [("/open311/v2/services.json", 1), ("/open311/v2/requests.json", 1)]


def sign_in(session: requests.Session, base: str, username: str) -> None:
    session.get(f"{base}/login/", timeout=30)
    response = session.post(f"{base}/login/", data={"username": username, "password": PASSWORD,
                                                    "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
                            allow_redirects=False, timeout=30)
    if response.status_code != 302:
        raise RuntimeError(f"{username}: sign-in answered {response.status_code}")


def pick(pages, rng: random.Random) -> str:
    return rng.choices([path for path, _ in pages], weights=[weight for _, weight in pages])[0]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(base: str, *, seconds: float, staff: int, residents: int, anonymous: int) -> dict:
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load generator only talks to 127.0.0.1")
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    deadline = time.monotonic() + seconds

    def user(kind: str, number: int) -> None:
        rng = random.Random(number)
        session = requests.Session()
        try:
            if kind == "staff":
                sign_in(session, base, STAFF[number % len(STAFF)])
            elif kind == "resident":
                sign_in(session, base, RESIDENT)
        except Exception as error:  # a failed sign-in is an error of the run
            with lock:
                errors["sign-in"] += 1
                samples.append(str(error))
            return
        pages = {"staff": STAFF_PAGES, "resident": RESIDENT_PAGES, "anonymous": ANONYMOUS_PAGES}[kind]
        while time.monotonic() < deadline:
            path = pick(pages, rng)
            key = re.sub(r"\?.*", "", path)
            started = time.perf_counter()
            try:
                status = session.get(base + path, timeout=60, allow_redirects=False).status_code
            except requests.RequestException as error:
                status = f"{type(error).__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies[key].append(elapsed)
                if status != 200:
                    errors[key] += 1
                    if len(samples) < 20:
                        samples.append(f"{path} → {status}")

    threads = [threading.Thread(target=user, args=(kind, number))
               for kind, count in (("staff", staff), ("resident", residents), ("anonymous", anonymous))
               for number in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(len(values) for values in latencies.values())
    every = [value for values in latencies.values() for value in values]
    return {
        "seconds": round(elapsed, 1), "users": {"staff": staff, "residents": residents, "anonymous": anonymous},
        "requests": total, "errors": sum(errors.values()), "error_rate": (sum(errors.values()) / total) if total else 1.0,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(every, 0.5) * 1000, 1), "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "pages": {key: {"requests": len(values), "errors": errors.get(key, 0),
                        "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                        "mean_ms": round(statistics.fmean(values) * 1000, 1)} for key, values in sorted(latencies.items())},
        "error_samples": samples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--staff", type=int, default=6)
    parser.add_argument("--residents", type=int, default=6)
    parser.add_argument("--anonymous", type=int, default=2)
    options = parser.parse_args()
    result = run(options.base, seconds=options.seconds, staff=options.staff, residents=options.residents,
                 anonymous=options.anonymous)
    folder = Path(__file__).resolve().parent / ".cache"
    folder.mkdir(exist_ok=True)
    out = folder / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"{result['requests']} requests in {result['seconds']} s ({result['requests_per_second']}/s), "
          f"errors {result['errors']} ({result['error_rate']:.4%}), p50 {result['p50_ms']} ms, "
          f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms")
    for key, page in result["pages"].items():
        print(f"  {key:<32} {page['requests']:>7}  errors {page['errors']:>3}  p50 {page['p50_ms']:>7} ms  "
              f"p95 {page['p95_ms']:>7} ms")
    for sample in result["error_samples"]:
        print("  error:", sample)
    print(f"figures: {out}")
    if result["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

"""Organisational life in `make bench`: a year of meetings over the whole tree, and the compliance scan timed.

`ensure_and_scan(...)` builds (once) the benchmark meetings with `manage.py demo_orglife --bench` — a
secretary for most branches, thirteen months of meetings of every branch and group, the attendance
of each branch's last three theme days — then runs `manage.py compliance_scan --json` twice: the
first scan raises the alerts, the second finds the data unchanged (the steady daily cost). Figures
are the scan's own wall time, its query count and the orgs scanned, and each rule and period's
seconds (evaluating, then writing the alerts) and statements.
"""

from __future__ import annotations

import json
import re
import time


def ensure_and_scan(name: str, root: int, *, run, environment, python, url: str, timeout: float, log) -> dict:
    env = environment(url)
    started = time.perf_counter()
    log(f"[{name}] generating or reusing a year of meetings over the whole tree…")
    built = run([python, "manage.py", "demo_orglife", "--bench", "--no-scan", "--root", root], env, timeout).stdout
    counts = re.search(r"(\d+)场会议活动、(\d+)条出席记录", built)
    result = {"built": "已为" in built, "build_seconds": round(time.perf_counter() - started, 1),
              "meetings": int(counts.group(1)) if counts else None,
              "attendances": int(counts.group(2)) if counts else None, "scans": []}
    for label in ("first", "steady"):
        log(f"[{name}] compliance scan ({label})…")
        output = run([python, "manage.py", "compliance_scan", "--json"], env, timeout).stdout
        result["scans"].append({"run": label, **json.loads(output.strip().splitlines()[-1])})
    for scan in result["scans"]:
        log(f"[{name}] scan {scan['run']}: {scan['orgs']:,} orgs in {scan['seconds']} s, {scan['queries']} queries, "
            f"raised {scan['raised']:,}, resolved {scan['resolved']:,}, open {scan['still_open']:,}")
        slowest = sorted(scan.get("steps", []), key=lambda step: -(step["evaluate"] + step["apply"]))[:3]
        log(f"[{name}]   slowest: " + ", ".join(f"{step['rule']} {step['period'] or '—'} "
                                                f"{step['evaluate']}+{step['apply']} s" for step in slowest))
    return result

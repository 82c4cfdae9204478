"""A small load generator for when `wrk` is not installed: threads, keep-alive, bounded in time and count.

Each thread keeps one HTTP/1.1 connection to 127.0.0.1 (re-opened when the server closes it, as
gunicorn's sync workers do after every response) and sends GETs until the duration is over or
the request budget is spent. Latencies are kept per request, so percentiles are exact.
"""

import http.client
import threading
import time
from urllib.parse import urlsplit

MAX_REQUESTS = 200_000


def run(url: str, *, headers: dict[str, str], connections: int, duration: float,
        max_requests: int = MAX_REQUESTS) -> dict:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("the load generator only talks to the loopback interface")
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    errors = {"non_2xx": 0, "socket": 0}
    budget = [max_requests]

    def take() -> bool:
        with lock:
            if budget[0] <= 0:
                return False
            budget[0] -= 1
            return True

    def worker():
        connection = None
        mine: list[float] = []
        while time.monotonic() < deadline and take():
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                started = time.perf_counter()
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                mine.append(time.perf_counter() - started)
                if not 200 <= response.status < 400:
                    with lock:
                        errors["non_2xx"] += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                with lock:
                    errors["socket"] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(share: float) -> float | None:
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000

    return {"requests": len(latencies), "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "errors": errors["non_2xx"] + errors["socket"],
            "tool": "python"}

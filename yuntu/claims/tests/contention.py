"""Real threads against the real database, for the claim-under-contention tests.

On PostgreSQL every thread opens its own connection to the test database. The SQLite test database
lives in memory, where threads share one cache and fail at once instead of waiting for the lock; so
for them it is copied to a file opened with the deployment's own SQLite options (WAL, BEGIN
IMMEDIATE, a busy timeout), as a real SQLite deployment runs.
"""

import contextlib
import sqlite3
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection, connections


@contextlib.contextmanager
def threads_database():
    """Within the block, new threads' connections reach a database holding everything committed so far."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    original = connections.settings["default"]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "contention.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        options = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                   "transaction_mode": "IMMEDIATE", "timeout": 30}
        connections.settings["default"] = {**original, "NAME": str(path), "OPTIONS": options,
                                           "TEST": {**original.get("TEST", {}), "NAME": str(path)}}
        try:
            yield
        finally:
            connections.settings["default"] = original


def in_threads(function, arguments: list) -> list:
    """Call `function(argument)` for each argument, all threads released together; each closes its connection."""
    barrier = threading.Barrier(len(arguments))

    def run(argument):
        try:
            barrier.wait()
            return function(argument)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(arguments)) as pool:
        return list(pool.map(run, arguments))


def in_a_thread(function):
    """Read back through the threads' database."""
    return in_threads(lambda _: function(), [None])[0]

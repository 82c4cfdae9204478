"""Settings of the benchmark server: the app's own settings, plus the /bench/ views.

Only the URLconf differs, so every page is served exactly as in production (same middleware,
sessions, database options). The benchmark-only views are reachable only under these
settings, which nothing but bench/run.py selects.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

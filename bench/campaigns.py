"""The board of a campaign with 10⁴ tasks (`python -m bench.campaigns [tasks]`), called from `make bench`.

Builds a throw-away database (the `DATABASE_URL` given, migrated from scratch: a SQLite file is
removed first, a PostgreSQL database whose name contains "bench" is dropped and created again),
the named cast, one campaign of 200 projects with `tasks` tasks in all (statuses and deadlines
spread around today, owners over the cast's orgs), then times, signed in as the district officer:
`selectors.board_data` (and how many queries it makes), the wall-screen page and board.json.
Prints JSON with the medians of a few runs.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time

import django

PROJECTS = 200
RUNS = 7


def build(tasks: int) -> tuple:
    from yuntu.campaigns.models import Campaign, Project, Task
    from yuntu.campaigns.workflow import TaskStatus
    from yuntu.core import clock
    from yuntu.core.cast import build_cast

    cast = build_cast()
    orgs = list(cast["orgs"].values())
    district = cast["orgs"]["district"]
    today = clock.today()
    rng = random.Random("yuntu-bench-campaigns")
    campaign = Campaign.objects.create(org=district, org_path=district.path, name="性能测试专项行动",
                                       start_date=today - datetime.timedelta(days=200),
                                       end_date=today + datetime.timedelta(days=200))
    projects = Project.objects.bulk_create([
        Project(campaign=campaign, org=district, org_path=district.path, number=number, name=f"项目{number}",
                owner_name="负责人", latitude=24.4 + rng.random() / 5, longitude=117.95 + rng.random() / 5,
                planned_start=today - datetime.timedelta(days=150), planned_end=today + datetime.timedelta(days=150))
        for number in range(1, PROJECTS + 1)])
    rows = []
    for number in range(tasks):
        org = orgs[number % len(orgs)]
        start = today - datetime.timedelta(days=rng.randint(0, 150))
        deadline = start + datetime.timedelta(days=rng.randint(10, 120))
        done = rng.random() < 0.5
        rows.append(Task(campaign=campaign, project=projects[number % PROJECTS], org=org, org_path=org.path,
                         name=f"任务{number}", owner_name="责任人", planned_start=start, planned_end=deadline,
                         deadline=deadline, status=TaskStatus.DONE if done else TaskStatus.IN_PROGRESS,
                         percent=100 if done else rng.randint(0, 90), started_on=start,
                         completed_on=deadline + datetime.timedelta(days=rng.randint(-10, 5)) if done else None))
    Task.objects.bulk_create(rows, batch_size=2000)
    return campaign, cast["users"]["district_officer"]


def recreate_postgres(database: dict) -> None:
    """A throw-away PostgreSQL database: dropped and created again (only names containing "bench")."""
    import psycopg

    name = database["NAME"]
    if "bench" not in name:
        raise SystemExit(f"refusing to recreate {name!r}: the campaign benchmark only recreates *bench* databases")
    with psycopg.connect(host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"], dbname="postgres",
                         autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def median_ms(function) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def main() -> int:
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yuntu.campaigns import selectors

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and os.path.exists(database["NAME"]):
        os.remove(database["NAME"])
    elif database["ENGINE"].endswith("postgresql"):
        recreate_postgres(database)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    campaign, officer = build(tasks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as a database in service has them
    built = round(time.perf_counter() - started, 1)
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(officer, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    officer = type(officer).objects.get(pk=officer.pk)  # a fresh user: its grants are read inside the count
    with CaptureQueriesContext(connection) as queries:
        data = selectors.board_data(officer, campaign)
        query_count = len(queries.captured_queries)
    assert data["totals"]["tasks"] == tasks, data["totals"]
    pages = {"board": f"/campaigns/{campaign.pk}/board/", "board.json": f"/campaigns/{campaign.pk}/board.json",
             "desk": f"/campaigns/{campaign.pk}/"}
    for url in pages.values():
        assert client.get(url).status_code == 200, url
    result = {
        "tasks": tasks, "projects": PROJECTS, "engine": database["ENGINE"].rsplit(".", 1)[-1], "build_seconds": built,
        "board_data_queries": query_count, "board_data_ms": median_ms(lambda: selectors.board_data(officer, campaign)),
        **{f"{name}_ms": median_ms(lambda url=url: client.get(url)) for name, url in pages.items()},
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

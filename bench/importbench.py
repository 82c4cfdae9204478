"""Time the Excel import of 10⁵ members (`yuntu.orgs.imports.import_members`) on a copy of a dataset.

`python -m bench.importbench <scale> <rows>` writes a member sheet in the import template's
columns (new people with valid ID numbers, spread over the scale's branches), then runs the
import as the scale's district officer and prints JSON with the timings. Run it on a copy: the
import really writes the members.
"""

import datetime
import io
import json
import os
import random
import sys
import time

import django


def build_workbook(scale: str, rows: int) -> tuple[bytes, float]:
    import openpyxl

    from yuntu.demo import generator
    from yuntu.orgs.imports import MEMBER_COLUMNS, MEMBER_SHEET
    from yuntu.orgs.models import Level, Org

    started = time.perf_counter()
    root = generator.find_root(scale)
    if root is None:
        raise SystemExit(f"no {scale} demo data in this database")
    branches = list(Org.objects.filter(path__under=root.path, level=Level.BRANCH, temporary=False)
                    .order_by("path").values_list("pk", flat=True))
    rng = random.Random(f"yuntu-bench-import:{scale}")
    targets = rng.sample(branches, min(200, len(branches)))
    # Sequence codes 000–049 are used by no demo scale, so these people are all new.
    people = generator.People(rng, (0, 50))
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(MEMBER_SHEET)
    sheet.append([column.title for column in MEMBER_COLUMNS])
    today = datetime.date(2026, 11, 1)
    for index in range(rows):
        male = rng.random() < 0.6
        surname, given = people.name(male)
        probationary = rng.random() < 0.15
        birth = today - datetime.timedelta(days=rng.randint(20 * 365, 40 * 365) if probationary
                                           else rng.randint(28 * 365, 80 * 365))
        if probationary:
            joined = today - datetime.timedelta(days=rng.randint(30, 300))
        else:  # admitted between 19 and 27, so always at least a year ago
            joined = birth + datetime.timedelta(days=rng.randint(19 * 365, 27 * 365))
        values = {
            "name": surname + given,
            "id_number": people.id_number("350205", birth, male),
            "mobile": people.mobile() if rng.random() < 0.9 else "",
            "org": str(targets[index % len(targets)]),
            "status": "预备党员" if probationary else "正式党员",
            "joined_on": joined.isoformat(),
            "probation_end": (joined + datetime.timedelta(days=365)).isoformat() if probationary else "",
            "floating": "否", "floating_location": "", "in_service": "否", "employer": "",
            "home_address": f"海沧区沧林路{rng.randint(1, 999)}号",
        }
        sheet.append([values.get(column.key, "") for column in MEMBER_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), time.perf_counter() - started


def main(scale: str, rows: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection

    from yuntu.accounts.models import User
    from yuntu.demo.plan import SCALES
    from yuntu.orgs.imports import import_members
    from yuntu.orgs.models import Member

    content, build_seconds = build_workbook(scale, rows)
    officer = User.objects.get(username=f"{SCALES[scale].username_prefix}district_officer")
    before = Member.objects.count()
    started = time.perf_counter()
    result = import_members(actor=officer, file=io.BytesIO(content), file_name=f"bench-{rows}.xlsx")
    seconds = time.perf_counter() - started
    return {
        "rows": rows, "file_bytes": len(content), "file_build_seconds": round(build_seconds, 1),
        "import_seconds": round(seconds, 1), "rows_per_second": round(rows / seconds),
        "created": result.created_count, "ok": result.ok, "errors": result.errors[:3],
        "members_before": before, "members_after": Member.objects.count(), "database": connection.vendor,
        "max_bytes": settings.IMPORT_MAX_BYTES,
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2])), ensure_ascii=False))

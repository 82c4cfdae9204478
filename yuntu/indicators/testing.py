"""A small, varied set of ledger and voices records over the cast's orgs, for tests of figures.

Shared by the indicators, dashboard and briefings tests so that all of them count the same records.
"""

import datetime

from django.utils import timezone

from yuntu.indicators import rollups
from yuntu.ledger import rollups as ledger_rollups
from yuntu.ledger.models import Measure, Problem
from yuntu.orgs.models import Org
from yuntu.voices import rollups as voices_rollups
from yuntu.voices.models import Category, Request, Suggestion

PERIOD_START = datetime.date(2026, 9, 1)
PERIOD_END = datetime.date(2026, 11, 30)  # inclusive, as the pages take it


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_figures_data(cast) -> dict:
    """Problems and measures (some verified, some closed) in Sept–Nov 2026 and before; requests and suggestions."""
    orgs = [cast.orgs[key] for key in ("community", "branch", "agency", "other_community", "other_branch")]
    for key, latitude, longitude in (("community", 24.50, 118.05), ("other_community", 24.56, 117.98),
                                     ("agency", 24.48, 118.03)):
        Org.objects.filter(pk=cast.orgs[key].pk).update(latitude=latitude, longitude=longitude)
    problems, measures = [], []
    days = [datetime.date(2026, 9, 5), datetime.date(2026, 10, 12), datetime.date(2026, 11, 20), datetime.date(2026, 6, 1)]
    for index, org in enumerate(orgs):
        for number, day in enumerate(days[: 2 + index % 3]):
            problems.append(Problem(org=org, org_path=org.path, title=f"{org.short_name or org.name}问题{number}",
                                    source="residents", category="livelihood",
                                    level_class="county" if org == cast.orgs["agency"] else "grassroots",
                                    found_on=day, status="closed" if (index + number) % 3 == 0 else "rectifying"))
    Problem.objects.bulk_create(problems)
    for index, problem in enumerate(Problem.objects.filter(title__contains="问题").order_by("id")):
        for number in range(1 + index % 3):
            measures.append(Measure(problem=problem, org_id=problem.org_id, org_path=problem.org_path,
                                    text=f"{problem.title}措施{number}", responsible_person="张三",
                                    deadline=datetime.date(2026, 12, 31), level_class=problem.level_class,
                                    status="verified" if (index + number) % 2 == 0 else "in_progress"))
    Measure.objects.bulk_create(measures)
    category, _ = Category.objects.get_or_create(code="figures", defaults={"name": "环境卫生"})
    requests = []
    for index, org in enumerate(orgs[:4] * 3):
        submitted = _aware(days[index % 4], 9)
        answered = submitted + datetime.timedelta(days=1 + index % 4) if index % 3 else None
        status = ("rated" if index % 4 == 1 else "published") if answered else "handling"
        requests.append(Request(org=org, org_path=org.path, number=f"SQFIG{index:04d}", category=category,
                                text=f"诉求{index}", submitted_at=submitted, answer_due=submitted,
                                resolve_due=submitted + datetime.timedelta(days=2), answered_at=answered,
                                status=status, rating=("satisfied" if index % 2 else "unsatisfied") if status == "rated" else ""))
    Request.objects.bulk_create(requests)
    Suggestion.objects.bulk_create([
        Suggestion(org=org, org_path=org.path, text=f"建议{index}", status="adopted" if index % 2 else "received")
        for index, org in enumerate(orgs * 2)
    ])
    rollups.rebuild(ledger_rollups.LEDGER)  # bulk rows bypass the services that keep the roll-ups
    rollups.rebuild(voices_rollups.VOICES)
    return {"problems": len(problems), "measures": len(measures), "requests": len(requests)}

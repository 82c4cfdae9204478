"""The ledger's roll-up: problems and measures per org, month of the problem's discovery and level class.

The conditions are those of the ledger's indicators (`indicators.py`), so a figure read from the
roll-up equals the count of its records.
"""

from django.db.models import Q

from yuntu.indicators import rollups
from yuntu.indicators.rollups import Rollup, Source

from .workflow import MeasureStatus, ProblemStatus

PROBLEM_CLOSED = Q(status=ProblemStatus.CLOSED)
MEASURE_COMPLETED = Q(status=MeasureStatus.VERIFIED)

LEDGER = rollups.register(Rollup(model="ledger.LedgerCount", sources=(
    Source(model="ledger.Problem", date_field="found_on", keys=("level_class",),
           counts={"problems": Q(), "problems_closed": PROBLEM_CLOSED}),
    Source(model="ledger.Measure", date_field="problem__found_on", keys=("level_class",),
           counts={"measures": Q(), "measures_completed": MEASURE_COMPLETED}),
)))


def _records(problems, measures, with_measures: bool = True) -> dict:
    from .models import Measure, Problem

    problem_ids = [problem.pk for problem in problems]
    measure_ids = [measure.pk for measure in measures]
    owned = Q(problem_id__in=problem_ids) if with_measures else Q(pk__in=[])
    return {"ledger.Problem": Problem.objects.filter(pk__in=problem_ids),
            "ledger.Measure": Measure.objects.filter(Q(pk__in=measure_ids) | owned)}


def tracking(*, problems=(), measures=(), with_measures: bool = True):
    """Keep the roll-up right across a change of these problems (and their measures, whose month is
    the problem's) and of these measures."""
    return rollups.tracking(LEDGER, lambda: _records(problems, measures, with_measures))


def added(*, problems=(), measures=()) -> None:
    """Count new records (a problem with the measures it has, or measures)."""
    rollups.apply(LEDGER, {}, rollups.measure(LEDGER, _records(problems, measures)))


def rebuild(apps=None) -> int:
    return rollups.rebuild(LEDGER, **({"apps": apps} if apps else {}))

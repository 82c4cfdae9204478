"""The voices' roll-up: requests and suggestions per org and month, with the indicators' own conditions.

`indicators.py` builds its records from the same conditions, so a figure read from the roll-up
equals the count of its records.
"""

from django.db.models import F, Q

from yuntu.indicators import rollups
from yuntu.indicators.rollups import Rollup, Source

from .workflow import Rating, RequestStatus

PUBLIC_STATUSES = (RequestStatus.PUBLISHED, RequestStatus.RATED)
REQUEST_BASE = Q(merged_into__isnull=True)  # a merged duplicate counts once, as the request it joined
REQUEST_COUNTS = {
    "requests": Q(),
    "requests_resolved": Q(status__in=PUBLIC_STATUSES),
    "requests_answered": Q(answered_at__isnull=False),
    "requests_on_time": Q(answered_at__isnull=False, answered_at__lte=F("resolve_due")),
    "requests_rated": Q(status=RequestStatus.RATED),
    "requests_satisfied": Q(rating__in=(Rating.SATISFIED, Rating.BASIC)),
}
SUGGESTION_COUNTS = {"suggestions": Q(), "suggestions_adopted": Q(status="adopted")}

VOICES = rollups.register(Rollup(model="voices.VoicesCount", sources=(
    Source(model="voices.Request", date_field="submitted_at", base=REQUEST_BASE, counts=REQUEST_COUNTS),
    Source(model="voices.Suggestion", date_field="created_at", counts=SUGGESTION_COUNTS),
)))


def _records(requests, suggestions) -> dict:
    from .models import Request, Suggestion

    return {"voices.Request": Request.objects.filter(pk__in=[request.pk for request in requests]),
            "voices.Suggestion": Suggestion.objects.filter(pk__in=[suggestion.pk for suggestion in suggestions])}


def tracking(*, requests=(), suggestions=()):
    """Keep the roll-up right across a change of these requests and suggestions."""
    return rollups.tracking(VOICES, lambda: _records(requests, suggestions))


def added(*, requests=(), suggestions=()) -> None:
    rollups.apply(VOICES, {}, rollups.measure(VOICES, _records(requests, suggestions)))


def rebuild(apps=None) -> int:
    return rollups.rebuild(VOICES, **({"apps": apps} if apps else {}))

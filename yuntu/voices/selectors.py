"""Reads for residents' voices, limited to what the acting user may see; figures are grouped SQL."""

import math
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from yuntu.accounts.policy import scope_q
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Org

from .models import Dispatch, Request, Suggestion
from .workflow import OPEN_STATUSES, DispatchStatus, Rating, RequestStatus

PUBLIC_STATUSES = (RequestStatus.PUBLISHED, RequestStatus.RATED)
METRES_PER_DEGREE = 111_320


def requests_visible_to(user) -> QuerySet[Request]:
    """Staff see their subtree's requests; a department sees those dispatched to it."""
    own = scope_q(user, Permission.VOICES_VIEW, "org_path")
    dispatched = scope_q(user, Permission.VOICES_DEPARTMENT, "dispatches__org_path")
    ids = Request.objects.filter(dispatched).values("pk")
    return Request.objects.filter(own | Q(pk__in=ids)).select_related("category", "org")


def requests_of_resident(user) -> QuerySet[Request]:
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    return Request.objects.filter(resident=user).select_related("category", "org").order_by("-submitted_at")


def public_board(*, org: Org | None = None, category: str = "", query: str = "") -> QuerySet[Request]:
    """晒事: published requests for everyone; the fields shown must never include personal data."""
    requests = Request.objects.filter(status__in=PUBLIC_STATUSES, merged_into__isnull=True)
    if org is not None:
        requests = requests.filter(org_path__under=org.path)
    if category:
        requests = requests.filter(category__code=category)
    if query:
        requests = requests.filter(text__contains=query)
    return requests.select_related("category", "org").only(
        "number", "text", "address", "latitude", "longitude", "status", "reply", "rating", "submitted_at",
        "answered_at", "category__name", "category__code", "org__name", "org_path",
    ).order_by("-answered_at", "-id")


def dispatches_for_department(user, *, status: str = "") -> QuerySet[Dispatch]:
    dispatches = Dispatch.objects.filter(scope_q(user, Permission.VOICES_DEPARTMENT, "org_path"))
    if status:
        dispatches = dispatches.filter(status=status)
    return dispatches.select_related("request", "request__category", "org").order_by("deadline")


def overdue_dispatches(user, *, now=None) -> QuerySet[Dispatch]:
    now = now or clock.now()
    scope = scope_q(user, Permission.VOICES_DEPARTMENT, "org_path") | scope_q(user, Permission.VOICES_VIEW, "request__org_path")
    return Dispatch.objects.filter(scope, status__in=(DispatchStatus.PENDING, DispatchStatus.ACCEPTED),
                                   deadline__lt=now).select_related("request", "org").order_by("deadline")


def overdue_requests(*, now=None) -> QuerySet[Request]:
    """Every open request past its deadline, for the escalation task (runs as the system)."""
    now = now or clock.now()
    return Request.objects.filter(status__in=OPEN_STATUSES, resolve_due__lt=now, escalated_at__isnull=True)


def _bigrams(text: str) -> set[str]:
    text = "".join(ch for ch in text if not ch.isspace())
    return {text[index:index + 2] for index in range(len(text) - 1)} or {text}


def similar_open_requests(*, category, text: str, latitude=None, longitude=None, radius_m: int = 200,
                          limit: int = 5) -> list[dict]:
    """Open items of the same category near a point with similar text, to warn of duplicates.

    A bounding box on the indexed coordinates narrows the candidates in SQL; only those few are
    scored (distance and character-bigram overlap) here.
    """
    candidates = Request.objects.filter(category=category, status__in=OPEN_STATUSES, merged_into__isnull=True)
    if latitude not in (None, "") and longitude not in (None, ""):
        lat, lon = float(latitude), float(longitude)
        dlat = radius_m / METRES_PER_DEGREE
        dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.1))
        candidates = candidates.filter(latitude__range=(Decimal(lat - dlat), Decimal(lat + dlat)),
                                       longitude__range=(Decimal(lon - dlon), Decimal(lon + dlon)))
    else:
        lat = lon = None
    words = _bigrams(text)
    results = []
    for item in candidates.order_by("-submitted_at")[:200].values("pk", "number", "text", "latitude", "longitude", "status"):
        similarity = len(words & _bigrams(item["text"])) / max(len(words | _bigrams(item["text"])), 1)
        distance = None
        if lat is not None and item["latitude"] is not None:
            dy = (float(item["latitude"]) - lat) * METRES_PER_DEGREE
            dx = (float(item["longitude"]) - lon) * METRES_PER_DEGREE * math.cos(math.radians(lat))
            distance = math.hypot(dx, dy)
            if distance > radius_m:
                continue
        if similarity >= 0.2:
            results.append({**item, "similarity": round(similarity, 2), "distance_m": None if distance is None else round(distance)})
    return sorted(results, key=lambda row: -row["similarity"])[:limit]


def voices_figures(requests: QuerySet[Request]) -> dict:
    """Received, answered on time, resolved and satisfaction over a set of requests (one grouped query)."""
    figures = requests.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        answered_on_time=Count("id", filter=Q(answered_at__isnull=False, answered_at__lte=F("resolve_due"))),
        resolved=Count("id", filter=Q(status__in=PUBLIC_STATUSES)),
        rated=Count("id", filter=Q(status=RequestStatus.RATED)),
        satisfied=Count("id", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASIC))),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
    )
    figures["on_time_rate"] = round(figures["answered_on_time"] * 100 / figures["answered"], 1) if figures["answered"] else None
    figures["satisfaction_rate"] = round(figures["satisfied"] * 100 / figures["rated"], 1) if figures["rated"] else None
    return figures


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(scope_q(user, Permission.VOICES_VIEW, "org_path")).select_related("org", "drive", "measure")


def suggestion_figures(user, *, org: Org) -> dict:
    return suggestions_visible_to(user).filter(org_path__under=org.path).aggregate(
        collected=Count("id"), adopted=Count("id", filter=Q(status=Suggestion.Status.ADOPTED)),
        measures=Count("measure", distinct=True),
    )

"""Reads for residents' voices, limited to what the acting user may see; figures are grouped SQL."""

import math
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Length

from yuntu.accounts.policy import scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Level, Org, Sector

from .models import Dispatch, Request, RequestEvent, Suggestion, SuggestionDrive
from .workflow import CLOSED_STATUSES, OPEN_STATUSES, STAGE_OF_STATUS, DispatchStatus, Rating, RequestStatus

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


def resident_summary(user) -> dict | None:
    """The resident's own items in three numbers (all, open, answered and awaiting a rating); None when signed out."""
    if not getattr(user, "is_authenticated", False):
        return None
    return requests_of_resident(user).aggregate(
        total=Count("id"), open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        to_rate=Count("id", filter=Q(status=RequestStatus.PUBLISHED)))


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
        "answered_at", "category__name", "category__code", "org__name", "org__short_name", "org_path",
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


# ---- intake routing, Open311 and departments (reads that run as the system or for the public) ---------

RESIDENTIAL_SECTORS = (Sector.COMMUNITY, Sector.VILLAGE, "")
NEAR_BOXES = (0.05, 0.2)  # degrees: look near the point first, so the ordering scans few rows


def residential_communities() -> QuerySet[Org]:
    """Communities and villages that take residents' requests (not the organs' committees at the same level)."""
    return Org.objects.filter(level=Level.COMMUNITY, is_active=True, sector__in=RESIDENTIAL_SECTORS)


def community_for_point(*, latitude=None, longitude=None, address: str = "", category=None) -> Org | None:
    """The community that receives a request filed from outside (Open311): the one nearest to the point.

    Without a usable point: a community whose short name appears in the address; then the community
    above the category's responsible org; then the first community of the tree.
    """
    communities = residential_communities()
    if latitude not in (None, "") and longitude not in (None, ""):
        lat, lon = float(latitude), float(longitude)
        scale = max(math.cos(math.radians(lat)), 0.1)
        located = communities.filter(latitude__isnull=False, longitude__isnull=False)
        distance = ExpressionWrapper(
            (Cast("latitude", FloatField()) - lat) * (Cast("latitude", FloatField()) - lat)
            + (Cast("longitude", FloatField()) - lon) * (Cast("longitude", FloatField()) - lon) * (scale * scale),
            output_field=FloatField(),
        )
        for box in (*NEAR_BOXES, None):
            candidates = located
            if box is not None:
                candidates = candidates.filter(latitude__range=(Decimal(str(lat - box)), Decimal(str(lat + box))),
                                               longitude__range=(Decimal(str(lon - box)), Decimal(str(lon + box))))
            nearest = candidates.annotate(distance=distance).order_by("distance", "path").first()
            if nearest is not None:
                return nearest
    address = (address or "").strip()
    if address:
        named = (communities.exclude(short_name="").alias(place=Value(address[:255], output_field=CharField()))
                 .filter(place__contains=F("short_name")).annotate(name_length=Length("short_name"))
                 .order_by("-name_length", "path").first())
        if named is not None:
            return named
    responsible = getattr(category, "responsible_org", None)
    if responsible is not None:
        if responsible.level == Level.COMMUNITY and responsible.sector in RESIDENTIAL_SECTORS:
            return responsible
        above = (communities.filter(path__in=[responsible.path[:end] for end in range(Org.steplen, len(responsible.path),
                                                                                        Org.steplen)])
                 .order_by("-depth").first())
        if above is not None:
            return above
    return communities.order_by("path").first()


OPEN311_COLUMNS = (
    "number", "text", "address", "latitude", "longitude", "status", "reply", "decline_reason", "rating",
    "reopened_count", "submitted_at", "updated_at", "answer_due", "resolve_due", "answered_at", "channel",
    "category__code", "category__name", "org__name", "merged_into__number",
)


def open311_requests(*, ids: list[str] | None = None, service_codes: list[str] | None = None, statuses: list[str] | None = None,
                     start=None, end=None, updated_after=None, updated_before=None, limit: int = 1000) -> QuerySet[Request]:
    """Requests as Open311 shows them to anyone: only the columns without personal data are loaded.

    `ids` (request numbers) overrides every other filter, as the GeoReport spec says. `statuses`
    are the spec's `open` / `closed`.
    """
    requests = Request.objects.all()
    if ids:
        requests = requests.filter(number__in=ids)
    else:
        if service_codes:
            requests = requests.filter(category__code__in=service_codes)
        if statuses:
            wanted = set(statuses)
            if wanted == {"open"}:
                requests = requests.filter(status__in=OPEN_STATUSES)
            elif wanted == {"closed"}:
                requests = requests.filter(status__in=CLOSED_STATUSES)
        if start is not None:
            requests = requests.filter(submitted_at__gte=start)
        if end is not None:
            requests = requests.filter(submitted_at__lte=end)
        if updated_after is not None:
            requests = requests.filter(updated_at__gte=updated_after)
        if updated_before is not None:
            requests = requests.filter(updated_at__lte=updated_before)
    ordering = ("updated_at", "id") if updated_after is not None and not ids else ("-submitted_at", "-id")
    return (requests.select_related("category", "org", "merged_into").only(*OPEN311_COLUMNS)
            .order_by(*ordering)[:limit])



def open311_updates(*, start=None, end=None, limit: int = 1000) -> QuerySet[RequestEvent]:
    """Public timeline events (the servicerequestupdates extension), oldest first."""
    events = RequestEvent.objects.filter(public=True)
    if start is not None:
        events = events.filter(occurred_at__gte=start)
    if end is not None:
        events = events.filter(occurred_at__lte=end)
    return (events.select_related("request").only("action", "label", "text", "occurred_at", "request__number",
                                                  "request__status")
            .order_by("occurred_at", "id")[:limit])


def dispatch_departments(request: Request) -> QuerySet[Org]:
    """The departments a request may be dispatched to: the organs (机关) of its own deployment.

    An organ is a 机关党委 or a 机关党支部 (community or branch level, agency sector); the committees
    above them, temporary branches and the retired cadres' branches do not answer dispatches.
    """
    return (Org.objects.filter(path__under=request.org_path[:Org.steplen], sector=Sector.AGENCY, is_active=True,
                               temporary=False, level__in=(Level.COMMUNITY, Level.BRANCH))
            .exclude(name__contains="离退休").order_by("path"))


def overdue_dispatches_unreminded(*, now=None, since=None) -> QuerySet[Dispatch]:
    """Open dispatches past their deadline not yet reminded since `since` (for the daily reminder; runs as the system)."""
    now = now or clock.now()
    dispatches = Dispatch.objects.filter(status__in=(DispatchStatus.PENDING, DispatchStatus.ACCEPTED), deadline__lt=now)
    if since is not None:
        reminded = RequestEvent.objects.filter(action="dispatch_overdue", occurred_at__gte=since, dispatch__isnull=False)
        dispatches = dispatches.exclude(pk__in=reminded.values("dispatch_id"))
    return dispatches


def overdue_dispatches_by_department(*, now=None, under: Org | None = None) -> list[dict]:
    """Open dispatches past their deadline, counted per department (one grouped query), most overdue first."""
    now = now or clock.now()
    dispatches = Dispatch.objects.filter(status__in=(DispatchStatus.PENDING, DispatchStatus.ACCEPTED), deadline__lt=now)
    if under is not None:
        dispatches = dispatches.filter(org_path__under=under.path)
    rows = (dispatches.values("org_id", "org__name").annotate(overdue=Count("id"), oldest=Min("deadline"))
            .order_by("oldest", "org_id"))
    return [{"org_id": row["org_id"], "name": row["org__name"], "overdue": row["overdue"], "oldest_deadline": row["oldest"]}
            for row in rows]


def suggestion_totals(suggestions: QuerySet[Suggestion]) -> dict:
    """Collected, adopted and the measures they became, over a set of suggestions (one query)."""
    return suggestions.aggregate(collected=Count("id"), adopted=Count("id", filter=Q(status=Suggestion.Status.ADOPTED)),
                                 measures=Count("measure", distinct=True))


# ---- the pages: staff lists, the resident's portal and the public board ----------------------------------

BOARD_POINT_LIMIT = 500


def request_list(user, *, status: str = "", stage: str = "", category: str = "", overdue: bool = False,
                 query: str = "", now=None) -> QuerySet[Request]:
    """The staff list: visible requests with the page's filters (`stage` is one of the five stages)."""
    requests = requests_visible_to(user)
    if status:
        requests = requests.filter(status=status)
    if stage:
        requests = requests.filter(status__in=[value for value, of in STAGE_OF_STATUS.items() if of == stage])
    if category:
        requests = requests.filter(category__code=category)
    if overdue:
        requests = requests.filter(status__in=OPEN_STATUSES, resolve_due__lt=now or clock.now())
    if query:
        requests = requests.filter(Q(number=query) | Q(text__contains=query) | Q(address__contains=query))
    return requests.order_by("-submitted_at", "-id")


def overdue_requests_visible_to(user, *, now=None) -> QuerySet[Request]:
    return requests_visible_to(user).filter(status__in=OPEN_STATUSES, resolve_due__lt=now or clock.now()).order_by(
        "resolve_due", "id")


def overdue_dispatch_counts(user, *, now=None) -> list[dict]:
    """Overdue dispatches the user may see, counted per department in one grouped query."""
    rows = (overdue_dispatches(user, now=now).order_by().values("org_id", "org__name")
            .annotate(overdue=Count("id"), oldest=Min("deadline")).order_by("oldest", "org_id"))
    return [{"org_id": row["org_id"], "name": row["org__name"], "overdue": row["overdue"], "oldest_deadline": row["oldest"]}
            for row in rows]


def merge_candidates(user, request: Request, *, limit: int = 20) -> list[Request]:
    """Open requests of the same community a request may be merged into: the similar ones first."""
    similar = [row["pk"] for row in similar_open_requests(category=request.category, text=request.text,
                                                          latitude=request.latitude, longitude=request.longitude,
                                                          limit=limit + 1) if row["pk"] != request.pk]
    same_place = requests_visible_to(user).filter(org_path=request.org_path, status__in=OPEN_STATUSES,
                                                  merged_into__isnull=True).exclude(pk=request.pk)
    chosen = {item.pk: item for item in same_place.filter(pk__in=similar)}
    ordered = [chosen[pk] for pk in similar if pk in chosen]
    rest = same_place.filter(category=request.category).exclude(pk__in=similar).order_by("-submitted_at")
    return (ordered + list(rest[:limit]))[:limit]


def public_timeline(request: Request) -> QuerySet[RequestEvent]:
    """What the resident and the board see of a request's history: public events, never who acted."""
    return request.events.filter(public=True).only("action", "label", "text", "occurred_at", "request_id")


def community_for_intake(*, resident=None, latitude=None, longitude=None, address: str = "", category=None) -> Org | None:
    """The community a portal request goes to: nearest to the point when communities are located,
    else the signed-in resident's own community, else by the address or the category."""
    located = residential_communities().filter(latitude__isnull=False).exists()
    if latitude not in (None, "") and longitude not in (None, "") and located:
        return community_for_point(latitude=latitude, longitude=longitude)
    own = getattr(getattr(resident, "resident", None), "community", None) if resident is not None else None
    if own is not None:
        return own
    return community_for_point(address=address, category=category)


def board_communities() -> QuerySet[Org]:
    """Communities that have something on the board (the filter offers no empty ones)."""
    published = Request.objects.filter(org=OuterRef("pk"), status__in=PUBLIC_STATUSES, merged_into__isnull=True)
    return residential_communities().filter(Exists(published)).order_by("path")


def board_points(requests: QuerySet[Request], *, limit: int = BOARD_POINT_LIMIT) -> list[dict]:
    """The located items of a board set for its map: number, category and point only."""
    return list(requests.filter(latitude__isnull=False, longitude__isnull=False).order_by("-answered_at", "-id")
                .values("pk", "number", "category__name", "latitude", "longitude")[:limit])


def open_drives(*, today=None) -> QuerySet[SuggestionDrive]:
    today = today or clock.today()
    return SuggestionDrive.objects.filter(starts_on__lte=today, ends_on__gte=today).select_related("org").order_by(
        "ends_on", "id")


def suggestion_list(user, *, status: str = "", drive: str = "", query: str = "") -> QuerySet[Suggestion]:
    suggestions = suggestions_visible_to(user)
    if status:
        suggestions = suggestions.filter(status=status)
    if drive and str(drive).isdigit():
        suggestions = suggestions.filter(drive_id=int(drive))
    if query:
        suggestions = suggestions.filter(text__contains=query)
    return suggestions.order_by("-created_at", "-id")


def suggestion_figures_by_unit(user, *, limit: int = 200) -> list[dict]:
    """Suggestions collected and adopted per owning unit, in one grouped query over what the user sees."""
    rows = (suggestions_visible_to(user).order_by().values("org_id", "org__name")
            .annotate(collected=Count("id"), adopted=Count("id", filter=Q(status=Suggestion.Status.ADOPTED)),
                      measures=Count("measure", distinct=True))
            .order_by("-collected", "org_id")[:limit])
    return [{**row, "adoption_rate": round(row["adopted"] * 100 / row["collected"], 1) if row["collected"] else None}
            for row in rows]


def adoptable_problems(user):
    """Ledger problems the user may add a measure to (open, in their ledger.edit scope), latest first."""
    from yuntu.ledger.models import Problem  # the ledger is optional to voices: imported where it is used
    from yuntu.ledger.workflow import ProblemStatus

    return (visible(user, Problem, Permission.LEDGER_EDIT).exclude(status=ProblemStatus.CLOSED)
            .select_related("org").order_by("-found_on", "-id"))


def board_requests(*, org: Org | None = None, category: str = "") -> QuerySet[Request]:
    """The set the board's figures are about: every request received (merged duplicates counted once)."""
    requests = Request.objects.filter(merged_into__isnull=True)
    if org is not None:
        requests = requests.filter(org_path__under=org.path)
    if category:
        requests = requests.filter(category__code=category)
    return requests


def suggestions_of_author(user) -> QuerySet[Suggestion]:
    if not getattr(user, "is_authenticated", False):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(author=user).select_related("drive").order_by("-created_at", "-id")

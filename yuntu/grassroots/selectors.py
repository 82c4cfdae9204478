"""Reads of 四下基层, limited to what the acting user may see.

The frontline record of a cadre is seen by the cadre, by the leaders of the cadre's org (holders of
`grassroots.record` above or at it who are not themselves the cadre's peers or juniors there) and by
the organisation department (`grassroots.appraise`); nobody else.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.policy import scope_paths, visible
from yuntu.accounts.roles import ROLE_PERMISSIONS, Permission
from yuntu.core import clock
from yuntu.orgs.models import Member, Org

from .models import (
    Assignment,
    Contact,
    Demand,
    Enterprise,
    FieldVisit,
    MediationCase,
    Pairing,
    PairingVisit,
    Proposal,
    ReceptionBooking,
    ReceptionDay,
    ResearchTopic,
    SiteProblem,
)
from .workflow import BookingStatus, ContactKind

VIEW = Permission.GRASSROOTS_VIEW
LEADER_ROLES = tuple(role for role, permissions in ROLE_PERMISSIONS.items() if Permission.GRASSROOTS_RECORD in permissions)
CADRE_ROLES = tuple(role for role in ROLE_PERMISSIONS if role != "resident")
RESOLVED_STATUSES = ("published", "rated")  # a voices request answered in public: the demand ended


def topics_visible_to(user) -> QuerySet:
    return visible(user, ResearchTopic, VIEW).select_related("org", "lead")


def contacts_visible_to(user) -> QuerySet:
    return visible(user, Contact, VIEW).select_related("org", "cadre", "request", "household", "enterprise")


def reception_days_visible_to(user) -> QuerySet:
    return visible(user, ReceptionDay, VIEW).select_related("org", "leader")


def bookings_visible_to(user) -> QuerySet:
    return visible(user, ReceptionBooking, VIEW).select_related("day", "day__leader")


def mediations_visible_to(user) -> QuerySet:
    return visible(user, MediationCase, VIEW).select_related("org", "mediator")


def mediations_with_sessions_visible_to(user) -> QuerySet:
    return mediations_visible_to(user).annotate(session_count=Count("sessions"))


def enterprises_visible_to(user) -> QuerySet:
    return visible(user, Enterprise, VIEW).select_related("org")


def pairings_visible_to(user) -> QuerySet:
    """Pairings in the user's scope, and the user's own pairings wherever they are."""
    scoped = visible(user, Pairing, VIEW)
    own = Pairing.objects.filter(cadre=user) if getattr(user, "is_authenticated", False) else Pairing.objects.none()
    return (scoped | own).distinct().select_related("org", "cadre", "department", "enterprise", "target_org")


def demands_visible_to(user) -> QuerySet:
    scoped = visible(user, Demand, VIEW)
    own = Demand.objects.filter(pairing__cadre=user) if getattr(user, "is_authenticated", False) else Demand.objects.none()
    return (scoped | own).distinct().select_related("pairing", "pairing__enterprise", "pairing__target_org", "request",
                                                    "raised_by")


# ---- the public schedule and the resident's bookings --------------------------------------------


def reception_schedule(*, days_ahead: int = 60) -> QuerySet:
    """Reception days from today on, public by design: leader, title, place, times, free slots counted by the page."""
    today = clock.today()
    live = ReceptionBooking.objects.filter(day=OuterRef("pk")).exclude(status=BookingStatus.CANCELLED)
    return (ReceptionDay.objects.filter(date__gte=today, date__lte=today + datetime.timedelta(days=days_ahead))
            .select_related("org", "leader").annotate(booked=Count("bookings", filter=~Q(bookings__status="cancelled")),
                                                      any_booked=Exists(live))
            .order_by("date", "starts_at", "id"))


def booked_slots(day: ReceptionDay) -> set[datetime.time]:
    return set(day.bookings.exclude(status=BookingStatus.CANCELLED).values_list("slot", flat=True))


def bookings_of_resident(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return ReceptionBooking.objects.none()
    return ReceptionBooking.objects.filter(resident=user).select_related("day", "day__leader", "contact",
                                                                         "contact__request")


# ---- frontline records 一线纪实 -----------------------------------------------------------------


def cadre_paths(cadre) -> list[str]:
    """The org paths a cadre works in: the orgs of their role grants and of their member record."""
    paths = list(RoleGrant.objects.filter(user=cadre).values_list("org_path", flat=True))
    paths += list(Member.objects.filter(user=cadre).values_list("org_path", flat=True))
    return sorted(set(paths))


def _prefixes(path: str) -> list[str]:
    step = Org.steplen
    return [path[:length] for length in range(step, len(path) + 1, step)]


def may_see_record(viewer, cadre) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == cadre.pk:
        return True
    paths = cadre_paths(cadre)
    if any(path.startswith(prefix) for prefix in scope_paths(viewer, Permission.GRASSROOTS_APPRAISE) for path in paths):
        return True
    cadre_lead = list(RoleGrant.objects.filter(user=cadre, role__in=LEADER_ROLES).values_list("org_path", flat=True))
    for lead in scope_paths(viewer, Permission.GRASSROOTS_RECORD):
        covered = any(path.startswith(lead) for path in paths)
        peer_or_senior = any(lead.startswith(own) for own in cadre_lead)  # leads at the same node or above it
        if covered and not peer_or_senior:
            return True
    return False


def cadres_visible_to(viewer) -> QuerySet:
    """Cadres whose frontline record the viewer may open, in one query (the rule of `may_see_record`)."""
    if not getattr(viewer, "is_authenticated", False):
        return User.objects.none()

    def under(path: str) -> Q:
        return (Q(grants__org_path__under=path, grants__role__in=CADRE_ROLES)
                | Q(member__org_path__under=path))

    condition = Q(pk=viewer.pk)
    for path in scope_paths(viewer, Permission.GRASSROOTS_APPRAISE):
        condition |= under(path)
    for lead in scope_paths(viewer, Permission.GRASSROOTS_RECORD):
        seniors = RoleGrant.objects.filter(role__in=LEADER_ROLES, org_path__in=_prefixes(lead) or [""]).values("user_id")
        condition |= under(lead) & ~Q(pk__in=seniors)
    return User.objects.filter(condition).distinct().order_by("display_name", "id")


def _period(queryset: QuerySet, field: str, start, end) -> QuerySet:
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def frontline_record(user, cadre, *, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """The cadre's record over a period, assembled from the records themselves, for a user who may see it."""
    if not may_see_record(user, cadre):
        raise Http404("干部不存在或不在您的查看范围内。")
    topics = _period(ResearchTopic.objects.filter(lead=cadre), "starts_on", start, end).select_related("org")
    field_visits = _period(FieldVisit.objects.filter(visitor=cadre), "visited_on", start, end).select_related("topic", "org")
    site_problems = SiteProblem.objects.filter(visit__in=field_visits).select_related("visit")
    contacts = _period(Contact.objects.filter(cadre=cadre), "contacted_on", start, end).select_related(
        "org", "request", "household", "enterprise")
    pairing_visits = _period(PairingVisit.objects.filter(visitor=cadre), "visited_on", start, end).select_related(
        "pairing", "pairing__enterprise", "pairing__target_org")
    demands = Demand.objects.filter(Q(raised_by=cadre) | Q(pairing__cadre=cadre))
    demands = _period(demands, "raised_on", start, end).select_related(
        "request", "pairing", "pairing__enterprise", "pairing__target_org").prefetch_related("request__dispatches__org")
    mediations = _period(MediationCase.objects.filter(mediator=cadre), "opened_on", start, end).annotate(
        session_count=Count("sessions"))
    assignments = Assignment.objects.filter(cadre=cadre).select_related("org")
    if start:
        assignments = assignments.filter(ends_on__gte=start)
    if end:
        assignments = assignments.filter(starts_on__lte=end)
    proposals = Proposal.objects.filter(topic__in=topics)

    def hours(queryset, field="hours"):
        return queryset.aggregate(total=Sum(field))["total"] or 0

    site = site_problems.aggregate(found=Count("id"), solved=Count("id", filter=Q(solved_on_site=True)))
    demand_totals = demands.aggregate(raised=Count("id"), resolved=Count("id", filter=Q(request__status__in=RESOLVED_STATUSES)))
    mediation_hours = _period(MediationCase.objects.filter(mediator=cadre), "opened_on", start, end).aggregate(
        total=Sum("sessions__hours"))["total"] or 0
    days_assigned = sum(((min(item.ends_on, end or item.ends_on) - max(item.starts_on, start or item.starts_on)).days + 1)
                        for item in assignments)
    totals = {
        "topics": topics.count(),
        "proposals": proposals.count(),
        "proposals_adopted": proposals.filter(status="adopted").count(),
        "field_visits": field_visits.count(),
        "problems_found": site["found"],
        "problems_solved_on_site": site["solved"],
        "contacts": contacts.count(),
        "household_visits": contacts.filter(kind=ContactKind.HOUSEHOLD_VISIT).count(),
        "requests_from_contacts": contacts.filter(request__isnull=False).count(),
        "pairing_visits": pairing_visits.count(),
        "enterprises_visited": pairing_visits.filter(pairing__enterprise__isnull=False)
        .values("pairing__enterprise").distinct().count(),
        "demands_raised": demand_totals["raised"],
        "demands_resolved": demand_totals["resolved"],
        "mediations": mediations.count(),
        "frontline_hours": hours(field_visits) + hours(contacts) + hours(pairing_visits) + mediation_hours,
        "assignment_days": days_assigned,
    }
    return {"cadre": cadre, "start": start, "end": end, "totals": totals, "topics": topics,
            "field_visits": field_visits, "site_problems": site_problems, "contacts": contacts,
            "pairing_visits": pairing_visits, "demands": demands, "mediations": mediations, "assignments": assignments,
            "member": Member.objects.filter(user=cadre).select_related("org").first(),
            "units": Org.objects.filter(grants__user=cadre).distinct()}


def household_visits_by_member(*, year: int, members: QuerySet | None = None, in_difficulty: bool = True) -> dict[int, int]:
    """Household visits (走访) per party member for a year, from one grouped query: {member id: visits}.

    The visitor counts as a member through `Member.user`; `members`, a queryset the caller has already
    scoped, limits whom to count. With `in_difficulty` only visits to families in difficulty count (5+X).
    """
    visits = Contact.objects.filter(kind=ContactKind.HOUSEHOLD_VISIT, contacted_on__gte=datetime.date(year, 1, 1),
                                    contacted_on__lt=datetime.date(year + 1, 1, 1), cadre__member__isnull=False)
    if in_difficulty:
        visits = visits.filter(in_difficulty=True)
    if members is not None:
        visits = visits.filter(cadre__member__in=members.values("pk"))
    rows = visits.values("cadre__member").annotate(visits=Count("id")).order_by()
    return {row["cadre__member"]: row["visits"] for row in rows}

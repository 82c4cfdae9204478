"""Reads for the lecture menu, limited to what the acting user may see; figures are grouped SQL."""

import datetime

from django.db.models import Avg, Count, Q, QuerySet, Sum

from yuntu.accounts.policy import scope_q
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Member

from .models import LectureOrder, Lecturer, LectureRating, LectureTeam, Topic
from .workflow import OrderStatus

DELIVERED_STATUSES = (OrderStatus.DELIVERED, OrderStatus.RATED)


def public_menu() -> QuerySet[Topic]:
    """The menu as residents see it: topics on offer from active teams."""
    return (Topic.objects.filter(is_active=True, team__is_active=True).select_related("team")
            .order_by("team__name", "title", "id"))


def teams_visible_to(user) -> QuerySet[LectureTeam]:
    return LectureTeam.objects.filter(scope_q(user, Permission.LECTURES_VIEW, "org_path")).select_related("org")


def lecturers_visible_to(user) -> QuerySet[Lecturer]:
    return Lecturer.objects.filter(scope_q(user, Permission.LECTURES_VIEW, "org_path")).select_related("team")


def topics_visible_to(user) -> QuerySet[Topic]:
    return Topic.objects.filter(scope_q(user, Permission.LECTURES_VIEW, "org_path")).select_related("team")


def orders_visible_to(user) -> QuerySet[LectureOrder]:
    return (LectureOrder.objects.filter(scope_q(user, Permission.LECTURES_VIEW, "org_path"))
            .select_related("topic", "team", "lecturer", "orderer"))


def orders_of_orderer(user) -> QuerySet[LectureOrder]:
    if not getattr(user, "is_authenticated", False):
        return LectureOrder.objects.none()
    return (LectureOrder.objects.filter(orderer=user).select_related("topic", "team", "lecturer")
            .order_by("-starts_at", "-id"))


def _period(orders: QuerySet, start: datetime.date | None, end: datetime.date | None) -> QuerySet:
    if start:
        orders = orders.filter(delivered_on__gte=start)
    if end:
        orders = orders.filter(delivered_on__lt=end)
    return orders


def figures_by_team(user, *, start: datetime.date | None = None, end: datetime.date | None = None) -> list[dict]:
    """Per team the user may see: orders, sessions delivered, audience, average rating (two grouped queries)."""
    teams = teams_visible_to(user)
    delivered = _period(LectureOrder.objects.filter(team__in=teams.values("pk"), status__in=DELIVERED_STATUSES),
                        start, end)
    sessions = {row["team"]: row for row in delivered.values("team").order_by()
                .annotate(sessions=Count("pk"), audience=Sum("attendance"))}
    ratings = {row["order__team"]: row for row in LectureRating.objects.filter(order__in=delivered.values("pk"))
               .values("order__team").order_by().annotate(rating=Avg("score"), ratings=Count("pk"))}
    rows = []
    for team in teams.annotate(active_lecturers=Count("lecturers", filter=Q(lecturers__is_active=True), distinct=True),
                               active_topics=Count("topics", filter=Q(topics__is_active=True), distinct=True)
                               ).order_by("name"):
        row = sessions.get(team.pk, {})
        rating = ratings.get(team.pk, {})
        rows.append({"team": team, "lecturers": team.active_lecturers, "topics": team.active_topics,
                     "sessions": row.get("sessions", 0), "audience": row.get("audience") or 0,
                     "rating": round(rating["rating"], 2) if rating.get("rating") is not None else None,
                     "ratings": rating.get("ratings", 0)})
    return rows


def order_figures(orders: QuerySet[LectureOrder]) -> dict:
    return orders.aggregate(
        ordered=Count("pk"), waiting=Count("pk", filter=Q(status=OrderStatus.ORDERED)),
        assigned=Count("pk", filter=Q(status=OrderStatus.ASSIGNED)),
        delivered=Count("pk", filter=Q(status__in=DELIVERED_STATUSES)),
        audience=Sum("attendance", filter=Q(status__in=DELIVERED_STATUSES)))


def rating_of(order: LectureOrder) -> dict:
    return order.ratings.aggregate(average=Avg("score"), count=Count("pk"))


def _sessions(members: QuerySet[Member], year: int) -> QuerySet:
    """(member id, sessions as lecturer, sessions as listener) of members with any delivered session in the year."""
    start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    lectured = Q(lecturer_roles__orders__status__in=DELIVERED_STATUSES,
                 lecturer_roles__orders__delivered_on__gte=start, lecturer_roles__orders__delivered_on__lt=end)
    listened = Q(lecture_attendances__order__status__in=DELIVERED_STATUSES,
                 lecture_attendances__order__delivered_on__gte=start,
                 lecture_attendances__order__delivered_on__lt=end)
    return (members.annotate(as_lecturer=Count("lecturer_roles__orders", filter=lectured, distinct=True),
                             as_listener=Count("lecture_attendances__order", filter=listened, distinct=True))
            .filter(Q(as_lecturer__gt=0) | Q(as_listener__gt=0)).order_by()
            .values_list("pk", "as_lecturer", "as_listener"))


def lecture_sessions_per_member(user, *, year: int, member_ids=None) -> dict[int, dict]:
    """Delivered lecture sessions of each member in a year, as lecturer or as a recorded listener.

    One grouped query over the members the user may see.
    Returns {member id: {"as_lecturer": n, "as_listener": m, "sessions": n + m}} for members with any.
    """
    members = Member.objects.filter(scope_q(user, Permission.MEMBER_VIEW, "org_path"))
    if member_ids is not None:
        members = members.filter(pk__in=list(member_ids))
    return {pk: {"as_lecturer": lecturer, "as_listener": listener, "sessions": lecturer + listener}
            for pk, lecturer, listener in _sessions(members, year)}


def lecture_sessions_of_members(year: int, members: QuerySet[Member]) -> dict[int, int]:
    """The 5+X lecture source: delivered sessions given or heard per member of `members` (already scoped).

    One grouped query; registered with the claims app's 5+X in `LecturesConfig.ready()`.
    """
    return {pk: lecturer + listener
            for pk, lecturer, listener in _sessions(Member.objects.filter(pk__in=members.values("pk")), year)}

"""Reads for needs, claims, dual reports and service records, limited to what the acting user may see.

A claim, report or service record is seen from two sides: by the community it belongs to (`org_path`)
and by the claimant's or reporter's own branch and its superiors (`claimant_path` / `reporter_path` /
`server_path`). The public sees needs only, never who claimed them.
"""

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Length, Replace

from yuntu.accounts.policy import scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Kind, Level, Member, Org

from .models import Claim, DualReport, Need, ReportKind, ServiceRecord
from .services import member_of
from .workflow import PUBLIC_NEED_STATUSES, ClaimStatus, NeedStatus

MAP_POINT_LIMIT = 500


def public_needs(*, category: str = "", status: str = "", query: str = "", org: Org | None = None) -> QuerySet[Need]:
    """Needs on the public list and map: open ones first, then the taken and the done; never withdrawn ones."""
    needs = Need.objects.filter(status__in=PUBLIC_NEED_STATUSES).select_related("org")
    if category:
        needs = needs.filter(category=category)
    if status in PUBLIC_NEED_STATUSES:
        needs = needs.filter(status=status)
    if query:
        needs = needs.filter(Q(title__contains=query) | Q(description__contains=query) | Q(address__contains=query))
    if org is not None:
        needs = needs.filter(org_path__under=org.path)
    order = {NeedStatus.OPEN: 0, NeedStatus.FULL: 1, NeedStatus.DONE: 2}
    rank = Case(*[When(status=key, then=Value(value)) for key, value in order.items()], output_field=IntegerField())
    return needs.annotate(rank=rank).order_by("rank", "deadline", "-id")


def need_points(needs: QuerySet[Need], *, limit: int = MAP_POINT_LIMIT) -> list[dict]:
    rows = needs.filter(latitude__isnull=False, longitude__isnull=False).values(
        "pk", "title", "status", "latitude", "longitude")[:limit]
    return [{"pk": row["pk"], "title": row["title"], "status": row["status"], "lat": float(row["latitude"]),
             "lng": float(row["longitude"])} for row in rows]


def needs_visible_to(user) -> QuerySet[Need]:
    return visible(user, Need, Permission.CLAIMS_VIEW).select_related("org")


def claims_visible_to(user) -> QuerySet[Claim]:
    """The claims of needs in the user's subtree, and the claims made by members or branches of it."""
    condition = scope_q(user, Permission.CLAIMS_VIEW, "org_path") | scope_q(user, Permission.CLAIMS_VIEW, "claimant_path")
    return Claim.objects.filter(condition).select_related("need", "member", "branch", "org")


def claims_of_claimant(user) -> QuerySet[Claim]:
    """What the user claimed as a member, and what their branches claimed (for a branch secretary)."""
    member = member_of(user)
    condition = Q(member=member) if member is not None else Q(pk__in=[])
    condition |= Q(member__isnull=True) & scope_q(user, Permission.CLAIMS_BRANCH, "claimant_path")
    return Claim.objects.filter(condition).select_related("need", "need__org", "member", "branch")


def reports_visible_to(user) -> QuerySet[DualReport]:
    condition = scope_q(user, Permission.CLAIMS_VIEW, "org_path") | scope_q(user, Permission.CLAIMS_VIEW, "reporter_path")
    return DualReport.objects.filter(condition).select_related("org", "member", "member__org", "branch")


def services_visible_to(user) -> QuerySet[ServiceRecord]:
    condition = scope_q(user, Permission.CLAIMS_VIEW, "org_path") | scope_q(user, Permission.CLAIMS_VIEW, "server_path")
    return ServiceRecord.objects.filter(condition).select_related("org", "member", "branch")


def community_reports(path: str, *, year: int | None = None) -> list[dict]:
    """Who reported to the communities under a path (or, from the employer's side, which of its branches and
    members reported anywhere), what they did there and for how long: one grouped query for the services."""
    reports = (DualReport.objects.filter(Q(org_path__under=path) | Q(reporter_path__under=path), ended_on__isnull=True)
               .select_related("org", "member", "member__org", "branch").order_by("org_path", "kind", "id"))
    services = ServiceRecord.objects.filter(Q(org_path__under=path) | Q(server_path__under=path))
    if year:
        services = services.filter(served_on__year=year)
    served = {}
    for row in (services.values("member", "branch", "org").annotate(times=Count("id"), hours=Sum("hours"))
                .order_by()):
        served[(row["member"], row["branch"] if row["member"] is None else None, row["org"])] = row
    rows = []
    for report in reports[:1000]:
        key = (report.member_id, None, report.org_id) if report.kind == ReportKind.MEMBER else (None, report.branch_id,
                                                                                               report.org_id)
        row = served.get(key) or {}
        rows.append({"report": report, "times": row.get("times", 0), "hours": row.get("hours") or 0})
    return rows


def community_for_address(address: str) -> Org | None:
    """The community a home address lies in: an estate branch's estate named in it, else the community's name.

    Both are matched in SQL (the address contains the name with its suffix stripped), longest first.
    """
    address = (address or "").strip()
    if len(address) < 2:
        return None
    estates = (Org.objects.filter(level=Level.BRANCH, kind=Kind.ESTATE, is_active=True)
               .annotate(key=Replace(Replace("name", Value("小区党支部"), Value("")), Value("党支部"), Value("")))
               .annotate(key_length=Length("key")).filter(key_length__gte=2)
               .annotate(home=Value(address)).filter(home__contains=F("key")).order_by("-key_length", "path"))
    estate = estates.first()
    if estate is not None:
        community = Org.objects.filter(path=estate.path[:-Org.steplen]).first()
        if community is not None and community.level == Level.COMMUNITY:
            return community
    key = Replace(Replace(Replace(Replace("short_name", Value("社区"), Value("")), Value("村"), Value("")),
                          Value("居委会"), Value("")), Value("居"), Value(""))
    communities = (Org.objects.filter(level=Level.COMMUNITY, is_active=True).annotate(key=key)
                   .annotate(key_length=Length("key")).filter(key_length__gte=2)
                   .annotate(home=Value(address)).filter(home__contains=F("key")).order_by("-key_length", "path"))
    return communities.first()


def community_named(name: str) -> Org | None:
    """The one community whose name or short name is `name` (or, failing that, the only one containing it)."""
    name = (name or "").strip()
    if len(name) < 2:
        return None
    communities = Org.objects.filter(level=Level.COMMUNITY, is_active=True)
    exact = list(communities.filter(Q(short_name=name) | Q(name=name))[:2])
    if len(exact) == 1:
        return exact[0]
    containing = list(communities.filter(Q(short_name__contains=name) | Q(name__contains=name))[:2])
    return containing[0] if len(containing) == 1 else None


def reporting_communities() -> QuerySet[Org]:
    return Org.objects.filter(level=Level.COMMUNITY, is_active=True).order_by("path")


def member_summary(member: Member, *, year: int) -> dict:
    """A member's year in numbers: claims by status and confirmed service hours."""
    claims = member.claims.aggregate(
        live=Count("id", filter=Q(status__in=(ClaimStatus.CLAIMED, ClaimStatus.REPORTED))),
        confirmed=Count("id", filter=Q(status=ClaimStatus.CONFIRMED, confirmed_at__year=year)))
    services = member.services.filter(served_on__year=year).aggregate(times=Count("id"), hours=Sum("hours"))
    return {**claims, "times": services["times"], "hours": services["hours"] or 0}

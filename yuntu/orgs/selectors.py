"""Reads of the organisation tree and members, already limited to what the acting user may see."""

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr

from yuntu.accounts.policy import scope_paths, visible
from yuntu.accounts.roles import Permission
from yuntu.core import chinese

from .models import Member, Org, OrgMemberCount, Transfer

STEP = Org.steplen


def orgs_visible_to(user, *, permission: str = Permission.ORG_VIEW) -> QuerySet[Org]:
    return visible(user, Org, permission)


def org_roots_for(user) -> QuerySet[Org]:
    """The top nodes a user sees: the orgs of their grants, minus those inside another grant."""
    paths = scope_paths(user, Permission.ORG_VIEW)
    if "" in paths:
        return Org.objects.get_root_nodes()
    return Org.objects.filter(path__in=paths).order_by("path")


def org_search(user, query: str, *, limit: int = 50) -> QuerySet[Org]:
    """Find orgs by name, pinyin, initials or traditional characters (萬科 finds 万科, hc finds 海沧)."""
    needle = chinese.normalize_query(query)
    if not needle:
        return Org.objects.none()
    return orgs_visible_to(user).filter(search_text__contains=needle).order_by("depth", "path")[:limit]


def org_children(user, org: Org) -> QuerySet[Org]:
    return orgs_visible_to(user).filter(path__under=org.path, depth=org.depth + 1).order_by("path")


def subtree_member_counts(org: Org) -> dict:
    """Members of a whole subtree, summed from the roll-up (one row per org, not per member)."""
    totals = OrgMemberCount.objects.filter(org_path__under=org.path).aggregate(
        full=Coalesce(Sum("full"), 0), probationary=Coalesce(Sum("probationary"), 0)
    )
    totals["total"] = totals["full"] + totals["probationary"]
    return totals


def children_member_counts(org: Org) -> dict[str, dict]:
    """Subtree member counts of each child of org in one grouped query, keyed by child path."""
    child_path = Substr("org_path", 1, len(org.path) + STEP)
    rows = (
        OrgMemberCount.objects.filter(org_path__under=org.path)
        .exclude(org_path=org.path)
        .annotate(child_path=child_path)
        .values("child_path")
        .annotate(full_total=Sum("full"), probationary_total=Sum("probationary"))
        .order_by()
    )
    return {
        row["child_path"]: {"full": row["full_total"], "probationary": row["probationary_total"],
                            "total": row["full_total"] + row["probationary_total"]}
        for row in rows
    }


def members_visible_to(user, *, permission: str = Permission.MEMBER_VIEW) -> QuerySet[Member]:
    return visible(user, Member, permission).select_related("org")


def member_list(user, *, org: Org | None = None, query: str = "", status: str = "", floating: bool | None = None,
                in_service: bool | None = None, include_inactive: bool = False) -> QuerySet[Member]:
    members = members_visible_to(user)
    if org is not None:
        members = members.filter(org_path__under=org.path)
    if not include_inactive:
        members = members.filter(is_active=True)
    if query:
        members = members.filter(search_text__contains=chinese.normalize_query(query))
    if status:
        members = members.filter(status=status)
    if floating is not None:
        members = members.filter(floating=floating)
    if in_service is not None:
        members = members.filter(in_service=in_service)
    return members.order_by("org_path", "id")


def transfers_of(user, member: Member) -> QuerySet[Transfer]:
    """A member's transfer history, as far as the user sees either end of each transfer."""
    paths = scope_paths(user, Permission.MEMBER_VIEW)
    if "" in paths:
        condition = Q()
    else:
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(org_path__under=path) | Q(from_path__under=path)
    return member.transfers.filter(condition).select_related("org", "from_org").order_by("-transferred_on", "-id")


# --- Reads for the desktop pages (tree, org detail, member pages, own account) ---


def ancestor_paths(path: str) -> list[str]:
    """Paths of every ancestor of a node, root first."""
    return [path[:end] for end in range(STEP, len(path), STEP)]


def org_breadcrumb(user, org: Org) -> list[Org]:
    """The ancestors of org that the user may see, root first (a branch secretary sees no street above)."""
    return list(orgs_visible_to(user).filter(path__in=ancestor_paths(org.path)).order_by("depth"))


def org_trails(user, orgs) -> dict[int, list[str]]:
    """For each org, the short names of its visible ancestors, all read in one query."""
    orgs = list(orgs)
    wanted = {path for org in orgs for path in ancestor_paths(org.path)}
    names = {}
    if wanted:
        rows = orgs_visible_to(user).filter(path__in=wanted).values_list("path", "short_name", "name")
        names = {path: short_name or name for path, short_name, name in rows}
    return {org.pk: [names[path] for path in ancestor_paths(org.path) if path in names] for org in orgs}


def org_candidates(user, query: str, *, permission: str, levels: list[str] | None = None,
                   limit: int = 30) -> QuerySet[Org]:
    """Orgs the user may act on under `permission` matching a search, e.g. the new parent of a move."""
    needle = chinese.normalize_query(query)
    if not needle:
        return Org.objects.none()
    orgs = orgs_visible_to(user, permission=permission).filter(search_text__contains=needle)
    if levels:
        orgs = orgs.filter(level__in=levels)
    return orgs.order_by("depth", "path")[:limit]


def org_roots_with_counts(user) -> list[tuple[Org, dict]]:
    """The user's top nodes, each with its subtree member count (a handful of roots: one sum each)."""
    return [(root, subtree_member_counts(root)) for root in org_roots_for(user)]


def org_children_with_counts(user, org: Org) -> list[tuple[Org, dict]]:
    """Visible children of org with their subtree member counts: two queries whatever the number of children."""
    counts = children_member_counts(org)
    empty = {"full": 0, "probationary": 0, "total": 0}
    return [(child, counts.get(child.path, empty)) for child in org_children(user, org)]


def partner_units_of(user, org: Org) -> QuerySet:
    from .models import PartnerUnit

    return visible(user, PartnerUnit, Permission.ORG_VIEW).filter(org=org).order_by("name")


def grids_of(user, org: Org) -> QuerySet:
    from .models import Grid

    return visible(user, Grid, Permission.ORG_VIEW).filter(org=org).select_related("responsible").order_by("name")


def own_member_record(user) -> Member | None:
    """The member record linked to the user's own account, whatever their roles (their own masked data)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.select_related("org").filter(user=user, is_active=True).first()


def own_grants(user) -> list[tuple[str, Org | None]]:
    """The user's roles, each with its org when the user may see that org (a resident's community is not shown)."""
    from yuntu.accounts.policy import can
    from yuntu.accounts.roles import Role

    grants = user.grants.select_related("org").order_by("org__path", "role")
    return [(Role(grant.role).label if grant.role in Role.values else grant.role,
             grant.org if can(user, Permission.ORG_VIEW, path=grant.org_path) else None) for grant in grants]


def member_list_count(user, *, org: Org | None = None) -> int:
    """How many active members `member_list(user, org=org)` holds, summed from the roll-up.

    Counting member rows would cost one index entry per member on every page view (a million at
    province scale); the roll-up costs one row per org in the intersection of scope and subtree.
    """
    ranges = []
    for path in scope_paths(user, Permission.MEMBER_VIEW):
        if org is None or org.path.startswith(path):
            ranges.append(org.path if org is not None else path)
        elif path.startswith(org.path):
            ranges.append(path)
    if not ranges:
        return 0
    condition = Q()
    for path in ranges:
        condition |= Q(org_path__under=path) if path else Q()
    totals = OrgMemberCount.objects.filter(condition).aggregate(full=Coalesce(Sum("full"), 0),
                                                                probationary=Coalesce(Sum("probationary"), 0))
    return totals["full"] + totals["probationary"]


def with_visible_parent(user, orgs: QuerySet[Org]) -> QuerySet[Org]:
    """Annotate each org with its parent's id when the user may see the parent (else None), in one query."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Length

    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    return orgs.annotate(parent_pk=Subquery(orgs_visible_to(user).filter(path=parent_path).values("pk")[:1]))


def visible_parent_pk(user, org: Org) -> int | None:
    if org.depth <= 1:
        return None
    return orgs_visible_to(user).filter(path=org.path[:-STEP]).values_list("pk", flat=True).first()

"""Reads of publicity. Public reads (published items, articles for everyone, published results) need no
account; staff reads go through the policy; a resident's own questions are theirs alone."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from yuntu.accounts.policy import roles_of, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Org, Resident
from yuntu.orgs.selectors import own_member_record

from .catalogue import REQUIREMENTS, Catalogue, Requirement, last_due_period, period_label
from .models import (
    Article,
    Audience,
    Column,
    Contest,
    ContestStatus,
    Entry,
    Publication,
    PublicationStatus,
    Question,
    ReadingRecord,
    StudyAudience,
    StudyList,
)

P = Permission


def community_of(user) -> Org | None:
    if not getattr(user, "is_authenticated", False):
        return None
    resident = Resident.objects.select_related("community").filter(user=user).first()
    if resident is not None and resident.community is not None:
        return resident.community
    member = own_member_record(user)
    if member is not None:
        return Org.objects.filter(path=member.org.path[:Org.steplen * 3]).first() or member.org
    return None


def public_publications(*, under: str = "", catalogue: str = "") -> QuerySet:
    found = Publication.objects.filter(status=PublicationStatus.PUBLISHED).select_related("org")
    if under:
        found = found.filter(org_path__under=under)
    if catalogue:
        found = found.filter(catalogue=catalogue)
    return found.order_by("-published_at", "-id")


def publications_for_staff(user, *, catalogue: str = "", status: str = "") -> QuerySet:
    found = visible(user, Publication, P.PUBLICITY_VIEW).select_related("org")
    if catalogue:
        found = found.filter(catalogue=catalogue)
    if status:
        found = found.filter(status=status)
    return found.order_by("-updated_at", "-id")


def questions_of(user, publication: Publication | None = None) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    found = Question.objects.filter(asker=user).select_related("publication", "org")
    if publication is not None:
        found = found.filter(publication=publication)
    return found.order_by("-created_at")


def questions_for_staff(user, *, status: str = "") -> QuerySet:
    found = visible(user, Question, P.PUBLICITY_VIEW).select_related("publication", "org", "asker")
    if status:
        found = found.filter(status=status)
    return found.order_by("status", "-created_at")


def overdue_orgs(requirement: Requirement, *, today: datetime.date | None = None, under: str = "") -> QuerySet:
    """Active orgs of the requirement's level that published nothing under its entry for the last due period.

    One query: orgs NOT EXISTS a published item of the catalogue whose period overlaps the due period.
    """
    start, end = last_due_period(today or clock.today(), requirement.frequency)
    published = Publication.objects.filter(org_id=OuterRef("pk"), catalogue=requirement.catalogue,
                                           status=PublicationStatus.PUBLISHED, period_start__lte=end,
                                           period_end__gte=start)
    orgs = Org.objects.filter(level=requirement.level, is_active=True)
    if requirement.sectors:
        orgs = orgs.filter(sector__in=requirement.sectors)
    if under:
        orgs = orgs.filter(path__under=under)
    return orgs.filter(~Exists(published)).order_by("path")


def overdue_rows(*, today: datetime.date | None = None, under: str = ""):
    """Every (org, requirement, due period) overdue, for a compliance rule: one query per requirement."""
    today = today or clock.today()
    for requirement in REQUIREMENTS:
        start, end = last_due_period(today, requirement.frequency)
        late = f"未按期公开{period_label(start, end)}“{Catalogue(requirement.catalogue).label}”"  # once, not per org
        for org_id, path, name in overdue_orgs(requirement, today=today, under=under).values_list("pk", "path", "name"):
            yield {"org_id": org_id, "org_path": path, "org_name": name, "catalogue": requirement.catalogue,
                   "period_start": start, "period_end": end, "text": name + late}


def overdue_publications(user, *, today: datetime.date | None = None) -> list[dict]:
    """Per requirement: the due period and the orgs in the user's scope that are overdue (a count and a sample)."""
    today = today or clock.today()
    scoped = visible(user, Org, P.PUBLICITY_VIEW)
    rows = []
    for requirement in REQUIREMENTS:
        start, end = last_due_period(today, requirement.frequency)
        orgs = overdue_orgs(requirement, today=today).filter(pk__in=scoped.values("pk"))
        count = orgs.count()
        rows.append({"requirement": requirement, "label": requirement.label, "period": period_label(start, end),
                     "count": count, "orgs": list(orgs[:20]) if count else []})
    return rows


def catalogue_counts(under: str) -> dict[str, int]:
    rows = (Publication.objects.filter(status=PublicationStatus.PUBLISHED, org_path__under=under)
            .values("catalogue").annotate(count=Count("id")))
    return {row["catalogue"]: row["count"] for row in rows}


# ---- columns ------------------------------------------------------------------------------------


def reader_of(user) -> dict:
    member = own_member_record(user)
    return {"member": member, "sector": member.org.sector if member else ""}


def audience_q(user, prefix: str = "") -> Q:
    """Columns this reader may read: everyone's; members' for members; a sector's for its members."""
    reader = reader_of(user)
    condition = Q(**{f"{prefix}audience": Audience.ALL})
    if reader["member"] is not None:
        condition |= Q(**{f"{prefix}audience": Audience.MEMBERS})
        if reader["sector"]:
            condition |= Q(**{f"{prefix}audience": Audience.SECTOR, f"{prefix}sector": reader["sector"]})
    return condition


def columns_for_reader(user, *, kind: str = "") -> QuerySet:
    found = Column.objects.filter(audience_q(user), is_active=True).select_related("org")
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("kind", "sort_order", "id")


def articles_for_reader(user, *, kind: str = "", column: Column | None = None) -> QuerySet:
    found = (Article.objects.filter(audience_q(user, "column__"), status=PublicationStatus.PUBLISHED,
                                    column__is_active=True).select_related("column", "org"))
    if kind:
        found = found.filter(column__kind=kind)
    if column is not None:
        found = found.filter(column=column)
    return found.order_by("-published_at", "-id")


def articles_for_staff(user) -> QuerySet:
    return visible(user, Article, P.PUBLICITY_VIEW).select_related("column", "org").order_by("-updated_at", "-id")


LEADER_ROLES = {"administrator", "district_officer", "street_secretary"}
ORG_ROLES = {"community_secretary", "branch_secretary"}


def study_audiences_of(user) -> set[str]:
    """Which study lists are the user's: 党员 for members, 基层党组织 for secretaries, 领导干部 for leading cadres."""
    audiences = set()
    if reader_of(user)["member"] is not None:
        audiences.add(StudyAudience.MEMBERS)
    roles = roles_of(user)
    if roles & ORG_ROLES:
        audiences.add(StudyAudience.ORGS)
    if roles & LEADER_ROLES:
        audiences |= {StudyAudience.LEADERS, StudyAudience.ORGS}
    return audiences


def study_lists_for_reader(user) -> QuerySet:
    """The study lists of the user's audiences; residents have none."""
    audiences = study_audiences_of(user)
    if not audiences:
        return StudyList.objects.none()
    return (StudyList.objects.filter(audience__in=audiences).annotate(materials=Count("items"))
            .order_by("-year", "audience", "id"))


def study_progress(user, study_list: StudyList) -> dict:
    items = list(study_list.items.select_related("article").order_by("sort_order", "id"))
    read = set(ReadingRecord.objects.filter(user=user, article_id__in=[item.article_id for item in items])
               .values_list("article_id", flat=True)) if getattr(user, "is_authenticated", False) else set()
    return {"items": [{"article": item.article, "read": item.article_id in read} for item in items],
            "read": len(read), "total": len(items)}


def study_figures(under: str, *, start: datetime.date | None = None, end: datetime.date | None = None) -> list[dict]:
    """Reads per study-list audience under a subtree, in one grouped query."""
    readings = ReadingRecord.objects.filter(member__isnull=False, org_path__under=under)
    if start:
        readings = readings.filter(read_on__gte=start)
    if end:
        readings = readings.filter(read_on__lt=end)
    rows = readings.aggregate(reads=Count("id"), readers=Count("member", distinct=True))
    return [{"label": "学习篇次", "value": rows["reads"]}, {"label": "参学党员", "value": rows["readers"]}]


STUDY_AUDIENCE_LABELS = dict(StudyAudience.choices)


# ---- contests -----------------------------------------------------------------------------------


def public_contests() -> QuerySet:
    return Contest.objects.select_related("org").annotate(entry_count=Count("entries")).order_by("-opens_on", "-id")


def contests_for_staff(user) -> QuerySet:
    return visible(user, Contest, P.PUBLICITY_VIEW).annotate(entry_count=Count("entries")).order_by("-opens_on")


def published_results(contest: Contest) -> QuerySet:
    if contest.status != ContestStatus.PUBLISHED:
        return Entry.objects.none()
    return contest.entries.filter(award__gt="").order_by("rank", "id")


def entries_to_judge(user, contest: Contest) -> QuerySet:
    if not contest.judges.filter(pk=user.pk).exists():
        return Entry.objects.none()
    return contest.entries.annotate(scored=Count("scores", filter=Q(scores__judge=user))).order_by("id")

"""Figures of the org tree: organisations and members (full, probationary), as stock figures."""

from django.db.models import F, Sum
from django.urls import reverse

from yuntu.accounts.roles import Permission
from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit

from .models import Member, MemberStatus, Org, OrgMemberCount


def _members(**conditions):
    return lambda: Member.objects.filter(is_active=True, **conditions)


registry.register(
    Indicator(code="orgs.orgs", name="党组织", unit=Unit.ITEM, definition="子树内有效的党组织个数（含本级）",
              records=lambda: Org.objects.filter(is_active=True), path_field="path", permission=Permission.ORG_VIEW,
              phrases=("党组织", "基层党组织"), record_url=lambda org: reverse("orgs:detail", args=[org.pk])),
    Indicator(code="orgs.members", name="党员", unit=Unit.PERSON, definition="子树内在册党员人数（正式与预备）",
              records=_members(), permission=Permission.MEMBER_VIEW, phrases=("党员",),
              rollup=lambda: (OrgMemberCount.objects.all(), Sum(F("full") + F("probationary"))),
              record_url=lambda member: reverse("orgs:member_detail", args=[member.pk])),
    Indicator(code="orgs.members_full", name="正式党员", unit=Unit.PERSON, definition="子树内在册的正式党员人数",
              records=_members(status=MemberStatus.FULL), permission=Permission.MEMBER_VIEW, phrases=("正式党员",),
              rollup=lambda: (OrgMemberCount.objects.all(), Sum("full")),
              record_url=lambda member: reverse("orgs:member_detail", args=[member.pk]), breakdowns=("org",)),
    Indicator(code="orgs.members_probationary", name="预备党员", unit=Unit.PERSON,
              definition="子树内在册的预备党员人数", records=_members(status=MemberStatus.PROBATIONARY),
              rollup=lambda: (OrgMemberCount.objects.all(), Sum("probationary")),
              permission=Permission.MEMBER_VIEW, phrases=("预备党员",), breakdowns=("org",),
              record_url=lambda member: reverse("orgs:member_detail", args=[member.pk])),
)

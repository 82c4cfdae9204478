"""Test data for claims: a need, and members with accounts in numbers (bulk, for the contention test)."""

import datetime

from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.orgs.models import Member

from .. import services
from ..models import NeedCategory


def need(cast, *, actor=None, org=None, claimants_needed: int = 1, days: int = 14, **fields):
    org = org or cast.orgs["community"]
    actor = actor or cast.user("community_secretary")
    values = {"category": NeedCategory.ELDERLY, "title": "为独居老人更换厨房灯泡",
              "description": "兴旺小区5号楼独居老人家中厨房灯泡损坏，需要一名党员上门更换。", "address": "兴旺小区5号楼",
              "deadline": clock.today() + datetime.timedelta(days=days), "claimants_needed": claimants_needed}
    values.update(fields)
    return services.need_post(actor=actor, org=org, **values)


def members_with_accounts(org, count: int, prefix: str = "claimant") -> list[User]:
    users = User.objects.bulk_create([User(username=f"{prefix}{index:03d}", display_name=f"党员{index:03d}")
                                      for index in range(count)])
    users = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    Member.objects.bulk_create([
        Member(org=org, org_path=org.path, name=f"党员{index:03d}", id_number_digest=f"{prefix}-{index}",
               id_number_masked="3502**********0000", user=user) for index, user in enumerate(users)])
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=Role.MEMBER, org=org, org_path=org.path) for user in users])
    return users

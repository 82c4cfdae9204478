"""The named cast shared by every test: a small Haicang tree and one user per role.

Two streets are built so that each role has an 'other subtree' it must not see: everything
under 东孚街道 is the outsider's, everything under 新阳街道 belongs to the rest of the cast.
"""

import datetime

from django.db import transaction

from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import chinese, crypto

PASSWORD = "Yuntu-test-2026"


def id_number(region: str, birth: datetime.date, serial: int) -> str:
    first = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first + chinese.id_number_check_digit(first)


@transaction.atomic
def build_cast() -> dict:
    from yuntu.orgs import services
    from yuntu.orgs.models import Level, Org, Resident, Sector

    root = User.objects.create_superuser("system", "", PASSWORD, display_name="系统")
    district = services.org_create(actor=root, parent=None, name="中共厦门市海沧区委员会", short_name="海沧区委",
                                   level=Level.DISTRICT, sector=Sector.AGENCY, division_code="350205")
    street = services.org_create(actor=root, parent=district, name="中共海沧区新阳街道工作委员会", short_name="新阳街道",
                                 level=Level.STREET, division_code="350205002")
    community = services.org_create(actor=root, parent=street, name="中共新阳街道兴旺社区委员会", short_name="兴旺社区",
                                    level=Level.COMMUNITY, sector=Sector.COMMUNITY)
    branch = services.org_create(actor=root, parent=community, name="兴旺社区第一党支部", level=Level.BRANCH,
                                 sector=Sector.COMMUNITY)
    agency = services.org_create(actor=root, parent=district, name="海沧区城市管理局机关党支部", level=Level.BRANCH,
                                 sector=Sector.AGENCY)
    other_street = services.org_create(actor=root, parent=district, name="中共海沧区东孚街道工作委员会",
                                       short_name="东孚街道", level=Level.STREET, division_code="350205004")
    other_community = services.org_create(actor=root, parent=other_street, name="中共东孚街道山边社区委员会",
                                          short_name="山边社区", level=Level.COMMUNITY, sector=Sector.COMMUNITY)
    other_branch = services.org_create(actor=root, parent=other_community, name="山边社区第一党支部",
                                       level=Level.BRANCH, sector=Sector.COMMUNITY)
    birth = datetime.date(1985, 6, 15)
    member = services.member_create(actor=root, org=branch, name="林晓红",
                                    personal=services.PersonalData(id_number("350205", birth, 12), "13859201234"))
    other_member = services.member_create(actor=root, org=other_branch, name="邱文彬",
                                          personal=services.PersonalData(id_number("350205", birth, 21), "13959205678"))

    def person(username: str, display_name: str, role: str, org: Org) -> User:
        user = User.objects.create_user(username, password=PASSWORD, display_name=display_name)
        RoleGrant.objects.create(user=user, role=role, org=org, org_path=org.path)
        return user

    users = {
        "administrator": person("administrator", "系统管理员", Role.ADMINISTRATOR, district),
        "district_officer": person("district_officer", "区委组织部干部", Role.DISTRICT_OFFICER, district),
        "street_secretary": person("street_secretary", "新阳街道书记", Role.STREET_SECRETARY, street),
        "community_secretary": person("community_secretary", "兴旺社区书记", Role.COMMUNITY_SECRETARY, community),
        "branch_secretary": person("branch_secretary", "兴旺第一支部书记", Role.BRANCH_SECRETARY, branch),
        "inspector": person("inspector", "新阳联络组", Role.INSPECTOR, street),
        "department_handler": person("department_handler", "城管局经办人", Role.DEPARTMENT_HANDLER, agency),
        "member": person("member", "林晓红", Role.MEMBER, branch),
        "resident": person("resident", "居民陈女士", Role.RESIDENT, community),
        "outsider": person("outsider", "山边第一支部书记", Role.BRANCH_SECRETARY, other_branch),
    }
    member.user = users["member"]
    member.save(update_fields=["user"])
    resident_mobile = "13700001111"
    users["resident"].mobile_digest = crypto.digest(resident_mobile)
    users["resident"].mobile_encrypted = crypto.encrypt(resident_mobile)
    users["resident"].mobile_masked = chinese.mask_mobile(resident_mobile)
    users["resident"].save()
    Resident.objects.create(user=users["resident"], community=community)
    return {"users": users, "orgs": {"district": district, "street": street, "community": community, "branch": branch,
                                      "agency": agency, "other_street": other_street,
                                      "other_community": other_community, "other_branch": other_branch},
            "members": {"member": member, "other_member": other_member}}

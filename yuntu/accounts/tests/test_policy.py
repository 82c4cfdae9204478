from yuntu.accounts import policy
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Member, Org
from yuntu.orgs.selectors import org_search


def test_a_grant_covers_its_subtree_only(cast):
    street_secretary = cast.user("street_secretary")
    visible_orgs = set(policy.visible(street_secretary, Org, Permission.ORG_VIEW).values_list("name", flat=True))
    assert "兴旺社区第一党支部" in visible_orgs
    assert "山边社区第一党支部" not in visible_orgs and "中共厦门市海沧区委员会" not in visible_orgs
    assert policy.can(street_secretary, Permission.MEMBER_CHANGE, cast.members["member"])
    assert not policy.can(street_secretary, Permission.MEMBER_CHANGE, cast.members["other_member"])


def test_outsider_sees_only_its_branch(cast):
    outsider = cast.user("outsider")
    assert list(policy.visible(outsider, Member, Permission.MEMBER_VIEW)) == [cast.members["other_member"]]


def test_roles_without_a_permission_see_nothing(cast):
    resident = cast.user("resident")
    assert not policy.visible(resident, Member, Permission.MEMBER_VIEW).exists()
    assert not policy.visible(cast.user("department_handler"), Member, Permission.MEMBER_VIEW).exists()
    assert policy.is_resident_only(resident)


def test_nested_grants_collapse_into_one_range(cast):
    from yuntu.accounts.models import RoleGrant

    user = cast.user("street_secretary")
    RoleGrant.objects.create(user=user, role="branch_secretary", org=cast.orgs["branch"], org_path=cast.orgs["branch"].path)
    policy.forget_grants(user)
    assert policy.scope_paths(user, Permission.MEMBER_VIEW) == [cast.orgs["street"].path]


def test_district_officer_sees_everything_below_the_district(cast):
    officer = cast.user("district_officer")
    assert policy.visible(officer, Member, Permission.MEMBER_VIEW).count() == Member.objects.filter(
        org_path__startswith=cast.orgs["district"].path).count()


def test_search_by_pinyin_initials_and_traditional_characters_is_scoped(cast):
    officer = cast.user("district_officer")
    assert "中共厦门市海沧区委员会" in [org.name for org in org_search(officer, "hc")]
    assert "中共东孚街道山边社区委员会" in [org.name for org in org_search(officer, "shanbian")]
    assert "中共东孚街道山边社区委员会" in [org.name for org in org_search(officer, "山邊")]
    assert org_search(cast.user("street_secretary"), "shanbian").count() == 0


def test_chinese_is_the_default_even_for_an_english_browser(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.cookies["django_language"] = "en"
    assert client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US").headers["Content-Language"] == "en"

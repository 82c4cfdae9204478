"""The demo generator at its tiny scale: a valid tree beside the cast, valid people, right roll-ups."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from yuntu.accounts.models import AuditEntry, RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import chinese, crypto
from yuntu.demo import generator
from yuntu.demo.plan import SCALES, build_plan
from yuntu.orgs import selectors
from yuntu.orgs.models import Grid, Household, Kind, Level, Member, MemberStatus, Org, PartnerUnit, Resident

SEED = 7


@pytest.fixture
def tiny(cast):
    """The tiny demo district generated next to the cast's tree (a second root)."""
    return generator.generate("tiny", seed=SEED, password="Tiny-demo-2026")


def under(root: Org):
    return Org.objects.filter(path__under=root.path)


def test_tree_is_a_valid_treebeard_tree_beside_the_cast(tiny, cast):
    root = tiny.root
    assert root.depth == 1 and root.path != cast.orgs["district"].path
    assert Org.objects.find_problems() == ([], [], [], [], [])
    assert under(root).count() == tiny.orgs == build_plan("tiny", SEED).org_count
    paths = dict(under(root).values_list("path", "numchild"))
    for path, numchild in paths.items():
        children = [other for other in paths if other.startswith(path) and len(other) == len(path) + Org.steplen]
        assert numchild == len(children), path
    assert all(len(path) == depth * Org.steplen for path, depth in under(root).values_list("path", "depth"))
    # The cast's tree is untouched.
    assert Org.objects.get(pk=cast.orgs["district"].pk).numchild == cast.orgs["district"].numchild


def test_tree_has_every_kind_of_org_the_product_names(tiny):
    orgs = under(tiny.root)
    assert set(orgs.values_list("level", flat=True)) == set(Level.values)
    assert orgs.filter(kind=Kind.ESTATE, level=Level.BRANCH).exists()
    assert orgs.filter(kind=Kind.BUILDING, level=Level.GROUP).exists()
    assert orgs.filter(temporary=True, end_date__isnull=False).exists()
    joint = orgs.filter(kind=Kind.JOINT)
    assert joint.exists() and PartnerUnit.objects.filter(org__in=joint).count() >= 3 * joint.count()
    assert {"agency", "soe", "school", "private", "ngo", "community"} <= set(orgs.values_list("sector", flat=True))
    assert orgs.filter(level=Level.STREET, division_code__regex=r"^350205\d{3}$").count() == 2
    assert Grid.objects.filter(org_path__under=tiny.root.path).exists()
    assert Household.objects.filter(org_path__under=tiny.root.path).exists()
    assert orgs.get(name="海沧招商花园城小区党支部").kind == Kind.ESTATE


def test_members_have_valid_unique_id_numbers_and_masked_encrypted_data(tiny):
    members = Member.objects.filter(org_path__under=tiny.root.path)
    assert members.count() == tiny.members
    numbers = set()
    for member in members.only("id_number_encrypted", "id_number_digest", "id_number_masked", "mobile_encrypted",
                               "mobile_masked", "birth_date", "gender", "name", "search_text"):
        number = chinese.validate_id_number(crypto.decrypt(member.id_number_encrypted))
        assert number.startswith("350205")
        assert chinese.birth_date_from_id_number(number) == member.birth_date
        assert chinese.gender_from_id_number(number) == member.gender
        assert member.id_number_digest == crypto.digest(number)
        assert member.id_number_masked == chinese.mask_id_number(number)
        assert 50 <= int(number[14:17]) < 100  # the tiny scale's sequence codes, apart from the cast's
        mobile = crypto.decrypt(member.mobile_encrypted)
        if mobile:
            assert chinese.MOBILE_PATTERN.match(mobile) and member.mobile_masked == chinese.mask_mobile(mobile)
        assert member.search_text == chinese.search_text(member.name)
        numbers.add(number)
    assert len(numbers) == tiny.members


def test_member_mix_probationary_floating_in_service(tiny):
    members = Member.objects.filter(org_path__under=tiny.root.path)
    probationary = members.filter(status=MemberStatus.PROBATIONARY)
    assert 0.08 < probationary.count() / members.count() < 0.25
    assert not probationary.filter(probation_end__isnull=True).exists()
    assert members.filter(floating=True).exclude(floating_location="").exists()
    reporting = members.filter(in_service=True, reporting_community__isnull=False)
    assert reporting.exists()
    assert set(reporting.values_list("reporting_community__level", flat=True)) == {Level.COMMUNITY}
    assert not members.filter(org__level__in=[Level.DISTRICT, Level.STREET]).exists()


def test_roll_up_equals_a_direct_count(tiny):
    root = tiny.root
    direct = Member.objects.filter(org_path__under=root.path, is_active=True).aggregate(
        full=Count("id", filter=Q(status=MemberStatus.FULL)),
        probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)))
    counts = selectors.subtree_member_counts(root)
    assert (counts["full"], counts["probationary"]) == (direct["full"], direct["probationary"])
    for child_path, figure in selectors.children_member_counts(root).items():
        assert figure["total"] == Member.objects.filter(org_path__under=child_path).count()


def test_same_seed_gives_the_same_plan_and_people():
    first, second = build_plan("tiny", SEED), build_plan("tiny", SEED)
    assert [node.name for node in first.root.walk()] == [node.name for node in second.root.walk()]
    assert [node.members for node in first.root.walk()] == [node.members for node in second.root.walk()]
    assert [node.name for node in build_plan("tiny", SEED + 1).root.walk()] != [node.name for node in first.root.walk()]

    def people(seed: int) -> list[tuple[str, str]]:
        plan = build_plan("tiny", seed)
        for node in plan.root.walk():
            node.pk, node.path = 1, "0001"
        source = generator.People(random.Random(seed), SCALES["tiny"].serials)
        factory = generator.MemberFactory(source, generator.MemberContext(plan.communities, {}))
        rows = [factory.member(node) for node in plan.root.walk() for _ in range(node.members)]
        return [(row["name"], row["id_number_digest"]) for row in rows]

    assert people(SEED) == people(SEED)


def test_generated_names_are_the_same_in_the_database_for_the_same_seed(tiny):
    names = list(Member.objects.filter(org_path__under=tiny.root.path).order_by("id").values_list("name", flat=True))
    generator.wipe("tiny", tiny.root)
    again = generator.generate("tiny", seed=SEED)
    assert again.created
    assert list(Member.objects.filter(org_path__under=again.root.path).order_by("id")
                .values_list("name", flat=True)) == names


def test_subtree_queries_follow_the_grants(tiny):
    street_secretary = User.objects.get(username="tiny-street_secretary")
    branch_secretary = User.objects.get(username="tiny-branch_secretary")
    street = RoleGrant.objects.get(user=street_secretary).org
    branch = RoleGrant.objects.get(user=branch_secretary).org
    in_street = selectors.member_list(street_secretary)
    assert in_street.count() == Member.objects.filter(org_path__under=street.path).count() > 0
    assert not in_street.exclude(org_path__startswith=street.path).exists()
    in_branch = selectors.member_list(branch_secretary)
    assert 0 < in_branch.count() < in_street.count()
    assert set(in_branch.values_list("org__path", flat=True)) <= {
        path for path in under(branch).values_list("path", flat=True)}
    officer = User.objects.get(username="tiny-district_officer")
    assert selectors.orgs_visible_to(officer).count() == tiny.orgs


def test_logins_one_per_role_and_idempotent_rerun(tiny):
    assert {login.role for login in tiny.logins} == set(Role.values)
    for login in tiny.logins:
        user = User.objects.get(username=login.username)
        assert user.check_password("Tiny-demo-2026")
        assert user.grants.get().role == login.role
    member_user = User.objects.get(username="tiny-member")
    member = Member.objects.get(user=member_user)
    assert member.org.name.endswith("城市管理局机关党支部") and member.in_service and member.reporting_community_id
    resident = Resident.objects.get(user__username="tiny-resident")
    assert resident.community.level == Level.COMMUNITY
    assert resident.user.mobile_digest == crypto.digest(SCALES["tiny"].resident_mobile)
    assert AuditEntry.objects.filter(action="demo.generate", object_id=str(tiny.root.pk)).count() == 1

    orgs, members = Org.objects.count(), Member.objects.count()
    again = generator.generate("tiny", seed=SEED)
    assert not again.created and again.root == tiny.root
    assert (Org.objects.count(), Member.objects.count()) == (orgs, members)
    assert [login.username for login in again.logins] == [login.username for login in tiny.logins]


def test_command_reset_regenerates_and_prints_the_logins(tiny):
    out = StringIO()
    call_command("demo", "--scale", "tiny", "--seed", str(SEED), "--reset", stdout=out)
    text = out.getvalue()
    assert "已生成 tiny" in text and "tiny-district_officer" in text and "Yuntu-demo-2026" in text
    assert not Org.objects.filter(pk=tiny.root.pk).exists()
    assert Org.objects.filter(depth=1, name=SCALES["tiny"].root_name).count() == 1
    assert Org.objects.find_problems() == ([], [], [], [], [])
    out = StringIO()
    call_command("demo", "--scale", "tiny", stdout=out)
    assert "已存在" in out.getvalue()


def test_paths_are_base36_steps():
    assert generator.encode_step(1) == "0001"
    assert generator.encode_step(35) == "000Z"
    assert generator.encode_step(36) == "0010"
    assert generator.encode_step(36 ** 4 - 1) == "ZZZZ"
    with pytest.raises(ValueError):
        generator.encode_step(36 ** 4)

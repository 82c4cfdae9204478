import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from yuntu.accounts.models import AuditEntry, RoleGrant
from yuntu.core.cast import id_number
from yuntu.orgs import selectors, services
from yuntu.orgs.models import Level, Member, MemberStatus, Org, OrgMemberCount


def personal(serial: int, mobile: str = "") -> services.PersonalData:
    return services.PersonalData(id_number("350205", datetime.date(1990, 3, 8), serial), mobile)


def test_member_create_masks_and_encrypts_personal_data(cast):
    officer = cast.user("branch_secretary")
    member = services.member_create(actor=officer, org=cast.orgs["branch"], name="黄志明",
                                    personal=personal(101, "13600001234"))
    clear_id = personal(101).id_number
    assert member.id_number_masked == clear_id[:4] + "*" * 10 + clear_id[-4:]
    assert member.mobile_masked == "136****1234"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM orgs_member WHERE id = %s", [member.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert clear_id not in row and "13600001234" not in row


def test_personal_data_is_shown_only_to_allowed_roles_and_the_reading_is_audited(cast):
    member = cast.members["member"]
    entries = AuditEntry.objects.count()
    data = services.member_personal_data(actor=cast.user("district_officer"), member=member)
    assert data.id_number.endswith(member.id_number_masked[-4:]) and len(data.id_number) == 18
    assert AuditEntry.objects.count() == entries + 1
    with pytest.raises(PermissionDenied):
        services.member_personal_data(actor=cast.user("branch_secretary"), member=member)


def test_wrong_check_digit_writes_nothing(cast):
    good = personal(102).id_number
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    counts = (Member.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.member_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], name="王五",
                               personal=services.PersonalData(bad))
    assert "校验位" in " ".join(caught.value.messages)
    assert (Member.objects.count(), AuditEntry.objects.count()) == counts


def test_member_outside_scope_is_refused(cast):
    counts = Member.objects.count()
    with pytest.raises(PermissionDenied):
        services.member_create(actor=cast.user("branch_secretary"), org=cast.orgs["other_branch"], name="赵六",
                               personal=personal(103))
    assert Member.objects.count() == counts


def test_probationary_member_needs_end_of_probation(cast):
    with pytest.raises(ValidationError):
        services.member_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], name="钱七",
                               personal=personal(104), status=MemberStatus.PROBATIONARY)


def test_duplicate_id_number_is_refused(cast):
    services.member_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], name="孙八", personal=personal(105))
    with pytest.raises(ValidationError):
        services.member_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], name="孙八", personal=personal(105))


def test_transfer_keeps_history_and_counts(cast):
    officer = cast.user("district_officer")
    member = cast.members["member"]
    before_from = selectors.subtree_member_counts(cast.orgs["street"])["total"]
    before_to = selectors.subtree_member_counts(cast.orgs["other_street"])["total"]
    transfer = services.member_transfer(actor=officer, member=member, to_org=cast.orgs["other_branch"], reason="工作调动")
    member.refresh_from_db()
    assert member.org == cast.orgs["other_branch"] and member.org_path == cast.orgs["other_branch"].path
    assert transfer.from_org == cast.orgs["branch"]
    assert selectors.subtree_member_counts(cast.orgs["street"])["total"] == before_from - 1
    assert selectors.subtree_member_counts(cast.orgs["other_street"])["total"] == before_to + 1


def test_transfer_to_an_org_outside_scope_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.member_transfer(actor=cast.user("street_secretary"), member=cast.members["member"],
                                 to_org=cast.orgs["other_branch"])
    cast.members["member"].refresh_from_db()
    assert cast.members["member"].org == cast.orgs["branch"]


def test_move_subtree_rewrites_every_copied_path(cast):
    officer = cast.user("district_officer")
    community = cast.orgs["community"]
    services.org_move(actor=officer, org=community, new_parent=cast.orgs["other_street"])
    community.refresh_from_db()
    assert community.path.startswith(cast.orgs["other_street"].path)
    member = Member.objects.get(pk=cast.members["member"].pk)
    assert member.org_path.startswith(community.path)
    grant = RoleGrant.objects.get(user=cast.user("branch_secretary"))
    assert grant.org_path == cast.orgs["branch"].__class__.objects.get(pk=cast.orgs["branch"].pk).path
    assert OrgMemberCount.objects.get(org=community).org_path == community.path
    assert Org.objects.find_problems() == ([], [], [], [], [])


def test_move_under_own_descendant_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        services.org_move(actor=cast.user("district_officer"), org=cast.orgs["street"], new_parent=cast.orgs["branch"])
    assert "下级" in " ".join(caught.value.messages)


def test_move_out_of_scope_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.org_move(actor=cast.user("street_secretary"), org=cast.orgs["community"], new_parent=cast.orgs["other_street"])


def test_temporary_branch_needs_end_date_and_level_order(cast):
    with pytest.raises(ValidationError):
        services.org_create(actor=cast.user("district_officer"), parent=cast.orgs["street"], name="项目临时党支部",
                            level=Level.BRANCH, temporary=True)
    with pytest.raises(ValidationError):
        services.org_create(actor=cast.user("district_officer"), parent=cast.orgs["branch"], name="倒挂街道",
                            level=Level.STREET)
    temporary = services.org_create(actor=cast.user("district_officer"), parent=cast.orgs["street"],
                                    name="马銮湾项目临时党支部", level=Level.BRANCH, temporary=True,
                                    end_date=datetime.date(2027, 6, 30))
    assert temporary.temporary and temporary.end_date


def test_roll_up_rebuild_equals_incremental(cast):
    officer = cast.user("district_officer")
    for serial in range(110, 115):
        services.member_create(actor=officer, org=cast.orgs["branch"], name=f"党员{serial}", personal=personal(serial))
    services.member_create(actor=officer, org=cast.orgs["other_branch"], name="预备党员甲", personal=personal(120),
                           status=MemberStatus.PROBATIONARY, probation_end=datetime.date(2027, 1, 1))
    services.member_transfer(actor=officer, member=cast.members["member"], to_org=cast.orgs["other_branch"])
    incremental = sorted(OrgMemberCount.objects.values_list("org_id", "org_path", "full", "probationary"))
    services.member_counts_rebuild()
    rebuilt = sorted(OrgMemberCount.objects.values_list("org_id", "org_path", "full", "probationary"))
    assert incremental == rebuilt
    assert selectors.subtree_member_counts(cast.orgs["district"])["total"] == Member.objects.filter(is_active=True).count()


def test_member_list_count_from_the_roll_up_equals_the_row_count(cast):
    for user_name in ("district_officer", "street_secretary", "outsider", "resident"):
        user = cast.user(user_name)
        for org in (None, cast.orgs["district"], cast.orgs["street"], cast.orgs["other_branch"]):
            assert selectors.member_list_count(user, org=org) == selectors.member_list(user, org=org).count()

"""The org and member pages: who sees what, what each form refuses (in Chinese), and that refusals write nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuntu.accounts.models import AuditEntry
from yuntu.core.cast import id_number
from yuntu.orgs import forms, services
from yuntu.orgs.models import Kind, Level, Member, MemberStatus, Org, OrgMemberCount, Sector, Transfer

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode()


def state() -> tuple:
    """Everything a refused request must leave as it was."""
    return (
        AuditEntry.objects.count(), Transfer.objects.count(),
        sorted(Org.objects.values_list("id", "path", "name", "level", "numchild")),
        sorted(Member.objects.values_list("id", "org_id", "org_path", "name", "employer")),
        sorted(OrgMemberCount.objects.values_list("org_id", "org_path", "full", "probationary")),
    )


def new_id(serial: int) -> str:
    return id_number("350205", datetime.date(1992, 4, 9), serial)


def member_payload(**overrides) -> dict:
    data = {"name": "黄志明", "id_number": new_id(301), "mobile": "13600001234", "status": MemberStatus.FULL,
            "joined_on": "2015-07-01", "probation_end": "", "floating_location": "", "employer": "",
            "home_address": "", "reporting_community": ""}
    data.update(overrides)
    return data


# --- Org tree and search ---


def test_tree_shows_the_roots_of_the_users_scope_with_member_counts(cast, client_for):
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:tree"))
    assert response.status_code == 200
    page = text(response)
    assert "组织架构" in page and "中共海沧区新阳街道工作委员会" in page
    assert "东孚" not in page and "中共厦门市海沧区委员会" not in page
    assert reverse("orgs:children", args=[cast.orgs["street"].pk]) in page
    assert "党员 <strong>1</strong>" in page


def test_tree_is_refused_to_residents(cast, client_for):
    response = client_for(cast.user("resident")).get(reverse("orgs:tree"))
    assert response.status_code == 403
    assert "无权" in text(response)


def test_children_partial_lists_children_with_badges_and_counts(cast, client_for):
    services.org_create(actor=cast.user("street_secretary"), parent=cast.orgs["street"], name="新阳项目临时党支部",
                        level=Level.BRANCH, sector=Sector.PRIVATE, temporary=True, end_date=datetime.date(2027, 6, 30))
    client = client_for(cast.user("street_secretary"))
    response = client.get(reverse("orgs:children", args=[cast.orgs["street"].pk]), **HTMX)
    assert response.status_code == 200
    page = text(response)
    assert "<html" not in page
    assert "中共新阳街道兴旺社区委员会" in page and "新阳项目临时党支部" in page
    assert "临时" in page and "至 2027-06-30" in page and "非公企业" in page and "社区（村）党组织" in page
    assert "党员 <strong>1</strong>" in page
    # Without JS the same address leads to the node's own page.
    plain = client.get(reverse("orgs:children", args=[cast.orgs["street"].pk]))
    assert plain.status_code == 302 and plain["Location"] == reverse("orgs:detail", args=[cast.orgs["street"].pk])


def test_expanding_a_node_costs_the_same_queries_whatever_the_number_of_children(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    url = reverse("orgs:children", args=[cast.orgs["street"].pk])
    client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as few:
        client.get(url, **HTMX)
    for number in range(6):
        branch = services.org_create(actor=cast.user("street_secretary"), parent=cast.orgs["street"],
                                     name=f"新阳第{number}非公党支部", level=Level.BRANCH)
        services.member_create(actor=cast.user("street_secretary"), org=branch, name=f"党员{number}",
                               personal=services.PersonalData(new_id(400 + number)))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, **HTMX)
    assert text(response).count('class="tree-node"') == 7
    assert len(many) == len(few)


def test_outsider_cannot_expand_another_streets_node(cast, client_for):
    response = client_for(cast.user("outsider")).get(reverse("orgs:children", args=[cast.orgs["street"].pk]), **HTMX)
    assert response.status_code == 404


@pytest.mark.parametrize(("query", "expected"), [("hc", "中共海沧区新阳街道工作委员会"), ("xingwang", "中共新阳街道兴旺社区委员会"),
                                                 ("xwsq", "中共新阳街道兴旺社区委员会"), ("萬科", "万科城小区党支部"),
                                                 ("wankecheng", "万科城小区党支部")])
def test_search_by_name_pinyin_initials_and_traditional_characters(cast, client_for, query, expected):
    services.org_create(actor=cast.user("street_secretary"), parent=cast.orgs["community"], name="万科城小区党支部",
                        level=Level.BRANCH, kind=Kind.ESTATE)
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:tree"), {"q": query})
    assert response.status_code == 200
    results = text(response).split('id="search-results"')[1].split('class="card tree-card"')[0]
    assert expected in results


def test_search_stays_inside_the_scope(cast, client_for):
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:tree"), {"q": "shanbian"})
    assert "山边" not in text(response)
    assert "没有找到匹配的组织" in text(response)


def test_live_search_returns_only_the_results_partial(cast, client_for):
    response = client_for(cast.user("district_officer")).get(reverse("orgs:tree"), {"q": "hc"}, **HTMX)
    page = text(response)
    assert "<html" not in page and "中共厦门市海沧区委员会" in page and "搜索结果" in page


# --- Org detail, create, edit, move ---


def test_org_detail_shows_fields_scoped_breadcrumb_children_and_actions(cast, client_for):
    community = cast.orgs["community"]
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:detail", args=[community.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "中共新阳街道兴旺社区委员会" in page and "兴旺社区第一党支部" in page
    assert 'class="breadcrumb"' in page and "新阳街道" in page
    assert "海沧区委" not in page  # the district is above the secretary's scope
    for action in ("orgs:create", "orgs:edit", "orgs:move"):
        assert reverse(action, args=[community.pk]) in page
    assert "共建单位" in page and "网格" in page


def test_branch_secretary_sees_the_branch_but_no_org_actions(cast, client_for):
    branch = cast.orgs["branch"]
    page = text(client_for(cast.user("branch_secretary")).get(reverse("orgs:detail", args=[branch.pk])))
    assert "兴旺社区第一党支部" in page
    assert reverse("orgs:edit", args=[branch.pk]) not in page
    assert reverse("orgs:member_create", args=[branch.pk]) in page


@pytest.mark.parametrize("name", ["orgs:detail", "orgs:edit", "orgs:create", "orgs:move", "orgs:member_create"])
def test_outsider_gets_404_for_another_streets_org_pages(cast, client_for, name):
    client = client_for(cast.user("outsider"))
    before = state()
    url = reverse(name, args=[cast.orgs["community"].pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"name": "越权", "level": "branch", "kind": "standard", "new_parent": cast.orgs["other_branch"].pk,
                                 **member_payload()})
    assert response.status_code == (405 if name == "orgs:detail" else 404)
    if name != "orgs:detail":
        assert "页面不存在或您无权查看" in text(response)
    assert state() == before


def test_create_child_org(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    community = cast.orgs["community"]
    response = client.post(reverse("orgs:create", args=[community.pk]),
                           {"name": "兴旺社区第二党支部", "level": "branch", "kind": "standard", "sector": "community"})
    created = Org.objects.get(name="兴旺社区第二党支部")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:detail", args=[created.pk])
    assert created.path.startswith(community.path) and created.depth == community.depth + 1
    assert AuditEntry.objects.filter(action="org.create", object_id=str(created.pk)).exists()
    page = text(client.get(response["Location"]))
    assert "已新建组织" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "level": "branch"}, "请填写此项"),
    ({"name": "项目临时党支部", "level": "branch", "temporary": "on"}, "临时党组织必须填写撤销日期"),
    ({"name": "倒挂街道", "level": "street"}, "下级组织的层级不能高于上级组织"),
    ({"name": "某支部", "level": "branch", "division_code": "12ab"}, "行政区划代码应为6位"),
    ({"name": "某支部", "level": "branch", "temporary": "on", "end_date": "2027-13-45"}, "请输入有效日期"),
])
def test_create_child_org_bad_input_is_explained_and_writes_nothing(cast, client_for, data, message):
    before = state()
    response = client_for(cast.user("street_secretary")).post(
        reverse("orgs:create", args=[cast.orgs["community"].pk]), {"kind": "standard", **data})
    assert response.status_code == 200
    assert message in text(response)
    assert state() == before


def test_branch_secretary_may_not_create_orgs(cast, client_for):
    before = state()
    client = client_for(cast.user("branch_secretary"))
    url = reverse("orgs:create", args=[cast.orgs["branch"].pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "党小组", "level": "group", "kind": "standard"})
    assert response.status_code == 403 and "无权在该组织下新建组织" in text(response)
    assert state() == before


def test_edit_org(cast, client_for):
    client = client_for(cast.user("community_secretary"))
    community = cast.orgs["community"]
    url = reverse("orgs:edit", args=[community.pk])
    assert "中共新阳街道兴旺社区委员会" in text(client.get(url))
    data = {"name": community.name, "short_name": "兴旺社区", "level": "community", "kind": "standard",
            "sector": "community", "division_code": "", "address": "新阳路88号", "is_active": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.address == "新阳路88号"
    entry = AuditEntry.objects.filter(action="org.update").latest("sequence")
    assert entry.after["address"] == "新阳路88号"
    entries = AuditEntry.objects.count()
    assert client.post(url, data).status_code == 302  # nothing changed: no service call, no entry
    assert AuditEntry.objects.count() == entries


def test_move_subtree_after_searching_for_the_new_parent(cast, client_for):
    officer = cast.user("street_secretary")
    second = services.org_create(actor=officer, parent=cast.orgs["street"], name="中共新阳街道祥露社区委员会",
                                 short_name="祥露社区", level=Level.COMMUNITY)
    client = client_for(officer)
    branch = cast.orgs["branch"]
    page = text(client.get(reverse("orgs:move", args=[branch.pk]), {"q": "xianglu"}))
    assert "中共新阳街道祥露社区委员会" in page and f'value="{second.pk}"' in page
    assert "东孚" not in text(client.get(reverse("orgs:move", args=[branch.pk]), {"q": "shequ"}))
    response = client.post(reverse("orgs:move", args=[branch.pk]), {"new_parent": second.pk})
    assert response.status_code == 302
    branch.refresh_from_db()
    assert branch.path.startswith(second.path)
    assert Member.objects.get(pk=cast.members["member"].pk).org_path.startswith(branch.path)


def test_move_under_own_descendant_is_explained_in_chinese(cast, client_for):
    before = state()
    response = client_for(cast.user("street_secretary")).post(
        reverse("orgs:move", args=[cast.orgs["community"].pk]), {"new_parent": cast.orgs["branch"].pk})
    assert response.status_code == 200
    assert "不能把组织移动到它自己或它的下级组织之下" in text(response)
    assert state() == before


def test_move_under_an_org_outside_scope_is_refused(cast, client_for):
    before = state()
    response = client_for(cast.user("street_secretary")).post(
        reverse("orgs:move", args=[cast.orgs["community"].pk]), {"new_parent": cast.orgs["other_street"].pk})
    assert response.status_code == 200
    assert "目标组织不存在或不在您的管理范围内" in text(response)
    assert state() == before


# --- Members ---


def test_member_list_masks_personal_data(cast, client_for):
    member = cast.members["member"]
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:members"))
    page = text(response)
    assert response.status_code == 200
    assert "林晓红" in page and member.id_number_masked in page and "138****1234" in page
    assert id_number("350205", datetime.date(1985, 6, 15), 12) not in page and "13859201234" not in page
    assert "邱文彬" not in page


def test_member_list_filters(cast, client_for):
    officer = cast.user("street_secretary")
    services.member_create(actor=officer, org=cast.orgs["branch"], name="王建国", personal=services.PersonalData(new_id(310)),
                           floating=True, floating_location="深圳")
    services.member_create(actor=officer, org=cast.orgs["branch"], name="陈预备", personal=services.PersonalData(new_id(311)),
                           status=MemberStatus.PROBATIONARY, probation_end=datetime.date(2027, 1, 1), in_service=True)
    client = client_for(officer)
    url = reverse("orgs:members")

    def names(**params):
        page = text(client.get(url, params))
        return {name for name in ("林晓红", "王建国", "陈预备") if name in page}

    assert names() == {"林晓红", "王建国", "陈预备"}
    assert names(q="lxh") == {"林晓红"}
    assert names(q="wangjianguo") == {"王建国"}
    assert names(q="林曉紅") == {"林晓红"}
    assert names(status="probationary") == {"陈预备"}
    assert names(floating="yes") == {"王建国"}
    assert names(in_service="yes") == {"陈预备"}
    assert names(in_service="no", floating="no") == {"林晓红"}
    assert names(org=cast.orgs["community"].pk) == {"林晓红", "王建国", "陈预备"}


def test_member_list_filter_by_an_org_outside_scope_is_404(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    assert client.get(reverse("orgs:members"), {"org": cast.orgs["other_branch"].pk}).status_code == 404


def test_member_list_pages_by_fifty(cast, client_for):
    officer = cast.user("district_officer")
    for serial in range(500, 551):
        services.member_create(actor=officer, org=cast.orgs["agency"], name=f"机关党员{serial}",
                               personal=services.PersonalData(new_id(serial)))
    client = client_for(officer)
    first = text(client.get(reverse("orgs:members"), {"org": cast.orgs["agency"].pk}))
    assert first.count('class="mono"') == 2 * 50
    assert "第 1 / 2 页" in first and f"org={cast.orgs['agency'].pk}&amp;page=2" in first
    second = text(client.get(reverse("orgs:members"), {"org": cast.orgs["agency"].pk, "page": 2}))
    assert second.count('class="mono"') == 2 * 1


def test_member_list_is_refused_without_member_view(cast, client_for):
    assert client_for(cast.user("department_handler")).get(reverse("orgs:members")).status_code == 403


def test_member_detail_and_transfer_history(cast, client_for):
    member = cast.members["member"]
    services.member_transfer(actor=cast.user("street_secretary"), member=member, to_org=cast.orgs["community"],
                             reason="支部调整")
    response = client_for(cast.user("street_secretary")).get(reverse("orgs:member_detail", args=[member.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "林晓红" in page and member.id_number_masked in page and "支部调整" in page
    assert "显示完整信息" not in page  # street secretaries do not hold personal_data.view


def test_show_full_personal_data_is_audited_and_only_for_allowed_roles(cast, client_for):
    member = cast.members["member"]
    clear_id = id_number("350205", datetime.date(1985, 6, 15), 12)
    client = client_for(cast.user("district_officer"))
    assert "显示完整信息" in text(client.get(reverse("orgs:member_detail", args=[member.pk])))
    entries = AuditEntry.objects.count()
    response = client.post(reverse("orgs:member_personal_data", args=[member.pk]))
    assert response.status_code == 200
    assert clear_id in text(response) and "13859201234" in text(response)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.latest("sequence").action == "member.personal_data_view"
    # The clear values are shown once: the next ordinary view is masked again.
    assert clear_id not in text(client.get(reverse("orgs:member_detail", args=[member.pk])))
    assert client.get(reverse("orgs:member_personal_data", args=[member.pk])).status_code == 405


def test_show_full_personal_data_is_refused_to_a_branch_secretary(cast, client_for):
    before = state()
    response = client_for(cast.user("branch_secretary")).post(
        reverse("orgs:member_personal_data", args=[cast.members["member"].pk]))
    assert response.status_code == 403
    assert "13859201234" not in text(response)
    assert state() == before


@pytest.mark.parametrize("name", ["orgs:member_detail", "orgs:member_edit", "orgs:member_transfer",
                                  "orgs:member_personal_data"])
def test_outsider_gets_404_for_another_streets_member(cast, client_for, name):
    client = client_for(cast.user("outsider"))
    before = state()
    url = reverse(name, args=[cast.members["member"].pk])
    assert client.get(url).status_code == (405 if name == "orgs:member_personal_data" else 404)
    response = client.post(url, {**member_payload(), "to_org": cast.orgs["other_branch"].pk})
    assert response.status_code == (405 if name == "orgs:member_detail" else 404)
    assert state() == before


def test_create_member(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    branch = cast.orgs["branch"]
    response = client.post(reverse("orgs:member_create", args=[branch.pk]), member_payload())
    created = Member.objects.get(name="黄志明")
    assert response.status_code == 302 and response["Location"] == reverse("orgs:member_detail", args=[created.pk])
    assert created.org == branch and created.mobile_masked == "136****1234"
    assert OrgMemberCount.objects.get(org=branch).full == 2


@pytest.mark.parametrize(("overrides", "message"), [
    ({"id_number": new_id(302)[:17] + ("0" if new_id(302)[17] != "0" else "1")}, "身份证号码校验位不正确"),
    ({"id_number": "35020519920409"}, "身份证号码应为18位"),
    ({"id_number": ""}, "请填写此项"),
    ({"mobile": "12345"}, "手机号码应为11位"),
    ({"status": "probationary"}, "预备党员必须填写预备期满日期"),
    ({"id_number": id_number("350205", datetime.date(1985, 6, 15), 12)}, "该身份证号码已登记为党员"),
    ({"name": "  "}, "请填写"),
])
def test_create_member_bad_input_is_explained_and_writes_nothing(cast, client_for, overrides, message):
    before = state()
    response = client_for(cast.user("branch_secretary")).post(
        reverse("orgs:member_create", args=[cast.orgs["branch"].pk]), member_payload(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert state() == before


def test_member_create_is_refused_above_the_branch_secretarys_scope(cast, client_for):
    before = state()
    client = client_for(cast.user("branch_secretary"))
    assert client.post(reverse("orgs:member_create", args=[cast.orgs["community"].pk]), member_payload()).status_code == 404
    assert state() == before


def test_edit_member_keeps_personal_data_unless_given(cast, client_for):
    member = cast.members["member"]
    client = client_for(cast.user("branch_secretary"))
    url = reverse("orgs:member_edit", args=[member.pk])
    page = text(client.get(url))
    assert "林晓红" in page and "13859201234" not in page and "留空表示不修改" in page
    response = client.post(url, member_payload(name="林晓红", id_number="", mobile="", employer="兴旺物业", in_service="on"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.employer == "兴旺物业" and member.in_service and member.mobile_masked == "138****1234"


def test_edit_member_mobile_alone_asks_for_the_id_number(cast, client_for):
    before = state()
    response = client_for(cast.user("branch_secretary")).post(
        reverse("orgs:member_edit", args=[cast.members["member"].pk]),
        member_payload(name="林晓红", id_number="", mobile="13900009999"))
    assert response.status_code == 200 and "修改手机号时请一并填写身份证号码" in text(response)
    assert state() == before


def test_transfer_member_within_scope(cast, client_for):
    officer = cast.user("street_secretary")
    second = services.org_create(actor=officer, parent=cast.orgs["community"], name="兴旺社区第二党支部", level=Level.BRANCH)
    client = client_for(officer)
    member = cast.members["member"]
    page = text(client.get(reverse("orgs:member_transfer", args=[member.pk]), {"q": "dierdang"}))
    assert "兴旺社区第二党支部" in page
    response = client.post(reverse("orgs:member_transfer", args=[member.pk]),
                           {"to_org": second.pk, "reason": "工作调动", "transferred_on": "2026-03-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.org == second
    transfer = Transfer.objects.get(member=member)
    assert transfer.reason == "工作调动" and transfer.transferred_on == datetime.date(2026, 3, 1)


def test_transfer_to_an_org_outside_scope_is_refused_with_a_message(cast, client_for):
    before = state()
    client = client_for(cast.user("street_secretary"))
    member = cast.members["member"]
    assert "山边" not in text(client.get(reverse("orgs:member_transfer", args=[member.pk]), {"q": "shanbian"}))
    response = client.post(reverse("orgs:member_transfer", args=[member.pk]),
                           {"to_org": cast.orgs["other_branch"].pk, "reason": "越权"})
    assert response.status_code == 200
    assert "目标组织不存在或不在您的管理范围内" in text(response)
    same = client.post(reverse("orgs:member_transfer", args=[member.pk]), {"to_org": cast.orgs["branch"].pk})
    assert "转入组织与当前组织相同" in text(same)
    assert state() == before


def test_choice_labels_offered_for_translation_cover_the_models():
    from yuntu.accounts.roles import Role
    from yuntu.orgs.models import Gender, PartnerUnit

    labels = set(forms.CHOICE_LABELS)
    for choices in (Level, Kind, Sector, MemberStatus, Gender, PartnerUnit.UnitKind, Role):
        assert set(choices.labels) <= labels, choices

import datetime

import pytest

from yuntu.accounts.models import AuditEntry
from yuntu.core import crypto
from yuntu.core.cast import id_number
from yuntu.orgs import selectors
from yuntu.orgs.models import Member, Transfer

from .helpers import assert_error, body, call, snapshot

NEW_ID = id_number("350205", datetime.date(1992, 4, 18), 31)


def names(response) -> set[str]:
    return {member["name"] for member in body(response)["results"]}


def clear_personal_data(member: Member) -> list[str]:
    return [crypto.decrypt(member.id_number_encrypted), crypto.decrypt(member.mobile_encrypted)]


def test_lists_are_scoped_and_show_masked_data_only(cast, client_for):
    response = client_for(cast.user("street_secretary")).get("/api/members/")
    assert names(response) == {"林晓红"}
    member = cast.members["member"]
    row = body(response)["results"][0]
    assert row["id_number_masked"] == member.id_number_masked and "*" in row["id_number_masked"]
    assert row["mobile_masked"] == "138****1234"
    assert not {"id_number", "mobile", "birth_date", "home_address", "id_number_encrypted"} & set(row)
    for clear in clear_personal_data(member):
        assert clear.encode() not in response.content
    assert names(client_for(cast.user("outsider")).get("/api/members/")) == {"邱文彬"}
    assert names(client_for(cast.user("department_handler")).get("/api/members/")) == set()


def test_retrieve_outside_the_scope_is_404(cast, client_for):
    outsider = client_for(cast.user("outsider"))
    assert_error(outsider.get(f"/api/members/{cast.members['member'].pk}/"), 404, "not_found")
    secretary = client_for(cast.user("street_secretary"))
    assert_error(secretary.get(f"/api/members/{cast.members['other_member'].pk}/"), 404, "not_found")
    response = secretary.get(f"/api/members/{cast.members['member'].pk}/")
    data = body(response)
    assert data["name"] == "林晓红" and data["org_name"] == "兴旺社区第一党支部"
    for clear in clear_personal_data(cast.members["member"]):
        assert clear.encode() not in response.content


def test_list_filters(cast, client_for):
    client = client_for(cast.user("district_officer"))
    assert names(client.get(f"/api/members/?org={cast.orgs['street'].pk}")) == {"林晓红"}
    assert names(client.get("/api/members/?q=lxh")) == {"林晓红"}
    assert names(client.get("/api/members/?q=qiuwenbin")) == {"邱文彬"}
    assert names(client.get("/api/members/?status=full")) == {"林晓红", "邱文彬"}
    assert names(client.get("/api/members/?status=probationary")) == set()
    assert names(client.get("/api/members/?floating=false&in_service=false")) == {"林晓红", "邱文彬"}
    assert names(client.get("/api/members/?floating=true")) == set()
    assert_error(client.get("/api/members/?floating=perhaps"), 400, "invalid")
    outsider = client_for(cast.user("outsider"))
    data = assert_error(outsider.get(f"/api/members/?org={cast.orgs['branch'].pk}"), 400, "invalid")
    assert data["fields"] == {"org": ["组织不存在或无权访问。"]}


def test_create_a_member(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    entries = AuditEntry.objects.count()
    response = call(client, "post", "/api/members/", {"org": cast.orgs["branch"].pk, "name": "黄志明",
                                                      "id_number": NEW_ID.lower(), "mobile": "136-0000-1234",
                                                      "home_address": "兴旺小区3号楼"})
    assert response.status_code == 201, response.content.decode()
    data = body(response)
    assert data["id_number_masked"] == NEW_ID[:4] + "*" * 10 + NEW_ID[-4:]
    assert data["mobile_masked"] == "136****1234" and data["gender"] == "male"
    assert NEW_ID.encode() not in response.content and b"13600001234" not in response.content
    assert b"home_address" not in response.content
    member = Member.objects.get(pk=data["id"])
    assert clear_personal_data(member) == [NEW_ID, "13600001234"] and member.home_address == "兴旺小区3号楼"
    assert AuditEntry.objects.count() == entries + 1
    assert selectors.subtree_member_counts(cast.orgs["branch"])["total"] == 2


@pytest.mark.parametrize(("field", "value", "words"), [
    ("id_number", NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1"), "校验位"),
    ("id_number", "12345", "18位"),
    ("id_number", "350205199213320311", "出生日期"),
    ("mobile", "12345678901", "11位"),
])
def test_bad_id_number_or_mobile_is_400_with_a_chinese_message_and_writes_nothing(cast, client_for, field, value,
                                                                                 words):
    client = client_for(cast.user("branch_secretary"))
    before = snapshot()
    payload = {"org": cast.orgs["branch"].pk, "name": "王五", "id_number": NEW_ID, "mobile": "13600001234", field: value}
    data = assert_error(call(client, "post", "/api/members/", payload), 400, "invalid")
    assert list(data["fields"]) == [field]
    assert words in data["fields"][field][0] and data["message"] == data["fields"][field][0]
    assert snapshot() == before


def test_rules_checked_by_the_service_come_back_by_field(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    before = snapshot()
    data = assert_error(call(client, "post", "/api/members/", {"org": cast.orgs["branch"].pk, "name": "钱七",
                                                               "id_number": NEW_ID, "status": "probationary"}),
                        400, "invalid")
    assert data["fields"] == {"probation_end": ["预备党员必须填写预备期满日期。"]}
    duplicate = clear_personal_data(cast.members["member"])[0]
    data = assert_error(call(client, "post", "/api/members/", {"org": cast.orgs["branch"].pk, "name": "重复",
                                                               "id_number": duplicate}), 400, "invalid")
    assert data["fields"] == {"id_number": ["该身份证号码已登记为党员。"]}
    assert snapshot() == before


def test_a_role_without_member_change_gets_403(cast, client_for):
    client = client_for(cast.user("member"))  # sees its branch (org.view) but may not register members
    before = snapshot()
    data = assert_error(call(client, "post", "/api/members/", {"org": cast.orgs["branch"].pk, "name": "赵六",
                                                               "id_number": NEW_ID}), 403, "permission_denied")
    assert data["message"] == "无权在该组织下登记党员。"
    assert snapshot() == before


def test_outsider_cannot_create_patch_or_transfer_the_other_streets_members(cast, client_for):
    client = client_for(cast.user("outsider"))
    member, other_member = cast.members["member"], cast.members["other_member"]
    before = snapshot(member, other_member)

    created = call(client, "post", "/api/members/", {"org": cast.orgs["branch"].pk, "name": "越权", "id_number": NEW_ID})
    assert assert_error(created, 400, "invalid")["fields"] == {"org": ["组织不存在或无权访问。"]}
    patched = call(client, "patch", f"/api/members/{member.pk}/", {"name": "越权篡改", "employer": "越权单位"})
    assert_error(patched, 404, "not_found")
    transferred = call(client, "post", f"/api/members/{member.pk}/transfer/",
                       {"to_org": cast.orgs["other_branch"].pk, "reason": "越权"})
    assert_error(transferred, 404, "not_found")
    # Its own member cannot be pushed into the other street: the target is not visible.
    pushed = call(client, "post", f"/api/members/{other_member.pk}/transfer/", {"to_org": cast.orgs["branch"].pk})
    assert assert_error(pushed, 400, "invalid")["fields"] == {"to_org": ["组织不存在或无权访问。"]}

    assert snapshot(member, other_member) == before


def test_patch_through_the_service(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    member = cast.members["member"]
    response = call(client, "patch", f"/api/members/{member.pk}/", {"employer": "海沧区城市管理局", "in_service": True})
    assert response.status_code == 200, response.content.decode()
    assert body(response)["employer"] == "海沧区城市管理局"
    member.refresh_from_db()
    assert member.in_service and member.employer == "海沧区城市管理局"
    assert AuditEntry.objects.filter(action="member.update", object_id=str(member.pk)).exists()


def test_patch_personal_data(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    member = cast.members["member"]
    before = snapshot(member)
    data = assert_error(call(client, "patch", f"/api/members/{member.pk}/", {"mobile": "13600009999"}), 400, "invalid")
    assert list(data["fields"]) == ["id_number"]
    assert snapshot(member) == before
    clear_id = clear_personal_data(member)[0]
    response = call(client, "patch", f"/api/members/{member.pk}/", {"id_number": clear_id, "mobile": "13600009999"})
    assert response.status_code == 200 and body(response)["mobile_masked"] == "136****9999"
    assert b"13600009999" not in response.content and clear_id.encode() not in response.content


def test_transfer(cast, client_for):
    client = client_for(cast.user("district_officer"))
    member = cast.members["member"]
    response = call(client, "post", f"/api/members/{member.pk}/transfer/",
                    {"to_org": cast.orgs["other_branch"].pk, "reason": "工作调动"})
    assert response.status_code == 201, response.content.decode()
    data = body(response)
    assert (data["from_org"], data["to_org"], data["reason"]) == (cast.orgs["branch"].pk, cast.orgs["other_branch"].pk,
                                                                  "工作调动")
    member.refresh_from_db()
    assert member.org == cast.orgs["other_branch"] and Transfer.objects.filter(member=member).count() == 1
    same = call(client, "post", f"/api/members/{member.pk}/transfer/", {"to_org": cast.orgs["other_branch"].pk})
    assert assert_error(same, 400, "invalid")["fields"] == {"to_org": ["转入组织与当前组织相同。"]}


def test_personal_data_does_not_appear_in_org_responses(cast, client_for):
    client = client_for(cast.user("district_officer"))
    member = cast.members["member"]
    for url in ("/api/orgs/", f"/api/orgs/{cast.orgs['branch'].pk}/", f"/api/orgs/{cast.orgs['branch'].pk}/member-counts/",
                "/api/me/"):
        content = client.get(url).content
        assert member.id_number_masked.encode() not in content and member.mobile_masked.encode() not in content


def test_member_list_count_is_the_same_with_and_without_filters(cast, client_for):
    client = client_for(cast.user("district_officer"))
    unfiltered = client.get("/api/members/").json()
    filtered = client.get("/api/members/?status=full").json()
    assert unfiltered["count"] == len(unfiltered["results"]) == 2
    assert filtered["count"] == 2

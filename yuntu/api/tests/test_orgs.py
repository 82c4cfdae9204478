from yuntu.accounts.models import AuditEntry
from yuntu.orgs.models import Org

from .helpers import assert_error, body, call, snapshot

NOT_FOUND = "对象不存在或无权访问。"


def names(response) -> set[str]:
    return {org["name"] for org in body(response)["results"]}


def test_lists_are_scoped_to_the_user(cast, client_for):
    outsider = names(client_for(cast.user("outsider")).get("/api/orgs/"))
    assert outsider == {"山边社区第一党支部"}
    secretary = names(client_for(cast.user("street_secretary")).get("/api/orgs/"))
    assert secretary == {"中共海沧区新阳街道工作委员会", "中共新阳街道兴旺社区委员会", "兴旺社区第一党支部"}


def test_retrieve_outside_the_scope_is_404_like_a_missing_id(cast, client_for):
    client = client_for(cast.user("outsider"))
    hidden = assert_error(client.get(f"/api/orgs/{cast.orgs['community'].pk}/"), 404, "not_found")
    missing = assert_error(client.get("/api/orgs/987654/"), 404, "not_found")
    assert hidden == missing == {"code": "not_found", "message": NOT_FOUND}
    own = body(client.get(f"/api/orgs/{cast.orgs['other_branch'].pk}/"))
    assert own["name"] == "山边社区第一党支部" and own["parent"] is None  # the parent community is not theirs


def test_list_filters(cast, client_for):
    client = client_for(cast.user("district_officer"))
    street, community = cast.orgs["street"], cast.orgs["community"]
    assert names(client.get(f"/api/orgs/?parent={street.pk}")) == {"中共新阳街道兴旺社区委员会"}
    assert names(client.get(f"/api/orgs/?under={community.pk}")) == {"中共新阳街道兴旺社区委员会", "兴旺社区第一党支部"}
    assert names(client.get("/api/orgs/?level=street")) == {"中共海沧区新阳街道工作委员会", "中共海沧区东孚街道工作委员会"}
    assert names(client.get(f"/api/orgs/?under={street.pk}&sector=community&level=branch")) == {"兴旺社区第一党支部"}
    listed = body(client.get(f"/api/orgs/?parent={street.pk}"))["results"]
    assert [org["parent"] for org in listed] == [street.pk]


def test_search_by_pinyin_initials_and_traditional_characters(cast, client_for):
    client = client_for(cast.user("district_officer"))
    for query in ("兴旺", "xingwang", "xwsq", "興旺", "XingWang"):
        assert "中共新阳街道兴旺社区委员会" in names(client.get(f"/api/orgs/?q={query}")), query
    assert names(client.get("/api/orgs/?q=dongfu&level=street")) == {"中共海沧区东孚街道工作委员会"}
    outsider = client_for(cast.user("outsider"))
    assert names(outsider.get("/api/orgs/?q=兴旺")) == set()


def test_filters_naming_another_subtree_are_refused_without_saying_whether_it_exists(cast, client_for):
    client = client_for(cast.user("outsider"))
    for parameter in ("parent", "under"):
        hidden = assert_error(client.get(f"/api/orgs/?{parameter}={cast.orgs['community'].pk}"), 400, "invalid")
        missing = assert_error(client.get(f"/api/orgs/?{parameter}=987654"), 400, "invalid")
        assert hidden == missing and hidden["fields"] == {parameter: ["组织不存在或无权访问。"]}
    assert_error(client.get("/api/orgs/?level=planet"), 400, "invalid")
    assert_error(client.get("/api/orgs/?parent=abc"), 400, "invalid")


def test_create_a_child_org(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    entries = AuditEntry.objects.count()
    response = call(client, "post", "/api/orgs/", {"parent": cast.orgs["community"].pk, "name": "兴旺社区第二党支部",
                                                   "level": "branch", "sector": "community"})
    assert response.status_code == 201, response.content.decode()
    data = body(response)
    assert data["parent"] == cast.orgs["community"].pk and data["level_label"] == "党支部"
    org = Org.objects.get(pk=data["id"])
    assert org.path.startswith(cast.orgs["community"].path)
    assert AuditEntry.objects.filter(action="org.create", object_id=str(org.pk)).count() == 1
    assert AuditEntry.objects.count() == entries + 1


def test_create_needs_a_parent_and_valid_fields(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    before = snapshot()
    data = assert_error(call(client, "post", "/api/orgs/", {"name": "无上级", "level": "branch"}), 400, "invalid")
    assert "parent" in data["fields"]
    data = assert_error(call(client, "post", "/api/orgs/", {"parent": cast.orgs["branch"].pk, "name": "层级倒挂",
                                                            "level": "street"}), 400, "invalid")
    assert data["fields"]["level"] == ["下级组织的层级不能高于上级组织（上级为党支部）。"]
    data = assert_error(call(client, "post", "/api/orgs/", {"parent": cast.orgs["community"].pk, "name": "临时支部",
                                                            "level": "branch", "temporary": True}), 400, "invalid")
    assert data["fields"]["end_date"] == ["临时党组织必须填写撤销日期。"]
    assert snapshot() == before


def test_outsider_cannot_create_move_or_change_the_other_streets_orgs(cast, client_for):
    client = client_for(cast.user("outsider"))
    community = cast.orgs["community"]
    before = snapshot(community, cast.orgs["branch"], cast.orgs["other_branch"])

    created = call(client, "post", "/api/orgs/", {"parent": community.pk, "name": "越权支部", "level": "branch"})
    assert assert_error(created, 400, "invalid")["fields"] == {"parent": ["组织不存在或无权访问。"]}
    patched = call(client, "patch", f"/api/orgs/{community.pk}/", {"name": "越权篡改"})
    assert assert_error(patched, 404, "not_found")["message"] == NOT_FOUND
    moved = call(client, "post", f"/api/orgs/{cast.orgs['branch'].pk}/move/", {"parent": cast.orgs["other_community"].pk})
    assert_error(moved, 404, "not_found")
    # Its own branch cannot be pulled into the other street either: the target is not visible.
    pulled = call(client, "post", f"/api/orgs/{cast.orgs['other_branch'].pk}/move/", {"parent": community.pk})
    assert assert_error(pulled, 400, "invalid")["fields"] == {"parent": ["组织不存在或无权访问。"]}
    assert_error(client.get(f"/api/orgs/{community.pk}/member-counts/"), 404, "not_found")

    assert snapshot(community, cast.orgs["branch"], cast.orgs["other_branch"]) == before


def test_seeing_an_org_is_not_permission_to_change_it(cast, client_for):
    client = client_for(cast.user("branch_secretary"))  # org.view on its branch, no org.change
    branch = cast.orgs["branch"]
    before = snapshot(branch)
    data = assert_error(call(client, "patch", f"/api/orgs/{branch.pk}/", {"address": "兴旺路1号"}), 403,
                        "permission_denied")
    assert data["message"] == "无权修改该组织。"
    data = assert_error(call(client, "post", "/api/orgs/", {"parent": branch.pk, "name": "第一党小组",
                                                            "level": "group"}), 403, "permission_denied")
    assert data["message"] == "无权在该组织下新建组织。"
    assert snapshot(branch) == before


def test_patch_updates_through_the_service(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    community = cast.orgs["community"]
    response = call(client, "patch", f"/api/orgs/{community.pk}/", {"short_name": "兴旺", "address": "兴旺路1号"})
    assert response.status_code == 200, response.content.decode()
    assert body(response)["address"] == "兴旺路1号"
    community.refresh_from_db()
    assert community.short_name == "兴旺" and "xingwang" in community.search_text
    entry = AuditEntry.objects.filter(action="org.update", object_id=str(community.pk)).latest("sequence")
    assert entry.after["address"] == "兴旺路1号" and entry.before["address"] == ""
    assert_error(call(client, "patch", f"/api/orgs/{community.pk}/", {"division_code": "12ab"}), 400, "invalid")


def test_move_a_subtree(cast, client_for):
    client = client_for(cast.user("district_officer"))
    branch, other_community = cast.orgs["branch"], cast.orgs["other_community"]
    response = call(client, "post", f"/api/orgs/{branch.pk}/move/", {"parent": other_community.pk})
    assert response.status_code == 200, response.content.decode()
    assert body(response)["parent"] == other_community.pk
    member = cast.members["member"]
    member.refresh_from_db()
    assert member.org_path.startswith(other_community.path)
    data = assert_error(call(client, "post", f"/api/orgs/{cast.orgs['street'].pk}/move/",
                             {"parent": cast.orgs["community"].pk}), 400, "invalid")
    assert data["message"] == "不能把组织移动到它自己或它的下级组织之下。"


def test_member_counts_of_a_subtree_and_its_children(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    data = body(client.get(f"/api/orgs/{cast.orgs['street'].pk}/member-counts/"))
    assert data == {"org": cast.orgs["street"].pk, "full": 1, "probationary": 0, "total": 1,
                    "children": [{"id": cast.orgs["community"].pk, "name": "中共新阳街道兴旺社区委员会",
                                  "full": 1, "probationary": 0, "total": 1}]}
    district = body(client_for(cast.user("district_officer")).get(f"/api/orgs/{cast.orgs['district'].pk}/member-counts/"))
    assert district["total"] == 2 and len(district["children"]) == 3


def test_unsupported_methods_and_bodies_answer_in_chinese(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    url = f"/api/orgs/{cast.orgs['community'].pk}/"
    before = snapshot(cast.orgs["community"])
    assert_error(call(client, "put", url, {"name": "整体替换"}), 405, "method_not_allowed")
    assert_error(client.delete(url), 405, "method_not_allowed")
    assert_error(client.patch(url, data="{not json", content_type="application/json"), 400, "parse_error")
    assert snapshot(cast.orgs["community"]) == before


def test_parent_id_is_shown_only_when_the_parent_is_visible(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    street, community = cast.orgs["street"], cast.orgs["community"]
    assert client.get(f"/api/orgs/{street.pk}/").json()["parent"] is None  # the district is not theirs
    assert client.get(f"/api/orgs/{community.pk}/").json()["parent"] == street.pk
    listed = {row["id"]: row["parent"] for row in client.get("/api/orgs/").json()["results"]}
    assert listed[street.pk] is None and listed[community.pk] == street.pk
    officer = client_for(cast.user("district_officer"))
    assert officer.get(f"/api/orgs/{street.pk}/").json()["parent"] == cast.orgs["district"].pk

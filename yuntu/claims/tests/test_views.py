import datetime
import json

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock

from .. import services
from ..models import Claim, DualReport, Need, ServiceRecord
from ..workflow import ClaimStatus
from .factories import need
from .test_services import photo


def _state():
    return (Need.objects.count(), Claim.objects.count(), ServiceRecord.objects.count(), DualReport.objects.count(),
            AuditEntry.objects.count(), list(Claim.objects.values_list("status", flat=True)))


def test_staff_post_a_need_and_bad_input_writes_nothing(cast, client_for):
    client = client_for(cast.user("community_secretary"))
    form = {"org": cast.orgs["community"].pk, "kind": "wish", "category": "elderly", "title": "为老人修理轮椅",
            "description": "独居老人的轮椅坏了。", "address": "兴旺小区2号楼", "claimants_needed": 1,
            "deadline": (clock.today() - datetime.timedelta(days=1)).isoformat()}
    before = _state()
    response = client.post("/claims/needs/new/", form)
    assert response.status_code == 400
    assert "截止日期不能早于今天。" in response.content.decode()
    assert _state() == before
    response = client.post("/claims/needs/new/", {**form, "org": cast.orgs["other_community"].pk,
                                                  "deadline": (clock.today() + datetime.timedelta(days=7)).isoformat()})
    assert response.status_code == 400 and "请选择您管理范围内的社区或党支部。" in response.content.decode()
    assert _state() == before
    response = client.post("/claims/needs/new/", {**form, "deadline": (clock.today() + datetime.timedelta(days=7)).isoformat(),
                                                  "photos": [photo()]})
    created = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/needs/{created.pk}/"
    assert created.photos.count() == 1
    assert client.get(f"/claims/needs/{created.pk}/photo/?photo={created.photos.get().pk}").status_code == 200
    listing = client.get("/claims/").content.decode()
    assert "为老人修理轮椅" in listing


def test_an_outsider_neither_sees_nor_confirms_another_subtrees_claim(cast, client_for):
    item = need(cast)
    claim = services.need_claim(actor=cast.user("member"), need=item)
    services.claim_transition(actor=cast.user("member"), claim=claim, name="report", proof_text="已完成", hours=1,
                              photos=[photo()])
    outsider = client_for(cast.user("outsider"))
    before = _state()
    assert outsider.get(f"/claims/needs/{item.pk}/").status_code == 404
    assert outsider.post(f"/claims/claims/{claim.pk}/transition/", {"name": "confirm"}).status_code == 404
    assert outsider.get(f"/portal/needs/claims/{claim.pk}/").status_code == 404
    assert outsider.get(f"/claims/claims/{claim.pk}/photo/?photo=1").status_code == 404
    assert "已完成" not in outsider.get("/claims/reports/").content.decode()
    assert _state() == before
    secretary = client_for(cast.user("community_secretary"))
    response = secretary.post(f"/claims/claims/{claim.pk}/transition/", {"name": "return"})
    assert response.status_code == 400 and "“退回补充”须说明原因。" in response.content.decode()
    assert _state() == before
    response = secretary.post(f"/claims/claims/{claim.pk}/transition/", {"name": "confirm"})
    assert response.status_code == 302
    assert Claim.objects.get().status == ClaimStatus.CONFIRMED and ServiceRecord.objects.count() == 1


def test_portal_claim_refusals_are_chinese_and_change_nothing(cast, client, client_for):
    item = need(cast)
    assert "为独居老人更换厨房灯泡" in client.get("/portal/needs/").content.decode()
    response = client.post(f"/portal/needs/{item.pk}/claim/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    resident = client_for(cast.user("resident"))
    response = resident.post(f"/portal/needs/{item.pk}/claim/")
    assert response.status_code == 403 and "只有党员可以认领" in response.content.decode()
    member = client_for(cast.user("member"))
    response = member.post(f"/portal/needs/{item.pk}/claim/")
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/needs/claims/{claim.pk}/"
    before = _state()
    response = member.post(f"/portal/needs/{item.pk}/claim/")
    assert response.status_code == 400 and "该需求已被认领，名额已满。" in response.content.decode()
    response = member.post(f"/portal/needs/claims/{claim.pk}/report/", {"proof_text": "已完成", "hours": "30"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "服务时长应大于0且不超过24小时。" in body
    assert _state() == before
    mine = member.get("/portal/needs/mine/").content.decode()
    assert "为独居老人更换厨房灯泡" in mine and "待接入" not in mine


def test_member_reports_to_the_community_found_from_the_address(cast, client_for):
    member = client_for(cast.user("member"))
    page = member.get("/portal/needs/report/?address=兴旺社区3号楼").content.decode()
    assert "您居住的社区：中共新阳街道兴旺社区委员会" in page
    response = member.post("/portal/needs/report/", {"home_address": "兴旺社区3号楼1201室"})
    assert response.status_code == 302
    report = DualReport.objects.get()
    assert report.org == cast.orgs["community"] and report.member == cast.members["member"]
    response = member.post("/portal/needs/report/", {"home_address": "兴旺社区3号楼1201室"})
    assert response.status_code == 400 and "您已在该社区报到。" in response.content.decode()
    secretary = client_for(cast.user("community_secretary"))
    response = secretary.post("/claims/reports/", {"form": "service", "service-community": cast.orgs["community"].pk,
                                                   "service-member": cast.members["member"].pk,
                                                   "service-kind": "volunteer", "service-title": "周末文明劝导",
                                                   "service-served_on": clock.today().isoformat(), "service-hours": "2"})
    assert response.status_code == 302
    page = secretary.get("/claims/reports/").content.decode()
    assert "林晓红" in page and "周末文明劝导" in page
    api = secretary.get("/api/claims/services/").json()["results"]
    assert [row["title"] for row in api] == ["周末文明劝导"]
    assert client_for(cast.user("outsider")).get("/api/claims/services/").json()["results"] == []
    five = client_for(cast.user("branch_secretary")).get("/claims/fiveplusx/").content.decode()
    assert "林晓红" in five and "待接入" not in five
    figures = client_for(cast.user("street_secretary")).get(f"/claims/figures/?org={cast.orgs['street'].pk}")
    assert figures.status_code == 200 and 'data-figure="claims.service_visits"' in figures.content.decode()


def test_api_lists_in_scope_claims_and_refuses_with_json(cast, client_for):
    item = need(cast)
    outsider = client_for(cast.user("outsider"))
    assert outsider.get("/api/claims/needs/").json()["results"] == []
    assert outsider.get(f"/api/claims/needs/{item.pk}/").status_code == 404
    secretary = client_for(cast.user("community_secretary"))
    body = {"org": cast.orgs["community"].pk, "category": "living", "title": "修理水龙头", "description": "漏水",
            "address": "兴旺小区1号楼", "deadline": (clock.today() - datetime.timedelta(days=2)).isoformat()}
    before = _state()
    response = secretary.post("/api/claims/needs/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["message"] == "截止日期不能早于今天。"
    assert _state() == before
    member = client_for(cast.user("member"))
    response = member.post(f"/api/claims/needs/{item.pk}/claim/", data="{}", content_type="application/json")
    assert response.status_code == 201
    claim_id = response.json()["id"]
    response = member.post(f"/api/claims/needs/{item.pk}/claim/", data="{}", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"] == "该需求已被认领，名额已满。"
    outsider = client_for(cast.user("outsider"))
    response = outsider.post(f"/api/claims/claims/{claim_id}/transition/", data=json.dumps({"name": "withdraw"}),
                             content_type="application/json")
    assert response.status_code == 404
    assert Claim.objects.get().status == ClaimStatus.CLAIMED
    secretary = client_for(cast.user("community_secretary"))
    assert [row["id"] for row in secretary.get("/api/claims/claims/").json()["results"]] == [claim_id]
    figures = secretary.get("/api/claims/figures/").json()
    assert {row["code"]: row["value"] for row in figures["figures"]}["claims.needs_claimed"] == 1
    assert client_for(cast.user("outsider")).get(f"/api/claims/figures/?org={cast.orgs['community'].pk}").status_code == 400


def test_a_branch_secretary_reports_the_branch_to_a_community_named_in_words(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    page = client.get("/claims/reports/").content.decode()
    assert "报到社区名称" in page and "山边社区" not in page
    before = _state()
    response = client.post("/claims/reports/", {"form": "branch", "branch-branch": cast.orgs["branch"].pk,
                                                "branch-community": "不存在社区"})
    assert response.status_code == 400 and "没有找到名为“不存在社区”的社区（村）" in response.content.decode()
    response = client.post("/claims/reports/", {"form": "branch", "branch-branch": cast.orgs["other_branch"].pk,
                                                "branch-community": "山边社区"})
    assert response.status_code == 400 and "请选择报到的党支部。" in response.content.decode()
    assert _state() == before
    response = client.post("/claims/reports/", {"form": "branch", "branch-branch": cast.orgs["branch"].pk,
                                                "branch-community": "山边社区"})
    assert response.status_code == 302
    report = DualReport.objects.get()
    assert (report.branch, report.org) == (cast.orgs["branch"], cast.orgs["other_community"])

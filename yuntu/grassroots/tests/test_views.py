import datetime
import io
import json

import openpyxl

from yuntu.accounts.models import AuditEntry
from yuntu.grassroots import services
from yuntu.grassroots.models import Enterprise, PairingVisit, ReceptionBooking

from .conftest import credit_code


def test_the_api_refuses_a_wrong_check_digit_with_a_json_error_and_writes_nothing(scene, cast, client_for):
    client = client_for(scene["secretary"])
    code = credit_code(9)
    wrong = code[:-1] + ("1" if code[-1] == "0" else "0")
    before = (Enterprise.objects.count(), AuditEntry.objects.count())
    response = client.post("/api/grassroots/enterprises/", data=json.dumps(
        {"org": scene["community"].pk, "name": "错码公司", "credit_code": wrong}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "校验位" in response.json()["message"]
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == before
    response = client.post("/api/grassroots/enterprises/", data=json.dumps(
        {"org": scene["community"].pk, "name": "正确公司", "credit_code": code}), content_type="application/json")
    assert response.status_code == 201 and response.json()["credit_code"] == code


def test_the_api_refuses_a_visit_outside_the_pairing(scene, client_for):
    client = client_for(scene["secretary"])
    body = {"enterprise": scene["other_enterprise"].pk, "visited_on": scene["today"].isoformat(), "notes": "走访"}
    response = client.post("/api/grassroots/pairings/visits/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "不在您的挂钩联系范围内" in response.json()["message"]
    assert not PairingVisit.objects.exists()
    body["enterprise"] = scene["enterprise"].pk
    body["demands"] = [{"text": "用电增容", "category": "enterprise"}]
    response = client.post("/api/grassroots/pairings/visits/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and len(response.json()["demands"]) == 1


def test_an_outsider_sees_none_of_it_through_the_api(scene, cast, client_for):
    client = client_for(cast.user("outsider"))
    for url in ("/api/grassroots/topics/", "/api/grassroots/enterprises/", "/api/grassroots/pairings/",
                "/api/grassroots/demands/", "/api/grassroots/contacts/", "/api/grassroots/mediations/",
                "/api/grassroots/receptions/"):
        assert client.get(url).json()["count"] == 0, url
    assert client.get(f"/api/grassroots/topics/{scene['topic'].pk}/").status_code == 404
    assert client.get(f"/api/grassroots/cadres/{scene['secretary'].pk}/record/").status_code == 404
    own = client_for(cast.user("district_officer")).get("/api/grassroots/figures/").json()
    assert {item["code"]: item["value"] for item in own["figures"]}["grassroots.topics"] == 1


def test_the_record_exports_a_real_workbook_for_the_organisation_department(scene, cast, client_for):
    services.field_visit_log(actor=scene["secretary"], topic=scene["topic"], org=scene["community"],
                             visited_on=scene["today"], place="兴旺社区", notes="调研", hours=2,
                             problems=[services.FoundProblem("楼道灯坏", True, "现场更换")])
    response = client_for(cast.user("district_officer")).get(f"/grassroots/cadres/{scene['secretary'].pk}/export/")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in workbook["一线纪实"].iter_rows(values_only=True) if row and row[0]}
    assert summary["现场解决问题"] == 1 and summary["在一线时长（小时）"] == 2
    assert AuditEntry.objects.filter(action="frontline.export").exists()


def test_a_booking_outside_the_schedule_is_refused_on_the_phone_page(scene, cast, client_for):
    day = services.reception_day_schedule(actor=scene["secretary"], org=scene["street"], leader=scene["secretary"],
                                          leader_title="书记", date=scene["today"] + datetime.timedelta(days=2),
                                          starts_at=datetime.time(9), ends_at=datetime.time(10), place="党群服务中心")
    client = client_for(cast.user("resident"))
    response = client.post(f"/portal/receptions/days/{day.pk}/book/", {"slot": "14:00", "name": "陈女士", "matter": "停车难"})
    assert response.status_code == 400 and "不在接访安排内" in response.content.decode()
    assert not ReceptionBooking.objects.exists()
    schedule = client_for(cast.user("outsider")).get("/portal/receptions/").content.decode()
    assert "党群服务中心" in schedule and "停车难" not in schedule


def test_every_page_opens_for_the_street_secretary(scene, cast, client_for):
    secretary = scene["secretary"]
    day = services.reception_day_schedule(actor=secretary, org=scene["street"], leader=secretary, leader_title="书记",
                                          date=scene["today"] + datetime.timedelta(days=2), starts_at=datetime.time(9),
                                          ends_at=datetime.time(10), place="党群服务中心")
    case = services.mediation_open(actor=secretary, org=scene["community"], title="漏水纠纷", parties="王某、李某",
                                   opened_on=scene["today"])
    contact = services.contact_log(actor=secretary, org=scene["community"], kind="reception", person_name="王某",
                                   contacted_on=scene["today"], matter="漏水")
    visit = services.pairing_visit_log(actor=secretary, enterprise=scene["enterprise"], visited_on=scene["today"],
                                       notes="走访", demands=[services.RaisedDemand("用电增容", scene["category"])])
    client = client_for(secretary)
    urls = ["/grassroots/", "/grassroots/topics/", "/grassroots/topics/new/", f"/grassroots/topics/{scene['topic'].pk}/",
            "/grassroots/receptions/", "/grassroots/receptions/new/", f"/grassroots/receptions/{day.pk}/",
            "/grassroots/contacts/new/", f"/grassroots/contacts/{contact.pk}/", "/grassroots/mediations/",
            "/grassroots/mediations/new/", f"/grassroots/mediations/{case.pk}/", "/grassroots/enterprises/",
            "/grassroots/enterprises/new/", "/grassroots/pairings/", "/grassroots/pairings/new/",
            f"/grassroots/pairings/{visit.pairing_id}/", "/grassroots/pairings/visit/",
            f"/grassroots/demands/{visit.demands.get().pk}/", "/grassroots/cadres/", f"/grassroots/cadres/{secretary.pk}/",
            "/portal/receptions/", f"/portal/receptions/days/{day.pk}/", "/portal/receptions/mine/"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    officer = client_for(cast.user("district_officer"))
    assert officer.get(f"/grassroots/cadres/{secretary.pk}/assign/").status_code == 200
    response = officer.post(f"/grassroots/cadres/{secretary.pk}/assign/", {
        "org": scene["community"].pk, "kind": "new_civil_servant", "starts_on": "2026-09-01", "ends_on": "2027-08-31"})
    assert response.status_code == 302
    assert officer.get(f"/grassroots/cadres/{secretary.pk}/").content.decode().count("新录用公务员到村（社区）任职") == 1


def test_a_category_code_with_a_nul_character_is_a_json_error_not_a_server_error(scene, client_for):
    """PostgreSQL refuses NUL in text: the code is refused as bad input before any query."""
    client = client_for(scene["secretary"])
    body = {"enterprise": scene["enterprise"].pk, "visited_on": scene["today"].isoformat(), "notes": "走访",
            "demands": [{"text": "用电增容", "category": "enter\u0000prise"}]}
    response = client.post("/api/grassroots/pairings/visits/", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not PairingVisit.objects.exists()

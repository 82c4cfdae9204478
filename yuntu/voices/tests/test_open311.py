"""Open311 GeoReport v2, tested from the specification (http://wiki.open311.org/GeoReport_v2) in both formats."""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.test import override_settings

from yuntu.core import clock, crypto
from yuntu.voices import services
from yuntu.voices.models import Category, Request, RequestEvent
from yuntu.voices.open311 import views
from yuntu.voices.open311.formats import to_xml

BASE = "/open311/v2"
KEY = views.DEMO_API_KEY
FORM = "application/x-www-form-urlencoded"
POINT = {"lat": "24.480100", "long": "118.030200"}
QUESTIONS = [
    {"code": "facility", "datatype": "singlevaluelist", "required": True, "description": "设施类型",
     "values": [{"key": "streetlight", "name": "路灯"}, {"key": "manhole", "name": "井盖"}]},
    {"code": "period", "datatype": "multivaluelist", "required": False, "description": "发生时段",
     "values": [{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}]},
    {"code": "count", "datatype": "number", "required": False, "description": "损坏数量"},
]


@pytest.fixture
def setup(cast):
    """Two communities with coordinates (兴旺 near the point, 山边 to the west) and three categories."""
    from yuntu.orgs.models import Org

    Org.objects.filter(pk=cast.orgs["community"].pk).update(latitude=Decimal("24.480000"), longitude=Decimal("118.030000"))
    Org.objects.filter(pk=cast.orgs["other_community"].pk).update(latitude=Decimal("24.520000"),
                                                                   longitude=Decimal("117.950000"))
    road = Category.objects.create(code="road", name="道路设施", group="城市管理", description="路灯、路面、井盖",
                                   responsible_org=cast.orgs["agency"], questions=QUESTIONS, sort_order=1)
    sanitation = Category.objects.create(code="sanitation", name="环境卫生", group="城市管理", sort_order=2)
    Category.objects.create(code="retired", name="已停用类别", is_active=False)
    return {"road": road, "sanitation": sanitation, "cast": cast}


def post(client, fmt="json", query="", **data):
    url = f"{BASE}/requests.{fmt}" + (f"?{query}" if query else "")
    return client.post(url, urlencode(data, doseq=True), content_type=FORM)


def filed(client, **extra) -> str:
    data = {"api_key": KEY, "service_code": "road", "description": "兴旺小区3号楼门口路灯不亮", "attribute[facility]": "streetlight",
            **POINT, **extra}
    response = post(client, **data)
    assert response.status_code == 200, response.content.decode()
    return response.json()[0]["service_request_id"]


def xml(response) -> ElementTree.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert b"\\u" not in response.content  # Chinese as UTF-8
    return json.loads(response.content)


def assert_error(response, status: int, fmt: str = "json") -> str:
    """The spec's error document, with the HTTP status; the description is Chinese."""
    assert response.status_code == status, (response.status_code, response.content.decode())
    if fmt == "json":
        errors = body(response)
        assert isinstance(errors, list) and errors and set(errors[0]) == {"code", "description"}
        assert all(error["code"] == status for error in errors)
        description = errors[0]["description"]
    else:
        root = xml(response)
        assert root.tag == "errors" and [child.tag for child in root] == ["error"] * len(root)
        assert root.find("error/code").text == str(status)
        description = root.find("error/description").text
    assert any("\u4e00" <= char <= "\u9fff" for char in description), description
    return description


# ---- discovery and services -------------------------------------------------------------------


def test_discovery_in_both_formats(setup, client):
    data = body(client.get(f"{BASE}/discovery.json"))
    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert datetime.datetime.fromisoformat(data["changeset"]).utcoffset() == datetime.timedelta(hours=8)
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [element.text for element in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]
    assert root.find("endpoints/endpoint/url").text == "http://testserver/open311/v2/"


def test_service_list_in_both_formats(setup, client):
    services_json = body(client.get(f"{BASE}/services.json"))
    assert [service["service_code"] for service in services_json] == ["road", "sanitation"]  # the retired one is hidden
    road = services_json[0]
    assert road == {"service_code": "road", "service_name": "道路设施", "description": "路灯、路面、井盖", "metadata": True,
                    "type": "realtime", "keywords": "道路设施,城市管理,路灯,路面,井盖", "group": "城市管理"}
    assert services_json[1]["metadata"] is False
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and [child.tag for child in root] == ["service", "service"]
    first = root.find("service")
    assert [child.tag for child in first] == ["service_code", "service_name", "description", "metadata", "type", "keywords",
                                              "group"]
    assert first.find("metadata").text == "true" and root.findall("service")[1].find("metadata").text == "false"
    assert first.find("service_name").text == "道路设施"


def test_service_definition_in_both_formats_and_the_liberal_path(setup, client):
    definition = body(client.get(f"{BASE}/services/road.json"))
    assert definition["service_code"] == "road"
    facility, period, count = definition["attributes"]
    assert facility == {"variable": True, "code": "facility", "datatype": "singlevaluelist", "required": True,
                        "datatype_description": None, "order": 1, "description": "设施类型",
                        "values": [{"key": "streetlight", "name": "路灯"}, {"key": "manhole", "name": "井盖"}]}
    assert period["datatype"] == "multivaluelist" and period["order"] == 2 and period["required"] is False
    assert count["datatype"] == "number" and "values" not in count
    assert body(client.get(f"{BASE}/service/road.json")) == definition  # service/{code}, as some clients ask
    root = xml(client.get(f"{BASE}/service/road.xml"))
    assert root.tag == "service_definition" and root.find("service_code").text == "road"
    attributes = root.findall("attributes/attribute")
    assert len(attributes) == 3 and attributes[0].find("variable").text == "true"
    assert [value.find("key").text for value in attributes[0].findall("values/value")] == ["streetlight", "manhole"]
    assert attributes[0].find("datatype_description").text is None
    assert body(client.get(f"{BASE}/services/sanitation.json")) == {"service_code": "sanitation", "attributes": []}


def test_unknown_or_retired_service_is_404_in_the_spec_format(setup, client):
    assert "nope" in assert_error(client.get(f"{BASE}/services/nope.json"), 404)
    assert_error(client.get(f"{BASE}/services/retired.xml"), 404, "xml")


# ---- POST requests ----------------------------------------------------------------------------


def test_post_a_request_form_encoded(setup, client):
    cast = setup["cast"]
    response = post(client, api_key=KEY, service_code="road", description="兴旺小区3号楼门口路灯不亮，晚上出行不便",
                    email="chen@example.org", first_name="女士", last_name="陈", phone="+86 137-0000-2222",
                    **{"attribute[facility]": "streetlight", "attribute[period][]": ["day", "night"],
                       "attribute[count]": "3", "attribute[unknown]": "ignored"}, **POINT)
    assert response.status_code == 200, response.content.decode()
    [answer] = body(response)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"} and answer["account_id"] is None
    assert "兴旺社区" in answer["service_notice"]
    request = Request.objects.get(number=answer["service_request_id"])
    assert request.org_id == cast.orgs["community"].pk and request.channel == "open311"  # the nearest community
    assert request.answers == {"facility": "streetlight", "period": ["day", "night"], "count": 3}
    assert request.contact_name == "陈女士" and request.contact_mobile_masked == "137****2222"
    assert crypto.decrypt(request.contact_mobile_encrypted) == "13700002222" and "13700002222" not in str(request.__dict__)
    assert request.latitude == Decimal("24.480100") and request.resident_id is None
    timeline = list(request.events.values_list("action", "public", "label"))
    assert timeline[:2] == [("submit", True, "说事：提交诉求"), ("open311", False, "经Open311接口提交（Open311演示客户端）")]


def test_post_in_xml_with_the_key_in_the_query_string_and_an_empty_jurisdiction(setup, client):
    response = post(client, "xml", query=f"api_key={KEY}&jurisdiction_id=", service_code="sanitation",
                    description="垃圾桶满了没人清运", address_string="山边社区菜市场门口")
    root = xml(response)
    assert response.status_code == 200 and root.tag == "service_requests"
    request_element = root.find("request")
    assert [child.tag for child in request_element] == ["service_request_id", "service_notice", "account_id"]
    number = request_element.find("service_request_id").text
    assert request_element.find("account_id").text is None
    # No point: the community named in the address receives it.
    assert Request.objects.get(number=number).org_id == setup["cast"].orgs["other_community"].pk


def test_post_as_json_and_multipart_is_accepted_too(setup, client):
    response = client.post(f"{BASE}/requests.json", json.dumps({
        "api_key": KEY, "service_code": "road", "description": "井盖松动", "lat": 24.5201, "long": 117.9502,
        "attribute": {"facility": "manhole", "period": ["night"]}, "media_url": "https://img.example.org/1.jpg"}),
        content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    request = Request.objects.get(number=body(response)[0]["service_request_id"])
    assert request.org_id == setup["cast"].orgs["other_community"].pk and request.answers["period"] == ["night"]
    assert RequestEvent.objects.get(request=request, action="media_link").text == "https://img.example.org/1.jpg"
    response = client.post(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "sanitation",
                                                     "description": "路边垃圾堆积", **POINT})  # multipart
    assert response.status_code == 200, response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_posts_answer_in_the_spec_format_and_store_nothing(setup, client, fmt):
    before = (Request.objects.count(), RequestEvent.objects.count())
    good = {"api_key": KEY, "service_code": "road", "description": "路灯不亮", "attribute[facility]": "streetlight", **POINT}
    cases = [
        (403, {**good, "api_key": ""}, "缺少 api_key"),
        (403, {**good, "api_key": "wrong-key"}, "api_key 无效"),
        (404, {**good, "jurisdiction_id": "beijing"}, "jurisdiction_id"),
        (400, {**good, "service_code": ""}, "缺少 service_code"),
        (400, {**good, "service_code": "nope"}, "不存在"),
        (400, {**good, "service_code": "retired"}, "不存在或已停用"),
        (400, {key: value for key, value in good.items() if key not in ("lat", "long")}, "请提供诉求地点"),
        (400, {**good, "lat": "24.48"} | {"long": ""}, "须同时提供"),
        (400, {**good, "lat": "北纬24度"}, "十进制经纬度"),
        (400, {**good, "lat": "39.9", "long": "116.4"}, "不在本辖区范围内"),
        (400, {**good, "description": ""}, "description"),
        (400, {**good, "description": "长" * 10_000}, "不能超过2000字"),
        (400, {**good, "phone": "12345"}, "手机号码"),
        (400, {**good, "attribute[facility]": "bridge"}, "选项无效"),
        (400, {key: value for key, value in good.items() if key != "attribute[facility]"}, "请回答：设施类型"),
        (400, {**good, "attribute[count]": "很多"}, "应为数字"),
        (400, {**good, "media_url": "javascript:alert(1)"}, "media_url"),
    ]
    for status, data, words in cases:
        description = assert_error(post(client, fmt, **data), status, fmt)
        assert words in description, (data, description)
    assert (Request.objects.count(), RequestEvent.objects.count()) == before


def test_unsupported_format_and_method(setup, client):
    assert_error(client.get(f"{BASE}/services.csv"), 404, "xml")
    response = client.put(f"{BASE}/requests.json")
    assert_error(response, 405)
    assert response["Allow"] == "GET, POST"
    assert_error(client.post(f"{BASE}/services.json"), 405)


# ---- GET requests -----------------------------------------------------------------------------


PERSONAL = ("13700002222", "137****2222", "陈女士", "chen@example.org", "contact", "mobile", "email", "phone")


def test_round_trip_post_then_get_in_both_formats_without_personal_data(setup, client):
    number = filed(client, email="chen@example.org", first_name="女士", last_name="陈", phone="13700002222",
                   media_url="https://img.example.org/light.jpg", **{"attribute[period][]": ["night"]})
    [item] = body(client.get(f"{BASE}/requests/{number}.json"))
    assert item["service_request_id"] == number and item["status"] == "open" and item["status_notes"] == "待受理"
    assert item["service_code"] == "road" and item["service_name"] == "道路设施"
    assert item["description"] == "兴旺小区3号楼门口路灯不亮" and item["lat"] == 24.4801 and item["long"] == 118.0302
    assert item["agency_responsible"] == "中共新阳街道兴旺社区委员会" and item["media_url"] == "https://img.example.org/light.jpg"
    requested = datetime.datetime.fromisoformat(item["requested_datetime"])
    assert requested.utcoffset() == datetime.timedelta(hours=8)
    assert datetime.datetime.fromisoformat(item["expected_datetime"]) > requested
    assert item["extended_attributes"]["detailed_status"] == "OPEN" and item["extended_attributes"]["stage_label"] == "说事"
    for field in ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                  "address", "address_id", "zipcode", "lat", "long", "media_url"):
        assert field in item, field
    root = xml(client.get(f"{BASE}/requests/{number}.xml"))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == number
    assert root.find("request/extended_attributes/detailed_status").text == "OPEN"
    for response in (client.get(f"{BASE}/requests/{number}.json"), client.get(f"{BASE}/requests/{number}.xml"),
                     client.get(f"{BASE}/requests.json"), client.get(f"{BASE}/requests.xml")):
        text = response.content.decode()
        assert all(word not in text for word in PERSONAL), text
    assert body(client.get(f"{BASE}/request/{number.lower()}.json"))[0]["service_request_id"] == number  # liberal


def test_get_requests_filters(setup, client):
    cast = setup["cast"]
    first = filed(client)
    second = filed(client, service_code="sanitation", description="垃圾没人清运")
    third = filed(client, description="路灯又坏了")
    secretary = cast.user("community_secretary")
    services.request_transition(actor=secretary, request=Request.objects.get(number=third), name="decline",
                                reason="已通过12345热线答复")
    numbers = lambda response: [item["service_request_id"] for item in body(response)]  # noqa: E731
    assert numbers(client.get(f"{BASE}/requests.json")) == [third, second, first]  # newest first
    assert numbers(client.get(f"{BASE}/requests.json?service_request_id={first},{third}")) == [third, first]
    assert numbers(client.get(f"{BASE}/requests.json?service_code=sanitation")) == [second]
    assert numbers(client.get(f"{BASE}/requests.json?service_code=road,sanitation&status=open")) == [second, first]
    assert numbers(client.get(f"{BASE}/requests.json?status=closed")) == [third]
    assert numbers(client.get(f"{BASE}/requests.json?status=open,closed")) == [third, second, first]
    # service_request_id overrides every other filter, as the spec says
    assert numbers(client.get(f"{BASE}/requests.json?service_request_id={third}&status=open")) == [third]
    today = clock.today()
    assert len(numbers(client.get(f"{BASE}/requests.json?start_date={today - datetime.timedelta(days=1)}T00:00:00Z"))) == 3
    assert numbers(client.get(f"{BASE}/requests.json?end_date=2020-01-01T00:00:00Z")) == []
    # A "+08:00" whose "+" arrived as a space, a bare date: both understood.
    start = f"{today - datetime.timedelta(days=2)}T00:00:00 08:00"
    assert len(numbers(client.get(f"{BASE}/requests.json?start_date={start}&end_date={today}"))) == 3
    # The servicerequestupdates extension's polling filters.
    later = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(client.get(f"{BASE}/requests.json?updated_after={later}")) == []
    assert len(numbers(client.get(f"{BASE}/requests.json?updated_before={later}"))) == 3
    root = xml(client.get(f"{BASE}/requests.xml?status=closed"))
    assert [element.text for element in root.findall("request/service_request_id")] == [third]


def test_get_requests_default_window_and_limit(setup, client, monkeypatch):
    old, recent = filed(client), filed(client)
    Request.objects.filter(number=old).update(submitted_at=datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC))
    listed = [item["service_request_id"] for item in body(client.get(f"{BASE}/requests.json"))]
    assert listed == [recent]  # the default 90 days
    assert [item["service_request_id"] for item in body(client.get(f"{BASE}/requests.json?start_date=2020-01-01"))] == [
        recent, old]
    monkeypatch.setattr(views, "MAX_REQUESTS", 1)
    assert len(body(client.get(f"{BASE}/requests.json?start_date=2020-01-01"))) == 1


def test_get_requests_bad_input(setup, client):
    assert "start_date" in assert_error(client.get(f"{BASE}/requests.json?start_date=yesterday"), 400)
    assert "status" in assert_error(client.get(f"{BASE}/requests.xml?status=pending"), 400, "xml")
    assert_error(client.get(f"{BASE}/requests.json?start_date=2026-02-01&end_date=2026-01-01"), 400)
    assert_error(client.get(f"{BASE}/requests.json?jurisdiction_id=shanghai"), 404)
    assert body(client.get(f"{BASE}/requests.json?jurisdiction_id=350205")) == []
    assert_error(client.get(f"{BASE}/requests/SQ000.json"), 404)
    assert_error(client.get(f"{BASE}/requests/SQ000.xml"), 404, "xml")


def test_tokens_resolve_to_the_request(setup, client):
    number = filed(client)
    assert body(client.get(f"{BASE}/tokens/{number}.json")) == [{"service_request_id": number, "token": number}]
    root = xml(client.get(f"{BASE}/tokens/{number}.xml"))
    assert root.find("request/service_request_id").text == number and root.find("request/token").text == number
    assert_error(client.get(f"{BASE}/tokens/unknown.json"), 404)


# ---- our stages in the spec's statuses --------------------------------------------------------


def test_status_mapping_through_the_five_stages(setup, client):
    cast = setup["cast"]
    secretary, handler = cast.user("community_secretary"), cast.user("department_handler")

    def state(number):
        [item] = body(client.get(f"{BASE}/requests/{number}.json"))
        return item["status"], item["extended_attributes"]["detailed_status"], item

    number = filed(client)
    request = Request.objects.get(number=number)
    assert state(number)[:2] == ("open", "OPEN")
    dispatch = services.request_dispatch(actor=secretary, request=request, departments=[cast.orgs["agency"]])[0]
    status, detailed, item = state(number)
    assert (status, detailed) == ("open", "ACTION_SCHEDULED")
    assert item["extended_attributes"]["departments"] == ["海沧区城市管理局机关党支部"]
    assert item["agency_responsible"] == "中共新阳街道兴旺社区委员会、海沧区城市管理局机关党支部"
    services.dispatch_transition(actor=handler, dispatch=dispatch, name="accept")
    services.dispatch_transition(actor=handler, dispatch=dispatch, name="reply", reply="已更换灯泡")
    services.request_transition(actor=secretary, request=request, name="publish", reply="城管局已更换路灯，感谢反映。")
    status, detailed, item = state(number)
    assert (status, detailed) == ("closed", "CLOSED") and item["status_notes"] == "城管局已更换路灯，感谢反映。"
    assert item["expected_datetime"] is None and item["extended_attributes"]["answered_datetime"]
    Request.objects.filter(pk=request.pk).update(resident=cast.user("resident"))
    request.refresh_from_db()
    services.request_transition(actor=cast.user("resident"), request=request, name="rate", rating="unsatisfied")
    assert state(number)[:2] == ("closed", "CLOSED") and state(number)[2]["extended_attributes"]["rating"] == "unsatisfied"
    services.request_transition(actor=cast.user("resident"), request=request, name="reopen", reason="灯又不亮了")
    status, detailed, item = state(number)
    assert (status, detailed) == ("open", "IN_PROGRESS") and item["extended_attributes"]["reopened"] is True

    duplicate, declined = filed(client, description="路灯不亮"), filed(client, description="楼上邻居吵架")
    services.request_transition(actor=secretary, request=Request.objects.get(number=duplicate), name="merge", target=request)
    services.request_transition(actor=secretary, request=Request.objects.get(number=declined), name="decline",
                                reason="属于邻里民事纠纷，已引导人民调解")
    status, detailed, item = state(duplicate)
    assert (status, detailed) == ("closed", "DUPLICATE")
    assert item["extended_attributes"]["duplicate_of"] == number and "已合并办理" in item["status_notes"]
    assert state(number)[2]["extended_attributes"]["duplicates"] == [duplicate]
    status, detailed, item = state(declined)
    assert (status, detailed) == ("closed", "NO_FURTHER_ACTION") and "人民调解" in item["status_notes"]
    handled = filed(client, description="井盖松动")
    services.request_transition(actor=secretary, request=Request.objects.get(number=handled), name="handle")
    assert state(handled)[:2] == ("open", "IN_PROGRESS")


def test_service_request_updates_extension(setup, client):
    cast = setup["cast"]
    secretary = cast.user("community_secretary")
    number = filed(client)
    request = Request.objects.get(number=number)
    Request.objects.filter(pk=request.pk).update(resident=cast.user("resident"))
    services.request_transition(actor=secretary, request=request, name="handle")
    services.request_transition(actor=secretary, request=request, name="publish", reply="已修复")
    services.request_transition(actor=cast.user("resident"), request=request, name="rate", rating="basic",
                                comment="我是陈女士，电话13700002222")
    updates = body(client.get(f"{BASE}/servicerequestupdates.json"))
    mine = [update for update in updates if update["service_request_id"] == number]
    assert [update["status"] for update in mine] == ["OPEN", "IN_PROGRESS", "CLOSED", "CLOSED"]
    assert [update["external_status_code"] for update in mine] == ["submit", "handle", "publish", "rate"]
    assert mine[2]["description"] == "答复并公开：已修复" and mine[3]["description"] == "评价"  # the resident's words stay out
    assert "13700002222" not in json.dumps(updates, ensure_ascii=False)
    assert all(update["update_id"] for update in updates)
    root = xml(client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates" and root.find("request_update/status").text == "OPEN"
    assert body(client.get(f"{BASE}/servicerequestupdates.json?start_date=2020-01-01&end_date=2020-01-02")) == []


# ---- the XML writer ---------------------------------------------------------------------------


def test_xml_escapes_and_round_trips_text(setup, client):
    text = "路灯<坏了> & \"井盖\" 'x' \x07"
    number = filed(client, description=text)
    root = xml(client.get(f"{BASE}/requests/{number}.xml"))
    assert root.find("request/description").text == text.replace("\x07", "")  # a character XML cannot carry is dropped
    assert json.loads(client.get(f"{BASE}/requests/{number}.json").content)[0]["description"] == text  # JSON keeps it
    document = to_xml("services", [{"service_code": "a", "metadata": False, "group": None}])
    assert document.endswith("<services><service><service_code>a</service_code><metadata>false</metadata><group /></service>"
                             "</services>")


@override_settings(OPEN311_API_KEYS={"city-app-2026": "海沧i市民App"})
def test_api_keys_come_from_the_setting(setup, client):
    assert_error(post(client, api_key=KEY, service_code="road", description="x", **POINT), 403)
    number = filed(client, api_key="city-app-2026")
    assert RequestEvent.objects.get(request__number=number, action="open311").label == "经Open311接口提交（海沧i市民App）"


def test_multipart_photos_are_checked_and_shown_once_published(setup, client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    photo = SimpleUploadedFile("路灯.png", buffer.getvalue(), content_type="image/png")
    fake = SimpleUploadedFile("脚本.png", b"MZ not an image", content_type="image/png")
    before = Request.objects.count()
    response = client.post(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "sanitation", "description": "垃圾堆积",
                                                     "media": [fake], **POINT})
    assert "不是有效的图片文件" in assert_error(response, 400) and Request.objects.count() == before
    response = client.post(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "sanitation", "description": "垃圾堆积",
                                                     "media": [photo], **POINT})
    number = body(response)[0]["service_request_id"]
    request = Request.objects.get(number=number)
    assert request.photos.count() == 1
    assert body(client.get(f"{BASE}/requests/{number}.json"))[0]["media_url"] is None  # not public yet
    secretary = setup["cast"].user("community_secretary")
    services.request_transition(actor=secretary, request=request, name="handle")
    services.request_transition(actor=secretary, request=request, name="publish", reply="已清运")
    media_url = body(client.get(f"{BASE}/requests/{number}.json"))[0]["media_url"]
    assert media_url.startswith("http://testserver/") and media_url.endswith(".png")


def test_personal_numbers_typed_into_a_description_are_hidden(setup, client):
    number = filed(client, description="路灯坏了，请回电13812345678，我的身份证35020519800506033X")
    for fmt in ("json", "xml"):
        content = client.get(f"{BASE}/requests/{number}.{fmt}").content.decode()
        assert "13812345678" not in content and "35020519800506033X" not in content
        assert "路灯坏了" in content and "【电话已隐去】" in content

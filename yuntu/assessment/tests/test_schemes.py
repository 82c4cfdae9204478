"""Schemes and periods made on the pages: a street sets a rubric, a community's branches compete under it;
bad rows are refused whole, in Chinese; outsiders neither see nor use another subtree's scheme."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuntu.accounts.models import AuditEntry
from yuntu.api.tests.helpers import assert_error, body, call
from yuntu.assessment import services
from yuntu.assessment.models import AssessmentPeriod, SchemeItem, Score, ScoringScheme, StarThreshold
from yuntu.core import clock
from yuntu.orglife.tests.factories import held_meeting


def formset(prefix: str, rows: list[dict], extra: int = 2) -> dict:
    """A formset's POST body: the rows given, then blank rows as the page sends them."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "40"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    for index in range(len(rows), len(rows) + extra):
        data[f"{prefix}-{index}-method"] = "assessor"  # an untouched row keeps its initial choice
    return data


ITEMS = [{"name": "主题党日开展", "max_score": "40", "method": "automatic", "indicator": "orglife.theme_days",
          "full_at": "3"},
         {"name": "阵地建设与党员教育", "max_score": "60", "method": "assessor"}]
STARS = [{"stars": "5", "min_score": "90"}, {"stars": "3", "min_score": "60"}]


def scheme_body(org, items=ITEMS, stars=STARS, **fields) -> dict:
    return {"org": org.pk, "name": "社区党支部建设百分考评", "target_level": "branch", "description": "按季度考评",
            **fields, **formset("items", items), **formset("stars", stars)}


def counts() -> tuple:
    return (ScoringScheme.objects.count(), SchemeItem.objects.count(), StarThreshold.objects.count(),
            AssessmentPeriod.objects.count(), AuditEntry.objects.count())


def test_a_street_sets_a_scheme_and_a_communitys_branches_compete_under_it(cast, client_for):
    street, community = cast.orgs["street"], cast.orgs["community"]
    client = client_for(cast.user("street_secretary"))
    assert "制定考评方案" in client.get("/assessment/schemes/").content.decode()
    response = client.post("/assessment/schemes/new/", scheme_body(street))
    scheme = ScoringScheme.objects.get(name="社区党支部建设百分考评")
    assert response.status_code == 302 and response["Location"] == f"/assessment/schemes/{scheme.pk}/"
    assert (scheme.org, scheme.target_level) == (street, "branch")
    assert list(scheme.items.values_list("name", "max_score", "method", "indicator", "full_at", "position")) == [
        ("主题党日开展", Decimal("40"), "automatic", "orglife.theme_days", Decimal("3"), 1),
        ("阵地建设与党员教育", Decimal("60"), "assessor", "", None, 2)]
    assert list(scheme.stars.values_list("stars", "min_score")) == [(5, Decimal("90")), (3, Decimal("60"))]
    assert AuditEntry.objects.filter(action="assessment.scheme_create", object_id=str(scheme.pk)).exists()
    page = client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    assert "总分100分" in page and 'id="period-form"' in page and "5星 ≥ 90" in page

    today = clock.today()
    response = client.post(f"/assessment/schemes/{scheme.pk}/periods/", {
        "org": community.pk, "name": "第四季度", "start": (today - datetime.timedelta(days=60)).isoformat(),
        "end": today.isoformat()})
    period = AssessmentPeriod.objects.get(scheme=scheme)
    assert response.status_code == 302 and response["Location"] == f"/assessment/periods/{period.pk}/"
    assert (period.org, period.org_path) == (community, community.path)
    held_meeting(cast.user("street_secretary"), cast.orgs["branch"], when=clock.now() - datetime.timedelta(days=10))
    client.post(f"/assessment/periods/{period.pk}/compute/")
    score = Score.objects.get(period=period, org=cast.orgs["branch"], item__name="主题党日开展")
    assert score.automatic and score.score == Decimal("13.33")  # one theme day of the three that earn full marks
    assert "第四季度" in client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()


def test_a_district_scheme_reaches_the_streets_below_it(cast, client_for):
    district = cast.orgs["district"]
    scheme = services.scheme_create(actor=cast.user("district_officer"), org=district, name="全区社区党组织考评",
                                    target_level="community", items=[{"name": "基层治理", "max_score": Decimal("100"),
                                                                      "method": "assessor"}])
    client = client_for(cast.user("street_secretary"))
    assert "全区社区党组织考评" in client.get("/assessment/schemes/").content.decode()
    page = client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    # The street may hold a period in its own subtree only: its group choices are the street, not the district.
    assert f'value="{cast.orgs["street"].pk}"' in page and f'value="{district.pk}"' not in page
    assert "全区社区党组织考评" in client_for(cast.user("outsider")).get("/assessment/schemes/").content.decode()


@pytest.mark.parametrize(("items", "stars", "fields", "message"), [
    ([{**ITEMS[0], "indicator": "orglife.no_such_figure"}], STARS, {}, "选择一个有效的选项"),
    ([{**ITEMS[1], "max_score": "0"}], [], {}, "满分"),
    ([], [], {}, "方案至少要有一个考评项目"),
    ([ITEMS[1], {**ITEMS[1]}], [], {}, "项目名称重复"),
    (ITEMS, [{"stars": "5", "min_score": "120"}], {}, "不超过方案总分100分"),
    (ITEMS, [{"stars": "5", "min_score": "60"}, {"stars": "3", "min_score": "80"}], {}, "5星的最低得分应高于3星的80分"),
    ([{**ITEMS[0], "indicator": ""}], [], {}, "自动计分须选择指标库中登记的指标"),
    (ITEMS, STARS, {"target_level": "street"}, "考核对象应是制定单位下级的党组织"),
])
def test_a_bad_scheme_is_refused_whole_with_a_chinese_message(cast, client_for, items, stars, fields, message):
    before = counts()
    response = client_for(cast.user("street_secretary")).post(
        "/assessment/schemes/new/", scheme_body(cast.orgs["street"], items=items, stars=stars, **fields))
    assert response.status_code == 400 and message in response.content.decode()
    assert counts() == before


def test_a_bad_period_is_refused_with_a_chinese_message(cast, client_for):
    street, community = cast.orgs["street"], cast.orgs["community"]
    scheme = services.scheme_create(actor=cast.user("street_secretary"), org=street, name="支部考评",
                                    target_level="branch", items=[{"name": "党员教育", "max_score": Decimal("10")}])
    client = client_for(cast.user("street_secretary"))
    before = counts()
    url = f"/assessment/schemes/{scheme.pk}/periods/"
    for form, message in (
        ({"org": community.pk, "name": "倒置", "start": "2026-11-30", "end": "2026-10-01"}, "结束日期不能早于开始日期"),
        ({"org": community.pk, "name": "太长", "start": "2025-01-01", "end": "2026-06-30"}, "一个考核期不超过一年"),
        ({"org": community.pk, "name": "日期", "start": "2026-13-01", "end": "2026-12-31"}, "输入一个有效的日期"),
    ):
        response = client.post(url, form)
        assert response.status_code == 400 and message in response.content.decode()
    with pytest.raises(ValidationError, match="没有“党支部”一级的参评单位"):
        services.period_create(actor=cast.user("street_secretary"), scheme=scheme, org=cast.orgs["branch"],
                               name="无参评单位", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    assert counts() == before


def test_an_outsider_neither_sees_nor_uses_another_subtrees_scheme(cast, client_for):
    street = cast.orgs["street"]
    scheme = services.scheme_create(actor=cast.user("street_secretary"), org=street, name="新阳街道支部考评",
                                    target_level="branch", items=[{"name": "党员教育", "max_score": Decimal("10")}])
    before = counts()
    outsider = client_for(cast.user("outsider"))
    assert "新阳街道支部考评" not in outsider.get("/assessment/schemes/").content.decode()
    assert outsider.get(f"/assessment/schemes/{scheme.pk}/").status_code == 404
    assert outsider.post(f"/assessment/schemes/{scheme.pk}/periods/", {
        "org": cast.orgs["community"].pk, "name": "越权", "start": "2026-10-01", "end": "2026-12-31"}).status_code == 404
    assert outsider.post("/assessment/schemes/new/", scheme_body(cast.orgs["other_street"])).status_code == 403
    # A manager of one street cannot set a scheme for another, on the page or through the service.
    secretary = client_for(cast.user("street_secretary"))
    response = secretary.post("/assessment/schemes/new/", scheme_body(cast.orgs["other_street"], name="越权方案"))
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.scheme_create(actor=cast.user("street_secretary"), org=cast.orgs["other_street"], name="越权方案",
                               target_level="branch", items=[{"name": "越权", "max_score": Decimal("10")}])
    with pytest.raises(PermissionDenied):
        services.period_create(actor=cast.user("street_secretary"), scheme=scheme, org=cast.orgs["other_community"],
                               name="越权", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    assert counts() == before


API_SCHEME = {"name": "街道支部考评", "target_level": "branch",
              "items": [{"name": "主题党日开展", "max_score": "40", "method": "automatic",
                         "indicator": "orglife.theme_days", "full_at": "3"},
                        {"name": "阵地建设", "max_score": "60"}],
              "stars": [{"stars": 5, "min_score": "90"}]}


def test_the_api_sets_a_scheme_and_a_period_and_reads_the_ranking(cast, client_for):
    street, community = cast.orgs["street"], cast.orgs["community"]
    client = client_for(cast.user("street_secretary"))
    response = call(client, "post", "/api/assessment/schemes/", {**API_SCHEME, "org": street.pk})
    assert response.status_code == 201, response.content.decode()
    scheme = body(response)
    assert [item["name"] for item in scheme["items"]] == ["主题党日开展", "阵地建设"]
    assert scheme["stars"] == [{"stars": 5, "min_score": "90.00"}]
    assert scheme["id"] in [row["id"] for row in body(client.get("/api/assessment/schemes/"))["results"]]
    response = call(client, "post", f"/api/assessment/schemes/{scheme['id']}/periods/",
                    {"org": community.pk, "name": "第四季度", "start": "2026-10-01", "end": "2026-12-31"})
    assert response.status_code == 201, response.content.decode()
    period = body(response)
    ranking = body(client.get(f"/api/assessment/periods/{period['id']}/ranking/"))
    assert ranking["red_flag"] is None
    assert [row["org_name"] for row in ranking["ranking"]] == ["兴旺社区第一党支部"]
    assert period["id"] in [row["id"] for row in body(client.get("/api/assessment/periods/"))["results"]]


def test_the_api_refuses_a_bad_scheme_whole_and_keeps_outsiders_out(cast, client_for):
    street = cast.orgs["street"]
    client = client_for(cast.user("street_secretary"))
    before = counts()
    bad = {**API_SCHEME, "org": street.pk, "stars": [{"stars": 5, "min_score": "150"}]}
    assert "不超过方案总分100分" in assert_error(call(client, "post", "/api/assessment/schemes/", bad),
                                            400, "invalid")["message"]
    assert_error(call(client, "post", "/api/assessment/schemes/", {**API_SCHEME, "org": cast.orgs["other_street"].pk}),
                 400, "invalid")
    assert counts() == before
    scheme = services.scheme_create(actor=cast.user("street_secretary"), org=street, name="新阳街道支部考评",
                                    target_level="branch", items=[{"name": "党员教育", "max_score": Decimal("10")}])
    period = services.period_create(actor=cast.user("street_secretary"), scheme=scheme, org=cast.orgs["community"],
                                    name="新阳第四季度", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    before = counts()
    outsider = client_for(cast.user("outsider"))
    assert_error(outsider.get(f"/api/assessment/schemes/{scheme.pk}/"), 404, "not_found")
    assert_error(outsider.get(f"/api/assessment/periods/{period.pk}/ranking/"), 404, "not_found")
    assert_error(call(outsider, "post", f"/api/assessment/schemes/{scheme.pk}/periods/",
                      {"org": cast.orgs["community"].pk, "name": "越权", "start": "2026-10-01", "end": "2026-12-31"}),
                 404, "not_found")
    assert_error(call(outsider, "post", "/api/assessment/schemes/", {**API_SCHEME, "org": street.pk}), 400, "invalid")
    listed = [row["name"] for row in body(outsider.get("/api/assessment/schemes/"))["results"]]
    assert "新阳街道支部考评" not in listed
    assert "新阳第四季度" not in [row["name"] for row in body(outsider.get("/api/assessment/periods/"))["results"]]
    assert counts() == before


def edit_body(rows: list[dict], stars: list[dict], **fields) -> dict:
    """The edit page's body: every row the scheme has, as initial forms (each may carry its deletion mark), then a
    blank row."""
    data = {"name": "支部考评（修订）", "target_level": "branch", "description": "", **fields}
    for prefix, filled in (("items", rows), ("stars", stars)):
        data.update({f"{prefix}-TOTAL_FORMS": str(len(filled) + 1), f"{prefix}-INITIAL_FORMS": str(len(filled)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "40"})
        for index, row in enumerate(filled):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        data[f"{prefix}-{len(filled)}-method"] = "assessor"
    return data


def test_a_scheme_is_corrected_until_someone_is_scored_under_it(cast, client_for):
    street, community = cast.orgs["street"], cast.orgs["community"]
    secretary = cast.user("street_secretary")
    scheme = services.scheme_create(actor=secretary, org=street, name="支部考评", target_level="branch",
                                    items=[{"name": "党员教育", "max_score": Decimal("10")},
                                           {"name": "阵地建设", "max_score": Decimal("20")}],
                                    stars=[{"stars": 3, "min_score": Decimal("20")}])
    client = client_for(secretary)
    page = client.get(f"/assessment/schemes/{scheme.pk}/edit/").content.decode()
    assert 'value="党员教育"' in page and 'name="items-0-DELETE"' in page and 'name="org"' not in page
    # The second item is deleted, the first raised to 30 points, a star threshold added.
    response = client.post(f"/assessment/schemes/{scheme.pk}/edit/", edit_body(
        [{"name": "党员教育", "max_score": "30", "method": "assessor"},
         {"name": "阵地建设", "max_score": "20", "method": "assessor", "DELETE": "on"}],
        [{"stars": "3", "min_score": "20"}, {"stars": "5", "min_score": "28"}]))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.name == "支部考评（修订）"
    assert list(scheme.items.values_list("name", "max_score")) == [("党员教育", Decimal("30"))]
    assert list(scheme.stars.values_list("stars", "min_score")) == [(5, Decimal("28")), (3, Decimal("20"))]
    assert AuditEntry.objects.filter(action="assessment.scheme_update", object_id=str(scheme.pk)).exists()
    # A bad correction changes nothing.
    before = (counts(), list(scheme.items.values_list("name", "max_score")))
    response = client.post(f"/assessment/schemes/{scheme.pk}/edit/", edit_body(
        [{"name": "党员教育", "max_score": "10", "method": "assessor"}],
        [{"stars": "5", "min_score": "28"}, {"stars": "3", "min_score": "20"}]))
    assert response.status_code == 400 and "不超过方案总分10分" in response.content.decode(), re.findall(r"error-text[^>]*>([^<]*)", response.content.decode())
    assert (counts(), list(scheme.items.values_list("name", "max_score"))) == before
    # Once a unit is scored, the scheme stays as it was scored.
    period = services.period_create(actor=secretary, scheme=scheme, org=community, name="第四季度",
                                    start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    services.score_record(actor=secretary, period=period, item=scheme.items.get(), org=cast.orgs["branch"],
                          score=Decimal("25"), evidence="学习台账齐全")
    assert 'id="edit-scheme"' not in client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    response = client.post(f"/assessment/schemes/{scheme.pk}/edit/", edit_body(
        [{"name": "党员教育", "max_score": "50", "method": "assessor"}],
        [{"stars": "5", "min_score": "28"}, {"stars": "3", "min_score": "20"}]))
    assert response.status_code == 400 and "已有单位按该方案评分" in response.content.decode()
    assert list(scheme.items.values_list("max_score", flat=True)) == [Decimal("30")]
    # Outsiders: not found; a street below a district's scheme may use it but not change it.
    assert client_for(cast.user("outsider")).get(f"/assessment/schemes/{scheme.pk}/edit/").status_code == 404
    district_scheme = services.scheme_create(actor=cast.user("district_officer"), org=cast.orgs["district"],
                                             name="全区考评", target_level="community",
                                             items=[{"name": "基层治理", "max_score": Decimal("100")}])
    assert client.post(f"/assessment/schemes/{district_scheme.pk}/edit/", edit_body(
        [{"name": "越权", "max_score": "1", "method": "assessor"}], [])).status_code == 403
    assert list(district_scheme.items.values_list("name", flat=True)) == ["基层治理"]


def test_the_api_corrects_a_scheme_whole_until_a_unit_is_scored(cast, client_for):
    street, secretary = cast.orgs["street"], cast.user("street_secretary")
    client = client_for(secretary)
    scheme = body(call(client, "post", "/api/assessment/schemes/", {**API_SCHEME, "org": street.pk}))
    url = f"/api/assessment/schemes/{scheme['id']}/"
    corrected = {"name": "街道支部考评（修订）", "target_level": "branch",
                 "items": [{"name": "阵地建设", "max_score": "50"}, {"name": "党员教育", "max_score": "50"}],
                 "stars": [{"stars": 5, "min_score": "95"}, {"stars": 3, "min_score": "70"}]}
    response = call(client, "put", url, corrected)
    assert response.status_code == 200, response.content.decode()
    assert [(item["name"], item["max_score"]) for item in body(response)["items"]] == [
        ("阵地建设", "50.00"), ("党员教育", "50.00")]
    assert body(response)["stars"] == [{"stars": 5, "min_score": "95.00"}, {"stars": 3, "min_score": "70.00"}]
    assert AuditEntry.objects.filter(action="assessment.scheme_update", object_id=str(scheme["id"])).count() == 1
    # A bad correction is refused whole; an outsider is not told the scheme exists; a street cannot change the
    # district's scheme it uses.
    before = (counts(), list(SchemeItem.objects.filter(scheme_id=scheme["id"]).values_list("name", "max_score")))
    bad = {**corrected, "items": [{"name": "阵地建设", "max_score": "50"}, {"name": "阵地建设", "max_score": "50"}]}
    assert "重复" in assert_error(call(client, "put", url, bad), 400, "invalid")["message"]
    assert_error(call(client_for(cast.user("outsider")), "put", url, corrected), 404, "not_found")
    client = client_for(secretary)  # the one test client, signed in again as the street
    district_scheme = services.scheme_create(actor=cast.user("district_officer"), org=cast.orgs["district"],
                                             name="全区考评", target_level="community",
                                             items=[{"name": "基层治理", "max_score": Decimal("100")}])
    assert_error(call(client, "put", f"/api/assessment/schemes/{district_scheme.pk}/",
                      {**corrected, "target_level": "community"}), 403, "permission_denied")
    assert list(district_scheme.items.values_list("name", flat=True)) == ["基层治理"]
    assert (counts()[:4], list(SchemeItem.objects.filter(scheme_id=scheme["id"]).values_list("name", "max_score"))) == (
        (before[0][0] + 1, before[0][1] + 1, before[0][2], before[0][3]), before[1])
    # Once a unit is scored under it, the scheme stays as scored.
    period = services.period_create(actor=secretary, scheme=ScoringScheme.objects.get(pk=scheme["id"]),
                                    org=cast.orgs["community"], name="第四季度", start=datetime.date(2026, 10, 1),
                                    end=datetime.date(2026, 12, 31))
    services.score_record(actor=secretary, period=period, item=SchemeItem.objects.get(scheme_id=scheme["id"], name="阵地建设"),
                          org=cast.orgs["branch"], score=Decimal("45"), evidence="阵地台账齐全")
    refused = assert_error(call(client, "put", url, corrected), 400, "invalid")
    assert "已有单位按该方案评分" in refused["message"]


def test_a_scheme_set_by_mistake_is_deleted_until_a_period_applies_it(cast, client_for):
    street, secretary = cast.orgs["street"], cast.user("street_secretary")
    scheme = services.scheme_create(actor=secretary, org=street, name="误建的方案", target_level="branch",
                                    items=[{"name": "党员教育", "max_score": Decimal("10")}],
                                    stars=[{"stars": 3, "min_score": Decimal("6")}])
    client = client_for(secretary)
    page = client.get(f"/assessment/schemes/{scheme.pk}/").content.decode()
    assert 'id="delete-scheme"' in page
    # Unconfirmed: nothing goes.
    before = counts()
    response = client.post(f"/assessment/schemes/{scheme.pk}/delete/", {})
    assert response.status_code == 400 and "请勾选确认后再删除" in response.content.decode()
    assert counts() == before
    # An outsider cannot, on the page or through the API; nor can a street delete the district's scheme it uses.
    outsider = client_for(cast.user("outsider"))
    assert outsider.post(f"/assessment/schemes/{scheme.pk}/delete/", {"confirm": "on"}).status_code == 404
    assert_error(outsider.delete(f"/api/assessment/schemes/{scheme.pk}/"), 404, "not_found")
    district_scheme = services.scheme_create(actor=cast.user("district_officer"), org=cast.orgs["district"],
                                             name="全区考评", target_level="community",
                                             items=[{"name": "基层治理", "max_score": Decimal("100")}])
    client = client_for(secretary)
    assert 'id="delete-scheme"' not in client.get(f"/assessment/schemes/{district_scheme.pk}/").content.decode()
    assert client.post(f"/assessment/schemes/{district_scheme.pk}/delete/", {"confirm": "on"}).status_code == 403
    assert_error(client.delete(f"/api/assessment/schemes/{district_scheme.pk}/"), 403, "permission_denied")
    assert counts()[:3] == (before[0] + 1, before[1] + 1, before[2])
    # Confirmed: the scheme, its items and thresholds go, and the audit trail keeps it as it was.
    response = client.post(f"/assessment/schemes/{scheme.pk}/delete/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/assessment/schemes/"
    assert not ScoringScheme.objects.filter(pk=scheme.pk).exists()
    assert not SchemeItem.objects.filter(scheme_id=scheme.pk).exists() and not StarThreshold.objects.filter(
        scheme_id=scheme.pk).exists()
    entry = AuditEntry.objects.get(action="assessment.scheme_delete", object_id=str(scheme.pk))
    assert "党员教育" in str(entry.before) and entry.actor == secretary
    # Once a period applies a scheme it stays, on the page and through the API.
    services.period_create(actor=cast.user("district_officer"), scheme=district_scheme, org=cast.orgs["district"],
                           name="全区第四季度", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31))
    officer = client_for(cast.user("district_officer"))
    assert 'id="delete-scheme"' not in officer.get(f"/assessment/schemes/{district_scheme.pk}/").content.decode()
    refused = officer.post(f"/assessment/schemes/{district_scheme.pk}/delete/", {"confirm": "on"})
    assert refused.status_code == 400 and "该方案已设立考核期，不能删除" in refused.content.decode()
    assert "已设立考核期" in assert_error(officer.delete(f"/api/assessment/schemes/{district_scheme.pk}/"),
                                      400, "invalid")["message"]
    assert ScoringScheme.objects.filter(pk=district_scheme.pk).exists()


def test_the_api_deletes_a_scheme_without_periods(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    scheme = body(call(client, "post", "/api/assessment/schemes/", {**API_SCHEME, "org": cast.orgs["street"].pk}))
    response = client.delete(f"/api/assessment/schemes/{scheme['id']}/")
    assert response.status_code == 204
    assert scheme["id"] not in [row["id"] for row in body(client.get("/api/assessment/schemes/"))["results"]]
    assert_error(client.get(f"/api/assessment/schemes/{scheme['id']}/"), 404, "not_found")

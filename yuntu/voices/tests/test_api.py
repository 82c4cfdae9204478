import datetime
import json

import pytest

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.ledger import services as ledger_services
from yuntu.ledger.models import Measure
from yuntu.voices import services
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

API = "/api/voices"
XINYANG_TEXT = "兴旺小区3号楼门口路灯不亮，晚上出行不便"
DONGFU_TEXT = "山边社区菜市场门口垃圾堆积没人清运"


def call(client, method: str, url: str, data=None):
    return getattr(client, method)(url, data=json.dumps(data) if data is not None else None, content_type="application/json")


def body(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert b"\\u" not in response.content, response.content[:200]  # Chinese as UTF-8
    return response.json()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content.decode())
    data = body(response)
    assert data["code"] == code, data
    assert any("\u4e00" <= char <= "\u9fff" for char in data["message"]), data
    return data


@pytest.fixture
def voices(cast):
    """A request, a dispatched request and a suggestion in each subtree: 新阳 (the cast's) and 东孚 (the outsider's)."""
    category = Category.objects.create(code="road", name="道路设施", responsible_org=cast.orgs["agency"])
    point = {"latitude": "24.480100", "longitude": "118.030200"}
    mine = services.request_submit(community=cast.orgs["community"], category=category, text=XINYANG_TEXT,
                                   resident=cast.user("resident"), contact_mobile="13700001111", **point)
    dispatched = services.request_submit(community=cast.orgs["community"], category=category, text="兴旺小区井盖松动", **point)
    dispatch = services.request_dispatch(actor=cast.user("community_secretary"), request=dispatched,
                                         departments=[cast.orgs["agency"]])[0]
    other = services.request_submit(community=cast.orgs["other_community"], category=category, text=DONGFU_TEXT,
                                    contact_mobile="13900002222", **point)
    officer = cast.user("district_officer")
    other_dispatched = services.request_submit(community=cast.orgs["other_community"], category=category,
                                               text="山边社区路面坑洼", **point)
    other_dispatch = services.request_dispatch(actor=officer, request=other_dispatched, departments=[cast.orgs["agency"]])[0]
    suggestion = services.suggestion_submit(org=cast.orgs["community"], text="建议在兴旺小区增设电动车充电桩",
                                            author_name="陈先生")
    other_suggestion = services.suggestion_submit(org=cast.orgs["other_community"], text="建议山边社区开设四点半课堂",
                                                  author_name="林女士")
    return {"category": category, "mine": mine, "dispatched": dispatched, "dispatch": dispatch, "other": other,
            "other_dispatched": other_dispatched, "other_dispatch": other_dispatch, "suggestion": suggestion,
            "other_suggestion": other_suggestion}


def fingerprint(*objects) -> tuple:
    rows = [json.dumps(type(obj).objects.filter(pk=obj.pk).values().first(), default=str, sort_keys=True)
            for obj in objects]
    return (Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
            Measure.objects.count(), AuditEntry.objects.count(), *rows)


# ---- reads are scoped -------------------------------------------------------------------------


def test_lists_show_only_the_users_subtree(cast, client_for, voices):
    street = client_for(cast.user("street_secretary"))
    rows = body(street.get(f"{API}/requests/"))["results"]
    assert {row["number"] for row in rows} == {voices["mine"].number, voices["dispatched"].number}
    assert DONGFU_TEXT not in json.dumps(rows, ensure_ascii=False)
    mine = next(row for row in rows if row["number"] == voices["mine"].number)
    assert mine["contact_mobile_masked"] == "137****1111" and "13700001111" not in json.dumps(rows)
    assert mine["status_label"] == "待受理" and mine["stage_label"] == "说事" and mine["category_name"] == "道路设施"
    suggestions = body(street.get(f"{API}/suggestions/"))["results"]
    assert [row["id"] for row in suggestions] == [voices["suggestion"].pk]
    # The outsider (a branch secretary of 东孚) has no right to residents' voices at all.
    outsider = client_for(cast.user("outsider"))
    assert body(outsider.get(f"{API}/requests/"))["count"] == 0
    assert body(outsider.get(f"{API}/suggestions/"))["count"] == 0
    assert body(outsider.get(f"{API}/dispatches/"))["count"] == 0
    # Naming the other subtree in a filter does not widen the scope.
    data = assert_error(street.get(f"{API}/requests/?org={cast.orgs['other_community'].pk}"), 400, "invalid")
    assert data["message"] == "组织不存在或无权访问。"
    # The department sees what was dispatched to it, from both subtrees, and nothing else.
    handler = client_for(cast.user("department_handler"))
    assert {row["number"] for row in body(handler.get(f"{API}/requests/"))["results"]} == {
        voices["dispatched"].number, voices["other_dispatched"].number}
    assert {row["id"] for row in body(handler.get(f"{API}/dispatches/"))["results"]} == {
        voices["dispatch"].pk, voices["other_dispatch"].pk}


def test_retrieve_of_another_subtree_is_not_found(cast, client_for, voices):
    for username in ("street_secretary", "community_secretary", "outsider"):
        client = client_for(cast.user(username))
        for url in (f"{API}/requests/{voices['other'].pk}/", f"{API}/requests/{voices['other_dispatched'].pk}/",
                    f"{API}/requests/{voices['other'].pk}/departments/", f"{API}/suggestions/{voices['other_suggestion'].pk}/",
                    f"{API}/dispatches/{voices['other_dispatch'].pk}/", f"{API}/requests/999999/"):
            data = assert_error(client.get(url), 404, "not_found")
            assert data["message"] == "对象不存在或无权访问。"


def test_retrieve_shows_dispatches_and_timeline(cast, client_for, voices):
    data = body(client_for(cast.user("street_secretary")).get(f"{API}/requests/{voices['dispatched'].pk}/"))
    assert data["status"] == "dispatched" and data["status_label"] == "已吹哨" and data["stage_label"] == "理事"
    assert [(row["org_name"], row["status"]) for row in data["dispatches"]] == [("海沧区城市管理局机关党支部", "pending")]
    assert [event["action"] for event in data["events"]] == ["submit", "dispatch"]
    departments = body(client_for(cast.user("community_secretary")).get(f"{API}/requests/{voices['mine'].pk}/departments/"))
    assert departments == [{"id": cast.orgs["agency"].pk, "name": "海沧区城市管理局机关党支部"}]


def test_filters(cast, client_for, voices):
    client = client_for(cast.user("district_officer"))
    assert body(client.get(f"{API}/requests/?status=dispatched"))["count"] == 2
    assert body(client.get(f"{API}/requests/?org={cast.orgs['other_community'].pk}&status=submitted"))["count"] == 1
    assert body(client.get(f"{API}/requests/?category=road&open=true"))["count"] == 4
    assert body(client.get(f"{API}/requests/?q=井盖"))["results"][0]["number"] == voices["dispatched"].number
    assert body(client.get(f"{API}/requests/?q={voices['other'].number}"))["count"] == 1
    assert body(client.get(f"{API}/requests/?overdue=true"))["count"] == 0
    data = assert_error(client.get(f"{API}/requests/?status=open"), 400, "invalid")
    assert "status" in data["fields"] and "不是有效的选项" in data["message"]
    Dispatch.objects.filter(pk=voices["dispatch"].pk).update(deadline=clock.now() - datetime.timedelta(days=2))
    handler = client_for(cast.user("department_handler"))
    overdue = body(handler.get(f"{API}/dispatches/?overdue=true"))["results"]
    assert [row["id"] for row in overdue] == [voices["dispatch"].pk] and overdue[0]["overdue"] is True
    assert body(handler.get(f"{API}/dispatches/?status=replied"))["count"] == 0


# ---- writes on another subtree change nothing -------------------------------------------------


def test_every_write_on_another_subtree_is_refused_and_changes_nothing(cast, client_for, voices):
    other, other_dispatch, other_suggestion = voices["other"], voices["other_dispatch"], voices["other_suggestion"]
    problem = ledger_services.problem_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"],
                                             title="兴旺小区充电设施不足", source="residents", category="livelihood",
                                             found_on=datetime.date(2026, 10, 8))
    before = fingerprint(other, other_dispatch, other_suggestion, voices["mine"])
    attempts = []
    for name in ("handle", "merge", "decline", "publish"):
        attempts.append(("post", f"{API}/requests/{other.pk}/transition/",
                         {"name": name, "reason": "越权", "reply": "越权答复", "target": voices["mine"].pk}))
    attempts += [
        ("post", f"{API}/requests/{other.pk}/dispatch/", {"departments": [cast.orgs["agency"].pk]}),
        ("post", f"{API}/dispatches/{other_dispatch.pk}/action/", {"name": "accept"}),
        ("post", f"{API}/dispatches/{other_dispatch.pk}/action/", {"name": "reply", "reply": "越权答复"}),
        ("post", f"{API}/dispatches/{other_dispatch.pk}/action/", {"name": "hand_back", "reason": "越权"}),
        ("post", f"{API}/suggestions/{other_suggestion.pk}/adopt/", {"problem": problem.pk, "measure_text": "越权措施",
                                                                     "responsible_person": "某", "deadline": "2027-01-01"}),
        ("post", f"{API}/suggestions/{other_suggestion.pk}/decline/", {"response": "越权"}),
        # Own item, but a target in the other subtree: reads as "does not exist".
        ("post", f"{API}/requests/{voices['mine'].pk}/transition/", {"name": "merge", "target": other.pk}),
    ]
    for username in ("outsider", "street_secretary", "community_secretary"):
        client = client_for(cast.user(username))
        for method, url, data in attempts:
            response = call(client, method, url, data)
            assert response.status_code in (400, 403, 404), (username, url, response.status_code)
            assert_error(response, response.status_code,
                         {400: "invalid", 403: "permission_denied", 404: "not_found"}[response.status_code])
            assert fingerprint(other, other_dispatch, other_suggestion, voices["mine"]) == before, (username, url)


def test_a_department_acts_only_on_what_was_dispatched_to_it(cast, client_for, voices):
    dispatch = voices["dispatch"]
    before = fingerprint(dispatch, voices["dispatched"])
    secretary = client_for(cast.user("community_secretary"))  # dispatched it, but is no department
    assert_error(call(secretary, "post", f"{API}/dispatches/{dispatch.pk}/action/", {"name": "accept"}), 404, "not_found")
    handler = client_for(cast.user("department_handler"))
    data = assert_error(call(handler, "post", f"{API}/requests/{voices['dispatched'].pk}/transition/",
                             {"name": "publish", "reply": "部门越权公开"}), 403, "permission_denied")
    assert data["message"] == "无权对该诉求执行“答复并公开”。"
    data = assert_error(call(handler, "post", f"{API}/dispatches/{dispatch.pk}/action/", {"name": "reply", "reply": "已修"}),
                        400, "invalid")
    assert data["message"] == "派单当前为“待签收”，不能“答复”。"
    assert fingerprint(dispatch, voices["dispatched"]) == before


def test_bad_input_is_answered_in_chinese_and_writes_nothing(cast, client_for, voices):
    client = client_for(cast.user("community_secretary"))
    mine = voices["mine"]
    before = fingerprint(mine)
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/transition/", {"name": "decline", "reason": " "}),
                        400, "invalid")
    assert data["message"] == "“不予受理”须说明原因。"
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/transition/", {"name": "rate"}), 400, "invalid")
    assert "name" in data["fields"] and "不是有效的选项" in data["message"]
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/transition/", {"name": "publish", "reply": "已修"}),
                        400, "invalid")
    assert data["message"] == "诉求当前为“待受理”，不能“答复并公开”。"
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/dispatch/", {"departments": []}), 400, "invalid")
    assert data["message"] == "请至少选择一个部门。"
    for departments in ([cast.orgs["branch"].pk], [cast.orgs["other_branch"].pk], [987654]):
        data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/dispatch/", {"departments": departments}), 400,
                            "invalid")
        assert data["message"] == "所选部门不存在或不能派单。"
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/dispatch/",
                             {"departments": [cast.orgs["agency"].pk], "days": 99}), 400, "invalid")
    assert data["message"] == "办理时限应为1至60个工作日。"
    data = assert_error(call(client, "post", f"{API}/requests/{mine.pk}/transition/", {"name": "merge", "target": mine.pk}),
                        400, "invalid")
    assert data["message"] == "请选择本社区的另一条诉求作为合并目标。"
    assert fingerprint(mine) == before


def test_anonymous_requests_are_refused(client, voices):
    for url in (f"{API}/requests/", f"{API}/dispatches/", f"{API}/suggestions/", f"{API}/figures/"):
        response = client.get(url)
        assert response.status_code in (401, 403)
        assert body(response)["message"] == "请先登录。"


# ---- the loop through the API -----------------------------------------------------------------


def test_a_request_walks_the_five_stages_through_the_api(cast, client_for, voices):
    from django.test import Client

    def signed_in(user):
        client = Client()
        client.force_login(user, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
        return client

    secretary, handler = signed_in(cast.user("community_secretary")), signed_in(cast.user("department_handler"))
    mine = voices["mine"]
    response = call(secretary, "post", f"{API}/requests/{mine.pk}/dispatch/",
                    {"departments": [cast.orgs["agency"].pk], "days": 3, "note": "请尽快更换灯泡"})
    assert response.status_code == 201, response.content.decode()
    detail = body(response)
    assert detail["status"] == "dispatched" and detail["dispatches"][0]["note"] == "请尽快更换灯泡"
    dispatch_id = detail["dispatches"][0]["id"]
    assert body(call(handler, "post", f"{API}/dispatches/{dispatch_id}/action/", {"name": "accept"}))["status"] == "accepted"
    replied = body(call(handler, "post", f"{API}/dispatches/{dispatch_id}/action/", {"name": "reply", "reply": "已更换路灯"}))
    assert replied["status_label"] == "已答复" and replied["reply"] == "已更换路灯"
    published = body(call(secretary, "post", f"{API}/requests/{mine.pk}/transition/",
                          {"name": "publish", "reply": "城管局已更换路灯，感谢反映。"}))
    assert published["status"] == "published" and published["stage_label"] == "晒事" and published["answered_at"]
    actions = [event["action"] for event in published["events"]]
    assert actions == ["submit", "dispatch", "dispatch_accept", "dispatch_reply", "publish"]
    # A department hands back what is not its duty, with a reason.
    data = assert_error(call(handler, "post", f"{API}/dispatches/{voices['dispatch'].pk}/action/", {"name": "hand_back"}),
                        400, "invalid")
    assert data["message"] == "“退回（非本部门职责）”须说明原因。"
    returned = body(call(handler, "post", f"{API}/dispatches/{voices['dispatch'].pk}/action/",
                         {"name": "hand_back", "reason": "井盖属自来水公司管养"}))
    assert returned["status"] == "returned" and returned["hand_back_reason"] == "井盖属自来水公司管养"


def test_merge_and_decline_through_the_api(cast, client_for, voices):
    client = client_for(cast.user("community_secretary"))
    merged = body(call(client, "post", f"{API}/requests/{voices['mine'].pk}/transition/",
                       {"name": "merge", "target": voices["dispatched"].pk}))
    assert merged["status"] == "merged" and merged["merged_into_number"] == voices["dispatched"].number
    target = body(client.get(f"{API}/requests/{voices['dispatched'].pk}/"))
    assert target["duplicates"] == [voices["mine"].number]


def test_suggestions_are_adopted_into_the_ledger_and_declined(cast, client_for, voices):
    secretary = cast.user("community_secretary")
    problem = ledger_services.problem_create(actor=secretary, org=cast.orgs["community"], title="兴旺小区电动车充电设施不足",
                                             source="residents", category="livelihood", found_on=datetime.date(2026, 10, 8))
    other_problem = ledger_services.problem_create(actor=cast.user("outsider"), org=cast.orgs["other_branch"],
                                                   title="山边社区课后托管不足", source="residents", category="livelihood",
                                                   found_on=datetime.date(2026, 10, 8))
    client = client_for(secretary)
    url = f"{API}/suggestions/{voices['suggestion'].pk}/adopt/"
    payload = {"problem": other_problem.pk, "measure_text": "新增充电桩20个", "responsible_person": "王建国",
               "deadline": "2026-12-31", "response": "感谢建议，已采纳"}
    data = assert_error(call(client, "post", url, payload), 400, "invalid")
    assert data["message"] == "整改台账问题不存在或无权访问。"
    assert not Measure.objects.filter(problem=other_problem).exists()
    adopted = body(call(client, "post", url, {**payload, "problem": problem.pk}))
    assert adopted["status"] == "adopted" and adopted["measure_text"] == "新增充电桩20个"
    measure = Measure.objects.get(pk=adopted["measure"])
    assert measure.problem_id == problem.pk and measure.suggestions.get().pk == voices["suggestion"].pk  # linked both ways
    assert_error(call(client, "post", url, {**payload, "problem": problem.pk}), 400, "invalid")  # not twice
    suggestion = services.suggestion_submit(org=cast.orgs["community"], text="建议开设周末书法课", author_name="林女士")
    data = assert_error(call(client, "post", f"{API}/suggestions/{suggestion.pk}/decline/", {"response": ""}), 400, "invalid")
    assert "response" in data["fields"]
    declined = body(call(client, "post", f"{API}/suggestions/{suggestion.pk}/decline/", {"response": "暂无场地，暂不采纳"}))
    assert declined["status"] == "not_adopted" and declined["status_label"] == "暂不采纳"
    assert body(client.get(f"{API}/suggestions/?status=adopted"))["count"] == 1


def test_figures_agree_with_the_selectors(cast, client_for, voices):
    from yuntu.voices import selectors

    officer = cast.user("district_officer")
    data = body(client_for(officer).get(f"{API}/figures/?org={cast.orgs['street'].pk}"))
    expected = selectors.voices_figures(selectors.requests_visible_to(officer).filter(org_path__under=cast.orgs["street"].path))
    assert data["org"] == {"id": cast.orgs["street"].pk, "name": "中共海沧区新阳街道工作委员会"}
    assert data["requests"] == expected and data["requests"]["received"] == 2
    assert data["suggestions"] == {"collected": 1, "adopted": 0, "measures": 0}
    assert body(client_for(officer).get(f"{API}/figures/"))["requests"]["received"] == 4
    assert_error(client_for(cast.user("street_secretary")).get(f"{API}/figures/?org={cast.orgs['other_street'].pk}"), 400,
                 "invalid")

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.ledger import selectors, services
from yuntu.ledger.models import Evidence, LedgerEvent, Measure, Problem, Progress
from yuntu.ledger.workflow import MeasureStatus, ProblemStatus

API = "/api/ledger"
XINYANG_TITLE = "兴旺小区3号楼消防通道长期被电动车占用"
DONGFU_TITLE = "山边社区玛瑙加工作坊搬迁后场地闲置"


def call(client, method: str, url: str, data=None):
    return getattr(client, method)(url, data=json.dumps(data) if data is not None else None,
                                   content_type="application/json")


def body(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    assert b"\\u" not in response.content, response.content[:200]  # Chinese as UTF-8, not \u escapes
    return response.json()


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content.decode())
    data = body(response)
    assert data["code"] == code, data
    assert any("\u4e00" <= char <= "\u9fff" for char in data["message"]), data
    return data


@pytest.fixture
def ledger(cast):
    """A problem with an approved measure in each subtree: 新阳 (the cast's) and 东孚 (the outsider's)."""
    inspector, secretary, officer = cast.user("inspector"), cast.user("branch_secretary"), cast.user("district_officer")
    problem = services.problem_create(actor=secretary, org=cast.orgs["branch"], title=XINYANG_TITLE, source="residents",
                                      category="livelihood", found_on=datetime.date(2026, 10, 8))
    services.problem_transition(actor=inspector, problem=problem, name="approve")
    measure = services.measure_add(actor=secretary, problem=problem, text="清理占道车辆并施划禁停标线",
                                   responsible_person="王建国", deadline=clock.today() + datetime.timedelta(days=30))
    services.measure_transition(actor=inspector, measure=measure, name="approve")
    other = services.problem_create(actor=cast.user("outsider"), org=cast.orgs["other_branch"], title=DONGFU_TITLE,
                                    source="research", category="development", found_on=datetime.date(2026, 9, 1))
    services.problem_transition(actor=officer, problem=other, name="approve")
    other_measure = services.measure_add(actor=officer, problem=other, text="引入电商企业盘活闲置场地",
                                         responsible_person="邱文彬", deadline=datetime.date(2026, 10, 1))
    return {"problem": problem, "measure": measure, "other": other, "other_measure": other_measure}


def fingerprint(*objects) -> tuple:
    rows = [json.dumps(type(obj).objects.filter(pk=obj.pk).values().first(), default=str, sort_keys=True)
            for obj in objects]
    return (Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), Evidence.objects.count(),
            LedgerEvent.objects.count(), AuditEntry.objects.count(), *rows)


# ---- reads are scoped -------------------------------------------------------------------------


def test_lists_show_only_the_users_subtree(cast, client_for, ledger):
    client = client_for(cast.user("outsider"))
    problems = body(client.get(f"{API}/problems/"))
    assert [row["title"] for row in problems["results"]] == [DONGFU_TITLE]
    assert XINYANG_TITLE not in json.dumps(problems, ensure_ascii=False)
    measures = body(client.get(f"{API}/measures/"))
    assert [row["id"] for row in measures["results"]] == [ledger["other_measure"].pk]
    # Naming the other subtree in a filter does not widen the scope.
    response = client.get(f"{API}/problems/?org={cast.orgs['street'].pk}")
    assert_error(response, 400, "invalid")
    client = client_for(cast.user("street_secretary"))
    titles = [row["title"] for row in body(client.get(f"{API}/problems/"))["results"]]
    assert titles == [XINYANG_TITLE]


def test_retrieve_of_another_subtree_is_not_found(cast, client_for, ledger):
    client = client_for(cast.user("outsider"))
    for url in (f"{API}/problems/{ledger['problem'].pk}/", f"{API}/measures/{ledger['measure'].pk}/",
                f"{API}/problems/{ledger['problem'].pk}/measures/", f"{API}/measures/{ledger['measure'].pk}/progress/",
                f"{API}/problems/999999/"):
        data = assert_error(client.get(url), 404, "not_found")
        assert data["message"] == "对象不存在或无权访问。"


def test_retrieve_shows_measures_and_timeline(cast, client_for, ledger):
    client = client_for(cast.user("street_secretary"))
    data = body(client.get(f"{API}/problems/{ledger['problem'].pk}/"))
    assert data["title"] == XINYANG_TITLE and data["status"] == "rectifying" and data["status_label"] == "整改中"
    assert data["org_name"] == "兴旺社区第一党支部" and data["level_class"] == "grassroots"
    assert [measure["text"] for measure in data["measures"]] == ["清理占道车辆并施划禁停标线"]
    assert [event["action"] for event in data["events"]] == ["create", "approve", "measure_add", "approve"]
    assert data["pushed_down"] is None


def test_filters(cast, client_for, ledger):
    client = client_for(cast.user("district_officer"))
    assert body(client.get(f"{API}/problems/?source=residents"))["count"] == 1
    assert body(client.get(f"{API}/problems/?category=development&status=rectifying"))["count"] == 1
    assert body(client.get(f"{API}/problems/?level_class=county"))["count"] == 0
    assert body(client.get(f"{API}/problems/?start=2026-10-01&end=2026-10-31"))["count"] == 1
    assert body(client.get(f"{API}/problems/?org={cast.orgs['other_street'].pk}"))["results"][0]["title"] == DONGFU_TITLE
    data = assert_error(client.get(f"{API}/problems/?status=open"), 400, "invalid")
    assert "status" in data["fields"]
    assert_error(client.get(f"{API}/problems/?start=2026-11-01&end=2026-10-01"), 400, "invalid")
    overdue = body(client.get(f"{API}/measures/?overdue=true"))["results"]
    assert [row["id"] for row in overdue] == [ledger["other_measure"].pk] and overdue[0]["overdue"] is True
    assert body(client.get(f"{API}/measures/?status=in_progress"))["count"] == 1


# ---- writes on another subtree change nothing ------------------------------------------------


def test_every_write_by_the_outsider_on_another_subtree_is_refused(cast, client_for, ledger):
    client = client_for(cast.user("outsider"))
    problem, measure = ledger["problem"], ledger["measure"]
    before = fingerprint(problem, measure)
    attempts = [
        ("patch", f"{API}/problems/{problem.pk}/", {"title": "越权篡改"}),
        ("post", f"{API}/problems/{problem.pk}/push/", {"orgs": [cast.orgs["other_branch"].pk]}),
        ("post", f"{API}/problems/{problem.pk}/measures/", {"text": "越权措施内容", "responsible_person": "某",
                                                           "deadline": "2027-01-01"}),
        ("patch", f"{API}/measures/{measure.pk}/", {"text": "越权篡改"}),
        ("post", f"{API}/measures/{measure.pk}/progress/", {"text": "越权进展", "percent": 90}),
        # A body naming an org of the other subtree reads as "no such org".
        ("post", f"{API}/problems/", {"org": cast.orgs["branch"].pk, "title": "越权问题", "source": "residents",
                                      "category": "livelihood", "found_on": "2026-11-01"}),
        ("post", f"{API}/problems/{ledger['other'].pk}/push/", {"orgs": [cast.orgs["branch"].pk]}),
        ("post", f"{API}/problems/{ledger['other'].pk}/measures/", {"text": "把措施挂到别人的单位", "org": cast.orgs["branch"].pk,
                                                                    "responsible_person": "某", "deadline": "2027-01-01"}),
    ]
    for name in ("approve", "send_back", "resubmit", "close", "reopen"):
        attempts.append(("post", f"{API}/problems/{problem.pk}/transition/", {"name": name, "reason": "越权"}))
    for name in ("approve", "send_back", "resubmit", "report_done", "verify", "reopen"):
        attempts.append(("post", f"{API}/measures/{measure.pk}/transition/", {"name": name, "reason": "越权"}))
    for method, url, data in attempts:
        response = call(client, method, url, data)
        assert response.status_code in (400, 403, 404), (method, url, response.status_code)
        assert_error(response, response.status_code, {400: "invalid", 403: "permission_denied", 404: "not_found"}[
            response.status_code])
        assert fingerprint(problem, measure) == before, (method, url)
    upload = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    response = client.post(f"{API}/measures/{measure.pk}/progress/", data={"text": "越权", "percent": 50, "evidence": [upload]})
    assert_error(response, 404, "not_found")
    assert fingerprint(problem, measure) == before


def test_a_viewer_without_the_right_gets_403_and_nothing_changes(cast, client_for, ledger):
    problem = ledger["problem"]
    client = client_for(cast.user("branch_secretary"))  # may edit, may not review
    before = fingerprint(problem, ledger["measure"])
    data = assert_error(call(client, "post", f"{API}/problems/{problem.pk}/transition/", {"name": "close"}), 403,
                        "permission_denied")
    assert data["message"] == "无权对该问题执行“销号”。"
    assert fingerprint(problem, ledger["measure"]) == before


def test_invalid_transitions_answer_400_in_chinese_and_change_nothing(cast, client_for, ledger):
    client = client_for(cast.user("inspector"))
    problem, measure = ledger["problem"], ledger["measure"]
    before = fingerprint(problem, measure)
    data = assert_error(call(client, "post", f"{API}/measures/{measure.pk}/transition/", {"name": "verify"}), 400, "invalid")
    assert data["message"] == "措施当前为“整改中”，不能“验收通过”。"
    data = assert_error(call(client, "post", f"{API}/problems/{problem.pk}/transition/", {"name": "close"}), 400, "invalid")
    assert data["message"] == "还有1项措施未验收，不能销号。"
    data = assert_error(call(client, "post", f"{API}/problems/{problem.pk}/transition/", {"name": "destroy"}), 400, "invalid")
    assert "name" in data["fields"] and "不是有效的选项" in data["message"]
    data = assert_error(call(client, "post", f"{API}/measures/{measure.pk}/transition/",
                             {"name": "send_back", "reason": " "}), 400, "invalid")
    assert data["message"] == "措施当前为“整改中”，不能“退回修改”。"
    assert fingerprint(problem, measure) == before


def test_bad_input_is_answered_in_chinese_and_writes_nothing(cast, client_for, ledger):
    client = client_for(cast.user("branch_secretary"))
    before = fingerprint(ledger["problem"], ledger["measure"])
    data = assert_error(call(client, "post", f"{API}/problems/", {"org": cast.orgs["branch"].pk, "title": "  ",
                                                                 "source": "residents", "category": "livelihood",
                                                                 "found_on": "2099-01-01"}), 400, "invalid")
    assert set(data["fields"]) >= {"title"} or set(data["fields"]) >= {"found_on"}
    data = assert_error(call(client, "post", f"{API}/measures/{ledger['measure'].pk}/progress/",
                             {"text": "进展", "percent": 120}), 400, "invalid")
    assert "percent" in data["fields"]
    bad = SimpleUploadedFile("脚本.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(f"{API}/measures/{ledger['measure'].pk}/progress/",
                           data={"text": "已清理车辆", "percent": 50, "evidence": [bad]})
    data = assert_error(response, 400, "invalid")
    assert "类型不支持" in data["message"]
    assert fingerprint(ledger["problem"], ledger["measure"]) == before


def test_anonymous_requests_are_refused(client, ledger):
    response = client.get(f"{API}/problems/")
    assert response.status_code in (401, 403)
    assert body(response)["message"] == "请先登录。"


# ---- the loop through the API -----------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    return client


def test_a_problem_walks_the_loop_through_the_api(cast):
    owner, reviewer = signed_in(cast.user("branch_secretary")), signed_in(cast.user("inspector"))
    response = call(owner, "post", f"{API}/problems/", {
        "org": cast.orgs["branch"].pk, "title": "兴旺小区楼道堆物长期未清理", "source": "residents",
        "category": "governance", "found_on": "2026-11-02", "description": "群众多次反映楼道堆放杂物，存在消防隐患。"})
    assert response.status_code == 201, response.content.decode()
    created = body(response)
    assert created["title"] == "兴旺小区楼道堆物长期未清理" and created["status_label"] == "待审核"
    assert "兴旺小区楼道堆物长期未清理".encode() in response.content
    pk = created["id"]
    sent_back = body(call(reviewer, "post", f"{API}/problems/{pk}/transition/",
                          {"name": "send_back", "reason": "问题选取不够精准"}))
    assert sent_back["status"] == "returned" and sent_back["last_reason"] == "问题选取不够精准"
    assert selectors.todo_for(cast.user("branch_secretary"))["returned_problems"].filter(pk=pk).exists()
    patched = body(call(owner, "patch", f"{API}/problems/{pk}/", {"title": "兴旺小区5号楼楼道堆物占用疏散通道"}))
    assert patched["title"] == "兴旺小区5号楼楼道堆物占用疏散通道"
    body(call(owner, "post", f"{API}/problems/{pk}/transition/", {"name": "resubmit"}))
    assert body(call(reviewer, "post", f"{API}/problems/{pk}/transition/", {"name": "approve"}))["status"] == "rectifying"
    response = call(owner, "post", f"{API}/problems/{pk}/measures/",
                    {"text": "组织志愿者清理楼道堆物并建立巡查制度", "responsible_person": "王建国", "deadline": "2026-12-31"})
    assert response.status_code == 201, response.content.decode()
    measure_pk = body(response)["id"]
    approved = body(call(reviewer, "post", f"{API}/measures/{measure_pk}/transition/", {"name": "approve"}))
    assert approved["status"] == "in_progress"
    photo = SimpleUploadedFile("清理前后对比.jpg", b"\xff\xd8\xff" + b"0" * 200, content_type="image/jpeg")
    minutes = SimpleUploadedFile("巡查制度.pdf", b"%PDF-1.4 " + b"0" * 200, content_type="application/pdf")
    response = owner.post(f"{API}/measures/{measure_pk}/progress/",
                          data={"text": "已清理5个楼层的堆物", "percent": 60, "evidence": [photo, minutes]})
    assert response.status_code == 201, response.content.decode()
    progress = body(response)
    assert progress["percent"] == 60 and sorted(item["file_name"] for item in progress["evidence"]) == [
        "巡查制度.pdf", "清理前后对比.jpg"]
    body(call(owner, "post", f"{API}/measures/{measure_pk}/transition/", {"name": "report_done"}))
    assert body(call(reviewer, "post", f"{API}/measures/{measure_pk}/transition/", {"name": "verify"}))["status"] == "verified"
    closed = body(call(reviewer, "post", f"{API}/problems/{pk}/transition/", {"name": "close"}))
    assert closed["status"] == ProblemStatus.CLOSED and closed["closed_at"]
    detail = body(signed_in(cast.user("street_secretary")).get(f"{API}/measures/{measure_pk}/"))
    assert detail["status"] == MeasureStatus.VERIFIED and len(detail["progress_reports"]) == 1
    actions = [event["action"] for event in closed["events"]]
    assert actions[:3] == ["create", "send_back", "edit"] and actions[-1] == "close" and "progress" in actions


def test_push_down_through_the_api(cast, client_for):
    officer = cast.user("district_officer")
    upper = services.problem_create(actor=officer, org=cast.orgs["street"], title="老旧小区加装电梯推进慢",
                                    source="research", category="livelihood", found_on=datetime.date(2026, 9, 1))
    client = client_for(officer)
    response = call(client, "post", f"{API}/problems/{upper.pk}/push/",
                    {"orgs": [cast.orgs["community"].pk, cast.orgs["branch"].pk]})
    assert response.status_code == 201, response.content.decode()
    assert [row["source"] for row in body(response)] == ["upper", "upper"]
    detail = body(client.get(f"{API}/problems/{upper.pk}/"))
    assert detail["pushed_down"] == {"problems": 2, "problems_closed": 0, "measures": 0, "measures_completed": 0}
    data = assert_error(call(client, "post", f"{API}/problems/{upper.pk}/push/", {"orgs": []}), 400, "invalid")
    assert data["message"] == "请选择要推送的下级单位。"
    data = assert_error(call(client, "post", f"{API}/problems/{upper.pk}/push/", {"orgs": [cast.orgs["other_branch"].pk]}),
                        400, "invalid")
    assert "不是本单位的下级单位" in data["message"]
    data = assert_error(call(client_for(cast.user("street_secretary")), "post", f"{API}/problems/{upper.pk}/push/",
                             {"orgs": [cast.orgs["other_branch"].pk]}), 400, "invalid")
    assert data["message"] == "所选组织不存在或无权访问。"  # the same answer as for an id that does not exist
    assert Problem.objects.filter(pushed_from=upper).count() == 2


# ---- figures ----------------------------------------------------------------------------------


def test_figures_agree_with_the_selectors(cast, client_for, ledger):
    officer = cast.user("district_officer")
    for name in ("report_done", "verify"):
        services.measure_transition(actor=officer, measure=ledger["measure"], name=name)
    district = cast.orgs["district"]
    data = body(client_for(officer).get(f"{API}/figures/?org={district.pk}"))
    assert data["org"] == {"id": district.pk, "name": "中共厦门市海沧区委员会"}
    assert data["figures"] == json.loads(json.dumps(selectors.ledger_figures(officer, org=district)))
    expected = [{key: row[key] for key in ("org_id", "name", "measures", "completed", "overdue", "completion_rate")}
                for row in selectors.unit_ranking(officer, org=district)]
    assert data["ranking"] == expected
    assert data["figures"]["grassroots"]["measures"] == 2 and data["figures"]["grassroots"]["completion_rate"] == 50.0
    # A period and an org are honoured; the outsider's default is its own branch.
    data = body(client_for(officer).get(f"{API}/figures/?org={district.pk}&start=2026-10-01"))
    assert data["figures"]["all"]["problems"] == 1 and data["start"] == "2026-10-01"
    outsider = client_for(cast.user("outsider"))
    assert_error(outsider.get(f"{API}/figures/?org={district.pk}"), 400, "invalid")
    own = body(outsider.get(f"{API}/figures/"))
    assert own["org"]["name"] == "山边社区第一党支部" and own["figures"]["all"]["problems"] == 1
    assert XINYANG_TITLE not in json.dumps(own, ensure_ascii=False)

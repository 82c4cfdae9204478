import io
import json

import openpyxl

from yuntu.campaigns.models import Task, TaskProgress


def test_the_desk_page_the_board_and_its_data(roadmap, cast, client_for):
    client = client_for(cast.user("district_officer"))
    campaign = roadmap["campaign"]
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "组织党员志愿者清理楼道" in page and 'id="owner-ranking"' in page
    board = client.get(f"/campaigns/{campaign.pk}/board/")
    text = board.content.decode()
    assert board.status_code == 200 and 'id="board-data"' in text
    assert "<script>" not in text and "onclick" not in text and 'style="' not in text
    data = client.get(f"/campaigns/{campaign.pk}/board.json").json()
    assert data["totals"]["overdue"] == 1 and data["overdue"][0]["name"] == "组织党员志愿者清理楼道"
    for url in ("/campaigns/", "/campaigns/follow-up/", f"/campaigns/{campaign.pk}/weekly/",
                f"/campaigns/projects/{roadmap['project'].pk}/", f"/campaigns/tasks/{roadmap['late'].pk}/",
                f"/campaigns/{campaign.pk}/import/"):
        assert client.get(url).status_code == 200, url


def test_the_ledger_export_lists_every_task_with_its_result(roadmap, cast, client_for):
    response = client_for(cast.user("district_officer")).get(f"/campaigns/{roadmap['campaign'].pk}/ledger.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook["工作台账"].iter_rows(values_only=True))
    assert rows[0][3] == "任务" and len(rows) == 3
    assert any(row[3] == "组织党员志愿者清理楼道" and row[14].startswith("逾期") for row in rows[1:])


def test_progress_going_back_without_a_reason_is_refused_on_the_page(roadmap, cast, client_for):
    client = client_for(cast.user("community_secretary"))
    url = f"/campaigns/tasks/{roadmap['on_track'].pk}/progress/"
    assert client.post(url, {"percent": 50, "text": "过半"}).status_code == 302
    response = client.post(url, {"percent": 20, "text": "回调"})
    assert response.status_code == 400 and "须说明原因" in response.content.decode()
    assert Task.objects.get(pk=roadmap["on_track"].pk).percent == 50


def test_the_follow_up_page_is_for_supervisors(roadmap, cast, client_for):
    assert client_for(cast.user("branch_secretary")).get("/campaigns/follow-up/").status_code == 403
    page = client_for(cast.user("inspector")).get("/campaigns/follow-up/").content.decode()
    assert "组织党员志愿者清理楼道" in page


def test_the_api_lists_within_scope_and_takes_progress(roadmap, cast, client_for):
    client = client_for(cast.user("community_secretary"))
    tasks = client.get("/api/campaigns/tasks/").json()["results"]
    assert [task["name"] for task in tasks] == ["组织党员志愿者清理楼道", "完成改造方案征求意见"]  # by deadline
    response = client.post(f"/api/campaigns/tasks/{roadmap['on_track'].pk}/progress/",
                           data=json.dumps({"percent": 30, "text": "启动入户"}), content_type="application/json")
    assert response.status_code == 201
    response = client.post(f"/api/campaigns/tasks/{roadmap['on_track'].pk}/progress/",
                           data=json.dumps({"percent": 10, "text": "回调"}), content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid" and "reason" in response.json()["fields"]


def test_an_outsider_neither_sees_nor_changes_campaign_data(roadmap, cast, client_for):
    client = client_for(cast.user("outsider"))
    campaign, task = roadmap["campaign"], roadmap["late"]
    for url in (f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/board/", f"/campaigns/{campaign.pk}/board.json",
                f"/campaigns/tasks/{task.pk}/", f"/api/campaigns/campaigns/{campaign.pk}/board/",
                f"/api/campaigns/tasks/{task.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/campaigns/tasks/").json()["results"] == []
    assert client.post(f"/campaigns/tasks/{task.pk}/progress/", {"percent": 90, "text": "越权"}).status_code == 404
    assert client.post(f"/api/campaigns/tasks/{task.pk}/progress/", data=json.dumps({"percent": 90, "text": "越权"}),
                       content_type="application/json").status_code == 404
    assert not TaskProgress.objects.exists() and Task.objects.get(pk=task.pk).percent == 0

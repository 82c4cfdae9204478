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


def test_hq_posts_and_marks_through_the_project_page(roadmap, cast, client_for):
    from yuntu.campaigns.models import HQMembership, Post, ScoreMark
    from yuntu.core import clock

    project = roadmap["project"]
    officer = client_for(cast.user("district_officer"))
    base = f"/campaigns/projects/{project.pk}/"
    assert officer.post(base + "hq/", {"hq_name": "改造指挥部", "branch_name": "改造项目临时党支部"}).status_code == 302
    project.refresh_from_db()
    assert project.hq_branch.temporary and project.hq_branch.end_date == project.planned_end
    assert officer.post(base + "hq/members/", {"member": cast.members["other_member"].pk, "duty": "委员"}).status_code == 302
    assert HQMembership.objects.get(project=project).home_org == cast.orgs["other_branch"]
    response = officer.post(base + "posts/", {"name": "施工协调岗", "duties": "", "holder_name": "王海"})
    assert response.status_code == 400 and not Post.objects.exists()
    assert officer.post(base + "posts/", {"name": "施工协调岗", "duties": "协调施工", "holder_name": "王海"}).status_code == 302
    post = Post.objects.get()
    month = clock.today().strftime("%Y-%m")
    response = officer.post(f"/campaigns/posts/{post.pk}/marks/", {"month": month, "points": 5, "reason": ""})
    assert response.status_code == 400 and "须说明理由" in response.content.decode() and not ScoreMark.objects.exists()
    assert officer.post(f"/campaigns/posts/{post.pk}/marks/",
                        {"month": month, "points": 5, "reason": "群众评价好"}).status_code == 302
    page = officer.get(base + f"?month={month}").content.decode()
    assert "改造项目临时党支部" in page and "邱文彬" in page and "群众评价好" in page
    assert officer.post(base + "hq/dissolve/").status_code == 302
    project.hq_branch.refresh_from_db()
    assert not project.hq_branch.is_active


def test_a_street_secretary_cannot_mark_posts_and_the_outsider_cannot_reach_them(roadmap, cast, client_for):
    from yuntu.campaigns import services
    from yuntu.campaigns.models import ScoreMark

    post = services.post_create(actor=roadmap["officer"], project=roadmap["project"], name="协调岗", duties="协调",
                                holder_name="王海")
    data = {"month": "2026-11", "points": 5, "reason": "好"}
    assert client_for(cast.user("street_secretary")).post(f"/campaigns/posts/{post.pk}/marks/", data).status_code == 403
    assert client_for(cast.user("outsider")).post(f"/campaigns/posts/{post.pk}/marks/", data).status_code == 404
    assert not ScoreMark.objects.exists()


def test_weekly_report_milestones_and_the_english_page(roadmap, cast, client_for):
    from yuntu.campaigns.models import Milestone

    client = client_for(cast.user("community_secretary"))
    milestone = Milestone.objects.get(task=roadmap["on_track"])
    assert client.post(f"/campaigns/milestones/{milestone.pk}/done/").status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).done_on is not None
    client.post(f"/campaigns/tasks/{roadmap['on_track'].pk}/progress/", {"percent": 30, "text": "入户征求意见过半"})
    page = client.get(f"/campaigns/{roadmap['campaign'].pk}/weekly/").content.decode()
    assert "入户征求意见过半" in page
    client.cookies["django_language"] = "en"
    english = client.get(f"/campaigns/{roadmap['campaign'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Owner ranking" in english and "Overdue tasks" in english


def test_the_escalation_command_reports_in_chinese(roadmap, cast):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("campaigns_escalate", stdout=out)
    text = out.getvalue()
    assert "逾期任务1项，已督办1项" in text and "组织党员志愿者清理楼道" in text


def test_the_api_creates_a_task_and_refuses_bad_schedules_and_owners(roadmap, cast, client_for):
    from yuntu.campaigns import services

    officer = roadmap["officer"]
    campaign = services.campaign_create(actor=officer, org=cast.orgs["street"], name="新阳街道近邻党建专项行动",
                                        start_date=roadmap["campaign"].start_date, end_date=roadmap["campaign"].end_date)
    project = services.project_create(actor=officer, campaign=campaign, org=cast.orgs["community"], name="小区党支部全覆盖",
                                      owner_name="陈立", planned_start=roadmap["project"].planned_start,
                                      planned_end=roadmap["project"].planned_end)
    client = client_for(cast.user("district_officer"))
    body = {"project": project.pk, "org": cast.orgs["community"].pk, "name": "完成绿化补植", "owner_name": "陈立",
            "planned_start": "2026-12-10", "planned_end": "2026-12-20", "deadline": "2026-12-20"}

    def post(user_client, **changes):
        return user_client.post("/api/campaigns/tasks/", data=json.dumps({**body, **changes}),
                                content_type="application/json")

    response = post(client, deadline="2026-12-01")
    assert response.status_code == 400 and "不能早于计划开始日期" in response.json()["fields"]["deadline"][0]
    response = post(client, org=cast.orgs["other_community"].pk)
    assert response.status_code == 400 and "范围内" in response.json()["fields"]["org"][0]
    assert post(client_for(cast.user("outsider"))).status_code == 404
    assert not Task.objects.filter(name="完成绿化补植").exists()
    response = post(client_for(cast.user("district_officer")))
    assert response.status_code == 201 and Task.objects.filter(name="完成绿化补植", project=project).count() == 1


def test_the_follow_up_lists_temporary_branches_past_their_project_end(roadmap, cast, client_for):
    import datetime

    from yuntu.campaigns import services
    from yuntu.core import clock

    today = clock.today()
    ended = services.project_create(actor=roadmap["officer"], campaign=roadmap["campaign"], org=cast.orgs["street"],
                                    name="楼道微改造", owner_name="王建平", planned_start=today - datetime.timedelta(days=40),
                                    planned_end=today - datetime.timedelta(days=1))
    services.project_hq_create(actor=roadmap["officer"], project=ended, hq_name="微改造指挥部", branch_name="楼道微改造临时党支部")
    page = client_for(cast.user("inspector")).get("/campaigns/follow-up/").content.decode()
    assert 'id="dissolution-due"' in page and "楼道微改造临时党支部" in page
    outsider_view = client_for(cast.user("outsider"))
    assert outsider_view.get("/campaigns/follow-up/").status_code == 403


def test_every_status_and_action_label_has_an_english_translation():
    from django.utils import translation

    from yuntu.campaigns.workflow import CAMPAIGN_TRANSITIONS, TASK_TRANSITIONS, CampaignStatus, TaskStatus

    labels = [label for _, label in CampaignStatus.choices + TaskStatus.choices]
    labels += [transition.label for transition in [*CAMPAIGN_TRANSITIONS.values(), *TASK_TRANSITIONS.values()]]
    with translation.override("en"):
        untranslated = [label for label in labels if translation.gettext(label) == label]
    assert not untranslated

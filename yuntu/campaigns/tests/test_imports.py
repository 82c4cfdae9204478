import datetime

from yuntu.accounts.models import AuditEntry
from yuntu.campaigns import imports, services
from yuntu.campaigns.models import Milestone, Project, Task
from yuntu.core import clock

from .conftest import roadmap_workbook


def _rows(cast):
    today = clock.today()
    start, end = today.isoformat(), (today + datetime.timedelta(days=30)).isoformat()
    street, community = cast.orgs["street"].name, cast.orgs["community"].name
    return [
        [1, "马銮湾智慧体育公园建设", street, "张建国", "马銮湾", 24.5431, 118.0132, "完成场地平整", "清表、土方平衡", community,
         "李志强", start, end, end, f"{(today + datetime.timedelta(days=10)).isoformat()} 完成清表"],
        [1, "", "", "", "", "", "", "完成主体施工", "", street, "王海", start, end, end, ""],
        [2, "三江口湿地公园提升", street, "陈红", "三江口", "", "", "补植红树林", "", community, "周敏", start, end, end, ""],
    ]


def _campaign(cast):
    today = clock.today()
    return services.campaign_create(actor=cast.user("district_officer"), org=cast.orgs["district"], name="项目攻坚专项行动",
                                    start_date=today, end_date=today + datetime.timedelta(days=365))


def test_a_roadmap_imports_projects_tasks_and_milestones(cast):
    campaign = _campaign(cast)
    result = imports.import_roadmap(actor=cast.user("district_officer"), campaign=campaign,
                                    upload=roadmap_workbook(_rows(cast)))
    assert result.ok, result.errors
    assert (result.projects, result.tasks) == (2, 3)
    project = Project.objects.get(campaign=campaign, name="马銮湾智慧体育公园建设")
    assert project.tasks.count() == 2 and float(project.latitude) == 24.5431
    assert Milestone.objects.filter(task__project=project, name="完成清表").exists()
    assert AuditEntry.objects.filter(action="campaign.import").count() == 1


def test_one_bad_row_writes_nothing_and_says_where_in_chinese(cast):
    campaign = _campaign(cast)
    rows = _rows(cast)
    today = clock.today()
    rows[1][11] = today.isoformat()
    rows[1][13] = (today - datetime.timedelta(days=3)).isoformat()  # deadline before the start
    rows[2][9] = cast.orgs["other_community"].name  # owner outside the campaign's lead org? (district: inside)
    rows[2][9] = "不存在的单位"
    result = imports.import_roadmap(actor=cast.user("district_officer"), campaign=campaign,
                                    upload=roadmap_workbook(rows))
    messages = [str(error) for error in result.errors]
    assert any(message.startswith("第3行“完成时限”") and "不能早于计划开始日期" in message for message in messages), messages
    assert any(message.startswith("第4行“责任单位”") and "不存在" in message for message in messages), messages
    assert not Project.objects.filter(campaign=campaign).exists() and not Task.objects.filter(campaign=campaign).exists()


def test_an_owner_outside_the_campaigns_lead_org_is_a_row_error(cast):
    today = clock.today()
    campaign = services.campaign_create(actor=cast.user("district_officer"), org=cast.orgs["street"], name="新阳专项行动",
                                        start_date=today, end_date=today)
    rows = _rows(cast)
    rows[2][9] = cast.orgs["other_community"].name
    result = imports.import_roadmap(actor=cast.user("district_officer"), campaign=campaign,
                                    upload=roadmap_workbook(rows))
    assert any("不在专项行动牵头单位的范围内" in str(error) and str(error).startswith("第4行") for error in result.errors)
    assert not Task.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(cast):
    import io

    upload = io.BytesIO(b"not a workbook")
    upload.name, upload.size = "路线图.xlsx", 14
    result = imports.import_roadmap(actor=cast.user("district_officer"), campaign=_campaign(cast), upload=upload)
    assert "不是有效的 .xlsx" in str(result.errors[0])


def test_someone_without_campaign_edit_cannot_import(cast):
    result = imports.import_roadmap(actor=cast.user("branch_secretary"), campaign=_campaign(cast),
                                    upload=roadmap_workbook(_rows(cast)))
    assert not result.ok and not Task.objects.exists()

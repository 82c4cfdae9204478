import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuntu.accounts.models import AuditEntry
from yuntu.campaigns import notifications, selectors, services
from yuntu.campaigns.models import CampaignEvent, Task, TaskProgress
from yuntu.campaigns.workflow import TaskStatus
from yuntu.core import clock
from yuntu.indicators import registry
from yuntu.orgs.models import Org


def test_a_deadline_before_the_start_is_refused_and_nothing_is_written(roadmap, cast):
    today = clock.today()
    before = Task.objects.count()
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=roadmap["officer"], project=roadmap["project"], org=cast.orgs["community"],
                             name="倒排的任务", owner_name="陈立", planned_start=today, planned_end=today,
                             deadline=today - datetime.timedelta(days=1))
    assert "完成时限" in error.value.message_dict["deadline"][0] and "不能早于计划开始日期" in error.value.message_dict["deadline"][0]
    assert Task.objects.count() == before


def test_an_owner_outside_the_campaigns_scope_is_refused(roadmap, cast):
    street_campaign = services.campaign_create(actor=roadmap["officer"], org=cast.orgs["street"], name="新阳街道专项行动",
                                               start_date=clock.today(), end_date=clock.today())
    today = clock.today()
    with pytest.raises(ValidationError) as error:
        services.project_create(actor=roadmap["officer"], campaign=street_campaign, org=cast.orgs["other_community"],
                                name="越界项目", owner_name="邱文彬", planned_start=today, planned_end=today)
    assert "不在专项行动牵头单位" in error.value.message_dict["org"][0]


def test_progress_may_not_go_back_without_a_reason(roadmap, cast):
    task = roadmap["on_track"]
    secretary = cast.user("community_secretary")
    services.progress_record(actor=secretary, task=task, percent=60, text="方案初稿完成")
    with pytest.raises(ValidationError) as error:
        services.progress_record(actor=secretary, task=task, percent=40, text="重新征求意见")
    assert "须说明原因" in error.value.message_dict["reason"][0]
    task.refresh_from_db()
    assert (task.percent, TaskProgress.objects.filter(task=task).count()) == (60, 1)
    services.progress_record(actor=secretary, task=task, percent=40, text="重新征求意见", reason="居民对方案有较大分歧")
    task.refresh_from_db()
    assert task.percent == 40 and task.status == TaskStatus.IN_PROGRESS


def test_a_hundred_percent_completes_the_task_on_time_and_the_board_counts_it(roadmap, cast):
    services.progress_record(actor=cast.user("community_secretary"), task=roadmap["on_track"], percent=100, text="完成")
    task = Task.objects.get(pk=roadmap["on_track"].pk)
    assert task.status == TaskStatus.DONE and task.completed_on == clock.today()
    board = selectors.board_data(cast.user("district_officer"), roadmap["campaign"])
    assert (board["totals"]["tasks"], board["totals"]["done"], board["totals"]["overdue"]) == (2, 1, 1)
    assert board["totals"]["on_time_rate"] == 50.0
    assert [row["name"] for row in board["ranking"]] == ["兴旺社区", "兴旺社区第一党支部"]
    assert [row["name"] for row in board["overdue"]] == ["组织党员志愿者清理楼道"]
    assert board["projects"][0]["percent"] == 50.0


def test_only_the_owner_org_reports_progress(roadmap, cast):
    with pytest.raises(PermissionDenied):
        services.progress_record(actor=cast.user("outsider"), task=roadmap["late"], percent=10, text="越权")
    assert not TaskProgress.objects.exists()


def test_a_street_secretary_sees_only_the_tasks_of_their_subtree(roadmap, cast):
    assert selectors.campaigns_visible_to(cast.user("branch_secretary")).filter(pk=roadmap["campaign"].pk).exists()
    board = selectors.board_data(cast.user("branch_secretary"), roadmap["campaign"])
    assert board["totals"]["tasks"] == 1
    assert not selectors.campaigns_visible_to(cast.user("outsider")).exists()


def test_the_hq_branch_is_temporary_ends_with_the_project_and_takes_members_from_several_orgs(roadmap, cast):
    officer = roadmap["officer"]
    project = services.project_hq_create(actor=officer, project=roadmap["project"], hq_name="改造项目指挥部",
                                         branch_name="兴旺社区老旧小区改造项目临时党支部")
    branch = project.hq_branch
    assert branch.temporary and branch.end_date == project.planned_end and branch.path.startswith(cast.orgs["street"].path)
    services.hq_member_add(actor=officer, project=project, member=cast.members["member"], duty="书记")
    services.hq_member_add(actor=officer, project=project, member=cast.members["other_member"], duty="委员")
    assert set(project.hq_members.values_list("home_org_id", flat=True)) == {cast.orgs["branch"].pk,
                                                                            cast.orgs["other_branch"].pk}
    assert not selectors.branches_due_for_dissolution().filter(pk=project.pk).exists()
    later = project.planned_end + datetime.timedelta(days=1)
    assert selectors.branches_due_for_dissolution(today=later).filter(pk=project.pk).exists()
    services.project_hq_dissolve(actor=officer, project=project)
    assert not Org.objects.get(pk=branch.pk).is_active


def test_post_scores_from_task_results_plus_marks_with_reasons(roadmap, cast):
    officer = roadmap["officer"]
    post = services.post_create(actor=officer, project=roadmap["project"], name="楼道整治岗", duties="组织清理楼道",
                                holder_name="林晓红")
    services.task_assign_post(actor=officer, task=roadmap["late"], post=post)
    with pytest.raises(ValidationError):
        services.score_mark_add(actor=officer, post=post, month=clock.today(), points=3, reason=" ")
    with pytest.raises(PermissionDenied):
        services.score_mark_add(actor=cast.user("street_secretary"), post=post, month=clock.today(), points=3, reason="好")
    services.score_mark_add(actor=cast.user("inspector"), post=post, month=clock.today(), points=3, reason="群众评价好")
    month = roadmap["late"].deadline
    scores = selectors.post_scores(officer, roadmap["project"], month=month)
    row = scores[0]
    assert row["overdue"] == 1 and row["task_points"] == -5
    if month.replace(day=1) == clock.today().replace(day=1):
        assert row["marks"] == 3 and row["score"] == -2


def test_overdue_tasks_escalate_to_the_owners_parent_org_once_a_week(roadmap, cast):
    class Collecting:
        def __init__(self):
            self.sent = []

        def send(self, recipient, subject, body, data=None):
            self.sent.append((recipient.username, subject, body))
            return True

    sender = Collecting()
    report = notifications.escalate_overdue(sender=sender)
    assert (report.overdue, report.escalated) == (1, 1)
    # The late task belongs to 兴旺社区第一党支部: its parent 兴旺社区's secretary is told.
    assert [item[0] for item in sender.sent] == ["community_secretary"]
    assert "组织党员志愿者清理楼道" in sender.sent[0][2]
    assert CampaignEvent.objects.filter(action="escalation", task=roadmap["late"]).count() == 1
    again = notifications.escalate_overdue(sender=sender)
    assert again.overdue == 0 and len(sender.sent) == 1
    later = notifications.escalate_overdue(sender=sender, today=clock.today() + datetime.timedelta(days=7))
    assert later.escalated == 1


def test_the_indicators_count_tasks_done_and_overdue_per_subtree(roadmap, cast):
    scope = registry.Scope(org_path=cast.orgs["street"].path)
    assert registry.value("campaigns.tasks", scope) == 2
    assert registry.value("campaigns.tasks_overdue", scope) == 1
    assert registry.value("campaigns.campaigns", registry.Scope(org_path=cast.orgs["district"].path)) == 1
    services.progress_record(actor=cast.user("community_secretary"), task=roadmap["on_track"], percent=100, text="完成")
    assert registry.value("campaigns.tasks_done", scope) == 1
    assert registry.value("campaigns.on_time_rate", scope) == 50.0
    assert AuditEntry.objects.filter(action="campaign.task_complete").count() == 1


def test_overdue_tasks_by_org_groups_the_late_ones_for_scans(roadmap, cast):
    rows = selectors.overdue_tasks_by_org()
    assert [(row["org_id"], row["overdue"]) for row in rows] == [(cast.orgs["branch"].pk, 1)]
    assert selectors.overdue_tasks_by_org(under=cast.orgs["other_street"].path) == []

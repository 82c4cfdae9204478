"""Compliance over campaigns: a task past its deadline raises an alert; finishing it clears it; HQ branches expire."""

import datetime

from yuntu.assessment.models import Alert
from yuntu.assessment.scan import run_scan
from yuntu.campaigns import services
from yuntu.core import clock
from yuntu.orgs.models import Org


def alerts(rule: str) -> dict[str, str]:
    return dict(Alert.objects.filter(rule=rule).values_list("org__name", "status"))


def test_an_overdue_task_raises_an_alert_to_its_owner_org_until_done(cast, roadmap):
    run_scan()
    assert alerts("campaigns.task_overdue") == {"兴旺社区第一党支部": "open"}
    alert = Alert.objects.get(rule="campaigns.task_overdue")
    assert alert.subject_count == 1 and "1项专项行动任务超过完成时限" in alert.detail
    assert alert.parent_path == cast.orgs["community"].path
    services.task_transition(actor=roadmap["officer"], task=roadmap["late"], name="complete")
    run_scan()
    assert alerts("campaigns.task_overdue") == {"兴旺社区第一党支部": "resolved"}


def test_a_campaign_hq_branch_past_its_end_is_found_by_the_temporary_branch_rule(cast, roadmap):
    project = services.project_hq_create(actor=roadmap["officer"], project=roadmap["project"], hq_name="兴旺改造项目指挥部",
                                         branch_name="兴旺改造项目临时党支部")
    run_scan()
    assert "兴旺改造项目临时党支部" not in alerts("orgs.temporary_expired")
    Org.objects.filter(pk=project.hq_branch_id).update(end_date=clock.today() - datetime.timedelta(days=3))
    run_scan()
    assert alerts("orgs.temporary_expired") == {"兴旺改造项目临时党支部": "open"}
    Org.objects.filter(pk=project.hq_branch_id).update(is_active=False)  # dissolved
    run_scan()
    assert alerts("orgs.temporary_expired") == {"兴旺改造项目临时党支部": "resolved"}

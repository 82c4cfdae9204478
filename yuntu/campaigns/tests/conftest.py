"""A small campaign of the cast's district: one project under 新阳街道 with tasks of two owner orgs."""

import datetime
import io

import pytest
from openpyxl import Workbook

from yuntu.campaigns import services
from yuntu.campaigns.imports import HEADERS
from yuntu.core import clock


@pytest.fixture
def roadmap(cast):
    officer = cast.user("district_officer")
    today = clock.today()
    campaign = services.campaign_create(actor=officer, org=cast.orgs["district"], name="党建引领城市更新专项行动",
                                        start_date=today - datetime.timedelta(days=60),
                                        end_date=today + datetime.timedelta(days=300), goal="老旧小区改造全覆盖")
    project = services.project_create(actor=officer, campaign=campaign, org=cast.orgs["street"], name="兴旺社区老旧小区改造",
                                      owner_name="王建平", planned_start=today - datetime.timedelta(days=30),
                                      planned_end=today + datetime.timedelta(days=90), site="兴旺社区",
                                      latitude=24.49, longitude=118.05)
    on_track = services.task_create(actor=officer, project=project, org=cast.orgs["community"], name="完成改造方案征求意见",
                                    owner_name="陈立", planned_start=today - datetime.timedelta(days=30),
                                    planned_end=today + datetime.timedelta(days=10),
                                    deadline=today + datetime.timedelta(days=10),
                                    milestones=[("入户征求意见", today + datetime.timedelta(days=5))])
    late = services.task_create(actor=officer, project=project, org=cast.orgs["branch"], name="组织党员志愿者清理楼道",
                                owner_name="林晓红", planned_start=today - datetime.timedelta(days=20),
                                planned_end=today - datetime.timedelta(days=2), deadline=today - datetime.timedelta(days=2))
    return {"campaign": campaign, "project": project, "on_track": on_track, "late": late, "officer": officer}


def roadmap_workbook(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "攻坚路线图"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "攻坚路线图.xlsx"
    buffer.size = len(buffer.getvalue())
    return buffer

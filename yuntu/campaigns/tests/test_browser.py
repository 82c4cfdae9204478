"""The roadmap imported, tasks reported, one run late, and the wall screen watched at 1920×1080.

The district officer imports a roadmap of two projects and three tasks into a campaign; one task's
deadline is already past (the clock cannot be moved, so its deadline is yesterday) and nobody
finishes it. The street secretary reports its task done, the branch secretary reports some
progress on the late one. The board shows the progress, the overdue task and the owner ranking
change, and clicks through to the task. Screenshots: /tmp/yuntu-campaigns-board-*.png.
"""

import datetime
import re

import pytest

from yuntu.campaigns import services
from yuntu.core import clock
from yuntu.core.cast import PASSWORD

from .conftest import roadmap_workbook

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def sign_in(browser, base_url: str, username: str, *, width: int = 1440, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/?next=/campaigns/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/campaigns/$"))
    return page


def report(page, base: str, project_name: str, task_name: str, percent: int, text: str) -> None:
    page.goto(f"{base}/campaigns/")
    page.get_by_role("link", name="项目攻坚专项行动").click()
    page.locator("#project-progress a", has_text=project_name).click()
    page.locator("#project-tasks a", has_text=task_name).click()
    page.fill("#id_percent", str(percent))
    page.fill("#id_text", text)
    page.get_by_role("button", name="提交进展").click()
    page.wait_for_load_state("domcontentloaded")
    assert "进展已更新" in page.content()


def total(page, name: str) -> str:
    return page.locator(f"[data-total='{name}']").inner_text().strip()


@pytest.mark.browser
def test_roadmap_progress_lateness_and_the_board(live_server, transactional_db, cast, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    today = clock.today()
    campaign = services.campaign_create(actor=cast.user("district_officer"), org=cast.orgs["district"],
                                        name="项目攻坚专项行动", start_date=today - datetime.timedelta(days=30),
                                        end_date=today + datetime.timedelta(days=200))
    start = (today - datetime.timedelta(days=10)).isoformat()
    later = (today + datetime.timedelta(days=20)).isoformat()
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    street, community, branch = (cast.orgs[key].name for key in ("street", "community", "branch"))
    sheet = tmp_path / "攻坚路线图.xlsx"
    sheet.write_bytes(roadmap_workbook([
        [1, "马銮湾智慧体育公园建设", street, "张建国", "马銮湾", 24.5431, 118.0132, "完成场地平整", "清表、土方平衡",
         street, "王海", start, later, later, ""],
        [1, "", "", "", "", "", "", "完成方案征求意见", "入户征求居民意见", community, "陈立", start, later, later, ""],
        [2, "兴旺社区楼道整治", community, "陈立", "兴旺社区", 24.4912, 118.0521, "组织党员志愿者清理楼道", "",
         branch, "林晓红", start, yesterday, yesterday, ""],
    ]).getvalue())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            officer = sign_in(browser, base, "district_officer")
            officer.goto(f"{base}/campaigns/{campaign.pk}/import/")
            officer.set_input_files("#id_file", str(sheet))
            officer.get_by_role("button", name="导入").click()
            expect(officer.locator(".messages")).to_contain_text("已导入2个项目、3项任务")

            wall = sign_in(browser, base, "district_officer", width=1920, height=1080)
            wall.goto(f"{base}/campaigns/{campaign.pk}/board/")
            wall.wait_for_function("document.getElementById('wall').dataset.drawn !== undefined")
            assert (total(wall, "tasks"), total(wall, "done"), total(wall, "overdue")) == ("3", "0", "1")
            expect(wall.locator("#overdue-tasks")).to_contain_text("组织党员志愿者清理楼道")
            first_before = wall.locator("#owner-ranking li").first.inner_text()
            assert "兴旺社区" in first_before and "新阳街道" not in first_before
            wall.screenshot(path="/tmp/yuntu-campaigns-board-before.png")

            secretary = sign_in(browser, base, "street_secretary")
            report(secretary, base, "马銮湾智慧体育公园建设", "完成场地平整", 100, "场地平整完成，已通过验收")
            branch_secretary = sign_in(browser, base, "branch_secretary")
            report(branch_secretary, base, "兴旺社区楼道整治", "组织党员志愿者清理楼道", 40, "已清理3栋楼道")

            wall.reload()
            wall.wait_for_function("document.getElementById('wall').dataset.drawn !== undefined")
            assert (total(wall, "done"), total(wall, "overdue"), total(wall, "on_time_rate")) == ("1", "1", "50%")
            assert total(wall, "percent") == f"{round(140 / 3, 1)}%"
            first_after = wall.locator("#owner-ranking li").first.inner_text()
            assert "新阳街道" in first_after and "100%" in first_after
            expect(wall.locator("#overdue-tasks")).to_contain_text("逾期1天")
            assert wall.locator("#chart-progress canvas").count() == 1 and wall.locator("#chart-gantt canvas").count() == 1
            assert wall.locator("#chart-map .leaflet-interactive").count() == 2
            wall.screenshot(path="/tmp/yuntu-campaigns-board-after.png")

            wall.locator("#overdue-tasks a", has_text="组织党员志愿者清理楼道").click()
            wall.wait_for_url(re.compile(r".*/campaigns/tasks/\d+/$"))
            expect(wall.locator("#task-overdue")).to_contain_text("已超过完成时限1天")

            desk = sign_in(browser, base, "district_officer", width=390, height=844)
            desk.goto(f"{base}/campaigns/{campaign.pk}/")
            expect(desk.locator("#overdue-tasks")).to_contain_text("组织党员志愿者清理楼道")
            desk.screenshot(path="/tmp/yuntu-campaigns-desk-phone.png", full_page=True)
        finally:
            browser.close()

"""One problem, walked in a real browser from entry to close-out, with the rate table watched on /ledger/.

A branch secretary enters it; the liaison group (inspector) sends it back with a common reason;
the secretary revises and resubmits; it is approved; a measure is made and approved; progress is
reported with an evidence file; the measure is reported done and verified; the problem is struck
off — and the completed count and completion rate on the ledger page move from 0 to 1 / 100%.
Screenshots go to /tmp/yuntu-ledger-*.png (desktop 1440 wide and phone 390×844).
"""

import datetime
import re

import pytest

from yuntu.core import clock
from yuntu.core.cast import PASSWORD
from yuntu.ledger.models import Measure, Problem
from yuntu.ledger.workflow import MeasureStatus, ProblemStatus

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def sign_in(browser, base_url: str, username: str, *, width: int = 1440, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/?next=/ledger/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/ledger/$"))
    return page


def figure(page, row: str, name: str) -> str:
    return page.locator(f"#ledger-figures tr[data-row='{row}'] [data-figure='{name}']").inner_text().strip()


def act(page, container: str, label: str, *, reason_choice: str = "", reason_text: str = "") -> None:
    """Apply a transition from a page's action bar: a plain button, or a reason form behind a summary."""
    box = page.locator(container)
    if reason_choice or reason_text:
        box.locator("summary", has_text=label).first.click()
        form = box.locator("details[open] form").first
        if reason_choice:
            form.get_by_label(reason_choice).check()
        if reason_text:
            form.locator("textarea[name=reason_text]").fill(reason_text)
        form.get_by_role("button", name=f"确认{label}").click()
    else:
        box.get_by_role("button", name=label, exact=True).first.click()
    page.wait_for_load_state("domcontentloaded")


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-ledger-{name}.png", full_page=True)


@pytest.mark.browser
def test_one_problem_from_entry_to_close_out(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    found_on = (clock.today() - datetime.timedelta(days=10)).isoformat()
    deadline = (clock.today() + datetime.timedelta(days=30)).isoformat()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            secretary = sign_in(browser, base, "branch_secretary")
            inspector = sign_in(browser, base, "inspector")
            expect(secretary.locator("h1")).to_contain_text("整改台账")
            assert figure(secretary, "all", "measures_completed") == "0"
            assert figure(secretary, "all", "completion_rate") == "—"

            # Entry by the branch secretary, with a photo attached.
            secretary.get_by_role("link", name="填报问题").click()
            secretary.fill("#id_title", "小区消防通道被占用")
            secretary.fill("#id_description", "兴旺小区多处消防通道被电动车和杂物占用，居民多次反映。")
            secretary.select_option("#id_source", label="群众反映")
            secretary.select_option("#id_category", label="民生保障")
            secretary.fill("#id_found_on", found_on)
            secretary.set_input_files("#id_attachments", files=[{"name": "现场照片.png", "mimeType": "image/png",
                                                                  "buffer": PNG}])
            shot(secretary, "01-entry-form")
            secretary.get_by_role("button", name="提交审核").click()
            secretary.wait_for_url(re.compile(r".*/ledger/problems/\d+/$"))
            expect(secretary.locator(".messages")).to_contain_text("问题已填报")
            expect(secretary.locator("h1 .lg-status")).to_have_text("待审核")
            problem_url = secretary.url
            problem = Problem.objects.get()

            # The liaison group sends it back with a common reason.
            inspector.goto(problem_url)
            act(inspector, "#problem-actions", "退回修改", reason_choice="问题选取不够精准",
                reason_text="请写明具体楼栋和占用情况")
            expect(inspector.locator("h1 .lg-status")).to_have_text("被退回")

            # It lands in the secretary's to-do; she revises and resubmits.
            secretary.get_by_role("link", name="我的待办").click()
            expect(secretary.locator("#todo-returned_problems")).to_contain_text("问题选取不够精准")
            shot(secretary, "02-todo")
            secretary.locator("#todo-returned_problems").get_by_role("link", name="小区消防通道被占用").click()
            expect(secretary.locator(".alert--warning")).to_contain_text("问题选取不够精准")
            secretary.get_by_role("link", name="修改问题").click()
            secretary.fill("#id_title", "兴旺小区3号楼消防通道长期被电动车占用")
            secretary.get_by_role("button", name="保存修改").click()
            act(secretary, "#problem-actions", "重新提交")
            expect(secretary.locator("h1 .lg-status")).to_have_text("待审核")

            inspector.goto(problem_url)
            act(inspector, "#problem-actions", "审核通过")
            expect(inspector.locator("h1 .lg-status")).to_have_text("整改中")

            # A measure, approved by the inspector.
            secretary.goto(problem_url)
            form = secretary.locator("#measure-add-form")
            form.locator("#id_text").fill("清理占道电动车，施划禁停标线，设置集中充电点")
            form.locator("#id_responsible_person").fill("王建国")
            form.locator("#id_deadline").fill(deadline)
            form.get_by_role("button", name="保存措施").click()
            expect(secretary.locator(".lg-measures")).to_contain_text("王建国")
            measure = Measure.objects.get()
            secretary.goto(f"{base}/ledger/")
            assert figure(secretary, "all", "measures") == "1"
            assert figure(secretary, "all", "measures_completed") == "0"
            assert figure(secretary, "all", "completion_rate") == "0%"
            assert figure(secretary, "grassroots", "measures") == "1"

            inspector.goto(problem_url)
            act(inspector, f"#measure-{measure.pk}", "审核通过")
            expect(inspector.locator(f"#measure-{measure.pk} .lg-status")).to_have_text("整改中")

            # Progress with an evidence file, then reported done.
            secretary.goto(f"{base}/ledger/measures/{measure.pk}/")
            secretary.fill("#id_text", "已清理电动车12辆，禁停标线施划完成")
            secretary.fill("#id_percent", "60")
            secretary.set_input_files("#id_evidence", files=[{"name": "整改前后对比.png", "mimeType": "image/png",
                                                              "buffer": PNG}])
            secretary.get_by_role("button", name="提交进展").click()
            evidence = secretary.get_by_role("link", name="整改前后对比.png")
            expect(evidence).to_be_visible()
            assert secretary.request.get(base + evidence.get_attribute("href")).status == 200
            act(secretary, "#measure-actions", "报告完成")
            expect(secretary.locator("h1 .lg-status")).to_have_text("已报完成")
            shot(secretary, "03-measure")

            # Verification and close-out by the liaison group.
            inspector.goto(f"{base}/ledger/todo/")
            inspector.locator("#todo-measures_to_verify").get_by_role("link").first.click()
            act(inspector, "#measure-actions", "验收通过")
            expect(inspector.locator("h1 .lg-status")).to_have_text("已验收")
            inspector.goto(problem_url)
            act(inspector, "#problem-actions", "销号")
            expect(inspector.locator("h1 .lg-status")).to_have_text("已销号")
            expect(inspector.locator(".lg-timeline")).to_contain_text("问题选取不够精准")
            shot(inspector, "04-closed")

            # The rate table has moved.
            secretary.goto(f"{base}/ledger/")
            assert figure(secretary, "all", "measures_completed") == "1"
            assert figure(secretary, "all", "completion_rate") == "100%"
            assert figure(secretary, "all", "problems_closed") == "1"
            assert figure(secretary, "grassroots", "completion_rate") == "100%"
            shot(secretary, "05-list-desktop")

            phone = sign_in(browser, base, "branch_secretary", width=390, height=844)
            shot(phone, "06-list-phone")
            phone.goto(problem_url)
            shot(phone, "07-detail-phone")
        finally:
            browser.close()
    problem.refresh_from_db()
    measure.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and measure.status == MeasureStatus.VERIFIED
    assert measure.progress_reports.get().evidence.count() == 1

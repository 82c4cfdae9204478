"""The issue's journey in a real browser: a meeting with QR sign-in, the scan, the ranking and red flag, a circular.

A branch secretary plans a theme day and shows its QR code; the member signs in on a phone; the
secretary records the meeting and its minutes. The district officer runs the scan: the theme-day
warning of 兴旺社区第一党支部 is cleared, and 兴旺社区第二党支部, whose member has now missed three
meetings running, gets an alert. The officer scores the period, the ranking puts the first branch on
top and the red flag goes to it (the officer first sets the scheme and the period on their pages); a circular is generated, published and downloaded as a .docx that
python-docx opens. Screenshots: /tmp/yuntu-orglife-*.png (desktop 1440 wide, the sign-in at 390×844).
"""

import datetime
import io
import re

import pytest
from django.utils import timezone
from docx import Document

from yuntu.assessment.models import Alert
from yuntu.assessment.scan import run_scan
from yuntu.assessment.workflow import AlertStatus
from yuntu.core import clock
from yuntu.core.cast import PASSWORD, id_number
from yuntu.orglife.models import Meeting
from yuntu.orglife.tests.factories import earlier_today, held_meeting
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def sign_in(browser, base_url: str, username: str, *, width: int = 1440, height: int = 900, next_url: str = "/"):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("domcontentloaded")
    return page


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-orglife-{name}.png", full_page=True)


@pytest.mark.browser
def test_meeting_sign_in_scan_red_flag_and_circular(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    officer_user = cast.user("district_officer")
    second = org_services.org_create(actor=officer_user, parent=cast.orgs["community"], name="兴旺社区第二党支部",
                                     level=Level.BRANCH)
    absent = org_services.member_create(actor=officer_user, org=second, name="周志强", personal=org_services.PersonalData(
        id_number("350205", datetime.date(1979, 3, 8), 31), "13859207788"))
    for days in (20, 10):
        held_meeting(officer_user, second, kind="lecture", when=clock.now() - datetime.timedelta(days=days))
    run_scan()  # yesterday's scan: the first branch has not held this month's theme day
    branch = cast.orgs["branch"]
    current_theme_day = Alert.objects.filter(rule="orglife.theme_day", org=branch, severity="warning").get()
    assert current_theme_day.status == AlertStatus.OPEN
    held_meeting(officer_user, second, kind="lecture", when=clock.now() - datetime.timedelta(hours=3))  # third miss

    base = live_server.url
    starts = timezone.localtime(earlier_today(10))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # The secretary plans the theme day and puts its QR code on the screen.
            secretary = sign_in(browser, base, "branch_secretary", next_url="/orglife/")
            secretary.get_by_role("link", name="安排会议").click()
            secretary.select_option("#id_org", label="兴旺社区第一党支部")
            secretary.select_option("#id_kind", label="主题党日")
            secretary.fill("#id_title", "12月主题党日：清理楼道堆物")
            secretary.fill("#id_starts_at", f"{starts:%Y-%m-%dT%H:%M}")
            secretary.fill("#id_place", "兴旺社区党群服务中心")
            secretary.fill("#id_topics", "学习党的二十届四中全会精神\n清理3号楼楼道堆物")
            secretary.get_by_role("button", name="安排并通知").click()
            secretary.wait_for_url(re.compile(r".*/orglife/meetings/\d+/$"))
            expect(secretary.locator("#meeting-status")).to_have_text("已计划")
            qr = secretary.locator("#sign-in-qr")
            expect(qr).to_be_visible()
            assert secretary.evaluate("document.getElementById('sign-in-qr').naturalWidth") > 100
            sign_in_url = secretary.locator("#sign-in-link").get_attribute("href")
            shot(secretary, "01-meeting-qr")

            # The member scans it on her phone and signs in once.
            member = sign_in(browser, base, "member", width=390, height=844, next_url="/orglife/my/")
            member.goto(sign_in_url)
            member.get_by_role("button", name="确认签到").click()
            expect(member.locator("#signed-in")).to_contain_text("您已于")
            shot(member, "02-sign-in-phone")

            # The secretary records the meeting held, then its minutes.
            secretary.reload()
            expect(secretary.locator("#hold-form")).to_contain_text("已扫码签到")
            secretary.get_by_role("button", name="记录召开").click()
            expect(secretary.locator("#meeting-status")).to_have_text("已召开")
            expect(secretary.locator("#attendance-table")).to_contain_text("扫码签到")
            secretary.fill("#id_minutes", "书记传达全会精神，党员交流学习体会；会后集中清理3号楼楼道堆物12处。")
            secretary.get_by_role("button", name="保存会议记录").click()
            expect(secretary.locator("#meeting-minutes")).to_contain_text("清理3号楼楼道堆物12处")
            assert Meeting.objects.get(title="12月主题党日：清理楼道堆物").present_count == 1

            # The district officer runs the scan: one branch cleared, the other raised.
            officer = sign_in(browser, base, "district_officer", next_url="/assessment/")
            officer.goto(f"{base}/assessment/?org={cast.orgs['community'].pk}")
            officer.locator("#scan-now").click()
            expect(officer.locator(".messages")).to_contain_text("扫描完成")
            table = officer.locator("#alert-table")
            expect(table.locator(f"tr[data-org='{second.pk}'][data-rule='orglife.absent_running']")).to_have_count(1)
            this_month = f"tr[data-org='{branch.pk}'][data-rule='orglife.theme_day'][data-period='{current_theme_day.period}']"
            expect(table.locator(this_month)).to_have_count(0)
            expect(officer.locator("#counts-by-rule tr[data-rule='orglife.absent_running'] [data-count]")).to_have_text("1")
            shot(officer, "03-alerts")
            current_theme_day.refresh_from_db()
            assert current_theme_day.status == AlertStatus.RESOLVED
            assert Alert.objects.get(rule="orglife.absent_running", org=second).status == AlertStatus.OPEN
            assert absent.pk

            # The officer sets the community's rubric on the page, then a period in which its branches compete.
            officer.goto(f"{base}/assessment/periods/")
            officer.locator("#schemes-link").click()
            officer.locator("#new-scheme").click()
            officer.select_option("#id_org", label="中共新阳街道兴旺社区委员会")
            officer.fill("#id_name", "支部建设百分考评")
            officer.select_option("#id_target_level", "branch")
            for index, (name, score, method, indicator, full_at) in enumerate((
                    ("主题党日开展", "40", "automatic", "orglife.theme_days", "3"),
                    ("阵地建设与党员教育", "60", "assessor", "", ""))):
                officer.fill(f"#id_items-{index}-name", name)
                officer.fill(f"#id_items-{index}-max_score", score)
                officer.select_option(f"#id_items-{index}-method", method)
                if indicator:
                    officer.select_option(f"#id_items-{index}-indicator", indicator)
                    officer.fill(f"#id_items-{index}-full_at", full_at)
            for index, (stars, minimum) in enumerate((("5", "90"), ("3", "60"))):
                officer.fill(f"#id_stars-{index}-stars", stars)
                officer.fill(f"#id_stars-{index}-min_score", minimum)
            shot(officer, "04-scheme-form")
            officer.get_by_role("button", name="保存方案").click()
            officer.wait_for_url(re.compile(r".*/assessment/schemes/\d+/$"))
            expect(officer.locator("#scheme-items tbody tr")).to_have_count(2)
            shot(officer, "05-scheme")
            # Nobody is scored yet, so the officer may still correct it: the second item's name is made plainer.
            officer.locator("#edit-scheme").click()
            expect(officer.locator("#id_items-0-name")).to_have_value("主题党日开展")
            officer.fill("#id_items-1-name", "阵地建设和党员教育")
            shot(officer, "05-scheme-edit")
            officer.get_by_role("button", name="保存方案").click()
            officer.wait_for_url(re.compile(r".*/assessment/schemes/\d+/$"))
            expect(officer.locator("#scheme-items")).to_contain_text("阵地建设和党员教育")
            officer.select_option("#period-form #id_org", label="中共新阳街道兴旺社区委员会")
            officer.fill("#period-form #id_name", f"{clock.today().year}年第四季度")
            officer.fill("#period-form #id_start", (clock.today() - datetime.timedelta(days=90)).isoformat())
            officer.fill("#period-form #id_end", clock.today().isoformat())
            officer.get_by_role("button", name="设立考核期").click()
            officer.wait_for_url(re.compile(r".*/assessment/periods/\d+/$"))

            # The assessment: automatic scores from the data, an assessor's scores, ranking and the red flag.
            officer.locator("#compute-scores").click()
            expect(officer.locator(".messages")).to_contain_text("自动计分")
            for org, score in ((branch, "50"), (second, "45")):
                form = officer.locator("#score-form")
                form.locator("#score-org").select_option(str(org.pk))
                form.locator("#score-value").fill(score)
                form.locator("#score-evidence").fill("党员活动室规范，学习台账齐全")
                form.get_by_role("button", name="保存评分").click()
                expect(officer.locator(".messages")).to_contain_text("已评分")
            first_row = officer.locator("#ranking tbody tr").first
            expect(first_row).to_contain_text("兴旺社区第一党支部")
            expect(first_row.locator("[data-rank]")).to_have_text("1")
            officer.locator("#award-flag").click()
            expect(officer.locator("#red-flag")).to_contain_text("兴旺社区第一党支部")
            shot(officer, "06-ranking-red-flag")

            # A circular from the alerts and scores, published and exported as Word.
            officer.goto(f"{base}/assessment/circulars/?org={cast.orgs['district'].pk}")
            officer.fill("#id_start", (clock.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1).isoformat())
            officer.fill("#id_end", clock.today().isoformat())
            officer.get_by_role("button", name="生成通报草稿").click()
            officer.wait_for_url(re.compile(r".*/assessment/circulars/\d+/$"))
            expect(officer.locator("#id_lapses")).to_contain_text("兴旺社区第二党支部")
            expect(officer.locator("#id_commendations")).to_contain_text("获流动红旗")
            officer.locator("#publish").click()
            expect(officer.locator("#circular-status")).to_have_text("已发布")
            shot(officer, "07-circular")
            with officer.expect_download() as download_info:
                officer.locator("#export-docx").click()
            path = download_info.value.path()
            with open(path, "rb") as handle:
                document = Document(io.BytesIO(handle.read()))
            text = "\n".join(paragraph.text for paragraph in document.paragraphs)
            assert "一、存在问题的单位" in text and "连续3次无故缺席" in text
            assert "兴旺社区第一党支部" in text and "获流动红旗" in text
        finally:
            browser.close()

"""In a real browser: the dashboard → a figure → its records; the wall screen; a briefing generated,
issued and exported as Word and PDF. Screenshots go to /tmp/yuntu-dashboard-*.png."""

import re

import pytest

from yuntu.briefings.testing import district_series_and_template
from yuntu.core.cast import PASSWORD
from yuntu.indicators.testing import PERIOD_END, PERIOD_START, build_figures_data

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.mark.browser
def test_dashboard_figure_records_and_a_briefing_exported(live_server, transactional_db, cast, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    build_figures_data(cast)
    district_series_and_template(cast)
    base, district = live_server.url, cast.orgs["district"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/login/?next=/dashboard/")
        page.fill("#id_username", "district_officer")
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r".*/dashboard/$"))
        page.goto(f"{base}/dashboard/?org={district.pk}&start={PERIOD_START}&end={PERIOD_END}")
        expect(page.locator("#db-trend svg")).to_be_visible()
        expect(page.locator("#db-ranking svg")).to_be_visible()
        page.screenshot(path="/tmp/yuntu-dashboard-board.png", full_page=True)
        figure = page.locator(".db-figure a[data-indicator='ledger.problems']")
        value = figure.locator(".db-figure__value").inner_text()
        figure.click()
        page.wait_for_url(re.compile(r".*/dashboard/records/.*indicator=ledger.problems.*"))
        expect(page.locator("#db-records-value")).to_have_text(value)
        assert page.locator("#db-records tbody tr").count() == int(value)
        page.screenshot(path="/tmp/yuntu-dashboard-records.png", full_page=True)

        # Drill down from the children's table, then the wall screen at 1920×1080.
        page.goto(f"{base}/dashboard/?org={district.pk}")
        page.locator("#db-children a", has_text="新阳街道").first.click()
        expect(page.locator(".db-scope__trail [aria-current='page']")).to_contain_text("新阳街道")
        wall = context.new_page()
        wall.set_viewport_size({"width": 1920, "height": 1080})
        wall.goto(f"{base}/dashboard/?org={district.pk}&wall=1")
        expect(wall.locator("#db-trend svg")).to_be_visible()
        expect(wall.locator("#db-map .leaflet-interactive").first).to_be_attached()
        wall.screenshot(path="/tmp/yuntu-dashboard-wall.png")

        # A briefing: generated for the period, issued as 第27期, exported as Word and PDF.
        page.goto(f"{base}/briefings/")
        form = page.locator("#generate-form")
        form.locator("#id_org").select_option(str(district.pk))
        form.locator("#id_start").fill(PERIOD_START.isoformat())
        form.locator("#id_end").fill(PERIOD_END.isoformat())
        form.get_by_role("button", name="生成草稿").click()
        page.wait_for_url(re.compile(r".*/briefings/\d+/$"))
        expect(page.locator("#briefing-paper")).to_contain_text(f"梳理问题{value}个")
        page.locator("#publish").click()
        expect(page.locator("#briefing-number")).to_have_text("第27期")
        page.screenshot(path="/tmp/yuntu-dashboard-briefing.png", full_page=True)
        for link, suffix in (("#export-docx", ".docx"), ("#export-pdf", ".pdf")):
            with page.expect_download() as download:
                page.locator(link).click()
            path = tmp_path / f"briefing{suffix}"
            download.value.save_as(path)
            assert download.value.suggested_filename.endswith(suffix) and path.stat().st_size > 5_000
        page.locator("#briefing-paper a.bf-figure[data-indicator='ledger.problems']").first.click()
        expect(page.locator("#figure-records tbody tr")).to_have_count(int(value))
        browser.close()
    assert not errors, errors

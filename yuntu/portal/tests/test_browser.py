"""The resident's journey on a phone (390×844), keyboard first, with an accessibility check on each page.

A resident signs in with her mobile and a texted code, finds her community's published affairs,
asks about the dues item; the community secretary answers at her desk; the answer is in the
resident's inbox. axe-core (from package.json, copied to var/vendor by scripts/build_static.py)
is injected into each key page: no serious or critical violation may remain. Screenshots go to
/tmp/yuntu-portal-*.png.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from yuntu.core.cast import PASSWORD
from yuntu.portal.tests.test_signin import RecordingSender
from yuntu.publicity import services
from yuntu.publicity.catalogue import Catalogue

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
AXE = Path(settings.BASE_DIR) / "var" / "vendor" / "axe-core" / "axe.min.js"
QUESTION = "党费使用明细在哪里可以查看？"
ANSWER = "明细已在社区公示栏张贴，也可到党群服务中心查阅。"


def accessibility_violations(page) -> list[dict]:
    """Serious and critical axe-core violations of the page as it stands."""
    assert AXE.is_file(), "axe-core 未安装：请运行 make install（npm ci 与 scripts/build_static.py）。"
    if not page.evaluate("typeof window.axe === 'object'"):
        # From the site's own static files, so the page's Content-Security-Policy (script-src 'self') allows it.
        page.add_script_tag(url=page.evaluate("location.origin") + settings.STATIC_URL + "axe-core/axe.min.js")
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))""")
    return [violation for violation in found if violation["impact"] in ("serious", "critical")]


def check(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-portal-{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name}: wider than the phone"
    violations = accessibility_violations(page)
    assert not violations, f"{name}: {violations}"


@pytest.mark.browser
@override_settings(PORTAL_CODE_SENDERS=["yuntu.portal.tests.test_signin.RecordingSender"])
def test_a_resident_signs_in_by_code_asks_about_an_affair_and_reads_the_answer(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    RecordingSender.sent = []
    item = services.publication_save(actor=cast.user("community_secretary"), org=cast.orgs["community"],
                                     catalogue=Catalogue.DUES, title="2026年第三季度党费收缴使用情况",
                                     body="<p>本季度应缴党费<strong>12,345元</strong>，已全部上缴区委组织部。</p>",
                                     period_start="2026-07-01", period_end="2026-09-30", publish=True)
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            phone = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1, has_touch=True,
                                        is_mobile=True)
            phone.set_default_timeout(15_000)
            page = phone.new_page()
            page.goto(f"{base}/portal/")
            check(page, "01-home-anonymous")
            page.get_by_role("link", name="手机号登录").click()
            page.wait_for_url(re.compile(r".*/portal/signin/.*"))
            check(page, "02-signin")
            # Keyboard only: the mobile field has focus, Enter sends the form.
            expect(page.locator("#id_mobile")).to_be_focused()
            page.keyboard.type("13700001111")
            page.keyboard.press("Enter")
            expect(page.locator("#id_code")).to_be_focused()
            code = re.search(r"验证码是 (\d{6})", RecordingSender.sent[-1]["body"]).group(1)
            assert RecordingSender.sent[-1]["mobile"] == "13700001111"
            page.keyboard.type(code)
            page.keyboard.press("Enter")
            page.wait_for_url(f"{base}/portal/")
            expect(page.locator("#my-summary")).to_be_visible()
            check(page, "03-home")

            page.locator("[data-tile=affairs]").click()
            page.wait_for_url(re.compile(r".*/portal/publicity/$"))
            expect(page.locator("#affairs-list")).to_contain_text(item.title)
            check(page, "04-affairs")
            page.get_by_role("link", name=re.compile(item.title)).click()
            expect(page.locator("h1")).to_have_text(item.title)
            page.fill("#id_text", QUESTION)
            page.get_by_role("button", name="提交问题").click()
            expect(page.locator(".messages")).to_contain_text("已提交您的问题")
            expect(page.locator("#my-questions")).to_contain_text("待答复")
            check(page, "05-affair-asked")

            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.set_default_timeout(15_000)
            staff = desk.new_page()
            staff.goto(f"{base}/login/?next=/publicity/questions/")
            staff.fill("#id_username", "community_secretary")
            staff.fill("#id_password", PASSWORD)
            staff.get_by_role("button", name="登录").click()
            staff.wait_for_url(re.compile(r".*/publicity/questions/$"))
            expect(staff.locator("#question-table")).to_contain_text(QUESTION)
            staff.get_by_label("答复").fill(ANSWER)
            staff.get_by_role("button", name="答复").click()
            expect(staff.locator(".messages")).to_contain_text("已答复")
            staff.screenshot(path="/tmp/yuntu-portal-06-staff-answered.png", full_page=True)
            desk.close()

            page.reload()
            expect(page.locator("#my-questions")).to_contain_text(ANSWER)
            page.get_by_role("link", name="消息").click()
            page.wait_for_url(re.compile(r".*/portal/inbox/$"))
            expect(page.locator("#unread-count")).to_be_visible()
            expect(page.locator("#inbox-list")).to_contain_text("您的提问已答复")
            check(page, "07-inbox")
            page.get_by_role("link", name=re.compile("您的提问已答复")).click()
            expect(page.locator("#message")).to_contain_text(ANSWER)
            check(page, "08-message")
            for path, name in (("/portal/publicity/news/", "09-news"), ("/portal/publicity/contests/", "10-contests"),
                               ("/portal/board/", "11-board")):
                page.goto(base + path)
                check(page, name)
        finally:
            browser.close()

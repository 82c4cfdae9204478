"""One request, walked in a real browser on a phone-sized page (390×844) through the five stages.

A resident signs in and files a request with her phone's location (说事); the community secretary
dispatches it to the 城管局 department (议事, 吹哨); the department handler accepts and replies (理事,
报到); the secretary publishes the answer (晒事); the resident rates it (评事); and it is on the public
board, with no contact name or mobile. Screenshots go to /tmp/yuntu-voices-*.png.
"""

import re

import pytest

from yuntu.core.cast import PASSWORD
from yuntu.voices.models import Category, Dispatch, Request
from yuntu.voices.workflow import DispatchStatus, RequestStatus

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
HERE = {"latitude": 24.4801, "longitude": 118.0302}
TEXT = "兴旺小区3号楼旁路灯不亮已一周，晚上出行不便，请尽快修复"


def sign_in(browser, base_url: str, username: str, next_url: str, **context_options):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=1, has_touch=True,
                                  is_mobile=True, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    return page


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-voices-{name}.png", full_page=True)


def fits_the_phone(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling on a 390-pixel phone."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
def test_a_request_through_the_five_stages_on_a_phone(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    Category.objects.create(code="lamp", name="路灯照明", responsible_org=cast.orgs["agency"], answer_days=1,
                            resolve_days=5)
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # 说事: the resident files a request from her phone, with her current location.
            resident = sign_in(browser, base, "resident", "/portal/new/", geolocation=HERE,
                               permissions=["geolocation"])
            expect(resident.locator("#id_contact_name")).to_have_value("居民陈女士")
            expect(resident.locator("#id_contact_mobile")).to_have_value("137****1111")
            resident.select_option("#id_category", label="路灯照明")
            resident.fill("#id_text", TEXT)
            expect(resident.locator("[data-count-for=id_text]")).to_have_text(f"{len(TEXT)}/2000")
            resident.fill("#id_address", "兴旺小区3号楼东侧")
            resident.get_by_role("button", name="使用我的当前位置").click()
            expect(resident.locator("[data-place-status]")).to_have_text("已使用当前位置。")
            expect(resident.locator("#id_latitude")).to_have_value("24.480100")
            if resident.evaluate("typeof window.L === 'object'"):  # Leaflet built into var/vendor: the map shows
                expect(resident.locator("#place-map")).to_be_visible()
                expect(resident.locator("#place-map path.leaflet-interactive")).to_have_count(1)  # the marker
            else:  # without Leaflet the page still works: location button and typed coordinates
                expect(resident.locator("#place-map")).to_be_hidden()
            assert fits_the_phone(resident)
            shot(resident, "01-submit")
            resident.get_by_role("button", name="提交", exact=True).click()
            resident.wait_for_url(re.compile(r".*/portal/requests/\d+/$"))
            expect(resident.locator(".messages")).to_contain_text("已提交")
            expect(resident.locator("h1 .vc-status")).to_have_text("待受理")
            item_url = resident.url
            request = Request.objects.get()
            assert request.latitude is not None and request.resident == cast.user("resident")
            assert fits_the_phone(resident)
            shot(resident, "02-item-submitted")

            # 议事 · 吹哨: the community secretary dispatches it to the 城管局 department.
            secretary = sign_in(browser, base, "community_secretary", "/voices/")
            secretary.get_by_role("link", name=request.number).first.click()
            secretary.wait_for_url(re.compile(r".*/voices/requests/\d+/$"))
            secretary.locator("details[data-action=dispatch] > summary").click()
            form = secretary.locator("#dispatch-form")
            form.get_by_label("海沧区城市管理局机关党支部").check()
            form.locator("#id_days").fill("3")
            form.locator("#id_note").fill("请签收后联系居民现场核实")
            shot(secretary, "03-dispatch")
            form.get_by_role("button", name="确认吹哨").click()
            secretary.wait_for_load_state("domcontentloaded")
            expect(secretary.locator("h1 .vc-status").first).to_have_text("已吹哨")
            expect(secretary.locator("#publish-blocked")).to_contain_text("还有1个部门尚未答复，不能公开答复。")
            dispatch = Dispatch.objects.get(request=request)
            assert dispatch.org == cast.orgs["agency"]

            # 理事 · 报到: the department handler accepts and replies.
            handler = sign_in(browser, base, "department_handler", "/voices/desk/")
            handler.locator("#desk-table").get_by_role("link", name=request.number).click()
            handler.wait_for_url(re.compile(r".*/voices/dispatches/\d+/$"))
            handler.get_by_role("button", name="签收").click()
            handler.wait_for_load_state("domcontentloaded")
            expect(handler.locator("h1 .vc-status")).to_have_text("已签收办理")
            handler.locator("#reply textarea[name=reply]").fill("已更换3号楼旁损坏的路灯灯具，经夜间复查照明正常。")
            shot(handler, "04-department-reply")
            handler.get_by_role("button", name="提交答复").click()
            handler.wait_for_load_state("domcontentloaded")
            expect(handler.locator("h1 .vc-status")).to_have_text("已答复")
            dispatch.refresh_from_db()
            assert dispatch.status == DispatchStatus.REPLIED

            # 晒事: the secretary publishes the answer (the department's reply is offered as the draft).
            secretary.reload()
            publish = secretary.locator("#publish-form")
            expect(publish.locator("textarea[name=reply]")).to_have_value(re.compile("已更换3号楼旁损坏的路灯灯具"))
            publish.locator("textarea[name=reply]").fill("城管局已更换3号楼旁损坏的路灯灯具，经夜间复查照明正常。感谢您的反映！")
            publish.get_by_role("button", name="确认答复并公开").click()
            secretary.wait_for_load_state("domcontentloaded")
            expect(secretary.locator("h1 .vc-status").first).to_have_text("已答复公开")

            # 评事: the resident reads the answer and rates it.
            resident.goto(item_url)
            expect(resident.locator("#reply")).to_contain_text("城管局已更换")
            expect(resident.locator(".pt-steps__step--current")).to_contain_text("晒事")
            shot(resident, "05-item-answered")
            resident.locator("#rate-form").get_by_text("满意", exact=True).click()
            resident.locator("#id_comment").fill("修得很快，谢谢！")
            resident.get_by_role("button", name="提交评价").click()
            resident.wait_for_load_state("domcontentloaded")
            expect(resident.locator(".messages")).to_contain_text("感谢您的评价")
            expect(resident.locator("h1 .vc-status")).to_have_text("已评价")
            request.refresh_from_db()
            assert request.status == RequestStatus.RATED and request.rating == "satisfied"
            assert fits_the_phone(resident)
            shot(resident, "06-item-rated")

            # On the public board: the item and its answer, no contact name or mobile.
            resident.get_by_role("link", name="晒事").click()
            resident.wait_for_url(re.compile(r".*/portal/board/$"))
            card = resident.locator(f".pt-board-item[data-number='{request.number}']")
            expect(card).to_contain_text("城管局已更换")
            expect(resident.locator("#board-figures [data-figure=satisfaction_rate]")).to_have_text("100%")
            body = resident.locator("main").inner_text()
            for secret in ("居民陈女士", "137****1111", "13700001111"):
                assert secret not in body
            if resident.evaluate("typeof window.L === 'object'"):
                expect(resident.locator("#board-map path.leaflet-interactive")).to_have_count(1)
            assert fits_the_phone(resident)
            shot(resident, "07-board")
            card.get_by_role("link").first.click()
            resident.wait_for_url(re.compile(r".*/portal/board/requests/\d+/$"))
            expect(resident.locator(".pt-timeline")).to_contain_text("吹哨：派至海沧区城市管理局机关党支部")
            shot(resident, "08-board-item")
            resident.get_by_role("link", name="首页").click()
            shot(resident, "09-home")
        finally:
            browser.close()

"""The issue's journey in a real browser: a research visit with a problem solved on the spot, a reception
booked by a resident on her phone and its matter turned into a request, an enterprise demand handled to its
end through the voices dispatch, and the cadre's frontline record showing all three (and exported).
Screenshots go to /tmp/yuntu-grassroots-*.png.
"""

import datetime
import io
import re

import pytest

from yuntu.core.cast import PASSWORD
from yuntu.grassroots import services
from yuntu.grassroots.models import Contact, Demand, ReceptionBooking, ReceptionDay, SiteProblem
from yuntu.voices.workflow import RequestStatus

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(browser, base_url, username, next_url, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True,
                                  is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{base_url}/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))
    return page


def shot(page, name):
    page.screenshot(path=f"/tmp/yuntu-grassroots-{name}.png", full_page=True)


@pytest.mark.browser
def test_research_reception_and_enterprise_demand_land_in_the_frontline_record(live_server, transactional_db, cast,
                                                                                scene):
    from playwright.sync_api import expect, sync_playwright

    secretary_user = scene["secretary"]
    tomorrow = scene["today"] + datetime.timedelta(days=1)
    day = services.reception_day_schedule(actor=secretary_user, org=scene["street"], leader=secretary_user,
                                          leader_title="街道党工委书记", date=tomorrow, starts_at=datetime.time(9, 0),
                                          ends_at=datetime.time(11, 0), place="新阳街道党群服务中心", theme="老旧小区改造")
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # 调研: the secretary logs a field visit of her topic with a problem solved on the spot.
            secretary = sign_in(browser, base, "street_secretary", f"/grassroots/topics/{scene['topic'].pk}/")
            secretary.locator("#field-visits details > summary").click()
            form = secretary.locator("#visit-form")
            form.locator("#id_org").select_option(str(scene["community"].pk))
            form.locator("#id_visited_on").fill(scene["today"].isoformat())
            form.locator("#id_place").fill("兴旺小区3号楼")
            form.locator("#id_notes").fill("走访楼栋居民，查看雨污管网和楼道照明")
            form.locator("#id_hours").fill("2.5")
            form.locator("#id_problem_1").fill("3号楼楼道灯损坏")
            form.locator("#id_solved_1").check()
            form.locator("#id_solution_1").fill("现场联系物业当天更换")
            form.locator("#id_problem_2").fill("雨污管网混接")
            form.get_by_role("button", name="保存调研").click()
            secretary.wait_for_load_state("domcontentloaded")
            expect(secretary.locator(".messages")).to_contain_text("实地调研已登记")
            expect(secretary.locator("#field-visits .gr-solved")).to_have_count(1)
            assert SiteProblem.objects.filter(solved_on_site=True).count() == 1
            shot(secretary, "01-field-visit")

            # 约访: a resident books a slot on her phone.
            resident = sign_in(browser, base, "resident", "/portal/receptions/", viewport=PHONE)
            resident.locator(f"[data-day='{day.pk}']").click()
            resident.wait_for_url(re.compile(r".*/portal/receptions/days/\d+/$"))
            resident.get_by_label("09:30").check()
            resident.locator("#id_matter").fill("小区停车位不足，晚上车辆乱停堵住消防通道")
            assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            shot(resident, "02-booking")
            resident.get_by_role("button", name="预约", exact=True).click()
            resident.wait_for_url(re.compile(r".*/portal/receptions/bookings/\d+/$"))
            expect(resident.locator("#booking-status")).to_have_text("已预约")
            assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            shot(resident, "02b-booked")
            booking = ReceptionBooking.objects.get()
            assert booking.slot == datetime.time(9, 30) and booking.resident == cast.user("resident")

            # The reception day comes; the secretary receives her and turns the matter into a request.
            ReceptionDay.objects.filter(pk=day.pk).update(date=scene["today"])
            secretary.goto(f"{base}/grassroots/receptions/{day.pk}/")
            secretary.locator(f"[data-booking='{booking.pk}'] details > summary").click()
            secretary.locator(f"[data-booking='{booking.pk}'] textarea[name=outcome]").fill("答应协调物业划定临时停车位")
            secretary.get_by_role("button", name="保存接待记录").click()
            secretary.wait_for_url(re.compile(r".*/grassroots/contacts/\d+/$"))
            secretary.locator("#id_category").select_option(label="惠企服务")
            secretary.get_by_role("button", name="转为群众诉求").click()
            secretary.wait_for_load_state("domcontentloaded")
            contact = Contact.objects.get(booking=booking)
            assert contact.request is not None and contact.request.resident == cast.user("resident")
            expect(secretary.locator("#contact-request")).to_contain_text(contact.request.number)
            shot(secretary, "03-contact-request")

            # 挂钩: a visit to her paired enterprise with a demand, dispatched to the department like any request.
            secretary.goto(f"{base}/grassroots/pairings/visit/")
            secretary.locator("#id_enterprise").select_option(label="厦门新阳物流有限公司")  # not hers: refused
            secretary.locator("#id_visited_on").fill(scene["today"].isoformat())
            secretary.locator("#id_notes").fill("走访企业了解用工和物流通道情况")
            secretary.get_by_role("button", name="保存").click()
            expect(secretary.locator(".field--error .error-text")).to_contain_text("“厦门新阳物流有限公司”不在您的挂钩联系范围内")
            assert not Demand.objects.exists()
            secretary.locator("#id_enterprise").select_option(label="厦门兴旺精密制造有限公司")
            secretary.locator("#id_hours").fill("2")
            secretary.locator("#id_demand").fill("企业门口道路破损，货车进出困难")
            secretary.locator("#id_category").select_option(label="惠企服务")
            secretary.get_by_role("button", name="保存").click()
            secretary.wait_for_url(re.compile(r".*/grassroots/pairings/\d+/$"))
            demand = Demand.objects.get()
            request = demand.request
            secretary.goto(f"{base}/voices/requests/{request.pk}/")
            secretary.locator("details[data-action=dispatch] > summary").click()
            dispatch_form = secretary.locator("#dispatch-form")
            dispatch_form.get_by_label("海沧区城市管理局机关党支部").check()
            dispatch_form.get_by_role("button", name="确认吹哨").click()
            secretary.wait_for_load_state("domcontentloaded")
            expect(secretary.locator("h1 .vc-status").first).to_have_text("已吹哨")

            handler = sign_in(browser, base, "department_handler", "/voices/desk/")
            handler.locator("#desk-table").get_by_role("link", name=request.number).click()
            handler.get_by_role("button", name="签收").click()
            handler.wait_for_load_state("domcontentloaded")
            handler.locator("#reply textarea[name=reply]").fill("已修复企业门口破损路面。")
            handler.get_by_role("button", name="提交答复").click()
            handler.wait_for_load_state("domcontentloaded")

            secretary.reload()
            secretary.locator("#publish-form textarea[name=reply]").fill("城管局已修复企业门口破损路面，货车通行恢复。")
            secretary.get_by_role("button", name="确认答复并公开").click()
            secretary.wait_for_load_state("domcontentloaded")
            request.refresh_from_db()
            assert request.status == RequestStatus.PUBLISHED

            # 一线纪实: her record shows all three, and exports for the appraisal.
            secretary.goto(f"{base}/grassroots/cadres/{secretary_user.pk}/")
            expect(secretary.locator("[data-figure=problems_solved_on_site]")).to_have_text("1")
            expect(secretary.locator("#record-topics")).to_contain_text("现场联系物业当天更换")
            expect(secretary.locator("#record-contacts")).to_contain_text(contact.request.number)
            expect(secretary.locator("[data-figure=demands_resolved]")).to_have_text("1/1")
            expect(secretary.locator("#record-demands")).to_contain_text("已答复公开")
            expect(secretary.locator("[data-figure=frontline_hours]")).to_have_text("4.5")
            shot(secretary, "04-frontline-record")
            with secretary.expect_download() as download_info:
                secretary.get_by_role("link", name="导出考核材料（Excel）").click()
            import openpyxl

            workbook = openpyxl.load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()))
            summary = {row[0]: row[1] for row in workbook["一线纪实"].iter_rows(values_only=True) if row and row[0]}
            assert summary["现场解决问题"] == 1 and summary["诉求办结"] == 1 and summary["转为群众诉求"] == 1
        finally:
            browser.close()

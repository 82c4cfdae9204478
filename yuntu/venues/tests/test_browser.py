"""A resident on a 390×844 phone finds venues within 15 minutes (map and list), books a room, and
fails to book the same slot twice. Screenshots go to /tmp/yuntu-venues-*.png."""

import re

import pytest

from yuntu.venues.models import Booking, OrgOutline
from yuntu.voices.tests.test_browser import ARGS, CHROMIUM, fits_the_phone, sign_in

from .factories import XINGWANG, next_open_day, room_for, venue_for


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-venues-{name}.png", full_page=True)


@pytest.mark.browser
def test_find_venues_within_fifteen_minutes_and_book_a_room_once(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    centre = venue_for(cast.orgs["community"])
    venue_for(cast.orgs["branch"], name="海沧招商花园城小区党群之家", latitude=XINGWANG[0] + 0.0045,
              longitude=XINGWANG[1] + 0.0045, level="estate")
    venue_for(cast.orgs["other_community"], name="山边社区党群服务中心", latitude=24.54, longitude=117.95)
    OrgOutline.objects.create(org=cast.orgs["street"], org_path=cast.orgs["street"].path, name="新阳街道",
                              points=[[24.465, 118.015], [24.495, 118.015], [24.495, 118.045], [24.465, 118.045]])
    room = room_for(centre, name="党员活动室")
    day = next_open_day(centre)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = sign_in(browser, live_server.url, "resident", "/portal/venues/",
                           geolocation={"latitude": XINGWANG[0], "longitude": XINGWANG[1]}, permissions=["geolocation"])
            # The map, from the phone's location (WGS-84): venues, the 15-minute circle and the street outline.
            page.get_by_role("button", name="使用我的当前位置").click()
            page.wait_for_url(re.compile(r".*latitude=24\.4801.*"))
            results = page.get_by_role("list", name=re.compile("附近步行15分钟内有 2 处阵地"))
            expect(results.get_by_role("listitem")).to_have_count(2)
            expect(results.get_by_role("listitem").first).to_contain_text("兴旺社区党群服务中心")
            expect(results.get_by_role("listitem").nth(1)).to_contain_text(re.compile(r"步行约1[0-5]分钟"))
            expect(page.locator("#circle-map")).to_be_visible()
            expect(page.locator("#circle-map path.vn-venue-marker")).to_have_count(2)
            expect(page.locator("#circle-map path.vn-reach")).to_have_count(1)
            expect(page.locator("#circle-map path.vn-outline")).to_have_count(1)
            assert fits_the_phone(page)
            shot(page, "01-circle-map")
            # The list alone, as a keyboard user: type an address, submit with Enter, follow a link by keyboard.
            page.fill("#id_address", "招商花园城")
            page.press("#id_address", "Enter")
            page.wait_for_url(re.compile(r".*address=.*"))
            expect(page.get_by_role("heading", name=re.compile("海沧招商花园城小区党群之家附近"))).to_be_visible()
            link = page.get_by_role("link", name="兴旺社区党群服务中心")
            link.focus()
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(rf".*/portal/venues/{centre.pk}/$"))
            shot(page, "02-venue")
            # Book 14:00–15:30.
            page.select_option("#id_room", label="党员活动室（可容纳40人）")
            page.fill("#id_day", day.isoformat())
            page.select_option("#id_start", "14:00")
            page.select_option("#id_end", "15:30")
            page.fill("#id_purpose", "三号楼加装电梯议事会")
            page.fill("#id_attendees", "12")
            assert fits_the_phone(page)
            page.get_by_role("button", name="提交预约").click()
            page.wait_for_url(re.compile(r".*/portal/venues/bookings/\d+/$"))
            expect(page.locator(".messages")).to_contain_text("预约成功")
            expect(page.locator("h1 .vn-status")).to_have_text("已预约")
            shot(page, "03-booked")
            # The same slot again: refused with a clear message, nothing written.
            page.goto(f"{live_server.url}/portal/venues/{centre.pk}/?day={day.isoformat()}")
            expect(page.locator(f"[data-busy-room='{room.pk}']")).to_contain_text("14:00、14:30、15:00")
            page.select_option("#id_room", label="党员活动室（可容纳40人）")
            page.fill("#id_day", day.isoformat())
            page.select_option("#id_start", "15:00")
            page.select_option("#id_end", "16:00")
            page.fill("#id_purpose", "再约一次")
            page.fill("#id_attendees", "5")
            page.get_by_role("button", name="提交预约").click()
            expect(page.locator("#booking-form .alert--error, #booking-form .error-text").first).to_contain_text(
                "该时段已被预约")
            assert fits_the_phone(page)
            shot(page, "04-refused")
        finally:
            browser.close()
    assert Booking.objects.filter(room=room).count() == 1

"""An order through the lecture menu in a real browser at phone size (390×844): a resident orders
(点菜), the street's team assigns a lecturer (配菜) and records the lecture (送菜), and a listener rates
it by the order's code (评菜). Screenshots go to /tmp/yuntu-lectures-*.png."""

import datetime
import re

import pytest

from yuntu.core import clock
from yuntu.lectures.models import LectureOrder, LectureRating
from yuntu.lectures.workflow import OrderStatus
from yuntu.voices.tests.test_browser import ARGS, CHROMIUM, fits_the_phone, sign_in

from .factories import days_ahead, lecturer_for, team_for, topic_for


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-lectures-{name}.png", full_page=True)


@pytest.mark.browser
def test_an_order_through_order_assign_deliver_rate_on_a_phone(live_server, transactional_db, cast, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    team = team_for(cast.orgs["street"], "新阳街道理论宣讲队")
    lecturer_for(team, "陈雅琴")
    busy = lecturer_for(team, "王建国")
    topic = topic_for(team, "防范电信网络诈骗", minutes=45)
    start = days_ahead(3, 15)
    other = LectureOrder.objects.create(org=team.org, org_path=team.org_path, number="XJ-OTHER", topic=topic, team=team,
                                        orderer=cast.user("member"), group_name="祥露社区老年协会", starts_at=start,
                                        ends_at=start + datetime.timedelta(minutes=45), place="祥露社区",
                                        expected_audience=30)
    from yuntu.lectures import services

    services.order_assign(actor=cast.user("street_secretary"), order=other, lecturer=busy)
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # 点菜
            resident = sign_in(browser, base, "resident", "/portal/lectures/")
            resident.get_by_role("link", name="防范电信网络诈骗").click()
            resident.fill("#id_group_name", "兴旺社区老年协会")
            resident.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
            resident.fill("#id_place", "兴旺社区党群服务中心多功能厅")
            resident.fill("#id_expected_audience", "60")
            assert fits_the_phone(resident)
            shot(resident, "01-order")
            resident.get_by_role("button", name="点菜", exact=True).click()
            resident.wait_for_url(re.compile(r".*/portal/lectures/orders/\d+/$"))
            expect(resident.locator(".messages")).to_contain_text("点菜成功")
            expect(resident.locator("[aria-current=step]")).to_have_text("点菜")
            order = LectureOrder.objects.exclude(pk=other.pk).get()

            # 配菜: the lecturer already lecturing elsewhere is refused, another one is assigned.
            staff = sign_in(browser, base, "street_secretary", f"/lectures/orders/{order.pk}/")
            staff.select_option("#id_lecturer", label="王建国")
            staff.get_by_role("button", name="配菜", exact=True).click()
            expect(staff.locator(".messages")).to_contain_text("不能同时在两地宣讲")
            staff.select_option("#id_lecturer", label="陈雅琴")
            staff.get_by_role("button", name="配菜", exact=True).click()
            expect(staff.locator("h1 .vn-status")).to_have_text("已配菜")
            shot(staff, "02-assigned")

            # 送菜, once the lecture has taken place.
            monkeypatch.setattr(clock, "now", lambda: start + datetime.timedelta(hours=1))
            staff.fill("#id_attendance", "58")
            staff.fill("#id_summary", "结合身边案例讲解常见诈骗手法，现场答疑12个。")
            staff.get_by_role("button", name="送菜", exact=True).click()
            expect(staff.locator("h1 .vn-status")).to_have_text("已送菜")
            assert fits_the_phone(staff)
            shot(staff, "03-delivered")

            # 评菜: the orderer shows the rating code; a listener opens it and rates.
            resident.reload()
            expect(resident.locator("img.vn-qr")).to_be_visible()
            rate_link = resident.get_by_role("link", name="我也来评一评")
            rate_url = rate_link.get_attribute("href")
            listener = sign_in(browser, base, "member", rate_url)
            listener.get_by_label("5分").check()
            listener.fill("#id_comment", "案例生动，很接地气")
            assert fits_the_phone(listener)
            shot(listener, "04-rate")
            listener.get_by_role("button", name="提交评价").click()
            expect(listener.locator(".messages")).to_contain_text("感谢您的评价")
            resident.reload()
            expect(resident.locator("#rating-summary")).to_contain_text("5.0分（1人评价）")
            expect(resident.locator("[aria-current=step]")).to_have_text("评菜")
            shot(resident, "05-rated")
        finally:
            browser.close()
    order.refresh_from_db()
    assert order.status == OrderStatus.RATED and order.attendance == 58
    assert LectureRating.objects.filter(order=order).count() == 1

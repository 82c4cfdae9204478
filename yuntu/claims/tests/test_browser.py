"""One need, walked in a real browser on a phone-sized page (390×844): a member claims it, a second member
who had the page open presses 认领 too and is refused, the first reports it done with a photo, the
community confirms, the hours are credited and the member's 5+X shows the claimed need.
Screenshots go to /tmp/yuntu-claims-*.png.
"""

import io
import re
from decimal import Decimal

import pytest
from PIL import Image

from yuntu.core.cast import PASSWORD
from yuntu.voices.tests.test_browser import ARGS, CHROMIUM, fits_the_phone, sign_in

from ..models import Claim, ServiceRecord
from ..workflow import ClaimStatus, NeedStatus
from .factories import members_with_accounts, need


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/yuntu-claims-{name}.png", full_page=True)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.browser
def test_a_member_claims_a_need_completes_it_and_sees_it_in_5x(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    item = need(cast, latitude="24.4801", longitude="118.0302")
    second = members_with_accounts(cast.orgs["branch"], 1, prefix="neighbour")[0]
    second.set_password(PASSWORD)
    second.save()
    base = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            member = sign_in(browser, base, "member", "/portal/needs/")
            card = member.locator(f".cl-need[data-need='{item.pk}']")
            expect(card).to_contain_text("为独居老人更换厨房灯泡")
            expect(card).to_contain_text("已认领 0/1 人")
            if member.evaluate("typeof window.L === 'object'"):
                expect(member.locator("#needs-map path.leaflet-interactive")).to_have_count(1)
            assert fits_the_phone(member)
            shot(member, "01-needs")

            # The neighbour opens the same need before it is taken.
            neighbour = sign_in(browser, base, second.username, f"/portal/needs/{item.pk}/")
            expect(neighbour.get_by_role("button", name="我要认领")).to_be_visible()

            card.get_by_role("link").click()
            member.wait_for_url(re.compile(rf".*/portal/needs/{item.pk}/$"))
            member.get_by_role("button", name="我要认领").click()
            member.wait_for_url(re.compile(r".*/portal/needs/claims/\d+/$"))
            expect(member.locator(".messages")).to_contain_text("认领成功")
            expect(member.locator("#claim-status")).to_have_text("已认领")
            claim = Claim.objects.get()
            assert claim.member == cast.members["member"]
            shot(member, "02-claimed")

            # The neighbour presses 认领 on the page that still offers it: refused, nothing written.
            neighbour.get_by_role("button", name="我要认领").click()
            expect(neighbour.locator("#claim-error")).to_have_text("该需求已被认领，名额已满。")
            expect(neighbour.locator(".cl-need .cl-status")).to_have_text("已认领")
            assert Claim.objects.count() == 1
            assert fits_the_phone(neighbour)
            shot(neighbour, "03-second-claim-refused")

            # Proof: what was done, the hours, a photo. Without a photo the form says so.
            form = member.locator("#proof-form")
            form.locator("#id_proof_text").fill("已上门为王阿姨更换厨房灯泡，并检查了厨房线路，一切正常。")
            form.locator("#id_hours").fill("1.5")
            form.get_by_role("button", name="提交完成情况").click()
            expect(member.locator("#proof-form")).to_contain_text("请上传至少一张完成照片。")
            form = member.locator("#proof-form")
            form.locator("#id_photos").set_input_files([{"name": "done.png", "mimeType": "image/png", "buffer": png()}])
            form.get_by_role("button", name="提交完成情况").click()
            expect(member.locator(".messages")).to_contain_text("已提交完成情况")
            expect(member.locator("#claim-status")).to_have_text("待确认")
            expect(member.locator("#proof img")).to_have_count(1)
            assert fits_the_phone(member)
            shot(member, "04-reported")

            # The community confirms on its own page.
            secretary = sign_in(browser, base, "community_secretary", f"/claims/needs/{item.pk}/")
            row = secretary.locator(f"[data-claim='{claim.pk}']")
            expect(row).to_contain_text("林晓红")
            expect(row).to_contain_text("服务时长 1.5 小时")
            row.get_by_role("button", name="确认完成").click()
            expect(secretary.locator(".messages")).to_contain_text("志愿服务时长已计入")
            expect(secretary.locator("#need-status")).to_have_text("已完成")
            shot(secretary, "05-confirmed")
            claim.refresh_from_db()
            item.refresh_from_db()
            assert claim.status == ClaimStatus.CONFIRMED and item.status == NeedStatus.DONE
            assert ServiceRecord.objects.get().hours == Decimal("1.5")

            # Hours credited, and the 5+X fills itself in.
            member.reload()
            expect(member.locator("#credited")).to_contain_text("1.5 小时志愿服务时长已计入")
            member.get_by_role("link", name="我的认领").last.click()
            member.wait_for_url(re.compile(r".*/portal/needs/mine/$"))
            expect(member.locator("#my-summary [data-figure=hours]")).to_have_text("1.5")
            expect(member.locator("#five-plus-x [data-duty=claimed_need]")).to_contain_text("✓ 1")
            expect(member.locator("#five-plus-x [data-duty=theme_day]")).to_contain_text("未完成")
            expect(member.locator("#five-plus-x [data-duty=volunteer_service]")).to_contain_text("未完成")
            assert fits_the_phone(member)
            shot(member, "06-five-plus-x")
        finally:
            browser.close()

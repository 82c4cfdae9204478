"""One journey through the desktop UI in Debian's chromium, at desktop width and on a phone-sized screen.

Run with `pytest -m browser`. Screenshots go to /tmp/yuntu-*.png (and the desktop tree to
docs/screenshot.png when YUNTU_SCREENSHOT=1). The desktop run uses htmx (the built copy, or npm's
if the static build has not run); the phone run blocks htmx to prove the pages work without it.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest

from yuntu.core.cast import PASSWORD, id_number
from yuntu.orgs import services
from yuntu.orgs.models import Kind, Level, MemberStatus, Sector

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp")
ROOT = Path(__file__).resolve().parents[3]
README_SHOT = ROOT / "docs" / "screenshot.png"
HTMX_BUILT = ROOT / "var" / "vendor" / "htmx" / "htmx.min.js"
HTMX_NPM = ROOT / "node_modules" / "htmx.org" / "dist" / "htmx.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]


def furnish(cast) -> None:
    """A few more orgs and members under 新阳街道, so the pages look like a real street."""
    actor = cast.user("street_secretary")
    street, community = cast.orgs["street"], cast.orgs["community"]
    second = services.org_create(actor=actor, parent=street, name="中共新阳街道祥露社区委员会", short_name="祥露社区",
                                 level=Level.COMMUNITY, sector=Sector.COMMUNITY)
    services.org_create(actor=actor, parent=street, name="新阳工业区马銮湾项目临时党支部", level=Level.BRANCH,
                        sector=Sector.PRIVATE, temporary=True, end_date=datetime.date(2027, 6, 30))
    estate = services.org_create(actor=actor, parent=community, name="万科城小区党支部", level=Level.BRANCH,
                                 kind=Kind.ESTATE, sector=Sector.COMMUNITY)
    services.org_create(actor=actor, parent=second, name="祥露社区第一党支部", level=Level.BRANCH, sector=Sector.COMMUNITY)
    names = ["陈建华", "黄丽珍", "吴志强", "郑美玲", "王海涛", "张秀英", "李文斌", "刘晓燕"]
    for serial, name in enumerate(names):
        org = estate if serial % 2 else cast.orgs["branch"]
        extra = {"status": MemberStatus.PROBATIONARY, "probation_end": datetime.date(2027, 3, 1)} if serial == 3 else {}
        services.member_create(actor=actor, org=org, name=name, floating=serial == 5, in_service=serial in (1, 6),
                               personal=services.PersonalData(id_number("350205", datetime.date(1970 + serial * 3, 5, 20),
                                                                        600 + serial), f"1390592{serial:04d}"),
                               **extra)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def sign_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login/")
    assert page.locator("h2", has_text="账号登录").is_visible()
    page.fill("#id_username", "street_secretary")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")
    page.wait_for_url(f"{base_url}/orgs/")


def expand(page, name: str, child: str) -> None:
    row = page.locator(".tree-row", has=page.locator(".tree-name", has_text=name)).first
    row.locator(".tree-toggle").click()
    page.locator(".tree-name", has_text=child).first.wait_for(state="visible")


def test_street_secretary_journey(live_server, transactional_db, cast, browser):
    furnish(cast)
    base_url = live_server.url
    errors = []
    for label, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1,
                                      is_mobile=label == "phone", has_touch=label == "phone")
        with_htmx = label == "desktop" and (HTMX_BUILT.exists() or HTMX_NPM.exists())
        if not with_htmx:
            context.route("**/static/htmx/htmx.min.js", lambda route: route.abort())
        elif not HTMX_BUILT.exists():
            context.route("**/static/htmx/htmx.min.js",
                          lambda route: route.fulfill(path=str(HTMX_NPM), content_type="text/javascript"))
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, base_url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.htmx") == ("object" if with_htmx else "undefined")

        # The tree: the street is the secretary's root; children load on demand, with badges and counts.
        assert page.locator("h1", has_text="组织架构").is_visible()
        assert page.locator(".tree-name", has_text="中共海沧区新阳街道工作委员会").is_visible()
        assert page.locator("text=东孚").count() == 0
        expand(page, "中共海沧区新阳街道工作委员会", "中共新阳街道兴旺社区委员会")
        expand(page, "中共新阳街道兴旺社区委员会", "万科城小区党支部")
        assert page.locator(".tag--temporary").first.is_visible()
        assert page.locator(".tree-row", has_text="中共海沧区新阳街道工作委员会").first.locator(".tree-count strong").inner_text() == "9"
        page.screenshot(path=str(SHOTS / f"yuntu-tree-{label}.png"), full_page=True)
        if label == "desktop" and os.environ.get("YUNTU_SCREENSHOT") == "1":
            shutil.copyfile(SHOTS / "yuntu-tree-desktop.png", README_SHOT)
        # Folding a node hides its children again without another request.
        page.locator(".tree-row", has_text="中共新阳街道兴旺社区委员会").first.locator(".tree-toggle").click()
        assert not page.locator(".tree-name", has_text="万科城小区党支部").first.is_visible()

        # Search by initials: hc finds the 海沧 street (and only what the secretary may see).
        page.fill("input[name=q]", "hc")
        page.press("input[name=q]", "Enter")
        results = page.locator(".search-results")
        results.wait_for(state="visible")
        assert results.locator("a", has_text="中共海沧区新阳街道工作委员会").is_visible()
        assert results.locator("text=东孚").count() == 0
        page.fill("input[name=q]", "萬科")
        page.press("input[name=q]", "Enter")
        page.locator(".search-results a", has_text="万科城小区党支部").wait_for(state="visible")
        page.screenshot(path=str(SHOTS / f"yuntu-search-{label}.png"), full_page=True)

        # The org page, then the member list with masked personal data.
        page.locator(".search-results a", has_text="万科城小区党支部").click()
        page.locator("h1", has_text="万科城小区党支部").wait_for()
        assert page.locator(".breadcrumb", has_text="兴旺社区").is_visible()
        page.screenshot(path=str(SHOTS / f"yuntu-org-{label}.png"), full_page=True)
        page.locator(".site-nav a", has_text="党员管理").click()
        page.locator("h1", has_text="党员管理").wait_for()
        table = page.locator(".member-table")
        assert table.locator("a", has_text="林晓红").is_visible()
        assert "138****1234" in table.inner_text() and "13859201234" not in page.content()
        page.fill("input[name=q]", "hlz")
        page.click("button:has-text('筛选')")
        page.wait_for_url("**/orgs/members/?*")
        assert page.locator(".member-table a", has_text="黄丽珍").is_visible()
        assert page.locator(".member-table a", has_text="林晓红").count() == 0
        page.locator(".member-table a", has_text="黄丽珍").click()
        page.locator("h1", has_text="黄丽珍").wait_for()
        page.screenshot(path=str(SHOTS / f"yuntu-member-{label}.png"), full_page=True)
        page.goto(f"{base_url}/orgs/members/")
        page.screenshot(path=str(SHOTS / f"yuntu-members-{label}.png"), full_page=True)

        # Nothing overflows sideways on the phone.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{label}: page is {width}px wide"
        context.close()
    assert not errors, errors

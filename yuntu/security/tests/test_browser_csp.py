"""The demo pages work in Chromium under the strict Content-Security-Policy: no violation is reported.

Each page is loaded with a listener for `securitypolicyviolation` and the console; htmx (the org
tree's children), Leaflet (the resident's place picker), Swagger UI (/api/docs/), the ledger's
rate bars and an ECharts chart (loaded from our static files, with a tooltip) are exercised.
Screenshots go to /tmp/yuntu-csp-*.png.
"""

import re

import pytest

from yuntu.core.cast import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " " + (event.sourceFile || ""));
});
"""


class Watched:
    def __init__(self, browser, base: str, *, width=1440, height=900):
        self.context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.base = base
        self.console: list[str] = []
        self.page.on("console", lambda message: self.console.append(message.text))

    def sign_in(self, username: str, next_url: str):
        self.page.goto(f"{self.base}/login/?next={next_url}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(re.compile(f".*{re.escape(next_url)}$"))

    def visit(self, path: str):
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("networkidle")

    def violations(self) -> list[str]:
        recorded = self.page.evaluate("window.__csp || []")
        console = [text for text in self.console if "Content Security Policy" in text or "Refused to" in text]
        return recorded + console

    def shot(self, name: str):
        self.page.screenshot(path=f"/tmp/yuntu-csp-{name}.png", full_page=True)


@pytest.mark.browser
def test_demo_pages_raise_no_csp_violation(live_server, transactional_db, cast):
    from playwright.sync_api import expect, sync_playwright

    from yuntu.ledger import services as ledger_services
    from yuntu.ledger.tests.test_views import make_measure, make_problem

    problem = make_problem(cast, approve=True)
    measure = make_measure(cast, problem, steps=(("inspector", "approve"),))
    ledger_services.progress_record(actor=cast.user("branch_secretary"), measure=measure, text="已清理一半", percent=60)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            staff = Watched(browser, live_server.url)
            staff.sign_in("street_secretary", "/orgs/")
            toggle = staff.page.locator("a[data-children-url]").first
            toggle.click()  # htmx loads the children
            expect(toggle).to_have_attribute("aria-expanded", "true")
            assert staff.violations() == [], staff.violations()

            staff.visit(f"/ledger/problems/{problem.pk}/")
            bar = staff.page.locator("progress.lg-rate__bar").first
            expect(bar).to_have_attribute("value", "60")
            assert bar.bounding_box()["width"] > 40
            staff.shot("ledger-problem")
            assert staff.violations() == [], staff.violations()

            staff.visit("/ledger/print/")
            staff.page.evaluate("window.print = function () { window.__printed = true; }")
            staff.page.locator("[data-print]").click()
            assert staff.page.evaluate("window.__printed === true")
            assert staff.violations() == [], staff.violations()

            # ECharts from our static files: a bar chart with a tooltip (DOM styles set through CSSOM).
            staff.visit("/ledger/")
            staff.page.add_script_tag(url="/static/echarts/echarts.min.js")
            staff.page.evaluate("""() => {
              const box = document.createElement("div"); box.id = "csp-chart"; box.className = "card";
              document.querySelector("main").prepend(box);
              box.style.height = "240px"; box.style.width = "600px";
              const chart = echarts.init(box);
              chart.setOption({animation: false, tooltip: {trigger: "axis", renderMode: "richText"}, xAxis: {data: ["新阳", "东孚"]}, yAxis: {},
                               series: [{type: "bar", data: [3, 5]}]});
              chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1});
            }""")
            expect(staff.page.locator("#csp-chart canvas")).to_have_count(1)
            staff.shot("echarts")
            assert staff.violations() == [], staff.violations()

            staff.visit("/api/docs/")
            expect(staff.page.locator(".swagger-ui .information-container")).to_be_visible()
            expect(staff.page.locator(".opblock").first).to_be_visible()
            staff.shot("api-docs")
            assert staff.violations() == [], staff.violations()

            resident = Watched(browser, live_server.url, width=390, height=844)
            resident.sign_in("resident", "/portal/")
            resident.visit("/portal/new/")
            expect(resident.page.locator(".leaflet-container").first).to_be_visible()
            resident.shot("portal-submit")
            assert resident.violations() == [], resident.violations()

            # The policy is really there: an injected inline script is refused and reported.
            resident.page.evaluate("""() => { const s = document.createElement("script");
              s.textContent = "window.__ran = true"; document.body.appendChild(s); }""")
            assert resident.page.evaluate("window.__ran === undefined")
            assert any("script-src" in line for line in resident.violations())
        finally:
            browser.close()

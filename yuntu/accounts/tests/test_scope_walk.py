"""Walk every URL pattern and API route as users of one subtree against the other subtree's data.

New routes are covered without anyone remembering: a route whose parameters this walk cannot
fill fails the test until a rule for it is added below. For each route the walk checks that
(a) a GET shows none of the other subtree's names, masked IDs or mobiles, whatever the query
string says, and (b) POST, PUT, PATCH and DELETE with a plausible payload aimed at the other
subtree change nothing (audit trail, governed tables and the target records are compared).
"""

import datetime
import io
import json
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from yuntu.accounts.models import AuditEntry
from yuntu.claims.models import Claim, ClaimEvent, DualReport, Need, Pledge, ServiceRecord
from yuntu.core.cast import id_number
from yuntu.ledger.models import LedgerEvent, Measure, Problem, Progress
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

TRANSITION_NAMES = ["approve", "send_back", "resubmit", "report_done", "verify", "close", "reopen",
                    "handle", "merge", "decline", "publish", "accept", "reply", "hand_back",
                    "confirm", "return", "withdraw", "report"]
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/", "media/", "__debug__/")
# Routes that serve no governed data at all (checked: they take no object and list nothing).
DATA_FREE_ROUTES = {"api/schema/", "api/docs/", "login/", "logout/"}
# Routes public by design: Open311 GeoReport lists every request to anyone, without personal data
# (yuntu/voices/tests/test_open311.py checks that); the walk still checks they change nothing.
PUBLIC_PREFIXES = ("open311/",)


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def all_routes():
    routes = []
    for route, _pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route in DATA_FREE_ROUTES:
            continue
        routes.append(route)
    return sorted(set(routes))


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<regex_name>[^>]+)>[^)]*\)")


def model_for(route: str, name: str):
    """Which victim object a route parameter names. Unknown parameters fail the walk on purpose."""
    explicit = {"org_pk": "org", "member_pk": "member", "org_id": "org", "member_id": "member",
                "transfer_pk": "transfer", "job_pk": "job", "problem_pk": "problem", "measure_pk": "measure"}
    if name in explicit:
        return explicit[name]
    if name in ("pk", "id"):
        if "claims/<" in route:
            return "claim"
        if "needs/" in route:
            return "need"
        if "problems/" in route:
            return "problem"
        if "measures/" in route:
            return "measure"
        if "members/" in route:
            return "member"
        if "import/" in route or "jobs/" in route:
            return "job"
        if "orgs/" in route:
            return "org"
        if "requests/" in route:
            return "request"
        if "dispatches/" in route:
            return "dispatch"
        if "suggestions/" in route:
            return "suggestion"
    if name in ("format", "fmt"):
        return "format"
    if name in ("number", "token"):
        return "request_number"
    if name == "code":
        return "service_code"
    return None


def fill(route: str, victims: dict) -> str:
    def replace(match):
        name = match.group("name") or match.group("regex_name")
        kind = model_for(route, name)
        if kind is None:
            raise AssertionError(f"路由 {route} 的参数 <{name}> 未在越权巡检中登记：请在 model_for 中补充。")
        if kind == "format":
            return "json"
        if kind == "request_number":
            return victims["request"].number
        if kind == "service_code":
            return victims["request"].category.code
        return str(victims[kind].pk)

    url = "/" + PARAMETER.sub(replace, route)
    return url.replace("^", "").replace("$", "").replace("\\", "")


def body_text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content), read_only=True)
        return " ".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def fingerprint(victims: dict) -> tuple:
    member = Member.objects.filter(pk=victims["member"].pk).values().first()
    org = Org.objects.filter(pk=victims["org"].pk).values().first()
    problem = Problem.objects.filter(pk=victims["problem"].pk).values().first()
    measure = Measure.objects.filter(pk=victims["measure"].pk).values().first()
    voices = [model.objects.filter(pk=victims[key].pk).values().first()
              for key, model in (("request", Request), ("dispatch", Dispatch), ("suggestion", Suggestion))]
    claims = [model.objects.filter(pk=victims[key].pk).values().first()
              for key, model in (("need", Need), ("claim", Claim), ("dual_report", DualReport),
                                 ("service_record", ServiceRecord))]
    for row in (member, org, problem, measure, *voices, *claims):
        row.pop("updated_at", None)
    return (
        AuditEntry.objects.count(), Org.objects.count(), Member.objects.count(), Transfer.objects.count(),
        Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), LedgerEvent.objects.count(),
        Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
        json.dumps(voices, default=str, sort_keys=True), json.dumps(claims, default=str, sort_keys=True),
        Need.objects.count(), Claim.objects.count(), ClaimEvent.objects.count(), DualReport.objects.count(),
        ServiceRecord.objects.count(), Pledge.objects.count(),
        json.dumps(problem, default=str, sort_keys=True), json.dumps(measure, default=str, sort_keys=True),
        sorted(OrgMemberCount.objects.values_list("org_id", "full", "probationary")),
        json.dumps(member, default=str, sort_keys=True), json.dumps(org, default=str, sort_keys=True),
    )


def payload(victims: dict, cast) -> dict:
    """A plausible form/API body aimed at the victim subtree, so an unscoped write would succeed."""
    target = victims["org"]
    return {
        "name": "越权篡改", "short_name": "越权", "level": "branch", "kind": "standard", "sector": "community",
        "parent": target.pk, "new_parent": target.pk, "org": target.pk, "to_org": target.pk, "reason": "越权",
        "id_number": id_number("350205", datetime.date(1970, 1, 1), 999), "mobile": "13912340000",
        "status": "full", "address": "越权路1号", "employer": "越权单位", "home_address": "越权小区",
        "member": victims["member"].pk, "kind_of_import": "members", "title": "越权问题", "text": "越权措施内容",
        "responsible_person": "越权", "deadline": "2027-01-01", "found_on": "2026-11-01", "source": "residents",
        "category": "livelihood", "percent": 100, "orgs": [target.pk],
        "departments": [cast.orgs["agency"].pk], "reply": "越权答复", "target": victims["request"].pk,
        "problem": victims["problem"].pk, "measure_text": "越权措施", "response": "越权答复",
        "rating": "satisfied", "comment": "越权评价", "days": 3, "note": "越权派单",
        "community": target.pk, "proof_text": "越权完成", "hours": 2, "claimants_needed": 1, "served_on": "2026-11-01",
        "description": "越权需求", "branch": victims["claim"].org_id, "form": "service",
        "service-community": target.pk, "service-member": victims["member"].pk, "service-kind": "community",
        "service-title": "越权服务", "service-served_on": "2026-11-01", "service-hours": 2,
        "branch-branch": cast.orgs["agency"].pk, "branch-community": target.pk,
    }


def victims_of(cast, side: str) -> dict:
    from yuntu.orgs.models import ImportJob

    if side == "xinyang":
        org, member = cast.orgs["community"], cast.members["member"]
    else:
        org, member = cast.orgs["other_community"], cast.members["other_member"]
    transfer = Transfer.objects.create(member=member, org=org, org_path=org.path, from_org=org, from_path=org.path,
                                       transferred_on=datetime.date(2026, 1, 1), reason="历史转接")
    job = ImportJob.objects.create(kind="members", file="imports/x.xlsx", file_name="victim.xlsx",
                                   created_by=cast.user("district_officer"), org=org, org_path=org.path)
    title = f"{org.short_name}楼道堆物长期未清理"
    problem = Problem.objects.create(org=org, org_path=org.path, title=title, source="residents", category="livelihood",
                                     level_class="grassroots", found_on=datetime.date(2026, 10, 1), status="rectifying")
    measure = Measure.objects.create(problem=problem, org=org, org_path=org.path, text=f"{org.short_name}清理楼道堆物",
                                     responsible_person=member.name, deadline=datetime.date(2026, 12, 1),
                                     status="in_progress", level_class="grassroots")
    category, _ = Category.objects.get_or_create(code="walk", defaults={"name": "越权巡检类别"})
    now = timezone.now()
    request = Request.objects.create(org=org, org_path=org.path, number=f"SQWALK{org.pk:06d}", category=category,
                                     text=f"{org.short_name}路灯不亮", contact_name=member.name,
                                     contact_mobile_masked=member.mobile_masked, submitted_at=now, answer_due=now,
                                     resolve_due=now, status="dispatched")
    dispatch = Dispatch.objects.create(request=request, org=org, org_path=org.path, deadline=now)
    suggestion = Suggestion.objects.create(org=org, org_path=org.path, text=f"建议{org.short_name}增设充电桩",
                                           author_name=member.name)
    # A need that is not public (withdrawn), with a claim reported on it, a dual report and a service record.
    need = Need.objects.create(org=org, org_path=org.path, category="elderly", title=f"{org.short_name}独居老人代购药品",
                               description="越权巡检需求", address="越权巡检地点", deadline=datetime.date(2027, 1, 1),
                               posted_at=now, status="withdrawn")
    claim = Claim.objects.create(need=need, org=org, org_path=org.path, member=member, claimant_path=member.org_path,
                                 claimed_at=now, status="reported", proof_text=f"{org.short_name}认领完成情况", hours=2)
    dual_report = DualReport.objects.create(org=org, org_path=org.path, kind="member", member=member,
                                            reporter_path=member.org_path, reported_on=datetime.date(2026, 1, 1))
    service_record = ServiceRecord.objects.create(org=org, org_path=org.path, kind="community", member=member,
                                                  server_path=member.org_path, title=f"{org.short_name}社区值守",
                                                  served_on=datetime.date(2026, 2, 1), hours=3)
    return {"org": org, "member": member, "transfer": transfer, "job": job, "problem": problem, "measure": measure,
            "request": request, "dispatch": dispatch, "suggestion": suggestion, "need": need, "claim": claim,
            "dual_report": dual_report, "service_record": service_record}


def record_markers(victims: dict) -> list[str]:
    """Text and numbers of the victim's own records, which no page of another subtree may show."""
    return [victims["request"].number, victims["request"].text, victims["suggestion"].text]


def claims_markers(victims: dict) -> list[str]:
    """The victim's need (not public), the proof of its claim and a service record."""
    return [victims["need"].title, victims["claim"].proof_text]


MARKERS = {
    "xinyang": ["兴旺社区", "林晓红", "新阳街道"],
    "dongfu": ["山边社区", "邱文彬", "东孚街道"],
}


@pytest.mark.parametrize(("user_name", "victim_side"), [("outsider", "xinyang"), ("street_secretary", "dongfu"),
                                                        ("resident", "xinyang"), ("department_handler", "xinyang")])
def test_no_route_shows_or_changes_another_subtrees_data(cast, client_for, user_name, victim_side):
    victims = victims_of(cast, victim_side)
    markers = MARKERS[victim_side] + [victims["member"].id_number_masked, victims["member"].mobile_masked,
                                      *record_markers(victims), *claims_markers(victims)]
    client = client_for(cast.user(user_name))
    routes = all_routes()
    assert len(routes) >= 5, routes
    leaks, writes = [], []
    query = (f"?org={victims['org'].pk}&parent={victims['org'].pk}&under={victims['org'].pk}"
             f"&member={victims['member'].pk}&problem={victims['problem'].pk}")
    for route in routes:
        url = fill(route, victims)
        for suffix in ("", query):
            response = client.get(url + suffix)
            if response.status_code == 200 and not route.startswith(PUBLIC_PREFIXES):
                text = body_text(response)
                found = [marker for marker in markers if marker and marker in text]
                if found:
                    leaks.append(f"GET {url + suffix} → {found}")
        before = fingerprint(victims)
        bodies = [payload(victims, cast)]
        if route.startswith(("ledger/", "api/ledger/", "api/voices/", "voices/", "portal/", "claims/", "api/claims/")) \
                and "<" in route:
            # Workflow routes act on a named transition: try each, so an unscoped one would succeed.
            bodies += [{**bodies[0], "name": name, "action": name, "transition": name} for name in TRANSITION_NAMES]
        for method in ("put", "patch", "delete"):
            getattr(client, method)(url, data=json.dumps(bodies[0]), content_type="application/json")
        for data in bodies:
            if route.startswith("api/"):
                client.post(url, data=json.dumps(data), content_type="application/json")
            else:
                client.post(url, data=data)
        if fingerprint(victims) != before:
            writes.append(f"{url}")
    assert not leaks and not writes, "越权可见：\n" + "\n".join(leaks) + "\n越权修改：\n" + "\n".join(writes)


def test_the_walk_sees_real_data_for_the_owner(cast, client_for):
    """The walk could pass by seeing nothing at all; the owner of the data must see it on some route."""
    victims = victims_of(cast, "xinyang")
    client = client_for(cast.user("street_secretary"))
    seen = set()
    for route in all_routes():
        response = client.get(fill(route, victims))
        if response.status_code == 200:
            text = body_text(response)
            seen.update(marker for marker in MARKERS["xinyang"] if marker in text)
    assert {"兴旺社区", "林晓红"} <= seen
    problem_title = victims["problem"].title
    assert any(problem_title in body_text(client.get(fill(route, victims))) for route in all_routes()
               if "ledger" in route) or not any("ledger" in route for route in all_routes())
    voices_routes = [route for route in all_routes() if route.startswith("voices/")]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in voices_routes)
    assert all(marker in shown for marker in record_markers(victims)) or not voices_routes
    claims_routes = [route for route in all_routes() if route.startswith("claims/")]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in claims_routes)
    assert all(marker in shown for marker in claims_markers(victims)) or not claims_routes

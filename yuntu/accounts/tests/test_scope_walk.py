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
from yuntu.core.cast import id_number
from yuntu.ledger.models import LedgerEvent, Measure, Problem, Progress
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

TRANSITION_NAMES = ["approve", "send_back", "resubmit", "report_done", "verify", "close", "reopen",
                    "handle", "merge", "decline", "publish", "accept", "reply", "hand_back", "settle"]
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/", "media/", "__debug__/")
# Routes that serve no governed data at all (checked: they take no object and list nothing).
DATA_FREE_ROUTES = {"api/schema/", "api/docs/", "login/", "logout/"}
# Routes public by design: Open311 GeoReport lists every request to anyone, without personal data
# (yuntu/voices/tests/test_open311.py checks that); the walk still checks they change nothing.
PUBLIC_PREFIXES = ("open311/",)
# Leaders' reception schedules are published to residents by design (leader, title, place, times; no
# bookings): yuntu/grassroots/tests/test_views.py checks they carry no resident's data.
PUBLIC_ROUTES = {"portal/receptions/", "portal/receptions/days/<int:pk>/"}
GRASSROOTS_SEGMENTS = {"topics": "topic", "proposals": "proposal", "receptions": "reception_day", "days": "reception_day",
                       "bookings": "booking", "contacts": "contact", "mediations": "mediation", "pairings": "pairing",
                       "demands": "demand", "cadres": "cadre", "enterprises": "enterprise"}


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
    if name in ("pk", "id") and route.startswith(("grassroots/", "api/grassroots/", "portal/receptions/")):
        segment = route.split("<", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return GRASSROOTS_SEGMENTS.get(segment)
    if name in ("pk", "id"):
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
    grassroots = [model.objects.filter(pk=victims[key].pk).values().first() for key, model in grassroots_victims()]
    for row in (member, org, problem, measure, *voices, *grassroots):
        row.pop("updated_at", None)
    return (
        AuditEntry.objects.count(), Org.objects.count(), Member.objects.count(), Transfer.objects.count(),
        Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), LedgerEvent.objects.count(),
        Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
        json.dumps(voices, default=str, sort_keys=True),
        json.dumps(problem, default=str, sort_keys=True), json.dumps(measure, default=str, sort_keys=True),
        sorted(OrgMemberCount.objects.values_list("org_id", "full", "probationary")),
        json.dumps(member, default=str, sort_keys=True), json.dumps(org, default=str, sort_keys=True),
        json.dumps(grassroots, default=str, sort_keys=True),
        [model.objects.count() for _key, model in grassroots_victims()],
    )


def grassroots_victims():
    from yuntu.grassroots import models as grassroots

    return (("topic", grassroots.ResearchTopic), ("proposal", grassroots.Proposal),
            ("reception_day", grassroots.ReceptionDay), ("booking", grassroots.ReceptionBooking),
            ("contact", grassroots.Contact), ("mediation", grassroots.MediationCase),
            ("enterprise", grassroots.Enterprise), ("pairing", grassroots.Pairing), ("demand", grassroots.Demand),
            ("field_visit", grassroots.FieldVisit), ("pairing_visit", grassroots.PairingVisit),
            ("assignment", grassroots.Assignment))


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
        "person_name": "越权", "contacted_on": "2026-11-01", "matter": "越权事项", "outcome": "越权", "held_on": "2026-11-01",
        "notes": "越权记录", "visited_on": "2026-11-01", "place": "越权地点", "report": "越权报告", "proposals": "越权建议",
        "leader_title": "越权", "date": "2027-01-01", "starts_at": "09:00", "ends_at": "11:00", "slot_minutes": 30,
        "credit_code": "91350205MA31XXXX0Q", "enterprise": victims["enterprise"].pk, "slot": "09:00", "hours": 1,
        "parties": "甲、乙", "opened_on": "2026-11-01", "starts_on": "2026-11-01", "ends_on": "2027-11-01",
        "cadre": victims["cadre"].pk, "field": "urban",
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
    victims = {"org": org, "member": member, "transfer": transfer, "job": job, "problem": problem, "measure": measure,
               "request": request, "dispatch": dispatch, "suggestion": suggestion}
    victims.update(grassroots_victims_of(cast, org, member, request))
    return victims


def grassroots_victims_of(cast, org, member, request) -> dict:
    """四下基层 records of the victim subtree, led and logged by a cadre of it (the victim member's user)."""
    from yuntu.accounts.models import RoleGrant, User
    from yuntu.core import chinese
    from yuntu.grassroots import models as grassroots

    cadre = member.user
    if cadre is None:
        cadre = User.objects.create_user(f"cadre{org.pk}", password="x", display_name=member.name)
        RoleGrant.objects.create(user=cadre, role="member", org=member.org, org_path=member.org_path)
        Member.objects.filter(pk=member.pk).update(user=cadre)
    booker = User.objects.create_user(f"booker{org.pk}", password="x", display_name=f"{org.short_name}预约人")
    today = timezone.localdate()
    scoped = {"org": org, "org_path": org.path}
    # Periods that take the payload's dates (2026-11-01), so an unscoped write would go through and be seen.
    since, until = datetime.date(2026, 1, 1), datetime.date(2030, 12, 31)
    topic = grassroots.ResearchTopic.objects.create(**scoped, title=f"{org.short_name}养老服务调研", field="livelihood",
                                                    lead=cadre, starts_on=since, ends_on=until)
    visit = grassroots.FieldVisit.objects.create(**scoped, topic=topic, visitor=cadre, visited_on=today, place="调研点",
                                                 notes=f"{org.short_name}调研记录")
    proposal = grassroots.Proposal.objects.create(**scoped, topic=topic, text=f"{org.short_name}增设长者食堂")
    day = grassroots.ReceptionDay.objects.create(**scoped, leader=cadre, leader_title="书记", place="党群服务中心",
                                                 date=today + datetime.timedelta(days=7), starts_at=datetime.time(9),
                                                 ends_at=datetime.time(11))
    booking = grassroots.ReceptionBooking.objects.create(**scoped, day=day, slot=datetime.time(9), resident=booker,
                                                         name=f"{org.short_name}预约人", matter=f"{org.short_name}噪音扰民")
    contact = grassroots.Contact.objects.create(**scoped, kind="reception", cadre=cadre, person_name="来访人",
                                                contacted_on=today, matter=f"{org.short_name}占道经营")
    mediation = grassroots.MediationCase.objects.create(**scoped, title=f"{org.short_name}邻里漏水纠纷", parties="甲、乙",
                                                        mediator=cadre, opened_on=since)
    first = f"91350205MA{org.pk:07d}"
    enterprise = grassroots.Enterprise.objects.create(**scoped, name=f"{org.short_name}巡检科技有限公司",
                                                      credit_code=first + chinese.credit_code_check_character(first))
    pairing = grassroots.Pairing.objects.create(**scoped, cadre=cadre, target_kind="enterprise", enterprise=enterprise,
                                                starts_on=since)
    pairing_visit = grassroots.PairingVisit.objects.create(**scoped, pairing=pairing, visitor=cadre, visited_on=today,
                                                           notes="走访")
    demand = grassroots.Demand.objects.create(**scoped, visit=pairing_visit, pairing=pairing, raised_by=cadre,
                                              text=f"{org.short_name}企业用电增容", raised_on=today, request=request)
    assignment = grassroots.Assignment.objects.create(**scoped, cadre=cadre, kind="new_civil_servant", starts_on=today,
                                                      ends_on=today + datetime.timedelta(days=365))
    return {"cadre": cadre, "topic": topic, "field_visit": visit, "proposal": proposal, "reception_day": day,
            "booking": booking, "contact": contact, "mediation": mediation, "enterprise": enterprise, "pairing": pairing,
            "pairing_visit": pairing_visit, "demand": demand, "assignment": assignment}


def record_markers(victims: dict) -> list[str]:
    """Text and numbers of the victim's own records, which no page of another subtree may show."""
    return [victims["request"].number, victims["request"].text, victims["suggestion"].text]


def grassroots_markers(victims: dict) -> list[str]:
    return [victims["topic"].title, victims["booking"].matter, victims["contact"].matter, victims["mediation"].title,
            victims["enterprise"].name, victims["demand"].text, victims["proposal"].text]


MARKERS = {
    "xinyang": ["兴旺社区", "林晓红", "新阳街道"],
    "dongfu": ["山边社区", "邱文彬", "东孚街道"],
}


@pytest.mark.parametrize(("user_name", "victim_side"), [("outsider", "xinyang"), ("street_secretary", "dongfu"),
                                                        ("resident", "xinyang"), ("department_handler", "xinyang")])
def test_no_route_shows_or_changes_another_subtrees_data(cast, client_for, user_name, victim_side):
    victims = victims_of(cast, victim_side)
    markers = MARKERS[victim_side] + [victims["member"].id_number_masked, victims["member"].mobile_masked,
                                      *record_markers(victims), *grassroots_markers(victims)]
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
            if response.status_code == 200 and not route.startswith(PUBLIC_PREFIXES) and route not in PUBLIC_ROUTES:
                text = body_text(response)
                found = [marker for marker in markers if marker and marker in text]
                if found:
                    leaks.append(f"GET {url + suffix} → {found}")
        before = fingerprint(victims)
        bodies = [payload(victims, cast)]
        if route.startswith(("ledger/", "api/ledger/", "api/voices/", "voices/", "portal/",
                             "grassroots/mediations/")) and "<" in route:
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
    grassroots_routes = [route for route in all_routes() if route.startswith("grassroots/")]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in grassroots_routes)
    missing = [marker for marker in grassroots_markers(victims) if marker not in shown]
    assert not missing or not grassroots_routes, missing


def test_a_cadres_frontline_record_is_hidden_from_peers_on_every_route(cast, client_for):
    """A fellow member of the cadre's branch walks every route: the cadre's record shows nowhere."""
    from yuntu.accounts.models import RoleGrant, User

    victims = victims_of(cast, "xinyang")
    branch = cast.orgs["branch"]
    peer = User.objects.create_user("peer", password="x", display_name="同支部党员")
    RoleGrant.objects.create(user=peer, role="member", org=branch, org_path=branch.path)
    client = client_for(peer)
    markers = [str(victims["cadre"]), victims["topic"].title, victims["contact"].matter, victims["demand"].text,
               victims["mediation"].title]
    leaks = []
    for route in all_routes():
        if not route.startswith(("grassroots/", "api/grassroots/")):
            continue
        response = client.get(fill(route, victims))
        if response.status_code == 200:
            found = [marker for marker in markers if marker in body_text(response)]
            if found:
                leaks.append(f"{route} → {found}")
    assert client.get(f"/grassroots/cadres/{victims['cadre'].pk}/").status_code == 404
    assert client.get(f"/api/grassroots/cadres/{victims['cadre'].pk}/record/").status_code == 404
    assert not leaks, leaks

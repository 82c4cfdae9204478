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
from yuntu.assessment.models import (
    Alert,
    AlertEvent,
    AssessmentPeriod,
    Circular,
    RedFlag,
    RuleSetting,
    ScanRun,
    SchemeItem,
    Score,
    ScoringScheme,
    WeakLaxFlag,
)
from yuntu.core.cast import id_number
from yuntu.ledger.models import LedgerEvent, Measure, Problem, Progress
from yuntu.orglife.models import Attendance, Dues, Meeting, MeetingPhoto, Officer
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

TRANSITION_NAMES = ["approve", "send_back", "resubmit", "report_done", "verify", "close", "reopen",
                    "handle", "merge", "decline", "publish", "accept", "reply", "hand_back", "explain", "reject",
                    "hold", "cancel"]
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
                "transfer_pk": "transfer", "job_pk": "job", "problem_pk": "problem", "measure_pk": "measure",
                "photo_pk": "photo", "sign_in_token": "meeting_token", "rule_code": "rule_code"}
    if name in explicit:
        return explicit[name]
    if name in ("pk", "id"):
        for segment, kind in (("meetings/", "meeting"), ("alerts/", "alert"), ("periods/", "period"),
                              ("circulars/", "circular"), ("dues/", "dues"), ("weak-lax/", "weak_lax")):
            if segment in route:
                return kind
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
        if kind == "meeting_token":
            return victims["meeting"].sign_in_token
        if kind == "rule_code":
            return "orglife.theme_day"
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
    orglife = [model.objects.filter(pk=victims[key].pk).values().first()
               for key, model in (("meeting", Meeting), ("alert", Alert), ("circular", Circular), ("dues", Dues),
                                  ("period", AssessmentPeriod), ("weak_lax", WeakLaxFlag))]
    for row in (member, org, problem, measure, *voices, *orglife):
        row.pop("updated_at", None)
    return (
        AuditEntry.objects.count(), Org.objects.count(), Member.objects.count(), Transfer.objects.count(),
        Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), LedgerEvent.objects.count(),
        Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
        json.dumps(voices, default=str, sort_keys=True), json.dumps(orglife, default=str, sort_keys=True),
        *(model.objects.count() for model in (Meeting, Attendance, MeetingPhoto, Officer, Alert, AlertEvent, ScanRun,
                                              RuleSetting, Score, RedFlag, Circular, Dues, WeakLaxFlag)),
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
        "minutes": "越权填写的会议记录，内容足够长。", "starts_at": "2026-11-20T09:00", "place": "越权会议室",
        "topics": "越权议题", f"status_{victims['member'].pk}": "present", "token": victims["meeting"].sign_in_token,
        "config": '{"threshold": 5}', "score": 1, "item": victims["item"].pk, "evidence": "越权评分",
        "income": "5000", "month": "2026-11", "paid_amount": "100", "paid_on": "2026-11-02", "start": "2026-11-01",
        "end": "2026-11-30", "lapses": "越权通报", "commendations": "越权表扬", "closing": "越权要求",
        "plan": "越权整顿方案", "effective_from": "2026-11", "table": "0,5",
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
    branch = Org.objects.get(name="兴旺社区第一党支部" if side == "xinyang" else "山边社区第一党支部")
    meeting = Meeting.objects.create(org=branch, org_path=branch.path, kind="theme_day", title=f"{org.short_name}11月主题党日",
                                     starts_at=now - datetime.timedelta(days=3), status="planned",
                                     minutes=f"{org.short_name}会议记录", expected_count=1)
    Attendance.objects.create(meeting=meeting, member=member, status="absent", reason=f"{org.short_name}出差",
                              starts_at=meeting.starts_at)
    photo = MeetingPhoto.objects.create(meeting=meeting, file="orglife/x.png", file_name=f"{org.short_name}.png", size=1)
    alert = Alert.objects.create(org=branch, org_path=branch.path, parent_path=org.path, rule="orglife.theme_day",
                                 period="2026-10", severity="lapse", detail=f"{org.short_name}2026年10月未开展主题党日",
                                 raised_at=now, last_seen_at=now, status="explained", explanation="说明")
    scheme = ScoringScheme.objects.create(org=org, org_path=org.path, name=f"{org.short_name}支部考评")
    item = SchemeItem.objects.create(scheme=scheme, name="支部建设", max_score=10, method="assessor")
    period = AssessmentPeriod.objects.create(org=org, org_path=org.path, scheme=scheme, name=f"{org.short_name}第四季度",
                                             start=datetime.date(2026, 10, 1), end=datetime.date(2026, 11, 30))
    circular = Circular.objects.create(org=org, org_path=org.path, title=f"{org.short_name}组织生活情况通报",
                                       period_start=datetime.date(2026, 10, 1), period_end=datetime.date(2026, 10, 31),
                                       lapses=f"{org.short_name}第一党支部未开展主题党日", commendations="无")
    dues = Dues.objects.create(org=branch, org_path=branch.path, member=member, month=datetime.date(2026, 10, 1),
                               declared_income=5000, amount=50)
    weak_lax = WeakLaxFlag.objects.create(org=branch, org_path=branch.path, reason=f"{org.short_name}组织涣散",
                                          plan="整顿方案", flagged_on=datetime.date(2026, 10, 1))
    return {"org": org, "member": member, "transfer": transfer, "job": job, "problem": problem, "measure": measure,
            "request": request, "dispatch": dispatch, "suggestion": suggestion, "meeting": meeting, "photo": photo,
            "alert": alert, "period": period, "item": item, "circular": circular, "dues": dues, "weak_lax": weak_lax}


def record_markers(victims: dict) -> list[str]:
    """Text and numbers of the victim's own records, which no page of another subtree may show."""
    return [victims["request"].number, victims["request"].text, victims["suggestion"].text]


def orglife_markers(victims: dict) -> list[str]:
    """Text of the victim's meetings, alerts and circulars (organisational life and assessment)."""
    return [victims["meeting"].title, victims["alert"].detail, victims["circular"].title]


MARKERS = {
    "xinyang": ["兴旺社区", "林晓红", "新阳街道"],
    "dongfu": ["山边社区", "邱文彬", "东孚街道"],
}


@pytest.mark.parametrize(("user_name", "victim_side"), [("outsider", "xinyang"), ("street_secretary", "dongfu"),
                                                        ("resident", "xinyang"), ("department_handler", "xinyang")])
def test_no_route_shows_or_changes_another_subtrees_data(cast, client_for, user_name, victim_side):
    victims = victims_of(cast, victim_side)
    markers = MARKERS[victim_side] + [victims["member"].id_number_masked, victims["member"].mobile_masked,
                                      *record_markers(victims), *orglife_markers(victims)]
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
        if route.startswith(("ledger/", "api/ledger/", "api/voices/", "voices/", "portal/", "orglife/", "assessment/",
                             "api/orglife/", "api/assessment/")) and "<" in route:
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
    orglife_routes = [route for route in all_routes() if route.startswith(("orglife/", "assessment/"))]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in orglife_routes)
    assert all(marker in shown for marker in orglife_markers(victims))

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
from yuntu.inbox.models import Message
from yuntu.ledger.models import LedgerEvent, Measure, Problem, Progress
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer
from yuntu.publicity.models import Article, Column, Contest, Entry, Publication, Question, Score, StudyList
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

TRANSITION_NAMES = ["approve", "send_back", "resubmit", "report_done", "verify", "close", "reopen",
                    "handle", "merge", "decline", "publish", "accept", "reply", "hand_back", "withdraw",
                    "publish_results"]
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
        if "inbox/" in route:
            return "message"
        if "publications/" in route or "affairs/" in route:
            return "publication"
        if "questions/" in route:
            return "question"
        if "articles/" in route:
            return "article"
        if "study-lists/" in route:
            return "study_list"
        if "contests/" in route:
            return "contest"
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
    publicity = [model.objects.filter(pk=victims[key].pk).values().first()
                 for key, model in (("publication", Publication), ("question", Question), ("article", Article),
                                    ("contest", Contest), ("entry", Entry), ("message", Message))]
    for row in (member, org, problem, measure, *voices, *publicity):
        row.pop("updated_at", None)
    return (
        Publication.objects.count(), Question.objects.count(), Article.objects.count(), Column.objects.count(),
        Contest.objects.count(), Entry.objects.count(), Score.objects.count(), StudyList.objects.count(),
        json.dumps(publicity, default=str, sort_keys=True),
        AuditEntry.objects.count(), Org.objects.count(), Member.objects.count(), Transfer.objects.count(),
        Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), LedgerEvent.objects.count(),
        Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
        json.dumps(voices, default=str, sort_keys=True),
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
        "catalogue": "org_building", "period_start": "2026-07-01", "period_end": "2026-09-30", "body": "越权公开内容",
        "publish": True, "answer": "越权答复", "entry": victims["entry"].pk, "points": 100,
        "column": victims["article"].column_id, "daily_digest": True,
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
    owner = cast.user("member") if side == "xinyang" else cast.user("outsider")
    publication = Publication.objects.create(org=org, org_path=org.path, catalogue="dues", title=f"{org.short_name}党费收缴草稿",
                                             body="<p>草稿</p>", period_start=datetime.date(2026, 7, 1),
                                             period_end=datetime.date(2026, 9, 30))
    question = Question.objects.create(publication=publication, org=org, org_path=org.path, asker=owner,
                                       text=f"{org.short_name}党费为何未公开")
    column = Column.objects.create(org=org, org_path=org.path, name=f"{org.short_name}学习专栏", kind="study",
                                   audience="members")
    article = Article.objects.create(column=column, org=org, org_path=org.path, title=f"{org.short_name}学习草稿",
                                     body="<p>草稿</p>")
    contest = Contest.objects.create(org=org, org_path=org.path, title="越权巡检征文", kind="essay", status="judging",
                                     opens_on=datetime.date(2026, 1, 1), closes_on=datetime.date(2026, 2, 1))
    contest.judges.add(owner)
    entry = Entry.objects.create(contest=contest, org=org, org_path=org.path, author=owner, author_name=member.name,
                                 title=f"{org.short_name}征文作品", body="<p>作品</p>", submitted_at=now)
    message = Message.objects.create(user=owner, kind="党务公开", subject=f"{org.short_name}私信标题", body="私信")
    study_list = StudyList.objects.create(org=org, org_path=org.path, title="越权巡检清单", audience="members", year=2026)
    return {"org": org, "member": member, "transfer": transfer, "job": job, "problem": problem, "measure": measure,
            "request": request, "dispatch": dispatch, "suggestion": suggestion, "publication": publication,
            "question": question, "article": article, "contest": contest, "entry": entry, "message": message,
            "study_list": study_list}


def record_markers(victims: dict) -> list[str]:
    """Text and numbers of the victim's own records, which no page of another subtree may show."""
    return [victims["request"].number, victims["request"].text, victims["suggestion"].text]


def publicity_markers(victims: dict) -> list[str]:
    """Unpublished publicity records and private messages of the victim: a draft, a question, an entry, a message."""
    return [victims["publication"].title, victims["question"].text, victims["article"].title,
            victims["entry"].title, victims["message"].subject]


MARKERS = {
    "xinyang": ["兴旺社区", "林晓红", "新阳街道"],
    "dongfu": ["山边社区", "邱文彬", "东孚街道"],
}


@pytest.mark.parametrize(("user_name", "victim_side"), [("outsider", "xinyang"), ("street_secretary", "dongfu"),
                                                        ("resident", "xinyang"), ("department_handler", "xinyang")])
def test_no_route_shows_or_changes_another_subtrees_data(cast, client_for, user_name, victim_side):
    victims = victims_of(cast, victim_side)
    markers = MARKERS[victim_side] + [victims["member"].id_number_masked, victims["member"].mobile_masked,
                                      *record_markers(victims), *publicity_markers(victims)]
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
        if route.startswith(("ledger/", "api/ledger/", "api/voices/", "voices/", "portal/", "publicity/",
                             "api/publicity/")) and "<" in route:
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
    publicity_routes = [route for route in all_routes() if route.startswith("publicity/")]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in publicity_routes)
    assert victims["publication"].title in shown and victims["question"].text in shown
    assert victims["article"].title in shown or not publicity_routes

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
    ScoringScheme,
    StarThreshold,
    WeakLaxFlag,
)
from yuntu.assessment.models import Score as AssessmentScore
from yuntu.briefings.models import (
    Briefing,
    BriefingFigure,
    BriefingSeries,
    BriefingTemplate,
    ReportFigure,
    SubmittedReport,
)
from yuntu.campaigns.models import (
    Campaign,
    CampaignEvent,
    Milestone,
    Post,
    Project,
    ScoreMark,
    Task,
    TaskProgress,
)
from yuntu.claims.models import Claim, ClaimEvent, DualReport, Need, Pledge, ServiceRecord
from yuntu.core.cast import id_number
from yuntu.inbox.models import Message
from yuntu.lectures.models import (
    LectureEvent,
    LectureOrder,
    Lecturer,
    LectureRating,
    LecturerSlot,
    LectureTeam,
    Topic,
)
from yuntu.ledger.models import LedgerEvent, Measure, Problem, Progress
from yuntu.orglife.models import Attendance, Dues, Meeting, MeetingPhoto, Officer
from yuntu.orgs.models import Member, Org, OrgMemberCount, Transfer
from yuntu.publicity.models import Article, Column, Contest, Entry, Publication, Question, Score, StudyList
from yuntu.venues.models import Booking, BookingEvent, BookingSlot, Room, Venue
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion

TRANSITION_NAMES = ["approve", "send_back", "resubmit", "report_done", "verify", "close", "reopen",
                    "handle", "merge", "decline", "publish", "accept", "reply", "hand_back", "start", "complete", "launch",
                    "settle", "fail", "receive", "cancel", "adopt",
                    "reject", "check_in", "no_show", "assign", "deliver", "rate",
                    "confirm", "return", "withdraw", "report", "publish_results", "explain", "hold"]
BRIEFING_FIGURE_KINDS = {"reports/": "report_figure", "briefings/": "briefing_figure"}
# Routes that take the action's name in the body; every other action route names its action in the URL.
NAMED_ACTION_SEGMENTS = ("transition/", "action/")
NAMED_ACTION_PREFIXES = ("grassroots/mediations/",)  # closing a mediation names its outcome
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
                       "bookings": "reception_booking", "contacts": "contact", "mediations": "mediation", "pairings": "pairing",
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
                "transfer_pk": "transfer", "job_pk": "job", "problem_pk": "problem", "measure_pk": "measure",
                "photo_pk": "photo", "sign_in_token": "meeting_token", "rule_code": "rule_code"}
    if name in explicit:
        return explicit[name]
    if name == "figure_pk":
        return next(kind for prefix, kind in BRIEFING_FIGURE_KINDS.items() if prefix in route)
    if name == "pk" and route.startswith("briefings/"):
        if "templates/" in route:
            return "briefing_template"
        return "report" if "reports/" in route else "briefing"
    if name in ("pk", "id") and route.startswith(("campaigns/", "api/campaigns/")):
        for segment, kind in (("projects/<", "project"), ("tasks/<", "task"), ("posts/<", "post"),
                              ("milestones/<", "milestone")):
            if segment in route:
                return kind
        return "campaign"
    if name in ("pk", "id") and route.startswith(("grassroots/", "api/grassroots/", "portal/receptions/")):
        segment = route.split("<", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        return GRASSROOTS_SEGMENTS.get(segment)
    if name in ("pk", "id"):
        if "claims/<" in route:
            return "claim"
        if "needs/" in route:
            return "need"
        for segment, kind in (("meetings/", "meeting"), ("alerts/", "alert"), ("schemes/", "scheme"), ("periods/", "period"),
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
        if "bookings/" in route:
            return "booking"
        if "rooms/" in route:
            return "room"
        if "orders/" in route:
            return "lecture_order"
        if "topics/" in route:
            return "lecture_topic"
        if "venues/" in route:
            return "venue"
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
    if name == "checkin_token":
        return "room_token"
    if name == "rating_token":
        return "order_token"
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
        if kind == "room_token":
            return victims["room"].checkin_token
        if kind == "order_token":
            return victims["lecture_order"].rating_token
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


# Creating one's own booking of a public room, or ordering from the public menu, is open to anyone signed in
# (residents book across community lines: that is the 15-minute circle); the walk lets the walker's own new
# bookings and orders through and checks that nothing else changes.
OWN_CREATIONS = ("venues.booking_create", "lectures.order_create")


def fingerprint(victims: dict, walker=None) -> tuple:
    member = Member.objects.filter(pk=victims["member"].pk).values().first()
    org = Org.objects.filter(pk=victims["org"].pk).values().first()
    problem = Problem.objects.filter(pk=victims["problem"].pk).values().first()
    measure = Measure.objects.filter(pk=victims["measure"].pk).values().first()
    voices = [model.objects.filter(pk=victims[key].pk).values().first()
              for key, model in (("request", Request), ("dispatch", Dispatch), ("suggestion", Suggestion))]
    briefings = [model.objects.filter(pk=victims[key].pk).values().first()
                 for key, model in (("briefing", Briefing), ("briefing_template", BriefingTemplate),
                                    ("report_figure", ReportFigure))]
    grassroots = [model.objects.filter(pk=victims[key].pk).values().first() for key, model in grassroots_victims()]
    venues = [model.objects.filter(pk=victims[key].pk).values().first()
              for key, model in (("venue", Venue), ("room", Room), ("booking", Booking),
                                 ("lecture_order", LectureOrder), ("lecture_topic", Topic))]
    claims = [model.objects.filter(pk=victims[key].pk).values().first()
              for key, model in (("need", Need), ("claim", Claim), ("dual_report", DualReport),
                                 ("service_record", ServiceRecord))]
    publicity = [model.objects.filter(pk=victims[key].pk).values().first()
                 for key, model in (("publication", Publication), ("question", Question), ("article", Article),
                                    ("contest", Contest), ("entry", Entry), ("message", Message))]
    orglife = [model.objects.filter(pk=victims[key].pk).values().first()
               for key, model in (("meeting", Meeting), ("alert", Alert), ("circular", Circular), ("dues", Dues),
                                  ("period", AssessmentPeriod), ("weak_lax", WeakLaxFlag), ("scheme", ScoringScheme))]
    for row in (member, org, problem, measure, *voices, *briefings, *grassroots, *venues, *claims, *publicity,
                *orglife):
        row.pop("updated_at", None)
    campaign_rows = [model.objects.filter(pk=victims[key].pk).values().first()
                     for key, model in (("campaign", Campaign), ("project", Project), ("task", Task), ("post", Post),
                                        ("milestone", Milestone))]
    for row in campaign_rows:
        row.pop("updated_at", None)
    return (
        Campaign.objects.count(), Project.objects.count(), Task.objects.count(), TaskProgress.objects.count(),
        CampaignEvent.objects.count(), Post.objects.count(), ScoreMark.objects.count(),
        json.dumps(campaign_rows, default=str, sort_keys=True),
        Venue.objects.count(), Room.objects.count(), Booking.objects.exclude(booker=walker).count(),
        BookingSlot.objects.exclude(booking__booker=walker).count(),
        BookingEvent.objects.exclude(booking__booker=walker).count(), LectureTeam.objects.count(),
        Lecturer.objects.count(), Topic.objects.count(), LectureOrder.objects.exclude(orderer=walker).count(),
        LecturerSlot.objects.count(), LectureRating.objects.count(),
        LectureEvent.objects.exclude(order__orderer=walker).count(), json.dumps(venues, default=str, sort_keys=True),
        AuditEntry.objects.exclude(actor=walker, action__in=OWN_CREATIONS).count(), Org.objects.count(), Member.objects.count(), Transfer.objects.count(),
        Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), LedgerEvent.objects.count(),
        Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
        json.dumps(claims, default=str, sort_keys=True),
        Publication.objects.count(), Question.objects.count(), Article.objects.count(), Column.objects.count(),
        Contest.objects.count(), Entry.objects.count(), Score.objects.count(), StudyList.objects.count(),
        json.dumps(publicity, default=str, sort_keys=True), json.dumps(orglife, default=str, sort_keys=True),
        *(model.objects.count() for model in (Meeting, Attendance, MeetingPhoto, Officer, Alert, AlertEvent, ScanRun,
                                              RuleSetting, AssessmentScore, RedFlag, Circular, Dues, WeakLaxFlag,
                                              ScoringScheme, SchemeItem, StarThreshold, AssessmentPeriod)),
        Need.objects.count(), Claim.objects.count(), ClaimEvent.objects.count(), DualReport.objects.count(),
        ServiceRecord.objects.count(), Pledge.objects.count(),
        json.dumps(voices, default=str, sort_keys=True), json.dumps(briefings, default=str, sort_keys=True),
        Briefing.objects.count(), BriefingTemplate.objects.count(), BriefingFigure.objects.count(),
        SubmittedReport.objects.count(), ReportFigure.objects.count(),
        json.dumps(problem, default=str, sort_keys=True), json.dumps(measure, default=str, sort_keys=True),
        sorted(OrgMemberCount.objects.values_list("org_id", "full", "probationary")),
        json.dumps(member, default=str, sort_keys=True), json.dumps(org, default=str, sort_keys=True),
        json.dumps(grassroots, default=str, sort_keys=True),
        [model.objects.count() for _key, model in grassroots_victims()],
    )


def grassroots_victims():
    from yuntu.grassroots import models as grassroots

    return (("topic", grassroots.ResearchTopic), ("proposal", grassroots.Proposal),
            ("reception_day", grassroots.ReceptionDay), ("reception_booking", grassroots.ReceptionBooking),
            ("contact", grassroots.Contact), ("mediation", grassroots.MediationCase),
            ("enterprise", grassroots.Enterprise), ("pairing", grassroots.Pairing), ("demand", grassroots.Demand),
            ("field_visit", grassroots.FieldVisit), ("pairing_visit", grassroots.PairingVisit),
            ("assignment", grassroots.Assignment))


ORGLIFE_FIELDS = {"minutes": "越权填写的会议记录，内容足够长。", "starts_at": "2026-11-20T09:00", "place": "越权会议室",
                  "start": "2026-11-01", "end": "2026-11-30"}


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
        "body": "越权正文{ledger.problems}", "template": victims["briefing_template"].pk,
        "series": victims["briefing"].series_id, "indicator_code": "ledger.problems", "accept": "on",
        f"f{victims['report_figure'].pk}-indicator_code": "ledger.problems", f"f{victims['report_figure'].pk}-accept": "on",
        "owner_name": "越权", "planned_start": "2026-01-01", "planned_end": "2027-01-01", "start_date": "2026-01-01",
        "end_date": "2027-01-01", "hq_name": "越权指挥部", "branch_name": "越权临时党支部", "duties": "越权职责",
        "holder_name": "越权", "points": 5, "month": "2026-11", "project": victims["project"].pk,
        "person_name": "越权", "contacted_on": "2026-11-01", "matter": "越权事项", "outcome": "越权", "held_on": "2026-11-01",
        "notes": "越权记录", "visited_on": "2026-11-01", "place": "越权地点", "report": "越权报告", "proposals": "越权建议",
        "leader_title": "越权", "date": "2027-01-01", "starts_at": "09:00", "ends_at": "11:00", "slot_minutes": 30,
        "credit_code": "91350205MA31XXXX0Q", "enterprise": victims["enterprise"].pk, "slot": "09:00", "hours": 1,
        "parties": "甲、乙", "opened_on": "2026-11-01", "starts_on": "2026-11-01", "ends_on": "2027-11-01",
        "cadre": victims["cadre"].pk, "field": "urban",
        "room": victims["room"].pk, "day": "2027-01-04", "start": "09:00", "end": "10:00", "purpose": "越权活动",
        "attendees": 3, "booker_kind": "resident", "lecturer": victims["lecturer"].pk, "attendance": 9,
        "summary": "越权送菜", "score": 1, "group_name": "越权点菜", "expected_audience": 9,
        "capacity": 9, "team": victims["team"].pk, "minutes": 30, "audience": "越权",
        "community": target.pk, "proof_text": "越权完成", "claimants_needed": 1, "served_on": "2026-11-01",
        "description": "越权需求", "branch": victims["claim"].org_id, "form": "service",
        "service-community": target.pk, "service-member": victims["member"].pk, "service-kind": "community",
        "service-title": "越权服务", "service-served_on": "2026-11-01", "service-hours": 2,
        "branch-branch": cast.orgs["agency"].pk, "branch-community": target.pk,
        "catalogue": "org_building", "period_start": "2026-07-01", "period_end": "2026-09-30",
        "publish": True, "answer": "越权答复", "entry": victims["entry"].pk,
        "column": victims["article"].column_id, "daily_digest": True,
        f"status_{victims['member'].pk}": "present", "token": victims["meeting"].sign_in_token, "topics": "越权议题",
        "config": '{"threshold": 5}', "item": victims["item"].pk, "evidence": "越权评分",
        "income": "5000", "paid_amount": "100", "paid_on": "2026-11-02", "lapses": "越权通报",
        "commendations": "越权表扬", "closing": "越权要求", "plan": "越权整顿方案", "effective_from": "2026-11",
        "table": "0,5", "target_level": "branch", "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-0-name": "越权项目", "items-0-max_score": "10", "items-0-method": "assessor", "stars-TOTAL_FORMS": "0",
        "stars-INITIAL_FORMS": "0",
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
    series = BriefingSeries.objects.create(org=org, org_path=org.path, name=f"{org.short_name}简报", issuer=org.name)
    template = BriefingTemplate.objects.create(org=org, org_path=org.path, name=f"{org.short_name}模板",
                                               title=f"{org.short_name}简报", body=f"{org.short_name}梳理问题{{ledger.problems}}")
    briefing = Briefing.objects.create(org=org, org_path=org.path, series=series, template=template,
                                       title=f"{org.short_name}工作简报", body=template.body)
    figure = BriefingFigure.objects.create(briefing=briefing, code="ledger.problems", name="梳理问题", unit="个",
                                           definition="", org=org, org_path=org.path, value=1,
                                           record_model="ledger.Problem", record_ids=[problem.pk], record_count=1,
                                           computed_at=now)
    report = SubmittedReport.objects.create(org=org, org_path=org.path, title=f"{org.short_name}报送材料",
                                            file_name="report.txt", encoding="utf-8", text=f"{org.short_name}梳理问题5个")
    report_figure = ReportFigure.objects.create(report=report, value=5, unit="个", qualifier="exact", phrase="梳理问题",
                                                sentence=f"{org.short_name}梳理问题5个", start=0, end=3)
    campaign = Campaign.objects.create(org=org, org_path=org.path, name=f"{org.short_name}人居环境专项行动",
                                       start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31))
    project = Project.objects.create(campaign=campaign, org=org, org_path=org.path, number=1, owner_name=member.name,
                                     name=f"{org.short_name}口袋公园建设", planned_start=datetime.date(2026, 1, 1),
                                     planned_end=datetime.date(2026, 12, 31), latitude=24.5, longitude=118.0)
    post = Post.objects.create(project=project, org=org, org_path=org.path, name="施工协调岗", duties="协调施工",
                               holder_name=member.name)
    task = Task.objects.create(campaign=campaign, project=project, org=org, org_path=org.path, post=post,
                               name=f"{org.short_name}口袋公园完成征迁", owner_name=member.name,
                               planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2026, 3, 1),
                               deadline=datetime.date(2026, 3, 1), status="in_progress", percent=40)
    milestone = Milestone.objects.create(task=task, name="完成方案", due_on=datetime.date(2026, 2, 1))
    victims = {"org": org, "member": member, "transfer": transfer, "job": job, "problem": problem, "measure": measure,
               "request": request, "dispatch": dispatch, "suggestion": suggestion, "briefing": briefing,
               "briefing_template": template, "briefing_figure": figure, "report": report, "report_figure": report_figure,
               "campaign": campaign, "project": project, "task": task, "post": post, "milestone": milestone}
    # Venues and the lecture menu: names are public (the directory and the menu), bookings and orders are not.
    booker = cast.user("member") if side == "xinyang" else cast.user("outsider")
    venue = Venue.objects.create(org=org, org_path=org.path, name=f"巡检第{org.pk}党群服务中心", level="community",
                                 address=f"巡检路{org.pk}号", latitude=24.48, longitude=118.03,
                                 opens_at=datetime.time(8), closes_at=datetime.time(21))
    room = Room.objects.create(venue=venue, name="巡检活动室", capacity=30)
    start = now + datetime.timedelta(days=3)
    booking = Booking.objects.create(org=org, org_path=org.path, number=f"YYWALK{org.pk:06d}", room=room, booker=booker,
                                     booker_label="巡检预约人", purpose=f"{org.short_name}党员读书会", attendees=9,
                                     starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                                     booked_on=start.date(), minutes=60, status="pending")
    BookingSlot.objects.create(room=room, starts_at=start, booking=booking)
    team = LectureTeam.objects.create(org=org, org_path=org.path, name=f"巡检第{org.pk}宣讲团")
    lecturer = Lecturer.objects.create(team=team, org=org, org_path=org.path, name="巡检宣讲员")
    lecture_topic = Topic.objects.create(team=team, org=org, org_path=org.path, title=f"巡检题目{org.pk}", summary="巡检",
                                         minutes=60, audience="居民")
    lecture_order = LectureOrder.objects.create(
        org=org, org_path=org.path, number=f"XJWALK{org.pk:06d}", topic=lecture_topic, team=team, orderer=booker,
        group_name=f"{org.short_name}老年协会点菜", starts_at=start, ends_at=start + datetime.timedelta(hours=1),
        place=f"{org.short_name}活动广场东侧", expected_audience=30, status="ordered")
    victims.update({"venue": venue, "room": room, "booking": booking, "team": team, "lecturer": lecturer,
                    "lecture_topic": lecture_topic, "lecture_order": lecture_order})
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
    victims.update({"need": need, "claim": claim, "dual_report": dual_report, "service_record": service_record})
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
    victims.update({"publication": publication, "question": question, "article": article, "contest": contest,
                    "entry": entry, "message": message, "study_list": study_list})
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
    victims.update({"meeting": meeting, "photo": photo, "alert": alert, "period": period, "item": item, "scheme": scheme,
                    "circular": circular, "dues": dues, "weak_lax": weak_lax})
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
            "reception_booking": booking, "contact": contact, "mediation": mediation, "enterprise": enterprise, "pairing": pairing,
            "pairing_visit": pairing_visit, "demand": demand, "assignment": assignment}


def markers_by_area(victims: dict) -> dict[str, list[str]]:
    """Text and numbers of the victim's own records per staff area, which no page of another subtree may show."""
    return {
        "voices/": [victims["request"].number, victims["request"].text, victims["suggestion"].text],
        "campaigns/": [victims["task"].name, victims["project"].name],
        "claims/": [victims["need"].title, victims["claim"].proof_text],
        "publicity/": [victims["publication"].title, victims["question"].text, victims["article"].title],
        "venues/": [victims["booking"].number, victims["booking"].purpose],
        "lectures/": [victims["lecture_order"].number, victims["lecture_order"].group_name,
                      victims["lecture_order"].place],
    }


def orglife_markers(victims: dict) -> list[str]:
    """Text of the victim's meetings, alerts and circulars (organisational life and assessment)."""
    return [victims["meeting"].title, victims["alert"].detail, victims["circular"].title]


def record_markers(victims: dict) -> list[str]:
    return [marker for markers in markers_by_area(victims).values() for marker in markers]


def grassroots_markers(victims: dict) -> list[str]:
    return [victims["topic"].title, victims["reception_booking"].matter, victims["contact"].matter, victims["mediation"].title,
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
                                      *record_markers(victims), *grassroots_markers(victims), *orglife_markers(victims),
                                      victims["entry"].title, victims["message"].subject]
    walker = cast.user(user_name)
    client = client_for(walker)
    routes = all_routes()
    assert len(routes) >= 5, routes
    leaks, writes = [], []
    query = (f"?org={victims['org'].pk}&parent={victims['org'].pk}&under={victims['org'].pk}"
             f"&member={victims['member'].pk}&problem={victims['problem'].pk}&indicator=ledger.problems")
    for route in routes:
        url = fill(route, victims)
        for suffix in ("", query):
            response = client.get(url + suffix)
            if response.status_code == 200 and not route.startswith(PUBLIC_PREFIXES) and route not in PUBLIC_ROUTES:
                text = body_text(response)
                found = [marker for marker in markers if marker and marker in text]
                if found:
                    leaks.append(f"GET {url + suffix} → {found}")
        before = fingerprint(victims, walker)  # after the GETs: a GET may audit itself (exports do)
        bodies = [payload(victims, cast)]
        if route.startswith(("orglife/", "assessment/", "api/orglife/", "api/assessment/")):
            # Fields other modules name alike: meeting minutes are text, periods are dates.
            bodies.append({**bodies[0], **ORGLIFE_FIELDS})
        if (route.endswith(NAMED_ACTION_SEGMENTS) or route.startswith(NAMED_ACTION_PREFIXES)) and "<" in route:
            # Workflow routes act on a named transition: try each, so an unscoped one would succeed.
            bodies += [{**bodies[0], "name": name, "action": name, "transition": name} for name in TRANSITION_NAMES]
        for method in ("put", "patch", "delete"):
            getattr(client, method)(url, data=json.dumps(bodies[0]), content_type="application/json")
        for data in bodies:
            if route.startswith("api/"):
                client.post(url, data=json.dumps(data), content_type="application/json")
            else:
                client.post(url, data=data)
        if fingerprint(victims, walker) != before:
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
    for area, markers in markers_by_area(victims).items():
        area_routes = [route for route in all_routes() if route.startswith(area)]
        shown = " ".join(body_text(client.get(fill(route, victims))) for route in area_routes)
        assert all(marker in shown for marker in markers) or not area_routes, area
    orglife_routes = [route for route in all_routes() if route.startswith(("orglife/", "assessment/"))]
    shown = " ".join(body_text(client.get(fill(route, victims))) for route in orglife_routes)
    assert all(marker in shown for marker in orglife_markers(victims)) or not orglife_routes
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

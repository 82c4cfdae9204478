import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from yuntu.accounts.models import AuditEntry, RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.ledger import demo as ledger_demo
from yuntu.ledger import selectors as ledger_selectors
from yuntu.ledger.models import Measure
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level, Org, Resident, Sector
from yuntu.voices import demo, notifications, selectors
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, Suggestion, SuggestionDrive
from yuntu.voices.workflow import OPEN_STATUSES, STAGE_OF_STATUS, DispatchStatus, Rating, RequestStatus, Stage

SMALL = 240  # requests in the small tree: enough for every stage


@pytest.fixture
def small_district(db):
    """A small Haicang with organs, communities placed on the map, a department handler and a resident."""
    superuser = User.objects.create_superuser("voices-demo-root", "", "Yuntu-test-2026")

    def org(parent, name, level, latitude=None, longitude=None, **extra):
        created = org_services.org_create(actor=superuser, parent=parent, name=name, level=level, **extra)
        if latitude is not None:  # a place on the map, as the demo generator gives communities
            Org.objects.filter(pk=created.pk).update(latitude=latitude, longitude=longitude)
            created.refresh_from_db()
        return created

    root = org(None, "中共厦门市海沧区委员会（演示）", Level.DISTRICT, sector=Sector.AGENCY, division_code="350205",
               latitude=Decimal("24.48"), longitude=Decimal("118.03"))
    organs = org(root, "中共海沧区直属机关工作委员会", Level.STREET, sector=Sector.AGENCY)
    branches = {}
    for name in ("城市管理局", "建设与交通局", "生态环境分局", "应急管理局"):
        branches[name] = org(organs, f"海沧区{name}机关党支部", Level.BRANCH, sector=Sector.AGENCY, short_name=f"海沧区{name}")
    places = {"海虹社区": (24.44, 118.05), "囷瑶村": (24.43, 118.08), "东屿社区": (24.47, 118.07), "新垵村": (24.50, 118.02)}
    communities = []
    for street_name, code, names in (("海沧街道", "350205001", ["海虹社区", "囷瑶村"]), ("新阳街道", "350205003", ["东屿社区", "新垵村"])):
        street = org(root, f"中共海沧区{street_name}工作委员会", Level.STREET, short_name=street_name, division_code=code)
        for name in names:
            lat, lon = places[name]
            community = org(street, f"中共{street_name}{name}委员会", Level.COMMUNITY, short_name=name,
                            sector=Sector.VILLAGE if name.endswith("村") else Sector.COMMUNITY,
                            latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))
            org(community, f"{name}第一党支部", Level.BRANCH, sector=Sector.COMMUNITY)
            communities.append(community)
    officer = User.objects.create_user("voices-demo-officer", password="Yuntu-test-2026", display_name="区委组织部")
    RoleGrant.objects.create(user=officer, role=Role.DISTRICT_OFFICER, org=root, org_path=root.path)
    handler = User.objects.create_user("voices-demo-handler", password="Yuntu-test-2026", display_name="城管局经办人")
    agency = branches["城市管理局"]
    RoleGrant.objects.create(user=handler, role=Role.DEPARTMENT_HANDLER, org=agency, org_path=agency.path)
    resident = User.objects.create_user("voices-demo-resident", password="Yuntu-test-2026", display_name="居民陈女士")
    Resident.objects.create(user=resident, community=communities[0])
    ledger_demo.generate_ledger(root)
    return {"root": root, "officer": officer, "branches": branches, "communities": communities, "resident": resident}


def generate(small_district, **options):
    return demo.generate_voices(small_district["root"], requests=SMALL, **options)


def test_the_season_has_every_stage_and_haicangs_suggestions(small_district):
    root, officer = small_district["root"], small_district["officer"]
    ledger_before = ledger_selectors.ledger_figures(officer, org=root)
    result = generate(small_district)
    assert result.created and result.requests == SMALL
    requests = Request.objects.filter(org_path__under=root.path)
    assert requests.count() == SMALL
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert {STAGE_OF_STATUS[status] for status in requests.values_list("status", flat=True)} == set(Stage)
    assert requests.filter(reopened_count=1, status=RequestStatus.HANDLING).exists()
    assert requests.filter(reopened_count=1, status=RequestStatus.RATED).exists()
    assert set(requests.exclude(rating="").values_list("rating", flat=True)) == set(Rating.values)
    assert set(Dispatch.objects.filter(request__in=requests).values_list("status", flat=True)) == set(DispatchStatus.values)
    assert len(set(requests.values_list("channel", flat=True))) == 5
    assert requests.filter(resident=small_district["resident"]).exists()
    # Places: every request in a community, near Haicang (24.48 N, 118.03 E, within ±0.1°).
    assert set(requests.values_list("org_id", flat=True)) <= {org.pk for org in small_district["communities"]}
    for latitude, longitude in requests.values_list("latitude", "longitude"):
        assert abs(float(latitude) - 24.48) < 0.1 and abs(float(longitude) - 118.03) < 0.1
    # Dispatches go to the organs' branches the categories name.
    branches = small_district["branches"]
    assert set(Dispatch.objects.values_list("org_id", flat=True)) <= {org.pk for org in branches.values()}
    assert Category.objects.get(code="sanitation").responsible_org == branches["城市管理局"]
    assert Category.objects.get(code="noise").responsible_org == branches["生态环境分局"]
    assert Category.objects.get(code="other").responsible_org is None
    # Some open items are past their deadline; part were escalated, the rest wait for the command.
    overdue = requests.filter(status__in=OPEN_STATUSES, resolve_due__lt=clock.now())
    assert overdue.filter(escalated_at__isnull=False).exists() and overdue.filter(escalated_at__isnull=True).exists()
    # 796 suggestions, 384 adopted, each linked to its own existing measure; the ledger's figures unchanged.
    figures = selectors.suggestion_figures(officer, org=root)
    assert figures == {"collected": 796, "adopted": 384, "measures": 384}
    assert SuggestionDrive.objects.get(org=root).title == "我为高质量发展献良策"
    adopted = Suggestion.objects.filter(status=Suggestion.Status.ADOPTED).select_related("measure")
    assert all(suggestion.measure.org_path.startswith(root.path) for suggestion in adopted)
    assert all(suggestion.org_id == suggestion.measure.org_id for suggestion in adopted)
    assert ledger_selectors.ledger_figures(officer, org=root) == ledger_before
    assert (ledger_before["all"]["problems"], ledger_before["all"]["measures"], ledger_before["all"]["measures_completed"]) == (
        547, 1035, 720)
    assert Measure.objects.filter(org_path__under=root.path).count() == 1035


def test_the_season_is_consistent(small_district):
    generate(small_district)
    now = clock.now()
    requests = Request.objects.prefetch_related("events", "dispatches").select_related("merged_into")
    for request in requests:
        events = list(request.events.order_by("occurred_at", "id"))
        assert events[0].action == "submit" and events[0].occurred_at == request.submitted_at
        assert all(event.occurred_at <= now for event in events)
        assert [event.occurred_at for event in events] == sorted(event.occurred_at for event in events)
        assert request.answer_due <= request.resolve_due or request.reopened_count
        if request.status in (RequestStatus.PUBLISHED, RequestStatus.RATED):
            assert request.reply and request.answered_at
            assert not request.dispatches.filter(status__in=[DispatchStatus.PENDING, DispatchStatus.ACCEPTED]).exists()
        if request.status == RequestStatus.RATED:
            assert request.rating and request.rated_at
        if request.status == RequestStatus.MERGED:
            target = request.merged_into
            assert target.org_id == request.org_id and target.category_id == request.category_id
            assert target.submitted_at <= request.submitted_at and target.status != RequestStatus.MERGED
        if request.status == RequestStatus.DECLINED:
            assert request.decline_reason
        if request.status == RequestStatus.DISPATCHED:
            assert request.dispatches.exists()
    assert not Dispatch.objects.filter(status=DispatchStatus.REPLIED, reply="").exists()
    assert not Dispatch.objects.filter(status=DispatchStatus.RETURNED, hand_back_reason="").exists()
    numbers = list(Request.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    figures = selectors.voices_figures(Request.objects.all())
    assert 60 <= figures["on_time_rate"] <= 98 and 75 <= figures["satisfaction_rate"] <= 100


def test_the_escalation_has_work_in_the_demo(small_district):
    generate(small_district)
    report = notifications.escalate_overdue(sender=notifications.ConsoleSender(StringIO()))
    assert report.overdue > 0 and report.escalated == report.overdue  # the district officer is above every community
    assert report.departments and all(row["name"].endswith("机关党支部") for row in report.departments)
    assert report.reminded_dispatches == Dispatch.objects.filter(
        org__name="海沧区城市管理局机关党支部", status__in=[DispatchStatus.PENDING, DispatchStatus.ACCEPTED],
        deadline__lt=clock.now()).count()


def test_the_generator_is_idempotent_and_audited_once(small_district):
    generate(small_district)
    counts = (Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
              Category.objects.count(), AuditEntry.objects.count())
    again = generate(small_district)
    assert not again.created and again.figures["suggestions"]["collected"] == 796
    assert (Request.objects.count(), Dispatch.objects.count(), RequestEvent.objects.count(), Suggestion.objects.count(),
            Category.objects.count(), AuditEntry.objects.count()) == counts
    assert AuditEntry.objects.filter(action=demo.AUDIT_ACTION, object_id=str(small_district["root"].pk)).count() == 1


@pytest.mark.parametrize("moment", ["2026-06-09T01:27:25", "2026-06-19T14:01:34", "2026-12-02T21:17:00"])
def test_every_stage_shows_whatever_the_moment(small_district, moment):
    """The season is drawn back from `now`, so office hours and evenings change its draws; at the first two
    moments chance alone left out a reopened-and-rated item or a dispatch handed back."""
    now = timezone.make_aware(datetime.datetime.fromisoformat(moment))
    generate(small_district, now=now)
    requests = Request.objects.filter(org_path__under=small_district["root"].path)
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(Dispatch.objects.filter(request__in=requests).values_list("status", flat=True)) == set(DispatchStatus.values)
    assert requests.filter(reopened_count=1, status=RequestStatus.HANDLING).exists()
    assert requests.filter(reopened_count=1, status=RequestStatus.RATED).exists()


def test_the_same_seed_gives_the_same_season(small_district):
    # The season is laid out back from `now` (office hours, evenings), so both runs take the same moment.
    now = clock.now()
    generate(small_district, now=now)
    first = list(Request.objects.order_by("number").values_list("number", "text", "status", "org_id"))
    adopted = list(Suggestion.objects.filter(status="adopted").order_by("measure_id").values_list("measure_id", flat=True))
    generate(small_district, now=now, reset=True)
    second = list(Request.objects.order_by("number").values_list("number", "text", "status", "org_id"))
    assert [row[1:] for row in first] == [row[1:] for row in second]
    assert list(Suggestion.objects.filter(status="adopted").order_by("measure_id").values_list("measure_id", flat=True)) == adopted
    assert Suggestion.objects.count() == 796 and SuggestionDrive.objects.count() == 1


def test_without_the_ledger_the_generator_says_so(small_district):
    Measure.objects.filter(org_path__under=small_district["root"].path).update(org_path="zzzz")
    with pytest.raises(demo.DemoVoicesError, match="请先运行 manage.py demo_ledger"):
        generate(small_district)
    assert not Request.objects.exists() and not Suggestion.objects.exists()


def test_items_entered_by_hand_are_not_overwritten(small_district):
    from yuntu.voices import services

    category = Category.objects.create(code="lamp", name="路灯")
    services.request_submit(community=small_district["communities"][0], category=category, text="手工录入的诉求")
    with pytest.raises(demo.DemoVoicesError, match="已有1件诉求"):
        generate(small_district)
    assert Request.objects.count() == 1


def test_the_command_prints_the_figures(small_district):
    out = StringIO()
    call_command("demo_voices", "--root", str(small_district["root"].pk), "--requests", str(SMALL), stdout=out)
    text = out.getvalue()
    assert f"生成群众诉求{SMALL}件" in text and "收集建议796条，采纳384条，转化为整改措施384项" in text
    assert "满意率" in text and "已吹哨" in text
    out = StringIO()
    call_command("demo_voices", "--root", str(small_district["root"].pk), stdout=out)
    assert "已存在，未重复生成" in out.getvalue()
    with pytest.raises(CommandError, match="不存在"):
        call_command("demo_voices", "--root", "987654", stdout=StringIO())


def test_the_demo_requests_are_spread_over_the_season(small_district):
    generate(small_district)
    dates = Request.objects.values_list("submitted_at", flat=True)
    assert min(dates) < clock.now() - datetime.timedelta(days=80) and max(dates) > clock.now() - datetime.timedelta(days=3)
    per_community = Request.objects.values("org_id").annotate(n=Count("id"))
    assert len(per_community) == 4 and min(row["n"] for row in per_community) >= 30

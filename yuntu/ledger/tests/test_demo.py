import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yuntu.accounts.models import AuditEntry, RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.ledger import demo, selectors
from yuntu.ledger.models import LedgerEvent, Measure, Problem
from yuntu.ledger.workflow import OPEN_MEASURE_STATUSES, MeasureStatus, ProblemStatus
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level, Org, Sector


@pytest.fixture
def small_district(db):
    """A small Haicang: the root (350205), two streets, the organs' committee, communities and a few branches."""
    superuser = User.objects.create_superuser("ledger-demo-root", "", "Yuntu-test-2026")

    def org(parent, name, level, **extra):
        return org_services.org_create(actor=superuser, parent=parent, name=name, level=level, **extra)

    root = org(None, "中共厦门市海沧区委员会（演示）", Level.DISTRICT, sector=Sector.AGENCY, division_code="350205")
    organs = org(root, "中共海沧区直属机关工作委员会", Level.STREET, sector=Sector.AGENCY)
    org(organs, "海沧区城市管理局机关党支部", Level.BRANCH, sector=Sector.AGENCY)
    soes = org(root, "中共海沧区国有企业工作委员会", Level.STREET, sector=Sector.SOE)
    org(soes, "海沧城建集团第一党支部", Level.BRANCH, sector=Sector.SOE)
    for street_name, code, communities in (("海沧街道", "350205001", ["海虹社区", "囷瑶村"]),
                                           ("嵩屿街道", "350205003", ["东屿社区", "新垵村"])):
        street = org(root, f"中共海沧区{street_name}工作委员会", Level.STREET, short_name=street_name, division_code=code)
        for community_name in communities:
            community = org(street, f"中共{street_name}{community_name}委员会", Level.COMMUNITY, short_name=community_name,
                            sector=Sector.VILLAGE if community_name.endswith("村") else Sector.COMMUNITY)
            org(community, f"{community_name}第一党支部", Level.BRANCH, sector=Sector.COMMUNITY)
    officer = User.objects.create_user("ledger-demo-officer", password="Yuntu-test-2026", display_name="区委组织部")
    RoleGrant.objects.create(user=officer, role=Role.DISTRICT_OFFICER, org=root, org_path=root.path)
    return root, officer


def test_the_demo_ledger_reproduces_haicangs_figures(small_district):
    root, officer = small_district
    result = demo.generate_ledger(root)
    assert result.created
    figures = selectors.ledger_figures(officer, org=root)
    assert (figures["all"]["problems"], figures["all"]["measures"], figures["all"]["measures_completed"]) == (547, 1035, 720)
    assert figures["county"]["measures"] == 525 and figures["county"]["measures_completed"] == 388
    assert figures["grassroots"]["measures"] == 510 and figures["grassroots"]["measures_completed"] == 332
    assert round(figures["county"]["completion_rate"]) == 74 and round(figures["grassroots"]["completion_rate"]) == 65
    assert figures == result.figures
    assert demo.pushed_rollup(root, officer) == {"problems": 32, "measures": 67, "problems_closed": 14,
                                                 "measures_completed": 41}
    # A share is overdue; some items are sent back, some problems closed and some reopened.
    assert 30 <= figures["all"]["measures_overdue"] <= 200
    problems = Problem.objects.filter(org_path__under=root.path)
    assert problems.filter(status=ProblemStatus.RETURNED).exists() and problems.filter(status=ProblemStatus.SUBMITTED).exists()
    assert problems.filter(status=ProblemStatus.CLOSED).count() == figures["all"]["problems_closed"] > 100
    assert LedgerEvent.objects.filter(problem__in=problems, action="reopen", measure__isnull=True).exists()
    assert Measure.objects.filter(org_path__under=root.path, status=MeasureStatus.RETURNED).exclude(last_reason="").exists()
    assert set(problems.values_list("source", flat=True)) == {"inspection", "research", "residents", "self_inspection", "upper"}
    assert set(problems.values_list("category", flat=True)) == {"development", "party_building", "livelihood",
                                                                 "governance", "conduct"}
    assert len(set(problems.values_list("org_id", flat=True))) >= 10


def test_the_demo_ledger_is_consistent(small_district):
    root, _ = small_district
    demo.generate_ledger(root)
    problems = Problem.objects.filter(org_path__under=root.path)
    for problem in problems.filter(status=ProblemStatus.CLOSED):
        assert problem.closed_at and not problem.measures.exclude(status=MeasureStatus.VERIFIED).exists()
    assert not problems.filter(status__in=[ProblemStatus.SUBMITTED, ProblemStatus.RETURNED],
                               measures__status__in=[MeasureStatus.IN_PROGRESS, MeasureStatus.VERIFIED]).exists()
    for problem in problems.select_related("org")[:100]:
        assert problem.org_path == problem.org.path and problem.level_class == demo.level_class_of(problem.org)
        assert problem.events.first().action == "create"
    measures = Measure.objects.filter(org_path__under=root.path).select_related("problem")
    assert all(measure.level_class == measure.problem.level_class for measure in measures)
    assert all(measure.verified_at for measure in measures.filter(status=MeasureStatus.VERIFIED))
    assert not measures.filter(status__in=OPEN_MEASURE_STATUSES, verified_at__isnull=False).exists()
    today = clock.today() + datetime.timedelta(days=1)
    assert not problems.filter(found_on__gt=today).exists()
    stale = selectors.stale_measures().filter(org_path__under=root.path).count()
    assert stale > 0  # the biweekly reminder has owners to remind


def test_the_generator_is_idempotent_and_audited_once(small_district):
    root, _ = small_district
    demo.generate_ledger(root)
    counts = (Problem.objects.count(), Measure.objects.count(), LedgerEvent.objects.count(), AuditEntry.objects.count())
    again = demo.generate_ledger(root)
    assert not again.created and again.figures["all"]["problems"] == 547
    assert (Problem.objects.count(), Measure.objects.count(), LedgerEvent.objects.count(),
            AuditEntry.objects.count()) == counts
    assert AuditEntry.objects.filter(action=demo.AUDIT_ACTION, object_id=str(root.pk)).count() == 1


def test_the_same_seed_gives_the_same_ledger(small_district):
    root, _ = small_district
    now = clock.now()  # dates are laid out back from `now`: both runs take the same moment
    demo.generate_ledger(root, now=now)
    first = list(Problem.objects.filter(org_path__under=root.path).order_by("id").values_list("title", "org_id", "status"))
    demo.generate_ledger(root, now=now, reset=True)
    second = list(Problem.objects.filter(org_path__under=root.path).order_by("id").values_list("title", "org_id", "status"))
    assert first == second


def test_the_command_prints_the_figures(small_district):
    root, _ = small_district
    out = StringIO()
    call_command("demo_ledger", "--root", str(root.pk), stdout=out)
    text = out.getvalue()
    assert "全区梳理问题547个，制定整改措施1035项，完成720项" in text
    assert "县处级以上单位完成率74%" in text and "基层党组织完成率65%" in text
    assert "下发问题32个，整改措施67条，已完成问题整改14个、整改措施41条" in text


def test_the_command_finds_the_largest_haicang_root(small_district):
    root, _ = small_district
    assert demo.find_demo_root() == root  # larger than the test cast's own Haicang


def test_without_a_demo_district_the_command_says_so(small_district):
    Org.objects.filter(division_code="350205").update(division_code="350206")
    with pytest.raises(CommandError, match="没有找到演示区"):
        call_command("demo_ledger", stdout=StringIO())


def test_a_hand_entered_ledger_is_not_overwritten(small_district):
    root, officer = small_district
    street = Org.objects.get(name="中共海沧区嵩屿街道工作委员会")
    from yuntu.ledger import services

    services.problem_create(actor=officer, org=street, title="手工填报的问题", source="residents", category="livelihood",
                            found_on=datetime.date(2026, 10, 1))
    with pytest.raises(demo.DemoLedgerError, match="已有1个问题"):
        demo.generate_ledger(root)
    assert Problem.objects.filter(org_path__under=root.path).count() == 1


def test_the_bench_ledger_is_spread_over_the_tree_and_reused(small_district):
    root, officer = small_district
    result = demo.generate_bench_ledger(root, measures=400)
    assert result.created and 300 <= result.measures <= 500
    assert Measure.objects.filter(org_path__under=root.path).count() == result.measures
    # paths and level classes follow the services' rules, so every figure is consistent
    for measure in Measure.objects.filter(org_path__under=root.path).select_related("org", "problem"):
        assert measure.org_path == measure.org.path
        assert measure.level_class == ("county" if measure.problem.org.depth <= 2 else "grassroots")
    figures = selectors.ledger_figures(officer, org=root)
    assert figures["all"]["measures"] == result.measures
    assert len({row["child_path"] for row in selectors.unit_ranking(officer, org=root)}) >= 3
    again = demo.generate_bench_ledger(root, measures=400)
    assert not again.created and again.measures == result.measures

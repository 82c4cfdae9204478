"""Roll-ups per org and month: the services keep them as a rebuild would, and figures read from them
equal the count of their records for any period, subtree and breakdown."""

import datetime

import pytest
from django.core.management import call_command

from yuntu.indicators import registry, rollups
from yuntu.indicators.figures import Figures, prefetch_children
from yuntu.indicators.registry import Scope
from yuntu.indicators.testing import build_figures_data
from yuntu.ledger import rollups as ledger_rollups
from yuntu.ledger import services as ledger
from yuntu.ledger.models import LedgerCount
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Org
from yuntu.voices import rollups as voices_rollups
from yuntu.voices import services as voices
from yuntu.voices.models import Category, VoicesCount

DEADLINE = datetime.date(2026, 12, 31)
CODES = ["ledger.problems", "ledger.problems_closed", "ledger.measures", "ledger.measures_completed",
         "voices.requests", "voices.requests_resolved", "voices.requests_answered", "voices.requests_on_time",
         "voices.requests_rated", "voices.requests_satisfied", "voices.suggestions", "voices.suggestions_adopted"]


def _ledger_story(cast) -> None:
    """Problems and measures through their whole life, a problem's date moved, a problem pushed down."""
    secretary, inspector, officer = cast.user("branch_secretary"), cast.user("inspector"), cast.user("district_officer")
    problem = ledger.problem_create(actor=secretary, org=cast.orgs["branch"], title="小区消防通道被占用",
                                    source="residents", category="livelihood", found_on=datetime.date(2026, 10, 8))
    ledger.problem_transition(actor=inspector, problem=problem, name="send_back", reason="问题选取不够精准")
    kept = ledger.measure_add(actor=secretary, problem=problem, text="清理占道车辆并施划禁停标线",
                              responsible_person="王建国", deadline=DEADLINE)
    ledger.measure_add(actor=secretary, problem=problem, text="建立消防通道每周巡查制度", responsible_person="李梅",
                       deadline=DEADLINE, org=cast.orgs["branch"])
    ledger.problem_update(actor=secretary, problem=problem, found_on=datetime.date(2026, 9, 28))  # moves month
    ledger.problem_transition(actor=secretary, problem=problem, name="resubmit")
    ledger.problem_transition(actor=inspector, problem=problem, name="approve")
    for name in ("approve", "report_done", "verify"):
        ledger.measure_transition(actor=inspector if name != "report_done" else secretary, measure=kept, name=name)
    ledger.measure_transition(actor=inspector, measure=kept, name="reopen", reason="整改后又出现占道")
    ledger.measure_transition(actor=secretary, measure=kept, name="report_done")
    ledger.measure_transition(actor=inspector, measure=kept, name="verify")
    upper = ledger.problem_create(actor=officer, org=cast.orgs["street"], title="老旧小区加装电梯推进慢",
                                  source="inspection", category="livelihood", found_on=datetime.date(2026, 11, 2))
    ledger.problem_push_down(actor=officer, problem=upper, orgs=[cast.orgs["community"]])


def _voices_story(cast) -> None:
    """Requests answered on time, rated, reopened, merged; suggestions adopted and declined."""
    category = Category.objects.create(code="lamp", name="路灯照明", responsible_org=cast.orgs["agency"],
                                       answer_days=1, resolve_days=5)
    secretary, resident = cast.user("community_secretary"), cast.user("resident")

    def submit(text):
        return voices.request_submit(community=cast.orgs["community"], category=category, text=text, resident=resident)

    first, second, duplicate = submit("兴旺小区门口路灯不亮"), submit("3号楼楼道灯坏了"), submit("小区门口路灯坏了")
    voices.request_transition(actor=secretary, request=duplicate, name="merge", target=first)
    voices.request_dispatch(actor=secretary, request=first, departments=[cast.orgs["agency"]], days=3)
    dispatch = first.dispatches.get()
    voices.dispatch_transition(actor=cast.user("department_handler"), dispatch=dispatch, name="accept")
    voices.dispatch_transition(actor=cast.user("department_handler"), dispatch=dispatch, name="reply", reply="已更换")
    voices.request_transition(actor=secretary, request=first, name="publish", reply="城管局已更换路灯。")
    voices.request_transition(actor=resident, request=first, name="rate", rating="satisfied")
    voices.request_transition(actor=secretary, request=second, name="handle")
    voices.request_transition(actor=secretary, request=second, name="publish", reply="已修复")
    voices.request_transition(actor=resident, request=second, name="rate", rating="unsatisfied")
    voices.request_transition(actor=resident, request=second, name="reopen", reason="灯又坏了")
    adopted = voices.suggestion_submit(org=cast.orgs["community"], text="建议增设电动车充电桩", author=resident)
    declined = voices.suggestion_submit(org=cast.orgs["community"], text="建议把广场舞时间提前", author=resident)
    problem = ledger.problem_create(actor=cast.user("community_secretary"), org=cast.orgs["community"],
                                    title="电动车充电难", source="residents", category="livelihood",
                                    found_on=datetime.date(2026, 11, 3))
    voices.suggestion_adopt(actor=secretary, suggestion=adopted, problem=problem, measure_text="增设充电桩两处",
                            responsible_person="陈强", deadline=DEADLINE)
    voices.suggestion_decline(actor=secretary, suggestion=declined, response="已征求居民意见，暂维持现有时间")


def test_the_services_keep_the_roll_ups_as_a_rebuild_would(cast):
    _ledger_story(cast)
    _voices_story(cast)
    incremental = {rollup.model: rollups.rows(rollup) for rollup in (ledger_rollups.LEDGER, voices_rollups.VOICES)}
    branch = cast.orgs["branch"]
    september = LedgerCount.objects.get(org=branch, month=datetime.date(2026, 9, 1))
    assert (september.problems, september.problems_closed, september.measures, september.measures_completed) == (1, 0, 2, 1)
    assert not LedgerCount.objects.filter(org=branch, month=datetime.date(2026, 10, 1)).exclude(problems=0).exists()
    community = VoicesCount.objects.get(org=cast.orgs["community"])
    assert (community.requests, community.requests_resolved, community.requests_rated, community.requests_satisfied,
            community.suggestions, community.suggestions_adopted) == (2, 1, 1, 1, 2, 1)
    call_command("rollups_rebuild", stdout=open("/dev/null", "w"))
    rebuilt = {rollup.model: rollups.rows(rollup) for rollup in (ledger_rollups.LEDGER, voices_rollups.VOICES)}
    assert rebuilt == incremental
    assert all(incremental.values())


def test_a_moved_subtree_takes_its_roll_up_rows_along(cast):
    _ledger_story(cast)
    community = cast.orgs["community"]
    org_services.org_move(actor=cast.user("district_officer"), org=community, new_parent=cast.orgs["other_street"])
    community.refresh_from_db()
    moved = LedgerCount.objects.filter(org_path__under=community.path)
    assert moved.filter(org=community, problems=1).exists()  # the problem pushed down to the community
    for row in LedgerCount.objects.select_related("org"):
        assert row.org_path == row.org.path
    assert rollups.rows(ledger_rollups.LEDGER) == (ledger_rollups.rebuild() and rollups.rows(ledger_rollups.LEDGER))
    other = Scope(org_path=cast.orgs["other_street"].path)
    assert registry.value("ledger.problems", other) == registry.records_in(registry.get("ledger.problems"), other).count()


PERIODS = [(None, None), (datetime.date(2026, 9, 1), datetime.date(2026, 12, 1)),
           (datetime.date(2026, 9, 3), datetime.date(2026, 11, 25)),  # both ends inside a month
           (datetime.date(2026, 9, 25), datetime.date(2026, 11, 6)), (datetime.date(2026, 10, 5), datetime.date(2026, 10, 20)),
           (None, datetime.date(2026, 10, 13)), (datetime.date(2026, 6, 2), None)]


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_figures_from_roll_ups_equal_the_count_of_their_records(cast, start, end):
    build_figures_data(cast)
    _ledger_story(cast)
    _voices_story(cast)
    for key in ("district", "street", "community"):
        scope = Scope(org_path=cast.orgs[key].path, start=start, end=end)
        figures = Figures(scope)
        indicators = [registry.get(code) for code in CODES]
        prefetch_children(figures, indicators)
        for indicator in indicators:
            records = registry.records_in(indicator, scope)
            assert registry.value(indicator.code, scope) == records.count(), (indicator.code, key)
            assert figures.value(indicator) == records.count(), (indicator.code, key)
            expected_children = {}
            for path in records.exclude(**{indicator.path_field: scope.org_path}).values_list(
                    indicator.path_field, flat=True):
                child = path[:len(scope.org_path) + Org.steplen]
                expected_children[child] = expected_children.get(child, 0) + 1
            assert registry.values_by_child(indicator.code, scope, Org.steplen) == expected_children, indicator.code
            assert figures.by_child(indicator) == expected_children, indicator.code
            if start and end:
                months = registry.values_by_month(indicator.code, scope)
                for month, amount in months.items():
                    part = Scope(org_path=scope.org_path, start=max(month, start), end=min(registry.next_month(month), end))
                    assert amount == registry.records_in(indicator, part).count(), (indicator.code, month)


def test_rollup_pieces_cover_the_period_once():
    def days(pieces):
        covered = {}
        for sign, _, start, end in pieces:
            day = start
            while day < end:
                covered[day] = covered.get(day, 0) + sign
                day += datetime.timedelta(days=1)
        return {day for day, times in covered.items() if times}

    for start, end in [(datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)), (datetime.date(2026, 1, 2), datetime.date(2026, 3, 30)),
                       (datetime.date(2026, 1, 29), datetime.date(2026, 2, 3)), (datetime.date(2026, 1, 3), datetime.date(2026, 1, 9)),
                       (datetime.date(2025, 12, 20), datetime.date(2026, 1, 1))]:
        pieces = registry.rollup_pieces(start, end)
        assert days(pieces) == {start + datetime.timedelta(days=n) for n in range((end - start).days)}
        assert all(source == "rollup" or (end_ - start_).days <= 16 for _, source, start_, end_ in pieces)


@pytest.mark.django_db(transaction=True)
def test_concurrent_services_add_to_one_roll_up_row_without_losing_counts(cast):
    """Twelve suggestions to one community at once (PostgreSQL: SQLite's test database is not shared by threads)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("threads need a database they can share: run on PostgreSQL")
    community, barrier, errors = cast.orgs["community"], threading.Barrier(12), []

    def submit(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            voices.suggestion_submit(org=community, text=f"同时提交的建议{index}", author_name=f"居民{index}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert VoicesCount.objects.get(org=community).suggestions == 12
    incremental = rollups.rows(voices_rollups.VOICES)
    voices_rollups.rebuild()
    assert rollups.rows(voices_rollups.VOICES) == incremental

"""Tallies: a figure read from them is the count of its records, after services, bulk writes, deletes,
moves of a subtree and rebuilds; a table with too many pending changes is counted from its records."""

import datetime

import pytest
from django.utils import timezone

from yuntu.dashboard import selectors as dashboard
from yuntu.indicators import registry, tallies
from yuntu.indicators.models import Tally, TallyChange
from yuntu.indicators.registry import Scope
from yuntu.indicators.testing import build_figures_data
from yuntu.ledger import services as ledger
from yuntu.orglife.models import Meeting
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Org

WHOLE_MONTHS = (datetime.date(2026, 9, 1), datetime.date(2026, 12, 1))


def _meetings(cast) -> None:
    """Held and planned meetings of three kinds over three branches, written in bulk (no service)."""
    rows = []
    for number, key in enumerate(("branch", "other_branch", "agency") * 4):
        org = cast.orgs[key]
        day = datetime.date(2026, 8 + number % 4, 3 + number)
        held = number % 3 != 2
        rows.append(Meeting(org=org, org_path=org.path, kind=("general", "theme_day", "lecture")[number % 3],
                            title=f"会议{number}", starts_at=timezone.make_aware(datetime.datetime.combine(
                                day, datetime.time(15))), status="held" if held else "planned",
                            held_on=day if held else None, expected_count=10 + number, present_count=8 + number % 3))
    Meeting.objects.bulk_create(rows)


@pytest.fixture
def records(cast):
    build_figures_data(cast)
    _meetings(cast)


def _entries():
    return [entry for entries in tallies.sources().values() for entry in entries]


def _live_children(code: str, scope: Scope) -> dict:
    return {path: value for path, value in registry.values_by_child(code, scope, Org.steplen).items() if value}


def assert_tallies_equal_records(root: Org, period=(None, None)) -> None:
    start, end = period
    scope = Scope(org_path=root.path, start=start, end=end)
    months = registry.month_starts(*WHOLE_MONTHS)
    found = tallies.read(root, _entries(), start=start, end=end, months=months)
    assert not found.stale
    assert found.values, "no tallied figure was read"
    for entry in _entries():
        code = entry.code
        assert found.values[code] == registry.value(code, scope), code
        assert found.children[code] == _live_children(code, scope), code
        if entry.indicator.date_field:
            live = registry.values_by_month(code, Scope(org_path=root.path, start=WHOLE_MONTHS[0], end=WHOLE_MONTHS[1]))
            assert {month: found.months[code].get(month, 0) for month in months} == live, code


def test_the_modules_figures_are_tallied_except_those_that_cannot_be(cast):
    codes = {entry.code for entry in _entries()}
    assert {"orgs.orgs", "orgs.members", "ledger.measures", "voices.requests", "orglife.meetings_held",
            "orglife.attendance_present", "claims.service_hours", "venues.venues"} <= codes
    # Distinct counts, averages, joins to other tables and figures that change with the date stay live.
    assert not codes & {"grassroots.enterprises_served", "lectures.rating", "publicity.news", "campaigns.tasks_overdue",
                        "ledger.completion_rate"}


@pytest.mark.parametrize("org_key", ["district", "street", "branch"])
@pytest.mark.parametrize("period", [(None, None), WHOLE_MONTHS])
def test_tallied_figures_equal_their_records(cast, records, org_key, period):
    assert_tallies_equal_records(cast.orgs[org_key], period)


def test_services_bulk_updates_and_deletes_are_caught_up_at_the_next_read(cast, records):
    district = cast.orgs["district"]
    assert_tallies_equal_records(district)
    assert not TallyChange.objects.exists()
    ledger.problem_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], title="楼道堆物",
                          source="residents", category="livelihood", found_on=datetime.date(2026, 10, 9))
    Meeting.objects.filter(status="planned").update(status="held", held_on=datetime.date(2026, 11, 2))
    Meeting.objects.filter(kind="lecture", org=cast.orgs["agency"]).delete()
    assert TallyChange.objects.filter(source="orglife_meeting").exists()
    assert_tallies_equal_records(district)
    assert_tallies_equal_records(cast.orgs["other_street"], WHOLE_MONTHS)
    assert not TallyChange.objects.filter(org_path__startswith=district.path).exists()


def test_a_read_of_one_subtree_leaves_the_other_subtrees_changes_for_later(cast, records):
    tallies.refresh("")
    Meeting.objects.filter(org=cast.orgs["branch"]).update(present_count=30)
    Meeting.objects.filter(org=cast.orgs["other_branch"]).update(present_count=20)
    assert_tallies_equal_records(cast.orgs["street"])
    assert TallyChange.objects.filter(org_id=cast.orgs["other_branch"].pk).exists()
    assert not TallyChange.objects.filter(org_id=cast.orgs["branch"].pk).exists()
    assert_tallies_equal_records(cast.orgs["district"])


def test_a_table_with_too_many_changes_is_counted_from_its_records_until_the_job(cast, records, monkeypatch):
    tallies.refresh("")
    monkeypatch.setattr(tallies, "READ_LIMIT", 1)
    Meeting.objects.update(present_count=5)  # three branches changed: more than a read catches up
    district = cast.orgs["district"]
    found = tallies.read(district, _entries())
    assert "orglife.attendance_present" in found.stale and "orglife.attendance_present" not in found.values
    assert "ledger.measures" in found.values
    board = dashboard.board(cast.user("district_officer"), org=district)
    shown = {row["indicator"].code: row["value"] for module in board.modules for row in module["figures"]}
    assert shown["orglife.attendance_present"] == registry.value("orglife.attendance_present", board.scope) == 8 * 5
    monkeypatch.setattr(tallies, "JOB_LIMIT", 1)
    assert tallies.refresh_all()["rebuilt"] == ["orglife_meeting"]
    monkeypatch.setattr(tallies, "READ_LIMIT", 300)
    assert_tallies_equal_records(district)


def _nonzero_rows() -> set:
    return set(Tally.objects.exclude(own=0, total=0).values_list("org_id", "code", "month", "own", "total"))


def test_catching_up_and_rebuilding_give_the_same_rows(cast, records):
    tallies.refresh("")
    officer = cast.user("district_officer")
    problem = ledger.problem_create(actor=officer, org=cast.orgs["street"], title="背街小巷照明不足",
                                    source="inspection", category="livelihood", found_on=datetime.date(2026, 9, 14))
    ledger.problem_update(actor=officer, problem=problem, found_on=datetime.date(2026, 7, 30))
    Meeting.objects.filter(org=cast.orgs["branch"]).update(org=cast.orgs["community"],
                                                           org_path=cast.orgs["community"].path)
    tallies.refresh("")
    incremental = _nonzero_rows()
    tallies.rebuild_all()
    assert _nonzero_rows() == incremental


def test_a_moved_subtree_takes_its_totals_along(cast, records):
    tallies.refresh("")
    community, other_street = cast.orgs["community"], cast.orgs["other_street"]
    org_services.org_move(actor=cast.user("administrator"), org=community, new_parent=other_street)
    for key in ("street", "other_street", "district"):
        assert_tallies_equal_records(Org.objects.get(pk=cast.orgs[key].pk))
    before = _nonzero_rows()
    tallies.rebuild_all()
    assert _nonzero_rows() == before


def test_the_dashboard_reads_tallied_figures_without_a_query_per_figure(cast, records, django_assert_max_num_queries):
    officer, district = cast.user("district_officer"), cast.orgs["district"]
    dashboard.board(officer, org=district)  # catches up the changes of the fixture's bulk writes
    live = len([indicator for indicator in dashboard.indicators_for(officer, district)
                if tallies.counted_for(indicator.code) is None and not indicator.is_ratio])
    # Tallied figures take two queries in all; each live figure at most its own few.
    with django_assert_max_num_queries(20 + 3 * live):
        board = dashboard.board(officer, org=district)
    shown = {row["indicator"].code: row["value"] for module in board.modules for row in module["figures"]}
    assert shown["orglife.meetings_held"] == registry.value("orglife.meetings_held", board.scope) == 8


def test_only_a_change_of_what_the_figures_count_is_noted(cast, records):
    tallies.refresh("")
    Meeting.objects.update(minutes="会议记录已补充", place="党群服务中心")  # no figure counts these columns
    assert not TallyChange.objects.exists()
    Meeting.objects.filter(org=cast.orgs["branch"]).update(present_count=3)
    assert set(TallyChange.objects.values_list("source", "org_id")) == {("orglife_meeting", cast.orgs["branch"].pk)}


def test_the_minute_job_and_the_command_catch_everything_up(cast, records):
    import io

    from django.core.management import call_command

    from yuntu.indicators.tasks import tallies_refresh

    assert TallyChange.objects.exists()  # the fixture's bulk writes
    done = tallies_refresh.func()
    assert done["caught_up"] and not TallyChange.objects.exists()
    Meeting.objects.filter(org=cast.orgs["agency"]).update(status="cancelled")
    output = io.StringIO()
    call_command("tallies_refresh", stdout=output)
    assert "1个组织重新计数" in output.getvalue() and not TallyChange.objects.exists()
    assert_tallies_equal_records(cast.orgs["district"])


def test_a_figure_said_to_count_its_records_is_their_number(cast, records):
    """Briefings store such a figure's value as its record count instead of counting again."""
    counting = [indicator for indicator in registry.declared() if tallies.counts_records(indicator)]
    assert {"orgs.members", "ledger.measures", "orglife.meetings_held"} <= {indicator.code for indicator in counting}
    assert not tallies.counts_records(registry.get("orglife.attendance_present"))  # a sum
    for org_key in ("district", "street"):
        for period in ((None, None), WHOLE_MONTHS):
            scope = Scope(org_path=cast.orgs[org_key].path, start=period[0], end=period[1])
            for indicator in counting:
                assert registry.value(indicator.code, scope) == registry.records_in(indicator, scope).count(), indicator.code


def test_a_deleted_org_leaves_its_ancestors_totals(cast, records):
    new = org_services.org_create(actor=cast.user("administrator"), parent=cast.orgs["community"],
                                  name="兴旺社区第九党支部", level="branch")
    Meeting.objects.create(org=new, org_path=new.path, kind="general", title="支部党员大会", status="held",
                           starts_at=timezone.now(), held_on=datetime.date(2026, 10, 20), present_count=7)
    assert_tallies_equal_records(cast.orgs["district"])
    Meeting.objects.filter(org=new).delete()
    Org.objects.get(pk=new.pk).delete()  # e.g. from the admin; the services deactivate instead
    for key in ("district", "street", "community"):
        assert_tallies_equal_records(Org.objects.get(pk=cast.orgs[key].pk))

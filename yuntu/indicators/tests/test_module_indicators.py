"""The registered figures of orgs, ledger and voices agree with the pages that showed them before."""

import datetime

import pytest

from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.indicators.testing import PERIOD_END, PERIOD_START, build_figures_data
from yuntu.ledger import selectors as ledger_selectors
from yuntu.orgs.models import Member, Org
from yuntu.voices import selectors as voices_selectors
from yuntu.voices.models import Suggestion

LEDGER_CODES = {"problems": "ledger.problems", "problems_closed": "ledger.problems_closed",
                "measures": "ledger.measures", "measures_completed": "ledger.measures_completed",
                "completion_rate": "ledger.completion_rate", "closure_rate": "ledger.closure_rate"}
VOICES_CODES = {"received": "voices.requests", "resolved": "voices.requests_resolved",
                "answered": "voices.requests_answered", "answered_on_time": "voices.requests_on_time",
                "rated": "voices.requests_rated", "satisfied": "voices.requests_satisfied",
                "on_time_rate": "voices.on_time_rate", "satisfaction_rate": "voices.satisfaction_rate"}


@pytest.fixture
def figures_data(cast):
    return build_figures_data(cast)


def _scope(org, start=None, end=None):
    return Scope(org_path=org.path, start=start, end=end + datetime.timedelta(days=1) if end else None)


@pytest.mark.parametrize("org_key", ["district", "street", "other_street", "agency"])
@pytest.mark.parametrize("period", [(None, None), (PERIOD_START, PERIOD_END)])
def test_ledger_indicators_agree_with_the_rate_table(cast, figures_data, org_key, period):
    officer, org = cast.user("district_officer"), cast.orgs[org_key]
    table = ledger_selectors.ledger_figures(officer, org=org, start=period[0], end=period[1])
    scope = _scope(org, *period)
    for key, code in LEDGER_CODES.items():
        assert registry.value(code, scope) == table["all"][key], code
        by_level = registry.values_by(code, scope, "level_class")
        for level in ("county", "grassroots"):
            assert by_level.get(level, 0 if "rate" not in key else None) == table[level][key], (code, level)
    ranking = {row["child_path"]: row for row in ledger_selectors.unit_ranking(officer, org=org, start=period[0],
                                                                               end=period[1])}
    by_child = registry.values_by_child("ledger.completion_rate", scope, Org.steplen)
    assert by_child == {path: row["completion_rate"] for path, row in ranking.items()}
    assert table["all"]["problems"] > 0 or org_key == "agency"


@pytest.mark.parametrize("org_key", ["district", "street", "other_community"])
def test_voices_indicators_agree_with_the_board(cast, figures_data, org_key):
    org = cast.orgs[org_key]
    board = voices_selectors.voices_figures(voices_selectors.board_requests(org=org))
    for key, code in VOICES_CODES.items():
        assert registry.value(code, _scope(org)) == board[key], code
    totals = voices_selectors.suggestion_totals(Suggestion.objects.filter(org_path__under=org.path))
    assert registry.value("voices.suggestions", _scope(org)) == totals["collected"] > 0
    assert registry.value("voices.suggestions_adopted", _scope(org)) == totals["adopted"]
    assert board["received"] > 0


def test_a_period_on_timestamps_counts_local_days(cast, figures_data):
    district = cast.orgs["district"]
    september = Scope(org_path=district.path, start=datetime.date(2026, 9, 1), end=datetime.date(2026, 10, 1))
    expected = voices_selectors.board_requests(org=district).filter(submitted_at__date__gte="2026-09-01",
                                                                    submitted_at__date__lt="2026-10-01").count()
    assert registry.value("voices.requests", september) == expected > 0
    whole = Scope(org_path=district.path, start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1))
    trend = registry.values_by_month("voices.requests", whole)
    assert len(trend) == 12 and trend[datetime.date(2026, 9, 1)] == expected
    assert sum(trend.values()) == registry.value("voices.requests", whole) > expected
    rates = registry.values_by_month("ledger.completion_rate", whole)
    assert rates[datetime.date(2026, 10, 1)] == registry.value("ledger.completion_rate", Scope(
        district.path, datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)))


def test_org_and_member_figures(cast):
    street = cast.orgs["street"]
    scope = Scope(org_path=street.path)
    members = Member.objects.filter(org_path__startswith=street.path, is_active=True)
    assert registry.value("orgs.members", scope) == members.count() > 0
    assert (registry.value("orgs.members_full", scope) + registry.value("orgs.members_probationary", scope)
            == members.count())
    assert registry.value("orgs.orgs", scope) == Org.objects.filter(path__startswith=street.path, is_active=True).count()


def test_every_indicator_is_declared_completely():
    for indicator in registry.declared():
        assert indicator.name and indicator.definition and indicator.unit, indicator.code
        if indicator.module in ("orgs", "ledger", "voices"):
            assert indicator.permission, f"{indicator.code} names no permission"
        if indicator.is_ratio:
            registry.get(indicator.numerator), registry.get(indicator.denominator)

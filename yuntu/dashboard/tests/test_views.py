"""The dashboard: every registered figure for a subtree and period, each a link to its records, scoped."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.indicators.testing import PERIOD_END, PERIOD_START, build_figures_data
from yuntu.ledger import selectors as ledger_selectors
from yuntu.ledger.models import Problem
from yuntu.orgs.models import Org


@pytest.fixture
def figures_data(cast):
    return build_figures_data(cast)


def _figure(html: str, code: str) -> str:
    match = re.search(rf'data-indicator="{re.escape(code)}"[^>]*>\s*<span class="db-figure__value">([^<]+)</span>', html)
    assert match, code
    return match.group(1)


def test_the_board_shows_every_module_and_agrees_with_the_ledger(cast, client_for, figures_data):
    officer, district = cast.user("district_officer"), cast.orgs["district"]
    client = client_for(officer)
    response = client.get(reverse("dashboard:board"), {"org": district.pk, "start": PERIOD_START, "end": PERIOD_END})
    assert response.status_code == 200
    html = response.content.decode()
    table = ledger_selectors.ledger_figures(officer, org=district, start=PERIOD_START, end=PERIOD_END)["all"]
    assert _figure(html, "ledger.problems") == str(table["problems"])
    assert _figure(html, "ledger.measures_completed") == str(table["measures_completed"])
    assert _figure(html, "ledger.completion_rate") == registry.format_value(table["completion_rate"])
    board = response.context["board"]
    for module in board.modules:  # the board adds up its children's figures: the same as asking the registry
        for row in module["figures"]:
            assert row["value"] == registry.value(row["indicator"].code, board.scope), row["indicator"].code
    for index, column in enumerate(board.columns):  # one grouped query per table gives each child's figures
        expected = registry.values_by_child(column.code, board.scope, Org.steplen)
        for row in board.children:
            assert row["values"][index] == expected.get(row["org"].path, None if column.is_ratio else 0), column.code
    modules = {module["module"] for module in board.modules}
    assert {"orgs", "ledger", "voices"} <= modules
    data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["months"][0] == "2026-09" and data["trend"] and data["ranking"]["rows"]
    children = {row["org"].pk for row in response.context["board"].children}
    assert cast.orgs["street"].pk in children and cast.orgs["other_street"].pk in children
    assert "<script>" not in html.split('id="dashboard-data"')[0].split("<main")[1] and 'style="' not in html


def test_a_figure_links_to_exactly_its_records(cast, client_for, figures_data):
    officer, street = cast.user("district_officer"), cast.orgs["street"]
    client = client_for(officer)
    response = client.get(reverse("dashboard:records"), {"indicator": "ledger.problems", "org": street.pk,
                                                        "start": PERIOD_START, "end": PERIOD_END})
    assert response.status_code == 200
    expected = Problem.objects.filter(org_path__startswith=street.path, found_on__gte=PERIOD_START,
                                      found_on__lte=PERIOD_END)
    assert response.context["page"].paginator.count == expected.count() == registry.value(
        "ledger.problems", Scope(street.path, PERIOD_START, PERIOD_END + datetime.timedelta(days=1))) > 0
    html = response.content.decode()
    assert all(problem.title in html for problem in expected)
    assert reverse("ledger:problem_detail", args=[expected.first().pk]) in html


def test_drill_down_and_wall_screen(cast, client_for, figures_data):
    client = client_for(cast.user("district_officer"))
    response = client.get(reverse("dashboard:board"), {"org": cast.orgs["street"].pk, "wall": "1"})
    assert response.status_code == 200
    assert "db-wall" in response.content.decode() and response.context["org"] == cast.orgs["street"]


def test_outsiders_see_neither_the_board_nor_the_records_of_another_subtree(cast, client_for, figures_data):
    secretary = cast.user("street_secretary")
    client = client_for(secretary)
    other = cast.orgs["other_street"]
    assert client.get(reverse("dashboard:board"), {"org": other.pk}).status_code == 404
    assert client.get(reverse("dashboard:records"), {"indicator": "ledger.problems", "org": other.pk}).status_code == 404
    own = client.get(reverse("dashboard:board"))
    assert own.context["org"] == cast.orgs["street"]
    assert "山边社区" not in own.content.decode()
    assert client_for(cast.user("member")).get(reverse("dashboard:board")).status_code == 403
    assert client_for(cast.user("member")).get(reverse("dashboard:records")).status_code == 403


def test_a_figure_the_user_may_not_see_is_left_out(cast, client_for, figures_data):
    inspector = cast.user("inspector")
    response = client_for(inspector).get(reverse("dashboard:board"))
    codes = {row["indicator"].code for module in response.context["board"].modules for row in module["figures"]}
    assert "ledger.problems" in codes and "orgs.members" in codes
    unknown = client_for(inspector).get(reverse("dashboard:records"), {"indicator": "nothing.here"})
    assert unknown.status_code == 404


def test_a_bad_period_is_refused_with_a_message(cast, client_for, figures_data):
    response = client_for(cast.user("district_officer")).get(reverse("dashboard:board"),
                                                             {"start": "2026-12-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_a_module_registered_later_is_shown_without_dashboard_code(cast, client_for, figures_data):
    """Another module's figures (here with an aggregate of its own condition) appear under their module."""
    from django.db.models import Count, Q

    from yuntu.dashboard import selectors
    from yuntu.orgs.models import Member

    extra = [registry.Indicator(code="orglife.floating", name="流动党员", unit="人", definition="流动党员人数",
                                records=Member.objects.all, aggregate=lambda: Count("pk", filter=Q(floating=True))),
             registry.Indicator(code="orglife.members_seen", name="在册党员（测试）", unit="人", definition="在册党员",
                                records=lambda: Member.objects.filter(is_active=True))]
    registry.register(*extra)
    try:
        officer, district = cast.user("district_officer"), cast.orgs["district"]
        board = selectors.board(officer, org=district)
        shown = {row["indicator"].code: row["value"] for module in board.modules for row in module["figures"]
                 if module["module"] == "orglife"}
        for indicator in extra:
            assert shown[indicator.code] == registry.value(indicator.code, board.scope)
        index = board.columns.index(extra[1])
        expected = registry.values_by_child("orglife.members_seen", board.scope, Org.steplen)
        assert {row["org"].path: row["values"][index] for row in board.children if row["values"][index]} == expected
    finally:
        for indicator in extra:
            registry._REGISTRY.pop(indicator.code)

import datetime

import pytest

from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Scope
from yuntu.orgs.models import Member, Org


@pytest.fixture
def members_indicator():
    indicator = Indicator(code="test.members", name="党员", unit=registry.Unit.PERSON, definition="党员人数",
                          records=Member.objects.all, date_field="joined_on")
    registry.register(indicator)
    yield indicator
    registry._REGISTRY.pop(indicator.code)


def test_value_counts_the_subtree_and_lists_its_records(cast, members_indicator):
    street = cast.orgs["street"]
    expected = Member.objects.filter(org_path__startswith=street.path).count()
    assert expected > 0
    assert registry.value("test.members", Scope(org_path=street.path)) == expected
    records = registry.records_in(members_indicator, Scope(org_path=street.path))
    assert set(records.values_list("pk", flat=True)) == set(
        Member.objects.filter(org_path__startswith=street.path).values_list("pk", flat=True))


def test_period_and_children(cast, members_indicator):
    district = cast.orgs["district"]
    future = Scope(org_path=district.path, start=datetime.date(2999, 1, 1))
    assert registry.value("test.members", future) == 0
    by_child = registry.values_by_child("test.members", Scope(org_path=district.path), Org.steplen)
    street = cast.orgs["street"]
    assert by_child[street.path] == Member.objects.filter(org_path__startswith=street.path).count()


def test_unknown_and_twice_declared_codes_are_refused(members_indicator):
    with pytest.raises(registry.UnknownIndicator):
        registry.get("test.nothing")
    with pytest.raises(ValueError):
        registry.register(Indicator(code="test.members", name="别的", unit="个", definition="",
                                    records=Org.objects.all))


def test_a_period_over_a_timestamps_date_counts_by_local_day(cast):
    """`created_at__date` compares dates; `created_at` compares local midnights; both count the same records."""
    from django.utils import timezone

    today = timezone.localdate()
    by_date = Indicator(code="test.orgs_by_date", name="组织", unit="个", definition="", path_field="path",
                        records=Org.objects.all, date_field="created_at__date")
    by_time = Indicator(code="test.orgs_by_time", name="组织", unit="个", definition="", path_field="path",
                        records=Org.objects.all, date_field="created_at")
    registry.register(by_date, by_time)
    try:
        scope = Scope(org_path=cast.orgs["district"].path, start=today, end=today + datetime.timedelta(days=1))
        expected = Org.objects.filter(created_at__date=today).count()
        assert expected > 0
        assert registry.value("test.orgs_by_date", scope) == registry.value("test.orgs_by_time", scope) == expected
        assert registry.value("test.orgs_by_date", Scope(org_path=scope.org_path, start=today + datetime.timedelta(days=1))) == 0
    finally:
        registry._REGISTRY.pop(by_date.code)
        registry._REGISTRY.pop(by_time.code)

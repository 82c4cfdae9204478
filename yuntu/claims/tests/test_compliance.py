"""Compliance over claims: a need nobody takes up (stale, or past its deadline with places left) raises an alert."""

import datetime

from yuntu.assessment.models import Alert
from yuntu.assessment.scan import run_scan
from yuntu.core import clock

from .. import services
from ..models import Need
from .factories import need


def alerts() -> dict[str, tuple[str, int]]:
    return {name: (status, count) for name, status, count in
            Alert.objects.filter(rule="claims.need_unclaimed").values_list("org__name", "status", "subject_count")}


def test_a_need_left_unclaimed_raises_an_alert_and_claiming_it_clears_it(cast):
    community = cast.orgs["community"].name
    fresh, two_places = need(cast), need(cast, title="为社区活动室搬运桌椅", claimants_needed=2)
    run_scan()
    assert alerts() == {}
    Need.objects.filter(pk=fresh.pk).update(posted_at=clock.now() - datetime.timedelta(days=8))
    services.need_claim(actor=cast.user("member"), need=two_places)
    Need.objects.filter(pk=two_places.pk).update(deadline=clock.today() - datetime.timedelta(days=1))
    run_scan()
    assert alerts() == {community: ("open", 2)}
    assert "其中1项已过截止日期" in Alert.objects.get(rule="claims.need_unclaimed").detail
    services.need_claim(actor=cast.user("member"), need=fresh)
    Need.objects.filter(pk=two_places.pk).update(deadline=clock.today() + datetime.timedelta(days=3))
    run_scan()
    assert alerts() == {community: ("resolved", 2)}

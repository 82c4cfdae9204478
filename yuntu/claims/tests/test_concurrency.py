"""50 members press 认领 on a one-person need at the same moment: exactly one gets it, on SQLite and PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError

from yuntu.accounts.models import User

from ..models import Claim, Need
from ..services import need_claim
from ..workflow import ClaimStatus, NeedStatus
from .contention import in_a_thread, in_threads, threads_database
from .factories import members_with_accounts, need

CLAIMANTS = 50


def _claim(pair):
    user_id, need_id = pair
    user = User.objects.get(pk=user_id)
    try:
        need_claim(actor=user, need=Need(pk=need_id))
    except ValidationError as error:
        return "；".join(error.messages)
    return "ok"


def _state(need_id):
    item = Need.objects.get(pk=need_id)
    return item.claimed_count, item.status, list(Claim.objects.filter(need_id=need_id).values_list("status", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("places", [1, 3])
def test_fifty_concurrent_claims_fill_exactly_the_places(cast, places):
    item = need(cast, claimants_needed=places)
    users = members_with_accounts(cast.orgs["branch"], CLAIMANTS)
    with threads_database():
        results = in_threads(_claim, [(user.pk, item.pk) for user in users])
        claimed_count, status, claims = in_a_thread(lambda: _state(item.pk))
    assert results.count("ok") == places, results
    refusals = [result for result in results if result != "ok"]
    assert len(refusals) == CLAIMANTS - places
    assert set(refusals) == {"该需求已被认领，名额已满。"}
    assert claimed_count == places and status == NeedStatus.FULL
    assert claims == [ClaimStatus.CLAIMED] * places

from django.core.management import call_command

from yuntu.orgs.models import Member

from .. import demo
from ..models import Claim, DualReport, Need, ServiceRecord
from ..workflow import ClaimStatus, NeedStatus


def test_demo_claims_are_written_once_and_add_up(cast):
    community = cast.orgs["community"]
    Member.objects.filter(pk__in=[cast.members["member"].pk]).update(in_service=True, reporting_community=community)
    result = demo.generate_claims(cast.orgs["district"], needs=34, visits=300)
    assert result.created
    figures = result.figures
    assert figures["needs_posted"] == Need.objects.count() and figures["needs_done"] == 31 + 1  # and the demo member's own
    assert figures["service_visits"] == ServiceRecord.objects.count() >= 300
    assert figures["members_reported"] == 1 and DualReport.objects.filter(kind="branch").exists()
    done_claims = Claim.objects.filter(need__status=NeedStatus.DONE)
    assert set(done_claims.values_list("status", flat=True)) == {ClaimStatus.CONFIRMED}
    assert ServiceRecord.objects.filter(kind="need").count() == done_claims.count()
    assert not Need.objects.filter(claimed_count__gt=0, claims__isnull=True).exists()
    counts = (Need.objects.count(), Claim.objects.count(), ServiceRecord.objects.count())
    call_command("demo_claims", root=cast.orgs["district"].pk)
    assert (Need.objects.count(), Claim.objects.count(), ServiceRecord.objects.count()) == counts

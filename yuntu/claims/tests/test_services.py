import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.orgs.models import Kind, Level, Member
from yuntu.orgs.services import org_create

from .. import fiveplusx, selectors, services
from ..models import Claim, DualReport, Need, Pledge, ServiceKind, ServiceRecord
from ..workflow import ClaimStatus, NeedStatus
from .factories import need


def photo(name: str = "done.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 20, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_a_need_with_a_deadline_in_the_past_is_refused_and_nothing_is_written(cast):
    before = (Need.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        need(cast, days=-1)
    assert error.value.message_dict["deadline"] == ["截止日期不能早于今天。"]
    with pytest.raises(ValidationError) as error:
        need(cast, claimants_needed=0, title="")
    assert "需认领人数应为1至50人。" in error.value.message_dict["claimants_needed"]
    assert error.value.message_dict["title"] == ["请填写需求标题。"]
    with pytest.raises(ValidationError) as error:
        need(cast, photos=[SimpleUploadedFile("x.png", b"not an image", content_type="image/png")])
    assert "不是有效的图片文件" in error.value.message_dict["photos"][0]
    assert (Need.objects.count(), AuditEntry.objects.count()) == before


def test_only_the_org_and_its_superiors_post_needs(cast):
    with pytest.raises(PermissionDenied):
        need(cast, actor=cast.user("outsider"))
    with pytest.raises(PermissionDenied):
        need(cast, actor=cast.user("member"))
    assert need(cast, actor=cast.user("street_secretary")).org == cast.orgs["community"]


def test_a_one_person_need_is_claimed_once_then_completed_confirmed_and_credited(cast):
    item = need(cast)
    member = cast.user("member")
    claim = services.need_claim(actor=member, need=item)
    item.refresh_from_db()
    assert (item.status, item.claimed_count, claim.member) == (NeedStatus.FULL, 1, cast.members["member"])
    with pytest.raises(ValidationError, match="名额已满"):
        services.need_claim(actor=member, need=item)
    with pytest.raises(ValidationError) as error:
        services.claim_transition(actor=member, claim=claim, name="report", proof_text="已更换灯泡", hours="1.5")
    assert error.value.message_dict["photos"] == ["请上传至少一张完成照片。"]
    with pytest.raises(ValidationError) as error:
        services.claim_transition(actor=member, claim=claim, name="report", proof_text="已更换", hours="30",
                                  photos=[photo()])
    assert error.value.message_dict["hours"] == ["服务时长应大于0且不超过24小时。"]
    assert not claim.photos.exists()
    with pytest.raises(PermissionDenied):
        services.claim_transition(actor=cast.user("outsider"), claim=claim, name="report", proof_text="冒充", hours=1,
                                  photos=[photo()])
    services.claim_transition(actor=member, claim=claim, name="report", proof_text="已上门更换厨房灯泡并检查线路。",
                              hours="1.5", photos=[photo()])
    with pytest.raises(PermissionDenied):
        services.claim_transition(actor=cast.user("outsider"), claim=claim, name="confirm")
    with pytest.raises(PermissionDenied):
        services.claim_transition(actor=member, claim=claim, name="confirm")
    assert not ServiceRecord.objects.exists()
    services.claim_transition(actor=cast.user("community_secretary"), claim=claim, name="confirm")
    claim.refresh_from_db()
    item.refresh_from_db()
    record = ServiceRecord.objects.get()
    assert claim.status == ClaimStatus.CONFIRMED and item.status == NeedStatus.DONE and item.completed_at
    assert (record.kind, record.hours, record.member, record.org) == (
        ServiceKind.NEED, Decimal("1.5"), cast.members["member"], cast.orgs["community"])
    year = clock.today().year
    members = Member.objects.filter(pk=cast.members["member"].pk)
    assert fiveplusx.claimed_needs(year, members) == {cast.members["member"].pk: 1}
    scope = Scope(org_path=cast.orgs["street"].path)
    assert registry.value("claims.needs_done", scope) == 1
    assert registry.value("claims.service_hours", scope) == Decimal("1.5")
    assert registry.value("claims.needs_claimed", Scope(org_path=cast.orgs["other_street"].path)) == 0


def test_return_sends_the_claim_back_and_withdraw_frees_the_place(cast):
    item = need(cast, claimants_needed=2)
    claim = services.need_claim(actor=cast.user("member"), need=item)
    services.claim_transition(actor=cast.user("member"), claim=claim, name="report", proof_text="已完成", hours=2,
                              photos=[photo()])
    with pytest.raises(ValidationError, match="须说明原因"):
        services.claim_transition(actor=cast.user("community_secretary"), claim=claim, name="return")
    services.claim_transition(actor=cast.user("community_secretary"), claim=claim, name="return", reason="请补充现场照片")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLAIMED and claim.return_reason == "请补充现场照片"
    services.claim_transition(actor=cast.user("member"), claim=claim, name="withdraw")
    item.refresh_from_db()
    assert item.claimed_count == 0 and item.status == NeedStatus.OPEN
    again = services.need_claim(actor=cast.user("member"), need=item)  # a withdrawn claim does not block a new one
    assert again.pk != claim.pk


def test_a_branch_claims_through_its_secretary_and_not_another_branch(cast):
    item = need(cast, claimants_needed=2)
    claim = services.need_claim(actor=cast.user("branch_secretary"), need=item, branch=cast.orgs["branch"])
    assert claim.branch == cast.orgs["branch"] and claim.member is None
    with pytest.raises(ValidationError, match="本支部已认领"):
        services.need_claim(actor=cast.user("branch_secretary"), need=item, branch=cast.orgs["branch"])
    with pytest.raises(PermissionDenied):
        services.need_claim(actor=cast.user("outsider"), need=item, branch=cast.orgs["branch"])
    with pytest.raises(PermissionDenied, match="只有党员"):
        services.need_claim(actor=cast.user("resident"), need=item)


def test_claims_after_the_deadline_or_of_a_withdrawn_need_are_refused(cast):
    item = need(cast)
    Need.objects.filter(pk=item.pk).update(deadline=clock.today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="已过截止日期"):
        services.need_claim(actor=cast.user("member"), need=item)
    other = need(cast)
    services.need_withdraw(actor=cast.user("community_secretary"), need=other, reason="老人已由家属处理")
    with pytest.raises(ValidationError, match="已撤回"):
        services.need_claim(actor=cast.user("member"), need=other)
    assert not Claim.objects.exists()


def test_a_member_reports_where_they_live_and_the_community_records_their_service(cast):
    community = cast.orgs["community"]
    org_create(actor=cast.user("administrator"), parent=community, name="兴旺花园小区党支部", level=Level.BRANCH,
               kind=Kind.ESTATE)
    assert selectors.community_for_address("海沧区兴旺花园7号楼1202室") == community
    assert selectors.community_for_address("山边村路12号") == cast.orgs["other_community"]
    report = services.member_report(actor=cast.user("member"), community=community, home_address="兴旺花园7号楼1202室")
    member = Member.objects.get(pk=cast.members["member"].pk)
    assert member.reporting_community == community and member.in_service
    with pytest.raises(ValidationError, match="已在该社区报到"):
        services.member_report(actor=cast.user("member"), community=community, home_address="兴旺花园7号楼1202室")
    with pytest.raises(PermissionDenied):
        services.service_record(actor=cast.user("outsider"), community=community, title="文明劝导", hours=2,
                                served_on=clock.today(), member=member)
    with pytest.raises(ValidationError, match="未在本社区报到"):
        services.service_record(actor=cast.user("community_secretary"), community=community, title="文明劝导", hours=2,
                                served_on=clock.today(), member=cast.members["other_member"])
    services.service_record(actor=cast.user("community_secretary"), community=community, title="周末文明劝导",
                            hours=2, served_on=clock.today(), member=member)
    agency = cast.orgs["agency"]
    services.branch_report(actor=cast.user("community_secretary"), branch=agency, community=community)
    with pytest.raises(ValidationError, match="已向这个社区报到"):
        services.branch_report(actor=cast.user("community_secretary"), branch=agency, community=community)
    rows = selectors.community_reports(community.path)
    by_name = {row["report"].reporter_name: row for row in rows}
    assert by_name["林晓红"]["times"] == 1 and by_name["林晓红"]["hours"] == Decimal("2")
    assert agency.name in by_name
    scope = Scope(org_path=cast.orgs["district"].path)
    assert registry.value("claims.members_reported", scope) == 1
    assert registry.value("claims.branches_reported", scope) == 1
    assert registry.value("claims.service_visits", scope) == 1
    # Moving house: the old report ends, the new one starts; only one is live.
    services.member_report(actor=cast.user("member"), community=cast.orgs["other_community"], home_address="山边村12号")
    assert DualReport.objects.filter(member=member, ended_on__isnull=True).get().org == cast.orgs["other_community"]
    assert report.pk in DualReport.objects.filter(ended_on__isnull=False).values_list("pk", flat=True)


def test_five_plus_x_fills_from_records(cast):
    community = cast.orgs["community"]
    member = cast.members["member"]
    services.member_report(actor=cast.user("member"), community=community, home_address="兴旺小区1号楼")
    pledge = services.pledge_add(actor=cast.user("member"), title="每月为楼栋老人代购一次药品")
    with pytest.raises(ValidationError, match="已登记"):
        services.pledge_add(actor=cast.user("member"), title="每月为楼栋老人代购一次药品")
    item = need(cast)
    claim = services.need_claim(actor=cast.user("member"), need=item)
    services.claim_transition(actor=cast.user("member"), claim=claim, name="report", proof_text="已完成", hours=1,
                              photos=[photo()], pledge=pledge)
    services.claim_transition(actor=cast.user("community_secretary"), claim=claim, name="confirm")
    members = Member.objects.filter(org_path__under=cast.orgs["branch"].path)
    duties, rows = fiveplusx.member_rows(list(members), clock.today().year, members)
    row = next(row for row in rows if row["member"].pk == member.pk)
    cells = {cell["code"]: cell["count"] for cell in row["cells"]}
    assert cells == {"theme_day": 0, "claimed_need": 1, "lecture": 0, "volunteer_service": 0, "family_visit": 0}
    assert row["x"] == 1 and row["missing"] == 4
    assert [duty["connected"] for duty in duties] == [True] * 5
    assert Pledge.objects.get().services.count() == 1


def test_moving_a_branch_moves_the_claimants_and_reporters_paths(cast):
    from yuntu.orgs.services import org_move

    item = need(cast, claimants_needed=2)
    claim = services.need_claim(actor=cast.user("member"), need=item)
    report = services.member_report(actor=cast.user("member"), community=cast.orgs["community"], home_address="兴旺小区")
    org_move(actor=cast.user("administrator"), org=cast.orgs["branch"], new_parent=cast.orgs["other_community"])
    branch = type(cast.orgs["branch"]).objects.get(pk=cast.orgs["branch"].pk)
    claim.refresh_from_db()
    report.refresh_from_db()
    assert claim.claimant_path == branch.path and report.reporter_path == branch.path
    assert claim.org_path == cast.orgs["community"].path  # the need stays with its community

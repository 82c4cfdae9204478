import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yuntu.accounts.models import AuditEntry
from yuntu.grassroots import selectors, services
from yuntu.grassroots.models import Contact, Demand, Enterprise, PairingVisit, ReceptionBooking, SiteProblem
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.ledger import services as ledger_services
from yuntu.voices import services as voices_services
from yuntu.voices.calendar import add_working_days
from yuntu.voices.models import Request

from .conftest import credit_code


def test_a_field_visit_counts_problems_solved_on_site(scene, cast):
    secretary = scene["secretary"]
    services.field_visit_log(actor=secretary, topic=scene["topic"], org=scene["community"], visited_on=scene["today"],
                             place="兴旺社区3号楼", notes="走访居民，查看管网", hours=3,
                             problems=[services.FoundProblem("楼道灯损坏", True, "现场联系物业更换"),
                                       services.FoundProblem("雨污管网混接", False)])
    scope = Scope(cast.orgs["district"].path)
    assert registry.value("grassroots.problems_found", scope) == 2
    assert registry.value("grassroots.problems_solved_on_site", scope) == 1
    assert registry.value("grassroots.problems_solved_on_site", Scope(cast.orgs["other_street"].path)) == 0
    assert registry.value("grassroots.topics", scope) == 1


def test_solved_on_site_without_saying_how_writes_nothing(scene):
    before = (SiteProblem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="解决情况"):
        services.field_visit_log(actor=scene["secretary"], topic=scene["topic"], org=scene["community"],
                                 visited_on=scene["today"], place="兴旺社区", notes="调研",
                                 problems=[services.FoundProblem("路面破损", True, "")])
    assert (SiteProblem.objects.count(), AuditEntry.objects.count()) == before


def test_an_adopted_proposal_becomes_a_ledger_measure(scene, cast):
    secretary = scene["secretary"]
    topic = services.topic_report(actor=secretary, topic=scene["topic"], report="老旧小区改造调研报告",
                                  proposals=["建立小区改造居民议事会", ""])
    proposal = topic.proposals.get()
    problem = ledger_services.problem_create(actor=secretary, org=scene["street"], title="老旧小区改造进度慢",
                                             source="research", category="livelihood", found_on=scene["today"])
    proposal = services.proposal_adopt(actor=secretary, proposal=proposal, problem=problem, measure_text="建立居民议事会",
                                       responsible_person="张伟", deadline=scene["today"] + datetime.timedelta(days=60))
    assert proposal.status == "adopted" and proposal.measure.problem == problem
    with pytest.raises(ValidationError):
        services.proposal_adopt(actor=secretary, proposal=proposal, problem=problem, measure_text="再次采纳",
                                responsible_person="张伟", deadline=scene["today"] + datetime.timedelta(days=60))
    with pytest.raises(PermissionDenied):
        services.proposal_adopt(actor=cast.user("outsider"), proposal=proposal, problem=problem, measure_text="越权",
                                responsible_person="越权", deadline=scene["today"])


def _day(scene, **changes):
    fields = {"actor": scene["secretary"], "org": scene["street"], "leader": scene["secretary"], "leader_title": "街道党工委书记",
              "date": scene["today"] + datetime.timedelta(days=3), "starts_at": datetime.time(9, 0),
              "ends_at": datetime.time(11, 0), "place": "新阳街道党群服务中心", "slot_minutes": 30}
    return services.reception_day_schedule(**{**fields, **changes})


def test_a_booking_outside_the_schedule_writes_nothing(scene, cast):
    day = _day(scene)
    resident = cast.user("resident")
    before = (ReceptionBooking.objects.count(), AuditEntry.objects.count())
    for slot in (datetime.time(11, 0), datetime.time(9, 10), None):
        with pytest.raises(ValidationError, match="不在接访安排内"):
            services.reception_book(resident=resident, day=day, slot=slot, name="陈女士", matter="小区停车难")
    assert (ReceptionBooking.objects.count(), AuditEntry.objects.count()) == before
    services.reception_book(resident=resident, day=day, slot=datetime.time(10, 30), name="陈女士", matter="小区停车难")
    with pytest.raises(ValidationError, match="已被预约"):
        services.reception_book(resident=cast.user("member"), day=day, slot=datetime.time(10, 30), name="林晓红",
                                matter="另一件事")


def test_a_received_booking_becomes_a_request_with_voices_deadlines(scene, cast):
    day = _day(scene, date=scene["today"])  # received on the day
    day.starts_at = datetime.time(0, 0)
    day.save(update_fields=["starts_at"])
    booking = ReceptionBooking.objects.create(org=day.org, org_path=day.org_path, day=day, slot=datetime.time(23, 0),
                                              resident=cast.user("resident"), name="陈女士", matter="小区路灯不亮")
    contact = services.contact_log(actor=scene["secretary"], org=day.org, kind="appointment", person_name="",
                                   contacted_on=day.date, matter="", outcome="当场答应协调", booking=booking)
    assert contact.kind == "appointment" and contact.matter == "小区路灯不亮"
    booking.refresh_from_db()
    assert booking.status == "received"
    contact = services.contact_to_request(actor=scene["secretary"], contact=contact, category=scene["category"])
    request = contact.request
    assert request.channel == "visit" and request.resident == cast.user("resident") and request.status == "submitted"
    assert request.resolve_due == add_working_days(request.submitted_at, scene["category"].resolve_days)
    with pytest.raises(ValidationError):
        services.contact_to_request(actor=scene["secretary"], contact=contact, category=scene["category"])


def test_a_visit_to_an_enterprise_outside_the_pairing_writes_nothing(scene):
    before = (PairingVisit.objects.count(), Demand.objects.count(), Request.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="不在您的挂钩联系范围内"):
        services.pairing_visit_log(actor=scene["secretary"], enterprise=scene["other_enterprise"],
                                   visited_on=scene["today"], notes="走访",
                                   demands=[services.RaisedDemand("用工难", scene["category"])])
    assert (PairingVisit.objects.count(), Demand.objects.count(), Request.objects.count(),
            AuditEntry.objects.count()) == before


def test_an_enterprise_demand_is_dispatched_and_ends_like_a_request(scene, cast):
    secretary = scene["secretary"]
    visit = services.pairing_visit_log(actor=secretary, enterprise=scene["enterprise"], visited_on=scene["today"],
                                       notes="了解企业用工情况", hours=2,
                                       demands=[services.RaisedDemand("企业门口道路破损，货车进出困难", scene["category"])])
    demand = visit.demands.get()
    request = demand.request
    assert request.org == scene["street"] and request.channel == "visit"
    assert request.answer_due == add_working_days(request.submitted_at, 1)
    [dispatch] = voices_services.request_dispatch(actor=secretary, request=request, departments=[cast.orgs["agency"]])
    handler = cast.user("department_handler")
    voices_services.dispatch_transition(actor=handler, dispatch=dispatch, name="accept")
    voices_services.dispatch_transition(actor=handler, dispatch=dispatch, name="reply", reply="已修复道路")
    voices_services.request_transition(actor=secretary, request=request, name="publish", reply="道路已修复")
    scope = Scope(cast.orgs["district"].path)
    assert registry.value("grassroots.demands_raised", scope) == 1
    assert registry.value("grassroots.demands_resolved", scope) == 1
    assert registry.value("grassroots.enterprises_visited", scope) == 1
    record = selectors.frontline_record(secretary, secretary)
    assert record["totals"]["demands_resolved"] == 1 and record["totals"]["frontline_hours"] == 2


def test_a_credit_code_with_a_wrong_check_digit_writes_nothing(scene, cast):
    code = credit_code(3)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    before = (Enterprise.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="校验位"):
        services.enterprise_register(actor=scene["secretary"], org=scene["community"], name="校验位错误公司",
                                     credit_code=wrong)
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == before


def test_the_frontline_record_is_hidden_from_peers(scene, cast):
    from yuntu.accounts.models import RoleGrant, User

    member = cast.user("member")  # 林晓红, a member of 兴旺社区第一党支部
    branch = cast.orgs["branch"]
    peer = User.objects.create_user("peer", password="x", display_name="同支部党员")
    RoleGrant.objects.create(user=peer, role="member", org=branch, org_path=branch.path)
    peer_secretary = User.objects.create_user("peer_secretary", password="x", display_name="另一街道书记")
    RoleGrant.objects.create(user=peer_secretary, role="street_secretary", org=scene["street"], org_path=scene["street"].path)
    secretary = scene["secretary"]
    assert selectors.may_see_record(member, member)
    assert selectors.may_see_record(cast.user("branch_secretary"), member)  # the branch's leader
    assert selectors.may_see_record(secretary, member)  # a leader above
    assert selectors.may_see_record(cast.user("district_officer"), secretary)  # the organisation department
    assert not selectors.may_see_record(peer, member)
    assert not selectors.may_see_record(peer_secretary, secretary)  # a peer leader of the same street
    assert not selectors.may_see_record(cast.user("branch_secretary"), secretary)  # a junior
    assert not selectors.may_see_record(cast.user("outsider"), member)
    assert not selectors.may_see_record(cast.user("inspector"), member)
    listed = set(selectors.cadres_visible_to(peer_secretary))
    assert secretary not in listed and member in listed
    assert set(selectors.cadres_visible_to(peer)) == {peer}


def test_household_visits_per_member_in_one_grouped_query(scene, cast, django_assert_num_queries):
    from yuntu.orgs.models import Grid, Household, Member

    community = scene["community"]
    grid = Grid.objects.create(org=community, org_path=community.path, name="兴旺一网格")
    household = Household.objects.create(org=community, org_path=community.path, grid=grid,
                                         member=cast.members["member"], address="兴旺小区5号楼301")
    member_user = cast.user("member")
    from yuntu.accounts.models import RoleGrant

    RoleGrant.objects.create(user=member_user, role="community_secretary", org=community, org_path=community.path)
    for day, difficulty in ((datetime.date(2026, 3, 1), True), (datetime.date(2026, 5, 1), False),
                            (datetime.date(2025, 5, 1), True)):
        services.contact_log(actor=member_user, org=community, kind="household_visit", person_name="王阿姨",
                             contacted_on=day, matter="走访困难家庭", household=household, in_difficulty=difficulty)
    services.contact_log(actor=scene["secretary"], org=community, kind="household_visit", person_name="李大爷",
                         contacted_on=datetime.date(2026, 3, 2), matter="走访", household=household, in_difficulty=True)
    with django_assert_num_queries(1):
        counts = selectors.household_visits_by_member(year=2026, members=Member.objects.filter(org_path__under=community.path))
    assert counts == {cast.members["member"].pk: 1}  # the secretary is no party member on record
    assert selectors.household_visits_by_member(year=2026, in_difficulty=False) == {cast.members["member"].pk: 2}
    assert Contact.objects.filter(kind="household_visit").count() == 4


def test_a_department_paired_with_a_community_visits_it_and_others_may_not(scene, cast):
    officer = cast.user("district_officer")
    services.pairing_create(actor=officer, org=cast.orgs["agency"], department=cast.orgs["agency"],
                            target_org=scene["community"], starts_on=scene["today"])
    visit = services.pairing_visit_log(actor=officer, target_org=scene["community"], visited_on=scene["today"],
                                       notes="机关挂钩社区，走访了解治理难题")
    assert visit.pairing.target_kind == "community" and visit.org == cast.orgs["agency"]
    with pytest.raises(ValidationError, match="不在您的挂钩联系范围内"):
        services.pairing_visit_log(actor=scene["secretary"], target_org=scene["community"], visited_on=scene["today"],
                                   notes="不是本人挂钩")
    with pytest.raises(ValidationError, match="村（社区）"):
        services.pairing_create(actor=officer, org=cast.orgs["agency"], department=cast.orgs["agency"],
                                target_org=scene["street"], starts_on=scene["today"])


class CollectingSender:
    """A sender at the world's edge: keeps what would have gone out."""

    def __init__(self):
        self.sent = []

    def send(self, recipient, subject, body, data=None):
        self.sent.append((recipient.get_username(), subject, body))
        return True


def test_the_resident_and_the_leader_hear_of_a_booking_after_it_commits(scene, cast, django_capture_on_commit_callbacks):
    from yuntu.grassroots import notifications

    day = _day(scene)
    with django_capture_on_commit_callbacks() as callbacks:
        booking = services.reception_book(resident=cast.user("resident"), day=day, slot=datetime.time(9, 30),
                                          name="陈女士", matter="小区停车难")
    assert len(callbacks) == 1
    sender = CollectingSender()
    assert notifications.deliver("booked", booking.pk, sender=sender) == 2
    (resident, subject, body), (leader, leader_subject, _body) = sender.sent
    assert resident == "resident" and subject == "【领导接访】预约成功" and "09:30" in body and "新阳街道党群服务中心" in body
    assert leader == "street_secretary" and "新的群众预约" in leader_subject
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            services.reception_book(resident=cast.user("member"), day=day, slot=datetime.time(9, 30), name="林", matter="x")
        except ValidationError:
            pass
    assert not callbacks  # nothing written, nothing sent


def test_a_mediation_needs_two_parties_a_session_and_an_outcome(scene):
    secretary, community = scene["secretary"], scene["community"]
    with pytest.raises(ValidationError, match="两方当事人"):
        services.mediation_open(actor=secretary, org=community, title="漏水纠纷", parties="王某", opened_on=scene["today"])
    case = services.mediation_open(actor=secretary, org=community, title="漏水纠纷", parties="王某，李某",
                                   opened_on=scene["today"])
    assert case.parties == "王某、李某"
    with pytest.raises(ValidationError, match="登记至少一次调解"):
        services.mediation_close(actor=secretary, case=case, name="settle", outcome="达成协议")
    services.mediation_session_add(actor=secretary, case=case, held_on=scene["today"], notes="当面调解", hours=1.5)
    with pytest.raises(ValidationError, match="原因"):
        services.mediation_close(actor=secretary, case=case, name="fail", outcome="")
    case = services.mediation_close(actor=secretary, case=case, name="settle", outcome="双方达成赔偿协议")
    assert case.status == "settled"
    assert [event.action for event in services.timeline(case)] == ["open", "session", "settle"]


def test_a_cancelled_booking_frees_its_slot_and_only_its_resident_may_cancel(scene, cast):
    day = _day(scene)
    booking = services.reception_book(resident=cast.user("resident"), day=day, slot=datetime.time(9, 0), name="陈女士",
                                      matter="停车难")
    with pytest.raises(PermissionDenied):
        services.booking_cancel(resident=cast.user("member"), booking=booking)
    services.booking_cancel(resident=cast.user("resident"), booking=booking)
    again = services.reception_book(resident=cast.user("member"), day=day, slot=datetime.time(9, 0), name="林晓红",
                                    matter="另一件事")
    assert again.slot == datetime.time(9, 0)


def test_a_long_enterprise_name_fits_the_requests_contact_column(scene):
    """The request's contact is the enterprise; a name longer than the column is cut, not refused by PostgreSQL."""
    enterprise = scene["enterprise"]
    type(enterprise).objects.filter(pk=enterprise.pk).update(name="厦门" + "海沧" * 60 + "有限公司")
    enterprise.refresh_from_db()
    visit = services.pairing_visit_log(actor=scene["secretary"], enterprise=enterprise, visited_on=scene["today"],
                                       notes="走访企业", demands=[services.RaisedDemand("用电增容", scene["category"])])
    request = visit.demands.get().request
    assert len(request.contact_name) == 64 and enterprise.name.startswith(request.contact_name)

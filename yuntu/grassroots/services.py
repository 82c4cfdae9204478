"""Writes of 四下基层. Each action is atomic, checks scope, and leaves an audit entry.

Adopted proposals go into the ledger through `yuntu.ledger.services.measure_add` (the path voices
uses for suggestions); matters and enterprise demands become residents' voices requests through
`yuntu.voices.services.request_submit`, so they get the same deadlines, dispatch and stages.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import chinese, clock, workflow
from yuntu.orgs.models import Household, Org

from .models import (
    TEXT_MAX,
    Assignment,
    Contact,
    Demand,
    Enterprise,
    Event,
    Field,
    FieldVisit,
    MediationCase,
    MediationSession,
    Pairing,
    PairingTarget,
    PairingVisit,
    Proposal,
    ReceptionBooking,
    ReceptionDay,
    ResearchTopic,
    SiteProblem,
)
from .tasks import notify_on_commit
from .workflow import (
    BOOKING_TRANSITIONS,
    MEDIATION_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    BookingStatus,
    ContactKind,
    MediationStatus,
    TopicStatus,
)

HOURS_MAX = Decimal("24")


def _event(record, *, action: str, label: str, actor, text: str = "") -> None:
    Event.objects.create(record_type=record._meta.model_name, record_id=record.pk, org_path=record.org_path,
                         action=action, label=label, text=(text or "")[:255], actor=actor)


def timeline(record):
    """The events of one record, oldest first."""
    return Event.objects.filter(record_type=record._meta.model_name, record_id=record.pk).select_related("actor")


def _require(actor, org_path: str, message: str, permission: str = Permission.GRASSROOTS_EDIT) -> None:
    if not can(actor, permission, path=org_path):
        raise PermissionDenied(message)


def _text(value: str, field: str, label: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"请填写{label}。"})
    if len(value) > limit:
        raise ValidationError({field: f"{label}不能超过{limit}字（当前{len(value)}字）。"})
    return value


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value or 0)).quantize(Decimal("0.1"))
    except InvalidOperation as error:
        raise ValidationError({"hours": "时长应为数字（小时）。"}) from error
    if not Decimal("0") <= hours <= HOURS_MAX:
        raise ValidationError({"hours": "一次在一线的时长应在0至24小时之间。"})
    return hours


def _not_future(day: datetime.date, field: str) -> None:
    if day > clock.today():
        raise ValidationError({field: "日期不能晚于今天。"})


# ---- research topics 调研课题 -------------------------------------------------------------------


@transaction.atomic
def topic_create(*, actor, org: Org, title: str, field: str, starts_on: datetime.date, ends_on: datetime.date,
                 lead=None, lead_team: str = "") -> ResearchTopic:
    _require(actor, org.path, "无权为该单位确定调研课题。")
    title = _text(title, "title", "课题名称", limit=128)
    lead_team = (lead_team or "").strip()[:128]
    if lead is None and not lead_team:
        raise ValidationError({"lead": "请填写牵头领导或牵头调研组。"})
    if field not in Field.values:
        raise ValidationError({"field": "请选择调研领域。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "结束日期不能早于开始日期。"})
    topic = ResearchTopic.objects.create(org=org, org_path=org.path, title=title, field=field, lead=lead,
                                         lead_team=lead_team, starts_on=starts_on, ends_on=ends_on)
    _event(topic, action="create", label="确定调研课题", actor=actor, text=title)
    audit_record(actor=actor, action="topic.create", obj=topic, after={"title": title, "lead": getattr(lead, "pk", None)})
    return topic


@dataclass
class FoundProblem:
    description: str
    solved_on_site: bool = False
    solution: str = ""


@transaction.atomic
def field_visit_log(*, actor, topic: ResearchTopic, org: Org, visited_on: datetime.date, place: str, notes: str,
                    hours=0, problems: list[FoundProblem] | tuple = ()) -> FieldVisit:
    """实地调研: a visit of a topic with its notes and the problems found, each solved on the spot or not."""
    _require(actor, topic.org_path, "无权为该课题登记调研。")
    if not can(actor, Permission.ORG_VIEW, path=org.path):
        raise ValidationError({"org": "调研单位不在您的范围内。"})
    _not_future(visited_on, "visited_on")
    if not topic.starts_on <= visited_on <= max(topic.ends_on, topic.starts_on):
        raise ValidationError({"visited_on": f"调研日期应在课题周期内（{topic.starts_on}至{topic.ends_on}）。"})
    place = _text(place, "place", "调研地点", limit=128)
    notes = _text(notes, "notes", "调研记录")
    cleaned = []
    for number, problem in enumerate(problems, start=1):
        description = (problem.description or "").strip()
        if not description:
            continue
        if len(description) > 255:
            raise ValidationError({"problems": f"第{number}个问题不能超过255字。"})
        solution = (problem.solution or "").strip()[:255]
        if problem.solved_on_site and not solution:
            raise ValidationError({"problems": f"第{number}个问题标为现场解决，请写明解决情况。"})
        cleaned.append(FoundProblem(description, bool(problem.solved_on_site), solution))
    visit = FieldVisit.objects.create(org=org, org_path=org.path, topic=topic, visitor=actor, visited_on=visited_on,
                                      place=place, notes=notes, hours=_hours(hours))
    SiteProblem.objects.bulk_create([
        SiteProblem(org=org, org_path=org.path, visit=visit, description=item.description,
                    solved_on_site=item.solved_on_site, solution=item.solution, found_on=visited_on)
        for item in cleaned])
    _event(topic, action="visit", label="实地调研", actor=actor, text=f"{visited_on} {place}")
    audit_record(actor=actor, action="field_visit.log", obj=visit, org=org,
                 after={"topic": topic.pk, "problems": len(cleaned),
                        "solved_on_site": sum(1 for item in cleaned if item.solved_on_site)})
    return visit


@transaction.atomic
def topic_report(*, actor, topic: ResearchTopic, report: str, proposals: list[str]) -> ResearchTopic:
    """调研报告: the report of a topic with its proposals (one per line)."""
    topic = ResearchTopic.objects.select_for_update().get(pk=topic.pk)
    _require(actor, topic.org_path, "无权提交该课题的调研报告。")
    if topic.status != TopicStatus.RESEARCHING:
        raise ValidationError("该课题已提交调研报告。")
    report = _text(report, "report", "调研报告", limit=20000)
    texts = [text.strip() for text in proposals if text and text.strip()]
    if not texts:
        raise ValidationError({"proposals": "请至少提出一条对策建议。"})
    if any(len(text) > TEXT_MAX for text in texts):
        raise ValidationError({"proposals": f"每条对策建议不能超过{TEXT_MAX}字。"})
    topic.report, topic.reported_on, topic.status = report, clock.today(), TopicStatus.REPORTED
    topic.save(update_fields=["report", "reported_on", "status", "updated_at"])
    Proposal.objects.bulk_create([Proposal(org=topic.org, org_path=topic.org_path, topic=topic, text=text) for text in texts])
    _event(topic, action="report", label="提交调研报告", actor=actor, text=f"对策建议{len(texts)}条")
    audit_record(actor=actor, action="topic.report", obj=topic, after={"proposals": len(texts)})
    return topic


@transaction.atomic
def proposal_adopt(*, actor, proposal: Proposal, problem, measure_text: str, responsible_person: str,
                   deadline: datetime.date) -> Proposal:
    """Adopt a proposal as a measure of a ledger problem, the way a resident's suggestion is adopted."""
    from yuntu.ledger import services as ledger_services

    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    transition = PROPOSAL_TRANSITIONS["adopt"]
    _require(actor, proposal.org_path, "无权采纳该对策建议。", Permission.GRASSROOTS_EDIT)
    workflow.begin(transition, noun="对策建议", status=proposal.status, status_label=proposal.get_status_display())
    measure = ledger_services.measure_add(actor=actor, problem=problem, text=measure_text,
                                          responsible_person=responsible_person, deadline=deadline)
    proposal.status, proposal.measure = transition.target, measure
    proposal.save(update_fields=["status", "measure", "updated_at"])
    _event(proposal.topic, action="adopt", label="对策建议纳入整改台账", actor=actor, text=measure.text)
    audit_record(actor=actor, action="proposal.adopt", obj=proposal, after={"measure_id": measure.pk})
    return proposal


@transaction.atomic
def proposal_decline(*, actor, proposal: Proposal, reason: str) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    transition = PROPOSAL_TRANSITIONS["decline"]
    _require(actor, proposal.org_path, "无权处理该对策建议。")
    reason = workflow.begin(transition, noun="对策建议", status=proposal.status,
                            status_label=proposal.get_status_display(), reason=reason)
    proposal.status = transition.target
    proposal.save(update_fields=["status", "updated_at"])
    _event(proposal.topic, action="decline", label="对策建议暂不采纳", actor=actor, text=reason)
    audit_record(actor=actor, action="proposal.decline", obj=proposal, after={"reason": reason})
    return proposal


# ---- receptions 接访 约访 -----------------------------------------------------------------------


def reception_slots(day: ReceptionDay) -> list[datetime.time]:
    """The bookable slots of a reception day, from its start to its end in `slot_minutes` steps."""
    start = datetime.datetime.combine(day.date, day.starts_at)
    end = datetime.datetime.combine(day.date, day.ends_at)
    step = datetime.timedelta(minutes=day.slot_minutes)
    slots = []
    while start + step <= end:
        slots.append(start.time())
        start += step
    return slots


@transaction.atomic
def reception_day_schedule(*, actor, org: Org, leader, leader_title: str, date: datetime.date,
                           starts_at: datetime.time, ends_at: datetime.time, place: str, slot_minutes: int = 30,
                           theme: str = "", for_enterprises: bool = False) -> ReceptionDay:
    _require(actor, org.path, "无权为该单位安排领导接访日。")
    if date < clock.today():
        raise ValidationError({"date": "接访日期不能早于今天。"})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "结束时间应晚于开始时间。"})
    if not 10 <= int(slot_minutes) <= 240:
        raise ValidationError({"slot_minutes": "每个时段应为10至240分钟。"})
    day = ReceptionDay.objects.create(
        org=org, org_path=org.path, leader=leader, leader_title=_text(leader_title, "leader_title", "领导职务", limit=64),
        date=date, starts_at=starts_at, ends_at=ends_at, slot_minutes=int(slot_minutes),
        place=_text(place, "place", "接访地点", limit=128), theme=(theme or "").strip()[:128],
        for_enterprises=for_enterprises)
    _event(day, action="schedule", label="安排接访日", actor=actor)
    audit_record(actor=actor, action="reception_day.schedule", obj=day, after={"date": date, "leader": leader.pk})
    return day


@transaction.atomic
def reception_book(*, resident, day: ReceptionDay, slot: datetime.time | None, name: str,
                   matter: str) -> ReceptionBooking:
    """约访: a resident books one slot of a published reception day; a taken or unknown slot is refused."""
    if resident is None or not getattr(resident, "is_authenticated", False):
        raise PermissionDenied("请先登录后预约。")
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.date < clock.today():
        raise ValidationError({"slot": "该接访日已过，不能预约。"})
    if slot is None or slot not in reception_slots(day):
        raise ValidationError({"slot": f"所选时段不在接访安排内（{day.date} {day.starts_at:%H:%M}至{day.ends_at:%H:%M}，"
                                       f"每{day.slot_minutes}分钟一个时段）。"})
    if day.date == clock.today() and slot <= clock.now().astimezone().time():
        raise ValidationError({"slot": "该时段已过，请选择其他时段。"})
    name = _text(name, "name", "姓名", limit=64)
    matter = _text(matter, "matter", "反映事项")
    if ReceptionBooking.objects.filter(day=day, resident=resident).exclude(status=BookingStatus.CANCELLED).exists():
        raise ValidationError({"slot": "您已预约了该接访日的一个时段。"})
    try:
        with transaction.atomic():
            booking = ReceptionBooking.objects.create(org=day.org, org_path=day.org_path, day=day, slot=slot,
                                                      resident=resident, name=name, matter=matter)
    except IntegrityError as error:
        raise ValidationError({"slot": "该时段已被预约，请选择其他时段。"}) from error
    _event(booking, action="book", label="群众预约", actor=resident, text=f"{day.date} {slot:%H:%M}")
    audit_record(actor=resident, action="reception.book", obj=booking, after={"day": day.pk, "slot": slot})
    notify_on_commit("booked", booking.pk)
    return booking


@transaction.atomic
def booking_cancel(*, resident, booking: ReceptionBooking) -> ReceptionBooking:
    booking = ReceptionBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.resident_id != getattr(resident, "pk", None):
        raise PermissionDenied("只能取消本人的预约。")
    transition = BOOKING_TRANSITIONS["cancel"]
    workflow.begin(transition, noun="预约", status=booking.status, status_label=booking.get_status_display())
    booking.status = transition.target
    booking.save(update_fields=["status", "updated_at"])
    _event(booking, action="cancel", label="取消预约", actor=resident)
    audit_record(actor=resident, action="reception.cancel", obj=booking)
    notify_on_commit("cancelled", booking.pk)
    return booking


@transaction.atomic
def contact_log(*, actor, org: Org, kind: str, person_name: str, contacted_on: datetime.date, matter: str,
                outcome: str = "", follow_up: str = "", hours=0, household: Household | None = None,
                in_difficulty: bool = False, booking: ReceptionBooking | None = None,
                enterprise: Enterprise | None = None) -> Contact:
    """接访、下访、约访、走访: one contact with a person, logged by the cadre who made it."""
    if kind not in ContactKind.values:
        raise ValidationError({"kind": "请选择接访方式。"})
    if booking is not None:
        booking = ReceptionBooking.objects.select_for_update().select_related("day").get(pk=booking.pk)
        org, kind, person_name = booking.day.org, ContactKind.APPOINTMENT, person_name or booking.name
        matter = matter or booking.matter
        workflow.begin(BOOKING_TRANSITIONS["receive"], noun="预约", status=booking.status,
                       status_label=booking.get_status_display())
        if contacted_on != booking.day.date:
            raise ValidationError({"contacted_on": "约访记录的日期应为预约的接访日。"})
    _require(actor, org.path, "无权为该单位登记接访走访。")
    if household is not None:
        if not household.org_path.startswith(org.path):
            raise ValidationError({"household": "所选住户不属于该单位。"})
        kind = ContactKind.HOUSEHOLD_VISIT
    if enterprise is not None and not can(actor, Permission.GRASSROOTS_VIEW, path=enterprise.org_path):
        raise ValidationError({"enterprise": "所选企业不在您的范围内。"})
    _not_future(contacted_on, "contacted_on")
    contact = Contact.objects.create(
        org=org, org_path=org.path, kind=kind, cadre=actor, person_name=_text(person_name, "person_name", "来访（走访）对象", limit=64),
        household=household, in_difficulty=in_difficulty, booking=booking, enterprise=enterprise, contacted_on=contacted_on,
        matter=_text(matter, "matter", "反映事项"), outcome=_text(outcome, "outcome", "办理结果", required=False),
        follow_up=_text(follow_up, "follow_up", "后续跟进", required=False, limit=255), hours=_hours(hours))
    if booking is not None:
        booking.status = BookingStatus.RECEIVED
        booking.save(update_fields=["status", "updated_at"])
        notify_on_commit("received", booking.pk)
    _event(contact, action="log", label=f"登记{contact.get_kind_display()}", actor=actor, text=contact.outcome)
    if booking is not None:
        _event(booking, action="receive", label="已接待", actor=actor, text=contact.outcome)
    audit_record(actor=actor, action="contact.log", obj=contact, after={"kind": kind, "booking": getattr(booking, "pk", None)})
    return contact


@transaction.atomic
def contact_to_request(*, actor, contact: Contact, category) -> Contact:
    """A matter that needs action becomes a residents' voices request of the contact's unit (来访 channel)."""
    from yuntu.voices import services as voices_services
    from yuntu.voices.models import Channel

    contact = Contact.objects.select_for_update(of=("self",)).select_related("org", "booking").get(pk=contact.pk)
    if not can(actor, Permission.VOICES_TRIAGE, path=contact.org_path):
        raise PermissionDenied("无权把该事项转为群众诉求。")
    if contact.request_id:
        raise ValidationError("该事项已转为群众诉求。")
    resident = contact.booking.resident if contact.booking_id else None
    request = voices_services.request_submit(community=contact.org, category=category, text=contact.matter,
                                             channel=Channel.VISIT, resident=resident, actor=actor,
                                             contact_name=contact.person_name)
    contact.request = request
    contact.save(update_fields=["request", "updated_at"])
    _event(contact, action="to_request", label="转为群众诉求", actor=actor, text=request.number)
    audit_record(actor=actor, action="contact.to_request", obj=contact, after={"request": request.number})
    return contact


# ---- mediation 调解 -----------------------------------------------------------------------------


@transaction.atomic
def mediation_open(*, actor, org: Org, title: str, parties: str, opened_on: datetime.date,
                   contact: Contact | None = None) -> MediationCase:
    _require(actor, org.path, "无权为该单位受理调解。")
    names = [name.strip() for name in (parties or "").replace(",", "、").replace("，", "、").split("、") if name.strip()]
    if len(names) < 2:
        raise ValidationError({"parties": "调解至少有两方当事人，请以顿号分隔。"})
    _not_future(opened_on, "opened_on")
    case = MediationCase.objects.create(org=org, org_path=org.path, title=_text(title, "title", "纠纷事项", limit=128),
                                        parties="、".join(names)[:255], mediator=actor, opened_on=opened_on,
                                        contact=contact)
    _event(case, action="open", label="受理调解", actor=actor, text=case.parties)
    audit_record(actor=actor, action="mediation.open", obj=case, after={"parties": len(names)})
    return case


@transaction.atomic
def mediation_session_add(*, actor, case: MediationCase, held_on: datetime.date, notes: str, hours=0) -> MediationSession:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    _require(actor, case.org_path, "无权登记该调解。")
    if case.status != MediationStatus.MEDIATING:
        raise ValidationError("该调解已结案。")
    if held_on < case.opened_on:
        raise ValidationError({"held_on": "调解日期不能早于受理日期。"})
    _not_future(held_on, "held_on")
    session = MediationSession.objects.create(case=case, held_on=held_on, notes=_text(notes, "notes", "调解记录"),
                                              hours=_hours(hours))
    _event(case, action="session", label="调解", actor=actor, text=str(held_on))
    audit_record(actor=actor, action="mediation.session", obj=case, after={"held_on": held_on})
    return session


@transaction.atomic
def mediation_close(*, actor, case: MediationCase, name: str, outcome: str) -> MediationCase:
    case = MediationCase.objects.select_for_update().get(pk=case.pk)
    transition = workflow.find(MEDIATION_TRANSITIONS, name)
    _require(actor, case.org_path, "无权办结该调解。")
    workflow.begin(transition, noun="调解", status=case.status, status_label=case.get_status_display(), reason=outcome)
    if not case.sessions.exists():
        raise ValidationError("请先登记至少一次调解。")
    case.outcome, case.status = _text(outcome, "outcome", "调解结果"), transition.target
    case.save(update_fields=["outcome", "status", "updated_at"])
    _event(case, action=name, label=transition.label, actor=actor, text=case.outcome)
    audit_record(actor=actor, action=f"mediation.{name}", obj=case, after={"status": case.status})
    return case


# ---- pairing 挂钩 ------------------------------------------------------------------------------


@transaction.atomic
def enterprise_register(*, actor, org: Org, name: str, credit_code: str, address: str = "",
                        industry: str = "") -> Enterprise:
    _require(actor, org.path, "无权在该单位登记企业。")
    code = chinese.validate_credit_code(credit_code) if credit_code else None
    if code is None:
        raise ValidationError({"credit_code": "请填写统一社会信用代码。"})
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": "该统一社会信用代码的企业已登记。"})
    enterprise = Enterprise.objects.create(org=org, org_path=org.path, name=_text(name, "name", "企业名称", limit=128),
                                           credit_code=code, address=(address or "").strip()[:255],
                                           industry=(industry or "").strip()[:64])
    audit_record(actor=actor, action="enterprise.register", obj=enterprise, after={"credit_code": code})
    return enterprise


@transaction.atomic
def pairing_create(*, actor, org: Org, starts_on: datetime.date, cadre=None, department: Org | None = None,
                   enterprise: Enterprise | None = None, target_org: Org | None = None) -> Pairing:
    _require(actor, org.path, "无权为该单位安排挂钩联系。")
    if (cadre is None) == (department is None):
        raise ValidationError({"cadre": "请选择挂钩干部或挂钩部门（二选一）。"})
    if (enterprise is None) == (target_org is None):
        raise ValidationError({"enterprise": "请选择挂钩的企业或村（社区）（二选一）。"})
    if target_org is not None and target_org.level != "community":
        raise ValidationError({"target_org": "机关挂钩的对象应为村（社区）党组织。"})
    kind = (PairingTarget.ENTERPRISE if enterprise is not None
            else PairingTarget.VILLAGE if target_org.sector == "village" else PairingTarget.COMMUNITY)
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(org=org, org_path=org.path, cadre=cadre, department=department,
                                             target_kind=kind, enterprise=enterprise, target_org=target_org,
                                             starts_on=starts_on)
    except IntegrityError as error:
        raise ValidationError({"enterprise": "该干部已挂钩该企业。"}) from error
    _event(pairing, action="create", label="建立挂钩联系", actor=actor)
    audit_record(actor=actor, action="pairing.create", obj=pairing, after={"target": kind})
    return pairing


def pairings_of_cadre(actor):
    """Live pairings the actor works in: as the cadre, or in the paired department."""
    from yuntu.accounts.policy import scope_q

    today = clock.today()
    live = Pairing.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
    department_q = scope_q(actor, Permission.GRASSROOTS_EDIT, "department__path") & Q(department__isnull=False)
    return live.filter(Q(cadre=actor) | department_q)


@dataclass
class RaisedDemand:
    text: str
    category: object  # a voices Category


@transaction.atomic
def pairing_visit_log(*, actor, visited_on: datetime.date, notes: str, enterprise: Enterprise | None = None,
                      target_org: Org | None = None, served: bool = False, hours=0,
                      demands: list[RaisedDemand] | tuple = ()) -> PairingVisit:
    """A visit to a paired enterprise, village or community, with the demands it raised.

    Only a unit within the actor's own pairing may be visited; each demand becomes a voices request
    of the pairing unit, so it is dispatched and timed like a resident's.
    """
    from yuntu.voices import services as voices_services
    from yuntu.voices.models import Channel, Request

    if enterprise is None and target_org is None:
        raise ValidationError({"enterprise": "请选择走访的企业或村（社区）。"})
    target = {"enterprise": enterprise} if enterprise is not None else {"target_org": target_org}
    pairing = pairings_of_cadre(actor).filter(**target).select_related("org", "enterprise", "target_org").first()
    if pairing is None:
        label = enterprise.name if enterprise is not None else target_org.name
        raise ValidationError({"enterprise": f"“{label}”不在您的挂钩联系范围内，不能登记走访。"})
    _not_future(visited_on, "visited_on")
    if visited_on < pairing.starts_on:
        raise ValidationError({"visited_on": f"走访日期早于挂钩开始日期（{pairing.starts_on}）。"})
    notes = _text(notes, "notes", "走访情况")
    cleaned = [(_text(item.text, "demands", "诉求内容"), item.category) for item in demands if (item.text or "").strip()]
    if cleaned and not can(actor, Permission.VOICES_TRIAGE, path=pairing.org_path):
        raise PermissionDenied("您在挂钩单位没有受理诉求的权限，请由单位诉求受理人员登记诉求。")
    if any(category is None for _, category in cleaned):
        raise ValidationError({"demands": "请为每条诉求选择类别。"})
    # The request's contact is the unit itself; a long enterprise name is cut to the contact column's length.
    contact_name = pairing.target_label[:Request._meta.get_field("contact_name").max_length]
    visit = PairingVisit.objects.create(org=pairing.org, org_path=pairing.org_path, pairing=pairing, visitor=actor,
                                        visited_on=visited_on, notes=notes, served=served or bool(cleaned),
                                        hours=_hours(hours))
    for text, category in cleaned:
        request = voices_services.request_submit(community=pairing.org, category=category, text=text,
                                                 channel=Channel.VISIT, actor=actor, contact_name=contact_name)
        Demand.objects.create(org=pairing.org, org_path=pairing.org_path, visit=visit, pairing=pairing, raised_by=actor,
                              text=text, raised_on=visited_on, request=request)
    _event(pairing, action="visit", label="挂钩走访", actor=actor, text=f"{visited_on}，诉求{len(cleaned)}条")
    audit_record(actor=actor, action="pairing_visit.log", obj=visit, after={"pairing": pairing.pk, "demands": len(cleaned)})
    return visit


# ---- assignments 下派基层 ------------------------------------------------------------------------


@transaction.atomic
def assignment_create(*, actor, cadre, org: Org, kind: str, starts_on: datetime.date, ends_on: datetime.date,
                      duties: str = "") -> Assignment:
    _require(actor, org.path, "无权为该单位安排下派干部。", Permission.GRASSROOTS_APPRAISE)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "结束日期应晚于开始日期。"})
    if Assignment.objects.filter(cadre=cadre, starts_on__lt=ends_on, ends_on__gt=starts_on).exists():
        raise ValidationError({"starts_on": "该干部在这段时间已有下派安排。"})
    assignment = Assignment.objects.create(cadre=cadre, org=org, org_path=org.path, kind=kind, starts_on=starts_on,
                                           ends_on=ends_on, duties=(duties or "").strip()[:255])
    _event(assignment, action="create", label="下派基层", actor=actor, text=f"{starts_on}至{ends_on}")
    audit_record(actor=actor, action="assignment.create", obj=assignment, after={"cadre": cadre.pk, "kind": kind})
    return assignment

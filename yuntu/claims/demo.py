"""The demo district's service claims and dual reporting, near the figures Haicang reported:
members "served communities more than 20,000 times through dual reporting and solved over 300
grassroots problems" (基层党组织和党员通过精准"双报到"……到社区服务2万余人次，破解各类基层治理难题300余件).

What is written for the demo district (the root org with division code 350205), over the year up to now:

* a dual report (双报到) for every in-service member whose record names a reporting community, and
  one for each agency, SOE and school branch with one or two communities;
* 340 needs (微心愿 and 群众需求) posted by the residential communities: about 310 done (claimed,
  reported with proof, confirmed), some claimed and waiting for proof or confirmation, the rest
  open with a deadline still ahead;
* a service record (volunteer hours) for every confirmed claim, and community and volunteer
  services by the reported members and branches: 20,500 person-times in all;
* pledges (the X of 5+X) of some members, part of them served.

The demo member's own account gets a confirmed claim, a claim to finish, a pledge and open needs
in 兴旺社区 to claim. Rows go in bulk with their history dates and one audit entry on the root; the same
seed gives the same data, and a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Level, Member, Org, Sector

from .models import (
    Claim,
    ClaimEvent,
    DualReport,
    Need,
    NeedCategory,
    NeedKind,
    Pledge,
    ReportKind,
    ServiceKind,
    ServiceRecord,
)
from .workflow import ClaimStatus, NeedStatus

AUDIT_ACTION = "claims.demo_generate"
DEFAULT_SEED = 2023
NEEDS, DONE, IN_HAND = 340, 312, 14
SERVICE_VISITS = 20_500
YEAR_DAYS = 365
DEMO_COMMUNITY = "兴旺社区"

# category, kind, title, description, address (estate and building filled in), hours
NEED_TEXTS = [
    (NeedCategory.ELDERLY, NeedKind.WISH, "为独居老人更换厨房灯泡", "独居老人家中厨房灯泡损坏，行动不便，需要一名党员上门更换。", 1.0),
    (NeedCategory.ELDERLY, NeedKind.WISH, "陪同高龄老人到医院复诊", "八十多岁的老人每月需到区医院复诊，子女在外地，希望有党员陪同。", 3.0),
    (NeedCategory.ELDERLY, NeedKind.NEED, "为楼栋老人代购常用药品", "楼栋几位老人行动不便，需要每周代购一次常用药品。", 2.0),
    (NeedCategory.STUDY, NeedKind.WISH, "想要一套初中数学辅导书", "困难家庭学生的微心愿：一套初中数学同步辅导书。", 1.0),
    (NeedCategory.STUDY, NeedKind.NEED, "周末为留守儿童辅导作业", "小区留守儿童较多，周末需要党员志愿者辅导作业。", 2.5),
    (NeedCategory.LIVING, NeedKind.WISH, "为困难家庭修理漏水水龙头", "低保户家中水龙头漏水，无力请人维修。", 1.5),
    (NeedCategory.LIVING, NeedKind.NEED, "帮助残疾人家庭搬运家具", "残疾人家庭搬家，需要两三名党员帮忙搬运家具。", 3.0),
    (NeedCategory.ENVIRONMENT, NeedKind.NEED, "清理楼道堆放的杂物", "楼道长期堆放杂物，存在消防隐患，需要党员带头清理。", 2.0),
    (NeedCategory.ENVIRONMENT, NeedKind.NEED, "整治小区背街小巷卫生", "小区背街小巷垃圾较多，需要组织党员志愿者集中整治。", 2.5),
    (NeedCategory.HEALTH, NeedKind.NEED, "为社区老人测量血压", "社区老人较多，希望有医务工作者党员定期上门测量血压。", 2.0),
    (NeedCategory.LEGAL, NeedKind.NEED, "为居民解答租房合同问题", "几户居民遇到租房合同纠纷，希望有懂法律的党员解答。", 1.5),
    (NeedCategory.CULTURE, NeedKind.NEED, "为社区书屋整理图书", "社区书屋新到一批捐赠图书，需要分类上架。", 2.0),
]
SERVICE_TITLES = [
    (ServiceKind.COMMUNITY, "参加社区文明劝导"), (ServiceKind.COMMUNITY, "参加小区疫情防控值守"),
    (ServiceKind.COMMUNITY, "参与垃圾分类督导"), (ServiceKind.COMMUNITY, "参加社区议事协商会"),
    (ServiceKind.COMMUNITY, "参与小区消防安全巡查"), (ServiceKind.VOLUNTEER, "参加环境卫生志愿服务"),
    (ServiceKind.VOLUNTEER, "参加关爱老人志愿服务"), (ServiceKind.VOLUNTEER, "参加交通文明志愿服务"),
    (ServiceKind.VOLUNTEER, "参加“厝边学堂”志愿授课"), (ServiceKind.VOLUNTEER, "参加邻里节志愿服务"),
]
PLEDGES = ["每月为楼栋老人代购一次药品", "结对帮扶一户困难家庭", "每季度参加一次社区议事", "带头做好垃圾分类",
           "为小区儿童开展一次安全教育", "每月参加一次文明劝导"]


class DemoClaimsError(Exception):
    pass


@dataclass
class DemoClaimsResult:
    root: Org
    created: bool
    figures: dict


def _existing(root: Org):
    return Need.objects.filter(org_path__under=root.path)


def demo_figures(root: Org, *, start: datetime.date | None = None) -> dict:
    """The figures of the demo district through the registry (cumulative, or from `start`)."""
    scope = Scope(org_path=root.path, start=start)
    codes = ("claims.branches_reported", "claims.members_reported", "claims.needs_posted", "claims.needs_claimed",
             "claims.needs_done", "claims.service_visits", "claims.service_hours")
    return {code.split(".", 1)[1]: registry.value(code, scope) for code in codes}


class Year:
    """Moments within the past year, drawn by the seeded random generator."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng, self.now = rng, now

    def moment(self, *, after: datetime.datetime | None = None, within_days: int = YEAR_DAYS) -> datetime.datetime:
        start = after or self.now - datetime.timedelta(days=within_days)
        span = max(60, int((self.now - start).total_seconds()) - 60)
        moment = start + datetime.timedelta(seconds=self.rng.randrange(60, span))
        local = timezone.localtime(moment)
        return moment + datetime.timedelta(hours=(9 + self.rng.randrange(9)) - local.hour)

    def day(self, moment: datetime.datetime) -> datetime.date:
        return timezone.localtime(min(moment, self.now)).date()


def _point(rng: random.Random, community: Org) -> tuple[Decimal | None, Decimal | None]:
    if community.latitude is None:
        return None, None
    jitter = lambda: Decimal(str(round(rng.uniform(-0.004, 0.004), 6)))  # noqa: E731
    return community.latitude + jitter(), community.longitude + jitter()


@transaction.atomic
def generate_claims(root: Org | None = None, *, seed: int = DEFAULT_SEED, now: datetime.datetime | None = None,
                    visits: int = SERVICE_VISITS, needs: int = NEEDS) -> DemoClaimsResult:
    """Write the demo district's dual reports, needs, claims and service records; skip if already there."""
    root = root or find_demo_root()
    if root is None:
        raise DemoClaimsError("没有找到演示区（行政区划代码 350205 的区级根组织），请先运行 manage.py demo --scale district。")
    if _existing(root).exists():
        if AuditEntry.objects.filter(action=AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk)).exists():
            return DemoClaimsResult(root=root, created=False, figures=demo_figures(root))
        raise DemoClaimsError(f"“{root.name}”下已有{_existing(root).count()}条群众需求（非演示生成），未生成演示数据。")
    rng = random.Random(seed)
    now = now or clock.now()
    year = Year(rng, now)
    today = clock.today()
    communities = list(Org.objects.filter(path__under=root.path, level=Level.COMMUNITY, is_active=True,
                                          sector__in=(Sector.COMMUNITY, Sector.VILLAGE)).order_by("path"))
    if not communities:
        raise DemoClaimsError("演示区没有社区（村），请先运行 manage.py demo --scale district。")
    by_pk = {community.pk: community for community in communities}
    demo_community = next((c for c in communities if c.short_name == DEMO_COMMUNITY), communities[0])

    # 双报到: the in-service members whose record names a community, and the workplaces' branches.
    reported = list(Member.objects.filter(org_path__under=root.path, is_active=True, in_service=True,
                                          reporting_community_id__in=by_pk.keys())
                    .values_list("pk", "org_path", "reporting_community_id", "home_address", "user_id").order_by("pk"))
    if not reported:
        raise DemoClaimsError("演示区没有登记了双报到社区的在职党员。")
    reports = []
    for pk, org_path, community_id, home, _user in reported:
        community = by_pk[community_id]
        moment = year.moment(within_days=700)
        reports.append(DualReport(org=community, org_path=community.path, kind=ReportKind.MEMBER, member_id=pk,
                                  reporter_path=org_path, home_address=home or f"{community.short_name}辖区",
                                  reported_on=year.day(moment), created_at=moment, updated_at=moment))
    branches = list(Org.objects.filter(path__under=root.path, level=Level.BRANCH, is_active=True,
                                       sector__in=(Sector.AGENCY, Sector.SOE, Sector.SCHOOL)).order_by("path"))
    branch_reports: list[tuple[Org, Org]] = []
    for branch in branches:
        for community in rng.sample(communities, k=min(len(communities), 1 + (rng.random() < 0.3))):
            moment = year.moment(within_days=700)
            branch_reports.append((branch, community))
            reports.append(DualReport(org=community, org_path=community.path, kind=ReportKind.BRANCH, branch=branch,
                                      reporter_path=branch.path, reported_on=year.day(moment), created_at=moment,
                                      updated_at=moment))
    members_by_community: dict[int, list[tuple]] = {}
    for row in reported:
        members_by_community.setdefault(row[2], []).append(row)
    demo_member = Member.objects.filter(org_path__under=root.path, user__username__endswith="member",
                                        user__grants__role="member").first()

    # Needs and their claims.
    need_rows, claims, events, services = [], [], [], []
    done, in_hand = round(needs * DONE / NEEDS), round(needs * IN_HAND / NEEDS)
    statuses = [NeedStatus.DONE] * done + ["in_hand"] * in_hand + [NeedStatus.OPEN] * max(0, needs - done - in_hand)
    claimable = [community for community in communities if members_by_community.get(community.pk)]
    for index, state in enumerate(statuses):
        community = demo_community if index % 25 == 0 or (state == NeedStatus.OPEN and index % 3 == 0) \
            else rng.choice(claimable)
        category, kind, title, description, hours = rng.choice(NEED_TEXTS)
        places = 1 if rng.random() < 0.8 else rng.choice((2, 3))
        posted = year.moment(within_days=YEAR_DAYS - 30) if state == NeedStatus.DONE else year.moment(within_days=40)
        deadline = (timezone.localtime(posted).date() + datetime.timedelta(days=rng.choice((14, 21, 30, 45))))
        if state != NeedStatus.DONE:
            deadline = max(deadline, today + datetime.timedelta(days=rng.randrange(5, 30)))
        latitude, longitude = _point(rng, community)
        need = Need(org=community, org_path=community.path, kind=kind, category=category, title=title,
                    description=description, address=f"{community.short_name}{rng.randint(1, 30)}号楼",
                    latitude=latitude, longitude=longitude, claimants_needed=places, deadline=deadline,
                    posted_at=posted, created_at=posted, updated_at=posted)
        need_rows.append(need)
        if state == NeedStatus.OPEN:
            continue
        pool = members_by_community.get(community.pk) or []
        taken = rng.sample(pool, k=min(places, len(pool)))
        if state == "in_hand":
            taken = taken[:1] if places > 1 else taken
        need.claimed_count = len(taken)
        need.status = NeedStatus.DONE if state == NeedStatus.DONE else (
            NeedStatus.FULL if len(taken) == places else NeedStatus.OPEN)
        need.first_claimed_at = min(posted + datetime.timedelta(hours=rng.randrange(1, 48)),
                                    now - datetime.timedelta(hours=3))
        latest = need.first_claimed_at
        for number, (pk, org_path, _community, _home, _user) in enumerate(taken):
            claimed_at = need.first_claimed_at + datetime.timedelta(minutes=37 * number)
            claim = Claim(need=need, org=community, org_path=community.path, member_id=pk, claimant_path=org_path,
                          claimed_at=claimed_at, created_at=claimed_at, updated_at=claimed_at)
            claim_events = [("claim", "认领", claimed_at, "")]
            if state == NeedStatus.DONE or number % 2 == 0 and rng.random() < 0.5:
                claim.reported_at = claimed_at + datetime.timedelta(days=rng.randrange(1, 10), hours=rng.randrange(6))
                claim.reported_at = min(claim.reported_at, now - datetime.timedelta(hours=2))
                claim.hours = Decimal(str(hours))
                claim.proof_text = f"已完成：{title}。{description[:20]}……现场照片已交社区存档。"
                claim.status = ClaimStatus.REPORTED
                claim_events.append(("report", "提交完成情况", claim.reported_at, claim.proof_text))
            if state == NeedStatus.DONE:
                claim.status = ClaimStatus.CONFIRMED
                claim.confirmed_at = min(claim.reported_at + datetime.timedelta(hours=rng.randrange(2, 30)), now)
                claim_events.append(("confirm", "确认完成", claim.confirmed_at, ""))
                latest = max(latest, claim.confirmed_at)
                services.append(ServiceRecord(
                    org=community, org_path=community.path, kind=ServiceKind.NEED, member_id=pk, server_path=org_path,
                    title=f"认领：{title}"[:128], served_on=year.day(claim.reported_at), hours=claim.hours, claim=claim,
                    created_at=claim.confirmed_at, updated_at=claim.confirmed_at))
            claim.updated_at = claim_events[-1][2]
            claims.append(claim)
            events += [ClaimEvent(claim=claim, action=action, label=label, text=text, occurred_at=moment)
                       for action, label, moment, text in claim_events]
        if state == NeedStatus.DONE:
            need.completed_at = latest
        need.updated_at = latest

    # Community and volunteer services by the reported members (and some by branches as a whole).
    pledges = []
    for pk, _org_path, _community, _home, _user in reported:
        if rng.random() < 0.18:
            for title in rng.sample(PLEDGES, k=rng.choice((1, 2))):
                moment = year.moment(within_days=330)
                pledges.append(Pledge(member_id=pk, year=timezone.localtime(moment).year, title=title,
                                      created_at=moment, updated_at=moment))
    pledges_by_member: dict[int, list[Pledge]] = {}
    for pledge in pledges:
        pledges_by_member.setdefault(pledge.member_id, []).append(pledge)
    remaining = max(0, visits - len(services))
    branch_share = min(len(branch_reports) * 4, remaining // 20)
    for _ in range(branch_share):
        branch, community = rng.choice(branch_reports)
        kind, title = rng.choice(SERVICE_TITLES)
        moment = year.moment()
        services.append(ServiceRecord(org=community, org_path=community.path, kind=kind, branch=branch,
                                      server_path=branch.path, title=f"{branch.short_name or '支部'}组织党员{title[2:]}"[:128],
                                      served_on=year.day(moment), hours=Decimal(rng.choice(("2", "3", "4"))),
                                      created_at=moment, updated_at=moment))
    weights = [rng.paretovariate(1.6) for _ in reported]
    for pk, org_path, community_id, _home, _user in rng.choices(reported, weights=weights, k=remaining - branch_share):
        community = by_pk[community_id]
        kind, title = rng.choice(SERVICE_TITLES)
        moment = year.moment()
        pledge = None
        member_pledges = pledges_by_member.get(pk)
        if member_pledges and rng.random() < 0.5:
            pledge = rng.choice(member_pledges)
            if pledge.year != timezone.localtime(moment).year:
                pledge = None
        services.append(ServiceRecord(org=community, org_path=community.path, kind=kind, member_id=pk,
                                      server_path=org_path, title=title, served_on=year.day(moment),
                                      hours=Decimal(rng.choice(("1", "1.5", "2", "2", "3", "4"))), pledge=pledge,
                                      created_at=moment, updated_at=moment))

    with history_kept(Need, Claim, ClaimEvent, DualReport, ServiceRecord, Pledge):
        DualReport.objects.bulk_create(reports, batch_size=1000)
        Need.objects.bulk_create(need_rows, batch_size=500)
        for claim in claims:
            claim.need_id = claim.need.pk
        Claim.objects.bulk_create(claims, batch_size=500)
        for event in events:
            event.claim_id = event.claim.pk
        ClaimEvent.objects.bulk_create(events, batch_size=1000)
        Pledge.objects.bulk_create(pledges, batch_size=1000)
        for record in services:
            if record.claim is not None:
                record.claim_id = record.claim.pk
            if record.pledge is not None:
                record.pledge_id = record.pledge.pk
        ServiceRecord.objects.bulk_create(services, batch_size=2000)
    _demo_member_year(demo_member, demo_community, rng, now)
    figures = demo_figures(root)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={"seed": seed, **{key: str(value) for key, value in
                                                                                     figures.items()}})
    return DemoClaimsResult(root=root, created=True, figures=figures)


def _demo_member_year(member: Member | None, community: Org, rng: random.Random, now: datetime.datetime) -> None:
    """The demo member's own account: reported to 兴旺社区, one need done, one to finish, a pledge."""
    if member is None:
        return
    if not DualReport.objects.filter(member=member, ended_on__isnull=True).exists():
        DualReport.objects.create(org=community, org_path=community.path, kind=ReportKind.MEMBER, member=member,
                                  reporter_path=member.org_path, home_address=member.home_address or "兴旺小区3号楼",
                                  reported_on=timezone.localdate(now) - datetime.timedelta(days=200))
    Pledge.objects.get_or_create(member=member, year=timezone.localdate(now).year, title="结对帮扶一户困难家庭")
    for state in (ClaimStatus.CONFIRMED, ClaimStatus.CLAIMED):
        posted = now - datetime.timedelta(days=20 if state == ClaimStatus.CONFIRMED else 3)
        need = Need.objects.create(
            org=community, org_path=community.path, kind=NeedKind.WISH, category=NeedCategory.ELDERLY,
            title="为独居老人更换厨房灯泡" if state == ClaimStatus.CONFIRMED else "陪同高龄老人到医院复诊",
            description="兴旺小区独居老人的微心愿。", address="兴旺小区5号楼", claimants_needed=1, claimed_count=1,
            deadline=timezone.localdate(now) + datetime.timedelta(days=10), posted_at=posted, first_claimed_at=posted,
            status=NeedStatus.DONE if state == ClaimStatus.CONFIRMED else NeedStatus.FULL,
            completed_at=posted + datetime.timedelta(days=2) if state == ClaimStatus.CONFIRMED else None)
        claim = Claim.objects.create(need=need, org=community, org_path=community.path, member=member,
                                     claimant_path=member.org_path, claimed_at=posted, status=state)
        ClaimEvent.objects.create(claim=claim, action="claim", label="认领")
        if state == ClaimStatus.CONFIRMED:
            Claim.objects.filter(pk=claim.pk).update(proof_text="已上门更换厨房灯泡并检查线路。", hours=Decimal("1.5"),
                                                     reported_at=posted + datetime.timedelta(days=1),
                                                     confirmed_at=posted + datetime.timedelta(days=2))
            ServiceRecord.objects.create(org=community, org_path=community.path, kind=ServiceKind.NEED, member=member,
                                         server_path=member.org_path, title="认领：为独居老人更换厨房灯泡",
                                         served_on=timezone.localdate(posted + datetime.timedelta(days=1)),
                                         hours=Decimal("1.5"), claim=claim)

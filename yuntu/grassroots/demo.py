"""The demo district's 四下基层 year, landing on Haicang's reported figures when computed.

* 221 research topics of the district's units (处级以上领导班子), with field visits and the problems
  found on them: 96 solved on the spot;
* 520 enterprises with valid unified social credit codes; 141 visits of paired cadres to them
  (走访企业141家次), 511 of them served at 益企接待日 receptions (服务企业511家), and 312 demands
  raised on the visits, handled as voices requests, 296 of them answered (协助解决诉求近300个);
* reception days to come that residents can book, household visits of members (families in
  difficulty among them), mediation cases and a new civil servant's year in a village.

Rows are written in bulk with their own dates; a second run finds the topics there and changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import User
from yuntu.core import chinese, clock
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Household, Level, Org, Sector

from . import models as m

SEED = 2023
TOPICS, SOLVED_ON_SITE, ENTERPRISE_VISITS, ENTERPRISES_SERVED, DEMANDS, DEMANDS_RESOLVED = 221, 96, 141, 511, 312, 296
ENTERPRISES = 520
AUDIT_ACTION = "grassroots.demo"
FIELDS = list(m.Field.values)
SUBJECTS = ["老旧小区改造", "马銮湾片区开发", "新就业群体服务", "社区养老服务", "中小企业融资", "三江口湿地保护", "学位供给",
            "社区卫生服务延时", "口袋公园建设", "村集体经济发展", "营商环境优化", "流动党员管理", "垃圾分类", "背街小巷整治"]
PROBLEMS = [("楼道照明损坏", "现场联系物业更换"), ("路面坑洼积水", "现场协调城管局修补"), ("公交站台缺少遮雨棚", "现场明确建设单位"),
            ("企业用工信息不畅", "现场对接人社部门招聘会"), ("小区消防通道被占", "现场组织清理"), ("垃圾分类点位不足", "现场增设点位"),
            ("老人就餐不便", "现场协调长者食堂送餐"), ("企业办证流程不清", "现场讲解并代办")]
DEMAND_TEXTS = ["企业门口道路破损，货车进出困难", "希望协调解决员工子女入学", "厂区周边路灯不亮", "申请人才公寓房源",
                "希望简化项目审批流程", "厂区排水管网需要改造", "希望对接银行解决流动资金", "园区公交班次少"]
INDUSTRY = ["智能制造", "生物医药", "现代物流", "新材料", "软件信息", "港口航运"]
NAME_PARTS = ["海沧", "新阳", "嵩屿", "东孚", "马銮", "鳌冠", "天竺", "蔡尖", "霞阳", "渐美", "新垵", "石塘"]


class DemoGrassrootsError(Exception):
    pass


@dataclass
class Result:
    root: Org
    created: bool
    figures: dict


def credit_code(serial: int) -> str:
    first = f"91350205MA{serial:07d}"[:17]
    return first + chinese.credit_code_check_character(first)


def _figures(root: Org) -> dict:
    from yuntu.indicators import registry
    from yuntu.indicators.registry import Scope

    codes = ("grassroots.topics", "grassroots.problems_solved_on_site", "grassroots.enterprises_visited",
             "grassroots.enterprises_served", "grassroots.demands_raised", "grassroots.demands_resolved",
             "grassroots.contacts")
    return {code: registry.value(code, Scope(root.path)) for code in codes}


def _staff(root: Org) -> list[User]:
    users = list(User.objects.filter(grants__org_path__under=root.path).exclude(grants__role="resident")
                 .distinct().order_by("id")[:40])
    if not users:
        raise DemoGrassrootsError("演示区没有工作人员账号，请先运行 manage.py demo --scale district。")
    return users


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(max((end - start).days, 1)))


@transaction.atomic
def generate_grassroots(root: Org | None = None, *, seed: int = SEED) -> Result:
    from yuntu.voices.calendar import add_working_days
    from yuntu.voices.models import Category, Channel, Request

    root = root or find_demo_root()
    if root is None:
        raise DemoGrassrootsError("没有找到演示区（行政区划代码 350205），请先运行 manage.py demo --scale district。")
    if m.ResearchTopic.objects.filter(org_path__under=root.path).exists():
        return Result(root, False, _figures(root))
    rng = random.Random(seed)
    today = clock.today()
    year_start = today - datetime.timedelta(days=300)
    staff = _staff(root)
    by_name = {user.username: user for user in staff}
    secretary = (by_name.get("haicang-street_secretary")
                 or User.objects.filter(grants__role="street_secretary", grants__org_path__under=root.path).order_by("id").first()
                 or staff[0])
    orgs = list(Org.objects.filter(path__under=root.path, level__in=[Level.STREET, Level.COMMUNITY, Level.BRANCH])
                .exclude(depth=1).only("id", "path", "level", "sector", "name", "short_name").order_by("path"))
    units = [org for org in orgs if org.level == Level.STREET or org.sector == Sector.AGENCY] or orgs[:20]
    communities = [org for org in orgs if org.level == Level.COMMUNITY] or units
    street = next((org for org in orgs if org.level == Level.STREET and "新阳" in org.name), units[0])

    topics = []
    for number in range(TOPICS):
        org = root if number % 9 == 0 else units[number % len(units)]
        starts = _day(rng, year_start, today - datetime.timedelta(days=40))
        lead = secretary if org.pk == street.pk and number % 2 else None
        topics.append(m.ResearchTopic(org=org, org_path=org.path, title=f"{SUBJECTS[number % len(SUBJECTS)]}专题调研（{number + 1}）",
                                      field=FIELDS[number % len(FIELDS)], lead=lead,
                                      lead_team="" if lead else f"{org.short_name or org.name}领导班子调研组",
                                      starts_on=starts, ends_on=starts + datetime.timedelta(days=60),
                                      status="reported" if number % 3 else "researching",
                                      report="调研报告：摸清情况、找准症结，提出对策建议。" if number % 3 else "",
                                      reported_on=starts + datetime.timedelta(days=45) if number % 3 else None))
    m.ResearchTopic.objects.bulk_create(topics, batch_size=500)
    visits = []
    for number, topic in enumerate(topics):
        for extra in range(1 + number % 2):
            place = communities[(number + extra) % len(communities)]
            visits.append(m.FieldVisit(org=place, org_path=place.path, topic=topic, visitor=topic.lead or staff[number % len(staff)],
                                       visited_on=topic.starts_on + datetime.timedelta(days=5 + extra * 7),
                                       place=place.short_name or place.name, notes="深入基层摸清情况，听取群众意见。",
                                       hours=Decimal("3.0")))
    m.FieldVisit.objects.bulk_create(visits, batch_size=500)
    problems = []
    for number in range(SOLVED_ON_SITE + 60):
        visit = visits[number % len(visits)]
        text, solution = PROBLEMS[number % len(PROBLEMS)]
        solved = number < SOLVED_ON_SITE
        problems.append(m.SiteProblem(org=visit.org, org_path=visit.org_path, visit=visit, description=text,
                                      solved_on_site=solved, solution=solution if solved else "", found_on=visit.visited_on))
    m.SiteProblem.objects.bulk_create(problems, batch_size=500)
    m.Proposal.objects.bulk_create([m.Proposal(org=topic.org, org_path=topic.org_path, topic=topic,
                                               text=f"关于{topic.title[:12]}的对策建议")
                                    for topic in topics if topic.status == "reported"], batch_size=500)

    enterprises = []
    for number in range(ENTERPRISES):
        org = communities[number % len(communities)]
        name = f"厦门{NAME_PARTS[number % len(NAME_PARTS)]}{INDUSTRY[number % len(INDUSTRY)]}第{number + 1}有限公司"
        enterprises.append(m.Enterprise(org=org, org_path=org.path, name=name, credit_code=credit_code(350000 + number),
                                        industry=INDUSTRY[number % len(INDUSTRY)]))
    m.Enterprise.objects.bulk_create(enterprises, batch_size=500)
    cadres = [user for user in staff if not user.username.endswith(("resident", "administrator"))] or staff
    pairings = []
    for number, enterprise in enumerate(enterprises[:70]):
        cadre = secretary if number < 3 else cadres[number % len(cadres)]
        pairings.append(m.Pairing(org=street if cadre == secretary else root, org_path=(street if cadre == secretary else root).path,
                                  cadre=cadre, target_kind="enterprise", enterprise=enterprise,
                                  starts_on=year_start - datetime.timedelta(days=30)))
    m.Pairing.objects.bulk_create(pairings, batch_size=500)
    pairing_visits = []
    for number in range(ENTERPRISE_VISITS):
        pairing = pairings[number % len(pairings)]
        pairing_visits.append(m.PairingVisit(org=pairing.org, org_path=pairing.org_path, pairing=pairing, visitor=pairing.cadre,
                                             visited_on=_day(rng, year_start, today), notes="走访企业，了解生产经营和党建工作情况。",
                                             served=True, hours=Decimal("2.0")))
    m.PairingVisit.objects.bulk_create(pairing_visits, batch_size=500)

    category = (Category.objects.filter(is_active=True, name__contains="企").first()
                or Category.objects.filter(is_active=True).first())
    if category is None:
        category = Category.objects.create(code="enterprise", name="惠企服务", answer_days=1, resolve_days=5)
    demands, requests = [], []
    for number in range(DEMANDS):
        visit = pairing_visits[number % len(pairing_visits)]
        moment = timezone.make_aware(datetime.datetime.combine(visit.visited_on, datetime.time(10, 0)))
        resolved = number < DEMANDS_RESOLVED
        request = Request(org=visit.org, org_path=visit.org_path, number=f"QY{visit.visited_on:%Y%m%d}{number + 1:05d}",
                          category=category, text=DEMAND_TEXTS[number % len(DEMAND_TEXTS)], channel=Channel.VISIT,
                          contact_name=visit.pairing.enterprise.name, status="published" if resolved else "handling",
                          submitted_at=moment, answer_due=add_working_days(moment, category.answer_days),
                          resolve_due=add_working_days(moment, category.resolve_days),
                          answered_at=moment + datetime.timedelta(days=3) if resolved else None,
                          reply="已协调相关部门办结。" if resolved else "", created_by=visit.visitor)
        requests.append(request)
        demands.append(m.Demand(org=visit.org, org_path=visit.org_path, visit=visit, pairing=visit.pairing,
                                raised_by=visit.visitor, text=request.text, raised_on=visit.visited_on, request=request))
    Request.objects.bulk_create(requests, batch_size=500)
    # The unsaved requests were saved just before: bulk_create takes their new ids.
    m.Demand.objects.bulk_create(demands, batch_size=500)

    district_leader = (by_name.get("haicang-district_officer")
                       or User.objects.filter(grants__role="district_officer", grants__org_path=root.path).order_by("id").first()
                       or secretary)
    reception_days = []
    for number in range(6):
        at_district = number % 3 == 1
        org = root if at_district else street
        reception_days.append(m.ReceptionDay(org=org, org_path=org.path, leader=district_leader if at_district else secretary,
                                             leader_title="区委常委、组织部部长" if at_district else "街道党工委书记",
                                             for_enterprises=number == 4, date=today + datetime.timedelta(days=2 + number * 3),
                                             starts_at=datetime.time(9, 0), ends_at=datetime.time(11, 30),
                                             place="海沧区群众来访接待中心" if at_district else "新阳街道党群服务中心",
                                             theme="益企接待日" if number == 4 else "领导干部接访日"))
    past_day = m.ReceptionDay(org=street, org_path=street.path, leader=secretary, leader_title="区领导", for_enterprises=True,
                              date=today - datetime.timedelta(days=20), starts_at=datetime.time(9, 0),
                              ends_at=datetime.time(17, 0), place="海沧区企业服务中心", theme="益企接待日")
    m.ReceptionDay.objects.bulk_create([*reception_days, past_day])
    contacts = []
    for number, enterprise in enumerate(enterprises[:ENTERPRISES_SERVED]):
        contacts.append(m.Contact(org=enterprise.org, org_path=enterprise.org_path, kind="reception",
                                  cadre=cadres[number % len(cadres)], person_name=f"{enterprise.name[:8]}负责人",
                                  enterprise=enterprise, contacted_on=_day(rng, year_start, today),
                                  matter="益企接待日：反映生产经营困难，咨询惠企政策。", outcome="现场解答政策，登记跟进。",
                                  hours=Decimal("1.0")))
    households = list(Household.objects.filter(org_path__under=root.path).select_related("member")[:200])
    members = [user for user in User.objects.filter(member__org_path__under=root.path).order_by("id")[:30]]
    for number, household in enumerate(households):
        visitor = members[number % len(members)] if members else secretary
        contacts.append(m.Contact(org=household.org, org_path=household.org_path, kind="household_visit", cadre=visitor,
                                  person_name="住户", household=household, in_difficulty=number % 3 == 0,
                                  contacted_on=_day(rng, year_start, today), matter="入户走访，了解生活困难和诉求。",
                                  outcome="登记困难，协调社区帮扶。", hours=Decimal("1.0")))
    m.Contact.objects.bulk_create(contacts, batch_size=500)
    cases = [m.MediationCase(org=communities[number % len(communities)], org_path=communities[number % len(communities)].path,
                             title=title, parties=parties, mediator=secretary, opened_on=today - datetime.timedelta(days=30 - number),
                             status="settled" if number % 2 == 0 else "mediating",
                             outcome="双方达成调解协议。" if number % 2 == 0 else "")
             for number, (title, parties) in enumerate([("楼上漏水邻里纠纷", "王某、李某"), ("商铺噪音扰民", "张某、某餐饮店"),
                                                        ("宅基地界址纠纷", "陈某、林某"), ("物业费争议", "业主委员会、物业公司")])]
    m.MediationCase.objects.bulk_create(cases)
    m.MediationSession.objects.bulk_create([m.MediationSession(case=case, held_on=case.opened_on, notes="召集双方当面调解。",
                                                               hours=Decimal("2.0")) for case in cases])
    villages = [org for org in communities if org.sector == Sector.VILLAGE] or communities
    member_user = by_name.get("haicang-member", cadres[-1])
    m.Assignment.objects.bulk_create([m.Assignment(org=villages[0], org_path=villages[0].path, cadre=member_user,
                                                   kind="new_civil_servant", starts_on=today - datetime.timedelta(days=120),
                                                   ends_on=today + datetime.timedelta(days=245), duties="村委会主任助理")])
    figures = _figures(root)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={"seed": seed, **figures})
    return Result(root, True, figures)


EXPECTED = {"grassroots.topics": TOPICS, "grassroots.problems_solved_on_site": SOLVED_ON_SITE,
            "grassroots.enterprises_visited": ENTERPRISE_VISITS, "grassroots.enterprises_served": ENTERPRISES_SERVED,
            "grassroots.demands_resolved": DEMANDS_RESOLVED}


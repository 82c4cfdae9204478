"""The demo district's residents' voices: categories, a season of requests, and Haicang's 796 suggestions.

What is written for the demo district (the root org with division code 350205):

* eight categories (Open311 services) with the responsible organ found by name in the tree
  (城市管理局, 建设与交通局, 生态环境分局, 应急管理局 …), answer within 1 working day, resolve
  within 5, some with extra questions;
* a season (91 days up to now) of requests in every residential community, at points near the
  community (Haicang: 24.48 N 118.03 E, all within ±0.1°), through every channel and at every
  stage: submitted, handled by the community, dispatched to the organs' branches (pending,
  accepted, replied, handed back), published, rated (satisfied / basically / not), reopened once,
  merged as duplicates and declined; some open items are past their deadline, part of them
  already escalated, so `manage.py voices_escalate` has work to do;
* the drive 我为高质量发展献良策 with exactly 796 suggestions of which 384 are adopted.

The adopted suggestions are linked to 384 *existing* measures of the demo ledger (`manage.py
demo_ledger`), preferring measures of problems raised by residents: adding measures would move the
ledger's published figures (547 problems, 1,035 measures, 720 completed), which must stay as the
seed reports them. So the ledger must be generated first; `demo_ledger --reset` afterwards unlinks
the suggestions (the link is SET_NULL) and `demo_voices --reset` links them again.

Rows are written in bulk with their history dates and one audit entry on the root; the same seed
gives the same data, and a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import AuditEntry
from yuntu.core import chinese, clock, crypto
from yuntu.demo.history import history_kept
from yuntu.ledger.demo import find_demo_root
from yuntu.ledger.models import Measure
from yuntu.orgs.models import Kind, Level, Org, Resident, Sector

from . import rollups, selectors
from .calendar import add_working_days
from .models import Category, Channel, Dispatch, Request, RequestEvent, Suggestion, SuggestionDrive
from .workflow import DispatchStatus, Rating, RequestStatus

AUDIT_ACTION = "voices.demo_generate"
DEFAULT_SEED = 2024
SEASON_DAYS = 91
REQUESTS = 900
SUGGESTIONS, ADOPTED = 796, 384
DRIVE_TITLE = "我为高质量发展献良策"
CENTRE, SPREAD = (24.48, 118.03), 0.1

# code, name, group, description, the organ responsible (found by this word in its name), questions
CATEGORIES = [
    ("road", "道路设施", "城市管理", "路面破损、井盖缺失、路灯不亮、护栏损坏", "建设与交通局", [
        {"code": "facility", "datatype": "singlevaluelist", "required": False, "description": "设施类型",
         "values": [{"key": "streetlight", "name": "路灯"}, {"key": "pavement", "name": "路面"},
                    {"key": "manhole", "name": "井盖"}, {"key": "railing", "name": "护栏"}]}]),
    ("sanitation", "环境卫生", "城市管理", "垃圾清运不及时、乱扔乱倒、公厕保洁", "城市管理局", []),
    ("property", "物业管理", "住房与物业", "物业服务、电梯故障、公共收益、业委会", "建设与交通局", [
        {"code": "estate", "datatype": "string", "required": False, "description": "小区名称"}]),
    ("noise", "噪音扰民", "生态环境", "施工、商铺、娱乐场所噪声", "生态环境分局", [
        {"code": "period", "datatype": "multivaluelist", "required": False, "description": "发生时段",
         "values": [{"key": "day", "name": "白天"}, {"key": "evening", "name": "晚上（22点前）"},
                    {"key": "night", "name": "夜间（22点后）"}]}]),
    ("parking", "停车管理", "交通出行", "乱停乱放、占用消防通道、停车位不足", "城市管理局", []),
    ("greening", "绿化养护", "城市管理", "树木倒伏、绿地破坏、枯枝修剪", "城市管理局", []),
    ("safety", "公共安全", "安全", "消防隐患、电动车违规充电、高空坠物", "应急管理局", []),
    ("other", "其他", "其他", "其他需要社区协调解决的事项", "", []),
]
SECOND_DEPARTMENT = {"parking": "建设与交通局", "safety": "城市管理局", "road": "城市管理局", "sanitation": "生态环境分局"}
TEXTS = {
    "road": ["{place}门口路灯连续几晚不亮，晚上出行不安全", "{road}靠近{place}路段路面坑洼，下雨天积水严重",
             "{place}旁边人行道井盖松动，踩上去有响声", "{road}护栏被撞坏一直没有修复", "{place}东侧盲道被破坏，视障人士通行困难"],
    "sanitation": ["{place}垃圾分类点垃圾清运不及时，气味很大", "{road}绿化带里有人乱倒建筑垃圾", "{place}附近公厕保洁差，没有洗手液",
                   "{place}楼道堆满杂物，长期无人清理", "{road}沿街店铺污水直接排到路面"],
    "property": ["{place}电梯经常故障停运，老人上下楼困难", "{place}物业公共收益不公开，业主有意见", "{place}地下室渗水，物业推诿不处理",
                 "{place}门禁坏了一个月没修", "{place}物业费上涨未经业主大会讨论"],
    "noise": ["{road}工地夜间施工噪音大，影响休息", "{place}楼下烧烤店营业到凌晨，噪音扰民", "{place}广场舞音响声音太大",
              "{road}KTV夜间噪音扰民", "{place}装修周末一早就开工"],
    "parking": ["{place}消防通道长期被私家车占用", "{road}非机动车乱停乱放，挡住人行道", "{place}停车位紧张，外来车辆占用",
                "{place}门口僵尸车停放半年无人处理", "{road}共享单车堆积，影响通行"],
    "greening": ["{place}小区里大树倾斜，台风天有倒伏危险", "{road}绿化带枯枝没有修剪，遮挡路灯", "{place}绿地被私自改成菜地",
                 "{road}行道树根系拱起人行道", "{place}草坪长期无人养护"],
    "safety": ["{place}楼道有电动车违规充电，存在火灾隐患", "{place}高层有住户在阳台放花盆，担心高空坠物", "{road}路口缺少红绿灯，学生过马路危险",
               "{place}消防栓没有水", "{place}地下车库积水，电线裸露"],
    "other": ["希望{place}增设老年人休息座椅", "{place}附近缺少便民早餐点", "建议{road}公交站增加遮阳棚",
              "{place}快递柜太少，取件排队", "希望社区开设周末儿童托管"],
}
REPLIES = {
    "road": "经{dept}现场核查，已安排维修，{date}已修复并恢复正常使用。感谢您的反映。",
    "sanitation": "{dept}已督促保洁单位清理，并调整清运频次为每日两次，{date}完成整改。",
    "property": "社区已约谈物业服务企业，{dept}已下发整改通知，物业承诺{date}前完成整改并公示。",
    "noise": "{dept}已到现场执法检查，责令施工单位（商户）调整作业时间，{date}起夜间不再施工（营业噪声已达标）。",
    "parking": "{dept}已联合社区开展集中整治，清理占道车辆并施划禁停标线，{date}完成。",
    "greening": "{dept}已安排园林养护单位修剪加固，{date}完成。",
    "safety": "{dept}已联合社区开展隐患排查整治，{date}完成整改，将持续巡查。",
    "other": "社区议事会已研究您的建议，{date}已落实，感谢您对社区工作的支持。",
}
DECLINE_REASONS = ["属于邻里民事纠纷，已引导通过人民调解解决", "所反映事项不在本社区辖区，已告知向所在社区反映",
                   "该事项已通过12345热线受理并答复", "反映内容不具体，经电话联系未能核实地点"]
HAND_BACK_REASONS = ["该路段属市政园林集团管养，不属于本部门职责", "该事项属物业服务合同约定事项，应由物业企业处理",
                     "经核查不属于本部门执法范围，请转相关部门"]
REOPEN_REASONS = ["问题又出现了，没有根本解决", "答复与实际情况不符", "维修后第二天又坏了"]
RATING_COMMENTS = {Rating.SATISFIED: ["处理及时，非常满意", "社区和部门很负责", ""],
                   Rating.BASIC: ["基本解决，希望加强日常巡查", "处理有点慢", ""],
                   Rating.UNSATISFIED: ["问题没有根本解决", "答复敷衍", ""]}
SUGGESTION_TEXTS = [
    "建议在{place}增设电动自行车集中充电桩，解决楼道充电隐患", "建议{road}沿线增设口袋公园和健身器材",
    "建议社区开设“四点半课堂”，解决双职工家庭接娃难", "建议在{place}设立老年助餐点", "建议推行“网格员+楼栋长”联系群众机制",
    "建议优化{road}公交线路，方便新建片区居民出行", "建议组织在职党员到社区认领微心愿", "建议对老旧小区加装电梯给予补贴并简化审批",
    "建议建立企业诉求“一站式”受理窗口", "建议在{place}建设共享书屋", "建议整合辖区停车资源，错时共享机关单位停车位",
    "建议定期公开物业公共收益使用情况", "建议开展“厝边学堂”送学进小区", "建议设立台胞服务驿站", "建议增加{road}夜间照明",
]
NOT_ADOPTED_RESPONSES = ["感谢您的建议。该事项涉及规划调整，已转有关部门研究，暂不列入本年度整改。",
                         "感谢您的建议。经研究，相关工作已在推进中，暂不单独立项。",
                         "感谢您的建议。受场地条件限制，暂不具备实施条件，将在片区改造时统筹考虑。"]
GIVEN = "先生女士"
SURNAMES = "陈林黄王李张吴郑刘杨蔡许洪谢苏曾庄叶周柯邱卢颜高"
EARLY = {"submitted": 0.30, "handling": 0.22, "dispatched": 0.26, "published": 0.12, "rated": 0.04, "merged": 0.03,
         "declined": 0.03}
SETTLED = {"submitted": 0.015, "handling": 0.05, "dispatched": 0.07, "published": 0.17, "rated": 0.47, "merged": 0.06,
           "declined": 0.04, "reopened": 0.03, "reopened_rated": 0.025}
CHANNELS = [(Channel.PORTAL, 55), (Channel.PHONE, 12), (Channel.VISIT, 10), (Channel.HOTLINE, 17), (Channel.OPEN311, 6)]


class DemoVoicesError(Exception):
    """The demo voices cannot be generated here (no demo district, no ledger to link, items entered by hand)."""


@dataclass
class DemoVoicesResult:
    root: Org
    created: bool
    categories: int = 0
    requests: int = 0
    dispatches: int = 0
    events: int = 0
    suggestions: int = 0
    adopted: int = 0
    figures: dict = field(default_factory=dict)
    by_status: dict = field(default_factory=dict)


def _organ(root: Org, word: str) -> Org | None:
    """The branch that answers for an organ (its 机关党支部 or first branch), found by a word of its name."""
    if not word:
        return None
    organs = (Org.objects.filter(path__under=root.path, sector=Sector.AGENCY, is_active=True, temporary=False,
                                 name__contains=word).exclude(name__contains="离退休").order_by("path"))
    branch = organs.filter(level=Level.BRANCH).first()
    return branch or organs.first()


def ensure_categories(root: Org) -> list[Category]:
    categories = []
    for index, (code, name, group, description, word, questions) in enumerate(CATEGORIES):
        category, _ = Category.objects.update_or_create(code=code, defaults={
            "name": name, "group": group, "description": description, "responsible_org": _organ(root, word),
            "answer_days": 1, "resolve_days": 5, "questions": questions, "is_active": True, "sort_order": index * 10,
        })
        categories.append(category)
    return categories


# ---- the plan of one request ------------------------------------------------------------------


@dataclass(eq=False)
class Planned:
    row: Request
    category: Category
    kind: str
    dispatches: list[Dispatch] = field(default_factory=list)
    events: list[tuple[RequestEvent, datetime.datetime]] = field(default_factory=list)
    target: Planned | None = None


class Season:
    def __init__(self, root: Org, seed: int, now: datetime.datetime):
        self.root, self.now = root, now
        self.rng = random.Random(f"yuntu-voices-demo:{seed}")
        self.due_cache: dict[tuple[datetime.date, int], datetime.date] = {}
        self.serials: dict[str, int] = {}
        # Whatever the hour the season is laid out at, it shows every settled course at least once and a
        # dispatch handed back; a merged item needs an earlier one at its place, so it is left to chance.
        self.courses_to_show = [kind for kind in SETTLED if kind != "merged"]
        self.handed_back = False

    # -- helpers --

    def due(self, start: datetime.datetime, days: int) -> datetime.datetime:
        local = timezone.localtime(start)
        key = (local.date(), days)
        if key not in self.due_cache:
            self.due_cache[key] = add_working_days(start, days).date()
        day = self.due_cache[key]
        return local.replace(year=day.year, month=day.month, day=day.day)

    def later(self, moment: datetime.datetime, low_hours: float, high_hours: float) -> datetime.datetime:
        latest = self.now - datetime.timedelta(minutes=5)
        return max(moment + datetime.timedelta(minutes=1),
                   min(moment + datetime.timedelta(hours=self.rng.uniform(low_hours, high_hours)), latest))

    def office(self, moment: datetime.datetime) -> datetime.datetime:
        """Staff act in office hours: a moment at night moves to the next morning (never past `now`)."""
        local = timezone.localtime(moment)
        if local.hour < 8:
            local = local.replace(hour=8, minute=self.rng.randint(0, 59))
        elif local.hour >= 18:
            local = (local + datetime.timedelta(days=1)).replace(hour=8, minute=self.rng.randint(0, 59))
        return max(moment, min(local, self.now - datetime.timedelta(minutes=5)))

    def number(self, moment: datetime.datetime) -> str:
        prefix = f"SQ{timezone.localtime(moment):%Y%m%d}"
        if prefix not in self.serials:
            last = (Request.objects.filter(number__startswith=prefix).order_by("-number")
                    .values_list("number", flat=True).first())
            self.serials[prefix] = int(last[len(prefix):]) if last else 0
        self.serials[prefix] += 1
        return f"{prefix}{self.serials[prefix]:05d}"

    def mobile(self) -> str:
        return self.rng.choice(["13", "15", "17", "18", "19"]) + "".join(self.rng.choice("0123456789") for _ in range(9))

    def point(self, community: Org) -> tuple[float, float]:
        lat = float(community.latitude) if community.latitude is not None else CENTRE[0]
        lon = float(community.longitude) if community.longitude is not None else CENTRE[1]
        lat = min(max(lat + self.rng.uniform(-0.004, 0.004), CENTRE[0] - SPREAD + 0.001), CENTRE[0] + SPREAD - 0.001)
        lon = min(max(lon + self.rng.uniform(-0.004, 0.004), CENTRE[1] - SPREAD + 0.001), CENTRE[1] + SPREAD - 0.001)
        return round(lat, 6), round(lon, 6)

    def event(self, plan: Planned, moment, action: str, label: str, text: str = "", *, public: bool = True,
              dispatch: Dispatch | None = None) -> None:
        plan.events.append((RequestEvent(request=plan.row, dispatch=dispatch, action=action, label=label, text=text,
                                         public=public), moment))


def _places(community: Org) -> list[str]:
    estates = Org.objects.filter(path__under=community.path, kind=Kind.ESTATE).values_list("name", flat=True)
    names = [name.replace("党支部", "").replace("小区小区", "小区") for name in estates]
    return names or [f"{community.short_name or community.name}{suffix}" for suffix in ("1号楼", "菜市场", "文化广场")]


def _kind(season: Season, age_days: float) -> str:
    weights = EARLY if age_days < 7 else SETTLED
    if weights is SETTLED and season.courses_to_show:
        return season.courses_to_show.pop(0)
    return season.rng.choices(list(weights), list(weights.values()))[0]


def plan_requests(root: Org, categories: list[Category], season: Season, count: int) -> list[Planned]:
    rng, now = season.rng, season.now
    communities = list(selectors.residential_communities().filter(path__under=root.path).order_by("path"))
    if not communities:
        raise DemoVoicesError("演示区没有社区（村），无法生成群众诉求。")
    places = {community.pk: _places(community) for community in communities}
    residents = {}
    for resident in Resident.objects.filter(community__in=communities).select_related("user").order_by("id"):
        residents.setdefault(resident.community_id, resident.user)
    departments = {category.code: [org for org in [category.responsible_org, _organ(root, SECOND_DEPARTMENT.get(category.code, ""))]
                                   if org is not None] for category in categories}
    moments = []
    for _ in range(count):  # residents write between 7 and 23 o'clock
        moment = timezone.localtime(now - datetime.timedelta(days=rng.uniform(0.05, SEASON_DAYS)))
        if moment.hour < 7 or moment.hour > 22:
            moment = moment.replace(hour=rng.randint(8, 21))
        moments.append(min(moment, now - datetime.timedelta(minutes=30)))
    plans: list[Planned] = []
    by_place: dict[tuple[int, int], list[Planned]] = {}
    for moment in sorted(moments):
        community = rng.choice(communities)
        category = rng.choice(categories)
        age = (now - moment).total_seconds() / 86400
        kind = _kind(season, age)
        channel = rng.choices([value for value, _ in CHANNELS], [weight for _, weight in CHANNELS])[0]
        resident = residents.get(community.pk) if channel == Channel.PORTAL and rng.random() < 0.35 else None
        mobile = crypto.decrypt(resident.mobile_encrypted) if resident is not None else season.mobile()
        lat, lon = season.point(community)
        place = rng.choice(places[community.pk])
        text = rng.choice(TEXTS[category.code]).format(place=place, road=rng.choice(["沧林路", "新阳路", "海景路", "钟林路",
                                                                                       "滨湖路", "兴港路", "马青路", "孚莲路"]))
        answers = {}
        for question in category.questions:
            if question.get("values"):
                keys = [value["key"] for value in question["values"]]
                answers[question["code"]] = (rng.sample(keys, rng.randint(1, 2)) if question["datatype"] == "multivaluelist"
                                             else rng.choice(keys))
            elif question["code"] == "estate":
                answers["estate"] = place
        row = Request(
            number=season.number(moment), org=community, org_path=community.path, category=category, text=text,
            address=f"{community.short_name or community.name}{place}", latitude=lat, longitude=lon, answers=answers,
            channel=channel, resident=resident,
            contact_name=(str(resident) if resident is not None else rng.choice(SURNAMES) + rng.choice(["先生", "女士"])),
            contact_mobile_encrypted=crypto.encrypt(mobile), contact_mobile_digest=crypto.digest(mobile),
            contact_mobile_masked=chinese.mask_mobile(mobile), status=RequestStatus.SUBMITTED, submitted_at=moment,
            answer_due=season.due(moment, category.answer_days), resolve_due=season.due(moment, category.resolve_days),
            created_at=moment, updated_at=moment,
        )
        plan = Planned(row=row, category=category, kind=kind)
        season.event(plan, moment, "submit", "说事：提交诉求")
        if kind == "merged":
            earlier = [other for other in by_place.get((community.pk, category.pk), []) if other.kind != "merged"]
            if earlier:
                plan.target = rng.choice(earlier)
            else:
                plan.kind = "handling"
        by_place.setdefault((community.pk, category.pk), []).append(plan)
        lay_out(plan, season, departments[category.code])
        plans.append(plan)
    for plan in plans:  # duplicates hear the answer of the item they were merged into
        if plan.target is not None and plan.target.row.answered_at:
            answered = max(plan.target.row.answered_at, plan.events[-1][1] + datetime.timedelta(minutes=1))
            plan.row.reply, plan.row.answered_at = plan.target.row.reply, answered
            season.event(plan, answered, "publish", "合并诉求已答复", plan.target.row.reply)
    return plans


def _reply(plan: Planned, season: Season, moment, dept: Org | None) -> str:
    return REPLIES[plan.category.code].format(dept=dept.short_name or dept.name if dept else "社区",
                                              date=f"{timezone.localtime(moment):%m月%d日}")


def lay_out(plan: Planned, season: Season, departments: list[Org]) -> None:
    """The timeline of one request after its submission, consistent with its final stage and with `now`."""
    rng, row, kind = season.rng, plan.row, plan.kind
    start = row.submitted_at
    if kind == "submitted":
        _maybe_escalated(plan, season)
        return
    triaged = season.office(season.later(start, 0.5, 20))
    if kind == "merged":
        row.status = RequestStatus.MERGED
        season.event(plan, triaged, "merge", "合并重复诉求")
        row.updated_at = triaged
        return
    if kind == "declined":
        row.status, row.decline_reason = RequestStatus.DECLINED, rng.choice(DECLINE_REASONS)
        season.event(plan, triaged, "decline", "不予受理", row.decline_reason)
        row.updated_at = triaged
        return
    via_departments = bool(departments) and (kind == "dispatched" or rng.random() < 0.55)
    last = triaged
    answering_dept = None
    if via_departments:
        chosen = departments[:2] if len(departments) > 1 and rng.random() < 0.25 else departments[:1]
        for department in chosen:
            dispatch = Dispatch(request=row, org=department, org_path=department.path,
                                deadline=season.due(triaged, plan.category.resolve_days),
                                note=rng.choice(["请尽快现场核查处理", "请于期限内答复", ""]), created_at=triaged, updated_at=triaged)
            plan.dispatches.append(dispatch)
            season.event(plan, triaged, "dispatch", f"吹哨：派至{department.name}", dispatch=dispatch)
        last = _department_answers(plan, season, triaged, settle=kind != "dispatched")
        answering_dept = next((d.org for d in plan.dispatches if d.status == DispatchStatus.REPLIED), chosen[0])
        row.status = RequestStatus.DISPATCHED
    else:
        season.event(plan, triaged, "handle", "社区受理办理")
        row.status = RequestStatus.HANDLING
    if kind in ("handling", "dispatched"):
        row.updated_at = last
        _maybe_escalated(plan, season)
        return
    # published, rated, reopened, reopened_rated
    late = rng.random() < 0.15
    published = season.later(last, 4, 30) if not late else max(season.later(row.resolve_due, 2, 72), last)
    published = min(season.office(published), season.now - datetime.timedelta(minutes=5))
    _publish(plan, season, published, answering_dept)
    last = published
    if kind in ("rated", "reopened", "reopened_rated"):
        rating = (Rating.UNSATISFIED if kind != "rated" else
                  rng.choices([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED], [72, 21, 7])[0])
        rated = season.later(published, 2, 96)
        _rate(plan, season, rated, rating)
        last = rated
        if kind in ("reopened", "reopened_rated"):
            reopened = season.later(rated, 1, 48)
            reason = rng.choice(REOPEN_REASONS)
            season.event(plan, reopened, "reopen", "不满意重新办理", reason)
            row.status, row.reopened_count = RequestStatus.HANDLING, 1
            row.rating, row.rating_comment, row.rated_at = "", "", None
            row.resolve_due = season.due(reopened, plan.category.resolve_days)
            last = reopened
            if kind == "reopened_rated":
                again = season.later(reopened, 24, 96)
                _publish(plan, season, again, answering_dept, again=True)
                rated = season.later(again, 2, 48)
                _rate(plan, season, rated, rng.choice([Rating.SATISFIED, Rating.BASIC]))
                last = rated
    row.updated_at = last
    if row.status == RequestStatus.HANDLING:
        _maybe_escalated(plan, season)


def _department_answers(plan: Planned, season: Season, dispatched: datetime.datetime, *, settle: bool) -> datetime.datetime:
    """Each dispatch accepts and replies (settle: all answered), or stays open, or is handed back."""
    rng, last = season.rng, dispatched
    for index, dispatch in enumerate(plan.dispatches):
        name = dispatch.org.name
        if not settle and rng.random() < 0.3:
            continue  # still pending
        accepted = season.office(season.later(dispatched, 1, 30))
        may_hand_back = index > 0 or len(plan.dispatches) > 1 or not settle
        if may_hand_back and (rng.random() < 0.08 or not season.handed_back):
            season.handed_back = True
            dispatch.status, dispatch.hand_back_reason = DispatchStatus.RETURNED, rng.choice(HAND_BACK_REASONS)
            dispatch.updated_at = accepted
            season.event(plan, accepted, "dispatch_hand_back", f"{name}：退回（非本部门职责）", dispatch.hand_back_reason,
                         public=False, dispatch=dispatch)
            last = max(last, accepted)
            continue
        dispatch.status, dispatch.accepted_at, dispatch.updated_at = DispatchStatus.ACCEPTED, accepted, accepted
        season.event(plan, accepted, "dispatch_accept", f"{name}：签收", dispatch=dispatch)
        last = max(last, accepted)
        if settle or rng.random() < 0.25:
            replied = season.office(season.later(accepted, 12, 96))
            dispatch.status, dispatch.replied_at, dispatch.updated_at = DispatchStatus.REPLIED, replied, replied
            dispatch.reply = _reply(plan, season, replied, dispatch.org)
            season.event(plan, replied, "dispatch_reply", f"{name}：答复", dispatch.reply, dispatch=dispatch)
            last = max(last, replied)
    if settle and not any(d.status == DispatchStatus.REPLIED for d in plan.dispatches):
        dispatch = plan.dispatches[0]  # someone answered in the end
        replied = season.later(last, 12, 72)
        dispatch.status, dispatch.replied_at, dispatch.updated_at = DispatchStatus.REPLIED, replied, replied
        dispatch.hand_back_reason = ""
        dispatch.accepted_at = dispatch.accepted_at or dispatched
        dispatch.reply = _reply(plan, season, replied, dispatch.org)
        season.event(plan, replied, "dispatch_reply", f"{dispatch.org.name}：答复", dispatch.reply, dispatch=dispatch)
        last = replied
    return last


def _publish(plan: Planned, season: Season, moment, dept: Org | None, *, again: bool = False) -> None:
    row = plan.row
    row.reply = _reply(plan, season, moment, dept) if not again else f"重新办理：{_reply(plan, season, moment, dept)}"
    row.answered_at, row.status = moment, RequestStatus.PUBLISHED
    season.event(plan, moment, "publish", "答复并公开", row.reply)


def _rate(plan: Planned, season: Season, moment, rating: str) -> None:
    row = plan.row
    row.status, row.rating, row.rated_at = RequestStatus.RATED, rating, moment
    row.rating_comment = season.rng.choice(RATING_COMMENTS[Rating(rating)])
    season.event(plan, moment, "rate", "评价", row.rating_comment)


def _maybe_escalated(plan: Planned, season: Season) -> None:
    """About half of the open items past their deadline were escalated already; the rest wait for the command."""
    row = plan.row
    if row.resolve_due < season.now - datetime.timedelta(days=1) and season.rng.random() < 0.5:
        row.escalated_at = season.later(row.resolve_due, 1, 20)
        season.event(plan, row.escalated_at, "escalate", "超期上报上级", "已报街道党工委督办", public=False)


# ---- suggestions ------------------------------------------------------------------------------


def plan_suggestions(root: Org, season: Season, drive: SuggestionDrive) -> list[Suggestion]:
    rng = season.rng
    taken = Suggestion.objects.filter(measure__isnull=False).values("measure_id")
    measures = list(Measure.objects.filter(org_path__under=root.path).exclude(pk__in=taken)
                    .select_related("problem", "org").order_by("id"))
    if len(measures) < ADOPTED:
        raise DemoVoicesError(f"演示区整改台账只有{len(measures)}项可关联的措施，少于{ADOPTED}项：请先运行 manage.py demo_ledger。")
    residents_first = [m for m in measures if m.problem.source == "residents"]
    others = [m for m in measures if m.problem.source != "residents"]
    rng.shuffle(residents_first)
    rng.shuffle(others)
    chosen = (residents_first + others)[:ADOPTED]
    communities = list(selectors.residential_communities().filter(path__under=root.path).order_by("path"))
    streets = list(Org.objects.filter(path__under=root.path, level=Level.STREET, is_active=True).order_by("path"))
    collectors = communities * 3 + streets or [root]
    suggestions = []
    for measure in chosen:
        created = min(measure.created_at - datetime.timedelta(days=rng.uniform(3, 30)), season.now)
        suggestions.append(Suggestion(
            drive=drive, org=measure.org, org_path=measure.org_path, measure=measure, status=Suggestion.Status.ADOPTED,
            text=f"关于“{measure.problem.title}”，建议{measure.text.rstrip('。')}。",
            author_name=rng.choice(SURNAMES) + rng.choice(["先生", "女士"]), mode=_mode(rng),
            response=f"您的建议已采纳，转化为整改措施：{measure.text}（责任单位：{measure.org.name}）。",
            created_at=created, updated_at=measure.created_at,
        ))
    first = min(suggestion.created_at for suggestion in suggestions)
    span = max((season.now - first).total_seconds(), 86400)
    for index in range(SUGGESTIONS - ADOPTED):
        org = rng.choice(collectors)
        created = first + datetime.timedelta(seconds=rng.uniform(0, span * 0.95))
        declined = index % 7 < 3
        place = f"{org.short_name or org.name}"
        suggestions.append(Suggestion(
            drive=drive, org=org, org_path=org.path, mode=_mode(rng),
            text=rng.choice(SUGGESTION_TEXTS).format(place=place, road=rng.choice(["沧林路", "新阳路", "海景路", "马青路"])),
            author_name=rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
            status=Suggestion.Status.NOT_ADOPTED if declined else Suggestion.Status.RECEIVED,
            response=rng.choice(NOT_ADOPTED_RESPONSES) if declined else "",
            created_at=created, updated_at=created + datetime.timedelta(days=rng.uniform(1, 10)) if declined else created,
        ))
    for suggestion in suggestions:
        suggestion.updated_at = min(max(suggestion.updated_at, suggestion.created_at), season.now)
    return suggestions


def _mode(rng: random.Random) -> str:
    return Suggestion.Mode.ONLINE if rng.random() < 0.7 else Suggestion.Mode.OFFLINE


# ---- writing ----------------------------------------------------------------------------------


def _checker():
    from yuntu.accounts.models import User

    return User(username="voices-demo-check", is_superuser=True)


def demo_figures(root: Org) -> dict:
    checker = _checker()
    requests = selectors.requests_visible_to(checker).filter(org_path__under=root.path)
    by_status = {row["status"]: row["n"] for row in requests.order_by().values("status").annotate(n=Count("id"))}
    return {"requests": selectors.voices_figures(requests), "suggestions": selectors.suggestion_figures(checker, org=root),
            "by_status": by_status}


def _existing(root: Org):
    return (Request.objects.filter(org_path__under=root.path),
            Suggestion.objects.filter(Q(org_path__under=root.path) | Q(drive__org_path__under=root.path)))


def _remove(root: Org) -> int:
    requests, suggestions = _existing(root)
    removed = requests.count() + suggestions.count()
    RequestEvent.objects.filter(request__in=requests).delete()
    Dispatch.objects.filter(request__in=requests).delete()
    requests.filter(merged_into__isnull=False).delete()
    requests.delete()
    suggestions.delete()
    SuggestionDrive.objects.filter(org_path__under=root.path, suggestions__isnull=True).delete()
    return removed


@transaction.atomic
def generate_voices(root: Org | None = None, *, seed: int = DEFAULT_SEED, now: datetime.datetime | None = None,
                    reset: bool = False, requests: int = REQUESTS) -> DemoVoicesResult:
    """Write the demo district's categories, season of requests and suggestions; skip what is already there."""
    root = root or find_demo_root()
    if root is None:
        raise DemoVoicesError("没有找到演示区（行政区划代码 350205 的区级根组织），请先运行 manage.py demo --scale district。")
    marked = AuditEntry.objects.filter(action=AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk)).exists()
    existing_requests, existing_suggestions = _existing(root)
    if (existing_requests.exists() or existing_suggestions.exists()) and not reset:
        if marked:
            figures = demo_figures(root)
            return DemoVoicesResult(root=root, created=False, categories=Category.objects.count(),
                                    figures=figures, by_status=figures["by_status"])
        raise DemoVoicesError(f"“{root.name}”下已有{existing_requests.count()}件诉求、{existing_suggestions.count()}条建议"
                              "（非演示生成），未生成演示数据；如需覆盖请加 --reset。")
    removed = _remove(root) if reset else 0
    now = now or clock.now()
    categories = ensure_categories(root)
    season = Season(root, seed, now)
    plans = plan_requests(root, categories, season, requests)
    drive = SuggestionDrive(org=root, org_path=root.path, title=DRIVE_TITLE, starts_on=clock.today(now), ends_on=clock.today(now),
                            description="围绕高质量发展，面向辖区群众、企业和党员广泛征集意见建议，采纳的建议转化为整改台账措施。")
    suggestions = plan_suggestions(root, season, drive)
    drive.starts_on = timezone.localdate(min(suggestion.created_at for suggestion in suggestions))
    drive.ends_on = max(timezone.localdate(max(suggestion.created_at for suggestion in suggestions)), clock.today())
    drive.created_at = drive.updated_at = min(suggestion.created_at for suggestion in suggestions)

    rows = [plan.row for plan in plans]
    with history_kept(Request, Dispatch, RequestEvent, SuggestionDrive, Suggestion):
        Request.objects.bulk_create(rows, batch_size=500)
        for plan in plans:
            if plan.target is not None:
                plan.row.merged_into = plan.target.row
        Request.objects.bulk_update([plan.row for plan in plans if plan.target is not None], ["merged_into"], batch_size=500)
        # Unsaved related rows saved just before: bulk_create takes their new ids.
        dispatches = [dispatch for plan in plans for dispatch in plan.dispatches]
        Dispatch.objects.bulk_create(dispatches, batch_size=500)
        events = []
        for plan in plans:
            for event, moment in plan.events:
                event.occurred_at = moment
                events.append(event)
        RequestEvent.objects.bulk_create(events, batch_size=1000)
        drive.save()
        Suggestion.objects.bulk_create(suggestions, batch_size=500)
    rollups.rebuild()  # bulk rows bypass the services that keep the roll-up

    figures = demo_figures(root)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={
        "seed": seed, "requests": len(rows), "dispatches": len(dispatches), "events": len(events),
        "suggestions": figures["suggestions"]["collected"], "adopted": figures["suggestions"]["adopted"],
        "by_status": figures["by_status"], "replaced": removed,
    })
    return DemoVoicesResult(root=root, created=True, categories=len(categories), requests=len(rows),
                            dispatches=len(dispatches), events=len(events), suggestions=len(suggestions),
                            adopted=figures["suggestions"]["adopted"], figures=figures, by_status=figures["by_status"])


# ---- the benchmark's requests (`demo_voices --bench`) -----------------------------------------

BENCH_AUDIT_ACTION = "voices.bench_generate"
BENCH_CHUNK = 50_000
BENCH_DAYS = 365
BENCH_ROADS = ["沧林路", "新阳路", "海景路", "钟林路", "马青路", "翁角路", "角嵩路", "兴港路"]
# status, weight (≈70 % on the public board)
BENCH_STATUSES = [(RequestStatus.PUBLISHED.value, 30), (RequestStatus.RATED.value, 40),
                  (RequestStatus.SUBMITTED.value, 5), (RequestStatus.HANDLING.value, 10),
                  (RequestStatus.DISPATCHED.value, 8), (RequestStatus.DECLINED.value, 4),
                  (RequestStatus.MERGED.value, 3)]


@dataclass
class BenchVoicesResult:
    root: Org
    created: bool
    requests: int
    by_status: dict = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


def generate_bench_requests(root: Org, *, requests: int, seed: int = DEFAULT_SEED,
                            now: datetime.datetime | None = None) -> BenchVoicesResult:
    """A large, seeded set of requests over root's residential communities for the benchmark.

    About `requests` requests, submitted over the year up to `now`, at points within ±0.1° of
    Haicang, with mixed statuses (≈70 % published or rated: the public board is big; the rest
    open, declined or merged into an earlier one), answers and ratings where the status has them.
    Only the Request rows the board and Open311 read: no timelines, dispatches or photos. The
    categories are created if missing. Rows go in through the demo generator's RowWriter (COPY on
    PostgreSQL), ids taken up front, in one transaction; PostgreSQL then gets ANALYZE. Built once:
    a subtree already marked (audit entry) is reused; one with requests entered otherwise is refused.
    """
    import time

    from django.db import connection

    from yuntu.demo.generator import RowWriter

    started = time.perf_counter()
    existing = Request.objects.filter(org_path__under=root.path)
    marker = AuditEntry.objects.filter(action=BENCH_AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk))
    if marker.exists():
        return BenchVoicesResult(root=root, created=False, requests=existing.count(),
                                 seconds=round(time.perf_counter() - started, 1))
    if existing.exists():
        raise DemoVoicesError(f"“{root.name}”下已有{existing.count()}件诉求，未生成性能测试诉求。")
    now = now or clock.now()
    rng = random.Random(f"yuntu-voices-bench:{seed}:{requests}")
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    categories = list(Category.objects.order_by("sort_order", "code"))
    if not {code for code, *_ in CATEGORIES} <= {category.code for category in categories}:
        categories = ensure_categories(root)
    communities = list(selectors.residential_communities().filter(path__under=root.path).order_by("path")
                       .values_list("pk", "path", "name"))
    if not communities:
        communities = list(Org.objects.filter(path__under=root.path, level=Level.COMMUNITY, is_active=True)
                           .order_by("path").values_list("pk", "path", "name")) or [(root.pk, root.path, root.name)]
    statuses, weights = zip(*BENCH_STATUSES, strict=True)
    channels = [str(value) for value in Channel.values]
    replies = {code: template for code, template in REPLIES.items()}
    comments = {str(rating): [text for text in texts if text] or [""] for rating, texts in RATING_COMMENTS.items()}
    public = {RequestStatus.PUBLISHED.value, RequestStatus.RATED.value}
    timings["plan"] = round(time.perf_counter() - mark, 1)

    writer = RowWriter(Request)
    span = BENCH_DAYS * 86400.0
    day = datetime.timedelta(days=1)
    written, by_status, write_seconds = 0, dict.fromkeys(statuses, 0), 0.0
    with transaction.atomic():
        for chunk_start in range(0, requests, BENCH_CHUNK):
            size = min(BENCH_CHUNK, requests - chunk_start)
            ids = writer.allocate(size)
            rows = []
            for request_id in ids:
                org_id, path, name = rng.choice(communities)
                category = rng.choice(categories)
                status = rng.choices(statuses, weights)[0]
                submitted = now - datetime.timedelta(seconds=rng.random() * span)
                place = name[:12]
                road = rng.choice(BENCH_ROADS)
                text = rng.choice(TEXTS.get(category.code, TEXTS["other"])).format(place=place, road=road)
                row = {
                    "id": request_id, "number": f"BENCH-{request_id:09d}", "org_id": org_id, "org_path": path,
                    "category_id": category.pk, "text": text, "address": f"{road}{rng.randint(1, 999)}号",
                    "latitude": round(CENTRE[0] + rng.uniform(-SPREAD, SPREAD), 6),
                    "longitude": round(CENTRE[1] + rng.uniform(-SPREAD, SPREAD), 6),
                    "answers": "{}", "channel": rng.choice(channels), "status": status,
                    "submitted_at": submitted, "answer_due": submitted + day, "resolve_due": submitted + 7 * day,
                    "created_at": submitted, "updated_at": submitted,
                }
                if status in public:
                    answered = min(submitted + datetime.timedelta(hours=rng.uniform(4, 240)), now)
                    row["answered_at"] = answered
                    row["reply"] = replies.get(category.code, "社区已协调处理，{date}办结。").format(
                        dept="相关部门", date=f"{answered:%m月%d日}")
                    row["updated_at"] = answered
                    if status == RequestStatus.RATED.value:
                        rating = rng.choices([Rating.SATISFIED.value, Rating.BASIC.value, Rating.UNSATISFIED.value],
                                             [72, 21, 7])[0]
                        rated = min(answered + datetime.timedelta(hours=rng.uniform(2, 96)), now)
                        row.update(rating=rating, rating_comment=rng.choice(comments[rating]), rated_at=rated,
                                   updated_at=rated)
                elif status == RequestStatus.DECLINED.value:
                    row["decline_reason"] = rng.choice(DECLINE_REASONS)
                elif status == RequestStatus.MERGED.value and rows:
                    row["merged_into_id"] = rows[-1]["id"]
                elif status == RequestStatus.MERGED.value:
                    row["status"] = status = RequestStatus.SUBMITTED.value
                by_status[status] += 1
                rows.append(row)
            lap = time.perf_counter()
            writer.write(rows)
            write_seconds += time.perf_counter() - lap
            written += len(rows)
        audit_record(actor=None, action=BENCH_AUDIT_ACTION, obj=root, after={"seed": seed, "requests": written,
                                                                             "by_status": by_status})
    timings["rows"] = round(time.perf_counter() - mark - timings["plan"] - write_seconds, 1)
    timings["write"] = round(write_seconds, 1)
    mark = time.perf_counter()
    rollups.rebuild()  # bulk rows bypass the services that keep the roll-up
    timings["rollup"] = round(time.perf_counter() - mark, 1)
    mark = time.perf_counter()
    with connection.cursor() as cursor:  # fresh statistics, or the planner takes the table for empty; on
        # PostgreSQL also the visibility map (what autovacuum does later), so counts can be index-only scans
        vacuum = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
        cursor.execute(f"{vacuum} {connection.ops.quote_name(Request._meta.db_table)}")
    timings["analyze"] = round(time.perf_counter() - mark, 1)
    return BenchVoicesResult(root=root, created=True, requests=written, by_status=by_status,
                             seconds=round(time.perf_counter() - started, 1), timings=timings)

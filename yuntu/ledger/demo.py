"""The demo district's rectification ledger: Haicang's first batch (第一批问题清单), as the seed reports it.

The seed (抓实问题整改) says: 547 problems, 1,035 measures, 720 completed; completion rates of
74% for county-level units and 65% for grassroots organisations; and, pushed down between levels,
32 problems with 67 measures of which 14 problems and 41 measures are done. The generator plans
the whole batch in memory from one seeded random generator so that, over the district's subtree,

* county-level units (level class ``county``, depth ≤ 2): 525 measures, 388 verified (73.9 %);
* grassroots organisations: 510 measures, 332 verified (65.1 %);
* 547 problems in all, 32 of them pushed down from district-level problems (67 measures, 14
  problems closed, 41 measures verified);

and writes it in bulk (problems, measures, progress reports and their timelines) with one audit
entry. Dates are laid out backwards from today, so a share of the open measures is overdue, some
owners have not reported for a fortnight (the reminder has work to do), some items are sent
back with the common reasons and some closed problems are reopened.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import AuditEntry, User
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.orgs.models import Level, Org, Sector

from . import rollups, selectors
from .models import Category, LedgerEvent, LevelClass, Measure, Problem, Progress, Source
from .services import level_class_of
from .workflow import MEASURE_TRANSITIONS, PROBLEM_TRANSITIONS, RETURN_REASONS, MeasureStatus, ProblemStatus

DIVISION_CODE = "350205"
BATCH = "第一批问题清单"
AUDIT_ACTION = "ledger.demo_generate"
DEFAULT_SEED = 2023
COUNTY, GRASSROOTS = LevelClass.COUNTY.value, LevelClass.GRASSROOTS.value
TARGET = {
    "problems": 547, "measures": 1035, "completed": 720,
    COUNTY: {"problems": 266, "measures": 525, "completed": 388},  # 73.9 % → 74 %
    GRASSROOTS: {"problems": 281, "measures": 510, "completed": 332},  # 65.1 % → 65 %
}
PUSHED = {"problems": 32, "measures": 67, "closed": 14, "completed": 41}
MIN_PUSH_TARGETS = 4

# ---- the words of the ledger ------------------------------------------------------------------

D, PB, LV, GV, CD = (Category.DEVELOPMENT.value, Category.PARTY_BUILDING.value, Category.LIVELIHOOD.value,
                     Category.GOVERNANCE.value, Category.CONDUCT.value)
PLACES = ["海沧招商花园城", "未来海岸", "石塘", "渐美", "新垵", "东屿", "海虹", "锦里", "霞阳", "兴港花园", "贞庵", "囷瑶"]

COUNTY_TITLES = {
    D: ["港区基础设施配套滞后，集疏运通道堵点未打通", "“港、产、城、人”融合发展统筹不够，产城配套短板明显",
        "企业“进不了窗口”事项综合服务延伸到街道不到位", "便民服务事项下放街道后承接能力不足",
        "商贸、文旅扶持政策兑现周期偏长，企业获得感不强", "台资企业增资扩产政策扶持落实不够精准",
        "“国际一流人才湾区15条”宣传解读不到位，知晓率不高", "城中村改造项目推进缓慢，精品村项目生成不足",
        "挂钩重点项目调研发现的问题跟踪解决不及时", "营商环境评价短板指标整改进度滞后",
        "玛瑙加工作坊关停搬迁后产业转型引导不够", "招商引资项目落地转化率偏低", "乡村振兴试点示范项目组织实施不规范"],
    PB: ["理论学习中心组学习流于形式，研讨交流不够深入", "基层党组织“三会一课”落实不规范，记录不完整",
         "软弱涣散党组织整顿提升成效不明显", "发展党员工作程序不够严谨，档案材料缺项", "党建与业务“两张皮”现象仍然存在",
         "流动党员教育管理存在盲区", "“近邻”党建阵地资源统筹利用不足", "两新组织党的组织和工作覆盖质量不高",
         "村（社区）“两委”干部队伍年龄结构老化", "党费收缴使用管理不够规范", "台籍干部队伍建设力度不够"],
    LV: ["中小学学位供给紧张，新建学校配套滞后", "社区卫生服务中心延时服务覆盖不全", "口袋公园和健身场地布局不均衡",
         "养老机构床位不足，居家养老服务供给单一", "老旧小区改造进度慢，群众反映强烈", "城中村消防安全隐患排查整治不彻底",
         "困境儿童关爱服务机制不健全", "公交线路覆盖不足，新建片区群众出行不便", "农贸市场环境脏乱，食品安全监管存在薄弱环节"],
    GV: ["基层治理“书记领跑”项目带动作用发挥不充分", "网格化管理力量不足，网格员队伍不稳定",
         "群众诉求“吹哨报到”机制响应慢", "信访积案化解不到位，重复信访问题突出", "在职党员“双报到”服务精准度不高",
         "物业管理矛盾纠纷多发，业委会组建率低", "玛瑙加工行业污染整治存在反弹风险", "城中村出租房屋管理底数不清"],
    CD: ["调查研究重形式轻实效，调研成果转化不足", "文山会海问题仍然存在，基层负担较重", "干部担当作为不够，遇到难题推诿扯皮",
         "服务企业主动性不强，“益企服务”走访不深入", "“四下基层”制度落实不够经常", "督查检查考核过多过频",
         "窗口单位服务态度生硬，办事效率不高"],
}
COMMUNITY_TITLES = {
    LV: ["{place}小区电动车充电设施不足，楼道违规充电隐患大", "老旧小区加装电梯协调难、推进慢", "{place}片区雨污管网老化，雨季积水严重",
         "社区居家养老服务站服务项目少、利用率低", "小区停车位紧张，车辆乱停乱放", "农村生活垃圾分类设施不足，分类投放不到位",
         "社区“四点半课堂”托管服务供给不足", "菜市场周边占道经营，环境秩序差", "{place}小区路灯损坏多，夜间出行不安全"],
    GV: ["小区物业服务质量差，居民投诉较多", "网格员底数不清，出租屋人员信息更新不及时", "城中村消防通道被占用，消防设施缺损",
         "群众诉求“说事、议事”平台作用发挥不足", "村规民约修订滞后，移风易俗推进不力", "辖区矛盾纠纷调处不及时",
         "{place}小区业委会未成立，公共收益管理不透明"],
    PB: ["支部“三会一课”开展不经常，主题党日内容单一", "党员中心户作用发挥不明显", "小区党支部覆盖不全，兼合式党支部运行不规范",
         "流动党员联系不紧密，组织生活参加率低", "“厝边学堂”送学活动开展不经常", "老党员、困难党员关怀帮扶不到位",
         "村（居）务公开不及时、不规范"],
    D: ["村集体经济收入来源单一，发展后劲不足", "闲置集体用地盘活利用不充分", "辖区企业服务联系不紧密，诉求回应慢"],
    CD: ["社区工作人员服务意识不强，群众办事“多头跑”", "村干部坐班值班制度落实不到位", "惠民资金公示不及时，群众有疑虑"],
}
AGENCY_TITLES = {
    CD: ["机关党员干部联系服务群众不够主动", "办文办会效率不高，公文质量有待提升", "窗口服务“一次性告知”落实不到位",
         "调研课题选题不够聚焦，成果转化不足"],
    PB: ["机关支部组织生活质量不高，学用结合不紧", "党员先锋岗作用发挥不充分", "青年干部理论武装不够扎实"],
    D: ["部门履职推动高质量发展的举措不够有力", "政策兑现“免申即享”覆盖面不广"],
    GV: ["部门参与“吹哨报到”响应不及时"],
}
SOE_TITLES = {
    D: ["国企改革深化提升行动推进不力，主责主业不够聚焦", "重大项目投资进度滞后", "国有资产盘活利用效率不高",
        "调研形成的攻关清单挂账销号推进慢"],
    PB: ["党建工作与生产经营融合不够", "“双向进入、交叉任职”落实不到位", "基层党支部标准化建设不达标"],
    CD: ["企业内部管理制度执行不严，采购管理不规范", "安全生产责任落实不到位"],
}
SCHOOL_TITLES = {
    PB: ["学校党组织领导的校长负责制落实不够到位", "党员教师先锋模范作用发挥不够", "网络党课和培训“两不误”安排不够合理"],
    CD: ["师德师风建设长效机制不健全", "课后服务收费管理不规范"],
    LV: ["学生课后延时服务内容单一", "校园周边交通安全隐患突出", "学校食堂餐饮质量家长反映较多"],
}
PRIVATE_TITLES = {
    PB: ["非公企业党组织活动经费保障不足", "社会组织党建工作覆盖不全、作用发挥不明显", "新就业群体党员教育管理不到位"],
    D: ["企业诉求“益企接待日”对接不及时", "“四进五送”服务覆盖企业不全"],
}


def _merged(*banks: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for bank in banks:
        for category, titles in bank.items():
            merged.setdefault(category, []).extend(title for title in titles if title not in merged[category])
    return merged


COUNTY_SECTOR_TITLES = {
    Sector.AGENCY: _merged(AGENCY_TITLES, {CD: COUNTY_TITLES[CD], PB: COUNTY_TITLES[PB][:5]}),
    Sector.SOE: _merged(SOE_TITLES, {D: ["招商引资项目落地转化率偏低"], CD: ["服务企业主动性不强，“益企服务”走访不深入"]}),
    Sector.SCHOOL: _merged(SCHOOL_TITLES, {LV: ["中小学学位供给紧张，新建学校配套滞后", "困境儿童关爱服务机制不健全"]}),
}
MEASURES = {
    D: ["制定专项工作方案，明确责任领导、责任科室和完成时限", "开展企业走访，建立诉求清单，逐项跟踪办结",
        "梳理政策兑现流程，审核时限压缩至{n}个工作日", "召开专题协调会，协调解决项目推进中的堵点问题",
        "建立周调度、月通报机制，定期跟踪项目进度", "出台配套实施细则，做好政策宣传解读", "建立攻关清单，逐项挂账销号"],
    PB: ["制定年度学习计划，每月开展一次专题学习研讨", "对照《中国共产党支部工作条例（试行）》逐项整改，规范“三会一课”记录",
         "开展党员档案专项核查，补齐缺项材料", "选派党建指导员驻点指导，建立整顿提升台账", "建立流动党员联系群，每季度至少联系一次",
         "开展“四学”送学活动，组织党员集中学习{n}次", "结对共建单位，联合开展主题党日活动"],
    LV: ["摸排需求底数，形成项目清单并纳入为民办实事", "新增充电桩{n}个，清理楼道违规充电", "协调相关部门开展专项整治，落实长效管护",
         "完善服务设施，服务时间延长至晚上8点", "引入社会组织提供专业服务，丰富服务项目", "建立居民意见回访机制，整改情况按月公示",
         "争取专项资金{n}万元，完成设施改造提升"],
    GV: ["充实网格员队伍，完成出租屋信息全面核查更新", "建立“吹哨报到”快速响应机制，明确办理时限", "召开居民议事会，协商制定管理公约",
         "开展消防隐患专项排查，建立隐患整改清单", "组织在职党员认领服务项目，纳入“5+X”管理", "落实矛盾纠纷排查调处周例会制度",
         "推动成立业主委员会，规范公共收益管理"],
    CD: ["开展作风建设专项整治，建立问题台账逐项销号", "精简会议文件，严格控制督查检查考核频次",
         "落实首问负责、一次性告知制度，公开办事指南", "领导班子成员带头开展“四下基层”，每月至少蹲点调研一次",
         "建立调研成果转化清单，定期通报转化情况", "开展服务对象满意度测评，结果纳入年度考核"],
}
PROGRESS_TEXTS = ["已召开专题会议研究部署，完成前期摸排", "已制定工作方案，正在组织实施", "已完成阶段性任务，剩余部分按计划推进",
                  "已协调相关部门现场办公，问题基本解决", "已完成整改，佐证材料已上传", "已建立工作台账，每周跟踪推进情况",
                  "已完成{n}处点位整改，正在开展回头看"]
REOPEN_REASONS = ["群众反映问题反弹", "回访发现整改不到位", "上级督查发现问题复发"]
PUSH_TOPICS = [
    (GV, "城中村消防安全隐患排查整治不彻底"), (LV, "老旧小区改造和加装电梯推进缓慢"), (PB, "流动党员教育管理存在薄弱环节"),
    (CD, "基层减负“文山会海”问题仍然存在"), (GV, "玛瑙加工行业污染整治存在反弹风险"), (LV, "社区居家养老服务供给不足"),
    (GV, "网格化管理力量不足，网格员队伍不稳定"), (PB, "软弱涣散党组织整顿提升成效不明显"),
]
SURNAMES = "陈林黄王李张吴郑刘杨蔡许洪谢苏曾庄叶周柯邱卢颜高庄蒋"
GIVEN = ["建国", "志强", "晓红", "丽萍", "文彬", "海燕", "国华", "秀英", "明辉", "雅婷", "俊杰", "美玲", "振华", "淑珍",
         "伟东", "静怡", "永福", "桂花", "宏伟", "丽娟", "少华", "婉清", "清泉", "碧霞"]
POSTS = ["书记", "副书记", "主任", "副主任", "委员", "科长", "负责人"]
SOURCE_WEIGHTS = {
    D: [(Source.RESEARCH, 4), (Source.INSPECTION, 3), (Source.SELF_INSPECTION, 2), (Source.RESIDENTS, 1)],
    PB: [(Source.INSPECTION, 4), (Source.SELF_INSPECTION, 4), (Source.RESEARCH, 1), (Source.RESIDENTS, 1)],
    LV: [(Source.RESIDENTS, 5), (Source.RESEARCH, 3), (Source.INSPECTION, 1), (Source.SELF_INSPECTION, 1)],
    GV: [(Source.RESIDENTS, 4), (Source.RESEARCH, 3), (Source.SELF_INSPECTION, 2), (Source.INSPECTION, 1)],
    CD: [(Source.INSPECTION, 4), (Source.SELF_INSPECTION, 3), (Source.RESIDENTS, 2), (Source.RESEARCH, 1)],
}
FOUND_BY = {Source.INSPECTION: "巡视巡察反馈", Source.RESEARCH: "调查研究发现", Source.RESIDENTS: "群众反映",
            Source.SELF_INSPECTION: "对照检视自查", Source.UPPER: "上级单位推送"}


class DemoLedgerError(Exception):
    """The demo ledger cannot be generated here (no demo district, or a ledger already entered by hand)."""


# ---- the plan ---------------------------------------------------------------------------------


@dataclass(eq=False)
class MeasurePlan:
    org: Org
    text: str
    person: str
    status: str = MeasureStatus.PLANNED
    returned_from: str = ""
    reason: str = ""
    bounced: bool = False  # sent back once at verification, then passed
    reopened: bool = False
    deadline: datetime.date | None = None
    row: Measure | None = None


@dataclass(eq=False)
class ProblemPlan:
    org: Org
    level_class: str
    category: str
    title: str
    source: str
    kind: str = "rectifying"  # submitted · returned · rectifying · closed · reopened
    measures: list[MeasurePlan] = field(default_factory=list)
    parent: ProblemPlan | None = None
    earlier_return: str = ""  # sent back once before approval
    reason: str = ""
    found_on: datetime.date | None = None
    row: Problem | None = None


@dataclass
class DemoLedgerResult:
    root: Org
    created: bool
    problems: int = 0
    measures: int = 0
    events: int = 0
    figures: dict = field(default_factory=dict)
    pushed: dict = field(default_factory=dict)


class Planner:
    def __init__(self, root: Org, seed: int):
        self.root = root
        self.rng = random.Random(f"yuntu-ledger-demo:{seed}")
        self.titles_used: set[tuple[int, str]] = set()
        orgs = list(Org.objects.filter(path__under=root.path, is_active=True).exclude(level=Level.GROUP).order_by("path"))
        self.parts: dict[str, list[str]] = {}
        for org in orgs:
            if org.depth > root.depth and not org.temporary:
                self.parts.setdefault(org.path[:-Org.steplen], []).append(org.short_name or org.name)
        self.county = [org for org in orgs if level_class_of(org) == COUNTY]
        self.grassroots = [org for org in orgs if level_class_of(org) == GRASSROOTS]
        if not self.county or not self.grassroots:
            raise DemoLedgerError("演示区的组织树需要同时有县处级以上单位（第1—2级）和基层党组织（第3级及以下）。")
        below = [org for org in orgs if root.depth < org.depth <= root.depth + 2 and not org.temporary]
        preferred = [org for org in below if org.level in (Level.STREET, Level.COMMUNITY)]
        self.push_targets = preferred if len(preferred) >= MIN_PUSH_TARGETS else below
        if len(self.push_targets) < MIN_PUSH_TARGETS:
            raise DemoLedgerError(f"演示区下两级至少需要{MIN_PUSH_TARGETS}个单位，才能生成上下联动的推送问题。")

    # -- words --

    def person(self) -> str:
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        return f"{name}（{self.rng.choice(POSTS)}）" if self.rng.random() < 0.3 else name

    def fill(self, template: str) -> str:
        return template.format(place=self.rng.choice(PLACES), n=self.rng.choice([3, 5, 6, 8, 10, 12, 15, 20, 30]))

    def bank_for(self, org: Org) -> dict[str, list[str]]:
        """Problems that fit the unit: district-wide ones for the district and streets, sector ones elsewhere."""
        if org.pk == self.root.pk or org.level == Level.STREET and org.sector in ("", Sector.COMMUNITY, Sector.VILLAGE):
            return COUNTY_TITLES
        if level_class_of(org) == COUNTY:  # the working committees of organs, SOEs and schools
            return COUNTY_SECTOR_TITLES.get(org.sector, COUNTY_TITLES)
        return {Sector.AGENCY: AGENCY_TITLES, Sector.SOE: SOE_TITLES, Sector.SCHOOL: SCHOOL_TITLES,
                Sector.PRIVATE: PRIVATE_TITLES, Sector.NGO: PRIVATE_TITLES}.get(org.sector, COMMUNITY_TITLES)

    def title_for(self, org: Org, category: str, bank: dict[str, list[str]]) -> str:
        """A title not used yet by this unit; once its list runs out, the same problem found in one of its parts."""
        title = ""
        for attempt in range(24):
            title = self.fill(self.rng.choice(bank[category]))
            if attempt >= 8:
                parts = self.parts.get(org.path) or [f"{place}片区" for place in PLACES]
                title = f"{title}（{self.rng.choice(parts)}）"
            if (org.pk, title) not in self.titles_used:
                break
        self.titles_used.add((org.pk, title))
        return title

    def source_for(self, category: str) -> str:
        choices, weights = zip(*SOURCE_WEIGHTS[category], strict=True)
        return str(self.rng.choices(choices, weights)[0])

    def measures_for(self, org: Org, category: str, count: int) -> list[MeasurePlan]:
        texts = self.rng.sample(MEASURES[category], min(count, len(MEASURES[category])))
        while len(texts) < count:
            texts.append(self.rng.choice(MEASURES[category]))
        person = self.person()
        return [MeasurePlan(org=org, text=self.fill(text), person=person if self.rng.random() < 0.6 else self.person())
                for text in texts]

    def problem(self, org: Org, count: int) -> ProblemPlan:
        bank = self.bank_for(org)
        weights = {D: 3, PB: 3, LV: 3, GV: 2, CD: 2}
        categories = list(bank)
        category = self.rng.choices(categories, [weights[c] for c in categories])[0]
        plan = ProblemPlan(org=org, level_class=level_class_of(org), category=category,
                           title=self.title_for(org, category, bank), source=self.source_for(category))
        plan.measures = self.measures_for(org, category, count)
        return plan

    def pick_org(self, level_class: str) -> Org:
        if level_class == COUNTY:
            return self.rng.choices(self.county, [4 if org.pk == self.root.pk else 1 for org in self.county])[0]
        weights = [3 if org.level == Level.COMMUNITY else 1 for org in self.grassroots]
        return self.rng.choices(self.grassroots, weights)[0]

    # -- the pushed-down block: district problems pushed to lower units --

    def pushed_block(self) -> list[ProblemPlan]:
        capacity = min(8, len(self.push_targets))
        parent_count = math.ceil(PUSHED["problems"] / capacity)
        if parent_count > len(PUSH_TOPICS):
            raise DemoLedgerError("演示区下级单位太少，无法生成上下联动的推送问题。")
        parents = []
        for category, title in PUSH_TOPICS[:parent_count]:
            parent = ProblemPlan(org=self.root, level_class=level_class_of(self.root), category=category, title=title,
                                 source=Source.INSPECTION)
            parent.measures = [MeasurePlan(org=self.root, text="统筹督导下级单位制定整改措施，按月调度推进情况",
                                           person=self.person(), status=MeasureStatus.IN_PROGRESS)]
            self.titles_used.add((self.root.pk, title))
            parents.append(parent)
        children = []
        for index in range(PUSHED["problems"]):
            parent = parents[index % parent_count]
            targets = [org for org in self.push_targets if all(c.org.pk != org.pk for c in children if c.parent is parent)]
            org = self.rng.choice(targets)
            child = ProblemPlan(org=org, level_class=level_class_of(org), category=parent.category, title=parent.title,
                                source=Source.UPPER, parent=parent)
            child.measures = self.measures_for(org, parent.category, 3 if index < 3 else 2)
            children.append(child)
        # 14 closed (two measures each: 28 verified) and 13 more verified, one in each of 13 open problems.
        two = [child for child in children if len(child.measures) == 2]
        self.rng.shuffle(two)
        for child in two[:PUSHED["closed"]]:
            child.kind = "closed"
            for measure in child.measures:
                measure.status = MeasureStatus.VERIFIED
        still_open = [child for child in children if child.kind != "closed"]
        self.rng.shuffle(still_open)
        verified_left = PUSHED["completed"] - 2 * PUSHED["closed"]
        for child in still_open[:verified_left]:
            child.measures[-1].status = MeasureStatus.VERIFIED
        for child in still_open:
            self.open_statuses(child)
        return parents + children

    # -- the rest of a level class, sized so that the class hits its targets exactly --

    def fill_class(self, level_class: str, problems: int, measures: int, completed: int) -> list[ProblemPlan]:
        if not problems <= measures <= 4 * problems or completed > measures:
            raise DemoLedgerError(f"{level_class} 的目标数字无法分配：{problems}/{measures}/{completed}")
        counts = [1] * problems
        extra = measures - problems
        while extra:
            index = self.rng.randrange(problems)
            if counts[index] < 4:
                counts[index] += 1
                extra -= 1
        plans = [self.problem(self.pick_org(level_class), count) for count in counts]
        order = list(plans)
        self.rng.shuffle(order)
        submitted_count, returned_count = round(problems * 0.04), round(problems * 0.025)
        reopened_count = max(1, round(problems * 0.015))
        submitted = order[:submitted_count]
        returned = order[submitted_count:submitted_count + returned_count]
        reopened = order[submitted_count + returned_count:submitted_count + returned_count + reopened_count]
        active = order[submitted_count + returned_count + reopened_count:]
        for plan in submitted:
            plan.kind = "submitted"
        for plan in returned:
            plan.kind = "returned"
            plan.reason = self.rng.choice(RETURN_REASONS[:2] + ["问题表述笼统，请具体到点位和表现"])
        for plan in reopened:
            plan.kind = "reopened"
            plan.reason = self.rng.choice(REOPEN_REASONS)
            for measure in plan.measures:
                measure.status = MeasureStatus.VERIFIED
            plan.measures[0].status = MeasureStatus.IN_PROGRESS
            plan.measures[0].reopened = True
            plan.measures[0].reason = plan.reason
        left = completed - sum(len(plan.measures) - 1 for plan in reopened)
        available = sum(len(plan.measures) for plan in active)
        if left > available or left < 0:
            raise DemoLedgerError(f"{level_class} 的已完成措施数无法分配。")
        # Close problems until about half of the remaining open problems' measures stay open.
        close_target = min(left, max(0, 2 * left - available))
        closed_sum = 0
        for plan in active:
            if closed_sum + len(plan.measures) <= close_target:
                plan.kind = "closed"
                closed_sum += len(plan.measures)
                for measure in plan.measures:
                    measure.status = MeasureStatus.VERIFIED
        still_open = [plan for plan in active if plan.kind != "closed"]
        first_slots = [measure for plan in still_open for measure in plan.measures[1:]]
        last_slots = [plan.measures[0] for plan in still_open]  # verified only if needed: then "待销号"
        self.rng.shuffle(first_slots)
        self.rng.shuffle(last_slots)
        remaining = left - closed_sum
        for measure in (first_slots + last_slots)[:remaining]:
            measure.status = MeasureStatus.VERIFIED
        for plan in still_open:
            if self.rng.random() < 0.15:
                plan.earlier_return = self.rng.choice(RETURN_REASONS[:3])
            self.open_statuses(plan)
        return plans

    def open_statuses(self, plan: ProblemPlan) -> None:
        """The measures of an approved problem that are not verified: in progress, reported, returned or new."""
        for measure in plan.measures:
            if measure.status == MeasureStatus.VERIFIED:
                measure.bounced = self.rng.random() < 0.1
                continue
            if measure.reopened:
                continue
            roll = self.rng.random()
            if roll < 0.56:
                measure.status = MeasureStatus.IN_PROGRESS
            elif roll < 0.72:
                measure.status = MeasureStatus.REPORTED
            elif roll < 0.84:
                measure.status = MeasureStatus.RETURNED
                if self.rng.random() < 0.55:
                    measure.returned_from = MeasureStatus.PLANNED
                    measure.reason = self.rng.choice(["整改举措较为空洞", "时限不明确"])
                else:
                    measure.returned_from = MeasureStatus.REPORTED
                    measure.reason = "佐证材料不足"
            else:
                measure.status = MeasureStatus.PLANNED

    def plan(self) -> list[ProblemPlan]:
        block = self.pushed_block()
        plans = list(block)
        for level_class in (COUNTY, GRASSROOTS):
            mine = [plan for plan in block if plan.level_class == level_class]
            target = TARGET[level_class]
            plans += self.fill_class(
                level_class, target["problems"] - len(mine),
                target["measures"] - sum(len(plan.measures) for plan in mine),
                target["completed"] - sum(m.status == MeasureStatus.VERIFIED for plan in mine for m in plan.measures),
            )
        return plans


# ---- the timeline -----------------------------------------------------------------------------


class Timeline:
    """Turns plans into rows with dates laid out backwards from `now`; events are collected in order."""

    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.events: list[tuple[LedgerEvent, datetime.datetime]] = []
        self.progress: list[tuple[Progress, datetime.datetime]] = []

    def at(self, day: datetime.date) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(8, 30)) + datetime.timedelta(
            minutes=self.rng.randint(0, 9 * 60))
        return min(timezone.make_aware(moment), self.latest())

    def latest(self) -> datetime.datetime:
        return self.now - datetime.timedelta(minutes=self.rng.randint(5, 120))

    def after(self, moment: datetime.datetime, low_days: float, high_days: float) -> datetime.datetime:
        later = moment + datetime.timedelta(days=self.rng.uniform(low_days, high_days))
        return max(moment + datetime.timedelta(minutes=1), min(later, self.latest()))

    def spread(self, start: datetime.datetime, end: datetime.datetime, count: int) -> list[datetime.datetime]:
        end = max(end, start + datetime.timedelta(minutes=count + 1))
        span = (end - start).total_seconds()
        return sorted(start + datetime.timedelta(seconds=self.rng.uniform(1, span)) for _ in range(count))

    def event(self, moment, *, problem: ProblemPlan, measure: MeasurePlan | None = None, action: str, label: str,
              from_status: str = "", to_status: str = "", reason: str = "") -> None:
        self.events.append((LedgerEvent(problem=problem.row, measure=measure.row if measure else None, action=action,
                                        label=label, from_status=from_status, to_status=to_status, reason=reason),
                            min(moment, self.now)))

    def problem(self, plan: ProblemPlan) -> None:
        recent = plan.kind in ("submitted", "returned")
        if plan.parent is not None:
            plan.found_on = plan.parent.found_on + datetime.timedelta(days=self.rng.randint(3, 20))
        else:
            plan.found_on = self.today - datetime.timedelta(days=self.rng.randint(3, 30) if recent else self.rng.randint(60, 240))
        plan.found_on = min(plan.found_on, self.today)
        created = self.at(plan.found_on + datetime.timedelta(days=self.rng.randint(0, 2)))
        if plan.parent is not None:
            created = max(created, plan.parent.row.created_at + datetime.timedelta(hours=1))
        row = plan.row
        row.created_at = created
        self.event(created, problem=plan, action="create", label="填报问题", to_status=ProblemStatus.SUBMITTED)
        moment = created
        for measure in plan.measures:
            measure.row.created_at = moment = moment + datetime.timedelta(minutes=self.rng.randint(2, 40))
            self.event(moment, problem=plan, measure=measure, action="measure_add", label="制定措施",
                       to_status=MeasureStatus.PLANNED)
        if plan.kind == "submitted":
            for measure in plan.measures:
                measure.deadline = self.today + datetime.timedelta(days=self.rng.randint(30, 150))
            row.updated_at = moment
            return
        if plan.kind == "returned":
            moment = self.after(moment, 1, 5)
            self.transition_problem(plan, "send_back", moment, ProblemStatus.SUBMITTED, plan.reason)
            for measure in plan.measures:
                measure.deadline = self.today + datetime.timedelta(days=self.rng.randint(30, 150))
            row.updated_at = moment
            return
        if plan.earlier_return:
            moment = self.after(moment, 1, 4)
            self.transition_problem(plan, "send_back", moment, ProblemStatus.SUBMITTED, plan.earlier_return)
            moment = self.after(moment, 1, 4)
            self.transition_problem(plan, "resubmit", moment, ProblemStatus.RETURNED)
            row.last_reason = plan.earlier_return
        approved = self.after(moment, 1, 6)
        self.transition_problem(plan, "approve", approved, ProblemStatus.SUBMITTED)
        last = approved
        verified_times = []
        for measure in plan.measures:
            end = self.measure(plan, measure, approved)
            last = max(last, end)
            if measure.status == MeasureStatus.VERIFIED or measure.reopened:
                verified_times.append(measure.row.verified_at or end)
        if plan.kind in ("closed", "reopened"):
            closed = self.after(max(verified_times), 1, 6)
            self.transition_problem(plan, "close", closed, ProblemStatus.RECTIFYING)
            row.closed_at = closed
            last = max(last, closed)
        if plan.kind == "reopened":
            reopened = self.after(row.closed_at, 5, 30)
            row.closed_at = None
            row.last_reason = plan.reason
            self.transition_problem(plan, "reopen", reopened, ProblemStatus.CLOSED, plan.reason)
            measure = plan.measures[0]
            self.event(reopened, problem=plan, measure=measure, action="reopen", label=MEASURE_TRANSITIONS["reopen"].label,
                       from_status=MeasureStatus.VERIFIED, to_status=MeasureStatus.IN_PROGRESS, reason=plan.reason)
            measure.row.verified_at = None
            measure.row.last_reason = plan.reason
            measure.row.percent = self.rng.choice([60, 70, 80])
            last = max(last, reopened)
            if self.rng.random() < 0.6:
                again = self.after(reopened, 2, 12)
                self.progress_report(plan, measure, again, measure.row.percent)
                last = max(last, again)
        row.updated_at = last

    def transition_problem(self, plan: ProblemPlan, name: str, moment, from_status: str, reason: str = "") -> None:
        transition = PROBLEM_TRANSITIONS[name]
        self.event(moment, problem=plan, action=name, label=transition.label, from_status=from_status,
                   to_status=transition.target, reason=reason)

    def transition_measure(self, plan, measure, name: str, moment, from_status: str, to_status: str = "",
                           reason: str = "") -> None:
        transition = MEASURE_TRANSITIONS[name]
        self.event(moment, problem=plan, measure=measure, action=name, label=transition.label,
                   from_status=from_status, to_status=to_status or transition.target, reason=reason)

    def progress_report(self, plan, measure, moment, percent: int) -> None:
        text = self.rng.choice(PROGRESS_TEXTS).format(n=self.rng.randint(3, 20))
        moment = min(moment, self.now)
        self.progress.append((Progress(measure=measure.row, text=text, percent=percent), moment))
        self.event(moment, problem=plan, measure=measure, action="progress", label=f"更新进展（{percent}%）")
        measure.row.last_progress_at = moment

    def measure(self, plan: ProblemPlan, measure: MeasurePlan, approved: datetime.datetime) -> datetime.datetime:
        """Lay out one measure's life after its problem's approval; returns the time of its last event."""
        row = measure.row
        status = measure.status
        if status == MeasureStatus.PLANNED:  # added later, waiting for review
            row.created_at = self.after(approved, 1, max(2, (self.now - approved).days))
            self.events.pop(self._add_event_index(measure))
            self.event(row.created_at, problem=plan, measure=measure, action="measure_add", label="制定措施",
                       to_status=MeasureStatus.PLANNED)
            measure.deadline = self.today + datetime.timedelta(days=self.rng.randint(20, 120))
            return row.created_at
        if status == MeasureStatus.RETURNED and measure.returned_from == MeasureStatus.PLANNED:
            moment = self.after(approved, 0.2, 3)
            self.transition_measure(plan, measure, "send_back", moment, MeasureStatus.PLANNED, reason=measure.reason)
            row.last_reason, row.returned_from = measure.reason, MeasureStatus.PLANNED
            self.deadline_open(plan, measure)
            return moment
        started = self.after(approved, 0.1, 2)
        self.transition_measure(plan, measure, "approve", started, MeasureStatus.PLANNED)
        if status == MeasureStatus.VERIFIED or measure.reopened:
            room = max(3.0, (self.now - started).total_seconds() / 86400)
            verified = self.after(started, min(10, room * 0.5), room)
            steps = self.spread(started, verified, 5 if measure.bounced else 2)
            reports = self.rng.randint(1, 2)
            marks = self.spread(started, steps[0], reports)
            for index, moment in enumerate(marks):
                self.progress_report(plan, measure, moment, [50, 80][index] if reports == 2 else 80)
            if measure.bounced:
                self.transition_measure(plan, measure, "report_done", steps[0], MeasureStatus.IN_PROGRESS)
                self.transition_measure(plan, measure, "send_back", steps[1], MeasureStatus.REPORTED, reason="佐证材料不足")
                self.transition_measure(plan, measure, "resubmit", steps[2], MeasureStatus.RETURNED,
                                        to_status=MeasureStatus.IN_PROGRESS)
                self.progress_report(plan, measure, steps[3], 100)
                self.transition_measure(plan, measure, "report_done", steps[4], MeasureStatus.IN_PROGRESS)
                row.returned_from, row.last_reason = MeasureStatus.REPORTED, "佐证材料不足"
            else:
                self.transition_measure(plan, measure, "report_done", steps[-1], MeasureStatus.IN_PROGRESS)
            self.transition_measure(plan, measure, "verify", verified, MeasureStatus.REPORTED)
            row.percent, row.verified_at = 100, verified
            late = self.rng.random() < 0.12
            measure.deadline = verified.date() + datetime.timedelta(days=-self.rng.randint(1, 20) if late else self.rng.randint(0, 40))
            measure.deadline = max(measure.deadline, plan.found_on + datetime.timedelta(days=15))
            return verified
        end = self.after(started, 1, max(2, (self.now - started).days))
        if status == MeasureStatus.IN_PROGRESS:
            reports = self.rng.choices([0, 1, 2, 3], [1, 4, 3, 2])[0]
            percents = sorted(self.rng.sample([10, 20, 30, 40, 50, 60, 70, 80, 90], reports))
            for moment, percent in zip(self.spread(started, end, reports), percents, strict=True):
                self.progress_report(plan, measure, moment, percent)
            row.percent = percents[-1] if percents else 0
        else:  # reported, or returned at verification
            times = self.spread(started, end, 3)
            self.progress_report(plan, measure, times[0], self.rng.choice([60, 80, 90]))
            self.transition_measure(plan, measure, "report_done", times[1], MeasureStatus.IN_PROGRESS)
            row.percent = 100
            if status == MeasureStatus.RETURNED:
                self.transition_measure(plan, measure, "send_back", times[2], MeasureStatus.REPORTED, reason=measure.reason)
                row.last_reason, row.returned_from = measure.reason, MeasureStatus.REPORTED
            end = times[-1]
        self.deadline_open(plan, measure)
        return end

    def _add_event_index(self, measure: MeasurePlan) -> int:
        for index in range(len(self.events) - 1, -1, -1):
            event = self.events[index][0]
            if event.measure is measure.row and event.action == "measure_add":
                return index
        raise LookupError(measure.text)

    def deadline_open(self, plan: ProblemPlan, measure: MeasurePlan) -> None:
        """About a third of open measures are past their deadline."""
        if self.rng.random() < 0.33:
            earliest = plan.found_on + datetime.timedelta(days=15)
            measure.deadline = max(earliest, self.today - datetime.timedelta(days=self.rng.randint(1, 60)))
            if measure.deadline >= self.today:
                measure.deadline = self.today - datetime.timedelta(days=1)
        else:
            measure.deadline = self.today + datetime.timedelta(days=self.rng.randint(5, 120))


# ---- writing ----------------------------------------------------------------------------------


def find_demo_root() -> Org | None:
    """The demo district: a root org of Haicang (division code 350205); the largest if several exist."""
    candidates = list(Org.objects.filter(depth=1, division_code=DIVISION_CODE, level=Level.DISTRICT))
    if not candidates:
        return None
    return max(candidates, key=lambda org: (Org.objects.filter(path__under=org.path).count(), -org.pk))


def _checker() -> User:
    """A superuser-equivalent reader for the check: it sees the whole subtree, as the district officer does."""
    return User(username="ledger-demo-check", is_superuser=True)


def pushed_rollup(root: Org, user=None) -> dict:
    user = user or _checker()
    totals = {"problems": 0, "problems_closed": 0, "measures": 0, "measures_completed": 0}
    parents = selectors.problems_visible_to(user).filter(org_path__under=root.path, pushed_to__isnull=False).distinct()
    for parent in parents:
        for key, value in selectors.push_down_rollup(user, parent).items():
            totals[key] += value
    return totals


def _status_of(plan: ProblemPlan) -> str:
    return {"submitted": ProblemStatus.SUBMITTED, "returned": ProblemStatus.RETURNED, "closed": ProblemStatus.CLOSED}.get(
        plan.kind, ProblemStatus.RECTIFYING)


def _description(plan: ProblemPlan) -> str:
    if plan.parent is not None:
        return f"区级问题“{plan.title}”推送至本单位，结合实际制定整改措施。"
    return f"{FOUND_BY[Source(plan.source)]}：{plan.title}。已列入{BATCH}，按“每周一调度、两周一更新、一月一总结”推进整改。"


@transaction.atomic
def generate_ledger(root: Org | None = None, *, seed: int = DEFAULT_SEED, now: datetime.datetime | None = None,
                    reset: bool = False) -> DemoLedgerResult:
    """Write the first batch of the demo district's ledger; skip it if it is already there."""
    root = root or find_demo_root()
    if root is None:
        raise DemoLedgerError(f"没有找到演示区（行政区划代码 {DIVISION_CODE} 的区级根组织），请先运行 manage.py demo --scale district。")
    existing = Problem.objects.filter(org_path__under=root.path)
    marked = AuditEntry.objects.filter(action=AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk)).exists()
    if existing.exists() and not reset:
        if marked:
            return DemoLedgerResult(root=root, created=False, figures=selectors.ledger_figures(_checker(), org=root),
                                    pushed=pushed_rollup(root))
        raise DemoLedgerError(f"“{root.name}”下已有{existing.count()}个问题（非演示生成），未生成演示台账；如需覆盖请加 --reset。")
    removed = 0
    if reset and existing.exists():
        removed = existing.count()
        existing.filter(pushed_from__isnull=False).delete()  # pushed problems first: their parents are protected
        existing.delete()

    now = now or clock.now()
    planner = Planner(root, seed)
    plans = planner.plan()
    timeline = Timeline(random.Random(f"yuntu-ledger-demo-dates:{seed}"), now)
    for plan in plans:
        plan.row = Problem(org=plan.org, org_path=plan.org.path, title=plan.title, description=_description(plan),
                           source=plan.source, category=plan.category, level_class=plan.level_class, batch=BATCH,
                           found_on=timeline.today, status=_status_of(plan))
        for measure in plan.measures:
            measure.row = Measure(org=measure.org, org_path=measure.org.path, text=measure.text,
                                  responsible_person=measure.person, deadline=timeline.today, status=measure.status,
                                  level_class=plan.level_class, returned_from=measure.returned_from)
            if measure.reopened:
                measure.row.status = MeasureStatus.IN_PROGRESS
    for plan in plans:  # parents come first in `plans`, so a pushed problem's dates follow its parent's
        timeline.problem(plan)
        plan.row.found_on = plan.found_on
        for measure in plan.measures:
            measure.row.deadline = measure.deadline
        if plan.row.status == ProblemStatus.RETURNED:
            plan.row.last_reason = plan.reason

    for event, moment in timeline.events:
        event.occurred_at = moment
    for report, moment in timeline.progress:
        report.created_at = moment
    measures = [measure.row for plan in plans for measure in plan.measures]
    for row in measures:
        row.updated_at = max(filter(None, [row.created_at, row.last_progress_at, row.verified_at]))
    events = [event for event, _ in timeline.events]
    parents = [plan for plan in plans if any(other.parent is plan for other in plans)]
    with history_kept(Problem, Measure, LedgerEvent, Progress):
        Problem.objects.bulk_create([plan.row for plan in parents])
        for plan in plans:
            if plan.parent is not None:
                plan.row.pushed_from = plan.parent.row
        Problem.objects.bulk_create([plan.row for plan in plans if plan not in parents], batch_size=500)
        for plan in plans:
            for measure in plan.measures:
                measure.row.problem = plan.row
        Measure.objects.bulk_create(measures, batch_size=500)
        LedgerEvent.objects.bulk_create(events, batch_size=1000)
        Progress.objects.bulk_create([report for report, _ in timeline.progress], batch_size=1000)
    rollups.rebuild()  # bulk rows bypass the services that keep the roll-up

    figures = selectors.ledger_figures(_checker(), org=root, today=timeline.today)
    pushed = pushed_rollup(root)
    audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={
        "batch": BATCH, "seed": seed, "problems": figures["all"]["problems"], "measures": figures["all"]["measures"],
        "completed": figures["all"]["measures_completed"], "county_rate": figures[COUNTY]["completion_rate"],
        "grassroots_rate": figures[GRASSROOTS]["completion_rate"], "pushed": pushed, "replaced": removed,
    })
    return DemoLedgerResult(root=root, created=True, problems=len(plans), measures=len(measures), events=len(events),
                            figures=figures, pushed=pushed)


# ---- the benchmark ledger: ≈10⁵–10⁶ measures over a whole tree ---------------------------------

BENCH_AUDIT_ACTION = "ledger.bench_generate"
BENCH_BATCH = "性能测试批次"
BENCH_CHUNK = 50_000  # problems written per round (with their measures)
# Problem status → share; measures of a problem follow its status (see `_bench_measure_status`).
BENCH_PROBLEM_STATUSES = [(ProblemStatus.SUBMITTED.value, 6), (ProblemStatus.RETURNED.value, 3),
                          (ProblemStatus.RECTIFYING.value, 58), (ProblemStatus.CLOSED.value, 33)]
BENCH_OPEN_MEASURES = [(MeasureStatus.VERIFIED.value, 45), (MeasureStatus.IN_PROGRESS.value, 35),
                       (MeasureStatus.REPORTED.value, 8), (MeasureStatus.PLANNED.value, 7),
                       (MeasureStatus.RETURNED.value, 5)]


@dataclass
class BenchLedgerResult:
    root: Org
    created: bool
    problems: int
    measures: int
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


def _bench_marker(root: Org):
    return AuditEntry.objects.filter(action=BENCH_AUDIT_ACTION, object_type="orgs.org", object_id=str(root.pk))


def generate_bench_ledger(root: Org, *, measures: int, seed: int = DEFAULT_SEED,
                          now: datetime.datetime | None = None) -> BenchLedgerResult:
    """A large, seeded ledger over root's whole subtree for the benchmark (`demo_ledger --bench`).

    About `measures` measures (1–3 per problem, ≈1.9 on average) on problems spread over every
    active org of the subtree (the district/city/province level and its direct units weigh more),
    with `level_class` by the services' rule (depth ≤ 2: county level), mixed statuses and
    deadlines (a share of the open measures is overdue). No timelines or progress reports: the
    benchmark reads lists and grouped figures. Rows go in through the demo generator's
    RowWriter (COPY on PostgreSQL, executemany elsewhere), ids taken up front, in one
    transaction; PostgreSQL then gets ANALYZE. Built once: a subtree already marked (audit
    entry) is reused; one with a ledger entered otherwise is refused.
    """
    import time

    from django.db import connection

    from yuntu.demo.generator import RowWriter

    started = time.perf_counter()
    existing = Problem.objects.filter(org_path__under=root.path)
    if _bench_marker(root).exists():
        return BenchLedgerResult(root=root, created=False, problems=existing.count(),
                                 measures=Measure.objects.filter(org_path__under=root.path).count(),
                                 seconds=round(time.perf_counter() - started, 1))
    if existing.exists():
        raise DemoLedgerError(f"“{root.name}”下已有{existing.count()}个问题，未生成性能测试台账。")
    now = now or clock.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    rng = random.Random(f"yuntu-ledger-bench:{seed}:{measures}")
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    orgs = list(Org.objects.filter(path__under=root.path, is_active=True, temporary=False)
                .exclude(level=Level.GROUP).order_by("path").values_list("pk", "path", "depth", "sector"))
    if not orgs:
        raise DemoLedgerError(f"“{root.name}”下没有可用的组织。")
    cumulative, total = [], 0
    for _pk, _path, depth, _sector in orgs:
        total += 30 if depth <= root.depth + 1 else 1
        cumulative.append(total)
    problem_count = max(1, round(measures / 1.9))
    picks = rng.choices(range(len(orgs)), cum_weights=cumulative, k=problem_count)
    banks = {COUNTY: [(c, t) for c, titles in COUNTY_TITLES.items() for t in titles if "{" not in t],
             GRASSROOTS: [(c, t) for c, titles in COMMUNITY_TITLES.items() for t in titles if "{" not in t]}
    measure_texts = {c: [t for t in texts if "{" not in t] for c, texts in MEASURES.items()}
    people = [s + g for s in SURNAMES for g in GIVEN]
    problem_statuses, problem_weights = zip(*BENCH_PROBLEM_STATUSES, strict=True)
    open_statuses, open_weights = zip(*BENCH_OPEN_MEASURES, strict=True)
    sources = [str(value) for value in Source.values if value != Source.UPPER]
    timings["plan"] = round(time.perf_counter() - mark, 1)

    problem_writer, measure_writer = RowWriter(Problem), RowWriter(Measure)
    tz = timezone.get_current_timezone() if timezone.is_aware(now) else None
    written_problems = written_measures = 0
    write_seconds = 0.0
    with transaction.atomic():
        for chunk_start in range(0, problem_count, BENCH_CHUNK):
            chunk = picks[chunk_start:chunk_start + BENCH_CHUNK]
            problem_ids = problem_writer.allocate(len(chunk))
            problem_rows, measure_rows = [], []
            for problem_id, index in zip(problem_ids, chunk, strict=True):
                org_id, path, depth, _sector = orgs[index]
                level_class = COUNTY if depth <= 2 else GRASSROOTS  # services.level_class_of
                category, title = rng.choice(banks[level_class])
                found_on = today - datetime.timedelta(days=rng.randint(0, 720))
                found_at = datetime.datetime.combine(found_on, datetime.time(9), tz)
                status = rng.choices(problem_statuses, problem_weights)[0]
                last = found_at
                count = rng.choices((1, 2, 3), (35, 41, 24))[0]
                for _ in range(count):
                    if status == ProblemStatus.CLOSED:
                        measure_status = MeasureStatus.VERIFIED
                    elif status == ProblemStatus.RECTIFYING:
                        measure_status = rng.choices(open_statuses, open_weights)[0]
                    else:
                        measure_status = MeasureStatus.PLANNED
                    deadline = found_on + datetime.timedelta(days=rng.randint(20, 240))
                    verified_at = None
                    if measure_status == MeasureStatus.VERIFIED:
                        verified_at = min(now, found_at + datetime.timedelta(days=rng.randint(5, 200)))
                        last = max(last, verified_at)
                    percent = {MeasureStatus.VERIFIED: 100, MeasureStatus.REPORTED: 100,
                               MeasureStatus.IN_PROGRESS: rng.choice((10, 30, 50, 70, 90))}.get(measure_status, 0)
                    measure_rows.append({
                        "org_id": org_id, "org_path": path, "problem_id": problem_id,
                        "text": rng.choice(measure_texts[category]), "responsible_person": rng.choice(people),
                        "deadline": deadline, "status": str(measure_status), "percent": percent,
                        "returned_from": MeasureStatus.REPORTED.value if measure_status == MeasureStatus.RETURNED else "",
                        "last_reason": RETURN_REASONS[3] if measure_status == MeasureStatus.RETURNED else "",
                        "level_class": level_class, "verified_at": verified_at, "created_at": found_at,
                        "updated_at": verified_at or found_at,
                    })
                problem_rows.append({
                    "id": problem_id, "org_id": org_id, "org_path": path, "title": title, "description": "",
                    "source": rng.choice(sources), "category": category, "level_class": level_class,
                    "batch": BENCH_BATCH, "found_on": found_on, "status": status,
                    "closed_at": last if status == ProblemStatus.CLOSED else None,
                    "last_reason": RETURN_REASONS[0] if status == ProblemStatus.RETURNED else "",
                    "created_at": found_at, "updated_at": last,
                })
            for row, measure_id in zip(measure_rows, measure_writer.allocate(len(measure_rows)), strict=True):
                row["id"] = measure_id
            lap = time.perf_counter()
            problem_writer.write(problem_rows)
            measure_writer.write(measure_rows)
            write_seconds += time.perf_counter() - lap
            written_problems += len(problem_rows)
            written_measures += len(measure_rows)
        audit_record(actor=None, action=BENCH_AUDIT_ACTION, obj=root, after={
            "batch": BENCH_BATCH, "seed": seed, "problems": written_problems, "measures": written_measures})
    timings["rows"] = round(time.perf_counter() - mark - timings["plan"] - write_seconds, 1)
    timings["write"] = round(write_seconds, 1)
    mark = time.perf_counter()
    rollups.rebuild()  # bulk rows bypass the services that keep the roll-up
    timings["rollup"] = round(time.perf_counter() - mark, 1)
    mark = time.perf_counter()
    with connection.cursor() as cursor:  # fresh statistics, or the planner takes the tables for empty
        for table in (Problem._meta.db_table, Measure._meta.db_table):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    timings["analyze"] = round(time.perf_counter() - mark, 1)
    return BenchLedgerResult(root=root, created=True, problems=written_problems, measures=written_measures,
                             seconds=round(time.perf_counter() - started, 1), timings=timings)

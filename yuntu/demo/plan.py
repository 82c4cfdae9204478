"""The shape of a demo deployment, planned in memory before anything is written.

A plan is a tree of `Node`s built from one seeded random generator, so the same seed always
gives the same organisations, names and member numbers. `generator.py` turns it into rows.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from yuntu.orgs.models import Kind, Level, Sector

from . import names as N

# Member profiles: who sits in a branch decides their age, employment and reporting.
COMMUNITY, VILLAGE, FLOATING, RETIRED, ESTATE, GROUP = "community", "village", "floating", "retired", "estate", "group"
AGENCY, SOE, SCHOOL, PRIVATE, NGO, TEMPORARY = "agency", "soe", "school", "private", "ngo", "temporary"
# (min, max) members held directly by a node of that profile.
MEMBERS_PER_NODE = {
    COMMUNITY: (20, 46), VILLAGE: (24, 52), FLOATING: (8, 25), RETIRED: (22, 52), ESTATE: (3, 9), GROUP: (4, 10),
    AGENCY: (11, 32), SOE: (12, 38), SCHOOL: (12, 34), PRIVATE: (3, 15), NGO: (3, 8), TEMPORARY: (5, 12),
}


@dataclass(slots=True, eq=False)
class Node:
    name: str
    level: str
    short_name: str = ""
    kind: str = Kind.STANDARD
    sector: str = ""
    division_code: str = ""
    temporary: bool = False
    end_date: datetime.date | None = None
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    members: int = 0
    profile: str = ""
    region: str = ""  # the district code its members' ID numbers start with
    partners: list[tuple[str, str]] = field(default_factory=list)
    grids: int = 0
    key: str = ""  # an anchor for a demo login
    children: list[Node] = field(default_factory=list)
    community: Node | None = None  # the community (village) this node belongs to, if any
    district: Node | None = None  # the district this node belongs to
    # Filled when written.
    path: str = ""
    depth: int = 0
    pk: int | None = None

    def add(self, child: Node) -> Node:
        self.children.append(child)
        return child

    def walk(self):
        """Pre-order, i.e. the order of treebeard paths."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


@dataclass
class Plan:
    root: Node
    scale: str
    # Communities (and villages) of each district node, for dual reporting of in-service members.
    communities: dict[int, list[Node]] = field(default_factory=dict)
    anchors: dict[str, Node] = field(default_factory=dict)

    @property
    def org_count(self) -> int:
        return sum(1 for _ in self.root.walk())

    @property
    def member_count(self) -> int:
        return sum(node.members for node in self.root.walk())


class Namer:
    """Generated names, unique within a scope (a district or city), from one random generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def word(self) -> str:
        """A two-character place word, e.g. 锦山, 霞坂 (not unique by itself)."""
        return self.rng.choice(N.PLACE_FIRST) + self.rng.choice(N.PLACE_SECOND)

    def pick(self, make) -> str:
        """The first name from `make()` not used yet in this scope."""
        for _ in range(100):
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name
        base = make()
        number = 2
        while f"{base}{number}" in self.used:
            number += 1
        self.used.add(f"{base}{number}")
        return f"{base}{number}"

    def place(self, suffix: str = "") -> str:
        return self.pick(lambda: self.word() + suffix)

    def reserve(self, *names: str) -> None:
        self.used.update(names)


class Planner:
    """Builds the node tree of one scale. Each district is built the same way, sized by a factor."""

    def __init__(self, seed: int, scale: str, member_factor: float = 1.0):
        self.rng = random.Random(f"yuntu-demo:{scale}:{seed}")
        self.scale = scale
        self.member_factor = member_factor
        self.plan: Plan | None = None
        self.communities: dict[int, list[Node]] = {}
        self.anchors: dict[str, Node] = {}

    # --- small helpers -----------------------------------------------------------------------

    def count(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def members(self, profile: str) -> int:
        low, high = MEMBERS_PER_NODE[profile]
        return max(1, round(self.rng.randint(low, high) * self.member_factor))

    def near(self, center: tuple[float, float], spread: float) -> tuple[float, float]:
        return (round(center[0] + self.rng.uniform(-spread, spread), 6),
                round(center[1] + self.rng.uniform(-spread, spread), 6))

    def address(self, label: str) -> str:
        return f"{label}{self.rng.choice(N.ROADS)}{self.rng.randint(1, 999)}号"

    # --- bodies of a district, a city or a province ----------------------------------------

    def agencies(self, parent: Node, *, title: str, label: str, level_word: str, factor: float, region: str,
                 temporaries: list[tuple[str, str]], namer: Namer, anchor: bool) -> None:
        """机关: a working committee of the organs, each organ a 机关党委 with branches or a single branch."""
        district = parent.district
        committee = parent.add(Node(
            name=f"中共{title}直属机关工作委员会", short_name=f"{level_word}直机关工委", level=Level.STREET,
            sector=Sector.AGENCY, region=region, district=district))
        wanted = max(3, round(len(N.AGENCIES) * min(1.0, factor)))
        chosen = N.AGENCIES[:wanted]
        if anchor and all(name != "区城市管理局" for name, _ in chosen):
            chosen = [*chosen[:-1], ("区城市管理局", False)]
        for base, large in chosen:
            agency = label + base[1:] if base.startswith("区") else f"共青团{label}委员会"
            organ = agency if agency.endswith("机关") else f"{agency}机关"
            if large and factor >= 0.5:
                general = committee.add(Node(
                    name=f"中共{organ}委员会", short_name=agency, level=Level.COMMUNITY, sector=Sector.AGENCY,
                    region=region, district=district))
                for branch in N.AGENCY_BRANCHES[: self.count(2, 4)]:
                    profile = RETIRED if branch.startswith("离退休") else AGENCY
                    general.add(Node(name=f"{agency}{branch}", short_name=agency, level=Level.BRANCH,
                                     sector=Sector.AGENCY, members=self.members(profile), profile=profile,
                                     region=region, district=district))
            else:
                node = committee.add(Node(name=f"{organ}党支部", short_name=agency, level=Level.BRANCH,
                                          sector=Sector.AGENCY, members=self.members(AGENCY), profile=AGENCY,
                                          region=region, district=district))
                if anchor and base == "区城市管理局":
                    node.key = "agency"
                    self.anchors["agency"] = node
        if not temporaries:
            project = self.rng.choice(["片区改造", "道路建设", "安置房建设", "产业园建设", "旧城改造"])
            temporaries = [(namer.pick(lambda: f"{label}{namer.word()}{project}项目临时党支部"),
                            f"{self.rng.choice([2027, 2028])}-{self.rng.choice(['06-30', '12-31'])}")]
        for name, end in temporaries:
            committee.add(Node(name=name, level=Level.BRANCH, sector=Sector.AGENCY, temporary=True,
                               end_date=datetime.date.fromisoformat(end), members=self.members(TEMPORARY),
                               profile=TEMPORARY, region=region, district=district))

    def soes(self, parent: Node, *, title: str, company_prefix: str, factor: float, region: str,
             suffixes: list[str] | None) -> None:
        """国企: the committee of the state-owned enterprises, each a 党委 with branches."""
        district = parent.district
        committee = parent.add(Node(
            name=f"中共{title}国有企业工作委员会", short_name=f"{company_prefix}国企党工委", level=Level.STREET,
            sector=Sector.SOE, region=region, district=district))
        suffixes = suffixes or N.SOE_SUFFIXES[: max(1, min(len(N.SOE_SUFFIXES), round(3 * factor)))]
        for suffix in suffixes:
            company = f"{company_prefix}{suffix}"
            short = f"{company_prefix}{suffix[:2]}集团"
            soe = committee.add(Node(name=f"中共{company}委员会", short_name=short, level=Level.COMMUNITY,
                                     sector=Sector.SOE, region=region, district=district))
            for branch in N.SOE_BRANCHES[: self.count(4, 7)]:
                soe.add(Node(name=f"{short}{branch}", level=Level.BRANCH, sector=Sector.SOE,
                             members=self.members(SOE), profile=SOE, region=region, district=district))

    def schools(self, parent: Node, *, title: str, factor: float, region: str, real: list[str], namer: Namer) -> None:
        """学校: the education working committee; large schools are 党总支 with branches."""
        district = parent.district
        committee = parent.add(Node(
            name=f"中共{title}委教育工作委员会", short_name=f"{title[-3:]}委教育工委", level=Level.STREET,
            sector=Sector.SCHOOL, region=region, district=district))
        wanted = max(2, round(22 * factor))
        schools = list(real)
        kinds = ["小学", "小学", "小学", "中学", "实验小学", "实验中学", "幼儿园", "幼儿园", "职业技术学校"]
        while len(schools) < wanted:
            schools.append(namer.pick(lambda: f"{namer.word()}{self.rng.choice(kinds)}"))
        for index, school in enumerate(schools):
            full = f"{title}{school}"
            if school.endswith("中学") or index == 0:
                general = committee.add(Node(name=f"中共{full}总支部委员会", short_name=school, level=Level.COMMUNITY,
                                             kind=Kind.GENERAL_BRANCH, sector=Sector.SCHOOL, region=region,
                                             district=district))
                for branch in ["第一党支部", "第二党支部", "退休教师党支部"][: self.count(2, 3)]:
                    profile = RETIRED if branch.startswith("退休") else SCHOOL
                    general.add(Node(name=f"{school}{branch}", level=Level.BRANCH, sector=Sector.SCHOOL,
                                     members=self.members(profile), profile=profile, region=region, district=district))
            else:
                committee.add(Node(name=f"{full}党支部", short_name=school, level=Level.BRANCH, sector=Sector.SCHOOL,
                                   members=self.members(SCHOOL), profile=SCHOOL, region=region, district=district))

    def partners(self, label: str, namer: Namer) -> list[tuple[str, str]]:
        chosen = self.rng.sample(N.PARTNER_UNITS, self.count(3, 6))
        return [(label + name[1:] if name.startswith("区") else namer.pick(lambda name=name: f"{namer.word()}{name}"), kind)
                for name, kind in chosen]

    def community(self, street: Node, *, short: str, village: bool, label: str, region: str,
                  center: tuple[float, float], namer: Namer, estates: list[str]) -> Node:
        """A community or village committee with its branches, estate branches, building groups and grids."""
        district = street.district
        roll = self.rng.random()
        if roll < 0.22 or (street.key == "street" and short == "兴旺社区"):  # the demo community is a 大党委
            kind, suffix = Kind.JOINT, "委员会"
        elif roll < 0.35:
            kind, suffix = Kind.GENERAL_BRANCH, "总支部委员会"
        else:
            kind, suffix = Kind.STANDARD, "委员会"
        latitude, longitude = self.near(center, 0.05)
        centre = (latitude, longitude)
        node = street.add(Node(
            name=f"中共{street.short_name}{short}{suffix}", short_name=short, level=Level.COMMUNITY, kind=kind,
            sector=Sector.VILLAGE if village else Sector.COMMUNITY, address=self.address(label), latitude=latitude,
            longitude=longitude, region=region, district=district, grids=self.count(3, 7)))
        node.community = node
        if kind == Kind.JOINT:
            node.partners = self.partners(label, namer)
        profile = VILLAGE if village else COMMUNITY
        sector = node.sector

        def branch(name: str, profile: str) -> None:
            node.add(Node(name=name, level=Level.BRANCH, sector=sector, members=self.members(profile), profile=profile,
                          region=region, district=district, community=node))

        for index in range(1, self.count(2, 5) + 1):
            branch(f"{short}第{N.ordinal(index)}党支部", profile)
        branch(f"{short}老年党支部", RETIRED)
        if village or self.rng.random() < 0.15:
            branch(f"{short}流动党员党支部", FLOATING)
        estate_names = list(estates)
        wanted = self.count(0, 1) if village else self.count(2, 4)
        while len(estate_names) < wanted:
            brand = self.rng.choice(N.ESTATE_BRAND) if self.rng.random() < 0.4 else ""
            estate_names.append(namer.pick(lambda brand=brand: f"{brand}{namer.word()}{self.rng.choice(N.ESTATE_SUFFIX)}"))
        for estate in estate_names:
            latitude, longitude = self.near(centre, 0.01)
            estate_branch = node.add(Node(
                name=f"{estate}小区党支部", short_name=estate, level=Level.BRANCH, kind=Kind.ESTATE,
                sector=Sector.COMMUNITY, address=f"{self.address(label)}{estate}", latitude=latitude,
                longitude=longitude, members=self.members(ESTATE), profile=ESTATE, region=region, district=district,
                community=node))
            if estate == "海沧招商花园城":
                estate_branch.key = "branch"
            for building in sorted(self.rng.sample(range(1, 30), self.count(2, 4))):
                estate_branch.add(Node(name=f"{estate}{building}号楼党小组", level=Level.GROUP, kind=Kind.BUILDING,
                                       sector=Sector.COMMUNITY, members=self.members(GROUP), profile=GROUP,
                                       region=region, district=district, community=node))
        return node

    def two_new(self, street: Node, *, label: str, company_prefix: str, enterprises: int, ngos: int, region: str,
                namer: Namer) -> None:
        """两新: a street's comprehensive committee of private enterprises and social organisations."""
        committee = street.add(Node(
            name=f"中共{street.short_name}非公有制经济组织和社会组织综合委员会", short_name=f"{street.short_name}两新综合党委",
            level=Level.COMMUNITY, sector=Sector.PRIVATE, region=region, district=street.district))
        for _ in range(enterprises):
            company = namer.pick(lambda: f"{company_prefix}{namer.word()}{self.rng.choice(N.INDUSTRIES)}有限公司")
            committee.add(Node(name=f"{company}党支部", short_name=company, level=Level.BRANCH, sector=Sector.PRIVATE,
                               members=self.members(PRIVATE), profile=PRIVATE, region=region, district=street.district))
        for _ in range(ngos):
            ngo = namer.pick(lambda: f"{label}{namer.word()}{self.rng.choice(N.NGO_KINDS)}")
            committee.add(Node(name=f"{ngo}党支部", short_name=ngo, level=Level.BRANCH, sector=Sector.NGO,
                               members=self.members(NGO), profile=NGO, region=region, district=street.district))

    def district(self, parent: Node | None, *, label: str, code: str, center: tuple[float, float], factor: float,
                 city_label: str, streets: list | None = None, street_names: list[str] | None = None,
                 profile: dict | None = None, anchor: bool = False, root_name: str | None = None) -> Node:
        """One district (county): its organs, SOEs, schools and streets with communities and 两新.

        `factor` 1.0 is the size of Haicang (about 1,100 organisations and 16,000 members).
        """
        namer = Namer(self.rng)
        profile = profile or {}
        title = f"{city_label}{label}"
        district = Node(name=root_name or f"中共{title}委员会", short_name=f"{label}委", level=Level.DISTRICT,
                        sector=Sector.AGENCY, division_code=code, address=self.address(label), latitude=center[0],
                        longitude=center[1], region=code)
        district.district = district
        if parent is not None:
            parent.add(district)
        if anchor:
            self.anchors["district"] = district
        if streets is None:
            streets = [(name, f"{code}{index:03d}", "town" if name.endswith(("镇", "乡")) else "street", [], [])
                       for index, name in enumerate(street_names or [], start=1)]
        for name, _, _, real_communities, real_villages in streets:
            namer.reserve(name, *real_communities, *real_villages)
        plain = label[:-1] if len(label) > 2 else label
        city_plain = city_label[:-1] if city_label.endswith("市") else city_label
        self.agencies(district, title=title, label=label, level_word="区", factor=factor, region=code,
                      temporaries=profile.get("temporary", []), namer=namer, anchor=anchor)
        self.soes(district, title=title, company_prefix=f"{city_plain}{plain}", factor=factor, region=code,
                  suffixes=profile.get("soe"))
        self.schools(district, title=title, factor=factor, region=code, real=profile.get("schools", []), namer=namer)
        per_street = max(1, round(56 * factor / max(1, len(streets))))
        enterprises = max(1, round(100 * factor / max(1, len(streets))))
        ngos = max(1, round(20 * factor / max(1, len(streets))))
        communities: list[Node] = []
        for street_name, street_code, street_kind, real_communities, real_villages in streets:
            town = street_kind == "town"
            joint = self.rng.random() < 0.3 or (anchor and street_name == "新阳街道")  # the demo street is a 大党工委
            latitude, longitude = self.near(center, 0.08)
            street = district.add(Node(
                name=f"中共{label}{street_name}委员会" if town else f"中共{label}{street_name}工作委员会",
                short_name=street_name, level=Level.STREET, kind=Kind.JOINT if joint else Kind.STANDARD,
                division_code=street_code, address=self.address(label), latitude=latitude, longitude=longitude,
                region=code, district=district))
            if joint:
                street.partners = self.partners(label, namer)
            if anchor and street_name == "新阳街道":
                street.key = "street"
                self.anchors["street"] = street
            stem = street_name[:-1] if town else street_name[:-2]
            street.add(Node(name=f"{stem}{'镇' if town else '街道'}机关党支部", short_name=f"{street_name}机关",
                            level=Level.BRANCH, sector=Sector.AGENCY, members=self.members(AGENCY), profile=AGENCY,
                            region=code, district=district))
            places = [(name, False) for name in real_communities] + [(name, True) for name in real_villages]
            if factor < 1:
                places = places[:per_street]
            village_share = 0.65 if town else 0.2
            while len(places) < per_street:
                village = self.rng.random() < village_share
                places.append((namer.place("村" if village else "社区"), village))
            for short, village in places:
                node = self.community(street, short=short, village=village, label=label, region=code,
                                      center=(latitude, longitude), namer=namer,
                                      estates=profile.get("estates", {}).get(short, []))
                communities.append(node)
                if anchor and short == "兴旺社区":
                    self.anchors["community"] = node
                    node.key = "community"
                    for child in node.children:
                        if child.key == "branch":
                            self.anchors["branch"] = child
            self.two_new(street, label=label, company_prefix=city_plain, enterprises=enterprises, ngos=ngos,
                         region=code, namer=namer)
        self.communities[id(district)] = communities
        return district

    # --- scales ------------------------------------------------------------------------------

    def haicang(self, parent: Node | None, *, factor: float = 1.0, label: str = "海沧区", root_name: str | None = None,
                streets: list | None = None) -> Node:
        profile = N.HAICANG
        return self.district(parent, label=label, code=profile["code"], center=profile["center"], factor=factor,
                             city_label="厦门市", streets=streets or profile["streets"], profile=profile, anchor=True,
                             root_name=root_name)

    def city_bodies(self, city: Node, *, title: str, label: str, level_word: str, factor: float) -> None:
        """The organs, SOEs and schools directly under a city (or province) committee."""
        namer = Namer(self.rng)
        self.agencies(city, title=title, label=label, level_word=level_word, factor=factor, region=city.region,
                      temporaries=[], namer=namer, anchor=False)
        self.soes(city, title=title, company_prefix=label[:-1] if label.endswith("市") else label, factor=factor,
                  region=city.region, suffixes=None)
        self.schools(city, title=title, factor=factor, region=city.region, real=[], namer=namer)

    def xiamen(self, parent: Node | None) -> Node:
        """Xiamen with its six districts, in the order of their division codes; Haicang holds the logins."""
        city = Node(name="中共厦门市委员会", short_name="厦门市委", level=Level.DISTRICT, sector=Sector.AGENCY,
                    division_code="350200", address=self.address("厦门市"), latitude=24.48, longitude=118.09,
                    region="350200")
        city.district = city
        if parent is not None:
            parent.add(city)
        self.city_bodies(city, title="厦门市", label="厦门市", level_word="市", factor=1.0)
        for label, code, center, factor, streets in N.XIAMEN_DISTRICTS:
            if code > N.HAICANG["code"] and "haicang" not in self.anchors:
                self.anchors["haicang"] = self.haicang(city)
            self.district(city, label=label, code=code, center=center, factor=factor, city_label="厦门市",
                          street_names=streets)
        return city

    def generated_city(self, parent: Node, *, label: str, code: str, center: tuple[float, float], districts: int,
                       factor: float) -> Node:
        """A city of the province with generated districts (names invented, codes sequential)."""
        city = parent.add(Node(name=f"中共{label}委员会", short_name=f"{label}委", level=Level.DISTRICT,
                               sector=Sector.AGENCY, division_code=code, address=self.address(label),
                               latitude=center[0], longitude=center[1], region=code))
        city.district = city
        self.city_bodies(city, title=label, label=label, level_word="市", factor=0.6)
        namer = Namer(self.rng)
        for index in range(1, districts + 1):
            county = self.rng.random() < 0.45
            district_label = namer.place("县" if county else "区")
            streets = [namer.place(self.rng.choice(["镇", "镇", "乡", "街道"]) if county else "街道")
                       for _ in range(self.count(4, 9))]
            self.district(city, label=district_label, code=f"{code[:4]}{index:02d}", center=self.near(center, 0.3),
                          factor=factor * self.rng.uniform(0.7, 1.3), city_label=label, street_names=streets)
        return city


@dataclass(frozen=True)
class ScaleSpec:
    name: str
    root_name: str
    username_prefix: str
    serials: tuple[int, int]  # range of the 3-digit sequence code of ID numbers: scales never collide
    resident_mobile: str


SCALES: dict[str, ScaleSpec] = {
    "tiny": ScaleSpec("tiny", "中共厦门市演示区委员会", "tiny-", (50, 100), "17000000001"),
    "district": ScaleSpec("district", "中共厦门市海沧区委员会", "haicang-", (100, 400), "17000350205"),
    "city": ScaleSpec("city", "中共厦门市委员会", "xiamen-", (400, 700), "17000350200"),
    "province": ScaleSpec("province", "中共福建省委员会", "fujian-", (700, 1000), "17000350000"),
}


def build_plan(scale: str, seed: int = 2026) -> Plan:
    """The whole tree of a scale, in memory. Same (scale, seed) → same tree, names and sizes."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    spec = SCALES[scale]
    planner = Planner(seed, scale, member_factor=0.25 if scale == "tiny" else 1.0)
    if scale == "tiny":
        streets = [(name, code, kind, communities[:1], villages[:1])
                   for name, code, kind, communities, villages in N.HAICANG["streets"] if name in ("新阳街道", "东孚街道")]
        root = planner.haicang(None, factor=0.05, label="演示区", root_name=spec.root_name, streets=streets)
    elif scale == "district":
        root = planner.haicang(None, root_name=spec.root_name)
    elif scale == "city":
        root = planner.xiamen(None)
    else:
        root = Node(name=spec.root_name, short_name="福建省委", level=Level.DISTRICT, sector=Sector.AGENCY,
                    division_code="350000", address="福建省福州市鼓楼区", latitude=26.08, longitude=119.30,
                    region="350000")
        root.district = root
        planner.city_bodies(root, title="福建省", label="福建省", level_word="省", factor=1.0)
        for label, code, center, districts in N.FUJIAN_CITIES:
            if label == "厦门市":
                planner.xiamen(root)
            else:
                planner.generated_city(root, label=label, code=code, center=center, districts=districts, factor=0.85)
    root.name = spec.root_name
    anchors = {key: node for key, node in planner.anchors.items() if key != "haicang"}
    anchors["root"] = root
    return Plan(root=root, scale=scale, communities=planner.communities, anchors=anchors)

"""Write a planned demo deployment to the database in bulk, and its demo logins.

Rows are not created one by one through the services: the tree is planned in memory
(`plan.py`), treebeard's materialized paths are computed here (4 base-36 characters a level,
`depth` and `numchild` set), and orgs, members, partner units, grids and households go in with
`bulk_create` in batches. Personal data is encrypted, digested and masked exactly as
`yuntu.orgs.services` does it; the member roll-up is rebuilt with `member_counts_rebuild()` at
the end; one audit entry `demo.generate` is written on the root instead of one per row.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import chinese, crypto
from yuntu.orgs.models import (
    Grid,
    Household,
    Member,
    MemberStatus,
    Org,
    OrgMemberCount,
    OrgScopedModel,
    PartnerUnit,
    Resident,
    Transfer,
)
from yuntu.orgs.services import member_counts_rebuild

from . import names as N
from . import plan as P

DEFAULT_PASSWORD = "Yuntu-demo-2026"
DEFAULT_SEED = 2026
# Dates are computed from a fixed day, so the same seed gives the same birth dates and ID numbers.
REFERENCE_DATE = datetime.date(2026, 11, 1)
BATCH_SIZE = 2000
MEMBER_FLUSH = 5000
STEPLEN = Org.steplen
ALPHABET = Org.alphabet
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                   "156", "157", "158", "159", "176", "177", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "198", "199"]
# Age range and mode of the members of each profile.
AGES = {
    P.COMMUNITY: (28, 86, 62), P.VILLAGE: (24, 86, 55), P.FLOATING: (22, 55, 34), P.RETIRED: (60, 92, 70),
    P.ESTATE: (25, 80, 48), P.GROUP: (25, 80, 50), P.AGENCY: (23, 59, 40), P.SOE: (23, 59, 40),
    P.SCHOOL: (23, 59, 38), P.PRIVATE: (22, 55, 33), P.NGO: (24, 66, 44), P.TEMPORARY: (25, 55, 38),
}
WORKPLACES = {P.AGENCY, P.SOE, P.SCHOOL, P.TEMPORARY}
PROBATIONARY_SHARE = 0.175  # retired branches have none, so about 15% overall


# --- paths ------------------------------------------------------------------------------------


def encode_step(number: int) -> str:
    """1 → '0001', 36 → '0010': one step of a treebeard MP path (base 36, zero-padded)."""
    if number < 1 or number >= len(ALPHABET) ** STEPLEN:
        raise ValueError(f"step {number} does not fit in {STEPLEN} characters")
    digits = []
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits)).rjust(STEPLEN, ALPHABET[0])


def next_root_path() -> str:
    last = Org.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
    return encode_step(1 if last is None else int(last, len(ALPHABET)) + 1)


def assign_paths(root: P.Node, root_path: str) -> None:
    root.path, root.depth = root_path, 1
    for node in root.walk():
        for index, child in enumerate(node.children, start=1):
            child.path = node.path + encode_step(index)
            child.depth = node.depth + 1


# --- people -----------------------------------------------------------------------------------


class People:
    """Names, ID numbers and mobiles of invented people, drawn from one seeded generator."""

    def __init__(self, rng: random.Random, serials: tuple[int, int]):
        self.rng = rng
        self.serials = serials
        self.used_ids: set[int] = set()
        surnames, weights = zip(*N.SURNAMES, strict=True)
        self.surnames = list(surnames)
        self.cumulative = list(_accumulate(weights))

    def name(self, male: bool) -> tuple[str, str]:
        surname = self.rng.choices(self.surnames, cum_weights=self.cumulative)[0]
        pool = N.MALE_GIVEN if male else N.FEMALE_GIVEN
        given = self.rng.choice(pool) + (self.rng.choice(pool) if self.rng.random() < 0.72 else "")
        return surname, given

    def search_text(self, surname: str, given: str) -> str:
        """What `chinese.search_text(name)` gives, assembled from cached parts (names are simplified already)."""
        surname_full, surname_initials = _pinyin_keys(surname)
        given_full, given_initials = _pinyin_keys(given)
        return f"{surname}{given} {surname_full}{given_full} {surname_initials}{given_initials}"

    def id_number(self, region: str, birth: datetime.date, male: bool) -> str:
        low, high = self.serials
        while True:
            serial = self.rng.randrange(low, high)
            if (serial % 2 == 1) != male:
                serial = serial + 1 if serial + 1 < high else serial - 1
            first = f"{region}{birth:%Y%m%d}{serial:03d}"
            key = int(first)
            if key not in self.used_ids:
                self.used_ids.add(key)
                return first + chinese.id_number_check_digit(first)

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"


@lru_cache(maxsize=50_000)
def _pinyin_keys(part: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name part, computed once per distinct part (pypinyin is slow)."""
    full, initials = chinese.pinyin_keys(part).split(" ")
    return full, initials


def _accumulate(values):
    total = 0
    for value in values:
        total += value
        yield total


def _years_before(day: datetime.date, years: float) -> datetime.date:
    return day - datetime.timedelta(days=round(years * 365.25))


@dataclass
class MemberContext:
    """What member generation needs to know about the rest of the plan."""

    communities_by_district: dict[int, list[P.Node]]
    employers_by_district: dict[int, list[str]]


class MemberFactory:
    def __init__(self, people: People, context: MemberContext):
        self.people = people
        self.rng = people.rng
        self.context = context

    def member(self, node: P.Node) -> dict[str, Any]:
        rng = self.rng
        profile = node.profile
        probationary = profile != P.RETIRED and rng.random() < PROBATIONARY_SHARE
        male = rng.random() < (0.68 if profile in WORKPLACES else 0.58)
        low, high, mode = AGES[profile]
        age = rng.uniform(20, 40) if probationary else rng.triangular(low, high, mode)
        birth = _years_before(REFERENCE_DATE, age) - datetime.timedelta(days=rng.randrange(365))
        surname, given = self.people.name(male)
        id_number = self.people.id_number(node.region, birth, male)
        if probationary:
            joined_on = REFERENCE_DATE - datetime.timedelta(days=rng.randrange(1, 360))
            probation_end = joined_on + datetime.timedelta(days=365)
        else:
            earliest = 18.5
            latest = max(earliest + 0.5, min(age - 1.2, 58))
            joined_on = birth + datetime.timedelta(days=round(rng.uniform(earliest, latest) * 365.25))
            probation_end = None
        floating = profile == P.FLOATING or (profile in (P.VILLAGE, P.COMMUNITY) and rng.random() < 0.02)
        in_service = False
        employer = ""
        reporting = None
        district_key = id(node.district)
        if profile in WORKPLACES and age < 60 and rng.random() < 0.85:
            in_service = True
            employer = node.short_name or node.name.removesuffix("党支部")
            communities = self.context.communities_by_district.get(district_key)
            if communities:
                reporting = rng.choice(communities).pk
        elif profile in (P.ESTATE, P.GROUP) and age < 60 and rng.random() < 0.3:
            in_service = True
            employers = self.context.employers_by_district.get(district_key) or ["区直机关"]
            employer = rng.choice(employers)
            reporting = node.community.pk if node.community else None
        elif profile in (P.PRIVATE, P.NGO):
            employer = node.short_name
        mobile = self.people.mobile() if rng.random() < 0.92 else ""
        label = node.district.short_name.removesuffix("委") if node.district else ""
        if profile in (P.ESTATE, P.GROUP) and node.community is not None:
            estate = node.short_name or node.name.split("号楼")[0].rstrip("0123456789")
            home = f"{label}{estate}{rng.randint(1, 30)}号楼{rng.randint(1, 33)}{rng.randint(1, 4):02d}室"
        elif rng.random() < 0.7:
            home = f"{label}{rng.choice(N.ROADS)}{rng.randint(1, 999)}号"
        else:
            home = ""
        return {
            "org_id": node.pk, "org_path": node.path, "name": surname + given, "gender": "male" if male else "female",
            "birth_date": birth, "id_number_encrypted": crypto.encrypt(id_number),
            "id_number_digest": crypto.digest(id_number), "id_number_masked": chinese.mask_id_number(id_number),
            "mobile_encrypted": crypto.encrypt(mobile), "mobile_digest": crypto.digest(mobile),
            "mobile_masked": chinese.mask_mobile(mobile),
            "status": MemberStatus.PROBATIONARY.value if probationary else MemberStatus.FULL.value,
            "joined_on": joined_on, "probation_end": probation_end, "floating": floating,
            "floating_location": rng.choice(N.FLOATING_PLACES) if floating else "", "in_service": in_service,
            "employer": employer[:128], "reporting_community_id": reporting, "home_address": home,
            "search_text": self.people.search_text(surname, given), "is_active": True,
        }


class RowWriter:
    """Appends rows of one model fast: ids taken up front, then COPY (PostgreSQL) or executemany (others).

    Django's bulk_create spends most of its time compiling values; a million members go in several
    times faster this way. Rows are dicts by attribute name; missing fields take their defaults.
    """

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        now = timezone.now()
        self.defaults = {}
        for model_field in self.fields:
            if isinstance(model_field, models.DateTimeField) and (model_field.auto_now or model_field.auto_now_add):
                self.defaults[model_field.attname] = now
            elif not model_field.primary_key:
                self.defaults[model_field.attname] = model_field.get_default()
        self.adapters = []
        for model_field in self.fields:
            if connection.vendor == "postgresql":
                self.adapters.append(None)
            elif isinstance(model_field, models.DateTimeField):
                self.adapters.append(connection.ops.adapt_datetimefield_value)
            elif isinstance(model_field, models.DateField):
                self.adapters.append(connection.ops.adapt_datefield_value)
            else:
                self.adapters.append(None)

    def allocate(self, count: int) -> list[int]:
        pk = self.model._meta.pk
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [self.table, pk.column, count])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk.column)}), 0) FROM "
                           f"{connection.ops.quote_name(self.table)}")
            start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))

    def write(self, rows: list[dict]) -> None:
        """Insert rows whose primary key is already set (see `allocate`)."""
        pk_name = self.model._meta.pk.attname
        tuples: list[tuple] = []
        for row in rows:
            values: list[Any] = []
            for model_field, adapt in zip(self.fields, self.adapters, strict=True):
                name = model_field.attname
                value = row[name] if name in row else self.defaults.get(name) if name != pk_name else row[pk_name]
                if adapt is not None and value is not None:
                    value = adapt(value)
                values.append(value)
            tuples.append(tuple(values))
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model_field.column) for model_field in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for row_values in tuples:
                        copy.write_row(row_values)
            else:
                placeholders = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({placeholders})", tuples)


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Login:
    role: str
    username: str
    org: str
    note: str = ""


@dataclass
class Result:
    scale: str
    root: Org
    created: bool
    orgs: int = 0
    members: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    password: str = ""


def find_root(scale: str) -> Org | None:
    """The root of an already generated scale: the root org of that name on which its administrator is granted."""
    spec = P.SCALES[scale]
    grant = (RoleGrant.objects.select_related("org")
             .filter(user__username=f"{spec.username_prefix}administrator", role=Role.ADMINISTRATOR,
                     org__depth=1, org__name=spec.root_name)
             .first())
    return grant.org if grant else None


def _org_row(node: P.Node) -> Org:
    return Org(
        path=node.path, depth=node.depth, numchild=len(node.children), name=node.name, short_name=node.short_name,
        level=node.level, kind=node.kind, sector=node.sector, division_code=node.division_code,
        temporary=node.temporary, end_date=node.end_date, address=node.address,
        latitude=node.latitude, longitude=node.longitude,
        search_text=chinese.search_text(node.name, node.short_name), is_active=True,
    )


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_orgs(plan: P.Plan) -> int:
    count = 0
    for chunk in _chunks(plan.root.walk(), BATCH_SIZE):
        rows = Org.objects.bulk_create([_org_row(node) for node in chunk], batch_size=BATCH_SIZE)
        if rows and rows[0].pk is None:  # a backend that cannot return ids
            ids = dict(Org.objects.filter(path__in=[node.path for node in chunk]).values_list("path", "id"))
            for node in chunk:
                node.pk = ids[node.path]
        else:
            for node, row in zip(chunk, rows, strict=True):
                node.pk = row.pk
        count += len(chunk)
    return count


def _write_partners(plan: P.Plan, rng: random.Random) -> int:
    rows = []
    for node in plan.root.walk():
        for name, unit_kind in node.partners:
            surname = rng.choice(N.SURNAMES)[0]
            rows.append(PartnerUnit(org_id=node.pk, org_path=node.path, name=name, unit_kind=unit_kind,
                                    contact_name=f"{surname}{'先生' if rng.random() < 0.5 else '女士'}",
                                    joined_on=REFERENCE_DATE - datetime.timedelta(days=rng.randrange(60, 1500))))
    PartnerUnit.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _write_members(plan: P.Plan, factory: MemberFactory, progress: Callable[[str], None]) -> tuple[int, dict]:
    """Members in flushed batches; returns the count and a sample of member ids per community."""
    writer = RowWriter(Member)
    samples: dict[int, list[int]] = {}
    first_of: dict[int, int] = {}
    buffer: list[tuple[P.Node, dict]] = []
    total = 0
    next_report = 100_000

    def flush():
        nonlocal total, next_report
        ids = writer.allocate(len(buffer))
        for (node, row), pk in zip(buffer, ids, strict=True):
            row["id"] = pk
            first_of.setdefault(id(node), pk)
            if node.community is not None:
                sample = samples.setdefault(id(node.community), [])
                if len(sample) < 40:
                    sample.append(pk)
        writer.write([row for _, row in buffer])
        total += len(buffer)
        buffer.clear()
        if total >= next_report:
            progress(f"  {total:,} 名党员…")
            next_report += 100_000

    for node in plan.root.walk():
        for _ in range(node.members):
            buffer.append((node, factory.member(node)))
        if len(buffer) >= MEMBER_FLUSH:
            flush()
    if buffer:
        flush()
    return total, {"samples": samples, "first_of": first_of}


def _write_grids(plan: P.Plan, samples: dict[int, list[int]], rng: random.Random) -> tuple[int, int]:
    grids: list[tuple[P.Node, Grid]] = []
    for node in plan.root.walk():
        if node.grids and node.community is node:
            for index in range(1, node.grids + 1):
                pool: list[int | None] = list(samples.get(id(node), [])) or [None]
                grids.append((node, Grid(org_id=node.pk, org_path=node.path,
                                         name=f"{node.short_name}第{N.ordinal(index)}网格",
                                         responsible_id=rng.choice(pool), household_count=rng.randint(150, 900))))
    Grid.objects.bulk_create([grid for _, grid in grids], batch_size=BATCH_SIZE)
    households = []
    for node, grid in grids:
        members = samples.get(id(node)) or []
        for member_id in rng.sample(members, min(len(members), rng.randint(1, 3))):
            households.append(Household(
                org_id=node.pk, org_path=node.path, grid_id=grid.pk, member_id=member_id,
                address=f"{node.short_name}{rng.choice(N.ROADS)}{rng.randint(1, 300)}号{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
                neighbours_served=rng.randint(5, 20)))
    Household.objects.bulk_create(households, batch_size=BATCH_SIZE)
    return len(grids), len(households)


LOGIN_ROLES = [
    # (role, anchor, display name of the person's post)
    (Role.ADMINISTRATOR, "root", "系统管理员"),
    (Role.DISTRICT_OFFICER, "root", "组织部干部"),
    (Role.STREET_SECRETARY, "street", "街道党工委书记"),
    (Role.COMMUNITY_SECRETARY, "community", "社区党委书记"),
    (Role.BRANCH_SECRETARY, "branch", "小区党支部书记"),
    (Role.INSPECTOR, "street", "联络组组长"),
    (Role.DEPARTMENT_HANDLER, "agency", "城管局经办人"),
    (Role.MEMBER, "agency", "在职党员"),
    (Role.RESIDENT, "community", "居民"),
]


def _write_logins(plan: P.Plan, spec: P.ScaleSpec, password: str, people: People, member_of: dict) -> list[Login]:
    hashed = make_password(password)
    logins = []
    for role, anchor, post in LOGIN_ROLES:
        node = plan.anchors[anchor]
        username = f"{spec.username_prefix}{role}"
        surname, given = people.name(people.rng.random() < 0.6)
        user = User.objects.filter(username=username).first() or User(username=username)
        user.password = hashed
        user.display_name = f"{surname}{given}（{post}）"
        user.is_active = True
        note = ""
        if role == Role.RESIDENT:
            user.mobile_digest = crypto.digest(spec.resident_mobile)
            user.mobile_encrypted = crypto.encrypt(spec.resident_mobile)
            user.mobile_masked = chinese.mask_mobile(spec.resident_mobile)
            note = f"也可用手机号 {spec.resident_mobile} 登录"
        user.save()
        RoleGrant.objects.filter(user=user).delete()
        RoleGrant.objects.create(user=user, role=role, org_id=node.pk, org_path=node.path)
        if role == Role.RESIDENT:
            Resident.objects.update_or_create(user=user, defaults={"community_id": node.pk})
        if role == Role.MEMBER:
            member_id = member_of[id(node)]
            community = plan.anchors["community"]
            Member.objects.filter(user=user).update(user=None)
            Member.objects.filter(pk=member_id).update(user=user, in_service=True, reporting_community_id=community.pk)
            member = Member.objects.get(pk=member_id)
            user.display_name = f"{member.name}（{post}）"
            user.save(update_fields=["display_name"])
            note = f"党员档案：{member.name}，双报到 {community.short_name}"
        logins.append(Login(role=role, username=username, org=node.name, note=note))
    return logins


def logins_of(scale: str, root: Org) -> list[Login]:
    spec = P.SCALES[scale]
    grants = (RoleGrant.objects.select_related("user", "org")
              .filter(user__username__startswith=spec.username_prefix, org_path__startswith=root.path)
              .order_by("id"))
    order = {role: index for index, (role, _, _) in enumerate(LOGIN_ROLES)}
    logins = []
    for grant in sorted(grants, key=lambda grant: order.get(grant.role, 99)):
        note = f"也可用手机号 {spec.resident_mobile} 登录" if grant.role == Role.RESIDENT else ""
        logins.append(Login(role=grant.role, username=grant.user.username, org=grant.org.name, note=note))
    return logins


# --- reset ------------------------------------------------------------------------------------


def _delete_in_chunks(queryset, size: int = 5000) -> None:
    model = queryset.model
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:size])
        if not ids:
            return
        model._default_manager.filter(pk__in=ids).delete()


@transaction.atomic
def wipe(scale: str, root: Org) -> None:
    """Delete a generated scale: its governed records, its tree and its demo users (kept if audited)."""
    path = root.path
    Transfer.objects.filter(from_path__under=path).delete()
    governed = [model for model in apps.get_models() if issubclass(model, OrgScopedModel)]
    pending = list(governed)
    for _ in range(len(governed) + 1):
        blocked = []
        for model in pending:
            try:
                with transaction.atomic():
                    _delete_in_chunks(model._default_manager.filter(org_path__under=path))
            except ProtectedError:
                blocked.append(model)
        if not blocked:
            break
        pending = blocked
    else:
        raise RuntimeError(f"无法删除演示数据：{', '.join(model.__name__ for model in pending)} 仍被引用。")
    spec = P.SCALES[scale]
    for user in User.objects.filter(username__startswith=spec.username_prefix):
        try:
            with transaction.atomic():
                user.delete()
        except ProtectedError:  # an audited actor stays; the next run reuses the account
            RoleGrant.objects.filter(user=user).delete()
    _delete_in_chunks(Org.objects.filter(path__under=path).order_by("-depth"), size=2000)


# --- the entry point --------------------------------------------------------------------------


def generate(scale: str = "district", *, seed: int = DEFAULT_SEED, password: str = DEFAULT_PASSWORD,
             reset: bool = False, progress: Callable[[str], None] | None = None) -> Result:
    """Generate a demo deployment of `scale` (tiny, district, city, province); skip it if it exists."""
    progress = progress or (lambda message: None)
    spec = P.SCALES[scale]
    existing = find_root(scale)
    if existing is not None and not reset:
        return Result(scale=scale, root=existing, created=False, logins=logins_of(scale, existing))
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 2)
        return now

    if existing is not None:
        progress(f"删除已有的 {scale} 演示数据…")
        wipe(scale, existing)
    mark = lap("reset", started)
    plan = P.build_plan(scale, seed)
    mark = lap("plan", mark)
    if connection.vendor == "sqlite":
        # A large page cache keeps the random inserts into the digest indexes off the disk.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, this connection only
    progress(f"规划完成：{plan.org_count:,} 个党组织，{plan.member_count:,} 名党员。")
    with transaction.atomic():
        assign_paths(plan.root, next_root_path())
        org_count = _write_orgs(plan)
        mark = lap("orgs", mark)
        progress(f"已写入 {org_count:,} 个党组织。")
        side = random.Random(f"yuntu-demo-side:{scale}:{seed}")
        partner_count = _write_partners(plan, side)
        people = People(random.Random(f"yuntu-demo-people:{scale}:{seed}"), spec.serials)
        employers: dict[int, list[str]] = {}
        for node in plan.root.walk():
            if node.profile == P.AGENCY and node.short_name:
                employers.setdefault(id(node.district), []).append(node.short_name)
        factory = MemberFactory(people, MemberContext(plan.communities, employers))
        member_count, written = _write_members(plan, factory, progress)
        mark = lap("members", mark)
        progress(f"已写入 {member_count:,} 名党员。")
        grid_count, household_count = _write_grids(plan, written["samples"], side)
        logins = _write_logins(plan, spec, password, people, written["first_of"])
        mark = lap("grids_logins", mark)
        member_counts_rebuild()
        mark = lap("rollup", mark)
        root = Org.objects.get(pk=plan.root.pk)
        audit_record(actor=None, action="demo.generate", obj=root,
                     after={"scale": scale, "seed": seed, "orgs": org_count, "members": member_count,
                            "partner_units": partner_count, "grids": grid_count, "households": household_count})
    if connection.vendor == "postgresql":
        # Fresh planner statistics: before autovacuum gets to the new rows the planner believes the
        # tables are nearly empty and picks plans that are ruinous at a million members.
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table)
                           for model in (Org, Member, OrgMemberCount, PartnerUnit, Grid, Household))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
        mark = lap("analyze", mark)
    return Result(scale=scale, root=root, created=True, orgs=org_count, members=member_count,
                  seconds=round(time.perf_counter() - started, 2), timings=timings, logins=logins, password=password)

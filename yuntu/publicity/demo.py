"""The demo district's publicity: affairs published by catalogue, Haicang's columns, study lists, contests.

What is written under the demo district (division code 350205, `manage.py demo --scale district`):

* affairs publicity for the last two due periods of every requirement in `catalogue.REQUIREMENTS`:
  most streets, communities and branches published, some did not, so `/publicity/overdue/` has
  names to show;
* the three themed-education columns on the district's media with 451 reports between them, the
  机关学苑 and 青年学堂 study columns, and the eight study books (辅学材料);
* study lists for 领导干部, 基层党组织 and 党员 with the books assigned, and members' reading records;
* the essay contest with 91 essays, scored by three judges and published, and the theme-day case
  selection under judging;
* questions of the demo resident about her community's items, two answered (their answers are in
  her inbox once the task worker has run).

Rows are written in bulk; one audit entry on the root records the run; a second run changes nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.ledger.demo import find_demo_root
from yuntu.orgs.models import Member, Org, Resident, Sector

from . import services
from .catalogue import REQUIREMENTS, Catalogue, last_due_period, period_containing, period_label
from .models import (
    Article,
    Column,
    Contest,
    Entry,
    Publication,
    ReadingRecord,
    Score,
    StudyList,
    StudyListItem,
)

AUDIT_ACTION = "publicity.demo_generate"
DEFAULT_SEED = 2024
ESSAYS = 91
REPORTS = 451
ESSAY_TITLE = "主题教育优秀学习心得体会征文"
CASE_TITLE = "基层党支部优秀主题党日活动案例评选"
THEMED_COLUMNS = ("主题教育·进展成效", "主题教育·先进典型", "主题教育·基层动态")
BOOKS = ("《习近平总书记重要讲话选编》", "主题教育应知应会", "党章党规党纪学习读本", "海沧区主题教育典型案例选编",
         "“四下基层”经验做法汇编", "新时代基层党建工作手册", "海沧区情与发展规划读本", "新时代文明实践故事集")
BODIES = {
    Catalogue.ORG_BUILDING: "<p>本期党组织换届、委员分工及党员队伍情况如下：</p><ul><li>党员总数{a}名，其中预备党员{b}名；</li>"
                            "<li>召开党员大会{c}次，开展主题党日{d}次。</li></ul>",
    Catalogue.MEMBER_DEVELOPMENT: "<p>本期确定入党积极分子{a}名、发展对象{b}名，接收预备党员{c}名，预备党员转正{d}名。"
                                  "发展程序均按规定公示。</p>",
    Catalogue.DUES: "<p>本期应缴党费<strong>{a},{b}00元</strong>，实缴{a},{b}00元，已全额上缴；党费使用{c}笔，"
                    "用于困难党员慰问和党员教育培训。</p>",
    Catalogue.ORG_LIFE: "<p>本期召开支部党员大会{a}次、支委会{b}次、党小组会{c}次、上党课{d}次，开展主题党日{d}次。</p>",
    Catalogue.MAJOR_DECISIONS: "<p>本期经“四议两公开”决策事项{a}项：小区微改造、停车位规划、长者食堂运营等，决议结果已张榜公布。</p>",
    Catalogue.VILLAGE_FINANCE: "<p>本期村集体收入{a}.{b}万元，支出{c}.{d}万元，明细如下：</p>"
                               "<table><thead><tr><th>项目</th><th>金额（万元）</th></tr></thead>"
                               "<tbody><tr><td>租金收入</td><td>{a}.{b}</td></tr><tr><td>公益事业支出</td><td>{c}.{d}</td></tr></tbody></table>",
    Catalogue.VILLAGE_AFFAIRS: "<p>本期村务公开事项：低保评议{a}户、宅基地审批{b}宗、惠农补贴发放{c}户。</p>",
}


class DemoPublicityError(Exception):
    pass


@dataclass
class Result:
    root: Org
    created: bool
    publications: int = 0
    articles: int = 0
    readings: int = 0
    essays: int = 0
    cases: int = 0
    overdue_orgs: int = 0


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
    return timezone.make_aware(moment)


def _publications(root: Org, rng: random.Random, today: datetime.date, author) -> list[Publication]:
    orgs = list(Org.objects.filter(path__under=root.path, is_active=True,
                                   level__in={requirement.level for requirement in REQUIREMENTS}).order_by("path"))
    rows = []
    for requirement in REQUIREMENTS:
        start, end = last_due_period(today, requirement.frequency)
        periods = [(start, end), period_containing(start - datetime.timedelta(days=1), requirement.frequency)]
        for org in orgs:
            if org.level != requirement.level or (requirement.sectors and org.sector not in requirement.sectors):
                continue
            for index, (period_start, period_end) in enumerate(periods):
                if rng.random() > (0.82 if index == 0 else 0.95):
                    continue  # not published: overdue for the latest period
                numbers = {key: rng.randrange(1, 60) for key in "abcd"}
                published = min(today, period_end + datetime.timedelta(days=rng.randrange(1, 10)))
                rows.append(Publication(
                    org=org, org_path=org.path, catalogue=requirement.catalogue,
                    title=f"{org.short_name or org.name}{period_label(period_start, period_end)}{Catalogue(requirement.catalogue).label}公开",
                    body=BODIES[requirement.catalogue].format(**numbers), period_start=period_start,
                    period_end=period_end, status="published", published_at=_aware(published, rng), created_by=author,
                    created_at=_aware(published, rng), updated_at=_aware(published, rng)))
    with history_kept(Publication):
        Publication.objects.bulk_create(rows, batch_size=2000)
    return rows


def _columns(root: Org, rng: random.Random, today: datetime.date, author) -> tuple[list[Article], list[Article]]:
    columns = [Column(org=root, org_path=root.path, name=name, kind="news", audience="all", sort_order=index)
               for index, name in enumerate(THEMED_COLUMNS)]
    columns += [Column(org=root, org_path=root.path, name="理论学习", kind="study", audience="members", sort_order=10),
                Column(org=root, org_path=root.path, name="机关学苑", kind="study", audience="sector",
                       sector=Sector.AGENCY, sort_order=11),
                Column(org=root, org_path=root.path, name="青年学堂", kind="study", audience="members", sort_order=12)]
    Column.objects.bulk_create(columns)
    places = ["新阳街道", "海沧街道", "嵩屿街道", "东孚街道", "山边社区", "渐美村", "新垵村", "石塘村", "海沧招商花园城",
              "马銮湾智慧体育公园", "三江口湿地公园"]
    deeds = ["开展“四下基层”走访", "召开主题教育专题读书班", "为群众办实事解难题", "推进整改整治", "开展主题党日活动",
             "建强红色网格", "组织党员志愿服务", "举办理论宣讲进社区"]
    news = []
    for number in range(REPORTS):
        day = today - datetime.timedelta(days=rng.randrange(1, 180))
        place, deed = rng.choice(places), rng.choice(deeds)
        moment = _aware(day, rng)
        news.append(Article(column=columns[number % 3], org=root, org_path=root.path, title=f"{place}{deed}",
                            summary=f"{place}党组织{deed}，推动主题教育走深走实。",
                            body=f"<p>{day.month}月{day.day}日，{place}党组织{deed}。</p><p>活动紧扣主题教育目标任务，"
                                 "党员干部深入一线听民声、解民忧。</p>",
                            status="published", published_at=moment, author=author, created_at=moment, updated_at=moment))
    books = []
    for index, title in enumerate(BOOKS):
        moment = _aware(today - datetime.timedelta(days=200 - index), rng)
        books.append(Article(column=columns[3 + (1 if index == 5 else 2 if index == 7 else 0)], org=root,
                             org_path=root.path, title=title, summary="主题教育辅学材料",
                             body=f"<p>{title}：辅学材料第{index + 1}册，供各级党组织和党员学习使用。</p>",
                             status="published", published_at=moment, author=author, created_at=moment,
                             updated_at=moment))
    with history_kept(Article):
        Article.objects.bulk_create(news + books, batch_size=1000)
    return news, books


def _study(root: Org, books: list[Article], rng: random.Random, today: datetime.date) -> int:
    assignments = {"leaders": (0, 1, 2, 3, 4, 6), "orgs": (1, 2, 3, 4, 5), "members": (0, 1, 2, 7)}
    titles = {"leaders": "处级以上领导干部学习清单", "orgs": "基层党组织学习清单", "members": "党员学习清单"}
    lists = StudyList.objects.bulk_create([
        StudyList(org=root, org_path=root.path, title=f"{today.year}年{titles[audience]}", audience=audience,
                  year=today.year, description="在上级指定书目基础上，明确学习内容、突出学习重点。")
        for audience in assignments])
    StudyListItem.objects.bulk_create([StudyListItem(study_list=study_list, article=books[book], sort_order=order)
                                       for study_list, (audience, picks) in zip(lists, assignments.items(), strict=True)
                                       for order, book in enumerate(picks)])
    members = list(Member.objects.filter(org_path__under=root.path, is_active=True).values_list("pk", "org_id", "org_path",
                                                                                               "user_id"))
    rng.shuffle(members)
    readings = []
    for member_id, org_id, org_path, user_id in members[:len(members) // 3]:
        for book in rng.sample(books, rng.randrange(1, 5)):
            day = today - datetime.timedelta(days=rng.randrange(1, 120))
            readings.append(ReadingRecord(member_id=member_id, user_id=user_id, org_id=org_id, org_path=org_path,
                                          article=book, read_on=day, read_at=_aware(day, rng)))
    ReadingRecord.objects.bulk_create(readings, batch_size=5000, ignore_conflicts=True)
    return len(readings)


def _contests(root: Org, rng: random.Random, today: datetime.date, judges: list) -> tuple[int, int]:
    essay = Contest.objects.create(org=root, org_path=root.path, title=ESSAY_TITLE, kind="essay",
                                   description="<p>面向全区机关党员征集主题教育学习心得体会。</p>",
                                   opens_on=today - datetime.timedelta(days=120), closes_on=today - datetime.timedelta(days=60),
                                   status="judging", first_prizes=5, second_prizes=10, third_prizes=20)
    case = Contest.objects.create(org=root, org_path=root.path, title=CASE_TITLE, kind="case",
                                  description="<p>各基层党支部报送主题党日活动案例，评选优秀案例。</p>",
                                  opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=5),
                                  status="judging", first_prizes=3, second_prizes=6, third_prizes=9)
    essay.judges.set(judges)
    case.judges.set(judges)
    agency = list(Member.objects.filter(org_path__under=root.path, org__sector=Sector.AGENCY, is_active=True)
                  .select_related("org").order_by("id")[:400])
    if len(agency) < ESSAYS:  # a small tree: essays from any members
        agency = list(Member.objects.filter(org_path__under=root.path, is_active=True).select_related("org")
                      .order_by("id")[:400])
    branches = list(Org.objects.filter(path__under=root.path, level="branch", is_active=True).order_by("path")[:300])
    if len(agency) < ESSAYS or not branches:
        raise DemoPublicityError("演示区的党员不足91名：请先运行 manage.py demo --scale district。")
    themes = ["学思想", "强党性", "重实践", "建新功", "四下基层", "为民服务", "担当作为", "以学促干"]
    submitted = timezone.make_aware(datetime.datetime.combine(essay.opens_on + datetime.timedelta(days=20),
                                                              datetime.time(10)))
    essays = Entry.objects.bulk_create([
        Entry(contest=essay, org=member.org, org_path=member.org.path, author_name=member.name,
              title=f"{rng.choice(themes)}：{member.org.short_name or member.org.name}党员的学习体会（{number + 1}）",
              body="<p>通过主题教育，我深刻认识到……</p>", submitted_at=submitted)
        for number, member in enumerate(rng.sample(agency, ESSAYS))])
    cases = Entry.objects.bulk_create([
        Entry(contest=case, org=branch, org_path=branch.path, author_name=branch.short_name or branch.name,
              title=f"{branch.short_name or branch.name}主题党日：{rng.choice(themes)}", body="<p>活动做法与成效……</p>",
              submitted_at=submitted + datetime.timedelta(days=60)) for branch in rng.sample(branches, min(36, len(branches)))])
    Score.objects.bulk_create([Score(entry=entry, judge=judge, points=rng.randrange(6000, 9800) / 100)
                               for entry in essays for judge in judges]
                              + [Score(entry=entry, judge=judges[0], points=rng.randrange(6000, 9800) / 100)
                                 for entry in cases[:20]])
    return len(essays), len(cases)


def generate_publicity(root: Org | None = None, *, seed: int = DEFAULT_SEED, prefix: str = "haicang-") -> Result:
    """`prefix`: the user names of the demo logins (haicang- for the district, tiny- for the tiny scale)."""
    root = root or find_demo_root()
    if root is None:
        raise DemoPublicityError("没有找到演示区：请先运行 manage.py demo --scale district。")
    if Contest.objects.filter(org=root, title=ESSAY_TITLE).exists():
        return Result(root=root, created=False)
    officer = _user(f"{prefix}district_officer")
    judges = [user for user in (officer, _user(f"{prefix}inspector"), _user(f"{prefix}street_secretary")) if user]
    if len(judges) < 3:
        raise DemoPublicityError("演示区的登录账号不全：请先运行 manage.py demo --scale district。")
    rng = random.Random(seed)
    today = clock.today()
    with transaction.atomic():
        publications = _publications(root, rng, today, officer)
        news, books = _columns(root, rng, today, officer)
        readings = _study(root, books, rng, today)
        essays, cases = _contests(root, rng, today, judges)
        audit_record(actor=None, action=AUDIT_ACTION, obj=root,
                     after={"publications": len(publications), "articles": len(news) + len(books), "essays": essays})
    essay = Contest.objects.get(org=root, title=ESSAY_TITLE)
    services.contest_transition(actor=officer, contest=essay, name="publish_results")
    _questions(root, prefix)
    overdue = sum(row["count"] for row in _overdue(officer))
    return Result(root=root, created=True, publications=len(publications), articles=len(news) + len(books),
                  readings=readings, essays=essays, cases=cases, overdue_orgs=overdue)


def _overdue(user):
    from .selectors import overdue_publications

    return overdue_publications(user)


def _questions(root: Org, prefix: str) -> None:
    """The demo resident asks about two items of her community; the secretary answers one of them."""
    resident_user = _user(f"{prefix}resident")
    resident = Resident.objects.filter(user=resident_user).select_related("community").first()
    secretary = _user(f"{prefix}community_secretary")
    if resident is None or resident.community is None or secretary is None:
        return
    items = list(Publication.objects.filter(org_path__under=resident.community.path, status="published")
                 .order_by("-published_at")[:2])
    texts = ["党费使用的明细能否在小区公示栏也张贴一份？", "本季度的决策事项什么时候开始实施？"]
    for item, text in zip(items, texts, strict=False):
        question = services.question_ask(actor=resident_user, publication=item, text=text)
        if item is items[0]:
            services.question_answer(actor=secretary, question=question,
                                     answer="已安排在各小区公示栏同步张贴，本周内完成，欢迎监督。")


def summary(result: Result) -> str:
    return (f"“{result.root.name}”：公开事项{result.publications}项，文章{result.articles}篇（含专栏报道{REPORTS}篇、"
            f"辅学材料{len(BOOKS)}本），学习记录{result.readings}条，征文{result.essays}篇，案例{result.cases}件，"
            f"逾期未公开（按要求和期间计）{result.overdue_orgs}个组织次。")

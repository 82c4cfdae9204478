"""Writes of affairs publicity, columns, study lists, reading records and contests.

Each write is atomic, checks the actor's scope through the policy, records a timeline event and
an audit entry; bad input raises a ValidationError with a Chinese message and writes nothing.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, F, Window
from django.db.models.functions import Rank

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.orgs.selectors import own_member_record

from . import content, tasks
from .catalogue import Catalogue
from .models import (
    Article,
    Column,
    Contest,
    ContestKind,
    ContestStatus,
    Entry,
    Publication,
    PublicationStatus,
    PublicityEvent,
    Question,
    QuestionStatus,
    ReadingRecord,
    Score,
    StudyList,
    StudyListItem,
)
from .workflow import CONTEST_TRANSITIONS, PUBLICATION_TRANSITIONS

QUESTION_MIN, QUESTION_MAX = 4, 500
QUESTIONS_PER_DAY = 10
ANSWER_MAX = 2000


def _require(actor, obj=None, *, path: str | None = None) -> None:
    if not can(actor, Permission.PUBLICITY_EDIT, obj, path=path):
        raise PermissionDenied("无权在该组织发布或修改。")


def _event(obj, *, action: str, label: str, actor, reason: str = "") -> None:
    PublicityEvent.objects.create(org_id=obj.org_id, org_path=obj.org_path, object_type=obj._meta.model_name,
                                  object_id=obj.pk, action=action, label=label, reason=reason[:255], actor=actor)


def _snapshot(publication: Publication) -> dict:
    return {"catalogue": publication.catalogue, "title": publication.title, "status": publication.status,
            "period_start": publication.period_start, "period_end": publication.period_end}


# ---- affairs publicity ------------------------------------------------------------------------


def check_publication(*, catalogue: str, title: str, body: str, period_start, period_end) -> str:
    errors = {}
    if catalogue not in Catalogue.values:
        errors["catalogue"] = "请选择公开目录：每项公开内容须归入目录（如组织建设、党费收缴使用、村级财务）。"
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    if period_start is None or period_end is None:
        errors["period_start"] = "请填写公开期间（起止日期），如2026年第三季度。"
    elif period_end < period_start:
        errors["period_end"] = "公开期间的止日不能早于起日。"
    cleaned = content.clean_html(body)
    if not content.plain_text(cleaned):
        errors["body"] = "请填写公开内容。"
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def publication_save(*, actor, org, catalogue: str, title: str, body: str, period_start: datetime.date | None,
                     period_end: datetime.date | None, publication: Publication | None = None,
                     publish: bool = False) -> Publication:
    """Create or edit a draft (or withdrawn) item; `publish=True` publishes it in the same step."""
    _require(actor, path=(publication.org_path if publication else org.path))
    cleaned = check_publication(catalogue=catalogue, title=title, body=body, period_start=period_start,
                                period_end=period_end)
    before = None
    if publication is None:
        publication = Publication(org=org, org_path=org.path, created_by=actor)
    else:
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        if publication.status == PublicationStatus.PUBLISHED:
            raise ValidationError("已公开的事项不能直接修改，请先撤回。")
        before = _snapshot(publication)
    publication.catalogue, publication.title, publication.body = catalogue, title.strip()[:200], cleaned
    publication.period_start, publication.period_end = period_start, period_end
    publication.save()
    _event(publication, action="save", label="保存公开事项", actor=actor)
    audit_record(actor=actor, action="publication.save", obj=publication, before=before, after=_snapshot(publication))
    if publish:
        publication = publication_transition(actor=actor, publication=publication, name="publish")
    return publication


@transaction.atomic
def publication_transition(*, actor, publication: Publication, name: str, reason: str = "") -> Publication:
    transition = workflow.find(PUBLICATION_TRANSITIONS, name)
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if not can(actor, transition.permission, publication):
        raise PermissionDenied("无权操作该公开事项。")
    reason = workflow.begin(transition, noun="该事项", status=publication.status,
                            status_label=publication.get_status_display(), reason=reason)
    before = _snapshot(publication)
    publication.status = transition.target
    if transition.target == PublicationStatus.PUBLISHED:
        publication.published_at = clock.now()
    publication.save(update_fields=["status", "published_at", "updated_at"])
    _event(publication, action=name, label=transition.label, actor=actor, reason=reason)
    audit_record(actor=actor, action=f"publication.{name}", obj=publication, before=before,
                 after={**_snapshot(publication), "reason": reason})
    return publication


@transaction.atomic
def question_ask(*, actor, publication: Publication, text: str) -> Question:
    """A signed-in resident asks about a published item; the org's secretaries are told."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再提问。")
    if publication.status != PublicationStatus.PUBLISHED:
        raise ValidationError("该事项未公开，不能提问。")
    text = (text or "").strip()
    if len(text) < QUESTION_MIN:
        raise ValidationError({"text": f"请把问题写清楚（至少{QUESTION_MIN}个字）。"})
    if len(text) > QUESTION_MAX:
        raise ValidationError({"text": f"问题不能超过{QUESTION_MAX}字。"})
    since = clock.now() - datetime.timedelta(days=1)
    if Question.objects.filter(asker=actor, created_at__gte=since).count() >= QUESTIONS_PER_DAY:
        raise ValidationError({"text": "今天提问已达上限，请明天再来。"})
    question = Question.objects.create(publication=publication, org_id=publication.org_id,
                                       org_path=publication.org_path, asker=actor, text=text)
    _event(question, action="ask", label="群众提问", actor=actor)
    audit_record(actor=actor, action="question.ask", obj=question, after={"publication": publication.pk})
    tasks.notify_on_commit("asked", question.pk)
    return question


@transaction.atomic
def question_answer(*, actor, question: Question, answer: str) -> Question:
    question = Question.objects.select_for_update().get(pk=question.pk)
    _require(actor, question)
    if question.status != QuestionStatus.ASKED:
        raise ValidationError("该问题已答复。")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容。"})
    if len(answer) > ANSWER_MAX:
        raise ValidationError({"answer": f"答复不能超过{ANSWER_MAX}字。"})
    question.answer, question.status = answer, QuestionStatus.ANSWERED
    question.answered_by, question.answered_at = actor, clock.now()
    question.save(update_fields=["answer", "status", "answered_by", "answered_at", "updated_at"])
    _event(question, action="answer", label="答复提问", actor=actor)
    audit_record(actor=actor, action="question.answer", obj=question, before={"status": QuestionStatus.ASKED},
                 after={"status": question.status})
    tasks.notify_on_commit("answered", question.pk)
    return question


# ---- columns, articles, study lists ------------------------------------------------------------


@transaction.atomic
def column_create(*, actor, org, name: str, kind: str, audience: str, sector: str = "", sort_order: int = 0) -> Column:
    _require(actor, path=org.path)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写栏目名称。"})
    if audience == "sector" and not sector:
        raise ValidationError({"sector": "读者范围为某一领域时须选择领域。"})
    if Column.objects.filter(org=org, name=name.strip()).exists():
        raise ValidationError({"name": "本组织已有同名栏目。"})
    column = Column.objects.create(org=org, org_path=org.path, name=name.strip(), kind=kind, audience=audience,
                                   sector=sector if audience == "sector" else "", sort_order=sort_order)
    _event(column, action="create", label="新建栏目", actor=actor)
    audit_record(actor=actor, action="column.create", obj=column, after={"name": column.name, "kind": kind,
                                                                       "audience": audience, "sector": column.sector})
    return column


@transaction.atomic
def article_save(*, actor, column: Column, title: str, body: str, summary: str = "", image=None,
                 image_alt: str = "", video_url: str = "", publish: bool = False,
                 article: Article | None = None) -> Article:
    """Create or edit an article of a column; text sanitised, image checked and resized, video https."""
    _require(actor, column)
    errors = {}
    cleaned = content.clean_html(body)
    if not (title or "").strip():
        errors["title"] = "请填写标题。"
    if not content.plain_text(cleaned):
        errors["body"] = "请填写正文。"
    if errors:
        raise ValidationError(errors)
    video = content.clean_video_url(video_url)
    picture = content.clean_image(image)
    if picture is not None and not (image_alt or "").strip():
        raise ValidationError({"image_alt": "请为配图填写一句说明（供读屏软件朗读）。"})
    if article is None:
        article = Article(column=column, org_id=column.org_id, org_path=column.org_path, author=actor)
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
    article.title, article.summary, article.body = title.strip()[:200], (summary or "").strip()[:300], cleaned
    article.video_url, article.image_alt = video, (image_alt or "").strip()[:120]
    if picture is not None:
        article.image.save(picture.name, picture, save=False)
    if publish and article.status != PublicationStatus.PUBLISHED:
        article.status, article.published_at = PublicationStatus.PUBLISHED, clock.now()
    article.save()
    _event(article, action="save", label="发布文章" if publish else "保存文章", actor=actor)
    audit_record(actor=actor, action="article.save", obj=article,
                 after={"title": article.title, "column": column.pk, "status": article.status})
    return article


@transaction.atomic
def study_list_create(*, actor, org, title: str, audience: str, year: int, articles: list[Article],
                      description: str = "") -> StudyList:
    _require(actor, path=org.path)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写清单名称。"})
    if not articles:
        raise ValidationError({"articles": "请至少选择一篇学习材料。"})
    outside = [article.title for article in articles if not can(actor, Permission.PUBLICITY_VIEW, article)
               and article.status != PublicationStatus.PUBLISHED]
    if outside:
        raise ValidationError({"articles": "所选材料不可用：" + "、".join(outside)})
    study_list = StudyList.objects.create(org=org, org_path=org.path, title=title.strip(), audience=audience,
                                          year=year, description=(description or "").strip())
    StudyListItem.objects.bulk_create([StudyListItem(study_list=study_list, article=article, sort_order=index)
                                       for index, article in enumerate(articles)])
    _event(study_list, action="create", label="制定学习清单", actor=actor)
    audit_record(actor=actor, action="study_list.create", obj=study_list,
                 after={"title": study_list.title, "audience": audience, "articles": [a.pk for a in articles]})
    return study_list


def record_reading(*, user, article: Article, now: datetime.datetime | None = None) -> ReadingRecord | None:
    """Count a read once per reader and article; a member's read is filed under their org for the figures."""
    if not getattr(user, "is_authenticated", False) or article.status != PublicationStatus.PUBLISHED:
        return None
    now = now or clock.now()
    member = own_member_record(user)
    lookup = {"member": member} if member is not None else {"user": user}
    defaults = {"user": user, "member": member, "org": member.org if member else None,
                "org_path": member.org.path if member else "", "read_on": clock.today(now), "read_at": now}
    try:
        with transaction.atomic():
            record, _ = ReadingRecord.objects.get_or_create(article=article, **lookup, defaults=defaults)
    except IntegrityError:  # the same reader in two tabs at once: the other request recorded it
        record = ReadingRecord.objects.get(article=article, **lookup)
    return record


# ---- contests ----------------------------------------------------------------------------------


@transaction.atomic
def contest_create(*, actor, org, title: str, kind: str, opens_on: datetime.date, closes_on: datetime.date,
                   description: str = "", judges=(), prizes: tuple[int, int, int] = (1, 2, 3)) -> Contest:
    _require(actor, path=org.path)
    if kind not in ContestKind.values:
        raise ValidationError({"kind": "请选择征集类型。"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写名称。"})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "截止日期不能早于开始日期。"})
    contest = Contest.objects.create(org=org, org_path=org.path, title=title.strip(), kind=kind, opens_on=opens_on,
                                     closes_on=closes_on, description=content.clean_html(description),
                                     first_prizes=prizes[0], second_prizes=prizes[1], third_prizes=prizes[2])
    contest.judges.set(judges)
    _event(contest, action="create", label="发起征集", actor=actor)
    audit_record(actor=actor, action="contest.create", obj=contest, after={"title": contest.title, "kind": kind})
    return contest


@transaction.atomic
def entry_submit(*, actor, contest: Contest, title: str, body: str = "", video_url: str = "",
                 author_name: str = "", now: datetime.datetime | None = None) -> Entry:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再投稿。")
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    today = clock.today(now or clock.now())
    if contest.status != ContestStatus.OPEN or not (contest.opens_on <= today <= contest.closes_on):
        raise ValidationError("该征集不在征集期内。")
    cleaned = content.clean_html(body)
    video = content.clean_video_url(video_url)
    if not (title or "").strip():
        raise ValidationError({"title": "请填写题目。"})
    if contest.kind == ContestKind.VIDEO and not video:
        raise ValidationError({"video_url": "视频作品须填写视频链接。"})
    if contest.kind != ContestKind.VIDEO and not content.plain_text(cleaned):
        raise ValidationError({"body": "请填写正文。"})
    member = own_member_record(actor)
    org = member.org if member else contest.org
    try:
        with transaction.atomic():
            entry = Entry.objects.create(contest=contest, org=org, org_path=org.path, author=actor,
                                         author_name=(author_name or str(actor)).strip()[:64], title=title.strip()[:200],
                                         body=cleaned, video_url=video, submitted_at=now or clock.now())
    except IntegrityError as error:
        raise ValidationError("您已投过稿，每人每次征集限投一件作品。") from error
    _event(entry, action="submit", label="提交作品", actor=actor)
    audit_record(actor=actor, action="entry.submit", obj=entry, after={"contest": contest.pk, "title": entry.title})
    return entry


@transaction.atomic
def entry_score(*, judge, entry: Entry, points, comment: str = "") -> Score:
    contest = Contest.objects.get(pk=entry.contest_id)
    if not contest.judges.filter(pk=judge.pk).exists():
        raise PermissionDenied("您不是该评选的评委。")
    if contest.status != ContestStatus.JUDGING:
        raise ValidationError("该评选不在评审阶段。")
    try:
        points = Decimal(str(points))
    except ArithmeticError as error:
        raise ValidationError({"points": "请填写0到100之间的分数。"}) from error
    if not (Decimal(0) <= points <= Decimal(100)):
        raise ValidationError({"points": "请填写0到100之间的分数。"})
    score, _ = Score.objects.update_or_create(entry=entry, judge=judge,
                                              defaults={"points": points, "comment": (comment or "")[:300]})
    _event(entry, action="score", label="评委评分", actor=judge)
    audit_record(actor=judge, action="entry.score", obj=entry, after={"points": str(points)})
    return score


def _award(rank: int, contest: Contest) -> str:
    if rank <= contest.first_prizes:
        return "一等奖"
    if rank <= contest.first_prizes + contest.second_prizes:
        return "二等奖"
    if rank <= contest.first_prizes + contest.second_prizes + contest.third_prizes:
        return "三等奖"
    return ""


@transaction.atomic
def contest_transition(*, actor, contest: Contest, name: str) -> Contest:
    """Close the call, or publish the results: averages and ranks computed in one grouped query."""
    transition = workflow.find(CONTEST_TRANSITIONS, name)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if not can(actor, transition.permission, contest):
        raise PermissionDenied("无权操作该评选。")
    workflow.begin(transition, noun="该评选", status=contest.status, status_label=contest.get_status_display())
    if name == "publish_results":
        ranked = list(Entry.objects.filter(contest=contest).annotate(mean=Avg("scores__points"))
                      .filter(mean__isnull=False)
                      .annotate(place=Window(Rank(), order_by=F("mean").desc())).values("pk", "mean", "place"))
        if not ranked:
            raise ValidationError("还没有评分，不能公布结果。")
        entries = Entry.objects.in_bulk([row["pk"] for row in ranked])
        for row in ranked:
            entry = entries[row["pk"]]
            entry.average, entry.rank = round(Decimal(row["mean"]), 2), row["place"]
            entry.award = _award(row["place"], contest)
        Entry.objects.bulk_update(entries.values(), ["average", "rank", "award"], batch_size=500)
        contest.published_at = clock.now()
    contest.status = transition.target
    contest.save(update_fields=["status", "published_at", "updated_at"])
    _event(contest, action=name, label=transition.label, actor=actor)
    audit_record(actor=actor, action=f"contest.{name}", obj=contest, after={"status": contest.status})
    return contest

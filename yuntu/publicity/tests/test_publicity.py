"""Affairs publicity, questions and answers, overdue publication, columns, study, contests and the API."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from yuntu.core import clock
from yuntu.inbox.models import Message
from yuntu.indicators import registry
from yuntu.indicators.registry import Scope
from yuntu.orgs.models import Level, Org
from yuntu.publicity import selectors, services
from yuntu.publicity.catalogue import (
    REQUIREMENTS,
    Catalogue,
    Frequency,
    Requirement,
    last_due_period,
    period_label,
)
from yuntu.publicity.models import Article, Column, Entry, Publication, ReadingRecord

Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))


def publish(cast, *, org="community", catalogue=Catalogue.DUES, title="2026年第三季度党费收缴使用情况", period=Q3,
            body="<p>本季度应缴党费<strong>12,345元</strong>，已全部上缴。</p>"):
    return services.publication_save(actor=cast.user("community_secretary" if org != "other_community" else "administrator"),
                                     org=cast.orgs[org], catalogue=catalogue, title=title, body=body,
                                     period_start=period[0], period_end=period[1], publish=True)


def png(size=(2400, 1600), fmt="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 20, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_a_publication_needs_a_catalogue_entry_and_a_period(cast):
    secretary = cast.user("community_secretary")
    for catalogue, start, end, message in (("", *Q3, "请选择公开目录"), ("lottery", *Q3, "请选择公开目录"),
                                           (Catalogue.DUES, None, None, "请填写公开期间"),
                                           (Catalogue.DUES, Q3[1], Q3[0], "止日不能早于起日")):
        with pytest.raises(ValidationError, match=message):
            services.publication_save(actor=secretary, org=cast.orgs["community"], catalogue=catalogue, title="党费",
                                      body="<p>内容</p>", period_start=start, period_end=end)
    assert not Publication.objects.exists()


def test_rich_text_is_sanitised(cast):
    item = publish(cast, body='<p onclick="steal()">公开<script>alert(1)</script><a href="javascript:x()">链接</a>'
                              '<img src=x onerror=alert(1)><span style="color:red">红</span></p>')
    assert "<script" not in item.body and "onclick" not in item.body and "javascript:" not in item.body
    assert "onerror" not in item.body and "style=" not in item.body and "公开" in item.body
    with pytest.raises(ValidationError, match="请填写公开内容"):
        publish(cast, body="<script>alert(1)</script>")


def test_only_the_org_subtree_may_publish(cast):
    with pytest.raises(PermissionDenied):
        services.publication_save(actor=cast.user("outsider"), org=cast.orgs["community"], catalogue=Catalogue.DUES,
                                  title="越权", body="<p>越权</p>", period_start=Q3[0], period_end=Q3[1])


def test_a_question_is_answered_into_the_askers_inbox(cast, django_capture_on_commit_callbacks):
    item = publish(cast)
    resident = cast.user("resident")
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(actor=resident, publication=item, text="党费使用明细在哪里可以看到？")
    assert Message.objects.filter(user=cast.user("community_secretary"), kind="党务公开").exists()
    with pytest.raises(PermissionDenied):
        services.question_answer(actor=cast.user("outsider"), question=question, answer="越权")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(actor=cast.user("community_secretary"), question=question,
                                 answer="明细已在社区公示栏张贴，也可到党群服务中心查阅。")
    message = Message.objects.get(user=resident, kind="党务公开")
    assert "公示栏" in message.body and message.link == reverse("portal_publicity:affair", args=[item.pk])
    with pytest.raises(ValidationError, match="已答复"):
        services.question_answer(actor=cast.user("community_secretary"), question=question, answer="再答")


def test_questions_only_on_published_items_and_with_text(cast):
    draft = services.publication_save(actor=cast.user("community_secretary"), org=cast.orgs["community"],
                                      catalogue=Catalogue.DUES, title="草稿", body="<p>草稿</p>",
                                      period_start=Q3[0], period_end=Q3[1])
    with pytest.raises(ValidationError, match="未公开"):
        services.question_ask(actor=cast.user("resident"), publication=draft, text="为什么没公开")
    with pytest.raises(ValidationError, match="至少"):
        services.question_ask(actor=cast.user("resident"), publication=publish(cast), text="？")


def test_periods_and_the_last_due_period():
    assert last_due_period(datetime.date(2026, 10, 5), Frequency.QUARTERLY) == (datetime.date(2026, 4, 1),
                                                                                 datetime.date(2026, 6, 30))
    assert last_due_period(datetime.date(2026, 10, 11), Frequency.QUARTERLY) == Q3
    assert last_due_period(datetime.date(2026, 1, 20), Frequency.MONTHLY) == (datetime.date(2025, 12, 1),
                                                                               datetime.date(2025, 12, 31))
    assert period_label(*Q3) == "2026年第三季度"
    assert period_label(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)) == "2026年上半年"


def test_overdue_orgs_per_requirement_in_one_query(cast, django_assert_max_num_queries):
    requirement = Requirement(Level.COMMUNITY, Catalogue.DUES, Frequency.QUARTERLY)
    today = datetime.date(2026, 10, 20)
    with django_assert_max_num_queries(1):
        overdue = list(selectors.overdue_orgs(requirement, today=today))
    assert {cast.orgs["community"], cast.orgs["other_community"]} <= set(overdue)
    publish(cast)  # 兴旺社区 publishes its Q3 dues
    overdue = set(selectors.overdue_orgs(requirement, today=today))
    assert cast.orgs["community"] not in overdue and cast.orgs["other_community"] in overdue
    rows = selectors.overdue_publications(cast.user("street_secretary"), today=today)
    assert len(rows) == len(REQUIREMENTS)
    shown = {org for row in rows for org in row["orgs"]}
    assert cast.orgs["other_community"] not in shown  # another street's orgs are not listed to this secretary


def test_columns_by_audience_images_checked_and_resized(cast):
    secretary = cast.user("community_secretary")
    news = services.column_create(actor=secretary, org=cast.orgs["community"], name="兴旺动态", kind="news", audience="all")
    members = services.column_create(actor=secretary, org=cast.orgs["community"], name="党员学习", kind="study",
                                     audience="members")
    article = services.article_save(actor=secretary, column=news, title="社区开展主题党日活动", body="<p>活动</p>",
                                    image=png(), image_alt="党员在社区广场合影", publish=True,
                                    video_url="https://v.example.cn/1")
    with article.image.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 1280
    with pytest.raises(ValidationError, match="不是有效的图片"):
        services.article_save(actor=secretary, column=news, title="假图", body="<p>x</p>",
                              image=SimpleUploadedFile("x.png", b"<?php echo 1; ?>"), image_alt="假")
    with pytest.raises(ValidationError, match="https"):
        services.article_save(actor=secretary, column=news, title="视频", body="<p>x</p>", video_url="javascript:alert(1)")
    study = services.article_save(actor=secretary, column=members, title="学习党章", body="<p>党章</p>", publish=True)
    resident_reads = set(selectors.articles_for_reader(cast.user("resident")))
    member_reads = set(selectors.articles_for_reader(cast.user("member")))
    assert article in resident_reads and study not in resident_reads and study in member_reads
    assert Article.objects.count() == 2


def test_reading_records_feed_the_study_figures(cast, client_for):
    secretary = cast.user("community_secretary")
    column = services.column_create(actor=secretary, org=cast.orgs["community"], name="学习专栏", kind="study",
                                    audience="members")
    article = services.article_save(actor=secretary, column=column, title="学习材料一", body="<p>一</p>", publish=True)
    study_list = services.study_list_create(actor=secretary, org=cast.orgs["community"], title="2026年党员学习清单",
                                            audience="members", year=2026, articles=[article])
    client = client_for(cast.user("member"))
    assert client.get(reverse("portal_publicity:article", args=[article.pk])).status_code == 200
    client.get(reverse("portal_publicity:article", args=[article.pk]))  # read twice, counted once
    record = ReadingRecord.objects.get()
    assert record.org == cast.orgs["branch"]
    assert "已学 1 / 1 篇" in client.get(reverse("portal_publicity:study_list", args=[study_list.pk])).content.decode()
    scope = Scope(org_path=cast.orgs["street"].path)
    assert registry.value("publicity.readings", scope) == 1
    assert registry.value("publicity.readings", Scope(org_path=cast.orgs["other_street"].path)) == 0
    assert client_for(cast.user("resident")).get(reverse("portal_publicity:article", args=[article.pk])).status_code == 404


def test_a_contest_collects_scores_and_publishes_ranked_results(cast):
    officer = cast.user("district_officer")
    judges = [cast.user("street_secretary"), cast.user("inspector")]
    today = clock.today()
    contest = services.contest_create(actor=officer, org=cast.orgs["district"], title="“我为群众办实事”征文", kind="essay",
                                      opens_on=today, closes_on=today + datetime.timedelta(days=30), judges=judges,
                                      prizes=(1, 1, 1))
    entries = [services.entry_submit(actor=cast.user(name), contest=contest, title=f"{name}的征文", body="<p>正文</p>")
               for name in ("member", "resident", "branch_secretary", "community_secretary")]
    with pytest.raises(ValidationError, match="限投一件"):
        services.entry_submit(actor=cast.user("member"), contest=contest, title="第二篇", body="<p>正文</p>")
    with pytest.raises(ValidationError, match="评审阶段"):
        services.entry_score(judge=judges[0], entry=entries[0], points=90)
    contest = services.contest_transition(actor=officer, contest=contest, name="close")
    with pytest.raises(PermissionDenied):
        services.entry_score(judge=cast.user("member"), entry=entries[0], points=100)
    with pytest.raises(ValidationError, match="0到100"):
        services.entry_score(judge=judges[0], entry=entries[0], points=101)
    for judge, points in zip(judges, ((90, 80, 70, 60), (94, 70, 80, 50)), strict=True):
        for entry, value in zip(entries, points, strict=True):
            services.entry_score(judge=judge, entry=entry, points=value)
    services.contest_transition(actor=officer, contest=contest, name="publish_results")
    ranked = list(Entry.objects.filter(contest=contest).order_by("rank").values_list("title", "average", "award"))
    assert ranked[0] == ("member的征文", 92, "一等奖")
    assert [row[2] for row in ranked] == ["一等奖", "二等奖", "二等奖", ""]  # a tie shares the place (75 and 75)
    assert registry.value("publicity.entries", Scope(org_path=cast.orgs["district"].path)) == 4


def test_api_lists_only_the_users_subtree_and_refuses_bad_publications(cast, client_for):
    own = publish(cast)
    other = publish(cast, org="other_community", title="山边社区党费公开")
    client = client_for(cast.user("street_secretary"))
    rows = client.get("/api/publicity/publications/").json()["results"]
    assert {row["id"] for row in rows} == {own.pk}
    assert client.get(f"/api/publicity/publications/{other.pk}/").status_code == 404
    response = client.post("/api/publicity/publications/", {"org": cast.orgs["community"].pk, "title": "无目录",
                                                            "body": "<p>x</p>"}, content_type="application/json")
    assert response.status_code == 400 and "公开目录" in response.content.decode()
    response = client.post("/api/publicity/publications/", {"org": cast.orgs["community"].pk, "catalogue": "dues",
                                                            "title": "无期间", "body": "<p>x</p>"},
                           content_type="application/json")
    assert response.status_code == 400 and "公开期间" in response.content.decode()
    response = client.post("/api/publicity/publications/", {"org": cast.orgs["other_community"].pk, "catalogue": "dues",
                                                            "title": "越权", "body": "<p>x</p>", "period_start": "2026-07-01",
                                                            "period_end": "2026-09-30"}, content_type="application/json")
    assert response.status_code == 400 and Publication.objects.count() == 2
    assert client.get("/api/publicity/columns/").status_code == 200


def test_staff_and_resident_pages(cast, client_for):
    item = publish(cast)
    resident = client_for(cast.user("resident"))
    body = resident.get(reverse("portal_publicity:affairs")).content.decode()
    assert item.title in body
    response = resident.post(reverse("portal_publicity:ask", args=[item.pk]), {"text": ""})
    assert response.status_code == 400 and "请填写问题" in response.content.decode()
    assert resident.get(reverse("publicity:publications")).status_code == 403
    staff = client_for(cast.user("community_secretary"))
    response = staff.post(reverse("publicity:publication_create"), {"org": cast.orgs["community"].pk, "title": "无目录",
                                                                    "body": "<p>x</p>", "period_start": "2026-07-01",
                                                                    "period_end": "2026-09-30"})
    assert response.status_code == 400 and "请选择公开目录" in response.content.decode()
    assert Publication.objects.count() == 1
    for name in ("publicity:publications", "publicity:questions", "publicity:overdue", "publicity:articles",
                 "publicity:contests"):
        assert staff.get(reverse(name)).status_code == 200
    assert Org.objects.filter(level=Level.COMMUNITY).exists()
    assert Column.objects.count() == 0


def test_overdue_rows_feed_a_compliance_rule(cast):
    today = datetime.date(2026, 10, 20)
    publish(cast)
    rows = list(selectors.overdue_rows(today=today, under=cast.orgs["street"].path))
    assert rows and all(row["org_path"].startswith(cast.orgs["street"].path) for row in rows)
    dues = [row for row in rows if row["catalogue"] == Catalogue.DUES and row["org_id"] == cast.orgs["community"].pk]
    assert not [row for row in dues if row["period_end"] == Q3[1]]  # published: not overdue
    assert any("未按期公开" in row["text"] for row in rows)


def test_study_lists_per_audience(cast):
    secretary = cast.user("community_secretary")
    column = services.column_create(actor=secretary, org=cast.orgs["community"], name="学习", kind="study",
                                    audience="members")
    book = services.article_save(actor=secretary, column=column, title="读本", body="<p>读本</p>", publish=True)
    lists = {audience: services.study_list_create(actor=secretary, org=cast.orgs["community"], title=audience,
                                                  audience=audience, year=2026, articles=[book])
             for audience in ("leaders", "orgs", "members")}
    assert set(selectors.study_lists_for_reader(cast.user("member"))) == {lists["members"]}
    assert set(selectors.study_lists_for_reader(cast.user("branch_secretary"))) == {lists["orgs"]}
    assert set(selectors.study_lists_for_reader(cast.user("street_secretary"))) == {lists["leaders"], lists["orgs"]}
    assert not selectors.study_lists_for_reader(cast.user("resident")).exists()
    with pytest.raises(ValidationError, match="至少选择一篇"):
        services.study_list_create(actor=secretary, org=cast.orgs["community"], title="空", audience="members",
                                   year=2026, articles=[])


def test_api_columns_and_articles_are_scoped(cast, client_for):
    officer = cast.user("administrator")
    own = services.column_create(actor=officer, org=cast.orgs["community"], name="兴旺动态", kind="news", audience="all")
    other = services.column_create(actor=officer, org=cast.orgs["other_community"], name="山边动态", kind="news",
                                   audience="all")
    mine = services.article_save(actor=officer, column=own, title="兴旺新闻", body="<p>x</p>")
    theirs = services.article_save(actor=officer, column=other, title="山边新闻", body="<p>x</p>")
    client = client_for(cast.user("street_secretary"))
    assert {row["id"] for row in client.get("/api/publicity/columns/").json()["results"]} == {own.pk}
    assert {row["id"] for row in client.get("/api/publicity/articles/").json()["results"]} == {mine.pk}
    assert client.get(f"/api/publicity/articles/{theirs.pk}/").status_code == 404
    assert client.post("/api/publicity/articles/", {"title": "越权"}, content_type="application/json").status_code == 405
    assert client_for(cast.user("resident")).get("/api/publicity/publications/").json()["results"] == []


def test_staff_create_columns_and_contests_within_their_subtree(cast, client_for):
    staff = client_for(cast.user("community_secretary"))
    response = staff.post(reverse("publicity:column_create"), {"org": cast.orgs["community"].pk, "name": "兴旺学习",
                                                               "kind": "study", "audience": "sector", "sector": ""})
    assert response.status_code == 400 and "须选择领域" in response.content.decode()
    assert staff.post(reverse("publicity:column_create"), {"org": cast.orgs["community"].pk, "name": "兴旺学习",
                                                           "kind": "study", "audience": "members"}).status_code == 302
    response = staff.post(reverse("publicity:column_create"), {"org": cast.orgs["other_community"].pk, "name": "越权",
                                                               "kind": "news", "audience": "all"})
    assert response.status_code == 400 and not Column.objects.filter(name="越权").exists()
    data = {"org": cast.orgs["community"].pk, "title": "社区故事征集", "kind": "case", "opens_on": "2026-12-01",
            "closes_on": "2026-12-31", "judges": "street_secretary，nobody"}
    response = staff.post(reverse("publicity:contest_create"), data)
    assert response.status_code == 400 and "nobody" in response.content.decode()
    assert staff.post(reverse("publicity:contest_create"), {**data, "judges": "street_secretary"}).status_code == 302
    contest = selectors.public_contests().get(title="社区故事征集")
    assert list(contest.judges.all()) == [cast.user("street_secretary")]
    assert client_for(cast.user("resident")).get(reverse("publicity:contest_create")).status_code == 403


def test_pages_that_write_answer_with_their_messages(cast, client_for):
    item = publish(cast)
    resident = client_for(cast.user("resident"))
    response = resident.post(reverse("portal_publicity:ask", args=[item.pk]), {"text": "明细在哪里看？"}, follow=True)
    assert "已提交您的问题" in response.content.decode()
    staff = client_for(cast.user("community_secretary"))
    response = staff.post(reverse("publicity:publication_transition", args=[item.pk]), {"name": "withdraw", "reason": ""})
    assert response.status_code == 400 and "须说明原因" in response.content.decode()
    response = staff.post(reverse("publicity:publication_transition", args=[item.pk]),
                          {"name": "withdraw", "reason": "数据有误"}, follow=True)
    assert "操作成功" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "withdrawn"
    column = services.column_create(actor=cast.user("community_secretary"), org=cast.orgs["community"], name="动态",
                                    kind="news", audience="all")
    response = staff.post(reverse("publicity:article_create"), {"column": column.pk, "title": "新闻", "body": "<p>正文</p>",
                                                                "publish": "on"}, follow=True)
    assert "文章已保存" in response.content.decode()

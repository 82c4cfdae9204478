"""The staff pages of residents' voices: who sees what, every POST goes through a service, refusals are Chinese
and inert (counts, statuses and the audit trail unchanged)."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.ledger import services as ledger_services
from yuntu.ledger.models import Measure
from yuntu.voices import services
from yuntu.voices.models import Category, Dispatch, Request, RequestEvent, RequestPhoto, Suggestion
from yuntu.voices.workflow import DispatchStatus, RequestStatus


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png_bytes()
POINT = {"latitude": "24.480100", "longitude": "118.030200"}
TEXT = "兴旺小区3号楼旁路灯不亮已一周"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(cast):
    return Category.objects.create(code="lamp", name="路灯照明", responsible_org=cast.orgs["agency"], answer_days=1,
                                   resolve_days=5)


def submit(cast, category, *, community="community", text=TEXT, photos=None, **extra):
    return services.request_submit(community=cast.orgs[community], category=category, text=text,
                                   resident=cast.user("resident") if community == "community" else None,
                                   contact_name="陈秀英", contact_mobile="13700001111", photos=photos,
                                   **{**POINT, **extra})


def dispatched(cast, category, **extra):
    item = submit(cast, category, **extra)
    dispatch = services.request_dispatch(actor=cast.user("community_secretary"), request=item,
                                         departments=[cast.orgs["agency"]], days=3)[0]
    return item, dispatch


def dongfu_secretary(cast):
    """A street secretary of the other street (东孚): voices staff, but of the other subtree."""
    from yuntu.accounts.models import RoleGrant, User
    from yuntu.accounts.roles import Role

    user = User.objects.create_user("dongfu_secretary", password="x-Yuntu-2026", display_name="东孚街道书记")
    street = cast.orgs["other_street"]
    RoleGrant.objects.create(user=user, role=Role.STREET_SECRETARY, org=street, org_path=street.path)
    return user


def fingerprint(*objects) -> tuple:
    rows = []
    for obj in objects:
        row = type(obj).objects.filter(pk=obj.pk).values().first()
        row.pop("updated_at", None)
        rows.append(json.dumps(row, default=str, sort_keys=True))
    return (Request.objects.count(), Dispatch.objects.count(), Suggestion.objects.count(), RequestEvent.objects.count(),
            Measure.objects.count(), AuditEntry.objects.count(), *rows)


def login(user) -> Client:
    """A fresh client signed in as `user` (several people act in one test)."""
    client = Client()
    client.force_login(user, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    return client


def text_of(response) -> str:
    return response.content.decode()


# --- Who gets in ---


@pytest.mark.parametrize("user", ["community_secretary", "street_secretary", "district_officer", "inspector",
                                  "administrator"])
def test_staff_pages_render_for_the_owners(cast, category, user):
    item, dispatch = dispatched(cast, category, photos=[SimpleUploadedFile("现场.png", PNG, "image/png")])
    suggestion = services.suggestion_submit(org=cast.orgs["community"], text="建议增设电动车充电棚",
                                            author=cast.user("resident"))
    client = login(cast.user(user))
    for url in [reverse("voices:list"), reverse("voices:overdue"), reverse("voices:suggestions"),
                reverse("voices:request_detail", args=[item.pk]),
                reverse("voices:suggestion_detail", args=[suggestion.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<html" in text_of(response)
    body = text_of(client.get(reverse("voices:request_detail", args=[item.pk])))
    assert TEXT in body and "137****1111" in body and "13700001111" not in body
    assert "/media/" not in body
    photo = item.photos.get()
    response = client.get(reverse("voices:request_photo", args=[item.pk]) + f"?photo={photo.pk}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "建议增设电动车充电棚" in text_of(client.get(reverse("voices:suggestions")))


@pytest.mark.parametrize("user", ["member", "resident", "branch_secretary"])
def test_people_without_voices_are_turned_away(cast, user):
    client = login(cast.user(user))
    for name in ("voices:list", "voices:desk", "voices:overdue", "voices:suggestions", "voices:request_create"):
        assert client.get(reverse(name)).status_code == 403, name
    assert "群众诉求" not in text_of(client.get(reverse("accounts:me"))).split("<main")[0]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("voices:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_nav_shows_voices_to_staff_and_departments(cast):
    for user in ("community_secretary", "department_handler"):
        header = text_of(login(cast.user(user)).get(reverse("accounts:me"))).split("<main")[0]
        assert reverse("voices:list") in header, user


# --- 议事: triage by the community ---


def test_list_filters_and_figures(cast, category):
    first = submit(cast, category)
    second = submit(cast, category, text="兴旺小区垃圾清运不及时")
    services.request_transition(actor=cast.user("community_secretary"), request=second, name="handle")
    client = login(cast.user("community_secretary"))
    body = text_of(client.get(reverse("voices:list")))
    assert first.number in body and second.number in body
    assert 'data-figure="received">2<' in body
    body = text_of(client.get(reverse("voices:list") + "?status=handling"))
    assert second.number in body and first.number not in body
    body = text_of(client.get(reverse("voices:list") + "?stage=raise"))
    assert first.number in body and second.number not in body
    body = text_of(client.get(reverse("voices:list") + "?category=nothing&status=bogus"))
    assert first.number in body  # bad filters are dropped, not fatal
    body = text_of(client.get(reverse("voices:list") + "?overdue=on"))
    assert first.number not in body


def test_handle_then_decline_is_refused_in_chinese(cast, category):
    item = submit(cast, category)
    client = login(cast.user("community_secretary"))
    url = reverse("voices:request_triage", args=[item.pk])
    before = fingerprint(item)
    response = client.post(url, {"transition": "decline", "reason": ""})
    assert response.status_code == 400 and "“不予受理”须说明原因" in text_of(response)
    assert fingerprint(item) == before
    response = client.post(url, {"transition": "handle"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.HANDLING
    response = client.post(url, {"transition": "decline", "reason": "不属于受理范围"})
    assert response.status_code == 400 and "不能“不予受理”" in text_of(response)


def test_decline_with_a_reason(cast, category):
    item = submit(cast, category)
    client = login(cast.user("community_secretary"))
    response = client.post(reverse("voices:request_triage", args=[item.pk]),
                           {"transition": "decline", "reason": "属于物业合同纠纷，请通过法律途径解决"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.DECLINED and item.decline_reason.startswith("属于物业")


def test_dispatch_publish_is_blocked_until_departments_reply(cast, category):
    item = submit(cast, category)
    secretary = login(cast.user("community_secretary"))
    page = text_of(secretary.get(reverse("voices:request_detail", args=[item.pk])))
    assert "海沧区城市管理局机关党支部" in page  # the department is offered
    response = secretary.post(reverse("voices:request_dispatch", args=[item.pk]),
                              {"departments": [cast.orgs["agency"].pk], "days": 3, "note": "请现场核实"})
    assert response.status_code == 302
    dispatch = Dispatch.objects.get(request=item)
    assert dispatch.org == cast.orgs["agency"] and dispatch.note == "请现场核实"
    assert dispatch.deadline.date() > clock.today()
    page = text_of(secretary.get(reverse("voices:request_detail", args=[item.pk])))
    assert "还有1个部门尚未答复，不能公开答复。" in page
    before = fingerprint(item, dispatch)
    response = secretary.post(reverse("voices:request_triage", args=[item.pk]), {"transition": "publish", "reply": "已修复"})
    assert response.status_code == 400 and "还有1个部门尚未答复，不能公开答复。" in text_of(response)
    assert fingerprint(item, dispatch) == before

    handler = login(cast.user("department_handler"))
    assert handler.get(reverse("voices:list")).status_code == 302  # a department works from its desk
    assert item.number in text_of(handler.get(reverse("voices:desk")))
    url = reverse("voices:dispatch_transition", args=[dispatch.pk])
    assert handler.post(url, {"transition": "reply", "reply": "已修"}).status_code == 400  # accept first
    assert handler.post(url, {"transition": "accept"}).status_code == 302
    response = handler.post(url, {"transition": "reply", "reply": ""})
    assert response.status_code == 400 and "请填写答复内容" in text_of(response)
    assert handler.post(url, {"transition": "reply", "reply": "路灯已更换"}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.REPLIED

    page = text_of(secretary.get(reverse("voices:request_detail", args=[item.pk])))
    assert "路灯已更换" in page and "尚未答复" not in page
    response = secretary.post(reverse("voices:request_triage", args=[item.pk]),
                              {"transition": "publish", "reply": "城管局已更换路灯。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.PUBLISHED and item.reply == "城管局已更换路灯。"


def test_dispatch_form_errors(cast, category):
    item = submit(cast, category)
    client = login(cast.user("community_secretary"))
    before = fingerprint(item)
    url = reverse("voices:request_dispatch", args=[item.pk])
    response = client.post(url, {"days": 3})
    assert response.status_code == 400 and "请至少选择一个部门" in text_of(response)
    response = client.post(url, {"departments": [cast.orgs["agency"].pk], "days": 99})
    assert response.status_code == 400 and "办理时限应为1至60个工作日" in text_of(response)
    response = client.post(url, {"departments": [cast.orgs["other_branch"].pk], "days": 3})
    assert response.status_code == 400 and "不能接收派单" in text_of(response)
    assert fingerprint(item) == before


def test_merge_into_a_similar_request(cast, category):
    first = submit(cast, category)
    second = submit(cast, category, text="3号楼旁边的路灯不亮了")
    client = login(cast.user("community_secretary"))
    page = text_of(client.get(reverse("voices:request_detail", args=[second.pk])))
    assert f'value="{first.pk}"' in page
    response = client.post(reverse("voices:request_triage", args=[second.pk]), {"transition": "merge", "target": first.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == RequestStatus.MERGED and second.merged_into == first


def test_merge_target_from_another_subtree_is_refused(cast, category):
    mine = submit(cast, category)
    theirs = submit(cast, category, community="other_community")
    client = login(cast.user("community_secretary"))
    before = fingerprint(mine, theirs)
    response = client.post(reverse("voices:request_triage", args=[mine.pk]), {"transition": "merge", "target": theirs.pk})
    assert response.status_code == 400 and "合并目标" in text_of(response)
    assert fingerprint(mine, theirs) == before


def test_viewers_and_departments_cannot_triage(cast, category):
    item, dispatch = dispatched(cast, category)
    for user in ("inspector", "department_handler"):
        client = login(cast.user(user))
        assert client.get(reverse("voices:request_detail", args=[item.pk])).status_code == 200
        before = fingerprint(item, dispatch)
        for data in ({"transition": "publish", "reply": "x"}, {"transition": "handle"}):
            assert client.post(reverse("voices:request_triage", args=[item.pk]), data).status_code == 403
        response = client.post(reverse("voices:request_dispatch", args=[item.pk]),
                               {"departments": [cast.orgs["agency"].pk], "days": 3})
        assert response.status_code in (400, 403)
        assert fingerprint(item, dispatch) == before
    page = text_of(login(cast.user("department_handler")).get(reverse("voices:request_detail", args=[item.pk])))
    assert "137****1111" not in page and "陈秀英" not in page  # the contact stays with the community


def test_hand_back_needs_a_reason(cast, category):
    _item, dispatch = dispatched(cast, category)
    client = login(cast.user("department_handler"))
    url = reverse("voices:dispatch_transition", args=[dispatch.pk])
    before = fingerprint(dispatch)
    response = client.post(url, {"transition": "hand_back", "reason": ""})
    assert response.status_code == 400 and "须说明原因" in text_of(response)
    assert fingerprint(dispatch) == before
    assert client.post(url, {"transition": "hand_back", "reason": "属供电公司职责"}).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.RETURNED


def test_overdue_list_per_department(cast, category):
    _item, dispatch = dispatched(cast, category)
    Dispatch.objects.filter(pk=dispatch.pk).update(deadline=clock.now() - datetime.timedelta(days=2))
    for user in ("department_handler", "community_secretary"):
        body = text_of(login(cast.user(user)).get(reverse("voices:overdue")))
        assert f'data-org="{cast.orgs["agency"].pk}"' in body and "海沧区城市管理局机关党支部" in body, user
    assert "data-org" not in text_of(login(cast.user("outsider")).get(reverse("voices:overdue")))


# --- Intake by staff ---


def test_staff_intake_on_behalf_of_a_resident(cast, category):
    client = login(cast.user("community_secretary"))
    assert client.get(reverse("voices:request_create")).status_code == 200
    data = {"channel": "hotline", "community": cast.orgs["community"].pk, "category": category.pk,
            "text": "12345转办：兴旺小区路灯不亮", "address": "兴旺小区3号楼", "contact_name": "李先生",
            "contact_mobile": "13811112222"}
    response = client.post(reverse("voices:request_create"), {**data, "contact_mobile": "12345"})
    assert response.status_code == 400 and "手机号码应为11位" in text_of(response)
    response = client.post(reverse("voices:request_create"), {**data, "community": cast.orgs["other_community"].pk})
    assert response.status_code == 400 and "不在您的受理范围内" in text_of(response)
    assert not Request.objects.exists()
    response = client.post(reverse("voices:request_create"), data)
    assert response.status_code == 302
    item = Request.objects.get()
    assert item.channel == "hotline" and item.created_by == cast.user("community_secretary")
    assert item.contact_mobile_masked == "138****2222" and item.resident is None


# --- Suggestions ---


def test_adopt_a_suggestion_as_a_ledger_measure(cast):
    suggestion = services.suggestion_submit(org=cast.orgs["community"], text="建议增设电动车充电棚", author_name="王阿姨")
    problem = ledger_services.problem_create(actor=cast.user("community_secretary"), org=cast.orgs["community"],
                                             title="电动车充电难", source="residents", category="livelihood",
                                             found_on=clock.today())
    client = login(cast.user("community_secretary"))
    page = text_of(client.get(reverse("voices:suggestion_detail", args=[suggestion.pk])))
    assert "电动车充电难" in page
    url = reverse("voices:suggestion_adopt", args=[suggestion.pk])
    deadline = (clock.today() + datetime.timedelta(days=30)).isoformat()
    before = fingerprint(suggestion)
    response = client.post(url, {"problem": problem.pk, "measure_text": "", "responsible_person": "张主任",
                                 "deadline": deadline})
    assert response.status_code == 400 and "请填写整改措施" in text_of(response)
    assert fingerprint(suggestion) == before
    response = client.post(url, {"problem": problem.pk, "measure_text": "在3号楼旁建设充电棚",
                                 "responsible_person": "张主任", "deadline": deadline, "response": "已采纳"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ADOPTED and suggestion.measure.problem == problem
    body = text_of(client.get(reverse("voices:suggestions")))
    assert 'data-figure="adopted">1<' in body and 'data-figure="collected">1<' in body


def test_decline_and_offline_suggestions(cast):
    client = login(cast.user("community_secretary"))
    response = client.post(reverse("voices:suggestion_create"),
                           {"org": cast.orgs["community"].pk, "text": "建议周末开放活动室", "author_name": "座谈会"})
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.mode == "offline"
    url = reverse("voices:suggestion_decline", args=[suggestion.pk])
    assert client.post(url, {"response": ""}).status_code == 400
    assert client.post(url, {"response": "活动室周末另有安排"}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.NOT_ADOPTED
    # An inspector sees suggestions but may not decide on them.
    inspector = login(cast.user("inspector"))
    assert inspector.get(reverse("voices:suggestion_detail", args=[suggestion.pk])).status_code == 200
    other = services.suggestion_submit(org=cast.orgs["community"], text="建议加装电梯")
    before = fingerprint(other)
    assert inspector.post(reverse("voices:suggestion_decline", args=[other.pk]), {"response": "不"}).status_code == 403
    assert fingerprint(other) == before


# --- The outsider: 404 on the other subtree's pages, and every POST inert ---


def test_outsider_gets_404_and_changes_nothing(cast, category):
    item, dispatch = dispatched(cast, category, photos=[SimpleUploadedFile("现场.png", PNG, "image/png")])
    suggestion = services.suggestion_submit(org=cast.orgs["community"], text="建议增设电动车充电棚")
    problem = ledger_services.problem_create(actor=cast.user("outsider"), org=cast.orgs["other_branch"],
                                             title="山边问题", source="residents", category="livelihood",
                                             found_on=clock.today())
    photo = RequestPhoto.objects.get()
    other_item = submit(cast, category, community="other_community")
    street = login(cast.user("street_secretary"))
    for url in [reverse("voices:request_detail", args=[other_item.pk]),
                reverse("voices:request_photo", args=[other_item.pk]) + "?photo=1"]:
        assert street.get(url).status_code == 404, url
    other_secretary = login(dongfu_secretary(cast))
    client = login(cast.user("outsider"))
    # The outsider (a branch secretary) has no voices role: lists are refused, records are "not found".
    assert client.get(reverse("voices:list")).status_code == 403
    outsider_requests = [
        ("get", reverse("voices:request_detail", args=[item.pk]), None),
        ("get", reverse("voices:request_photo", args=[item.pk]) + f"?photo={photo.pk}", None),
        ("get", reverse("voices:dispatch_detail", args=[dispatch.pk]), None),
        ("get", reverse("voices:suggestion_detail", args=[suggestion.pk]), None),
    ]
    before = fingerprint(item, dispatch, suggestion)
    handler = login(cast.user("department_handler"))
    for _method, url, _data in outsider_requests:
        assert client.get(url).status_code == 404, url
        assert other_secretary.get(url).status_code == 404, url
    posts = [
        (reverse("voices:request_triage", args=[item.pk]), {"transition": name, "reason": "越权", "reply": "越权",
                                                               "target": item.pk})
        for name in ("handle", "merge", "decline", "publish")
    ] + [
        (reverse("voices:request_dispatch", args=[item.pk]), {"departments": [cast.orgs["agency"].pk], "days": 3}),
        (reverse("voices:suggestion_adopt", args=[suggestion.pk]),
         {"problem": problem.pk, "measure_text": "越权", "responsible_person": "越权", "deadline": "2030-01-01"}),
        (reverse("voices:suggestion_decline", args=[suggestion.pk]), {"response": "越权"}),
    ] + [(reverse("voices:dispatch_transition", args=[dispatch.pk]), {"transition": name, "reply": "越权", "reason": "越权"})
         for name in ("accept", "reply", "hand_back")]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
        assert other_secretary.post(url, data).status_code == 404, url
    assert fingerprint(item, dispatch, suggestion) == before
    # A department sees what was dispatched to it, and nothing of a request that was not.
    other_dispatch = services.request_dispatch(actor=cast.user("street_secretary"), request=submit(cast, category),
                                               departments=[cast.orgs["branch"]], days=3)[0]
    assert handler.get(reverse("voices:dispatch_detail", args=[other_dispatch.pk])).status_code == 404
    assert handler.get(reverse("voices:request_detail", args=[other_dispatch.request_id])).status_code == 404
    before = fingerprint(other_dispatch)
    assert handler.post(reverse("voices:dispatch_transition", args=[other_dispatch.pk]),
                        {"transition": "accept"}).status_code == 404
    assert fingerprint(other_dispatch) == before

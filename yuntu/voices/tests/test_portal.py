"""The resident's phone pages and the public board: residents see only their own items, the board and the
similar-items hint carry no personal data, bad input gets a Chinese message and stores nothing, anonymous
intake is rate-limited per client address."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from yuntu.accounts.models import AuditEntry, RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.core import chinese, clock, crypto
from yuntu.orgs.models import Resident
from yuntu.voices import services
from yuntu.voices.models import Category, Request, RequestPhoto, Suggestion, SuggestionDrive
from yuntu.voices.views.common import ANONYMOUS_LIMIT
from yuntu.voices.workflow import RequestStatus

POINT = {"latitude": "24.480100", "longitude": "118.030200"}
TEXT = "兴旺小区3号楼旁路灯不亮已一周，晚上出行不便"
CONTACT = "陈秀英"
MOBILE = "13700001111"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(cast):
    return Category.objects.create(code="lamp", name="路灯照明", responsible_org=cast.orgs["agency"], answer_days=1,
                                   resolve_days=5)


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    return client


def neighbour(cast) -> User:
    """A second resident of the same community."""
    user = User.objects.create_user("neighbour", password="x-Yuntu-2026", display_name="居民李先生")
    mobile = "13900002222"
    user.mobile_digest, user.mobile_encrypted = crypto.digest(mobile), crypto.encrypt(mobile)
    user.mobile_masked = chinese.mask_mobile(mobile)
    user.save()
    community = cast.orgs["community"]
    RoleGrant.objects.create(user=user, role=Role.RESIDENT, org=community, org_path=community.path)
    Resident.objects.create(user=user, community=community)
    return user


def filed(cast, category, *, text=TEXT, resident="resident", **extra) -> Request:
    return services.request_submit(community=cast.orgs["community"], category=category, text=text,
                                   resident=cast.user(resident) if resident else None, contact_name=CONTACT,
                                   contact_mobile=MOBILE, **{**POINT, **extra})


def published(cast, category, **extra) -> Request:
    item = filed(cast, category, **extra)
    secretary = cast.user("community_secretary")
    services.request_transition(actor=secretary, request=item, name="handle")
    return services.request_transition(actor=secretary, request=item, name="publish", reply="已更换路灯，感谢反映。")


def text_of(response) -> str:
    return response.content.decode()


def form_data(category_, **extra) -> dict:
    return {"category": category_.pk, "text": TEXT, "address": "兴旺小区3号楼", **extra}


def counts() -> tuple:
    return Request.objects.count(), RequestPhoto.objects.count(), Suggestion.objects.count(), AuditEntry.objects.count()


# --- Anyone may read; the pages are phone-first ---


def test_public_pages_render_for_anonymous_visitors(client, category):
    for name in ("portal:home", "portal:submit", "portal:board", "portal:suggestions"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        body = text_of(response)
        assert 'name="viewport"' in body and "pt-tabbar" in body
    assert client.get(reverse("portal:mine")).status_code == 302  # following items needs an account


# --- 说事 ---


def test_the_form_is_prefilled_from_the_signed_in_resident(cast, category):
    body = text_of(login(cast.user("resident")).get(reverse("portal:submit")))
    assert 'value="居民陈女士"' in body and 'value="137****1111"' in body
    assert MOBILE not in body


def test_resident_files_a_request_and_follows_it(cast, category):
    client = login(cast.user("resident"))
    photo = SimpleUploadedFile("现场.png", png_bytes(), "image/png")
    response = client.post(reverse("portal:submit"),
                           form_data(category, contact_name="陈女士", contact_mobile="137****1111", photos=[photo], **POINT))
    assert response.status_code == 302
    item = Request.objects.get()
    assert response["Location"] == reverse("portal:request_detail", args=[item.pk])
    assert item.resident == cast.user("resident") and item.org == cast.orgs["community"]
    assert item.contact_mobile_digest == crypto.digest(MOBILE)  # the masked prefill means the account's number
    assert item.contact_name == "陈女士" and item.photos.count() == 1
    body = text_of(client.get(response["Location"]))
    assert TEXT in body and "说事：提交诉求" in body and "pt-steps" in body
    assert "居民陈女士" not in body.split("<main")[1]  # the public timeline names no one
    photo_url = reverse("portal:request_photo", args=[item.pk]) + f"?photo={item.photos.get().pk}"
    assert photo_url.replace("&", "&amp;") in body or photo_url in body
    assert client.get(photo_url).status_code == 200
    assert item.number in text_of(client.get(reverse("portal:mine")))


def test_a_resident_sees_only_their_own_items(cast, category):
    item = filed(cast, category)
    other = login(neighbour(cast))
    for url in (reverse("portal:request_detail", args=[item.pk]),
                reverse("portal:request_photo", args=[item.pk]) + "?photo=1"):
        assert other.get(url).status_code == 404, url
    assert item.number not in text_of(other.get(reverse("portal:mine")))
    services.request_transition(actor=cast.user("community_secretary"), request=item, name="handle")
    services.request_transition(actor=cast.user("community_secretary"), request=item, name="publish", reply="已修复")
    before = (Request.objects.filter(pk=item.pk).values("status", "rating", "reopened_count").get(), counts())
    assert other.post(reverse("portal:request_rate", args=[item.pk]), {"rating": "unsatisfied"}).status_code == 404
    assert other.post(reverse("portal:request_reopen", args=[item.pk]), {"reason": "冒名"}).status_code == 404
    assert (Request.objects.filter(pk=item.pk).values("status", "rating", "reopened_count").get(), counts()) == before
    # Staff are not residents of it either: the portal page is for the item's own resident.
    assert login(cast.user("community_secretary")).get(reverse("portal:request_detail", args=[item.pk])).status_code == 404


def test_bad_input_gets_a_chinese_message_and_stores_nothing(cast, category):
    client = login(cast.user("resident"))
    before = counts()
    cases = [
        (form_data(category, text="长" * 10_000), "诉求内容不能超过2000字（当前10000字）"),
        (form_data(category, latitude="39.904200", longitude="116.407400"), "该位置不在本辖区范围内"),
        (form_data(category, photos=[SimpleUploadedFile("报告.pdf", b"%PDF-1.4 fake", "application/pdf")]),
         "不是支持的图片格式"),
        (form_data(category, photos=[SimpleUploadedFile("伪装.png", b"not really a png", "image/png")]),
         "不是有效的图片文件"),
        (form_data(category, text=""), "请填写诉求内容"),
        (form_data(category, category=""), "请选择诉求类别"),
        (form_data(category, category="99999"), "该诉求类别不存在或已停用"),
        (form_data(category, address=""), "请填写地点，或在地图上选点"),
        (form_data(category, latitude="24.48"), "请同时填写经度和纬度"),
        (form_data(category, contact_mobile="1234"), "手机号码应为11位"),
    ]
    for data, message in cases:
        response = client.post(reverse("portal:submit"), data)
        assert response.status_code == 400, message
        assert message in text_of(response), message
    assert counts() == before


def test_anonymous_submission_needs_a_mobile_and_is_rate_limited(client, cast, category):
    response = client.post(reverse("portal:submit"), form_data(category))
    assert response.status_code == 400 and "未登录提交须填写手机号" in text_of(response)
    for index in range(ANONYMOUS_LIMIT):
        response = client.post(reverse("portal:submit"),
                               form_data(category, text=f"{TEXT}（第{index + 1}次）", contact_mobile=f"1380000000{index}"))
        assert response.status_code == 302, text_of(response)
    assert Request.objects.filter(resident__isnull=True).count() == ANONYMOUS_LIMIT
    item = Request.objects.order_by("id").first()
    assert item.org == cast.orgs["community"]  # no located communities in the cast: routed by the fallback
    before = counts()
    response = client.post(reverse("portal:submit"), form_data(category, contact_mobile="13800000099"))
    assert response.status_code == 429 and "每小时最多匿名提交5次" in text_of(response)
    assert counts() == before
    # Another address is not held back, and a signed-in resident is never limited.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("portal:submit"), form_data(category, contact_mobile="13800000098")).status_code == 302
    assert login(cast.user("resident")).post(reverse("portal:submit"), form_data(category)).status_code == 302


def test_similar_open_items_nearby_without_personal_data(client, cast, category):
    item = filed(cast, category, text=f"兴旺小区3号楼旁路灯不亮，请联系我{MOBILE}")
    query = {"category": category.pk, "text": "兴旺小区3号楼旁边的路灯不亮", **POINT}
    response = client.get(reverse("portal:similar"), query)
    body = text_of(response)
    assert response.status_code == 200 and item.number in body and "约0米" in body
    for secret in (CONTACT, MOBILE, "137****1111", "居民陈女士"):
        assert secret not in body
    assert "【电话已隐去】" in body
    assert text_of(client.get(reverse("portal:similar"), {**query, "latitude": "24.500000"})).strip() == ""
    assert text_of(client.get(reverse("portal:similar"), {"category": "x", "text": "路灯"})).strip() == ""


# --- 评事 ---


def test_rate_and_reopen_once(cast, category):
    item = published(cast, category)
    client = login(cast.user("resident"))
    body = text_of(client.get(reverse("portal:request_detail", args=[item.pk])))
    assert "已更换路灯" in body and "满意" in body and "基本满意" in body and "不满意" in body
    response = client.post(reverse("portal:request_rate", args=[item.pk]), {"rating": "great"})
    assert response.status_code == 400 and "请选择满意、基本满意或不满意" in text_of(response)
    assert client.post(reverse("portal:request_rate", args=[item.pk]),
                       {"rating": "unsatisfied", "comment": "灯还是暗"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.RATED and item.rating == "unsatisfied"
    response = client.post(reverse("portal:request_reopen", args=[item.pk]), {"reason": ""})
    assert response.status_code == 400 and "请说明要求重新办理的原因" in text_of(response)
    assert client.post(reverse("portal:request_reopen", args=[item.pk]), {"reason": "灯还是暗"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RequestStatus.HANDLING and item.reopened_count == 1
    services.request_transition(actor=cast.user("community_secretary"), request=item, name="publish", reply="已换大功率灯")
    body = text_of(client.get(reverse("portal:request_detail", args=[item.pk])))
    assert 'id="reopen"' not in body and 'id="rate"' in body  # reopening only once
    response = client.post(reverse("portal:request_reopen", args=[item.pk]), {"reason": "还是不行"})
    assert response.status_code == 400 and "只能要求重新办理一次" in text_of(response)


# --- 晒事: the board ---


def test_the_board_shows_published_items_without_personal_data(client, cast, category):
    item = published(cast, category, text=f"{TEXT}，有事请打{MOBILE}")
    hidden = filed(cast, category, text="尚未答复的诉求不应公开")
    secrets = (CONTACT, MOBILE, "137****1111", "居民陈女士", "兴旺社区书记")
    for url in (reverse("portal:board"), reverse("portal:board_detail", args=[item.pk]), reverse("portal:home")):
        body = text_of(client.get(url))
        assert item.number in body and "已更换路灯" in body, url
        assert "尚未答复的诉求不应公开" not in body, url
        for secret in secrets:
            assert secret not in body, (url, secret)
    assert client.get(reverse("portal:board_detail", args=[hidden.pk])).status_code == 404
    body = text_of(client.get(reverse("portal:board")))
    assert 'data-figure="received">2<' in body and 'data-figure="resolved">1<' in body
    assert 'id="board-points"' in body and f'"lat": {float(item.latitude)}' in body


def test_board_filters(client, cast, category):
    item = published(cast, category)
    other_category = Category.objects.create(code="trash", name="垃圾清运")
    assert item.number in text_of(client.get(reverse("portal:board"), {"category": "lamp"}))
    assert item.number not in text_of(client.get(reverse("portal:board"), {"category": other_category.code}))
    community = cast.orgs["community"]
    body = text_of(client.get(reverse("portal:board")))
    assert f'<option value="{community.pk}">兴旺社区</option>' in body
    assert "山边社区" not in body  # nothing published there: not offered
    assert item.number in text_of(client.get(reverse("portal:board"), {"community": community.pk}))
    assert item.number not in text_of(client.get(reverse("portal:board"), {"q": "不存在的关键词"}))


# --- 建言献策 ---


def test_suggestions_to_an_open_drive(client, cast):
    body = text_of(client.get(reverse("portal:suggestions")))
    assert "目前没有正在征集的建言献策活动" in body
    today = clock.today()
    drive = SuggestionDrive.objects.create(org=cast.orgs["community"], title="我为高质量发展献良策",
                                           starts_on=today - datetime.timedelta(days=5),
                                           ends_on=today + datetime.timedelta(days=25))
    closed = SuggestionDrive.objects.create(org=cast.orgs["community"], title="往期活动",
                                            starts_on=today - datetime.timedelta(days=60),
                                            ends_on=today - datetime.timedelta(days=30))
    resident = login(cast.user("resident"))
    body = text_of(resident.get(reverse("portal:suggestions")))
    assert "我为高质量发展献良策" in body and "往期活动" not in body
    before = counts()
    response = resident.post(reverse("portal:suggestions"), {"drive": closed.pk, "text": "建议"})
    assert response.status_code == 400 and "不在征集期内" in text_of(response)
    response = resident.post(reverse("portal:suggestions"), {"drive": drive.pk, "text": "长" * 10_000})
    assert response.status_code == 400 and "建议内容不能超过2000字" in text_of(response)
    assert counts() == before
    assert resident.post(reverse("portal:suggestions"),
                         {"drive": drive.pk, "text": "建议增设电动车充电棚", "author_name": "陈女士"}).status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.org == cast.orgs["community"] and suggestion.author == cast.user("resident")
    assert "建议增设电动车充电棚" in text_of(resident.get(reverse("portal:mine")))
    for index in range(ANONYMOUS_LIMIT):
        assert client.post(reverse("portal:suggestions"), {"drive": drive.pk, "text": f"匿名建议{index}"}).status_code == 302
    response = client.post(reverse("portal:suggestions"), {"drive": drive.pk, "text": "再一条"})
    assert response.status_code == 429 and Suggestion.objects.count() == 1 + ANONYMOUS_LIMIT


def test_extra_questions_of_a_category(cast):
    category = Category.objects.create(code="pothole", name="道路坑洼", questions=[
        {"code": "size", "datatype": "singlevaluelist", "required": True, "description": "坑洼大小",
         "values": [{"key": "small", "name": "小于一米"}, {"key": "large", "name": "一米以上"}]}])
    client = login(cast.user("resident"))
    body = text_of(client.get(reverse("portal:submit")))
    assert f'name="q-{category.pk}-size"' in body and "小于一米" in body
    response = client.post(reverse("portal:submit"), form_data(category, text="海沧大道辅路有坑"))
    assert response.status_code == 400 and "请回答：坑洼大小" in text_of(response)
    response = client.post(reverse("portal:submit"), form_data(category, text="海沧大道辅路有坑",
                                                               **{f"q-{category.pk}-size": "bogus"}))
    assert response.status_code == 400 and not Request.objects.exists()
    response = client.post(reverse("portal:submit"), form_data(category, text="海沧大道辅路有坑",
                                                               **{f"q-{category.pk}-size": "large"}))
    assert response.status_code == 302
    item = Request.objects.get()
    assert item.answers == {"size": "large"}
    page = text_of(login(cast.user("community_secretary")).get(reverse("voices:request_detail", args=[item.pk])))
    assert "坑洼大小" in page and "一米以上" in page

"""Signing in by mobile number and verification code, and the home's declared tiles."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from yuntu.accounts.models import User
from yuntu.core import clock
from yuntu.orgs.models import Resident
from yuntu.portal import codes
from yuntu.portal.models import SignInCode
from yuntu.portal.tiles import TILES, Tile, tiles_for


class RecordingSender:
    """An SMS gateway stand-in at the world's edge: keeps what would have been texted."""

    sent: list = []

    def send(self, recipient, subject, body, data=None):
        RecordingSender.sent.append({"mobile": recipient.mobile, "body": body, "code": (data or {}).get("code", "")})
        return True


@pytest.fixture
def texts():
    RecordingSender.sent = []
    with override_settings(PORTAL_CODE_SENDERS=["yuntu.portal.tests.test_signin.RecordingSender"]):
        yield RecordingSender.sent


def last_code(texts) -> str:
    return re.search(r"验证码是 (\d{6})", texts[-1]["body"]).group(1)


def test_a_code_is_sent_hashed_and_signs_in_the_existing_resident_once(cast, texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = codes.send_code(mobile="137-0000-1111")
    code = last_code(texts)
    assert texts[-1]["mobile"] == "13700001111"
    stored = SignInCode.objects.get(pk=record.pk)
    assert code not in stored.code_digest and "13700001111" not in stored.mobile_digest  # only digests are kept
    assert codes.verify_code(mobile="13700001111", code=code) == cast.user("resident")
    with pytest.raises(ValidationError, match="已失效"):
        codes.verify_code(mobile="13700001111", code=code)  # one sign-in per code


def test_wrong_codes_are_counted_and_the_code_dies_after_five(cast, texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        codes.send_code(mobile="13700001111")
    code = last_code(texts)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"还可尝试{left}次"):
            codes.verify_code(mobile="13700001111", code=wrong)
    with pytest.raises(ValidationError, match="错误次数过多"):
        codes.verify_code(mobile="13700001111", code=wrong)
    with pytest.raises(ValidationError, match="错误次数过多"):
        codes.verify_code(mobile="13700001111", code=code)  # even the right code is refused now


def test_codes_expire_and_sending_is_rate_limited(cast, texts):
    start = clock.now()
    codes.send_code(mobile="13700001111", now=start)
    with pytest.raises(ValidationError, match="秒后再试"):
        codes.send_code(mobile="13700001111", now=start + datetime.timedelta(seconds=30))
    for minute in range(1, 5):
        codes.send_code(mobile="13700001111", now=start + datetime.timedelta(minutes=minute * 2))
    with pytest.raises(ValidationError, match="过于频繁"):
        codes.send_code(mobile="13700001111", now=start + datetime.timedelta(minutes=20))
    with pytest.raises(ValidationError, match="已失效"):
        codes.verify_code(mobile="13700001111", code="123456", now=start + datetime.timedelta(minutes=30))
    with pytest.raises(ValidationError, match="11位手机号"):
        codes.send_code(mobile="12345")


def test_a_new_mobile_gets_a_resident_account(db, texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        codes.send_code(mobile="13655550000")
    user = codes.verify_code(mobile="13655550000", code=last_code(texts))
    assert user.mobile_masked == "136****0000" and not user.has_usable_password()
    assert Resident.objects.filter(user=user).exists()
    assert User.objects.filter(mobile_digest=user.mobile_digest).count() == 1


def test_the_sign_in_page_takes_a_mobile_then_a_code(cast, client, texts, django_capture_on_commit_callbacks):
    url = reverse("portal:signin") + "?next=/portal/mine/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"mobile": "13700001111", "next": "/portal/mine/"})
    assert response.status_code == 200 and "验证码已发送" in response.content.decode()
    response = client.post(url, {"step": "code", "mobile": "13700001111", "code": "99999", "next": "/portal/mine/"})
    assert response.status_code == 400 and "6位验证码" in response.content.decode()
    response = client.post(url, {"step": "code", "mobile": "13700001111", "code": last_code(texts),
                                 "next": "/portal/mine/"})
    assert response.status_code == 302 and response["Location"] == "/portal/mine/"
    assert client.get(reverse("portal:mine")).status_code == 200


def test_the_sign_in_page_never_redirects_off_site(cast, client, texts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:signin"), {"mobile": "13700001111"})
    response = client.post(reverse("portal:signin"), {"step": "code", "mobile": "13700001111",
                                                      "code": last_code(texts), "next": "https://evil.example/"})
    assert response["Location"] == "/portal/"


def test_tiles_show_only_pages_that_exist(cast):
    assert Tile("x", "不存在", "", ("nowhere:home",), "/portal/nowhere/").href() == ""
    keys = [tile["key"] for tile in tiles_for(cast.user("resident"))]
    assert {"request", "suggestion", "affairs", "news", "mine", "inbox", "venues", "needs", "lectures", "receptions",
            "bookings", "claims", "orders"} <= set(keys)
    links = {tile.key: tile.href() for tile in TILES}
    assert links["venues"] == "/portal/venues/" and links["needs"] == "/portal/needs/"
    assert links["lectures"] == "/portal/lectures/" and links["bookings"] == "/portal/venues/mine/"
    anonymous = [tile["key"] for tile in tiles_for(None)]
    assert "mine" not in anonymous and "request" in anonymous


def test_the_home_keeps_the_voices_pages_under_their_names(cast, client_for):
    client = client_for(cast.user("resident"))
    body = client.get(reverse("portal:home")).content.decode()
    assert 'id="my-summary"' in body and 'data-tile="affairs"' in body and 'data-tile="request"' in body
    for name in ("portal:submit", "portal:board", "portal:suggestions", "portal:mine", "portal:signin"):
        assert client.get(reverse(name)).status_code in (200, 302)


def test_the_home_speaks_english_when_asked(cast, client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("portal:home"), headers={"accept-language": "en"}).content.decode()
    assert "Party and village affairs" in body and "Sign in with mobile" in body

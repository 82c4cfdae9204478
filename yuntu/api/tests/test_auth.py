import pytest
from axes.models import AccessAttempt
from django.conf import settings
from rest_framework.authtoken.models import Token

from yuntu.core.cast import PASSWORD

from .helpers import assert_error, body, call

TOKEN_URL = "/api/auth/token/"


def test_token_for_user_name_and_password_opens_the_api(cast, client):
    response = call(client, "post", TOKEN_URL, {"username": "street_secretary", "password": PASSWORD})
    assert response.status_code == 200
    token = body(response)["token"]
    assert token == Token.objects.get(user=cast.user("street_secretary")).key
    client.logout()
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and body(me)["username"] == "street_secretary"


def test_token_for_a_mobile_number(cast, client):
    response = call(client, "post", TOKEN_URL, {"username": "137 0000 1111", "password": PASSWORD})
    assert response.status_code == 200
    assert Token.objects.get(key=body(response)["token"]).user == cast.user("resident")


def test_bad_password_is_a_json_error_and_counted_by_axes(cast, client):
    response = call(client, "post", TOKEN_URL, {"username": "street_secretary", "password": "wrong-password"})
    data = assert_error(response, 400, "invalid_credentials")
    assert data["message"] == "用户名（手机号）或密码不正确。"
    assert "token" not in data
    assert AccessAttempt.objects.filter(username="street_secretary", failures_since_start=1).exists()


def test_missing_fields_are_named(cast, client):
    data = assert_error(call(client, "post", TOKEN_URL, {"username": "street_secretary"}), 400, "invalid")
    assert set(data["fields"]) == {"password"}


def test_repeated_failures_lock_the_user_name_even_with_the_right_password(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(call(client, "post", TOKEN_URL, {"username": "outsider", "password": "guess"}), 400,
                     "invalid_credentials")
    locked = call(client, "post", TOKEN_URL, {"username": "outsider", "password": "guess"})
    assert_error(locked, 429, "locked")
    response = call(client, "post", TOKEN_URL, {"username": "outsider", "password": PASSWORD})
    data = assert_error(response, 429, "locked")
    assert "分钟后再试" in data["message"] and int(response["Retry-After"]) > 0
    assert not Token.objects.filter(user=cast.user("outsider")).exists()
    # Another user name from the same address is not locked.
    assert call(client, "post", TOKEN_URL, {"username": "street_secretary", "password": PASSWORD}).status_code == 200


def test_a_success_clears_earlier_failures(cast, client):
    call(client, "post", TOKEN_URL, {"username": "inspector", "password": "guess"})
    assert AccessAttempt.objects.filter(username="inspector").exists()
    assert call(client, "post", TOKEN_URL, {"username": "inspector", "password": PASSWORD}).status_code == 200
    assert not AccessAttempt.objects.filter(username="inspector").exists()


def test_inactive_users_get_no_token(cast, client):
    user = cast.user("inspector")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(call(client, "post", TOKEN_URL, {"username": "inspector", "password": PASSWORD}), 400,
                 "invalid_credentials")


@pytest.mark.parametrize("url", ["/api/me/", "/api/orgs/", "/api/members/"])
def test_anonymous_requests_are_refused_in_chinese(db, client, url):
    response = client.get(url)
    data = assert_error(response, 401, "not_authenticated")
    assert data["message"] == "请先登录。"
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_bad_token_is_refused(db, client):
    assert_error(client.get("/api/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef"), 401, "authentication_failed")


def test_session_writes_need_the_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user("street_secretary"), backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    response = call(client, "patch", f"/api/orgs/{cast.orgs['community'].pk}/", {"address": "兴旺路1号"})
    assert_error(response, 403, "csrf_failed")


def test_me_lists_roles_grants_and_permissions(cast, client_for):
    data = body(client_for(cast.user("street_secretary")).get("/api/me/"))
    assert data["display_name"] == "新阳街道书记"
    assert data["roles"] == [{"code": "street_secretary", "label": "街道党工委书记"}]
    assert [(grant["org"], grant["org_name"]) for grant in data["grants"]] == [
        (cast.orgs["street"].pk, "中共海沧区新阳街道工作委员会")]
    assert "member.change" in data["permissions"] and "personal_data.view" not in data["permissions"]


def test_me_does_not_name_orgs_the_user_may_not_see(cast, client_for):
    data = body(client_for(cast.user("resident")).get("/api/me/"))
    assert data["roles"] == [{"code": "resident", "label": "群众"}]
    assert data["grants"][0]["org"] == cast.orgs["community"].pk and data["grants"][0]["org_name"] is None
    assert data["permissions"] == [] and data["mobile_masked"] == "137****1111"

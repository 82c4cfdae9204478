"""Sign-in, lockout, the home page by role, the audit page and the language switch."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from yuntu.accounts.models import AuditEntry
from yuntu.core.cast import PASSWORD
from yuntu.orgs import services


def text(response) -> str:
    return response.content.decode()


def test_login_page_is_chinese(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    page = text(response)
    assert '<html lang="zh-hans">' in page and "用户名或手机号" in page and "密码" in page and "登录" in page


def test_staff_sign_in_by_username_lands_on_the_org_tree(cast, client):
    response = client.post(reverse("accounts:login"), {"username": "street_secretary", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgs:tree")
    assert "中共海沧区新阳街道工作委员会" in text(response)


def test_resident_signs_in_by_mobile_and_sees_only_their_masked_account(cast, client):
    response = client.post(reverse("accounts:login"), {"username": "137 0000 1111", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:home")
    page = text(response)
    assert "我的账号" in page and "137****1111" in page and "13700001111" not in page and "群众" in page
    assert "兴旺社区" not in page  # a resident role grants no view of the org tree
    assert reverse("orgs:tree") not in page


def test_member_without_staff_role_sees_their_own_member_record(cast, client_for):
    response = client_for(cast.user("member")).get(reverse("accounts:home"))
    page = text(response)
    assert response.status_code == 200
    member = cast.members["member"]
    assert "我的党员信息" in page and member.id_number_masked in page and "138****1234" in page
    assert "兴旺社区第一党支部" in page and "13859201234" not in page


def test_wrong_password_is_explained(cast, client):
    response = client.post(reverse("accounts:login"), {"username": "street_secretary", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名（手机号）或密码不正确" in text(response)


def test_five_failures_lock_the_account_with_a_chinese_page(cast, client):
    for _attempt in range(5):
        client.post(reverse("accounts:login"), {"username": "branch_secretary", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "branch_secretary", "password": PASSWORD})
    assert response.status_code == 429
    page = text(response)
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert client.get(reverse("orgs:tree")).status_code == 302


def test_pages_need_sign_in(client, cast):
    for url in (reverse("accounts:home"), reverse("orgs:tree"), reverse("orgs:members"), reverse("accounts:audit")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_audit_page_shows_shanghai_time_actor_action_and_diff(cast, client_for):
    services.org_update(actor=cast.user("street_secretary"), org=cast.orgs["community"], address="新阳路1号")
    entry = AuditEntry.objects.latest("sequence")
    shanghai = timezone.localtime(entry.occurred_at, datetime.timezone(datetime.timedelta(hours=8)))
    response = client_for(cast.user("inspector")).get(reverse("accounts:audit"))
    page = text(response)
    assert response.status_code == 200
    assert shanghai.strftime("%Y-%m-%d %H:%M:%S") in page
    assert "新阳街道书记" in page and "修改组织" in page and "中共新阳街道兴旺社区委员会" in page
    assert "地址" in page and "新阳路1号" in page
    assert "东孚" not in page  # the inspector's trail is their own subtree only


def test_audit_page_is_refused_without_audit_view(cast, client_for):
    response = client_for(cast.user("street_secretary")).get(reverse("accounts:audit"))
    assert response.status_code == 403
    assert "无权查看审计日志" in text(response)


@pytest.mark.parametrize("user_name", ["street_secretary", "resident", "member"])
def test_language_switch_to_english_and_back(cast, client_for, user_name):
    client = client_for(cast.user(user_name))
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("accounts:home")}, follow=True)
    page = text(response)
    assert '<html lang="en">' in page and "Sign out" in page and "中文" in page
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": reverse("accounts:home")}, follow=True)
    assert "退出" in text(response)


def test_staff_can_open_their_own_account_page(cast, client_for):
    response = client_for(cast.user("street_secretary")).get(reverse("accounts:me"))
    page = text(response)
    assert response.status_code == 200
    assert "我的账号" in page and "街道党工委书记 · 新阳街道" in page
    assert "我的党员信息" not in page

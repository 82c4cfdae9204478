"""The security controls of docs/security.md, each through the real stack (middleware, views, database)."""

import datetime
import time

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuntu.accounts.models import AuditEntry, User
from yuntu.core import uploads
from yuntu.core.cast import PASSWORD
from yuntu.security.middleware import LAST_SEEN_KEY
from yuntu.security.models import PasswordRecord
from yuntu.security.passwords import password_expired


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


# --- passwords -------------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["abcdefghijk", "abcdefgh1234", "ABCDEFGH1234"])
def test_simple_passwords_are_refused(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any("至少3类" in message for message in error.value.messages)


def test_a_complex_password_passes(db):
    validate_password("Qiao-Tou-2026")


def test_setting_a_password_records_its_age(cast):
    user = cast.user("branch_secretary")
    user.set_password("Xin-Mima-2026")
    user.save()
    record = PasswordRecord.objects.get(user=user)
    assert abs((record.changed_at - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60


def test_an_expired_staff_password_must_be_changed_first(cast, client, settings):
    user = cast.user("branch_secretary")
    PasswordRecord.objects.update_or_create(user=user, defaults={
        "changed_at": datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)})
    assert password_expired(user)
    sign_in(client, user)
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:password_change"))
    page = client.get(response.url)
    assert "请先修改密码" in page.content.decode()
    changed = client.post(response.url, {"old_password": PASSWORD, "new_password1": "Zheng-Gai-2026!",
                                         "new_password2": "Zheng-Gai-2026!", "next": reverse("orgs:tree")})
    assert changed.status_code == 302 and changed.url == reverse("orgs:tree")
    assert client.get(reverse("orgs:tree")).status_code == 200
    assert AuditEntry.objects.filter(action="account.password_change", object_id=str(user.pk)).exists()


def test_a_weak_new_password_is_refused_on_the_change_page(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    response = client.post(reverse("security:password_change"), {
        "old_password": PASSWORD, "new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"})
    assert response.status_code == 200 and "至少3类" in response.content.decode()


def test_residents_passwords_do_not_expire(cast, client, settings):
    resident = cast.user("resident")
    PasswordRecord.objects.update_or_create(user=resident, defaults={"changed_at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)})
    client.force_login(resident, backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    assert client.get(reverse("accounts:me")).status_code == 200


# --- lockout and session ---------------------------------------------------------------------

def test_the_sixth_try_is_locked_even_with_the_right_password(cast, client):
    user = cast.user("community_secretary")
    for _ in range(5):
        sign_in(client, user, "wrong-password")
    response = sign_in(client, user)
    assert response.status_code == 429 and "锁定" in response.content.decode()
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.filter(username=user.username).count() >= 5


def test_an_idle_session_is_signed_out(cast, client_for, settings):
    client = client_for(cast.user("branch_secretary"))
    assert client.get(reverse("orgs:tree")).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_an_active_session_goes_on(cast, client_for, settings):
    client = client_for(cast.user("branch_secretary"))
    client.get(reverse("orgs:tree"))
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 120
    session.save()
    assert client.get(reverse("orgs:tree")).status_code == 200


# --- second factor ---------------------------------------------------------------------------

def test_totp_enrolment_then_every_sign_in_asks_for_a_code(cast, client):
    user = cast.user("street_secretary")
    sign_in(client, user)
    page = client.get(reverse("security:otp_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(reverse("security:otp_setup"), {"token": "000000"}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post(reverse("security:otp_setup"), {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    client.post(reverse("accounts:logout"))
    sign_in(client, user)
    asked = client.get(reverse("orgs:tree"))
    assert asked.status_code == 302 and asked.url.startswith(reverse("security:otp_verify"))
    assert client.post(reverse("security:otp_verify"), {"token": "123456"}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0,
                                                   throttling_failure_timestamp=None)
    device.refresh_from_db()
    done = client.post(reverse("security:otp_verify"), {"token": f"{totp(device.bin_key):06d}",
                                                        "next": reverse("orgs:tree")})
    assert done.status_code == 302 and done.url == reverse("orgs:tree")
    assert client.get(reverse("orgs:tree")).status_code == 200


def test_staff_must_enrol_when_the_second_factor_is_required(cast, client_for, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client = client_for(cast.user("branch_secretary"))
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response.url.startswith(reverse("security:otp_setup"))


# --- headers ---------------------------------------------------------------------------------

def test_pages_carry_a_strict_csp_and_the_security_headers(cast, client_for):
    response = client_for(cast.user("branch_secretary")).get(reverse("orgs:tree"))
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_api_docs_load_their_script_from_a_url(client, db):
    page = client.get("/api/docs/").content.decode()
    assert '<script src="/api/docs/?script' in page.replace("&amp;", "&")
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


# --- personal data at rest -------------------------------------------------------------------

def test_personal_data_is_not_stored_in_clear(cast):
    member = cast.members["member"]
    from yuntu.core import crypto

    id_number = crypto.decrypt(member.id_number_encrypted)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM orgs_member WHERE id = %s", [member.pk])
        row = cursor.fetchone()
    assert len(id_number) == 18 and not any(id_number in str(value) for value in row)
    assert member.id_number_masked.count("*") >= 8


# --- administrator actions -------------------------------------------------------------------

def test_admin_log_entries_land_in_the_audit_trail(cast):
    system, org = User.objects.get(username="system"), cast.orgs["community"]
    LogEntry.objects.create(user=system, content_type=ContentType.objects.get_for_model(org), object_id=str(org.pk),
                            object_repr=str(org), action_flag=CHANGE, change_message="[]")
    entry = AuditEntry.objects.latest("sequence")
    assert entry.action == "admin.change" and entry.actor_id == system.pk
    assert entry.org_path == org.path and entry.after["object_id"] == str(org.pk)


def test_a_change_through_the_admin_site_is_audited(cast, client_for):
    from django.contrib.auth.models import Group

    client = client_for(User.objects.get(username="system"))
    response = client.post("/django-admin/auth/group/add/", {"name": "督导组"})
    assert response.status_code == 302 and Group.objects.filter(name="督导组").exists()
    entry = AuditEntry.objects.latest("sequence")
    assert entry.action == "admin.addition" and entry.after["object"] == "督导组"


# --- uploads by content ----------------------------------------------------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def test_an_upload_is_judged_by_its_content():
    assert uploads.sniff(SimpleUploadedFile("a.png", PNG)) == "png"
    assert uploads.check_upload(SimpleUploadedFile("现场.png", PNG), allowed={"png"}) == "png"
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        uploads.check_upload(SimpleUploadedFile("照片.jpg", PNG), allowed={"png", "jpeg"})
    with pytest.raises(ValidationError, match="内容与文件类型不符"):
        uploads.check_upload(SimpleUploadedFile("说明.pdf", b"#!/bin/sh\nrm -rf /\n"), allowed={"pdf"})


def test_an_office_file_must_really_be_one(tmp_path):
    import zipfile

    from openpyxl import Workbook

    real = tmp_path / "real.xlsx"
    Workbook().save(real)
    assert uploads.check_upload(SimpleUploadedFile("台账.xlsx", real.read_bytes()), allowed={"xlsx"}) == "xlsx"
    fake = tmp_path / "fake.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile("材料.docx", fake.read_bytes()), allowed={"docx"})
    with pytest.raises(ValidationError):  # a real workbook renamed .docx
        uploads.check_upload(SimpleUploadedFile("材料.docx", real.read_bytes()), allowed={"docx", "xlsx"})


def test_an_api_token_needs_the_code_once_the_second_factor_is_on(cast, client):
    user = cast.user("street_secretary")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    refused = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "otp_required"
    granted = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD,
                                               "otp_token": f"{totp(device.bin_key):06d}"}, content_type="application/json")
    assert granted.status_code == 200 and granted.json()["token"]

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yuntu.accounts.models import AuditEntry
from yuntu.core.cast import id_number
from yuntu.orgs import imports
from yuntu.orgs.models import ImportJob, Member

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BIRTH = datetime.date(1992, 5, 20)


def member_file(rows: list[list], name: str = "党员名单.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "党员信息"
    sheet.append([column.title for column in imports.MEMBER_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def row(name: str, serial: int, org: str) -> list:
    return [name, id_number("350205", BIRTH, serial), "", org, "正式党员", "2016-07-01", None, "否", None, "否", None, None]


def state() -> tuple:
    return Member.objects.count(), ImportJob.objects.count(), AuditEntry.objects.count()


def test_upload_runs_the_import_and_the_job_page_shows_the_outcome(cast, client_for):
    secretary = cast.user("street_secretary")
    client = client_for(secretary)
    page = client.get("/excel/import/")
    assert page.status_code == 200
    assert "/excel/template/members.xlsx" in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()
    branch = cast.orgs["branch"].name
    response = client.post("/excel/import/", {"kind": "members",
                                              "file": member_file([row("冯一", 1, branch), row("卫二", 2, branch)])})
    job = ImportJob.objects.get(created_by=secretary)
    assert response.status_code == 302 and response["Location"] == f"/excel/import/{job.pk}/"
    assert (job.status, job.total_rows, job.processed_rows, job.created_count) == ("succeeded", 2, 2, 2)
    assert job.org == cast.orgs["street"] and job.file_name == "党员名单.xlsx" and job.finished_at
    assert not job.file, "the uploaded workbook (ID numbers in clear) is not kept"
    assert Member.objects.filter(name__in=["冯一", "卫二"]).count() == 2
    text = client.get(f"/excel/import/{job.pk}/").content.decode()
    assert "已完成" in text and "新增 2 条" in text and "every 1s" not in text


def test_a_failed_import_lists_errors_by_row_and_column_and_writes_nothing(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    bad = row("蒋三", 3, cast.orgs["branch"].name)
    bad[1] = bad[1][:17] + ("0" if bad[1][17] != "0" else "1")
    members = Member.objects.count()
    client.post("/excel/import/", {"kind": "members", "file": member_file([row("沈四", 4, cast.orgs["branch"].name), bad])})
    job = ImportJob.objects.get(created_by=cast.user("street_secretary"))
    assert job.status == "failed" and job.created_count == 0
    assert job.errors == [{"row": 3, "column": "身份证号（B列）", "message": "身份证号码校验位不正确，请核对后重新输入。"}]
    assert Member.objects.count() == members
    text = client.get(f"/excel/import/{job.pk}/").content.decode()
    assert "未导入" in text and "第3行" in text and "身份证号（B列）" in text and "校验位" in text
    partial = client.get(f"/excel/import/{job.pk}/progress/", HTTP_HX_REQUEST="true").content.decode()
    assert "第3行" in partial and "hx-trigger" not in partial


def test_a_rejected_workbook_fails_the_job_with_a_chinese_message(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "手机号"])
    workbook.active.append(["王五", "13600001234"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.post("/excel/import/", {"kind": "members", "file": SimpleUploadedFile("x.xlsx", buffer.getvalue())})
    job = ImportJob.objects.get(created_by=cast.user("street_secretary"))
    assert job.status == "failed" and "表头缺少必填列" in job.errors[0]["message"]


def test_running_job_polls_with_htmx_and_a_fallback(cast, client_for):
    secretary = cast.user("street_secretary")
    street = cast.orgs["street"]
    job = ImportJob.objects.create(kind="members", org=street, org_path=street.path, created_by=secretary,
                                   file_name="a.xlsx", status="running", total_rows=200, processed_rows=50)
    client = client_for(secretary)
    page = client.get(f"/excel/import/{job.pk}/").content.decode()
    assert f'hx-get="/excel/import/{job.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    assert 'http-equiv="refresh"' in page and 'value="25"' in page
    partial = client.get(f"/excel/import/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "50 / 200" in partial and "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(status="succeeded", processed_rows=200, created_count=200)
    partial = client.get(f"/excel/import/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in partial and "新增 200 条" in partial


def test_non_xlsx_and_oversize_uploads_are_refused_before_a_job_exists(cast, client_for, settings):
    client = client_for(cast.user("street_secretary"))
    before = state()
    response = client.post("/excel/import/", {"kind": "members",
                                              "file": SimpleUploadedFile("名单.xlsx", b"name,id\n1,2\n", content_type=XLSX)})
    assert response.status_code == 400 and "不是 Excel 工作簿" in response.content.decode()
    response = client.post("/excel/import/", {"kind": "members", "file": SimpleUploadedFile("名单.csv", b"PK\x03\x04")})
    assert response.status_code == 400 and ".xlsx" in response.content.decode()
    settings.IMPORT_MAX_BYTES = 1024
    response = client.post("/excel/import/", {"kind": "members",
                                              "file": member_file([row(f"党员{i}", 10 + i, "兴旺社区第一党支部") for i in range(40)])})
    assert response.status_code == 400 and "超过上限" in response.content.decode()
    response = client.post("/excel/import/", {"kind": "members"})
    assert response.status_code == 400 and "请选择要上传的 Excel 文件" in response.content.decode()
    response = client.post("/excel/import/", {"file": member_file([row("杨六", 61, "兴旺社区第一党支部")])})
    assert response.status_code == 400 and "error-text" in response.content.decode()
    assert state() == before


def test_the_upload_needs_a_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.user("street_secretary"), backend="yuntu.accounts.backends.MobileOrUsernameBackend")
    before = state()
    response = client.post("/excel/import/", {"kind": "members", "file": member_file([row("韩五", 50, "兴旺社区第一党支部")])})
    assert response.status_code == 403
    assert state() == before


def test_import_page_needs_the_import_permission(cast, client_for):
    before = state()
    client = client_for(cast.user("branch_secretary"))
    assert client.get("/excel/import/").status_code == 403
    response = client.post("/excel/import/", {"kind": "members", "file": member_file([row("杨六", 60, "兴旺社区第一党支部")])})
    assert response.status_code == 403
    assert state() == before


def test_outsider_cannot_see_another_users_import_job(cast, client_for):
    secretary = cast.user("street_secretary")
    client_for(secretary).post("/excel/import/", {"kind": "members",
                                                  "file": member_file([row("朱七", 70, "兴旺社区第一党支部")])})
    job = ImportJob.objects.get(created_by=secretary)
    for name in ("outsider", "community_secretary", "district_officer"):
        client = client_for(cast.user(name))
        assert client.get(f"/excel/import/{job.pk}/").status_code == 404, name
        assert client.get(f"/excel/import/{job.pk}/progress/").status_code == 404, name
        listing = client.get("/excel/import/")
        assert listing.status_code == 403 or f"/excel/import/{job.pk}/" not in listing.content.decode(), name
    assert client_for(secretary).get(f"/excel/import/{job.pk}/").status_code == 200


def test_an_org_import_through_the_page(cast, client_for):
    secretary = cast.user("community_secretary")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "党组织信息"
    sheet.append([column.title for column in imports.ORG_COLUMNS])
    sheet.append(["兴旺社区锦绣小区党支部", cast.orgs["community"].name, "党支部", "小区（兼合式）党支部", "社区"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client_for(secretary).post("/excel/import/", {"kind": "orgs", "file": SimpleUploadedFile("组织.xlsx", buffer.getvalue())})
    job = ImportJob.objects.get(created_by=secretary)
    assert (job.status, job.kind, job.created_count) == ("succeeded", "orgs", 1), job.errors
    assert job.org == cast.orgs["community"]

import datetime
import io
import json
from urllib.parse import quote

import openpyxl
import pytest

from yuntu.accounts.models import AuditEntry
from yuntu.core import crypto
from yuntu.core.cast import id_number
from yuntu.orgs import exports, imports
from yuntu.orgs.models import Member


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def text_of(rows) -> str:
    return " ".join(str(cell) for row in rows for cell in row if cell is not None)


def test_member_export_is_masked_and_limited_to_the_users_scope(cast, client_for):
    member, other = cast.members["member"], cast.members["other_member"]
    response = client_for(cast.user("street_secretary")).get("/excel/export/members.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="members-') and f"filename*=UTF-8''{quote('党员名单_')}" in disposition
    rows = sheet_rows(response)
    assert rows[0] == tuple(exports.MEMBER_EXPORT_HEADERS)
    text = text_of(rows)
    assert "林晓红" in text and member.id_number_masked in text and member.mobile_masked in text
    assert "邱文彬" not in text and other.id_number_masked not in text
    clear = crypto.decrypt(member.id_number_encrypted)
    assert clear not in text and "13859201234" not in text


def test_outsiders_export_holds_only_their_own_members(cast, client_for):
    rows = sheet_rows(client_for(cast.user("outsider")).get("/excel/export/members.xlsx"))
    text = text_of(rows)
    assert "邱文彬" in text and "林晓红" not in text and "兴旺社区" not in text


def test_member_export_follows_the_list_filters(cast, client_for):
    client = client_for(cast.user("district_officer"))
    everyone = text_of(sheet_rows(client.get("/excel/export/members.xlsx")))
    assert "林晓红" in everyone and "邱文彬" in everyone
    under_street = text_of(sheet_rows(client.get(f"/excel/export/members.xlsx?org={cast.orgs['street'].pk}")))
    assert "林晓红" in under_street and "邱文彬" not in under_street
    by_name = text_of(sheet_rows(client.get("/excel/export/members.xlsx?q=qwb")))
    assert "邱文彬" in by_name and "林晓红" not in by_name
    probationary = sheet_rows(client.get("/excel/export/members.xlsx?status=probationary"))
    assert len(probationary) == 1 + Member.objects.filter(status="probationary", is_active=True).count()
    floating = text_of(sheet_rows(client.get("/excel/export/members.xlsx?floating=1")))
    assert "林晓红" not in floating


def test_export_of_another_subtree_is_not_found(cast, client_for):
    client = client_for(cast.user("street_secretary"))
    assert client.get(f"/excel/export/members.xlsx?org={cast.orgs['other_branch'].pk}").status_code == 404
    assert client.get(f"/excel/export/orgs.xlsx?org={cast.orgs['other_street'].pk}").status_code == 404
    assert client.get("/excel/export/members.xlsx?org=abc").status_code == 404


def test_export_needs_the_view_permission(cast, client_for):
    client = client_for(cast.user("resident"))
    entries = AuditEntry.objects.count()
    assert client.get("/excel/export/members.xlsx").status_code == 403
    assert client.get("/excel/export/orgs.xlsx").status_code == 403
    assert client_for(cast.user("department_handler")).get("/excel/export/members.xlsx").status_code == 403
    assert AuditEntry.objects.count() == entries


def test_member_export_is_audited_without_personal_data(cast, client_for):
    entries = AuditEntry.objects.count()
    client_for(cast.user("street_secretary")).get("/excel/export/members.xlsx?q=林")
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.action == "member.export" and entry.org_path == cast.orgs["street"].path
    assert entry.after["rows"] == 1 and "林晓红" not in json.dumps(entry.after, ensure_ascii=False)


def test_org_export_lists_the_visible_tree_with_ids_and_parents(cast, client_for):
    rows = sheet_rows(client_for(cast.user("street_secretary")).get("/excel/export/orgs.xlsx"))
    assert rows[0] == tuple(exports.ORG_EXPORT_HEADERS)
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"中共海沧区新阳街道工作委员会", "中共新阳街道兴旺社区委员会", "兴旺社区第一党支部"}
    branch = by_name["兴旺社区第一党支部"]
    assert branch[0] == cast.orgs["branch"].pk and branch[2] == "中共新阳街道兴旺社区委员会" and branch[3] == "党支部"
    assert by_name["中共海沧区新阳街道工作委员会"][2] in ("", None)  # the district above is not the secretary's to see
    assert branch[12] >= 1
    outsider = text_of(sheet_rows(client_for(cast.user("outsider")).get("/excel/export/orgs.xlsx")))
    assert "山边社区第一党支部" in outsider and "兴旺社区" not in outsider and "新阳" not in outsider


def test_org_export_under_one_org(cast, client_for):
    client = client_for(cast.user("district_officer"))
    response = client.get(f"/excel/export/orgs.xlsx?org={cast.orgs['other_street'].pk}")
    names = [row[1] for row in sheet_rows(response)[1:]]
    assert names == ["中共海沧区东孚街道工作委员会", "中共东孚街道山边社区委员会", "山边社区第一党支部"]
    assert f"filename*=UTF-8''{quote('党组织_中共海沧区东孚街道工作委员会_')}" in response["Content-Disposition"]


@pytest.mark.parametrize(("url", "sheet", "columns"), [
    ("/excel/template/members.xlsx", "党员信息", imports.MEMBER_COLUMNS),
    ("/excel/template/orgs.xlsx", "党组织信息", imports.ORG_COLUMNS),
])
def test_templates_have_headers_pick_lists_an_example_and_instructions(cast, client_for, url, sheet, columns):
    response = client_for(cast.user("street_secretary")).get(url)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [sheet, "可选组织", "填写说明"]
    data = workbook[sheet]
    assert [cell.value for cell in data[1]] == [column.title for column in columns]
    assert str(data["A2"].value).startswith(imports.EXAMPLE_MARK)
    formulas = [validation.formula1 for validation in data.data_validations.dataValidation]
    assert any("正式党员" in formula or "党支部" in formula for formula in formulas)
    assert any("可选组织" in formula for formula in formulas)
    listed = [row[1] for row in workbook["可选组织"].iter_rows(min_row=2, values_only=True)]
    assert "兴旺社区第一党支部" in listed and "山边社区第一党支部" not in listed
    guide = " ".join(str(row[0]) for row in workbook["填写说明"].iter_rows(values_only=True) if row[0])
    assert "示例" in guide and "组织ID" in guide


def test_the_template_with_its_example_row_reads_as_empty_and_filled_in_imports(cast, client_for):
    secretary = cast.user("street_secretary")
    content = b"".join(client_for(secretary).get("/excel/template/members.xlsx").streaming_content)
    result = imports.import_members(actor=secretary, file=io.BytesIO(content))
    assert not result.ok and "没有数据行" in result.errors[0]["message"]
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["党员信息"]
    sheet.append(["何十一", id_number("350205", datetime.date(1990, 3, 8), 161), "13700002222", "兴旺社区第一党支部", "正式党员", "2010-07-01", None, "否",
                  None, "是", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = imports.import_members(actor=secretary, file=buffer)
    assert result.ok, result.errors
    assert Member.objects.filter(name="何十一").exists()


def test_templates_need_the_import_permission(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    assert client.get("/excel/template/members.xlsx").status_code == 403

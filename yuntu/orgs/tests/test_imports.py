import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from yuntu.accounts.models import AuditEntry
from yuntu.core import crypto
from yuntu.core.cast import id_number
from yuntu.orgs import imports, selectors, services
from yuntu.orgs.models import Level, Member, MemberStatus, Org, OrgMemberCount

MEMBER_HEADERS = [column.title for column in imports.MEMBER_COLUMNS]
ORG_HEADERS = [column.title for column in imports.ORG_COLUMNS]
BIRTH = datetime.date(1990, 3, 8)


def workbook_bytes(headers: list, rows: list[list], *, sheet_title: str = "党员信息") -> io.BytesIO:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def member_row(name: str, serial: int, org, *, status: str = "正式党员", mobile: str = "", joined="2015-07-01",
               probation_end=None, floating="否", in_service="是") -> list:
    return [name, id_number("350205", BIRTH, serial), mobile, org, status, joined, probation_end, floating, "",
            in_service, "某单位", "某小区"]


def counts_of(*orgs) -> list[tuple[int, int]]:
    return [tuple(OrgMemberCount.objects.filter(org=org).values_list("full", "probationary").get()) for org in orgs]


def snapshot() -> tuple:
    return (Member.objects.count(), Org.objects.count(), AuditEntry.objects.count(),
            sorted(OrgMemberCount.objects.values_list("org_id", "full", "probationary")))


def test_good_import_creates_members_and_rolls_up_counts(cast):
    secretary = cast.user("street_secretary")
    branch, community, street = cast.orgs["branch"], cast.orgs["community"], cast.orgs["street"]
    before_counts = counts_of(branch, community)
    before_subtree = selectors.subtree_member_counts(street)
    audits = AuditEntry.objects.count()
    rows = [
        member_row("黄志明", 501, branch.name, mobile="13600001234"),
        member_row("陈美玲", 502, str(community.pk), status="预备党员", joined="2025/07/01", probation_end="2026年7月1日"),
        member_row("吴建国", 503, branch.name, joined=datetime.date(2001, 7, 1), floating="是", in_service="否"),
        ["【示例】张三", "11010519491231002X", "", "某某社区第一党支部", "正式党员"] + [None] * 7,
        [None] * 12,
    ]
    result = imports.import_members(actor=secretary, file=workbook_bytes(MEMBER_HEADERS, rows), file_name="名单.xlsx")

    assert result.ok, result.errors
    assert (result.created_count, result.total_rows) == (3, 3)
    created = {member.name: member for member in Member.objects.filter(name__in=["黄志明", "陈美玲", "吴建国"])}
    assert set(created) == {"黄志明", "陈美玲", "吴建国"}
    huang = created["黄志明"]
    clear = id_number("350205", BIRTH, 501)
    assert huang.id_number_digest == crypto.digest(clear) and crypto.decrypt(huang.id_number_encrypted) == clear
    assert huang.id_number_masked == clear[:4] + "*" * 10 + clear[-4:] and huang.mobile_masked == "136****1234"
    assert huang.birth_date == BIRTH and huang.gender and huang.org_path == branch.path
    assert "huangzhiming" in huang.search_text and "hzm" in huang.search_text
    chen = created["陈美玲"]
    assert chen.status == MemberStatus.PROBATIONARY and chen.probation_end == datetime.date(2026, 7, 1)
    assert chen.joined_on == datetime.date(2025, 7, 1) and chen.org_path == community.path
    assert created["吴建国"].floating and not created["吴建国"].in_service

    (branch_full, branch_prob), (community_full, community_prob) = before_counts
    assert counts_of(branch, community) == [(branch_full + 2, branch_prob), (community_full, community_prob + 1)]
    after_subtree = selectors.subtree_member_counts(street)
    assert after_subtree["total"] == before_subtree["total"] + 3
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.action == "member.import" and entry.after["created"] == 3 and entry.after["probationary"] == 1
    assert entry.org_path == community.path  # the deepest org above every imported row
    services.member_counts_rebuild()
    assert counts_of(branch, community) == [(branch_full + 2, branch_prob), (community_full, community_prob + 1)]


def test_one_wrong_check_digit_writes_nothing_and_names_row_and_column(cast):
    good = id_number("350205", BIRTH, 511)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [member_row("王五", 510, cast.orgs["branch"].name), member_row("赵六", 511, cast.orgs["branch"].name)]
    rows[1][1] = bad
    before = snapshot()
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert not result.ok and result.created_count == 0
    assert result.errors == [{"row": 3, "column": "身份证号（B列）", "message": "身份证号码校验位不正确，请核对后重新输入。"}]
    assert snapshot() == before


def test_member_for_an_org_outside_scope_is_an_error_and_nothing_is_written(cast):
    other_branch = cast.orgs["other_branch"]
    rows = [member_row("王五", 520, cast.orgs["branch"].name),
            member_row("钱七", 521, other_branch.name),
            member_row("孙八", 522, str(other_branch.pk))]
    before = snapshot()
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert [(error["row"], error["column"]) for error in result.errors] == [(3, "所属党组织（D列）"), (4, "所属党组织（D列）")]
    assert all("不在您的管理范围内" in error["message"] for error in result.errors)
    assert snapshot() == before


def test_every_error_is_reported_by_row_and_column(cast):
    branch = cast.orgs["branch"].name
    existing = id_number("350205", datetime.date(1985, 6, 15), 12)  # 林晓红's
    rows = [
        member_row("甲", 530, branch),
        member_row("乙", 530, branch),  # same ID as row 2
        member_row("丙", 531, branch, status="党员"),
        member_row("丁", 532, branch, status="预备党员"),  # no end of probation
        member_row("戊", 533, cast.orgs["street"].name),  # a street holds no members directly
        member_row("己", 534, branch, mobile="12345", joined="2015-13-45", floating="也许"),
        member_row("", 535, branch),
        member_row("庚", 536, "不存在的支部"),
        member_row("辛", 537, branch, joined=datetime.date(2099, 1, 1)),
        [*member_row("壬", 538, branch)[:1], existing, *member_row("壬", 538, branch)[2:]],
    ]
    before = snapshot()
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    found = {(error["row"], error["column"].split("（")[0]) for error in result.errors}
    assert found == {
        (3, "身份证号"), (4, "党员类别"), (5, "预备期满日期"), (6, "所属党组织"), (7, "手机号"), (7, "入党日期"),
        (7, "是否流动党员"), (8, "姓名"), (9, "所属党组织"), (10, "入党日期"), (11, "身份证号"),
    }
    messages = {(error["row"], error["column"].split("（")[0]): error["message"] for error in result.errors}
    assert messages[(3, "身份证号")] == "身份证号与第2行重复。"
    assert messages[(11, "身份证号")] == "该身份证号码已登记为党员。"
    assert "党支部" in messages[(6, "所属党组织")]
    assert [error["row"] for error in result.errors] == sorted(error["row"] for error in result.errors)
    assert snapshot() == before


def test_ambiguous_org_name_must_be_given_by_id(cast):
    root = cast.user("district_officer")
    first = services.org_create(actor=root, parent=cast.orgs["branch"], name="第一党小组", level=Level.GROUP)
    services.org_create(actor=root, parent=cast.orgs["branch"], name="第一党小组", level=Level.GROUP)
    rows = [member_row("王五", 540, "第一党小组"), member_row("赵六", 541, str(first.pk))]
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert [(error["row"], error["column"]) for error in result.errors] == [(2, "所属党组织（D列）")]
    assert "组织ID" in result.errors[0]["message"]
    rows = [member_row("赵六", 541, str(first.pk))]
    assert imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows)).ok
    assert Member.objects.get(name="赵六").org_id == first.pk


def test_an_id_number_stored_as_a_number_is_explained(cast):
    rows = [member_row("王五", 550, cast.orgs["branch"].name)]
    rows[0][1] = 350205199003085501.0
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert "文本" in result.errors[0]["message"]


def test_columns_may_come_in_another_order_and_optional_ones_may_be_missing(cast):
    headers = ["所属党组织", "党员类别", "姓名*", "身份证号"]
    rows = [[cast.orgs["branch"].name, "正式", "周九", id_number("350205", BIRTH, 560)]]
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(headers, rows))
    assert result.ok, result.errors
    assert Member.objects.get(name="周九").status == MemberStatus.FULL


def test_errors_name_the_letter_of_the_column_in_the_uploaded_file(cast):
    headers = ["身份证号", "姓名", "所属党组织", "党员类别"]
    rows = [["123", "周九", cast.orgs["branch"].name, "正式党员"]]
    result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(headers, rows))
    assert result.errors[0]["column"] == "身份证号（A列）"


@pytest.mark.parametrize(("content", "message"), [
    (b"name,id\n\xe5\xbc\xa0\xe4\xb8\x89,1\n", "不是 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04 broken zip", "损坏"),
    (b"", "空的"),
])
def test_a_file_that_is_not_an_xlsx_is_refused(cast, content, message):
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=cast.user("street_secretary"), file=io.BytesIO(content))
    assert message in caught.value.message
    assert snapshot() == before


def test_a_zip_that_is_not_a_workbook_is_refused(cast):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    buffer.seek(0)
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=cast.user("street_secretary"), file=buffer)
    assert "不是 Excel 工作簿" in caught.value.message


def test_an_oversize_file_is_refused(cast, settings):
    settings.IMPORT_MAX_BYTES = 2048
    rows = [member_row(f"党员{index}", 600 + index, cast.orgs["branch"].name) for index in range(50)]
    file = workbook_bytes(MEMBER_HEADERS, rows)
    assert len(file.getvalue()) > 2048
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=cast.user("street_secretary"), file=file)
    assert "超过上限" in caught.value.message
    assert snapshot() == before


def test_too_many_rows_are_refused(cast, monkeypatch):
    monkeypatch.setitem(imports.MAX_ROWS, "members", 3)
    rows = [member_row(f"党员{index}", 700 + index, cast.orgs["branch"].name) for index in range(4)]
    before = snapshot()
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert "上限3行" in caught.value.message
    assert snapshot() == before


def test_missing_header_columns_and_empty_sheets_are_refused(cast):
    secretary = cast.user("street_secretary")
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=secretary, file=workbook_bytes(["姓名", "手机号"], [["王五", "13600001234"]]))
    assert caught.value.message.startswith("表头缺少必填列：身份证号、所属党组织、党员类别")
    with pytest.raises(imports.ImportRejected) as caught:
        imports.import_members(actor=secretary, file=workbook_bytes([], []))
    assert "表格是空的" in caught.value.message
    result = imports.import_members(actor=secretary, file=workbook_bytes(MEMBER_HEADERS, []))
    assert not result.ok and "没有数据行" in result.errors[0]["message"]


def test_importing_needs_the_import_permission(cast):
    rows = [member_row("王五", 800, cast.orgs["branch"].name)]
    with pytest.raises(PermissionDenied):
        imports.import_members(actor=cast.user("branch_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))


def test_import_cost_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    rows = [member_row(f"党员{index}", index, cast.orgs["branch"].name) for index in range(100, 400)]
    with django_assert_max_num_queries(40):
        result = imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows))
    assert result.ok and result.created_count == 300


def test_progress_is_reported_while_checking(cast, monkeypatch):
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen = []
    rows = [member_row(f"党员{index}", 900 + index, cast.orgs["branch"].name) for index in range(5)]
    imports.import_members(actor=cast.user("street_secretary"), file=workbook_bytes(MEMBER_HEADERS, rows),
                           progress=lambda processed, total: seen.append((processed, total)))
    assert seen == [(2, 5), (4, 5), (5, 5)]


# ---------------------------------------------------------------- orgs


def org_row(name: str, parent: str, level: str, **extra) -> list:
    values = {"kind": "", "sector": "", "division_code": "", "temporary": "否", "end_date": None, "address": "",
              "short_name": ""} | extra
    return [name, parent, level, values["kind"], values["sector"], values["division_code"], values["temporary"],
            values["end_date"], values["address"], values["short_name"]]


def test_org_import_creates_a_subtree_whose_parents_are_earlier_rows(cast):
    secretary = cast.user("street_secretary")
    community = cast.orgs["community"]
    audits = AuditEntry.objects.count()
    rows = [
        org_row("兴旺社区锦园小区党支部", community.name, "党支部", kind="小区（兼合式）党支部", sector="社区"),
        org_row("锦园小区第一党小组", "兴旺社区锦园小区党支部", "党小组", kind="楼栋党小组"),
        org_row("兴旺社区防汛临时党支部", str(community.pk), "党支部", temporary="是", end_date="2026-10-31",
                short_name="防汛临时支部"),
    ]
    result = imports.import_orgs(actor=secretary, file=workbook_bytes(ORG_HEADERS, rows, sheet_title="党组织信息"),
                                 file_name="orgs.xlsx")
    assert result.ok, result.errors
    assert result.created_count == 3
    estate = Org.objects.get(name="兴旺社区锦园小区党支部")
    group = Org.objects.get(name="锦园小区第一党小组")
    temporary = Org.objects.get(name="兴旺社区防汛临时党支部")
    assert Org.objects.get_parent(estate) == community and Org.objects.get_parent(group) == estate
    assert (estate.kind, estate.sector, group.level) == ("estate", "community", Level.GROUP)
    assert temporary.temporary and temporary.end_date == datetime.date(2026, 10, 31)
    assert temporary.short_name == "防汛临时支部"
    assert OrgMemberCount.objects.filter(org__in=[estate, group, temporary]).count() == 3
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True)[audits:])
    assert actions == ["org.create"] * 3 + ["org.import"]


def test_org_import_checks_scope_levels_order_and_duplicates(cast):
    secretary = cast.user("street_secretary")
    community = cast.orgs["community"]
    rows = [
        org_row("越权党支部", cast.orgs["other_community"].name, "党支部"),  # outside scope
        org_row("倒挂党委", cast.orgs["branch"].name, "社区（村）党组织"),  # higher level than its parent
        org_row("子支部", "后面才定义的党委", "党支部"),  # parent defined on a later row
        org_row("后面才定义的党委", community.name, "社区（村）党组织", division_code="12345"),
        org_row("兴旺社区第一党支部", community.name, "党支部"),  # already exists under that parent
        org_row("临时支部", community.name, "党支部", temporary="是"),  # no end date
        org_row("好支部", community.name, "支部"),  # not a level
    ]
    before = snapshot()
    result = imports.import_orgs(actor=secretary, file=workbook_bytes(ORG_HEADERS, rows, sheet_title="党组织信息"))
    found = {(error["row"], error["column"].split("（")[0]) for error in result.errors}
    assert found == {(2, "上级组织"), (3, "层级"), (4, "上级组织"), (5, "行政区划代码"), (6, "组织名称"),
                     (7, "撤销日期"), (8, "层级")}
    messages = {error["row"]: error["message"] for error in result.errors}
    assert "不在您的管理范围内" in messages[2]
    assert "第5行才定义" in messages[4]
    assert snapshot() == before


def test_org_import_needs_org_change_on_the_parent(cast):
    # The community secretary may import, but not under the street above them.
    rows = [org_row("新社区党委", cast.orgs["street"].name, "社区（村）党组织")]
    before = snapshot()
    result = imports.import_orgs(actor=cast.user("community_secretary"),
                                 file=workbook_bytes(ORG_HEADERS, rows, sheet_title="党组织信息"))
    assert [(error["row"], error["column"]) for error in result.errors] == [(2, "上级组织（B列）")]
    assert snapshot() == before


def test_member_import_of_a_freshly_imported_org_by_name(cast):
    secretary = cast.user("street_secretary")
    rows = [org_row("兴旺社区第二党支部", cast.orgs["community"].name, "党支部")]
    assert imports.import_orgs(actor=secretary, file=workbook_bytes(ORG_HEADERS, rows, sheet_title="党组织信息")).ok
    result = imports.import_members(actor=secretary, file=workbook_bytes(MEMBER_HEADERS, [
        member_row("郑十", 950, "兴旺社区第二党支部", status="预备党员", joined="2025-07-01", probation_end="2026-07-01"),
    ]))
    assert result.ok, result.errors
    new_branch = Org.objects.get(name="兴旺社区第二党支部")
    assert counts_of(new_branch) == [(0, 1)]


def test_formatted_empty_rows_do_not_count_against_the_limit(cast, monkeypatch):
    monkeypatch.setitem(imports.MAX_ROWS, "members", 3)
    file = workbook_bytes(MEMBER_HEADERS, [member_row("王五", 960, cast.orgs["branch"].name)])
    workbook = openpyxl.load_workbook(file)
    workbook.active.cell(row=5000, column=2).number_format = "@"  # the sheet now declares 5,000 rows
    file = io.BytesIO()
    workbook.save(file)
    file.seek(0)
    result = imports.import_members(actor=cast.user("street_secretary"), file=file)
    assert result.ok and result.created_count == 1

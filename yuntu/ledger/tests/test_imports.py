"""Importing the sheet units keep today: every row checked, errors by row and column, all or nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.ledger import imports
from yuntu.ledger.exports import TEMPLATE_HEADERS
from yuntu.ledger.models import LedgerEvent, Measure, Problem
from yuntu.ledger.workflow import MeasureStatus, ProblemStatus


def days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def workbook(rows, headers=TEMPLATE_HEADERS, name="台账.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "整改台账"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


BRANCH = "兴旺社区第一党支部"
COMMUNITY = "中共新阳街道兴旺社区委员会"


def good_rows():
    return [
        [1, "小区消防通道被占用", "群众反映", "民生保障", days(-20), "清理占道车辆并施划禁停标线", BRANCH, "王建国",
         days(30), "已清理车辆12辆"],
        [1, None, None, None, None, "设置集中充电点位", BRANCH, "李明", days(45).isoformat(), None],
        [2, "社区议事协商机制不健全", "调研", "基层治理", f"{days(-10):%Y年%m月%d日}", "制定议事规则，每月召开议事会",
         COMMUNITY, "陈芳", f"{days(60):%Y/%m/%d}", ""],
        [2, "", "", "", "", "支部书记带头联系居民楼栋", BRANCH, "王建国", days(60), None],
    ]


def snapshot():
    return (Problem.objects.count(), Measure.objects.count(), LedgerEvent.objects.count(), AuditEntry.objects.count())


def test_a_good_sheet_creates_problems_and_measures_through_the_services(cast):
    audit_before = AuditEntry.objects.count()
    result = imports.import_ledger(actor=cast.user("community_secretary"), upload=workbook(good_rows()))
    assert result.ok, [str(error) for error in result.errors]
    assert len(result.problems) == 2 and result.measures == 4
    first = Problem.objects.get(title="小区消防通道被占用")
    assert first.org == cast.orgs["branch"] and first.source == "residents" and first.category == "livelihood"
    assert first.status == ProblemStatus.SUBMITTED and first.found_on == days(-20)
    measures = list(first.measures.order_by("id"))
    assert [m.responsible_person for m in measures] == ["王建国", "李明"]
    assert all(m.status == MeasureStatus.PLANNED for m in measures)
    assert measures[0].text == "清理占道车辆并施划禁停标线\n（导入时进展情况：已清理车辆12辆）"
    assert not measures[0].progress_reports.exists() and measures[0].percent == 0  # no transition is faked
    second = Problem.objects.get(title="社区议事协商机制不健全")
    assert second.org == cast.orgs["community"] and second.source == "research" and second.found_on == days(-10)
    assert {m.org for m in second.measures.all()} == {cast.orgs["community"], cast.orgs["branch"]}
    assert second.measures.get(org=cast.orgs["community"]).deadline == days(60)
    assert AuditEntry.objects.count() == audit_before + 6
    assert set(LedgerEvent.objects.values_list("action", flat=True)) == {"create", "measure_add"}


def test_one_bad_row_writes_nothing_and_is_listed_by_row_and_column(cast):
    rows = good_rows()
    rows[1][8] = "下个月"  # 完成时限 of row 3
    rows[2][2] = "网上看到"  # 问题来源 of row 4
    rows[3][5] = ""  # 整改措施 of row 5
    rows.append([3, "未来的问题", "自查自纠", "作风建设", days(5), "整改措施内容", BRANCH, "", days(9), None])
    before = snapshot()
    result = imports.import_ledger(actor=cast.user("community_secretary"), upload=workbook(rows))
    assert not result.ok and snapshot() == before
    messages = [str(error) for error in result.errors]
    assert "第3行“完成时限”：“下个月”不是有效日期，请按 2026-10-08 的格式填写。" in messages
    assert any(m.startswith("第4行“问题来源”：“网上看到”不是可选的问题来源") for m in messages)
    assert "第5行“整改措施”：请填写具体的整改措施（至少4个字）。" in messages
    assert "第6行“发现日期”：发现日期不能晚于今天。" in messages
    assert "第6行“责任人”：请填写责任人。" in messages
    assert [error.row for error in result.errors] == sorted(error.row for error in result.errors)


def test_units_outside_the_importers_scope_are_refused(cast):
    rows = [[1, "楼道堆物长期未清理", "群众反映", "民生保障", days(-3), "清理楼道堆物", "山边社区第一党支部", "邱某",
             days(9), None],
            [2, "支部活动阵地不足", "自查自纠", "党的建设", days(-3), "协调共建单位提供场地", COMMUNITY, "王建国",
             days(9), None]]
    before = snapshot()
    result = imports.import_ledger(actor=cast.user("branch_secretary"), upload=workbook(rows))
    assert snapshot() == before
    assert [str(error) for error in result.errors] == [
        "第2行“责任单位”：“山边社区第一党支部”不存在或不在您的填报范围内，请填写单位全称。",
        f"第3行“责任单位”：“{COMMUNITY}”不存在或不在您的填报范围内，请填写单位全称。",
    ]


def test_a_measure_unit_must_be_the_problem_unit_or_below(cast):
    rows = [[1, "支部活动阵地不足", "自查自纠", "党的建设", days(-3), "协调共建单位提供场地", BRANCH, "王建国",
             days(9), None],
            [1, None, None, None, None, "社区统筹安排活动场地", COMMUNITY, "陈芳", days(9), None],
            [1, "另一个问题标题", None, None, None, "第三项措施内容", BRANCH, "陈芳", days(9), None]]
    result = imports.import_ledger(actor=cast.user("community_secretary"), upload=workbook(rows))
    assert not Problem.objects.exists()
    messages = [str(error) for error in result.errors]
    assert f"第3行“责任单位”：“{COMMUNITY}”不是问题所属单位“{BRANCH}”或其下级单位。" in messages
    assert any(m.startswith("第4行“问题”：与序号1第一行（第2行）不一致") for m in messages)


def test_the_file_itself_is_checked(cast):
    user = cast.user("community_secretary")
    result = imports.import_ledger(actor=user, upload=SimpleUploadedFile("台账.csv", b"a,b"))
    assert [str(error) for error in result.errors] == ["文件：请上传 Excel 文件（.xlsx），可先下载导入模板。"]
    result = imports.import_ledger(actor=user, upload=SimpleUploadedFile("台账.xlsx", b"not a zip at all"))
    assert "不是有效的 .xlsx 工作簿" in str(result.errors[0])
    result = imports.import_ledger(actor=user, upload=SimpleUploadedFile("台账.xlsx", b"PK\x03\x04broken"))
    assert "文件无法读取" in str(result.errors[0])
    big = SimpleUploadedFile("台账.xlsx", b"PK\x03\x04" + b"0" * imports.MAX_BYTES)
    assert "超过5MB" in str(imports.import_ledger(actor=user, upload=big).errors[0])
    result = imports.import_ledger(actor=user, upload=workbook([], headers=["序号", "问题", "整改措施"]))
    assert "缺少列：问题来源、问题类别、发现日期、责任单位、责任人、完成时限。" in str(result.errors[0])
    result = imports.import_ledger(actor=user, upload=workbook([]))
    assert str(result.errors[0]) == "文件：文件中没有数据行。"
    assert not Problem.objects.exists()


@pytest.mark.parametrize("text", ["2026-10-08", "2026/10/8", "2026.10.08", "2026年10月8日", "2026-10-08 00:00:00"])
def test_dates_are_read_as_units_write_them(text):
    assert imports.parse_date(text) == datetime.date(2026, 10, 8)


def test_the_downloaded_template_imports_once_filled(cast, client_for):
    client = client_for(cast.user("community_secretary"))
    response = client.get(reverse("ledger:import_template"))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["整改台账"]
    assert [cell.value for cell in sheet[1]] == TEMPLATE_HEADERS
    options = [row[2] for row in book["可选值"].iter_rows(min_row=2, values_only=True) if row[2]]
    assert options == [COMMUNITY, BRANCH]
    assert "山边社区第一党支部" not in options
    sheet.append([1, "楼道堆物长期未清理", "群众反映", "民生保障", days(-2), "清理楼道堆物并建立巡查制度", BRANCH,
                  "王建国", days(20), None])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(reverse("ledger:import"), {"file": SimpleUploadedFile("模板.xlsx", buffer.getvalue())})
    assert response.status_code == 302 and response["Location"] == reverse("ledger:list")
    assert Problem.objects.get().title == "楼道堆物长期未清理" and Measure.objects.count() == 1


def test_the_import_page_lists_errors_and_writes_nothing(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    assert client.get(reverse("ledger:import")).status_code == 200
    rows = good_rows()[:2]
    rows[1][7] = ""
    response = client.post(reverse("ledger:import"), {"file": workbook(rows)})
    body = response.content.decode()
    assert response.status_code == 400 and "整份文件未导入" in body and "请填写责任人。" in body
    assert not Problem.objects.exists()
    response = client.post(reverse("ledger:import"), {})
    assert response.status_code == 400 and "请选择要导入的文件。" in response.content.decode()
    response = client.post(reverse("ledger:import"), {"file": workbook(good_rows()[:2])})
    assert response.status_code == 302 and Problem.objects.count() == 1
    assert client_for(cast.user("inspector")).post(reverse("ledger:import"),
                                                   {"file": workbook(good_rows())}).status_code == 403
    assert Problem.objects.count() == 1

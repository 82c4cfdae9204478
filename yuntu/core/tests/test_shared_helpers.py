import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from openpyxl import Workbook

from yuntu.core import commands, sheets


def _workbook(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("表.xlsx", buffer.getvalue())


def _read(upload):
    return sheets.read_rows(upload, sheet="表", headers=["序号", "名称", "日期"], required=["序号", "名称"],
                            aliases={"编号": "序号"}, is_header=lambda names: "序号" in names, date_columns=("日期",),
                            max_rows=2, unreadable="读不了", no_header="没有表头")


def test_rows_are_read_by_header_name_with_aliases_dates_and_blank_rows_skipped():
    rows, errors = _read(_workbook([["说明"], ["名称", "编号", "日期"], ["甲", 1.0, "2026年3月8日"], [None, None],
                                    ["乙", 2, "三月"]]))
    assert errors == []
    assert [(row.number, row.values["序号"], row.values["名称"]) for row in rows] == [(3, "1", "甲"), (5, "2", "乙")]
    assert rows[0].dates["日期"] == datetime.date(2026, 3, 8)
    assert rows[1].bad_dates == {"日期"} and sheets.date_error(rows[1], "日期").message.startswith("“三月”不是有效日期")


def test_a_sheet_without_header_too_many_rows_or_not_xlsx_is_refused():
    assert _read(_workbook([["甲"], ["乙"]]))[1][0].message == "没有表头"
    assert _read(_workbook([["序号"], [1]]))[1][0].message == "缺少列：名称。"
    rows, errors = _read(_workbook([["序号", "名称"], [1, "a"], [2, "b"], [3, "c"]]))
    assert rows == [] and "一次最多导入2行" in errors[0].message
    with pytest.raises(sheets.ImportFileError):
        _read(SimpleUploadedFile("表.xlsx", b"not a workbook"))


def test_later_rows_of_a_group_must_agree_with_the_first():
    errors: list = []
    rows = [sheets.Row(2, {"序号": "1", "项目": "甲"}), sheets.Row(3, {"序号": "1", "项目": "乙"}),
            sheets.Row(4, {"序号": "1", "项目": ""}), sheets.Row(5, {"序号": "", "项目": "丙"})]
    groups = sheets.group_rows(rows, errors, key="序号", missing="请填写序号。")
    assert [str(error) for error in errors] == ["第5行“序号”：请填写序号。"]
    assert [error.row for error in sheets.check_like_first(groups["1"], ("项目",), key="序号", thing="项目")] == [3]


def test_command_dates_and_moments_are_checked():
    assert commands.day_option({"today": "2026-11-30"}) == datetime.date(2026, 11, 30)
    assert commands.day_option({"date": None}, "date") is None
    with pytest.raises(CommandError, match="--today 的日期格式不正确"):
        commands.day_option({"today": "11/30"})
    moment = commands.moment_option({"now": "2026-11-30T09:00"})
    assert moment.tzinfo is not None and moment.hour == 9
    with pytest.raises(CommandError, match="--now 的时间格式不正确"):
        commands.moment_option({"now": "明天"})

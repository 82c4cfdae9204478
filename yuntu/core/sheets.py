"""Reading the rows of an uploaded .xlsx sheet the same way for every import.

An import finds its header row among the first five rows (accepting the column names units
actually write, via aliases), keeps the template's columns, skips empty rows, caps the row count
and reads its date columns leniently. What each import then checks is its own; these are the parts
that must not drift apart between imports: the file check, cell text, dates and the error rows.
"""

import datetime
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

MAX_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 5
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}{'“' + self.column + '”' if self.column else ''}：{self.message}"


@dataclass
class Row:
    number: int
    values: dict[str, str]
    dates: dict[str, datetime.date | None] = field(default_factory=dict)
    bad_dates: set[str] = field(default_factory=set)


class ImportFileError(Exception):
    """The file itself cannot be read (wrong type, too large, not a workbook)."""


def check_file(upload) -> None:
    """Refuse anything but a .xlsx workbook of sensible size, by name and by content."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise ImportFileError("请上传 Excel 文件（.xlsx），可先下载导入模板。")
    if upload.size > MAX_BYTES:
        raise ImportFileError(f"文件超过{MAX_BYTES // (1024 * 1024)}MB，请拆分后分批导入。")
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise ImportFileError("文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 后再上传。")


def cell_text(value) -> str:
    """A cell as the text a person sees: whole numbers without “.0”, dates as ISO, full-width spaces folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def parse_date(value) -> datetime.date | None:
    """Dates as Excel keeps them, or written as 2026-10-08, 2026/10/8, 2026.10.8 or 2026年10月8日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return from_excel(value).date()
    match = DATE_PATTERN.match(cell_text(value))
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    return datetime.date(year, month, day)


def read_rows(upload, *, sheet: str, headers: list[str], required: list[str], aliases: dict[str, str],
              is_header: Callable[[list[str]], bool], date_columns: Iterable[str], max_rows: int,
              unreadable: str, no_header: str) -> tuple[list[Row], list[RowError]]:
    """The data rows of `sheet` (else the first sheet) keyed by the template's column names, and any errors of shape.

    `unreadable` is the message for a file openpyxl cannot open, `no_header` the one when no row
    among the first five passes `is_header`.
    """
    check_file(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(unreadable) from error
    try:
        worksheet = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
        raw_rows = worksheet.iter_rows(values_only=True)
        columns: dict[str, int] = {}
        header_row = 0
        for number, values in enumerate(raw_rows, start=1):
            names = [aliases.get(cell_text(value), cell_text(value)) for value in values]
            if is_header(names):
                columns = {name: index for index, name in reversed(list(enumerate(names))) if name in headers}
                header_row = number
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not header_row:
            return [], [RowError(0, "", no_header)]
        missing = [name for name in required if name not in columns]
        if missing:
            return [], [RowError(header_row, "", "缺少列：" + "、".join(missing) + "。")]
        rows: list[Row] = []
        for number, values in enumerate(raw_rows, start=header_row + 1):
            cells = {name: (values[index] if index < len(values) else None) for name, index in columns.items()}
            if all(cell_text(value) == "" for value in cells.values()):
                continue
            if len(rows) >= max_rows:
                return [], [RowError(number, "", f"一次最多导入{max_rows}行，请拆分后分批导入。")]
            row = Row(number, {name: cell_text(value) for name, value in cells.items()})
            for name in date_columns:
                try:
                    row.dates[name] = parse_date(cells.get(name)) if row.values.get(name) else None
                except (ValueError, OverflowError):
                    row.dates[name] = None
                    row.bad_dates.add(name)
            rows.append(row)
        return rows, []
    finally:
        workbook.close()


def service_errors(row: Row, error: Exception, columns: dict[str, str], *, refused: str) -> list[RowError]:
    """A service's refusal of one row as error rows, field errors under the sheet's column names.

    `refused` is the message for a PermissionDenied that carries none of its own.
    """
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [RowError(row.number, columns.get(name, ""), message)
                for name, messages in error.message_dict.items() for message in messages]
    messages = error.messages if isinstance(error, ValidationError) else [str(error) or refused]
    return [RowError(row.number, "", message) for message in messages]


def group_rows(rows: list[Row], errors: list[RowError], *, key: str, missing: str) -> dict[str, list[Row]]:
    """Rows that share a `key` cell (e.g. 序号) in sheet order; a row without one is reported as `missing`."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        value = row.values.get(key, "")
        if not value:
            errors.append(RowError(row.number, key, missing))
            continue
        groups.setdefault(value, []).append(row)
    return groups


def check_like_first(group: list[Row], columns, *, key: str, thing: str) -> list[RowError]:
    """The group's later rows may leave `columns` empty or repeat the first row, but not say otherwise."""
    first = group[0]
    return [RowError(row.number, column, f"与{key}{first.values[key]}第一行（第{first.number}行）不一致；"
                                         f"同一{thing}的内容只需填在第一行。")
            for row in group[1:] for column in columns
            if row.values.get(column) and row.values[column] != first.values.get(column)]


def date_error(row: Row, column: str) -> RowError | None:
    """What is wrong with a required date cell: empty, or not a date; None when it holds a date."""
    value = row.values.get(column, "")
    if not value:
        return RowError(row.number, column, "请填写日期。")
    if column in row.bad_dates:
        return RowError(row.number, column, f"“{value}”不是有效日期，请按 2026-10-08 的格式填写。")
    return None

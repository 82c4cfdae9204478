"""Spreadsheets out of the ledger: the filtered ledger, the monthly summary and the import template.

Every figure is read from the selectors (`ledger_figures`, `unit_ranking`), so a sheet shows the
same numbers as the pages. Workbooks are written in openpyxl's write-only mode, problem by problem
in chunks, so memory follows the chunk size and not the size of the ledger.
"""

import io
from collections import defaultdict
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yuntu.core import clock

from . import selectors
from .models import Category, Source

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500
PRINT_LIMIT = 1000
EXPORT_LIMIT = 50_000

# The columns units already keep (one row per measure; rows with the same 序号 share a problem).
TEMPLATE_HEADERS = ["序号", "问题", "问题来源", "问题类别", "发现日期", "整改措施", "责任单位", "责任人", "完成时限",
                    "进展情况"]
TEMPLATE_WIDTHS = [6, 40, 14, 16, 12, 44, 28, 10, 12, 36]
EXPORT_HEADERS = TEMPLATE_HEADERS + ["问题状态", "措施状态", "进度（%）", "问题所属单位", "单位类别", "批次"]
EXPORT_WIDTHS = TEMPLATE_WIDTHS + [10, 10, 9, 28, 14, 14]

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
WRAP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=14)

ACTIVITY_ROWS = [
    ("problem.create", "新填报问题"), ("problem.approve", "问题审核通过"), ("problem.send_back", "问题退回修改"),
    ("problem.close", "问题销号"), ("problem.reopen", "问题重新挂账"), ("measure.measure_add", "制定措施"),
    ("measure.approve", "措施审核通过"), ("measure.send_back", "措施退回修改"), ("measure.progress", "更新进展"),
    ("measure.report_done", "措施报告完成"), ("measure.verify", "措施验收通过"), ("measure.reopen", "措施重新整改"),
]


def activity_rows(activity: dict[str, int]) -> list[tuple[str, int]]:
    return [(label, activity.get(key, 0)) for key, label in ACTIVITY_ROWS]


def rate_text(rate: float | None) -> str:
    if rate is None:
        return "—"
    return f"{rate:g}%"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_cells(sheet, headers: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    return cells


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def problems_with_measures(user, problems: Iterable) -> list[tuple]:
    """(problem, [its visible measures with their latest progress]) for a bounded list of problems."""
    problems = list(problems)
    grouped = defaultdict(list)
    for measure in selectors.export_measures(user, [problem.pk for problem in problems]).select_related("org"):
        grouped[measure.problem_id].append(measure)
    return [(problem, grouped.get(problem.pk, [])) for problem in problems]


def _chunks(problems) -> Iterable[list]:
    chunk = []
    for problem in problems.iterator(chunk_size=CHUNK):
        chunk.append(problem)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def export_workbook(user, problems, *, title: str) -> bytes:
    """The ledger as the filters chose it: one row per measure, problems numbered in list order."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("整改台账")
    _widths(sheet, EXPORT_WIDTHS)
    sheet.freeze_panes = "C3"
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = TITLE_FONT
    sheet.append([heading])
    sheet.append(_header_cells(sheet, EXPORT_HEADERS))
    number = 0
    for chunk in _chunks(problems[:EXPORT_LIMIT]):
        for problem, measures in problems_with_measures(user, chunk):
            number += 1
            head = [number, problem.title, problem.get_source_display(), problem.get_category_display(),
                    problem.found_on]
            tail = [problem.get_status_display()]
            problem_cells = [problem.org.name, problem.get_level_class_display(), problem.batch]
            if not measures:
                sheet.append(head + ["", problem.org.name, "", None, ""] + tail + ["", None] + problem_cells)
            for measure in measures:
                sheet.append(head + [measure.text, measure.org.name, measure.responsible_person, measure.deadline,
                                     measure.latest_progress or ""]
                             + tail + [measure.get_status_display(), measure.percent] + problem_cells)
    return _save(workbook)


def _figure_table(sheet, rows: list[tuple[str, dict]]) -> None:
    sheet.append(_header_cells(sheet, ["单位类别", "问题数", "已销号问题", "问题销号率", "措施数", "已完成措施",
                                       "措施完成率", "逾期措施"]))
    for label, figures in rows:
        sheet.append([label, figures["problems"], figures["problems_closed"], rate_text(figures["closure_rate"]),
                      figures["measures"], figures["measures_completed"], rate_text(figures["completion_rate"]),
                      figures["measures_overdue"]])


def figure_rows(figures: dict) -> list[tuple[str, dict]]:
    return [("合计", figures["all"]), ("县处级以上单位", figures["county"]), ("基层党组织", figures["grassroots"])]


def monthly_workbook(summary: dict, *, org_name: str) -> bytes:
    month_label = f"{summary['month_start']:%Y年%m月}"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("月度汇总")
    _widths(sheet, [16, 10, 12, 12, 10, 12, 12, 10])
    title = WriteOnlyCell(sheet, value=f"{org_name}整改台账{month_label}总结")
    title.font = TITLE_FONT
    sheet.append([title])
    sheet.append([f"统计口径：问题发现日期截至{summary['month_end']:%Y-%m-%d}；状态为导出时的当前状态。"])
    sheet.append([])
    sheet.append(["累计情况"])
    _figure_table(sheet, figure_rows(summary["figures"]))
    sheet.append([])
    sheet.append([f"{month_label}新增（本月发现的问题）"])
    _figure_table(sheet, figure_rows(summary["figures_new"]))
    sheet.append([])
    sheet.append([f"{month_label}工作动态"])
    sheet.append(_header_cells(sheet, ["事项", "次数"]))
    for label, count in activity_rows(summary["activity"]):
        sheet.append([label, count])

    ranking = workbook.create_sheet("单位排名")
    _widths(ranking, [6, 36, 10, 12, 12, 10])
    ranking.append(_header_cells(ranking, ["名次", "单位", "措施数", "已完成", "完成率", "逾期"]))
    for place, row in enumerate(summary["ranking"], start=1):
        ranking.append([place, row["name"], row["measures"], row["completed"], rate_text(row["completion_rate"]),
                        row["overdue"]])

    overdue = workbook.create_sheet("逾期措施")
    _widths(overdue, [6, 40, 44, 28, 10, 12, 10, 10])
    overdue.append([f"截至{summary['as_of']:%Y-%m-%d}仍未完成的逾期措施共{summary['overdue_count']}项"
                    + ("（仅列前" + str(len(summary["overdue"])) + "项）"
                       if summary["overdue_count"] > len(summary["overdue"]) else "")])
    overdue.append(_header_cells(overdue, ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限",
                                           "逾期天数", "状态"]))
    for number, measure in enumerate(summary["overdue"], start=1):
        overdue.append([number, measure.problem.title, measure.text, measure.org.name, measure.responsible_person,
                        measure.deadline, (summary["as_of"] - measure.deadline).days, measure.get_status_display()])
    return _save(workbook)


def template_workbook(org_names: list[str]) -> bytes:
    """The import template: the usual columns, drop-down lists of the allowed values, and instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    _widths(sheet, TEMPLATE_WIDTHS)
    sheet.freeze_panes = "A2"
    for column in "EI":
        for row in range(2, 1002):
            sheet[f"{column}{row}"].number_format = "yyyy-mm-dd"

    options = workbook.create_sheet("可选值")
    options.append(["问题来源", "问题类别", "责任单位（您可填报的单位）"])
    sources, categories = [label for _, label in Source.choices], [label for _, label in Category.choices]
    for index in range(max(len(sources), len(categories), len(org_names))):
        options.append([sources[index] if index < len(sources) else None,
                        categories[index] if index < len(categories) else None,
                        org_names[index] if index < len(org_names) else None])
    options.column_dimensions["A"].width = 22
    options.column_dimensions["B"].width = 18
    options.column_dimensions["C"].width = 40
    for column, count, target in (("A", len(sources), "C"), ("B", len(categories), "D")):
        validation = DataValidation(type="list", formula1=f"'可选值'!${column}$2:${column}${count + 1}",
                                    allow_blank=True, showErrorMessage=True, errorTitle="请从列表中选择",
                                    error="请从下拉列表中选择。")
        validation.add(f"{target}2:{target}1001")
        sheet.add_data_validation(validation)
    if org_names:
        validation = DataValidation(type="list", formula1=f"'可选值'!$C$2:$C${len(org_names) + 1}", allow_blank=True,
                                    showErrorMessage=False)
        validation.add("G2:G1001")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 100
    for line in [
        "填写说明",
        "1. 每行填写一项整改措施；同一问题有多项措施时，各行填写相同的“序号”，问题、来源、类别、发现日期填在第一行即可。",
        "2. 必填：序号、问题、问题来源、问题类别、发现日期、整改措施、责任单位、责任人、完成时限。",
        "3. 问题来源、问题类别请从下拉列表中选择（见“可选值”表）。",
        "4. 日期格式：2026-10-08，也可填写 2026/10/8 或 2026年10月8日。",
        "5. 责任单位须填写单位全称，且在您的填报范围内；同一问题第一行的责任单位为问题所属单位，"
        "其余各行的责任单位须为该单位或其下级单位。",
        "6. “进展情况”作为措施的补充说明导入；导入后的问题和措施均为“待审核”，由联络组审核。",
        "7. 任何一行有误时整份文件都不会导入，请按提示的行号和列名修改后重新上传。",
        f"（模板生成日期：{clock.today():%Y-%m-%d}）",
    ]:
        notes.append([line])
    notes["A1"].font = TITLE_FONT
    for row in notes.iter_rows(min_row=2):
        row[0].alignment = WRAP
    return _save(workbook)

"""Spreadsheets of a campaign: the roadmap template and the work ledger (工作台账), one row per task."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from yuntu.core import clock
from yuntu.ledger.exports import HEADER_FILL, HEADER_FONT, TITLE_FONT, rate_text, xlsx_response

from . import selectors
from .imports import HEADERS, SHEET
from .workflow import TaskStatus

TEMPLATE_WIDTHS = [6, 30, 28, 10, 20, 9, 9, 34, 40, 28, 10, 12, 12, 12, 40]
LEDGER_HEADERS = ["序号", "项目", "项目牵头单位", "任务", "工作要点", "责任单位", "责任人", "岗位", "计划开始", "计划完成",
                  "完成时限", "状态", "进度（%）", "实际完成", "完成情况", "最近进展"]
LEDGER_WIDTHS = [6, 30, 24, 34, 40, 26, 10, 14, 12, 12, 12, 10, 9, 12, 14, 40]
EXPORT_LIMIT = 50_000

__all__ = ["ledger_workbook", "template_workbook", "xlsx_response"]


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, headers: list[str], widths: list[int]):
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cells.append(cell)
    sheet.append(cells)
    return sheet


def template_workbook(unit_names: list[str]) -> bytes:
    """The roadmap template: the columns, one example row, and the units the campaign may assign to."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, SHEET, HEADERS, TEMPLATE_WIDTHS)
    today = clock.today()
    example_unit = unit_names[0] if unit_names else "（单位全称）"
    sheet.append([1, "（示例）马銮湾智慧体育公园建设", example_unit, "张建国", "马銮湾", 24.5431, 118.0132,
                  "完成场地平整", "清表、土方平衡，做好文明施工", example_unit, "李志强", today.isoformat(),
                  today.replace(day=28).isoformat(), today.replace(day=28).isoformat(),
                  f"{today.replace(day=15).isoformat()} 完成清表"])
    units = workbook.create_sheet("可填单位")
    units.append(["单位全称（项目牵头单位、责任单位须与此一致）"])
    for name in unit_names:
        units.append([name])
    return _save(workbook)


def _result(task, today) -> str:
    if task.status == TaskStatus.DONE:
        return "按期完成" if task.completed_on and task.completed_on <= task.deadline else "逾期完成"
    if task.deadline < today:
        return f"逾期{(today - task.deadline).days}天"
    return "推进中" if task.status == TaskStatus.IN_PROGRESS else "未开始"


def ledger_workbook(user, campaign) -> bytes:
    """工作台账: the figures on top, then every visible task of the campaign with its result as of today."""
    today = clock.today()
    figures = selectors.board_data(user, campaign, today=today)["totals"]
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "工作台账", LEDGER_HEADERS, LEDGER_WIDTHS)
    for task in selectors.export_tasks(user, campaign)[:EXPORT_LIMIT].iterator(chunk_size=1000):
        sheet.append([
            task.project.number, task.project.name, task.project.org.name, task.name, task.key_point, task.org.name, task.owner_name,
            task.post.name if task.post else "", task.planned_start, task.planned_end, task.deadline,
            str(TaskStatus(task.status).label), task.percent, task.completed_on, _result(task, today),
            task.latest_progress or "",
        ])
    summary = workbook.create_sheet("汇总")
    title = WriteOnlyCell(summary, value=f"{campaign.name}工作台账（截至{today:%Y-%m-%d}）")
    title.font = TITLE_FONT
    summary.append([title])
    for label, value in (("项目", figures["projects"]), ("任务", figures["tasks"]), ("已完成", figures["done"]),
                         ("按期完成", figures["on_time"]), ("逾期完成", figures["late"]), ("逾期未完成", figures["overdue"]),
                         ("按期完成率", rate_text(figures["on_time_rate"])), ("平均进度（%）", figures["percent"])):
        summary.append([label, value])
    return _save(workbook)

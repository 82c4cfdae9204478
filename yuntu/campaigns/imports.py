"""Import a roadmap (攻坚路线图) into a campaign from .xlsx: every row checked, then all or nothing.

One row per task; rows with the same 序号 share a project, whose 项目, 项目牵头单位, 项目负责人,
项目地点 and coordinates are read from the group's first row (a project already in the campaign
under the same name gets the new tasks). Units are orgs' exact full names within the campaign's
lead org. The project's planned period spans its tasks. 时序安排 lists dated milestones,
e.g. "2026-03-31 完成方案；2026-06-30 开工建设". Writes go through the same services as the pages.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import sheets
from yuntu.core.sheets import ImportFileError, Row, RowError, parse_date

from . import services
from .models import Campaign, Project

SHEET = "攻坚路线图"
HEADERS = ["序号", "项目", "项目牵头单位", "项目负责人", "项目地点", "纬度", "经度", "任务", "工作要点", "责任单位", "责任人",
           "计划开始", "计划完成", "完成时限", "时序安排"]
REQUIRED = ["序号", "项目", "项目牵头单位", "项目负责人", "任务", "责任单位", "责任人", "计划开始", "计划完成", "完成时限"]
ALIASES = {"项目名称": "项目", "牵头单位": "项目牵头单位", "任务名称": "任务", "责任主体": "责任单位", "完成时间": "完成时限",
           "开始时间": "计划开始", "计划完成时间": "计划完成", "时序": "时序安排", "节点安排": "时序安排", "编号": "序号"}
DATE_COLUMNS = ("计划开始", "计划完成", "完成时限")
MAX_ROWS = 2000
MILESTONE = re.compile(r"^\s*(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:前)?\s*(.+?)\s*$")
TASK_COLUMNS = {"name": "任务", "owner_name": "责任人", "planned_start": "计划开始", "planned_end": "计划完成",
                "deadline": "完成时限", "org": "责任单位", "milestones": "时序安排"}
PROJECT_COLUMNS = {"name": "项目", "owner_name": "项目负责人", "org": "项目牵头单位", "planned_end": "完成时限",
                   "latitude": "纬度"}


@dataclass
class PlannedTask:
    row: Row
    org: object
    milestones: list[tuple[str, datetime.date]]


@dataclass
class PlannedProject:
    row: Row
    org: object
    existing: Project | None
    latitude: Decimal | None
    longitude: Decimal | None
    tasks: list[PlannedTask] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    projects: int = 0
    tasks: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(upload) -> tuple[list[Row], list[RowError]]:
    return sheets.read_rows(
        upload, sheet=SHEET, headers=HEADERS, required=REQUIRED, aliases=ALIASES,
        is_header=lambda names: "序号" in names and "任务" in names, date_columns=DATE_COLUMNS, max_rows=MAX_ROWS,
        unreadable="文件无法读取，请使用下载的路线图模板（.xlsx）。",
        no_header="未找到表头：应包含“" + "、".join(HEADERS) + "”。")


def _milestones(text: str) -> list[tuple[str, datetime.date]] | None:
    found = []
    for part in re.split(r"[；;\n]+", text or ""):
        if not part.strip():
            continue
        match = MILESTONE.match(part)
        if not match:
            return None
        try:
            found.append((match.group(2)[:128], parse_date(match.group(1))))
        except (ValueError, OverflowError):
            return None
    return found


def _coordinate(value: str) -> Decimal | None:
    try:
        return Decimal(value).quantize(Decimal("0.000001")) if value else None
    except InvalidOperation:
        raise ValueError(value) from None


def plan(actor, campaign: Campaign, rows: list[Row]) -> tuple[list[PlannedProject], list[RowError]]:
    """Check every row against the rules the services apply, without writing anything."""
    errors: list[RowError] = []
    from yuntu.orgs.models import Org

    names = {row.values.get(column, "") for row in rows for column in ("项目牵头单位", "责任单位")} - {""}
    orgs: dict[str, list] = {}
    for org in Org.objects.filter(name__in=names, is_active=True):
        orgs.setdefault(org.name, []).append(org)
    existing = {project.name: project for project in Project.objects.filter(campaign=campaign)}

    def org_of(row: Row, column: str):
        name = row.values.get(column, "")
        if not name:
            errors.append(RowError(row.number, column, "请填写单位全称。"))
            return None
        matches = orgs.get(name, [])
        inside = [org for org in matches if org.path.startswith(campaign.org_path)]
        if len(inside) > 1:
            errors.append(RowError(row.number, column, f"有多个名为“{name}”的单位，请联系管理员区分名称。"))
            return None
        if not inside:
            where = "不在专项行动牵头单位的范围内" if matches else "不存在"
            errors.append(RowError(row.number, column, f"“{name}”{where}，请填写“{campaign.org.name}”或其下级单位的全称。"))
            return None
        return inside[0]

    groups = sheets.group_rows(rows, errors, key="序号", missing="请填写序号；同一项目的多项任务填写相同序号。")

    planned: list[PlannedProject] = []
    seen_names: dict[str, int] = {}
    for group in groups.values():
        first = group[0]
        values = first.values
        name = values.get("项目", "")
        if not name:
            errors.append(RowError(first.number, "项目", "请填写项目（同一序号的第一行）。"))
        elif len(name) > 128:
            errors.append(RowError(first.number, "项目", "项目名称不能超过128个字。"))
        elif name in seen_names:
            errors.append(RowError(first.number, "项目", f"项目“{name}”已在第{seen_names[name]}行出现，同一项目请用同一序号。"))
        seen_names.setdefault(name, first.number)
        project = existing.get(name)
        project_org = project.org if project else org_of(first, "项目牵头单位")
        if project is None and not values.get("项目负责人"):
            errors.append(RowError(first.number, "项目负责人", "请填写项目负责人。"))
        latitude = longitude = None
        try:
            latitude, longitude = _coordinate(values.get("纬度", "")), _coordinate(values.get("经度", ""))
        except ValueError:
            errors.append(RowError(first.number, "纬度", "经纬度应为数字，如 24.48 和 118.03。"))
        else:
            if (latitude is None) != (longitude is None):
                errors.append(RowError(first.number, "纬度", "经度和纬度须同时填写。"))
            elif latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                errors.append(RowError(first.number, "纬度", "经纬度超出范围。"))
        item = PlannedProject(first, project_org, project, latitude, longitude)
        errors += sheets.check_like_first(group, ("项目", "项目牵头单位", "项目负责人"), key="序号", thing="项目")
        for row in group:
            errors += [error for error in (sheets.date_error(row, column) for column in DATE_COLUMNS) if error]
            try:
                services.check_task_fields(name=row.values.get("任务", ""), owner_name=row.values.get("责任人", ""),
                                           planned_start=row.dates.get("计划开始"), planned_end=row.dates.get("计划完成"),
                                           deadline=row.dates.get("完成时限"))
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    column = TASK_COLUMNS.get(field_name, "")
                    if column in DATE_COLUMNS and not row.dates.get(column):
                        continue  # already reported as a missing or bad date
                    errors += [RowError(row.number, column, message) for message in messages]
            milestones = _milestones(row.values.get("时序安排", ""))
            if milestones is None:
                errors.append(RowError(row.number, "时序安排", "时序安排应写成“2026-03-31 完成方案；2026-06-30 开工建设”。"))
                milestones = []
            task_org = org_of(row, "责任单位")
            item.tasks.append(PlannedTask(row, task_org, milestones))
        planned.append(item)
    order = {name: index for index, name in enumerate(HEADERS)}
    return planned, sorted(errors, key=lambda error: (error.row, order.get(error.column, 99)))


def _service_errors(row: Row, error: Exception, columns: dict[str, str]) -> list[RowError]:
    return sheets.service_errors(row, error, columns, refused="无权导入。")


def import_roadmap(*, actor, campaign: Campaign, upload) -> ImportResult:
    """Read, check and write a roadmap sheet; any error anywhere leaves the database untouched."""
    if not can(actor, Permission.CAMPAIGN_EDIT, path=campaign.org_path):
        return ImportResult(errors=[RowError(0, "", "无权为该专项行动导入路线图。")])
    try:
        rows, errors = read_rows(upload)
    except ImportFileError as error:
        return ImportResult(errors=[RowError(0, "", str(error))])
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[RowError(0, "", "文件中没有数据行。")])
    planned, errors = plan(actor, campaign, rows)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    with transaction.atomic():
        for item in planned:
            project = item.existing
            if project is None:
                values = item.row.values
                try:
                    project = services.project_create(
                        actor=actor, campaign=campaign, org=item.org, name=values["项目"],
                        owner_name=values.get("项目负责人", ""), site=values.get("项目地点", ""),
                        latitude=item.latitude, longitude=item.longitude,
                        planned_start=min(task.row.dates["计划开始"] for task in item.tasks),
                        planned_end=max(max(task.row.dates["计划完成"], task.row.dates["完成时限"]) for task in item.tasks))
                except (ValidationError, PermissionDenied) as error:
                    result.errors += _service_errors(item.row, error, PROJECT_COLUMNS)
                    continue
                result.projects += 1
            for task in item.tasks:
                values = task.row.values
                try:
                    services.task_create(actor=actor, project=project, org=task.org, name=values["任务"],
                                         key_point=values.get("工作要点", ""), owner_name=values["责任人"],
                                         planned_start=task.row.dates["计划开始"],
                                         planned_end=task.row.dates["计划完成"], deadline=task.row.dates["完成时限"],
                                         milestones=task.milestones)
                except (ValidationError, PermissionDenied) as error:
                    result.errors += _service_errors(task.row, error, TASK_COLUMNS)
                    continue
                result.tasks += 1
        if result.errors:
            transaction.set_rollback(True)
            result.projects = result.tasks = 0
        else:
            services.record_import(actor=actor, campaign=campaign, projects=result.projects, tasks=result.tasks)
    return result

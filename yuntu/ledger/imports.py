"""Import problems and measures from the sheet units keep today: every row checked, then all or nothing.

The sheet has one row per measure; rows with the same 序号 share a problem, whose 问题, 来源, 类别
and 发现日期 are read from the group's first row. 责任单位 is an org's exact full name within the
importer's ledger.edit scope: the first row's unit owns the problem; each row's unit owns its
measure and must be that unit or below it. Ledger imports are small, so they run in the request,
in one transaction, through the same services as the pages: problems start 待审核, measures 待审核,
and a 进展情况 cell is kept as a note on the measure's text (no transition is faked).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yuntu.core import clock, sheets
from yuntu.core.sheets import ImportFileError, Row, RowError, parse_date  # noqa: F401 (parse_date: the ledger's import API)

from . import selectors, services
from .exports import TEMPLATE_HEADERS
from .models import Category, Source

MAX_BYTES = sheets.MAX_BYTES
MAX_ROWS = 2000
HEADER_ALIASES = {"问题清单": "问题", "存在问题": "问题", "问题描述": "问题", "问题类型": "问题类别", "来源": "问题来源",
                  "整改举措": "整改措施", "责任主体": "责任单位", "完成时间": "完成时限", "整改时限": "完成时限",
                  "进展": "进展情况", "整改进展": "进展情况", "编号": "序号"}
REQUIRED_HEADERS = ["序号", "问题", "问题来源", "问题类别", "发现日期", "整改措施", "责任单位", "责任人", "完成时限"]
SOURCE_ALIASES = {"巡视": Source.INSPECTION, "巡察": Source.INSPECTION, "调研": Source.RESEARCH,
                  "群众": Source.RESIDENTS, "自查": Source.SELF_INSPECTION, "上下联动": Source.UPPER,
                  "上级推送": Source.UPPER}
PROBLEM_FIELD_COLUMNS = {"title": "问题", "found_on": "发现日期", "source": "问题来源", "category": "问题类别",
                         "org": "责任单位", "evidence": "问题"}
MEASURE_FIELD_COLUMNS = {"text": "整改措施", "responsible_person": "责任人", "deadline": "完成时限", "org": "责任单位"}


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    problems: list = field(default_factory=list)
    measures: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _choices(model_choices, aliases: dict | None = None) -> dict[str, str]:
    table = {label: value for value, label in model_choices}
    table.update({value: value for value, _ in model_choices})
    table.update(aliases or {})
    return table


SOURCES = _choices(Source.choices, SOURCE_ALIASES)
CATEGORIES = _choices(Category.choices)


def read_rows(upload) -> tuple[list[Row], list[RowError]]:
    """The data rows of the first sheet keyed by the template's column names, and any errors of shape."""
    return sheets.read_rows(
        upload, sheet="整改台账", headers=TEMPLATE_HEADERS, required=REQUIRED_HEADERS, aliases=HEADER_ALIASES,
        is_header=lambda names: "序号" in names and ("问题" in names or "整改措施" in names),
        date_columns=("发现日期", "完成时限"), max_rows=MAX_ROWS,
        unreadable="文件无法读取，请使用下载的导入模板（.xlsx）。",
        no_header="未找到表头：第一行应为“" + "、".join(TEMPLATE_HEADERS) + "”。")


@dataclass
class PlannedMeasure:
    row: Row
    org: object
    text: str


@dataclass
class PlannedProblem:
    row: Row
    org: object
    title: str
    source: str
    category: str
    found_on: datetime.date
    measures: list[PlannedMeasure] = field(default_factory=list)


def _resolve_orgs(actor, names: set[str]) -> dict[str, list]:
    found: dict[str, list] = {}
    for org in selectors.entry_orgs_for(actor).filter(name__in=names):
        found.setdefault(org.name, []).append(org)
    return found


def plan(actor, rows: list[Row]) -> tuple[list[PlannedProblem], list[RowError]]:
    """Check every row against the rules the services apply, without writing anything."""
    errors: list[RowError] = []
    today = clock.today()
    orgs = _resolve_orgs(actor, {row.values.get("责任单位", "") for row in rows} - {""})
    groups = sheets.group_rows(rows, errors, key="序号", missing="请填写序号；同一问题的多项措施填写相同序号。")

    def org_of(row: Row):
        name = row.values.get("责任单位", "")
        if not name:
            errors.append(RowError(row.number, "责任单位", "请填写责任单位全称。"))
            return None
        matches = orgs.get(name, [])
        if len(matches) > 1:
            errors.append(RowError(row.number, "责任单位", f"有多个名为“{name}”的单位，请联系管理员区分名称。"))
            return None
        if not matches:
            errors.append(RowError(row.number, "责任单位", f"“{name}”不存在或不在您的填报范围内，请填写单位全称。"))
            return None
        return matches[0]

    def date_of(row: Row, column: str):
        error = sheets.date_error(row, column)
        if error:
            errors.append(error)
            return None
        return row.dates[column]

    planned: list[PlannedProblem] = []
    for group in groups.values():
        first = group[0]
        values = first.values
        title = values.get("问题", "")
        if not title:
            errors.append(RowError(first.number, "问题", "请填写问题（同一序号的第一行）。"))
        elif len(title) > 255:
            errors.append(RowError(first.number, "问题", "问题不能超过255个字，详细情况可在页面上补充描述。"))
        source = SOURCES.get(values.get("问题来源", ""))
        if not values.get("问题来源"):
            errors.append(RowError(first.number, "问题来源", "请填写问题来源。"))
        elif source is None:
            errors.append(RowError(first.number, "问题来源", f"“{values['问题来源']}”不是可选的问题来源，可选："
                                   + "、".join(label for _, label in Source.choices) + "。"))
        category = CATEGORIES.get(values.get("问题类别", ""))
        if not values.get("问题类别"):
            errors.append(RowError(first.number, "问题类别", "请填写问题类别。"))
        elif category is None:
            errors.append(RowError(first.number, "问题类别", f"“{values['问题类别']}”不是可选的问题类别，可选："
                                   + "、".join(label for _, label in Category.choices) + "。"))
        found_on = date_of(first, "发现日期")
        if found_on and found_on > today:
            errors.append(RowError(first.number, "发现日期", "发现日期不能晚于今天。"))
        problem_org = org_of(first)
        problem = PlannedProblem(first, problem_org, title, source or "", category or "", found_on or today)
        errors += sheets.check_like_first(group, ("问题", "问题来源", "问题类别"), key="序号", thing="问题")
        for row in group:
            text = row.values.get("整改措施", "")
            person = row.values.get("责任人", "")
            if row is first and not (text or person or row.values.get("完成时限")):
                continue  # a problem entered without measures yet
            if len(text) < 4:
                errors.append(RowError(row.number, "整改措施", "请填写具体的整改措施（至少4个字）。"))
            if not person:
                errors.append(RowError(row.number, "责任人", "请填写责任人。"))
            elif len(person) > 64:
                errors.append(RowError(row.number, "责任人", "责任人不能超过64个字。"))
            date_of(row, "完成时限")
            measure_org = problem_org if row is first else org_of(row)
            if measure_org is not None and problem_org is not None and not measure_org.path.startswith(problem_org.path):
                errors.append(RowError(row.number, "责任单位", f"“{measure_org.name}”不是问题所属单位"
                                       f"“{problem_org.name}”或其下级单位。"))
            note = row.values.get("进展情况", "")
            problem.measures.append(PlannedMeasure(row, measure_org, f"{text}\n（导入时进展情况：{note}）" if note else text))
        planned.append(problem)
    return planned, sorted(errors, key=lambda error: (error.row, REQUIRED_HEADERS.index(error.column)
                                                      if error.column in REQUIRED_HEADERS else 99))


def _service_errors(row: Row, error: Exception, columns: dict[str, str]) -> list[RowError]:
    return sheets.service_errors(row, error, columns, refused="无权填报。")


def import_ledger(*, actor, upload) -> ImportResult:
    """Read, check and write a ledger sheet; any error anywhere leaves the database untouched."""
    try:
        rows, errors = read_rows(upload)
    except ImportFileError as error:
        return ImportResult(errors=[RowError(0, "", str(error))])
    if errors:
        return ImportResult(errors=errors)
    if not rows:
        return ImportResult(errors=[RowError(0, "", "文件中没有数据行。")])
    planned, errors = plan(actor, rows)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    with transaction.atomic():
        for item in planned:
            try:
                problem = services.problem_create(actor=actor, org=item.org, title=item.title, source=item.source,
                                                  category=item.category, found_on=item.found_on)
            except (ValidationError, PermissionDenied) as error:
                result.errors += _service_errors(item.row, error, PROBLEM_FIELD_COLUMNS)
                continue
            result.problems.append(problem)
            for measure in item.measures:
                try:
                    services.measure_add(actor=actor, problem=problem, text=measure.text, org=measure.org,
                                         responsible_person=measure.row.values["责任人"],
                                         deadline=measure.row.dates["完成时限"])
                except (ValidationError, PermissionDenied) as error:
                    result.errors += _service_errors(measure.row, error, MEASURE_FIELD_COLUMNS)
                    continue
                result.measures += 1
        if result.errors:
            transaction.set_rollback(True)
            result.problems, result.measures = [], 0
    return result

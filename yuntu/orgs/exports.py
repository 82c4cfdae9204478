"""Excel out: the import templates, and the member and org lists as the user sees them.

Exports go through the selectors (so they show exactly the user's scope) and are written in
openpyxl's write-only mode into a temporary file that the response streams: memory stays flat
whatever the size of the list. ID numbers and mobiles are always the masked forms.
"""

import datetime
import tempfile
from collections.abc import Mapping
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import scope_paths
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from . import imports
from .access import get_org_for_user
from .models import Gender, ImportJob, Kind, Level, MemberStatus, Org, Sector
from .selectors import member_list, orgs_visible_to

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
EXAMPLE_FONT = Font(italic=True, color="808080")
TEMPLATE_DATA_ROWS = 200_001  # validations and text format reach as far as an import may go
ORG_LIST_LIMIT = 5_000


def content_disposition(filename: str, fallback: str) -> str:
    """attachment; filename="members.xlsx"; filename*=UTF-8''党员名单.xlsx (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _spooled(workbook: Workbook) -> IO[bytes]:
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _date(value: datetime.date | None):
    return value if value else None


# ---------------------------------------------------------------- templates


def _orgs_for_template(user, kind: str):
    """The orgs a user may import into, for the template's pick list (names and ids)."""
    if kind == ImportJob.Kind.MEMBERS:
        queryset = orgs_visible_to(user, permission=Permission.MEMBER_CHANGE).filter(level__in=imports.MEMBER_LEVELS)
    else:
        queryset = orgs_visible_to(user, permission=Permission.ORG_CHANGE).exclude(level=Level.GROUP)
    return queryset.filter(is_active=True).order_by("path").values_list("id", "name", "level")[:ORG_LIST_LIMIT]


EXAMPLES = {
    ImportJob.Kind.MEMBERS: {
        "name": imports.EXAMPLE_MARK + "张三", "id_number": "11010519491231002X", "mobile": "13800000000",
        "org": "某某社区第一党支部", "status": "预备党员", "joined_on": datetime.date(2025, 7, 1),
        "probation_end": datetime.date(2026, 7, 1), "floating": "否", "floating_location": "", "in_service": "是",
        "employer": "某某有限公司", "home_address": "某某小区1号楼101室",
    },
    ImportJob.Kind.ORGS: {
        "name": imports.EXAMPLE_MARK + "某某小区党支部", "parent": "某某社区党委", "level": Level.BRANCH.label,
        "kind": Kind.ESTATE.label, "sector": Sector.COMMUNITY.label, "division_code": "", "temporary": "否",
        "end_date": None, "address": "某某小区物业中心二楼", "short_name": "",
    },
}


def import_template(user, kind: str) -> IO[bytes]:
    """A workbook to fill in: the header, pick lists, an example row, the user's orgs and instructions."""
    columns = imports.COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = imports.SHEET_NAMES[kind]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"
        example = EXAMPLES[kind].get(column.key)
        example_cell = sheet.cell(row=2, column=index, value=example if example != "" else None)
        example_cell.font = EXAMPLE_FONT
        if column.text:
            example_cell.number_format = "@"
        elif isinstance(example, datetime.date):
            example_cell.number_format = "yyyy-mm-dd"
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="输入有误",
                                        error=f"请从下拉列表中选择{column.header}。", promptTitle=column.header,
                                        prompt=column.help[:255], showInputMessage=True)
            validation.add(f"{letter}2:{letter}{TEMPLATE_DATA_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    org_key = "org" if kind == ImportJob.Kind.MEMBERS else "parent"
    orgs = list(_orgs_for_template(user, kind))
    choices = workbook.create_sheet("可选组织")
    choices.append(["组织ID", "组织名称", "层级"])
    for cell in choices[1]:
        cell.font = HEADER_FONT
    for pk, name, level in orgs:
        choices.append([pk, name, Level(level).label])
    choices.column_dimensions["A"].width = 10
    choices.column_dimensions["B"].width = 40
    choices.column_dimensions["C"].width = 24
    if orgs:
        letter = get_column_letter([column.key for column in columns].index(org_key) + 1)
        validation = DataValidation(type="list", formula1=f"'可选组织'!$B$2:$B${len(orgs) + 1}", allow_blank=True,
                                    showErrorMessage=False, showInputMessage=True, promptTitle="党组织",
                                    prompt="可从下拉列表选择，也可填写组织ID。")
        validation.add(f"{letter}2:{letter}{TEMPLATE_DATA_ROWS}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet("填写说明")
    limit = imports.MAX_ROWS[kind]
    lines = [
        f"{'党员' if kind == ImportJob.Kind.MEMBERS else '党组织'}导入模板 · 填写说明",
        "",
        f"1. 在“{imports.SHEET_NAMES[kind]}”表中从第2行起每行填写一条；第1行是表头，请不要修改、删除或调换列名。",
        f"2. 带 * 的列必填。以“{imports.EXAMPLE_MARK}”开头的示例行不会导入，可以保留或删除。",
        "3. 党组织按全称填写（须与系统中完全一致），或填写组织ID；重名的组织必须填写ID。"
        "“可选组织”表列出了您可以导入的组织及其ID。",
        "4. 日期写成 2021-07-01 的形式；“是/否”列不填视为“否”。",
        "5. 身份证号、手机号、行政区划代码列已设为文本格式，请勿改为数字格式，否则身份证号末几位会丢失。",
        f"6. 单次最多导入{limit}行，文件不超过{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB。",
        "7. 导入前系统会逐行检查：只要有一处错误，整个文件都不会导入，并按“第几行、哪一列”列出全部错误；"
        "改正后重新上传即可。",
        "",
    ]
    for line in lines:
        guide.append([line])
    guide.append(["列名", "是否必填", "填写要求"])
    for cell in guide[guide.max_row]:
        cell.font = HEADER_FONT
    for column in columns:
        guide.append([column.header, "必填" if column.required else "选填", column.help])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    return _spooled(workbook)


def template_filename(kind: str) -> tuple[str, str]:
    if kind == ImportJob.Kind.MEMBERS:
        return "党员导入模板.xlsx", "members-template.xlsx"
    return "党组织导入模板.xlsx", "orgs-template.xlsx"


# ---------------------------------------------------------------- member list

MEMBER_EXPORT_HEADERS = ["序号", "姓名", "性别", "身份证号", "手机号", "所属党组织", "党员类别", "入党日期", "预备期满日期",
                         "是否流动党员", "流入地", "是否在职党员", "工作单位"]
MEMBER_EXPORT_WIDTHS = [8, 12, 6, 22, 14, 32, 10, 12, 14, 12, 16, 12, 24]


def _flag(value: str | None) -> bool | None:
    """The member list's yes/no/any filters: 1/true/是 → True, 0/false/否 → False, else no filter."""
    text = (value or "").strip().lower()
    if text in ("1", "true", "yes", "on", "是"):
        return True
    if text in ("0", "false", "no", "off", "否"):
        return False
    return None


def member_filters(user, params: Mapping[str, str]) -> dict:
    """The member list's query string (org, q, status, floating, in_service) as selector arguments.

    The org is looked up for the user (404 when not theirs), like the list page does.
    """
    org = None
    org_pk = (params.get("org") or "").strip()
    if org_pk:
        org = get_org_for_user(user, org_pk if org_pk.isdigit() else 0, permission=Permission.MEMBER_VIEW)
    status = (params.get("status") or "").strip()
    return {
        "org": org,
        "query": (params.get("q") or "").strip()[:64],
        "status": status if status in MemberStatus.values else "",
        "floating": _flag(params.get("floating")),
        "in_service": _flag(params.get("in_service")),
    }


def _header_row(sheet, headers: list[str], widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        row.append(cell)
    sheet.append(row)


def _export_audit_target(user, org: Org | None, permission: str) -> Org | None:
    if org is not None:
        return org
    paths = scope_paths(user, permission)
    if not paths:
        return None
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path").first()
    return Org.objects.filter(path=paths[0]).first()


def export_members(*, actor, org: Org | None = None, query: str = "", status: str = "", floating: bool | None = None,
                   in_service: bool | None = None) -> tuple[IO[bytes], str, str]:
    """The member list as filtered, masked, in a temporary xlsx; the export itself is audited (no names in the entry)."""
    members = member_list(actor, org=org, query=query, status=status, floating=floating, in_service=in_service)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员名单")
    sheet.freeze_panes = "A2"
    _header_row(sheet, MEMBER_EXPORT_HEADERS, MEMBER_EXPORT_WIDTHS)
    genders, statuses = dict(Gender.choices), dict(MemberStatus.choices)
    count = 0
    rows = members.values_list("name", "gender", "id_number_masked", "mobile_masked", "org__name", "status", "joined_on",
                               "probation_end", "floating", "floating_location", "in_service", "employer")
    for (name, gender, id_masked, mobile_masked, org_name, member_status, joined_on, probation_end, is_floating,
         floating_location, is_in_service, employer) in rows.iterator(chunk_size=2000):
        count += 1
        sheet.append([count, name, genders.get(gender, ""), id_masked, mobile_masked, org_name,
                      statuses.get(member_status, member_status), _date(joined_on), _date(probation_end),
                      _yes_no(is_floating), floating_location, _yes_no(is_in_service), employer])
    handle = _spooled(workbook)
    target = _export_audit_target(actor, org, Permission.MEMBER_VIEW)
    if target is not None:
        with transaction.atomic():
            audit_record(actor=actor, action="member.export", obj=target, org=target, after={
                "rows": count, "query": query, "status": status, "floating": floating, "in_service": in_service,
            })
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    scope = f"{org.name}_" if org is not None else ""
    return handle, f"党员名单_{scope}{stamp}.xlsx", f"members-{stamp}.xlsx"


# ---------------------------------------------------------------- org list

ORG_EXPORT_HEADERS = ["组织ID", "组织名称", "上级组织", "层级", "类型", "领域", "行政区划代码", "是否临时", "撤销日期", "地址",
                      "简称", "状态", "直属正式党员", "直属预备党员"]
ORG_EXPORT_WIDTHS = [10, 36, 36, 22, 18, 10, 14, 10, 12, 30, 14, 8, 12, 12]


def org_filter(user, params: Mapping[str, str]) -> Org | None:
    org_pk = (params.get("org") or "").strip()
    if not org_pk:
        return None
    return get_org_for_user(user, org_pk if org_pk.isdigit() else 0)


def export_orgs(*, actor, org: Org | None = None) -> tuple[IO[bytes], str, str]:
    """The org tree the user sees (under `org` when given) in tree order, with direct member counts."""
    orgs = orgs_visible_to(actor)
    if org is not None:
        orgs = orgs.filter(path__under=org.path)
    rows = orgs.order_by("path").values_list(
        "id", "name", "path", "level", "kind", "sector", "division_code", "temporary", "end_date", "address",
        "short_name", "is_active", "member_count__full", "member_count__probationary",
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党组织")
    sheet.freeze_panes = "A2"
    _header_row(sheet, ORG_EXPORT_HEADERS, ORG_EXPORT_WIDTHS)
    levels, kinds, sectors = dict(Level.choices), dict(Kind.choices), dict(Sector.choices)
    names: dict[str, str] = {}
    steplen = Org.steplen
    for (pk, name, path, level, kind, sector, division_code, temporary, end_date, address, short_name, is_active,
         full, probationary) in rows.iterator(chunk_size=2000):
        names[path] = name
        parent_path = path[:-steplen]
        if parent_path and parent_path not in names:
            # the top of the export: its parent is shown only when the user may see it
            parent = orgs_visible_to(actor).filter(path=parent_path).values_list("name", flat=True).first()
            names[parent_path] = parent or ""
        sheet.append([pk, name, names.get(parent_path, ""), levels.get(level, level), kinds.get(kind, kind),
                      sectors.get(sector, ""), division_code, _yes_no(temporary), _date(end_date), address, short_name,
                      "有效" if is_active else "已撤销", full or 0, probationary or 0])
    handle = _spooled(workbook)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    scope = f"{org.name}_" if org is not None else ""
    return handle, f"党组织_{scope}{stamp}.xlsx", f"orgs-{stamp}.xlsx"

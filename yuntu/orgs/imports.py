"""Excel imports of orgs and members: every row is checked first, then all rows are written in one
transaction, or none are.

Why validate everything before writing: an import that stops half way leaves the secretary with a
tree that is neither the old one nor the file, and no way to tell which rows landed. So the file is
read once, each row checked (required cells, ID check digit, mobile, dates, Chinese choices,
duplicates inside the file and against the register, the org in the importer's scope), and the
errors come back as a list of {row, column, message} in Chinese. Only a clean file is written:
members in bulk (ciphertext, digests and search text prepared outside the write transaction, so
the database is locked for the inserts only), the member roll-up by one `F()`
update per org, one audit entry per import.
"""

import datetime
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import has_permission_anywhere, scope_paths, visible
from yuntu.accounts.roles import Permission
from yuntu.core import chinese, clock, crypto

from .models import ImportJob, Kind, Level, Member, MemberStatus, Org, OrgMemberCount, Sector
from .services import LEVEL_ORDER, org_create

MAX_MEMBER_ROWS = 200_000
MAX_ORG_ROWS = 10_000
PROGRESS_EVERY = 1_000
MAX_REPORTED_ERRORS = 1_000
WRITE_BATCH = 5_000
LOOKUP_CHUNK = 500
EXAMPLE_MARK = "【示例】"
XLSX_SIGNATURE = b"PK\x03\x04"
YES_NO = ("是", "否")
MEMBER_LEVELS = (Level.COMMUNITY, Level.BRANCH, Level.GROUP)
MEMBER_SHEET = "党员信息"
ORG_SHEET = "党组织信息"

Progress = Callable[[int, int], None]


class ImportRejected(Exception):
    """The file as a whole cannot be imported (not an xlsx, too large, no header, too many rows)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()
    width: int = 14
    text: bool = False
    help: str = ""

    @property
    def title(self) -> str:
        """The header cell as written in the template: 党员类别*(正式党员/预备党员)."""
        return self.header + ("*" if self.required else "") + (f"({self.hint})" if self.hint else "")


MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", required=True, width=12, help="党员姓名，不超过64字。"),
    Column("id_number", "身份证号", required=True, width=22, text=True,
           help="18位居民身份证号码（GB 11643），系统会核对校验位；请保持本列为文本格式，以免末几位被Excel改成0。"),
    Column("mobile", "手机号", width=14, text=True, help="11位中国大陆手机号，可不填。"),
    Column("org", "所属党组织", required=True, width=32,
           help="党组织全称（须与系统中完全一致）或组织ID；须是您有权维护党员的党支部、党小组或党总支（社区党组织）。"
                "名称重名时请填写组织ID（见“可选组织”表或党组织导出表）。"),
    Column("status", "党员类别", required=True, hint="正式党员/预备党员", choices=tuple(MemberStatus.labels), width=22,
           help="填写“正式党员”或“预备党员”。"),
    Column("joined_on", "入党日期", width=14, help="日期，如 2015-07-01；不能晚于今天。"),
    Column("probation_end", "预备期满日期", width=14, help="预备党员必填，应晚于入党日期。"),
    Column("floating", "是否流动党员", hint="是/否", choices=YES_NO, width=18, help="填写“是”或“否”，不填视为“否”。"),
    Column("floating_location", "流入地", width=16, help="流动党员的流入地，可不填。"),
    Column("in_service", "是否在职党员", hint="是/否", choices=YES_NO, width=18, help="填写“是”或“否”，不填视为“否”。"),
    Column("employer", "工作单位", width=24, help="可不填，不超过128字。"),
    Column("home_address", "居住地址", width=30, help="可不填，不超过255字。"),
)

ORG_COLUMNS: tuple[Column, ...] = (
    Column("name", "组织名称", required=True, width=32, help="党组织全称，不超过128字；同一上级组织下不能重名。"),
    Column("parent", "上级组织", required=True, width=32,
           help="已有党组织的全称或组织ID，须在您有权维护的范围内；也可以填写本表中前面行新建的组织名称。"),
    Column("level", "层级", required=True, choices=tuple(Level.labels), width=24,
           help="从下拉列表选择；下级组织的层级不能高于上级组织。"),
    Column("kind", "类型", choices=tuple(Kind.labels), width=20, help="可不填，默认为“常规”。"),
    Column("sector", "领域", choices=tuple(Sector.labels), width=12, help="可不填。"),
    Column("division_code", "行政区划代码", width=16, text=True,
           help="GB/T 2260 代码：区（县）6位、街道（乡镇）9位、社区（村）12位，可不填。"),
    Column("temporary", "是否临时", hint="是/否", choices=YES_NO, width=14, help="临时党组织填“是”，并须填写撤销日期。"),
    Column("end_date", "撤销日期", width=14, help="日期，如 2026-12-31；临时党组织必填。"),
    Column("address", "地址", width=30, help="可不填，不超过255字。"),
    Column("short_name", "简称", width=16, help="可不填，不超过64字。"),
)

COLUMNS = {ImportJob.Kind.MEMBERS: MEMBER_COLUMNS, ImportJob.Kind.ORGS: ORG_COLUMNS}
SHEET_NAMES = {ImportJob.Kind.MEMBERS: MEMBER_SHEET, ImportJob.Kind.ORGS: ORG_SHEET}
MAX_ROWS = {ImportJob.Kind.MEMBERS: MAX_MEMBER_ROWS, ImportJob.Kind.ORGS: MAX_ORG_ROWS}


@dataclass
class ImportResult:
    total_rows: int = 0
    created_count: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.error_count


# ---------------------------------------------------------------- the file as a whole


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_xlsx(file: IO[bytes]) -> None:
    """Refuse what is not an .xlsx workbook or is too large, before any cell is read."""
    file.seek(0, os.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRejected(f"文件大小为{_megabytes(size)}，超过上限{_megabytes(settings.IMPORT_MAX_BYTES)}；"
                             "请分成几个文件导入。")
    if size == 0:
        raise ImportRejected("上传的文件是空的。")
    head = file.read(4)
    file.seek(0)
    if head != XLSX_SIGNATURE:
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportRejected("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为”.xlsx 格式后再导入。")
        raise ImportRejected("文件不是 Excel 工作簿（.xlsx），请使用系统提供的模板填写后上传。")
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportRejected("文件已损坏或不是 Excel 工作簿（.xlsx），无法读取。") from error
    finally:
        file.seek(0)
    if "xl/workbook.xml" not in names:
        raise ImportRejected("文件不是 Excel 工作簿（.xlsx），请使用系统提供的模板填写后上传。")


def cell_text(value: Any) -> str:
    """A cell as trimmed text: numbers without '.0', dates as ISO, booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").replace("\xa0", " ").strip()


def header_key(value: Any) -> str:
    """姓名* / 党员类别*(正式党员/预备党员) / 流入地（选填） → the bare header."""
    text = cell_text(value)
    for mark in ("*", "＊", "(", "（"):
        text = text.split(mark, 1)[0]
    return text.strip()


@dataclass
class Sheet:
    columns: dict[str, int]  # key → 0-based position in the row
    labels: dict[str, str]  # key → 身份证号（B列）
    rows: Iterator[tuple[int, tuple]]
    estimated_rows: int
    workbook: Any


def open_sheet(file: IO[bytes], kind: str) -> Sheet:
    """Check the file, open the data sheet and map its header row onto the expected columns."""
    import openpyxl

    check_xlsx(file)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a broken or foreign zip
        raise ImportRejected("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。") from error
    try:
        sheet_name = SHEET_NAMES[kind]
        worksheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
        estimated = max(0, (worksheet.max_row or 1) - 1)
        worksheet.reset_dimensions()  # some writers declare a wrong size; read the cells that are really there
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or not any(cell_text(value) for value in header):
            raise ImportRejected("表格是空的：第1行应为表头，请使用系统提供的模板。")
        expected = {column.header: column for column in COLUMNS[kind]}
        positions: dict[str, int] = {}
        labels: dict[str, str] = {}
        for index, value in enumerate(header):
            key = header_key(value)
            column = expected.get(key)
            if column is None:
                continue
            if column.key in positions:
                raise ImportRejected(f"表头中“{column.header}”列出现了两次，请删除多余的一列。")
            positions[column.key] = index
            labels[column.key] = f"{column.header}（{get_column_letter(index + 1)}列）"
        missing = [column.header for column in COLUMNS[kind] if column.required and column.key not in positions]
        if missing:
            raise ImportRejected(f"表头缺少必填列：{'、'.join(missing)}。请使用系统提供的模板，不要修改第1行。")
    except ImportRejected:
        workbook.close()
        raise
    except Exception as error:
        workbook.close()
        raise ImportRejected("无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式。") from error
    width = max(positions.values()) + 1
    limit = MAX_ROWS[kind]
    # The declared size only guides the progress bar: formatted empty rows inflate it, so rows are counted as read.
    estimated = min(estimated, limit)

    def data_rows() -> Iterator[tuple[int, tuple]]:
        count = 0
        for number, row in enumerate(rows, start=2):
            row = tuple(row[:width]) + (None,) * (width - len(row))
            if not any(cell_text(value) for value in row):
                continue
            first = cell_text(row[positions[COLUMNS[kind][0].key]])
            if first.startswith(EXAMPLE_MARK):
                continue
            count += 1
            if count > limit:
                raise ImportRejected(f"表格超过单次导入上限{limit}行，请分成几个文件导入。")
            yield number, row

    return Sheet(columns=positions, labels=labels, rows=data_rows(), estimated_rows=estimated, workbook=workbook)


# ---------------------------------------------------------------- cells


class CellError(Exception):
    pass


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        elif 1 <= value < 73051:  # an Excel serial day number (1900-01-01 … 2099-12-31) in a cell not formatted as date
            return from_excel(value).date()
    text = cell_text(value).split(" ", 1)[0]
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"日期“{text}”无法识别，请填写如 2021-07-01 的日期。")


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "×", ""}


def parse_bool(value: Any) -> bool:
    text = cell_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(f"“{text}”无效，请填写“是”或“否”。")


def parse_choice(value: Any, choices, *, what: str) -> str:
    """A Chinese label (or the stored code) of a TextChoices → the stored code."""
    text = cell_text(value)
    for code, label in choices.choices:
        if text in (label, code):
            return code
    labels = "、".join(f"“{label}”" for label in choices.labels)
    raise CellError(f"{what}“{text}”无效，应为{labels}之一。")


def parse_status(value: Any) -> str:
    text = cell_text(value)
    aliases = {"正式": MemberStatus.FULL, "预备": MemberStatus.PROBATIONARY}
    if text in aliases:
        return aliases[text]
    return parse_choice(text, MemberStatus, what="党员类别")


def limited(value: Any, length: int) -> str:
    text = cell_text(value)
    if len(text) > length:
        raise CellError(f"内容过长（{len(text)}字），不能超过{length}字。")
    return text


def id_number_cell(value: Any) -> str:
    if isinstance(value, float):  # Excel keeps 15 significant digits: an 18-digit number has lost its tail
        raise CellError("身份证号被Excel存成了数字，末几位可能已变成0。请把该列设为“文本”格式后重新填写。")
    try:
        return chinese.validate_id_number(cell_text(value))
    except ValidationError as error:
        raise CellError(error.messages[0]) from error


def mobile_cell(value: Any) -> str:
    text = cell_text(value)
    if not text:
        return ""
    try:
        return chinese.validate_mobile(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from error


# ---------------------------------------------------------------- errors


class Errors:
    """Errors by row and column, kept in reading order; the stored list is capped, the count is not."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.items: list[dict] = []
        self.count = 0

    def add(self, row: int | None, key: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED_ERRORS:
            self.items.append({"row": row, "column": self.labels.get(key, ""), "message": message})

    def result(self, total_rows: int) -> ImportResult:
        items = sorted(self.items, key=lambda item: (item["row"] or 0))
        if self.count > len(items):
            items.append({"row": None, "column": "",
                          "message": f"另有{self.count - len(items)}处错误未列出，请先修正以上错误后重新导入。"})
        return ImportResult(total_rows=total_rows, errors=items, error_count=self.count)


def rejection(message: str) -> ImportResult:
    return ImportResult(errors=[{"row": None, "column": "", "message": message}], error_count=1)


# ---------------------------------------------------------------- org references


@dataclass(frozen=True)
class OrgRef:
    id: int
    name: str
    path: str
    depth: int
    level: str


class OrgResolver:
    """Find orgs by exact name or id among those where the user holds `permission`.

    'Not found' and 'outside your scope' are one answer, so an import cannot probe other subtrees.
    """

    FIELDS = ("id", "name", "path", "depth", "level")

    def __init__(self, user, permission: str):
        self.queryset = visible(user, Org, permission).filter(is_active=True)
        self.by_id: dict[int, OrgRef | None] = {}
        self.by_name: dict[str, list[OrgRef]] = {}

    def by_pk(self, pk: int) -> OrgRef | None:
        if pk not in self.by_id:
            row = self.queryset.filter(pk=pk).values_list(*self.FIELDS).first()
            self.by_id[pk] = OrgRef(*row) if row else None
        return self.by_id[pk]

    def named(self, name: str) -> list[OrgRef]:
        if name not in self.by_name:
            self.by_name[name] = [OrgRef(*row) for row in self.queryset.filter(name=name).values_list(*self.FIELDS)[:5]]
        return self.by_name[name]

    def resolve(self, reference: str) -> OrgRef:
        if reference.isdigit():
            found = self.by_pk(int(reference))
            if found is not None:
                return found
        matches = self.named(reference)
        if not matches:
            raise CellError(f"找不到党组织“{reference}”，或该组织不在您的管理范围内。请填写系统中的组织全称或组织ID。")
        if len(matches) > 1:
            raise CellError(f"有多个名为“{reference}”的党组织，请改填组织ID以区分。")
        return matches[0]


def common_org(paths: list[str]) -> Org | None:
    """The deepest org above all the given paths: where the import's audit entry is filed."""
    if not paths:
        return None
    prefix = os.path.commonprefix(paths)
    prefix = prefix[: len(prefix) - len(prefix) % Org.steplen] or paths[0][: Org.steplen]
    return Org.objects.filter(path=prefix).first()


def _require_import_permission(actor) -> None:
    if not has_permission_anywhere(actor, Permission.IMPORT_RUN):
        raise PermissionDenied("无权导入数据。")


def _report(progress: Progress | None, processed: int, estimated: int) -> None:
    if progress is not None:
        progress(processed, max(processed, estimated))


# ---------------------------------------------------------------- members


@dataclass(slots=True)
class MemberRow:
    """One checked row, with everything costly (ciphertext, digests, search text) already computed."""

    org_id: int
    org_path: str
    name: str
    status: str
    joined_on: datetime.date | None
    probation_end: datetime.date | None
    floating: bool
    floating_location: str
    in_service: bool
    employer: str
    home_address: str
    id_number_encrypted: str
    id_number_digest: str
    id_number_masked: str
    birth_date: datetime.date
    gender: str
    mobile_encrypted: str
    mobile_digest: str
    mobile_masked: str
    search_text: str

    def member(self) -> Member:
        return Member(
            org_id=self.org_id, org_path=self.org_path, name=self.name, status=self.status,
            joined_on=self.joined_on, probation_end=self.probation_end, floating=self.floating,
            floating_location=self.floating_location, in_service=self.in_service, employer=self.employer,
            home_address=self.home_address, id_number_encrypted=self.id_number_encrypted,
            id_number_digest=self.id_number_digest, id_number_masked=self.id_number_masked,
            birth_date=self.birth_date, gender=self.gender, mobile_encrypted=self.mobile_encrypted,
            mobile_digest=self.mobile_digest, mobile_masked=self.mobile_masked, search_text=self.search_text,
        )


def import_members(*, actor, file: IO[bytes], file_name: str = "", progress: Progress | None = None) -> ImportResult:
    """Check every row of a member sheet; when all are valid, create all members in one transaction."""
    _require_import_permission(actor)
    sheet = open_sheet(file, ImportJob.Kind.MEMBERS)
    try:
        rows, digest_rows, errors, total = _check_member_rows(actor, sheet, progress)
    finally:
        sheet.workbook.close()
    if total == 0:
        return rejection("表格中没有数据行：请从第2行开始填写（以“【示例】”开头的示例行不会导入）。")
    _check_registered_id_numbers(digest_rows, errors)
    _report(progress, total, total)
    if errors.count:
        return errors.result(total)
    prepared = _prepare_members(rows)
    del rows
    try:
        with transaction.atomic():
            created = _write_members(actor, prepared, file_name)
    except IntegrityError:
        return rejection("写入时发现有身份证号码刚被他人登记为党员，本次未导入任何数据；请重新导入以查看具体行。")
    return ImportResult(total_rows=total, created_count=created)


def _check_member_rows(actor, sheet: Sheet, progress: Progress | None):
    columns, errors = sheet.columns, Errors(sheet.labels)
    resolver = OrgResolver(actor, Permission.MEMBER_CHANGE)
    today = clock.today()
    search_cache: dict[str, str] = {}
    first_row_of_digest: dict[str, int] = {}
    rows: list[MemberRow] = []
    total = 0

    def cell(row: tuple, key: str) -> Any:
        position = columns.get(key)
        return row[position] if position is not None else None

    for number, row in sheet.rows:
        total += 1
        if total % PROGRESS_EVERY == 0:
            _report(progress, total, sheet.estimated_rows)
        before = errors.count

        def check(key: str, parse: Callable[[Any], Any], *, cells: tuple = row, at: int = number) -> Any:
            try:
                return parse(cell(cells, key))
            except CellError as error:
                errors.add(at, key, str(error))
                return None

        name = check("name", lambda value: limited(value, 64))
        if name == "":
            errors.add(number, "name", "请填写姓名。")
        id_number = None
        if not cell_text(cell(row, "id_number")):
            errors.add(number, "id_number", "请填写身份证号。")
        else:
            id_number = check("id_number", id_number_cell)
        mobile = check("mobile", mobile_cell)
        org = None
        reference = cell_text(cell(row, "org"))
        if not reference:
            errors.add(number, "org", "请填写所属党组织。")
        else:
            org = check("org", resolver.resolve)
            if org is not None and org.level not in MEMBER_LEVELS:
                errors.add(number, "org", f"党员应编入党支部（党小组）或党总支，“{org.name}”是{Level(org.level).label}。")
                org = None
        status = None
        if not cell_text(cell(row, "status")):
            errors.add(number, "status", "请填写党员类别（正式党员/预备党员）。")
        else:
            status = check("status", parse_status)
        joined_on = check("joined_on", parse_date)
        probation_end = check("probation_end", parse_date)
        floating = check("floating", parse_bool)
        floating_location = check("floating_location", lambda value: limited(value, 128))
        in_service = check("in_service", parse_bool)
        employer = check("employer", lambda value: limited(value, 128))
        home_address = check("home_address", lambda value: limited(value, 255))

        if joined_on and joined_on > today:
            errors.add(number, "joined_on", "入党日期不能晚于今天。")
        if id_number and joined_on and joined_on < chinese.birth_date_from_id_number(id_number):
            errors.add(number, "joined_on", "入党日期早于身份证号中的出生日期。")
        if status == MemberStatus.PROBATIONARY and probation_end is None and not cell_text(cell(row, "probation_end")):
            errors.add(number, "probation_end", "预备党员必须填写预备期满日期。")
        if joined_on and probation_end and probation_end <= joined_on:
            errors.add(number, "probation_end", "预备期满日期应晚于入党日期。")

        digest = crypto.digest(id_number) if id_number else ""
        if digest:
            first = first_row_of_digest.setdefault(digest, number)
            if first != number:
                errors.add(number, "id_number", f"身份证号与第{first}行重复。")
        if errors.count != before:
            continue
        if errors.count:  # some earlier row is wrong: nothing will be written, skip the costly part
            continue
        assert id_number is not None and org is not None and status is not None and name is not None
        if name not in search_cache:
            search_cache[name] = chinese.search_text(name)
        rows.append(MemberRow(
            org_id=org.id, org_path=org.path, name=name, status=status, joined_on=joined_on,
            probation_end=probation_end, floating=bool(floating), floating_location=floating_location or "",
            in_service=bool(in_service), employer=employer or "", home_address=home_address or "",
            id_number_encrypted=crypto.encrypt(id_number), id_number_digest=digest,
            id_number_masked=chinese.mask_id_number(id_number),
            birth_date=chinese.birth_date_from_id_number(id_number), gender=chinese.gender_from_id_number(id_number),
            mobile_encrypted=crypto.encrypt(mobile) if mobile else "", mobile_digest=crypto.digest(mobile) if mobile else "",
            mobile_masked=chinese.mask_mobile(mobile) if mobile else "", search_text=search_cache[name],
        ))
    return rows, first_row_of_digest, errors, total


def _check_registered_id_numbers(digest_rows: dict[str, int], errors: Errors) -> None:
    """Against the register, in chunks: a few hundred queries for 10⁵ rows rather than one per row."""
    digests = list(digest_rows)
    for start in range(0, len(digests), LOOKUP_CHUNK):
        chunk = digests[start:start + LOOKUP_CHUNK]
        for digest in Member.objects.filter(id_number_digest__in=chunk).values_list("id_number_digest", flat=True):
            errors.add(digest_rows[digest], "id_number", "该身份证号码已登记为党员。")


@dataclass
class PreparedMembers:
    """Checked rows made ready for the INSERT, and their roll-up by org, before the transaction opens."""

    rows: list[MemberRow]  # for bulk_create …
    sql: str  # … or, on SQLite, one INSERT and the parameters of every row
    params: list[list]
    counts: dict[int, Counter]
    paths: dict[int, str]

    def __len__(self) -> int:
        return len(self.rows) or len(self.params)


def _prepare_members(rows: list[MemberRow]) -> PreparedMembers:
    """Group the roll-up, and on SQLite prepare the INSERT parameters, outside the write transaction.

    Why SQLite differs: it is the embedded default with IMMEDIATE transactions and a single writer,
    and bulk_create there prepares every value inside the transaction in 999-parameter statements —
    ~15 s of the only write lock per 10⁵ members, close to the 20 s busy timeout of every other
    writer. So on SQLite the values are prepared here exactly as Django would (each field's
    pre_save and db prep, columns from the model's own fields) and the transaction only runs one
    cached single-row INSERT through executemany. PostgreSQL keeps bulk_create, which sends each
    batch as one UNNEST statement and blocks no other writer meanwhile.
    """
    counts: dict[int, Counter] = {}
    paths: dict[int, str] = {}
    for row in rows:
        counts.setdefault(row.org_id, Counter())[row.status] += 1
        paths[row.org_id] = row.org_path
    connection = connections[router.db_for_write(Member)]
    if connection.vendor != "sqlite":
        return PreparedMembers(rows=rows, sql="", params=[], counts=counts, paths=paths)
    fields = [model_field for model_field in Member._meta.concrete_fields if not model_field.primary_key]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(Member._meta.db_table)} ({', '.join(quote(each.column) for each in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    params = []
    for row in rows:
        member = row.member()
        params.append([each.get_db_prep_save(each.pre_save(member, True), connection) for each in fields])
    return PreparedMembers(rows=[], sql=sql, params=params, counts=counts, paths=paths)


def _write_members(actor, prepared: PreparedMembers, file_name: str) -> int:
    if prepared.sql:
        with connections[router.db_for_write(Member)].cursor() as cursor:
            for start in range(0, len(prepared.params), WRITE_BATCH):
                cursor.executemany(prepared.sql, prepared.params[start:start + WRITE_BATCH])
    else:
        for start in range(0, len(prepared.rows), WRITE_BATCH):
            Member.objects.bulk_create([row.member() for row in prepared.rows[start:start + WRITE_BATCH]])
    for org_id, by_status in prepared.counts.items():
        full, probationary = by_status[MemberStatus.FULL], by_status[MemberStatus.PROBATIONARY]
        updated = OrgMemberCount.objects.filter(org_id=org_id).update(
            full=F("full") + full, probationary=F("probationary") + probationary
        )
        if not updated:
            OrgMemberCount.objects.create(org_id=org_id, org_path=prepared.paths[org_id], full=full,
                                          probationary=probationary)
    target = common_org(list(prepared.paths.values()))
    created = len(prepared)
    audit_record(actor=actor, action="member.import", obj=target, org=target, after={
        "file": file_name, "created": created, "orgs": len(prepared.counts),
        "full": sum(by_status[MemberStatus.FULL] for by_status in prepared.counts.values()),
        "probationary": sum(by_status[MemberStatus.PROBATIONARY] for by_status in prepared.counts.values()),
    })
    return created


# ---------------------------------------------------------------- orgs


@dataclass
class OrgRow:
    number: int
    name: str
    parent: OrgRef | None  # an existing org …
    parent_row: int | None  # … or a row earlier in the file
    fields: dict


def import_orgs(*, actor, file: IO[bytes], file_name: str = "", progress: Progress | None = None) -> ImportResult:
    """Check every row of an org sheet; when all are valid, create the orgs in order in one transaction.

    A parent may be an existing org in the user's scope or an org defined on an earlier row.
    """
    _require_import_permission(actor)
    sheet = open_sheet(file, ImportJob.Kind.ORGS)
    try:
        raw_rows = list(sheet.rows)
    finally:
        sheet.workbook.close()
    if not raw_rows:
        return rejection("表格中没有数据行：请从第2行开始填写（以“【示例】”开头的示例行不会导入）。")
    total = len(raw_rows)
    rows, errors = _check_org_rows(actor, sheet, raw_rows, progress)
    _report(progress, total, total)
    if errors.count:
        return errors.result(total)
    created: dict[int, Org] = {}
    current = 0
    try:
        with transaction.atomic():
            for row in rows:
                current = row.number
                if row.parent_row is not None:
                    parent = created[row.parent_row]
                else:
                    assert row.parent is not None
                    parent = Org.objects.get(pk=row.parent.id)
                created[row.number] = org_create(actor=actor, parent=parent, name=row.name, **row.fields)
            roots = [row.parent.path for row in rows if row.parent is not None]
            target = common_org(roots)
            audit_record(actor=actor, action="org.import", obj=target, org=target,
                         after={"file": file_name, "created": len(created)})
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        return ImportResult(total_rows=total, error_count=1,
                            errors=[{"row": current, "column": "", "message": "；".join(messages)}])
    return ImportResult(total_rows=total, created_count=len(created))


def _check_org_rows(actor, sheet: Sheet, raw_rows: list[tuple[int, tuple]], progress: Progress | None):
    columns, errors = sheet.columns, Errors(sheet.labels)
    resolver = OrgResolver(actor, Permission.ORG_CHANGE)
    defined: dict[str, int] = {}  # name → first row defining it
    levels: dict[int, str | None] = {}  # row → its level (None when the row itself is wrong)
    all_names: dict[str, int] = {}
    for number, row in raw_rows:
        name = cell_text(row[columns["name"]])
        if name:
            all_names.setdefault(name, number)
    rows: list[OrgRow] = []

    for index, (number, row) in enumerate(raw_rows, start=1):
        if index % PROGRESS_EVERY == 0:
            _report(progress, index, len(raw_rows))
        before = errors.count

        def cell(key: str, cells: tuple = row) -> Any:
            position = columns.get(key)
            return cells[position] if position is not None else None

        def check(key: str, parse: Callable[[Any], Any], *, at: int = number) -> Any:
            try:
                return parse(cell(key))
            except CellError as error:
                errors.add(at, key, str(error))
                return None

        name = check("name", lambda value: limited(value, 128))
        if name == "":
            errors.add(number, "name", "请填写组织名称。")
        short_name = check("short_name", lambda value: limited(value, 64))
        level = None
        if not cell_text(cell("level")):
            errors.add(number, "level", "请填写层级。")
        else:
            level = check("level", lambda value: parse_choice(value, Level, what="层级"))
        kind = check("kind", lambda value: parse_choice(value, Kind, what="类型") if cell_text(value) else Kind.STANDARD)
        sector = check("sector", lambda value: parse_choice(value, Sector, what="领域") if cell_text(value) else "")
        division_code = cell_text(cell("division_code"))
        if division_code and (not division_code.isdigit() or len(division_code) not in (6, 9, 12)):
            errors.add(number, "division_code", "行政区划代码应为6位（区县）、9位（街道乡镇）或12位（社区村）数字。")
        temporary = check("temporary", parse_bool)
        end_date = check("end_date", parse_date)
        if temporary and end_date is None and not cell_text(cell("end_date")):
            errors.add(number, "end_date", "临时党组织必须填写撤销日期。")
        address = check("address", lambda value: limited(value, 255))

        parent: OrgRef | None = None
        parent_row: int | None = None
        parent_level: str | None = None
        reference = cell_text(cell("parent"))
        if not reference:
            errors.add(number, "parent", "请填写上级组织。")
        else:
            in_file = defined.get(reference)
            try:
                existing: OrgRef | None = resolver.resolve(reference)
            except CellError as error:
                existing, problem = None, str(error)
            else:
                problem = ""
            if in_file is not None and existing is not None and not reference.isdigit():
                errors.add(number, "parent", f"“{reference}”既是第{in_file}行新建的组织，又是已有组织的名称；"
                                             f"请改填已有组织的ID（{existing.id}），或修改新建组织的名称。")
            elif in_file is not None and existing is None:
                parent_row, parent_level = in_file, levels.get(in_file)
            elif existing is not None:
                parent, parent_level = existing, existing.level
            elif reference in all_names and all_names[reference] > number:
                errors.add(number, "parent", f"上级组织“{reference}”在第{all_names[reference]}行才定义，请把上级组织放在前面的行。")
            else:
                errors.add(number, "parent", problem)
        if level and parent_level and LEVEL_ORDER.index(level) < LEVEL_ORDER.index(parent_level):
            errors.add(number, "level", f"下级组织的层级不能高于上级组织（上级为{Level(parent_level).label}）。")
        if name:
            if name in defined:
                errors.add(number, "name", f"组织名称与第{defined[name]}行重复。")
            elif parent is not None and Org.objects.filter(
                path__under=parent.path, depth=parent.depth + 1, name=name
            ).exists():
                errors.add(number, "name", "上级组织下已有同名组织。")
            defined.setdefault(name, number)
        levels[number] = level if errors.count == before else None
        if errors.count == before:
            rows.append(OrgRow(number=number, name=name or "", parent=parent, parent_row=parent_row, fields={
                "short_name": short_name or "", "level": level, "kind": kind, "sector": sector,
                "division_code": division_code, "temporary": bool(temporary), "end_date": end_date,
                "address": address or "",
            }))
    return rows, errors


# ---------------------------------------------------------------- jobs

IMPORTERS = {ImportJob.Kind.MEMBERS: import_members, ImportJob.Kind.ORGS: import_orgs}


def import_file(*, kind: str, actor, file: IO[bytes], file_name: str = "", progress: Progress | None = None) -> ImportResult:
    return IMPORTERS[kind](actor=actor, file=file, file_name=file_name, progress=progress)


def import_scope_root(user) -> Org | None:
    """The org an import job is filed under: the top of the user's import scope."""
    paths = scope_paths(user, Permission.IMPORT_RUN)
    if not paths:
        return None
    if "" in paths:
        return Org.objects.filter(depth=1).order_by("path").first()
    return Org.objects.filter(path__in=paths).order_by("path").first()


def import_job_start(*, actor, kind: str, upload) -> ImportJob:
    """File an uploaded workbook as a job and queue it; the rows are read by the background task."""
    from uuid import uuid4

    from .tasks import run_import

    _require_import_permission(actor)
    if kind not in ImportJob.Kind.values:
        raise ValidationError({"kind": "请选择导入类型。"})
    try:
        check_xlsx(upload)
    except ImportRejected as rejected:
        raise ValidationError({"file": rejected.message}) from rejected
    org = import_scope_root(actor)
    if org is None:
        raise PermissionDenied("无权导入数据。")
    job = ImportJob(kind=kind, org=org, org_path=org.path, created_by=actor,
                    file_name=os.path.basename(getattr(upload, "name", "") or "")[:255] or "upload.xlsx")
    upload.seek(0)
    job.file.save(f"{uuid4().hex}.xlsx", upload, save=False)  # a random name: the upload holds personal data
    job.save()
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_jobs_of(user):
    """The user's own import jobs, newest first (an import job is seen by its creator only)."""
    return visible(user, ImportJob, Permission.IMPORT_RUN).filter(created_by=user).order_by("-created_at")

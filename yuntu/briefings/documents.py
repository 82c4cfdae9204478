"""A briefing as a document: Word in the GB/T 9704 layout, PDF with its CJK fonts embedded, tables as Excel.

Every renderer takes the same `Issue` (title, header, blocks from the composer), so the page, the
.docx, the .pdf and the .xlsx show the same figures.
"""

import datetime
import io
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from yuntu.core import clock

from . import composer
from .models import Briefing
from .sources import LiveSource, SnapshotSource
from .workflow import BriefingStatus

# Official fonts by name, each with the fallbacks a machine without them uses (Noto CJK on Debian).
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
SONGTI = "宋体"
FALLBACKS = {FANGSONG: ("仿宋", "FangSong", "Noto Serif CJK SC"), XIAOBIAOSONG: ("华文中宋", "Noto Serif CJK SC"),
             HEITI: ("SimHei", "Noto Sans CJK SC"), SONGTI: ("SimSun", "Noto Serif CJK SC")}
RED = "C00000"


@dataclass
class Issue:
    briefing: Briefing
    header: str  # 发文机关标志, e.g. 主题教育工作简报
    number: str  # 第27期
    issuer: str
    date: datetime.date
    document_number: str
    title: str
    blocks: list
    draft: bool


def source_for(briefing: Briefing):
    return SnapshotSource(briefing) if briefing.status == BriefingStatus.PUBLISHED else LiveSource(
        briefing.org, briefing.start, briefing.end)


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def issue_of(briefing: Briefing, source=None) -> Issue:
    source = source or source_for(briefing)
    published = briefing.status == BriefingStatus.PUBLISHED
    number = f"第{briefing.number}期" if briefing.number else "（草稿，签发时编号）"
    date = timezone.localtime(briefing.published_at).date() if briefing.published_at else clock.today()
    words = {"org": briefing.org.name, "period": composer.period_text(briefing.start, briefing.end),
             "number": number, "date": chinese_date(date)}
    return Issue(briefing=briefing, header=briefing.series.name, number=number, issuer=briefing.series.issuer,
                 date=date, document_number=briefing.document_number, draft=not published,
                 title=composer.title_text(briefing.title, source, words),
                 blocks=composer.compose(body=briefing.body, source=source, words=words))


# ---- Word (python-docx) ---------------------------------------------------------------------------------


def _set_font(run, name: str, size: float, *, bold: bool = False, color: str = ""):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")
    return run


def _font_table(document) -> None:
    """Declare the official fonts with their alternative names, so Word and LibreOffice find a fallback."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype == RELATIONSHIP_TYPE.FONT_TABLE),
                None)
    if part is None:
        return
    element = parse_xml(part.blob)
    for name, fallbacks in FALLBACKS.items():
        element.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{fallbacks[0]}"/>'
            f'<w:charset w:val="86"/><w:family w:val="{"swiss" if name == HEITI else "roman"}"/>'
            f'<w:pitch w:val="variable"/></w:font>'))
    from lxml import etree

    part._blob = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _paragraph(document, text: str = "", *, font: str = FANGSONG, size: float = 16, bold: bool = False,
               color: str = "", align: str = "justify", indent: bool = False, after: float = 0, line: float = 29):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(line)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        _set_font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _border(paragraph, side: str, color: str = RED, size: int = 12) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size}" w:space="1" w:color="{color}"/></w:pBdr>'))


def _page_number(footer, align) -> None:
    """— 1 — in 4号 宋体: odd pages on the right, even pages on the left (GB/T 9704 §7.5)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    _set_font(paragraph.add_run("— "), SONGTI, 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _set_font(paragraph.add_run(), SONGTI, 14)
        if kind:
            run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))
        elif text == " PAGE ":
            run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        else:
            run.text = text
    _set_font(paragraph.add_run(" —"), SONGTI, 14)


def _cell_spacing(cell, alignment) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = alignment
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(20)
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.first_line_indent = Pt(0)


def to_docx(issue: Issue) -> bytes:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = docx.Document()
    _font_table(document)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", FANGSONG)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    # 版头: the red header, the number, issuer and date over a red line.
    _paragraph(document, issue.header, font=XIAOBIAOSONG, size=36, color=RED, align="center", line=52, after=10)
    _paragraph(document, issue.number, align="center", after=4)
    if issue.document_number:
        _paragraph(document, issue.document_number, align="center", after=4)
    head = _paragraph(document, align="justify", after=18)
    _set_font(head.add_run(issue.issuer), FANGSONG, 16)
    head.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)  # right tab at the text block's edge
    _set_font(head.add_run("\t" + chinese_date(issue.date)), FANGSONG, 16)
    _border(head, "bottom", size=18)

    # 主体: title in 2号小标宋, body in 3号仿宋 with headings in 黑体.
    _paragraph(document, issue.title, font=XIAOBIAOSONG, size=22, align="center", line=36, after=16)
    for block in issue.blocks:
        if block.kind == "heading":
            _paragraph(document, block.text, font=HEITI, size=16, indent=True)
        elif block.kind == "paragraph":
            _paragraph(document, block.text, indent=True)
        elif block.kind == "list":
            for number, item in enumerate(block.items, 1):
                _paragraph(document, f"{number}. {item}", size=14, indent=True, line=24)
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                _set_font(cell.paragraphs[0].add_run(text), HEITI, 12)
                _cell_spacing(cell, WD_ALIGN_PARAGRAPH.CENTER)
            for row in block.rows:
                cells = table.add_row().cells
                for index, (cell, segment) in enumerate(zip(cells, row, strict=True)):
                    cell.text = ""
                    _set_font(cell.paragraphs[0].add_run(segment.text), FANGSONG, 12, bold=row[0].text == "合计")
                    _cell_spacing(cell, WD_ALIGN_PARAGRAPH.CENTER if index else WD_ALIGN_PARAGRAPH.LEFT)
            _paragraph(document, "", line=12)

    # 版记: issued by and when, between two lines.
    _paragraph(document, "", line=29)
    imprint = _paragraph(document, align="justify", size=14, line=26)
    _border(imprint, "top", color="000000", size=8)
    _border(imprint, "bottom", color="000000", size=8)
    imprint.paragraph_format.tab_stops.add_tab_stop(Mm(156), alignment=2)
    _set_font(imprint.add_run(issue.issuer), FANGSONG, 14)
    _set_font(imprint.add_run(f"\t{chinese_date(issue.date)}印发"), FANGSONG, 14)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- PDF (WeasyPrint) ------------------------------------------------------------------------------------


def to_pdf(issue: Issue) -> bytes:
    """The print page through WeasyPrint; the CJK fonts it uses are embedded (subset) in the PDF."""
    from weasyprint import CSS, HTML

    html = render_to_string("briefings/print.html", {"issue": issue})
    stylesheet = CSS(filename=finders.find("briefings/print.css"))
    return HTML(string=html, base_url=".").write_pdf(stylesheets=[stylesheet])


# ---- Excel (openpyxl) ------------------------------------------------------------------------------------


def to_xlsx(issue: Issue, figures: list[dict]) -> bytes:
    """Sheet 1 the figures (with their definition and, once issued, when they were frozen); one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append([issue.header, issue.number, issue.title])
    sheet.append(["指标", "编码", "单位", "数值", "统计范围", "统计期间", "口径", "计算时间"])
    for row in figures:
        sheet.append([row["name"], row["code"], row["unit"], row["value"], row["org"], row["period"],
                      row["definition"], row["computed_at"]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (18, 26, 8, 12, 30, 30, 40, 22), strict=True):
        sheet.column_dimensions[column].width = width
    tables = [block for block in issue.blocks if block.kind == "table"]
    for number, block in enumerate(tables, 1):
        table_sheet = workbook.create_sheet(f"表{number}")
        table_sheet.append(block.header)
        for row in block.rows:
            table_sheet.append([_number_or_text(segment.text) for segment in row])
        for cell in table_sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        table_sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_or_text(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text

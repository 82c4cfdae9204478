"""通报 as a Word document (python-docx): title, issuing org, date, the two sections and closing requirements.

A plain, readable layout; the official GB/T 9704 layout belongs to briefings.
"""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Circular

FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold = name, Pt(size), bold
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)


def _paragraph(document, text: str, *, size: float = 16, bold: bool = False, align=None, indent: bool = True):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), "黑体" if bold else FONT, size)
    return paragraph


def circular_docx(circular: Circular) -> bytes:
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(circular.title), TITLE_FONT, 22)
    _paragraph(document, circular.org.name, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, f"（{circular.period_start:%Y年%m月%d日}—{circular.period_end:%Y年%m月%d日}）",
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "一、存在问题的单位", bold=True)
    for line in circular.lapses.splitlines():
        if line.strip():
            _paragraph(document, line.strip())
    _paragraph(document, "二、表现突出的单位", bold=True)
    for line in circular.commendations.splitlines():
        if line.strip():
            _paragraph(document, line.strip())
    if circular.closing.strip():
        _paragraph(document, "三、工作要求", bold=True)
        for line in circular.closing.splitlines():
            if line.strip():
                _paragraph(document, line.strip())
    issued = timezone.localtime(circular.published_at).date() if circular.published_at else circular.period_end
    _paragraph(document, circular.org.name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, f"{issued.year}年{issued.month}月{issued.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

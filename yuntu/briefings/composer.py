"""Templates with placeholders → a briefing's blocks (headings, paragraphs, tables, lists) with their figures.

Placeholders: `{ledger.problems}` (the figure with its unit; an indicator's Chinese name works too),
`{table:ledger.problems,ledger.measures}` (one row per child unit and a total), `{list:ledger.problems}`
or `{list:ledger.problems:5}` (the first records), and the words `{单位}`, `{期间}`, `{期号}`, `{日期}`.
A line starting with `#` is a heading. Figures come from a *source*: live through the registry for a
draft, frozen snapshots for an issued briefing — so the page, the Word/PDF and the Excel agree.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator

TOKEN = re.compile(r"\{([^{}\n]*)\}")
WORDS = {"单位": "org", "org": "org", "期间": "period", "period": "period", "期号": "number", "number": "number",
         "日期": "date", "date": "date"}
LIST_LIMIT_DEFAULT = 10
LIST_LIMIT_MAX = 50


@dataclass(frozen=True)
class Placeholder:
    kind: str  # figure | table | list | word
    codes: tuple[str, ...] = ()
    word: str = ""
    limit: int = LIST_LIMIT_DEFAULT


def resolve(name: str) -> Indicator:
    """An indicator by code, or by its Chinese name when only one indicator bears it."""
    name = name.strip()
    try:
        return registry.get(name)
    except registry.UnknownIndicator:
        named = [indicator for indicator in registry.declared() if indicator.name == name]
        if len(named) == 1:
            return named[0]
        raise


def parse(token: str) -> Placeholder:
    token = token.strip()
    if token in WORDS:
        return Placeholder(kind="word", word=WORDS[token])
    kind, _, rest = token.partition(":")
    if kind in ("table", "表"):
        return Placeholder(kind="table", codes=tuple(resolve(code).code for code in rest.split(",") if code.strip()))
    if kind in ("list", "列表"):
        code, _, limit = rest.partition(":")
        count = int(limit) if limit.strip().isdigit() else LIST_LIMIT_DEFAULT
        return Placeholder(kind="list", codes=(resolve(code).code,), limit=max(1, min(count, LIST_LIMIT_MAX)))
    return Placeholder(kind="figure", codes=(resolve(token).code,))


def check_template(*texts: str) -> list[Placeholder]:
    """Every placeholder of the texts, or a ValidationError naming each unknown indicator."""
    placeholders, unknown = [], []
    for text in texts:
        for match in TOKEN.finditer(text or ""):
            try:
                placeholder = parse(match.group(1))
            except registry.UnknownIndicator:
                unknown.append(match.group(1).strip())
                continue
            if placeholder.kind == "table" and not placeholder.codes:
                unknown.append(match.group(1).strip())
                continue
            placeholders.append(placeholder)
    if unknown:
        raise ValidationError(
            "模板中有未登记的指标：%(names)s。请使用已登记的指标编码或名称（如 {ledger.problems} 或 {梳理问题}）。",
            params={"names": "、".join(f"{{{name}}}" for name in unknown)}, code="unknown_indicator")
    return placeholders


def needed_figures(body: str, title: str = "") -> dict[str, set[str]]:
    """Which figures a text needs: {"root": codes for the subtree itself, "children": codes per child unit}."""
    needed: dict[str, set[str]] = {"root": set(), "children": set(), "lists": set()}
    for placeholder in check_template(title, body):
        if placeholder.kind == "figure":
            needed["root"].update(placeholder.codes)
        elif placeholder.kind == "table":
            needed["root"].update(placeholder.codes)
            needed["children"].update(placeholder.codes)
        elif placeholder.kind == "list":
            needed["root"].update(placeholder.codes)
            needed["lists"].update(placeholder.codes)
    return needed


@dataclass
class Segment:
    text: str
    code: str = ""  # a figure: the indicator it shows, so a page can link it to its records
    org_id: int | None = None
    url: str = ""  # set by a page: where the figure's records are listed


@dataclass
class Block:
    kind: str  # heading | paragraph | table | list
    segments: list[Segment] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[Segment]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


def period_text(start: datetime.date | None, end: datetime.date | None) -> str:
    def day(value: datetime.date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    if start and end:
        return f"{day(start)}至{day(end)}"
    if end:
        return f"截至{day(end)}"
    if start:
        return f"{day(start)}以来"
    return "截至目前"


def figure_text(value, unit: str) -> str:
    return registry.format_value(value) + ("" if value is None else unit)


def _segments(text: str, source, words: dict) -> list[Segment]:
    segments, position = [], 0
    for match in TOKEN.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position:match.start()]))
        placeholder = parse(match.group(1))
        if placeholder.kind == "word":
            segments.append(Segment(words[placeholder.word]))
        else:
            indicator = registry.get(placeholder.codes[0])
            segments.append(Segment(figure_text(source.value(indicator.code, source.root), indicator.unit),
                                    code=indicator.code, org_id=source.root.pk))
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    return segments


def _table(placeholder: Placeholder, source) -> Block:
    indicators = [registry.get(code) for code in placeholder.codes]
    header = ["单位"] + [indicator.name + ("（%）" if indicator.unit == "%" else f"（{indicator.unit}）")
                       for indicator in indicators]
    rows = []
    for org in [*source.children(), source.root]:
        label = "合计" if org == source.root else (org.short_name or org.name)
        rows.append([Segment(label)] + [Segment(registry.format_value(source.value(indicator.code, org)),
                                                code=indicator.code, org_id=org.pk) for indicator in indicators])
    return Block(kind="table", header=header, rows=rows)


def compose(*, body: str, source, words: dict) -> list[Block]:
    """The blocks of a briefing's body: `#` headings, paragraphs (blank-line separated), tables and lists."""
    blocks = []
    for paragraph in re.split(r"\n\s*\n", (body or "").replace("\r\n", "\n")):
        for line in [paragraph.strip()] if not paragraph.strip().startswith("#") else paragraph.strip().split("\n"):
            line = line.strip()
            if not line:
                continue
            whole = TOKEN.fullmatch(line)
            placeholder = parse(whole.group(1)) if whole else None
            if placeholder and placeholder.kind == "table":
                blocks.append(_table(placeholder, source))
            elif placeholder and placeholder.kind == "list":
                blocks.append(Block(kind="list", items=source.records(placeholder.codes[0], placeholder.limit)))
            elif line.startswith("#"):
                blocks.append(Block(kind="heading", segments=_segments(line.lstrip("#").strip(), source, words)))
            else:
                blocks.append(Block(kind="paragraph", segments=_segments("".join(part.strip() for part in line.split("\n")), source, words)))
    return blocks


def title_text(title: str, source, words: dict) -> str:
    return "".join(segment.text for segment in _segments(title, source, words))

"""Reading figures out of the reports units send in (text or Word): value, unit, multiplier, qualifier,
the indicator phrase, the sentence, and offsets into the ORIGINAL text.

The text is normalised first — traditional characters, full-width digits, spaces inside sentences,
words split across lines, pinyin in brackets — keeping for every normalised character the offset of
the original character it came from, so a figure always points back at the text as it was sent.
"""

import io
import re
import zipfile
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from yuntu.core.chinese import to_simplified
from yuntu.indicators import registry

MAX_BYTES = 10 * 1024 * 1024
ENCODINGS = ("utf-8", "gb18030", "big5")
CJK = r"\u3400-\u9fff"
SENTENCE_END = "。！？!?；;"
WRAPPED_LINE_MIN = 30  # a line this long that stops without punctuation was wrapped, not ended

QUALIFIER_BEFORE = {"近": "nearly", "将近": "nearly", "超": "more_than", "超过": "more_than", "逾": "more_than",
                    "约": "about", "大约": "about", "达": "exact", "达到": "exact"}
QUALIFIER_AFTER = {"余": "more_than", "多": "more_than", "以上": "at_least", "左右": "about"}
MULTIPLIERS = {"千": 1_000, "万": 10_000, "亿": 100_000_000}
UNITS = ("人次", "场次", "班次", "家次", "户次", "平方米", "公里", "小时", "万元", "亿元", "元", "个", "项", "场", "名",
         "人", "次", "期", "篇", "条", "家", "所", "部", "节", "门", "批", "份", "张", "本", "件", "户", "间", "处",
         "支", "座", "栋", "类", "套", "台", "辆", "册", "页", "课", "%")
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
LEADING_WORDS = ("截至目前", "目前", "其中", "累计", "先后", "共计", "共", "已经", "已", "全区", "全市", "同时",
                 "分别", "并", "均", "总计", "合计", "新增")
FULL_WIDTH = {chr(0xFF10 + digit): str(digit) for digit in range(10)} | {"％": "%", "．": ".", "（": "(", "）": ")"}

NUMBER = re.compile(
    rf"(?P<before>将近|超过|大约|达到|近|超|逾|约|达)?"
    rf"(?P<number>\d+(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|[{CN_NUMERAL}]+)"
    rf"(?P<after1>余|多)?(?P<multiplier>[千万亿])?(?P<after2>余|多)?"
    rf"(?P<unit>{'|'.join(re.escape(unit) for unit in UNITS)})(?P<suffix>\(次\))?(?P<after3>以上|左右)?"
)


class ReadingError(ValidationError):
    pass


@dataclass
class Document:
    text: str
    encoding: str
    title: str = ""


@dataclass
class Figure:
    value: Decimal
    unit: str
    qualifier: str
    indicator: str  # the phrase the report names it with, e.g. 梳理问题
    code: str  # the registered indicator that phrase belongs to, or ""
    sentence: str
    start: int  # offsets of the figure in the original text
    end: int
    multiplier: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["value"] = int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        return data


# ---- files: type by content, size, encoding -----------------------------------------------------------


def _looks_like(text: str, encoding: str) -> float:
    """Share of the Han characters that fall in the encoding's common block (GB2312 level 1 / Big5 common)."""
    han = [char for char in text if "\u4e00" <= char <= "\u9fff"]
    if not han:
        return 1.0
    common = 0
    for char in han:
        try:
            first = char.encode("gb2312" if encoding == "gb18030" else "big5")[0]
        except UnicodeEncodeError:
            continue
        common += (0xB0 <= first <= 0xD7) if encoding == "gb18030" else (0xA4 <= first <= 0xC6)
    return common / len(han)


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8, then GB18030, then Big5 — each accepted only if it reads as ordinary Chinese."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        raise ReadingError("文件不是文本文件（含有二进制内容）。请上传文本（.txt）或 Word（.docx）文件。", code="not_text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for encoding in ENCODINGS[1:]:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_looks_like(text, encoding), encoding, text))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.6:
        return scored[0][2], scored[0][1]
    raise ReadingError("无法识别文件的文字编码（已尝试 UTF-8、GB18030、Big5）。请另存为 UTF-8 文本或 Word（.docx）后再上传。",
                       code="encoding")


def _docx_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # a damaged package: python-docx raises several kinds
        raise ReadingError("Word 文件已损坏或不是 .docx 格式，无法读取。", code="bad_docx") from error
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def read_document(data: bytes, *, file_name: str = "") -> Document:
    """The text of a report, by its content (not its name): a Word .docx package or plain text."""
    if not data:
        raise ReadingError("文件是空的。", code="empty")
    if len(data) > MAX_BYTES:
        raise ReadingError(f"文件过大（{len(data) / 1024 / 1024:.1f} MB），报送材料不能超过 {MAX_BYTES // 1024 // 1024} MB。",
                           code="too_large")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            names = []
        if "word/document.xml" not in names:
            raise ReadingError("文件是压缩包而不是 Word（.docx）文件。请上传文本或 Word 文件。", code="not_docx")
        text, encoding = _docx_text(data), "docx"
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadingError("这是旧版 Word（.doc）或其他 Office 文件，请另存为 .docx 后再上传。", code="old_word")
    elif data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise ReadingError("文件不是文本或 Word（.docx）文件。请上传文本（.txt）或 Word（.docx）文件。", code="not_text")
    else:
        text, encoding = decode_text(data)
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Document(text=text, encoding=encoding, title=title[:255])


# ---- normalising, with a map back to the original ------------------------------------------------------


def _is_cjk(char: str) -> bool:
    return bool(char) and ("\u3400" <= char <= "\u9fff" or char in "“”‘’《》（）()、，。：；")


def normalise(text: str) -> tuple[str, list[int]]:
    """Cleaned text and, for each of its characters, the offset of the original character."""
    chars = [(FULL_WIDTH.get(char, char), index) for index, char in enumerate(text)]
    simplified = to_simplified("".join(char for char, _ in chars))
    if len(simplified) == len(chars):
        chars = [(new, index) for new, (_, index) in zip(simplified, chars, strict=True)]
    else:  # a phrase conversion changed the length: fall back to one character at a time
        chars = [(to_simplified(char) if len(to_simplified(char)) == 1 else char, index) for char, index in chars]
    line_lengths = _line_lengths(text)
    kept: list[tuple[str, int]] = []
    position = 0
    while position < len(chars):
        char, index = chars[position]
        if char == "(" and kept and "\u4e00" <= kept[-1][0] <= "\u9fff":
            close = _pinyin_bracket_end(chars, position)
            if close is not None:
                position = close + 1
                continue
        if char.isspace():
            end = position
            while end < len(chars) and chars[end][0].isspace():
                end += 1
            before = kept[-1][0] if kept else ""
            after = chars[end][0] if end < len(chars) else ""
            newline = any(chars[k][0] == "\n" for k in range(position, end))
            joinable = (_is_cjk(before) or before.isdigit()) and (_is_cjk(after) or after.isdigit())
            if newline:
                joinable = joinable and before not in SENTENCE_END and line_lengths.get(index, 0) >= WRAPPED_LINE_MIN
            if not joinable:
                kept.append(("\n" if newline else " ", index))
            position = end
            continue
        kept.append((char, index))
        position += 1
    return "".join(char for char, _ in kept), [index for _, index in kept]


def _line_lengths(text: str) -> dict[int, int]:
    """For each newline's offset, the length of the (stripped) line that ends there."""
    lengths, start = {}, 0
    for match in re.finditer(r"\n", text):
        lengths[match.start()] = len(text[start:match.start()].strip())
        start = match.end()
    # spaces before a newline carry the same line's length
    for offset in list(lengths):
        back = offset - 1
        while back >= 0 and text[back] in " \t\r\u3000":
            lengths[back] = lengths[offset]
            back -= 1
    return lengths


PINYIN = re.compile(r"[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+")


def _pinyin_bracket_end(chars, position: int) -> int | None:
    for end in range(position + 1, min(len(chars), position + 40)):
        if chars[end][0] == ")":
            inner = "".join(char for char, _ in chars[position + 1:end])
            return end if inner.strip() and PINYIN.fullmatch(inner) else None
    return None


# ---- numbers -------------------------------------------------------------------------------------------


def chinese_number(text: str) -> int | None:
    """一千零三十五 → 1035, 两万 → 20000, 十五 → 15; None for what is not a number (一体, 二十大 is 20)."""
    if not text or any(char not in CN_NUMERAL for char in text):
        return None
    total, section, digit = 0, 0, None
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char]
        elif char in CN_SMALL:
            section += (digit if digit is not None else 1) * CN_SMALL[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        elif char == "亿":
            total = (total + section + (digit or 0)) * 100_000_000
            section, digit = 0, None
    return total + section + (digit or 0)


def _number(text: str) -> Decimal | None:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    value = chinese_number(text)
    return Decimal(value) if value is not None else None


# ---- figures -------------------------------------------------------------------------------------------


def _phrases() -> list[tuple[str, str]]:
    pairs = [(phrase, indicator.code) for indicator in registry.declared() for phrase in indicator.phrases]
    pairs += [(indicator.name, indicator.code) for indicator in registry.declared()]
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    start = position
    while start > 0 and text[start - 1] not in SENTENCE_END + "\n":
        start -= 1
    end = position
    while end < len(text) and text[end] not in SENTENCE_END + "\n":
        end += 1
    return start, min(len(text), end + 1)


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    start = position
    while start > sentence_start and text[start - 1] not in "，,、：:（(":
        start -= 1
    return start


TRAILING_WORDS = ("分别达到", "达到", "分别", "已", "达", "为", "共", "累计", "共计", "约", "近", "超过", "超", "逾")


def _phrase_of(clause: str) -> str:
    """The words naming a figure: the clause before the number without its adverbs (目前共开展读书班 → 开展读书班)."""
    phrase = clause.strip(" “”\"'")
    changed = True
    while changed:
        changed = False
        for word in TRAILING_WORDS:
            if phrase.endswith(word) and len(phrase) > len(word):
                phrase, changed = phrase[: -len(word)], True
    changed = True
    while changed:
        changed = False
        for word in LEADING_WORDS:
            if phrase.startswith(word) and len(phrase) > len(word):
                phrase, changed = phrase[len(word):], True
    return phrase


def _skip(text: str, match) -> bool:
    """Ordinals (第27期), years and dates, parts of expressions like 2+7+2, and words made of numerals."""
    start, end = match.start("number"), match.end()
    before = text[start - 1] if start else ""
    if before == "第" or before in "+-/.:" or (end < len(text) and text[end] in "+-"):
        return True
    number = match.group("number")
    if not number[0].isdigit():
        # Chinese numerals: only clean numbers (一千零三十五, 两万, 三十), not 一体 / 一批 / 三期 readings of words.
        if len(number) == 1 and before not in "共有达近超逾约计":
            return True
    return match.group("unit") in ("期", "年") and len(number) == 4


def extract(text: str) -> list[Figure]:
    """Every figure of a report, in order, with offsets into `text` as given."""
    clean, origin = normalise(text)
    phrases = _phrases()
    figures: list[Figure] = []
    last_phrase: dict[int, tuple[str, str]] = {}
    for match in NUMBER.finditer(clean):
        if _skip(clean, match):
            continue
        value = _number(match.group("number"))
        if value is None:
            continue
        unit = match.group("unit") + ("次" if match.group("suffix") else "")
        multiplier = match.group("multiplier") or ""
        if unit in ("万元", "亿元"):
            multiplier, unit = unit[0], "元"
        if multiplier:
            value *= MULTIPLIERS[multiplier]
        after = match.group("after1") or match.group("after2") or match.group("after3")
        before = match.group("before")
        qualifier = QUALIFIER_AFTER.get(after or "") or QUALIFIER_BEFORE.get(before or "") or "exact"
        sentence_start, sentence_end = _sentence_bounds(clean, match.start())
        clause = clean[_clause_start(clean, sentence_start, match.start()):match.start()]
        phrase, code = _phrase_of(clause), ""
        for candidate, candidate_code in phrases:
            if phrase.endswith(candidate):
                phrase, code = candidate, candidate_code
                break
        if len(phrase) <= 2:  # 构建21个社区党组织: the words after the figure name it
            following = re.match(rf"[{CJK}“”]{{1,12}}", clean[match.end():])
            if following:
                phrase = following.group(0).strip("“”")
                code = next((candidate_code for candidate, candidate_code in phrases if phrase.startswith(candidate)), "")
        phrase = phrase[-12:]
        if not phrase and sentence_start in last_phrase:
            phrase, code = last_phrase[sentence_start]  # 74%,65%: the second shares the first's phrase
        if phrase:
            last_phrase[sentence_start] = (phrase, code)
        figure_start = match.start("before") if before and qualifier != "exact" else match.start("number")
        end = match.end() - 1
        figures.append(Figure(value=value, unit=unit, qualifier=qualifier, indicator=phrase, code=code,
                              sentence=clean[sentence_start:sentence_end].strip(), start=origin[figure_start],
                              end=origin[end] + 1, multiplier=multiplier))
    return figures


def compare(first: list[Figure], second: list[Figure]) -> list[dict]:
    """Figures that disagree between two reports of one unit and period, matched by indicator and unit in order."""
    def keyed(figures):
        groups: dict[tuple, list[Figure]] = {}
        for figure in figures:
            groups.setdefault((figure.code or figure.indicator, figure.unit), []).append(figure)
        return groups

    left, right = keyed(first), keyed(second)
    result = []
    for key in list(dict.fromkeys([*left, *right])):
        a_list, b_list = left.get(key, []), right.get(key, [])
        for index in range(max(len(a_list), len(b_list))):
            a = a_list[index] if index < len(a_list) else None
            b = b_list[index] if index < len(b_list) else None
            if a and b and a.value == b.value and a.qualifier == b.qualifier:
                continue
            kind = "changed" if a and b else ("only_in_a" if a else "only_in_b")
            result.append({"kind": kind, "indicator": key[0], "code": (a or b).code, "unit": key[1],
                           "a": a.as_json() if a else None, "b": b.as_json() if b else None})
    return result

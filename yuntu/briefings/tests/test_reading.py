"""Reading figures out of submitted reports: the seed articles, texts written here, and bad files."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yuntu.briefings import reading

SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
HAICANG = SEEDS / "000_4b73757a3ad54303.txt"
FUZHOU = SEEDS / "003_fc7edbf31b6f7b6a.txt"


def _find(figures, value, unit):
    found = [figure for figure in figures if figure.value == Decimal(value) and figure.unit == unit]
    assert found, f"{value}{unit} not found"
    return found[0]


@pytest.fixture(scope="module")
def haicang():
    text = HAICANG.read_text(encoding="utf-8")
    return text, reading.extract(text)


def test_the_haicang_article_yields_its_ledger_figures(haicang):
    text, figures = haicang
    problems = _find(figures, 547, "个")
    assert (problems.code, problems.indicator, problems.qualifier) == ("ledger.problems", "梳理问题", "exact")
    measures = _find(figures, 1035, "项")
    assert measures.code == "ledger.measures" and text[measures.start:measures.end] == "1035 项"  # the original, with its space
    assert _find(figures, 720, "项").code == "ledger.measures_completed"
    rates = [figure for figure in figures if figure.unit == "%"]
    assert [(rate.value, rate.code) for rate in rates] == [(74, "ledger.completion_rate"), (65, "ledger.completion_rate")]
    assert "梳理问题547个" in problems.sentence and "制定整改措施1035项" in problems.sentence


def test_the_haicang_article_yields_multipliers_and_qualifiers(haicang):
    text, figures = haicang
    served = _find(figures, 20000, "人次")
    assert served.qualifier == "more_than" and text[served.start:served.end] == "2万余人次"
    assert _find(figures, 300, "个").qualifier == "nearly"
    assert _find(figures, 840_000_000, "元").qualifier == "exact"
    funds = _find(figures, 9_700_000, "元")
    assert funds.qualifier == "more_than" and text[funds.start:funds.end] == "970余万元"
    assert _find(figures, 152, "期").indicator == "开展读书班"
    assert _find(figures, 796, "条").code == "voices.suggestions"
    assert _find(figures, 141, "家次")
    assert not any(figure.value == 2023 for figure in figures)  # a year is no figure


def test_the_fuzhou_article_yields_its_figures():
    text = FUZHOU.read_text(encoding="utf-8")
    figures = reading.extract(text)
    assert _find(figures, 304, "个").indicator == "建立小区党支部"
    assert _find(figures, 250, "页").qualifier == "more_than"
    assert _find(figures, 1000, "名").qualifier == "more_than"
    assert _find(figures, 296, "名").indicator.startswith("党员中心户")
    assert not any(figure.value in (2021, 100) and figure.unit == "年" for figure in figures)
    for figure in figures:
        assert text[figure.start:figure.end].strip(), figure


def test_chinese_numerals_qualifiers_and_percentages():
    text = "全街道共开展读书班一千零三十五期，服务群众两万人次，超过三百个小区实现全覆盖，群众满意率达到98.5%，建成驿站五十个以上，约12.5万元。"
    figures = reading.extract(text)
    assert [(float(figure.value), figure.unit, figure.qualifier) for figure in figures] == [
        (1035, "期", "exact"), (20000, "人次", "exact"), (300, "个", "more_than"), (98.5, "%", "exact"),
        (50, "个", "at_least"), (125000, "元", "about")]
    assert text[figures[0].start:figures[0].end] == "一千零三十五期"
    assert figures[3].code == "voices.satisfaction_rate"
    assert reading.chinese_number("一千零三十五") == 1035 and reading.chinese_number("两万") == 20000
    assert reading.chinese_number("十五") == 15 and reading.chinese_number("三亿零五万") == 300_050_000


def test_traditional_characters_pinyin_and_noise_point_back_at_the_original():
    text = "截至目前，全區各級黨組織和參學單位聚焦主題梳理問 題 547 個，制定整改\n措施1035項。蔡月英(cài yuè yīng)工作室開展現場教學12場。"
    figures = reading.extract(text)
    problems, measures, teaching = figures
    assert (problems.code, problems.value) == ("ledger.problems", 547) and text[problems.start:problems.end] == "547 個"
    assert measures.code == "ledger.measures"  # 整改\n措施: a word split across a wrapped line (the line is long)
    assert teaching.indicator.endswith("开展现场教学") and "cài" not in teaching.sentence


def test_a_heading_is_not_joined_to_the_next_line():
    figures = reading.extract("一、梳理问题\n共召开会议12场。")
    assert figures[0].indicator == "召开会议"


def test_gbk_and_big5_are_read_deliberately_and_garbage_is_refused():
    text = "全区梳理问题547个，制定整改措施1035项，完成720项。"
    document = reading.read_document(text.encode("gbk"))
    assert document.encoding == "gb18030" and document.text == text
    traditional = "全區梳理問題547個，制定整改措施1035項，完成720項。"
    document = reading.read_document(traditional.encode("big5"))
    assert document.encoding == "big5" and document.text == traditional
    assert [figure.code for figure in reading.extract(document.text)][:2] == ["ledger.problems", "ledger.measures"]
    with pytest.raises(reading.ReadingError, match="无法识别文件的文字编码"):
        reading.read_document("日本語のテキストです、問題を解決します。".encode("shift_jis"))


def test_files_that_are_not_text_or_word_are_refused():
    with pytest.raises(reading.ReadingError, match="不是文本或 Word"):
        reading.read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, file_name="report.txt")
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not word")
    with pytest.raises(reading.ReadingError, match="压缩包"):
        reading.read_document(buffer.getvalue(), file_name="report.docx")
    with pytest.raises(reading.ReadingError, match=r"\.doc"):
        reading.read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(reading.ReadingError, match="文件过大"):
        reading.read_document(b"a" * (50 * 1024 * 1024))
    with pytest.raises(reading.ReadingError, match="空"):
        reading.read_document(b"")


def test_a_word_report_is_read():
    import docx

    document = docx.Document()
    document.add_paragraph("新阳街道主题教育工作情况")
    document.add_paragraph("截至目前，街道梳理问题56个，制定整改措施102项，完成80项。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "收集意见建议", "79条"
    buffer = io.BytesIO()
    document.save(buffer)
    read = reading.read_document(buffer.getvalue(), file_name="report.docx")
    assert read.encoding == "docx" and read.title == "新阳街道主题教育工作情况"
    figures = reading.extract(read.text)
    assert [(figure.code, int(figure.value)) for figure in figures] == [
        ("ledger.problems", 56), ("ledger.measures", 102), ("ledger.measures_completed", 80), ("voices.suggestions", 79)]


def test_the_command_extracts_and_compares(tmp_path, capsys):
    call_command("figures", "extract", str(HAICANG), "--json")
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"value": 547, "unit": "个", "qualifier": "exact", "indicator": "梳理问题"}.items() <= rows[
        next(index for index, row in enumerate(rows) if row["value"] == 547)].items()
    assert all(set(row) >= {"value", "unit", "qualifier", "indicator", "sentence", "start", "end"} for row in rows)
    changed = tmp_path / "second.txt"
    changed.write_text(HAICANG.read_text(encoding="utf-8").replace("完成 720 项", "完成 702 项"), encoding="utf-8")
    call_command("figures", "compare", str(HAICANG), str(changed), "--json")
    differences = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(differences) == 1
    assert differences[0]["kind"] == "changed" and differences[0]["code"] == "ledger.measures_completed"
    assert (differences[0]["a"]["value"], differences[0]["b"]["value"]) == (720, 702)
    call_command("figures", "compare", str(HAICANG), str(HAICANG), "--json")
    assert capsys.readouterr().out == ""
    picture = tmp_path / "photo.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
    with pytest.raises(CommandError, match="不是文本"):
        call_command("figures", "extract", str(picture))

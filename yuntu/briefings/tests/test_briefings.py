"""Briefings: generated, edited, numbered and issued with frozen figures; the same figures on the dashboard,
the page, the Word and Excel exports; bad templates refused; outsiders kept out."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from yuntu.accounts.models import AuditEntry
from yuntu.briefings import reading, services
from yuntu.briefings.models import Briefing, BriefingFigure, BriefingTemplate
from yuntu.briefings.testing import district_series_and_template
from yuntu.core import clock
from yuntu.indicators import registry
from yuntu.indicators.testing import PERIOD_END, PERIOD_START, build_figures_data
from yuntu.ledger.models import Problem

KEY_CODES = ("ledger.problems", "ledger.measures", "ledger.measures_completed", "voices.requests",
             "voices.suggestions", "voices.suggestions_adopted")


@pytest.fixture
def issued(cast):
    build_figures_data(cast)
    series, template = district_series_and_template(cast)
    officer = cast.user("district_officer")
    draft = services.briefing_generate(actor=officer, series=series, org=cast.orgs["district"], template=template,
                                       start=PERIOD_START, end=PERIOD_END)
    return services.briefing_publish(actor=officer, briefing=draft)


def _dashboard_figures(client, org, start=PERIOD_START, end=PERIOD_END) -> dict:
    response = client.get(reverse("dashboard:board"), {"org": org.pk, "start": start, "end": end})
    return {row["indicator"].code: row["value"] for module in response.context["board"].modules
            for row in module["figures"]}


def test_the_dashboard_the_briefing_and_its_exports_show_the_same_figures(cast, client_for, issued):
    client = client_for(cast.user("district_officer"))
    on_board = _dashboard_figures(client, cast.orgs["district"])
    frozen = {row.code: row.value for row in BriefingFigure.objects.filter(briefing=issued, org=cast.orgs["district"])}
    for code in KEY_CODES + ("ledger.completion_rate",):
        assert frozen[code] == on_board[code], code
    page = client.get(reverse("briefings:detail", args=[issued.pk])).content.decode()
    expected = (f"梳理问题{on_board['ledger.problems']}个，制定整改措施{on_board['ledger.measures']}项，"
                f"完成{on_board['ledger.measures_completed']}项，整改完成率{registry.format_value(on_board['ledger.completion_rate'])}%")
    assert expected in re.sub(r"<[^>]+>", "", page)

    word = docx.Document(io.BytesIO(client.get(reverse("briefings:export_docx", args=[issued.pk])).content))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert expected in text and "第27期" in text and "主题教育工作简报" in text
    read = {figure.code: figure.value for figure in reading.extract(text) if figure.code}
    assert read["ledger.problems"] == on_board["ledger.problems"]  # what a unit reading our Word gets back
    table = word.tables[0]
    assert table.rows[-1].cells[0].text == "合计" and table.rows[-1].cells[1].text == str(on_board["ledger.problems"])

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("briefings:export_xlsx", args=[issued.pk])).content))
    sheet_values = {row[1]: row[3] for row in workbook["数据"].iter_rows(min_row=3, values_only=True)
                    if row[4] == cast.orgs["district"].name}
    for code in KEY_CODES:
        assert sheet_values[code] == on_board[code], code
    children = {row[0]: row[1] for row in workbook["表1"].iter_rows(min_row=2, values_only=True)}
    street = cast.orgs["street"]
    assert children[street.short_name] == registry.value("ledger.problems", registry.Scope(
        street.path, PERIOD_START, PERIOD_END + datetime.timedelta(days=1)))


def test_issuing_numbers_and_freezes_the_figures(cast, issued):
    assert (issued.number, issued.document_number[:4]) == (27, "海委教办") and issued.document_number.endswith("〔"
                                                                                                          f"{clock.today(issued.published_at).year}〕27号")
    figure = BriefingFigure.objects.get(briefing=issued, code="ledger.problems", org=cast.orgs["district"])
    assert figure.record_count == figure.value == len(figure.record_ids) > 0 and "found_on" in figure.query
    # Later records do not change the issued figure, and its records are the ones counted then.
    community = cast.orgs["community"]
    Problem.objects.create(org=community, org_path=community.path, title="签发后新增的问题", source="residents",
                           category="livelihood", level_class="grassroots", found_on=PERIOD_START)
    from yuntu.briefings.sources import SnapshotSource

    assert SnapshotSource(issued).value("ledger.problems", cast.orgs["district"]) == figure.value
    second = services.briefing_generate(actor=cast.user("district_officer"), series=issued.series, org=cast.orgs["street"],
                                        template=issued.template, start=PERIOD_START, end=PERIOD_END)
    assert services.briefing_publish(actor=cast.user("district_officer"), briefing=second).number == 28
    with pytest.raises(ValidationError, match="已签发"):
        services.briefing_publish(actor=cast.user("district_officer"), briefing=issued)
    assert AuditEntry.objects.filter(action="briefing.publish").count() == 2


def test_a_frozen_figure_lists_its_records_within_the_policy(cast, client_for, issued):
    figure = BriefingFigure.objects.get(briefing=issued, code="ledger.problems", org=cast.orgs["district"])
    response = client_for(cast.user("district_officer")).get(reverse("briefings:figure_records",
                                                                      args=[issued.pk, figure.pk]))
    assert response.status_code == 200 and response.context["page"].paginator.count == figure.record_count
    assert response.context["now"] == figure.value  # the stored query reproduces the published number
    titles = set(Problem.objects.filter(pk__in=figure.record_ids).values_list("title", flat=True))
    assert all(title in response.content.decode() for title in titles)
    outsider = client_for(cast.user("outsider"))
    assert outsider.get(reverse("briefings:figure_records", args=[issued.pk, figure.pk])).status_code in (403, 404)
    other_secretary = client_for(cast.user("street_secretary"))  # may write briefings, but of 新阳街道 only
    assert other_secretary.get(reverse("briefings:figure_records", args=[issued.pk, figure.pk])).status_code == 404
    assert outsider.get(reverse("briefings:export_docx", args=[issued.pk])).status_code in (403, 404)


def test_a_template_with_an_unknown_indicator_is_refused_and_nothing_is_stored(cast, client_for):
    client = client_for(cast.user("district_officer"))
    count = BriefingTemplate.objects.count()
    response = client.post(reverse("briefings:template_create"), {
        "name": "错误模板", "kind": "briefing", "title": "测试", "org": cast.orgs["district"].pk,
        "body": "梳理问题{ledger.problems}，开展读书班{orglife.study_classez}，{table:ledger.nothing}"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "模板中有未登记的指标" in text and "orglife.study_classez" in text and "ledger.nothing" in text
    assert BriefingTemplate.objects.count() == count
    with pytest.raises(ValidationError):
        services.template_save(actor=cast.user("district_officer"), org=cast.orgs["district"], name="x", title="x",
                               body="{nothing}")


def test_a_draft_is_edited_and_previewed_live(cast, client_for):
    build_figures_data(cast)
    series, template = district_series_and_template(cast)
    officer = cast.user("street_secretary")
    draft = services.briefing_generate(actor=officer, series=series, org=cast.orgs["street"], template=template)
    client = client_for(officer)
    response = client.post(reverse("briefings:edit", args=[draft.pk]),
                           {"title": "新阳街道进展（{期号}）", "body": "# 概况\n{单位}受理群众诉求{voices.requests}。"})
    assert response.status_code == 302
    page = client.get(reverse("briefings:detail", args=[draft.pk])).content.decode()
    value = registry.value("voices.requests", registry.Scope(cast.orgs["street"].path))
    assert "受理群众诉求" in page and f">{value}个</a>" in page and "草稿" in page
    bad = client.post(reverse("briefings:edit", args=[draft.pk]), {"title": "x", "body": "{voices.nothing}"})
    assert bad.status_code == 400 and Briefing.objects.get(pk=draft.pk).body.startswith("# 概况")


def test_outsiders_cannot_generate_for_or_see_another_subtree(cast, client_for):
    series, template = district_series_and_template(cast)
    outsider = cast.user("outsider")
    with pytest.raises(PermissionDenied):
        services.briefing_generate(actor=cast.user("street_secretary"), series=series, org=cast.orgs["other_street"],
                                   template=template)
    draft = services.briefing_generate(actor=cast.user("district_officer"), series=series, org=cast.orgs["street"],
                                       template=template)
    client = client_for(outsider)
    assert client.get(reverse("briefings:detail", args=[draft.pk])).status_code in (403, 404)
    assert client.post(reverse("briefings:publish", args=[draft.pk])).status_code in (403, 404)
    assert Briefing.objects.get(pk=draft.pk).status == "draft"


def test_the_pdf_embeds_its_cjk_fonts(cast, client_for, issued):
    response = client_for(cast.user("district_officer")).get(reverse("briefings:export_pdf", args=[issued.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    # Objects may sit in compressed object streams: inflate every stream and look for embedded font files.
    inflated = content + b"".join(_inflate(stream) for stream in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S))
    assert b"/FontFile" in inflated and b"NotoSerifCJK" in inflated.replace(b"-", b"")


def _inflate(data: bytes) -> bytes:
    import zlib

    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return b""

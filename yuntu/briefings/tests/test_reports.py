"""Submitted reports through the page: read, confirmed and mapped, compared; bad files refused, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuntu.briefings.models import ReportFigure, SubmittedReport

FIRST = "新阳街道主题教育简报\n截至目前，街道梳理问题56个，制定整改措施102项，完成80项，征集群众意见建议79条。"


def _upload(client, org, data: bytes, name="report.txt", **extra):
    return client.post(reverse("briefings:reports"), {
        "file": SimpleUploadedFile(name, data), "org": org.pk, "start": "2026-11-01", "end": "2026-11-30", **extra})


@pytest.fixture
def secretary(cast, client_for):
    return client_for(cast.user("street_secretary"))


def test_a_report_is_read_confirmed_and_compared_with_its_second_version(cast, secretary):
    street = cast.orgs["street"]
    response = _upload(secretary, street, FIRST.encode("gbk"))
    assert response.status_code == 302
    first = SubmittedReport.objects.get(org=street)
    assert first.encoding == "gb18030" and first.figures.count() == 4
    figure = first.figures.get(value=80)
    assert figure.indicator_code == "ledger.measures_completed"
    confirm = secretary.post(reverse("briefings:report_figure_confirm", args=[first.pk, figure.pk]),
                             {f"f{figure.pk}-indicator_code": "ledger.measures_completed", f"f{figure.pk}-accept": "on"})
    assert confirm.status_code == 302
    figure.refresh_from_db()
    assert figure.status == "confirmed" and figure.confirmed_by == cast.user("street_secretary")

    second = _upload(secretary, street, FIRST.replace("完成80项", "完成86项").encode("utf-8"), name="report-v2.txt")
    page = secretary.get(second["Location"])
    differences = page.context["comparisons"][0]["differences"]
    assert [(item["code"], item["a"]["value"], item["b"]["value"]) for item in differences] == [
        ("ledger.measures_completed", 80, 86)]
    assert 'data-kind="changed"' in page.content.decode()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "report.txt", "不是文本或 Word"),
    ("日本語のテキストです、問題を解決します。".encode("shift_jis"), "report.txt", "无法识别文件的文字编码"),
    (b"PK\x03\x04" + b"\x00" * 100, "report.docx", "压缩包"),
])
def test_bad_files_are_refused_and_nothing_is_stored(cast, secretary, data, name, message):
    response = _upload(secretary, cast.orgs["street"], data, name=name)
    assert response.status_code == 400 and message in response.content.decode()
    assert SubmittedReport.objects.count() == 0 and ReportFigure.objects.count() == 0


def test_a_50_mb_upload_is_refused(cast, secretary):
    response = _upload(secretary, cast.orgs["street"], b"a" * (50 * 1024 * 1024))
    assert response.status_code == 400 and "文件过大" in response.content.decode()
    assert SubmittedReport.objects.count() == 0


def test_outsiders_can_neither_file_for_nor_read_another_subtrees_reports(cast, secretary, client_for):
    other = cast.orgs["other_street"]
    response = _upload(secretary, other, FIRST.encode("utf-8"))
    assert response.status_code == 400 and SubmittedReport.objects.count() == 0
    _upload(client_for(cast.user("district_officer")), other, FIRST.encode("utf-8"))
    report = SubmittedReport.objects.get(org=other)
    client = client_for(cast.user("street_secretary"))
    assert client.get(reverse("briefings:report_detail", args=[report.pk])).status_code == 404
    figure = report.figures.first()
    client.post(reverse("briefings:report_figure_confirm", args=[report.pk, figure.pk]),
                {f"f{figure.pk}-indicator_code": "ledger.problems", f"f{figure.pk}-accept": "on"})
    figure.refresh_from_db()
    assert figure.status == "pending"

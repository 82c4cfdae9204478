"""Spreadsheets out of the ledger: only what the user may see, with the current filters, same figures as the pages."""

import datetime
import io

import openpyxl
from django.urls import reverse

from yuntu.core import clock
from yuntu.ledger import exports, selectors, services
from yuntu.ledger.exports import EXPORT_HEADERS


def days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def seed(cast):
    officer = cast.user("district_officer")
    xinyang = services.problem_create(actor=officer, org=cast.orgs["branch"], title="兴旺小区消防通道被占用",
                                      source="residents", category="livelihood", found_on=days(-20))
    services.problem_transition(actor=officer, problem=xinyang, name="approve")
    done = services.measure_add(actor=officer, problem=xinyang, text="清理占道车辆并施划禁停标线",
                                responsible_person="王建国", deadline=days(10))
    for name in ("approve",):
        services.measure_transition(actor=officer, measure=done, name=name)
    services.progress_record(actor=officer, measure=done, text="已清理车辆12辆", percent=60)
    services.progress_record(actor=officer, measure=done, text="禁停标线施划完成", percent=90)
    services.measure_add(actor=officer, problem=xinyang, text="设置集中充电点位", responsible_person="李明",
                         deadline=days(-5))
    dongfu = services.problem_create(actor=officer, org=cast.orgs["other_branch"], title="山边社区楼道堆物未清理",
                                     source="inspection", category="livelihood", found_on=days(-15))
    services.measure_add(actor=officer, problem=dongfu, text="清理楼道堆物并建立巡查制度", responsible_person="邱文彬",
                         deadline=days(20))
    services.problem_create(actor=officer, org=cast.orgs["street"], title="街道党建阵地建设滞后",
                            source="research", category="party_building", found_on=days(-400))
    return xinyang, dongfu


def rows_of(response, sheet_name="整改台账"):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book[sheet_name].iter_rows(values_only=True))


def test_export_has_one_row_per_measure_with_status_deadline_and_latest_progress(cast, client_for):
    seed(cast)
    rows = rows_of(client_for(cast.user("district_officer")).get(reverse("ledger:export")))
    assert rows[0][0].startswith("中共厦门市海沧区委员会整改台账")
    assert list(rows[1]) == EXPORT_HEADERS
    data = [dict(zip(EXPORT_HEADERS, row, strict=True)) for row in rows[2:]]
    assert len(data) == 4  # two measures, one measure, one problem without measures
    fire = [row for row in data if row["问题"] == "兴旺小区消防通道被占用"]
    assert [row["整改措施"] for row in fire] == ["设置集中充电点位", "清理占道车辆并施划禁停标线"]  # by deadline
    assert {row["序号"] for row in fire} == {fire[0]["序号"]}
    measure_row = fire[1]
    assert measure_row["进展情况"] == "禁停标线施划完成" and measure_row["进度（%）"] == 90
    assert measure_row["措施状态"] == "整改中" and measure_row["问题状态"] == "整改中"
    assert measure_row["完成时限"].date() == days(10) and measure_row["问题来源"] == "群众反映"
    assert measure_row["责任单位"] == "兴旺社区第一党支部" and measure_row["单位类别"] == "基层党组织"
    bare = [row for row in data if row["问题"] == "街道党建阵地建设滞后"][0]
    assert not bare["整改措施"] and bare["问题状态"] == "待审核"


def test_export_contains_only_rows_in_scope(cast, client_for):
    seed(cast)

    def titles(user, **query):
        rows = rows_of(client_for(cast.user(user)).get(reverse("ledger:export"), query))
        return {row[1] for row in rows[2:]}

    assert titles("outsider") == {"山边社区楼道堆物未清理"}
    assert titles("branch_secretary") == {"兴旺小区消防通道被占用"}
    assert titles("street_secretary") == {"兴旺小区消防通道被占用", "街道党建阵地建设滞后"}
    assert titles("district_officer") == {"兴旺小区消防通道被占用", "街道党建阵地建设滞后", "山边社区楼道堆物未清理"}
    every_cell = " ".join(str(cell) for row in rows_of(client_for(cast.user("outsider")).get(reverse("ledger:export")))
                          for cell in row if cell is not None)
    assert "兴旺" not in every_cell and "新阳" not in every_cell and "王建国" not in every_cell
    response = client_for(cast.user("outsider")).get(reverse("ledger:export"), {"org": cast.orgs["street"].pk})
    assert response.status_code == 404


def test_export_follows_the_current_filters(cast, client_for):
    seed(cast)
    client = client_for(cast.user("district_officer"))

    def titles(**query):
        return {row[1] for row in rows_of(client.get(reverse("ledger:export"), query))[2:]}

    assert titles(status="rectifying") == {"兴旺小区消防通道被占用"}
    assert titles(source="inspection") == {"山边社区楼道堆物未清理"}
    assert titles(category="party_building", level_class="county") == {"街道党建阵地建设滞后"}
    assert titles(org=cast.orgs["other_street"].pk) == {"山边社区楼道堆物未清理"}
    assert titles(start=days(-30).isoformat()) == {"兴旺小区消防通道被占用", "山边社区楼道堆物未清理"}
    assert titles(q="楼道") == {"山边社区楼道堆物未清理"}
    list_page = client.get(reverse("ledger:list"), {"status": "rectifying"})
    assert "export.xlsx?status=rectifying" in list_page.content.decode()


def test_monthly_export_has_the_figures_of_the_page(cast, client_for):
    seed(cast)
    officer = cast.user("district_officer")
    month = clock.today().replace(day=1)
    client = client_for(officer)
    response = client.get(reverse("ledger:monthly_export"), {"month": f"{month:%Y-%m}"})
    summary_rows = rows_of(response, "月度汇总")
    assert summary_rows[0][0] == f"中共厦门市海沧区委员会整改台账{month:%Y年%m月}总结"
    _, end = selectors.month_bounds(month)
    figures = selectors.ledger_figures(officer, org=cast.orgs["district"], end=end)
    total = next(row for row in summary_rows if row and row[0] == "合计")
    assert list(total[:8]) == [
        "合计", figures["all"]["problems"], figures["all"]["problems_closed"],
        exports.rate_text(figures["all"]["closure_rate"]), figures["all"]["measures"],
        figures["all"]["measures_completed"], exports.rate_text(figures["all"]["completion_rate"]),
        figures["all"]["measures_overdue"],
    ]
    page = client.get(reverse("ledger:monthly"), {"month": f"{month:%Y-%m}"})
    assert page.context["figures"] == selectors.monthly_summary(officer, org=cast.orgs["district"],
                                                                month=month)["figures"]
    overdue = rows_of(client.get(reverse("ledger:monthly_export"), {"month": f"{month:%Y-%m}"}), "逾期措施")
    assert overdue[0][0].endswith("共1项") and overdue[2][2] == "设置集中充电点位"
    ranking = rows_of(client.get(reverse("ledger:monthly_export"), {"month": f"{month:%Y-%m}"}), "单位排名")
    assert [row[1] for row in ranking[1:]] == [row["name"] for row in selectors.unit_ranking(
        officer, org=cast.orgs["district"], end=end)]
    outsider = rows_of(client_for(cast.user("outsider")).get(reverse("ledger:monthly_export")), "逾期措施")
    assert all("设置集中充电点位" not in str(row) for row in outsider)


def test_import_template_has_the_usual_columns_and_drop_downs(cast, client_for):
    response = client_for(cast.user("branch_secretary")).get(reverse("ledger:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["整改台账"]
    assert [cell.value for cell in sheet[1]] == ["序号", "问题", "问题来源", "问题类别", "发现日期", "整改措施",
                                                 "责任单位", "责任人", "完成时限", "进展情况"]
    validations = {str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation}
    assert validations["C2:C1001"] == "'可选值'!$A$2:$A$6"
    assert validations["G2:G1001"] == "'可选值'!$C$2:$C$2"
    assert book["可选值"]["C2"].value == "兴旺社区第一党支部"
    assert "填写说明" in book.sheetnames

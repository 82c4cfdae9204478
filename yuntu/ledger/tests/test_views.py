"""The ledger's desktop pages: who sees what, every POST goes through a service, refusals are Chinese and inert."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.ledger import selectors, services
from yuntu.ledger.models import Evidence, LedgerEvent, Measure, Problem, Progress
from yuntu.ledger.workflow import MeasureStatus, ProblemStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def days(count: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=count)


def make_problem(cast, *, user="branch_secretary", org="branch", title="小区消防通道被占用", source="residents",
                 category="livelihood", found=-20, approve=False):
    problem = services.problem_create(actor=cast.user(user), org=cast.orgs[org], title=title, source=source,
                                      category=category, found_on=days(found))
    if approve:
        reviewer = "inspector" if org in ("street", "community", "branch") else "district_officer"
        services.problem_transition(actor=cast.user(reviewer), problem=problem, name="approve")
    return problem


def make_measure(cast, problem, *, user="branch_secretary", text="清理占道车辆并施划禁停标线", deadline=30,
                 steps=()):
    measure = services.measure_add(actor=cast.user(user), problem=problem, text=text, responsible_person="王建国",
                                   deadline=days(deadline))
    for actor, name in steps:
        services.measure_transition(actor=cast.user(actor), measure=measure, name=name)
    return measure


DONE = (("inspector", "approve"), ("branch_secretary", "report_done"), ("inspector", "verify"))


def fingerprint(*objects) -> tuple:
    """Everything a ledger POST could change."""
    rows = []
    for obj in objects:
        row = type(obj).objects.filter(pk=obj.pk).values().first()
        row.pop("updated_at", None)
        rows.append(json.dumps(row, default=str, sort_keys=True))
    return (Problem.objects.count(), Measure.objects.count(), Progress.objects.count(), Evidence.objects.count(),
            LedgerEvent.objects.count(), AuditEntry.objects.count(), *rows)


def text_of(response) -> str:
    return response.content.decode()


# --- Pages render for the people who work the ledger ---


@pytest.mark.parametrize("user", ["branch_secretary", "inspector", "community_secretary", "district_officer"])
def test_pages_render_for_owners_and_inspectors(cast, client_for, user):
    problem = make_problem(cast, approve=True)
    measure = make_measure(cast, problem, steps=[("inspector", "approve")])
    client = client_for(cast.user(user))
    for url in [reverse("ledger:list"), reverse("ledger:todo"), reverse("ledger:overdue"), reverse("ledger:weekly"),
                reverse("ledger:monthly"), reverse("ledger:print"),
                reverse("ledger:problem_detail", args=[problem.pk]),
                reverse("ledger:measure_detail", args=[measure.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = text_of(response)
        assert "<html" in body and "整改" in body
        if url not in (reverse("ledger:todo"), reverse("ledger:overdue"), reverse("ledger:monthly")):
            assert "小区消防通道被占用" in body, url


def test_people_without_the_ledger_are_turned_away(cast, client_for):
    for user in ("resident", "member", "department_handler"):
        client = client_for(cast.user(user))
        assert client.get(reverse("ledger:list")).status_code == 403
        assert client.get(reverse("ledger:export")).status_code == 403
    assert client_for(cast.user("inspector")).get(reverse("ledger:problem_create")).status_code == 403
    assert client_for(cast.user("inspector")).get(reverse("ledger:import")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("ledger:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- The list, its filters and the rate table ---


def test_rate_table_shows_the_figures_of_the_selector(cast, client_for):
    officer = cast.user("district_officer")
    street_problem = make_problem(cast, user="district_officer", org="street", title="街道党建阵地建设滞后",
                                  source="inspection", category="party_building", approve=True)
    done_by_officer = [("district_officer", name) for name in ("approve", "report_done", "verify")]
    for index in range(4):
        make_measure(cast, street_problem, user="district_officer", text=f"街道整改措施第{index + 1}项",
                     steps=done_by_officer if index < 3 else ())
    branch_problem = make_problem(cast, approve=True)
    make_measure(cast, branch_problem, steps=DONE)
    make_measure(cast, branch_problem, text="设置集中充电点位", deadline=-3)
    response = client_for(officer).get(reverse("ledger:list"))
    expected = selectors.ledger_figures(officer, org=cast.orgs["district"])
    assert response.context["figures"] == expected
    assert expected["county"]["completion_rate"] == 75.0 and expected["grassroots"]["completion_rate"] == 50.0
    assert expected["all"]["measures"] == 6 and expected["all"]["measures_completed"] == 4
    body = text_of(response)
    assert 'data-figure="completion_rate"' in body and "66.7%" in body and "75%" in body and "50%" in body
    assert "逾期未完成措施 1 项" in body
    ranking = response.context["ranking"]
    assert ranking == selectors.unit_ranking(officer, org=cast.orgs["district"])
    assert ranking[0]["name"] == "中共海沧区新阳街道工作委员会" and ranking[0]["measures"] == 6

    month = clock.today().replace(day=1)
    monthly = client_for(officer).get(reverse("ledger:monthly"), {"month": f"{month:%Y-%m}"})
    start, end = selectors.month_bounds(month)
    assert monthly.context["figures"]["all"] == selectors.ledger_figures(officer, org=cast.orgs["district"],
                                                                         end=end)["all"]


def test_period_filters_apply_to_the_list_and_the_rate_table(cast, client_for):
    old = make_problem(cast, title="去年发现的问题", found=-400)
    make_problem(cast, title="本月发现的问题", found=-1)
    client = client_for(cast.user("branch_secretary"))
    start = days(-30).isoformat()
    response = client.get(reverse("ledger:list"), {"start": start})
    titles = [problem.title for problem in response.context["page"]]
    assert titles == ["本月发现的问题"]
    assert response.context["figures"]["all"]["problems"] == 1
    response = client.get(reverse("ledger:list"), {"end": days(-300).isoformat()})
    assert [problem.pk for problem in response.context["page"]] == [old.pk]


def test_filters_by_status_source_category_level_text_and_subtree(cast, client_for):
    street = make_problem(cast, user="district_officer", org="street", title="街道议事协商机制不健全",
                          source="research", category="governance", approve=True)
    branch = make_problem(cast, title="支部三会一课记录不规范", source="inspection", category="party_building")
    client = client_for(cast.user("district_officer"))

    def titles(**query):
        return [problem.title for problem in client.get(reverse("ledger:list"), query).context["page"]]

    assert set(titles()) == {street.title, branch.title}
    assert titles(status="rectifying") == [street.title]
    assert titles(source="inspection") == [branch.title]
    assert titles(category="governance") == [street.title]
    assert titles(level_class="grassroots") == [branch.title]
    assert titles(q="三会一课") == [branch.title]
    assert titles(org=cast.orgs["community"].pk) == [branch.title]
    assert set(titles(status="bogus")) == set(titles())  # an invalid filter is dropped, not fatal


def test_an_org_outside_the_scope_is_not_found(cast, client_for):
    make_problem(cast)
    client = client_for(cast.user("outsider"))
    for name in ("list", "overdue", "weekly", "monthly", "print", "export", "monthly_export"):
        response = client.get(reverse(f"ledger:{name}"), {"org": cast.orgs["street"].pk})
        assert response.status_code == 404, name
    response = client.get(reverse("ledger:list"))
    assert "小区消防通道被占用" not in text_of(response) and "新阳" not in text_of(response)


def test_pagination_keeps_the_filters(cast, client_for):
    for index in range(35):
        make_problem(cast, title=f"楼道堆物问题{index:02d}")
    client = client_for(cast.user("branch_secretary"))
    response = client.get(reverse("ledger:list"), {"q": "楼道"})
    assert response.context["page"].paginator.num_pages == 2
    assert "q=%E6%A5%BC%E9%81%93&amp;page=2" in text_of(response)
    second = client.get(reverse("ledger:list"), {"q": "楼道", "page": 2})
    assert second.context["page"].start_index() == 31 and "31" in text_of(second)


# --- Outsiders: 404 on every page of another subtree, and every POST changes nothing ---


def test_outsider_gets_404_and_every_post_changes_nothing(cast, client_for):
    problem = make_problem(cast, approve=True)
    measure = make_measure(cast, problem, steps=[("inspector", "approve")])
    services.progress_record(actor=cast.user("branch_secretary"), measure=measure, text="已清理车辆12辆", percent=50,
                             evidence=[SimpleUploadedFile("现场.png", PNG)])
    evidence = Evidence.objects.get()
    client = client_for(cast.user("outsider"))
    pages = [reverse("ledger:problem_detail", args=[problem.pk]), reverse("ledger:problem_edit", args=[problem.pk]),
             reverse("ledger:problem_push", args=[problem.pk]), reverse("ledger:measure_add", args=[problem.pk]),
             reverse("ledger:measure_detail", args=[measure.pk]), reverse("ledger:measure_edit", args=[measure.pk]),
             reverse("ledger:measure_file", args=[measure.pk]) + f"?file={evidence.pk}"]
    for url in pages:
        assert client.get(url).status_code == 404, url
    before = fingerprint(problem, measure)
    posts = {
        reverse("ledger:problem_transition", args=[problem.pk]): [{"transition": name, "reason_text": "越权"}
                                                                  for name in ("approve", "send_back", "close",
                                                                               "reopen", "resubmit")],
        reverse("ledger:problem_edit", args=[problem.pk]): [{"title": "越权修改", "source": "residents",
                                                             "category": "livelihood", "batch": "第一批问题清单",
                                                             "found_on": days(-1).isoformat()}],
        reverse("ledger:problem_push", args=[problem.pk]): [{"orgs": [cast.orgs["other_branch"].pk]}],
        reverse("ledger:measure_add", args=[problem.pk]): [{"text": "越权措施内容", "responsible_person": "某",
                                                            "deadline": days(9).isoformat(),
                                                            "org": cast.orgs["branch"].pk}],
        reverse("ledger:measure_transition", args=[measure.pk]): [{"transition": name, "reason_text": "越权"}
                                                                  for name in ("approve", "send_back", "verify",
                                                                               "report_done", "reopen")],
        reverse("ledger:measure_progress", args=[measure.pk]): [{"text": "越权进展", "percent": 90}],
        reverse("ledger:measure_edit", args=[measure.pk]): [{"text": "越权修改措施", "responsible_person": "某",
                                                             "deadline": days(9).isoformat()}],
    }
    for url, bodies in posts.items():
        for body in bodies:
            assert client.post(url, body).status_code == 404, url
    response = client.post(reverse("ledger:problem_create"), {
        "org": cast.orgs["branch"].pk, "title": "越权问题", "source": "residents", "category": "livelihood",
        "batch": "第一批问题清单", "found_on": days(-1).isoformat()})
    assert response.status_code == 400 and "不在您的填报范围内" in text_of(response)
    assert fingerprint(problem, measure) == before


# --- Workflow through the pages ---


def test_buttons_follow_the_declared_transitions(cast, client_for):
    problem = make_problem(cast)
    url = reverse("ledger:problem_detail", args=[problem.pk])
    inspector_page = text_of(client_for(cast.user("inspector")).get(url))
    assert 'value="approve"' in inspector_page and 'value="send_back"' in inspector_page
    assert "问题选取不够精准" in inspector_page and "修改问题" not in inspector_page
    secretary_page = text_of(client_for(cast.user("branch_secretary")).get(url))
    assert 'value="approve"' not in secretary_page and 'value="send_back"' not in secretary_page
    assert "修改问题" in secretary_page and "制定整改措施" in secretary_page

    services.problem_transition(actor=cast.user("inspector"), problem=problem, name="approve")
    measure = make_measure(cast, problem, steps=DONE[:2])
    inspector_page = text_of(client_for(cast.user("inspector")).get(url))
    assert 'value="verify"' in inspector_page and "还有1项措施未验收，不能销号。" in inspector_page
    measure_page = text_of(client_for(cast.user("branch_secretary")).get(
        reverse("ledger:measure_detail", args=[measure.pk])))
    assert 'value="verify"' not in measure_page and "审核通过（整改中）后才能填报进展" in measure_page


def test_send_back_with_a_common_reason_lands_in_the_owners_todo(cast, client_for):
    problem = make_problem(cast)
    response = client_for(cast.user("inspector")).post(
        reverse("ledger:problem_transition", args=[problem.pk]),
        {"transition": "send_back", "reason_choice": "问题选取不够精准", "reason_text": "请写明具体楼栋"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RETURNED and problem.last_reason == "问题选取不够精准；请写明具体楼栋"
    todo = client_for(cast.user("branch_secretary")).get(reverse("ledger:todo"))
    assert "被退回的问题" in text_of(todo) and "问题选取不够精准" in text_of(todo)
    assert todo.context["total"] == 1

    client = client_for(cast.user("branch_secretary"))
    response = client.post(reverse("ledger:problem_edit", args=[problem.pk]), {
        "title": "兴旺小区3号楼消防通道长期被电动车占用", "description": "", "source": "residents",
        "category": "livelihood", "batch": "第一批问题清单", "found_on": problem.found_on.isoformat()})
    assert response.status_code == 302
    assert client.post(reverse("ledger:problem_transition", args=[problem.pk]),
                       {"transition": "resubmit"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SUBMITTED and problem.title.startswith("兴旺小区3号楼")
    inspector_todo = client_for(cast.user("inspector")).get(reverse("ledger:todo"))
    assert problem.title in text_of(inspector_todo)


def test_bad_transitions_answer_in_chinese_and_change_nothing(cast, client_for):
    problem = make_problem(cast, approve=True)
    measure = make_measure(cast, problem)
    client = client_for(cast.user("inspector"))
    before = fingerprint(problem, measure)

    response = client.post(reverse("ledger:measure_transition", args=[measure.pk]), {"transition": "verify"})
    assert response.status_code == 400 and "措施当前为“待审核”，不能“验收通过”。" in text_of(response)
    response = client.post(reverse("ledger:problem_transition", args=[problem.pk]), {"transition": "close"})
    assert response.status_code == 400 and "还有1项措施未验收，不能销号。" in text_of(response)
    response = client.post(reverse("ledger:measure_transition", args=[measure.pk]),
                           {"transition": "send_back", "reason_text": "  ", "next": "problem"})
    assert response.status_code == 400 and "“退回修改”须说明原因。" in text_of(response)
    assert "lg-row--error" in text_of(response)  # shown on the problem page it came from
    response = client.post(reverse("ledger:problem_transition", args=[problem.pk]), {"transition": "explode"})
    assert response.status_code == 400 and "未知的操作" in text_of(response)
    response = client.post(reverse("ledger:measure_transition", args=[measure.pk]), {"transition": "report_done"})
    assert response.status_code == 403 and "无权对该措施执行“报告完成”。" in text_of(response)

    secretary = client_for(cast.user("branch_secretary"))
    response = secretary.post(reverse("ledger:measure_transition", args=[measure.pk]), {"transition": "approve"})
    assert response.status_code == 403 and "无权对该措施执行“审核通过”。" in text_of(response)
    response = secretary.post(reverse("ledger:measure_progress", args=[measure.pk]), {"text": "进展", "percent": 10})
    assert response.status_code == 400 and "审核通过后才能填报进展" in text_of(response)
    assert fingerprint(problem, measure) == before


def test_closed_problem_can_be_reopened_with_a_reason(cast, client_for):
    problem = make_problem(cast, approve=True)
    make_measure(cast, problem, steps=DONE)
    client = client_for(cast.user("inspector"))
    url = reverse("ledger:problem_transition", args=[problem.pk])
    assert client.post(url, {"transition": "close"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    response = client.post(url, {"transition": "reopen"})
    assert response.status_code == 400 and "须说明原因" in text_of(response)
    assert client.post(url, {"transition": "reopen", "reason_text": "群众反映问题反弹"}).status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RECTIFYING and problem.last_reason == "群众反映问题反弹"


def test_create_a_problem_with_attachments(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    form = client.get(reverse("ledger:problem_create"))
    assert list(form.context["form"].fields["org"].queryset) == [cast.orgs["branch"]]
    data = {"org": cast.orgs["branch"].pk, "title": "小区消防通道被占用", "description": "居民多次反映",
            "source": "residents", "category": "livelihood", "batch": "第一批问题清单",
            "found_on": days(-3).isoformat()}
    response = client.post(reverse("ledger:problem_create"),
                           {**data, "attachments": [SimpleUploadedFile("现场.png", PNG),
                                                    SimpleUploadedFile("说明.pdf", b"%PDF-1.4")]})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ledger:problem_detail", args=[problem.pk])
    assert problem.status == ProblemStatus.SUBMITTED and problem.attachments.count() == 2
    attachment = problem.attachments.get(file_name="现场.png")
    download = client.get(reverse("ledger:problem_file", args=[problem.pk]), {"file": attachment.pk})
    assert download.status_code == 200 and download["Content-Security-Policy"] == "sandbox"
    assert b"".join(download.streaming_content) == PNG
    assert client.get(reverse("ledger:problem_file", args=[problem.pk]), {"file": "999"}).status_code == 404

    before = fingerprint(problem)
    response = client.post(reverse("ledger:problem_create"),
                           {**data, "attachments": [SimpleUploadedFile("脚本.exe", b"MZ")]})
    assert response.status_code == 400 and "类型不支持" in text_of(response)
    response = client.post(reverse("ledger:problem_create"), {**data, "found_on": days(3).isoformat()})
    assert response.status_code == 400 and "发现日期不能晚于今天。" in text_of(response)
    response = client.post(reverse("ledger:problem_create"), {**data, "title": "  "})
    assert response.status_code == 400 and "请填写" in text_of(response)
    assert fingerprint(problem) == before


def test_measure_progress_with_evidence(cast, client_for):
    problem = make_problem(cast, approve=True)
    measure = make_measure(cast, problem, steps=[("inspector", "approve")])
    client = client_for(cast.user("branch_secretary"))
    url = reverse("ledger:measure_progress", args=[measure.pk])
    before = fingerprint(measure)
    response = client.post(url, {"text": "已清理", "percent": 150})
    assert response.status_code == 400 and "进度应在0到100之间" in text_of(response)
    response = client.post(url, {"text": "已清理", "percent": 50, "evidence": [SimpleUploadedFile("病毒.js", b"x")]})
    assert response.status_code == 400 and "类型不支持" in text_of(response)
    assert fingerprint(measure) == before

    response = client.post(url, {"text": "已清理车辆12辆", "percent": 60,
                                 "evidence": [SimpleUploadedFile("整改后.png", PNG)]})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.percent == 60 and measure.progress_reports.count() == 1
    evidence = Evidence.objects.get()
    page = text_of(client.get(reverse("ledger:measure_detail", args=[measure.pk])))
    link = reverse("ledger:measure_file", args=[measure.pk]) + f"?file={evidence.pk}"
    assert "整改后.png" in page and link.replace("&", "&amp;") in page
    assert client_for(cast.user("inspector")).get(link).status_code == 200
    problem_page = text_of(client_for(cast.user("inspector")).get(reverse("ledger:problem_detail", args=[problem.pk])))
    assert "最新进展" in problem_page and "已清理车辆12辆" in problem_page and link.replace("&", "&amp;") in problem_page
    other = make_measure(cast, problem, text="另一项措施内容")
    assert client.get(reverse("ledger:measure_file", args=[other.pk]) + f"?file={evidence.pk}").status_code == 404


def test_add_and_edit_a_measure(cast, client_for):
    problem = make_problem(cast, approve=True)
    client = client_for(cast.user("branch_secretary"))
    url = reverse("ledger:measure_add", args=[problem.pk])
    response = client.post(url, {"text": "空", "responsible_person": "", "deadline": "", "org": cast.orgs["branch"].pk})
    assert response.status_code == 400 and not Measure.objects.exists()
    response = client.post(url, {"text": "清理占道车辆并施划禁停标线", "responsible_person": "王建国",
                                 "deadline": days(20).isoformat(), "org": cast.orgs["branch"].pk})
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.status == MeasureStatus.PLANNED
    response = client.post(reverse("ledger:measure_edit", args=[measure.pk]),
                           {"text": "清理占道车辆，施划禁停标线", "responsible_person": "李四",
                            "deadline": days(25).isoformat()})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.responsible_person == "李四" and measure.deadline == days(25)
    services.measure_transition(actor=cast.user("inspector"), measure=measure, name="approve")
    response = client.post(reverse("ledger:measure_edit", args=[measure.pk]),
                           {"text": "改成别的措施内容", "responsible_person": "李四", "deadline": days(25).isoformat()})
    assert response.status_code == 400 and "措施审核通过后不能再修改内容。" in text_of(response)


def test_push_down_and_rollup(cast, client_for):
    officer = cast.user("district_officer")
    upper = make_problem(cast, user="district_officer", org="street", title="老旧小区加装电梯推进慢",
                         source="research")
    client = client_for(officer)
    page = client.get(reverse("ledger:problem_push", args=[upper.pk]))
    choices = list(page.context["form"].fields["orgs"].queryset)
    assert cast.orgs["community"] in choices and cast.orgs["other_branch"] not in choices
    response = client.post(reverse("ledger:problem_push", args=[upper.pk]), {"orgs": [cast.orgs["other_branch"].pk]})
    assert response.status_code == 400 and not upper.pushed_to.exists()
    response = client.post(reverse("ledger:problem_push", args=[upper.pk]),
                           {"orgs": [cast.orgs["community"].pk, cast.orgs["branch"].pk]})
    assert response.status_code == 302 and upper.pushed_to.count() == 2
    pushed = upper.pushed_to.get(org=cast.orgs["branch"])
    services.problem_transition(actor=cast.user("inspector"), problem=pushed, name="approve")
    make_measure(cast, pushed, steps=DONE)
    detail = client.get(reverse("ledger:problem_detail", args=[upper.pk]))
    assert detail.context["rollup"] == {"problems": 2, "problems_closed": 0, "measures": 1, "measures_completed": 1}
    assert "已向下级推送问题 2 个，制定措施 1 项；已销号问题 0 个，完成措施 1 项。" in text_of(detail)
    branch_view = client_for(cast.user("branch_secretary")).get(reverse("ledger:problem_detail", args=[pushed.pk]))
    assert "上级推送" in text_of(branch_view)
    assert "没有可推送的下级单位" in text_of(client_for(cast.user("branch_secretary")).get(
        reverse("ledger:problem_push", args=[pushed.pk])))
    assert client_for(cast.user("inspector")).get(reverse("ledger:problem_push", args=[pushed.pk])).status_code == 403


# --- Cadence pages ---


def test_weekly_dispatch_groups_by_unit(cast, client_for):
    problem = make_problem(cast, approve=True)
    make_measure(cast, problem, text="已经逾期的措施内容", deadline=-10)
    make_measure(cast, problem, text="下周到期的措施内容", deadline=7 - clock.today().weekday() + 2)
    client = client_for(cast.user("street_secretary"))
    response = client.get(reverse("ledger:weekly"), {"week": clock.today().isoformat()})
    body = text_of(response)
    monday = clock.today() - datetime.timedelta(days=clock.today().weekday())
    assert response.context["week_start"] == monday
    assert "兴旺社区第一党支部" in body and "填报问题" in body
    assert [measure.text for measure in response.context["overdue"]] == ["已经逾期的措施内容"]
    assert [measure.text for measure in response.context["due_next_week"]] == ["下周到期的措施内容"]
    assert client.get(reverse("ledger:weekly"), {"week": "not-a-date"}).status_code == 200


def test_overdue_list_and_monthly_summary(cast, client_for):
    problem = make_problem(cast, approve=True)
    make_measure(cast, problem, text="已经逾期的措施内容", deadline=-10)
    client = client_for(cast.user("community_secretary"))
    overdue = client.get(reverse("ledger:overdue"))
    assert "已经逾期的措施内容" in text_of(overdue) and overdue.context["page"][0].days_overdue == 10
    monthly = client.get(reverse("ledger:monthly"), {"month": f"{clock.today():%Y-%m}"})
    assert monthly.status_code == 200 and monthly.context["overdue_count"] == 1
    assert dict(monthly.context["activity_rows"])["新填报问题"] == 1
    assert client.get(reverse("ledger:monthly"), {"month": "2026-13"}).status_code == 200


def test_print_page_is_a_landscape_table(cast, client_for):
    problem = make_problem(cast, approve=True)
    make_measure(cast, problem)
    make_measure(cast, problem, text="设置集中充电点位")
    make_problem(cast, title="尚无措施的问题")
    response = client_for(cast.user("branch_secretary")).get(reverse("ledger:print"))
    body = text_of(response)
    assert 'rowspan="2"' in body and "尚未制定整改措施" in body and "lg-print__table" in body
    assert "ledger/ledger.css" in body


def test_a_large_scope_picks_the_unit_by_its_full_name(cast, client_for, monkeypatch):
    from yuntu.ledger import forms

    monkeypatch.setattr(forms, "SELECT_LIMIT", 2)
    client = client_for(cast.user("street_secretary"))
    page = client.get(reverse("ledger:problem_create"))
    assert page.context["form"].fields["org"].by_name and 'placeholder="请填写单位全称"' in text_of(page)
    data = {"title": "社区议事协商机制不健全", "source": "research", "category": "governance",
            "batch": "第一批问题清单", "found_on": days(-2).isoformat()}
    response = client.post(reverse("ledger:problem_create"), {**data, "org": "山边社区第一党支部"})
    assert response.status_code == 400 and "不在您的填报范围内" in text_of(response)
    response = client.post(reverse("ledger:problem_create"), {**data, "org": "中共新阳街道兴旺社区委员会"})
    assert response.status_code == 302 and Problem.objects.get().org == cast.orgs["community"]


def test_the_import_tab_is_shown_only_to_those_who_enter(cast, client_for):
    assert reverse("ledger:import") in text_of(client_for(cast.user("branch_secretary")).get(reverse("ledger:todo")))
    assert reverse("ledger:import") not in text_of(client_for(cast.user("inspector")).get(reverse("ledger:todo")))


def test_a_malformed_action_is_refused_in_chinese(cast, client_for):
    problem = make_problem(cast)
    measure = make_measure(cast, problem)
    client = client_for(cast.user("inspector"))
    before = fingerprint(problem, measure)
    response = client.post(reverse("ledger:problem_transition", args=[problem.pk]), {})
    assert response.status_code == 400 and "请选择要执行的操作。" in text_of(response)
    response = client.post(reverse("ledger:measure_transition", args=[measure.pk]),
                           {"transition": "send_back", "reason_choice": "随便写的原因"})
    assert response.status_code == 400 and "请从常见原因中选择" in text_of(response)
    assert client.get(reverse("ledger:problem_transition", args=[problem.pk])).status_code == 405
    assert fingerprint(problem, measure) == before

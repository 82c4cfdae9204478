import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from yuntu.accounts.models import AuditEntry
from yuntu.ledger import selectors, services
from yuntu.ledger.models import LedgerEvent, Measure, Problem
from yuntu.ledger.workflow import MeasureStatus, ProblemStatus

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def problem(cast):
    return services.problem_create(actor=cast.user("branch_secretary"), org=cast.orgs["branch"],
                                   title="小区消防通道被占用", source="residents", category="livelihood",
                                   found_on=datetime.date(2026, 10, 8))


def add_measure(cast, problem, text="清理占道车辆并施划禁停标线", days=30):
    return services.measure_add(actor=cast.user("branch_secretary"), problem=problem, text=text,
                                responsible_person="王建国", deadline=TODAY + datetime.timedelta(days=days))


def test_full_loop_from_entry_to_close_out(cast, problem):
    inspector, secretary = cast.user("inspector"), cast.user("branch_secretary")
    services.problem_transition(actor=inspector, problem=problem, name="send_back", reason="问题选取不够精准")
    assert selectors.todo_for(secretary)["returned_problems"].filter(pk=problem.pk).exists()
    services.problem_update(actor=secretary, problem=problem, title="兴旺小区3号楼消防通道长期被电动车占用")
    services.problem_transition(actor=secretary, problem=problem, name="resubmit")
    services.problem_transition(actor=inspector, problem=problem, name="approve")
    measure = add_measure(cast, problem)
    services.measure_transition(actor=inspector, measure=measure, name="approve")
    services.progress_record(actor=secretary, measure=measure, text="已清理车辆12辆", percent=60,
                             evidence=[SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff" + b"0" * 100)])
    services.measure_transition(actor=secretary, measure=measure, name="report_done")
    services.measure_transition(actor=inspector, measure=measure, name="send_back", reason="佐证材料不足")
    services.measure_transition(actor=secretary, measure=measure, name="resubmit")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS  # back to work after a failed verification
    services.measure_transition(actor=secretary, measure=measure, name="report_done")
    services.measure_transition(actor=inspector, measure=measure, name="verify")
    services.problem_transition(actor=inspector, problem=problem, name="close")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED and problem.closed_at
    actions = list(problem.events.values_list("action", flat=True))
    assert actions[0] == "create" and actions[-1] == "close" and "progress" in actions
    assert AuditEntry.objects.filter(object_type="ledger.problem", object_id=str(problem.pk)).count() >= 5


def test_invalid_transitions_change_nothing(cast, problem):
    inspector = cast.user("inspector")
    services.problem_transition(actor=inspector, problem=problem, name="approve")
    measure = add_measure(cast, problem)
    events = LedgerEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.measure_transition(actor=inspector, measure=measure, name="verify")
    assert "不能“验收通过”" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        services.problem_transition(actor=inspector, problem=problem, name="close")
    assert "未验收" in caught.value.messages[0]
    measure.refresh_from_db()
    problem.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED and problem.status == ProblemStatus.RECTIFYING
    assert LedgerEvent.objects.count() == events


def test_send_back_needs_a_reason_and_a_reviewer(cast, problem):
    with pytest.raises(ValidationError):
        services.problem_transition(actor=cast.user("inspector"), problem=problem, name="send_back", reason=" ")
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=cast.user("branch_secretary"), problem=problem, name="approve")


def test_outsider_cannot_touch_the_ledger(cast, problem):
    with pytest.raises(PermissionDenied):
        add_measure_as = services.measure_add
        add_measure_as(actor=cast.user("outsider"), problem=problem, text="越权措施内容", responsible_person="某",
                       deadline=TODAY)
    assert not Measure.objects.filter(problem=problem).exists()
    assert not selectors.problems_visible_to(cast.user("outsider")).filter(pk=problem.pk).exists()


def test_reopen_with_reason(cast, problem):
    inspector, secretary = cast.user("inspector"), cast.user("branch_secretary")
    services.problem_transition(actor=inspector, problem=problem, name="approve")
    measure = add_measure(cast, problem)
    for actor, name in ((inspector, "approve"), (secretary, "report_done"), (inspector, "verify")):
        services.measure_transition(actor=actor, measure=measure, name=name)
    services.problem_transition(actor=inspector, problem=problem, name="close")
    services.problem_transition(actor=inspector, problem=problem, name="reopen", reason="群众反映问题反弹")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RECTIFYING and problem.last_reason == "群众反映问题反弹"


def test_evidence_type_and_size_are_checked(cast, problem):
    services.problem_transition(actor=cast.user("inspector"), problem=problem, name="approve")
    measure = add_measure(cast, problem)
    services.measure_transition(actor=cast.user("inspector"), measure=measure, name="approve")
    with pytest.raises(ValidationError):
        services.progress_record(actor=cast.user("branch_secretary"), measure=measure, text="进展", percent=10,
                                 evidence=[SimpleUploadedFile("脚本.exe", b"MZ")])
    big = SimpleUploadedFile("大图.jpg", b"0" * (services.EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationError):
        services.progress_record(actor=cast.user("branch_secretary"), measure=measure, text="进展", percent=10, evidence=[big])
    assert not measure.progress_reports.exists()


def test_push_down_and_rollup(cast):
    officer = cast.user("district_officer")
    upper = services.problem_create(actor=officer, org=cast.orgs["street"], title="老旧小区加装电梯推进慢",
                                    source="research", category="livelihood", found_on=datetime.date(2026, 9, 1))
    pushed = services.problem_push_down(actor=officer, problem=upper, orgs=[cast.orgs["community"], cast.orgs["branch"]])
    assert len(pushed) == 2 and all(p.source == "upper" for p in pushed)
    add_measure(cast, pushed[1])
    with pytest.raises(ValidationError):
        services.problem_push_down(actor=officer, problem=upper, orgs=[cast.orgs["other_branch"]])
    rollup = selectors.push_down_rollup(officer, upper)
    assert rollup == {"problems": 2, "problems_closed": 0, "measures": 1, "measures_completed": 0}


def test_figures_by_level_class_are_grouped_and_scoped(cast):
    officer, inspector = cast.user("district_officer"), cast.user("district_officer")
    county = services.problem_create(actor=officer, org=cast.orgs["street"], title="街道层面问题", source="inspection",
                                     category="party_building", found_on=datetime.date(2026, 9, 1))
    grassroots = services.problem_create(actor=officer, org=cast.orgs["branch"], title="支部层面问题",
                                         source="self_inspection", category="conduct", found_on=datetime.date(2026, 9, 2))
    for problem_item, done in ((county, 3), (grassroots, 1)):
        services.problem_transition(actor=inspector, problem=problem_item, name="approve")
        for index in range(4):
            measure = services.measure_add(actor=officer, problem=problem_item, text=f"整改措施第{index}项",
                                           responsible_person="责任人", deadline=datetime.date(2026, 10, 1))
            if index < done:
                for name in ("approve", "report_done", "verify"):
                    services.measure_transition(actor=officer, measure=measure, name=name)
    figures = selectors.ledger_figures(officer, org=cast.orgs["district"], today=TODAY)
    assert figures["county"]["measures"] == 4 and figures["county"]["completion_rate"] == 75.0
    assert figures["grassroots"]["completion_rate"] == 25.0
    assert figures["all"]["measures_completed"] == 4 and figures["all"]["problems"] == 2
    assert figures["all"]["measures_overdue"] == 4
    outsider_figures = selectors.ledger_figures(cast.user("outsider"), org=cast.orgs["district"], today=TODAY)
    assert outsider_figures["all"]["measures"] == 0
    ranking = selectors.unit_ranking(officer, org=cast.orgs["district"])
    assert ranking[0]["name"] == "中共海沧区新阳街道工作委员会" and ranking[0]["measures"] == 8
    assert Problem.objects.count() == 2

"""The compliance scan: rules raise alerts, the data clears them, repeats escalate, and the cost follows orgs."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from yuntu.accounts.models import AuditEntry
from yuntu.assessment import rules, selectors, services
from yuntu.assessment.models import Alert, RuleSetting
from yuntu.assessment.scan import run_scan
from yuntu.assessment.workflow import AlertStatus, Severity
from yuntu.core import clock
from yuntu.ledger.models import Measure, Problem
from yuntu.orglife import services as orglife_services
from yuntu.orglife.tests import senders
from yuntu.orglife.tests.factories import earlier_today, held_meeting
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level, Member

SENDER = "yuntu.orglife.tests.senders.RecordingSender"


def alerts(rule: str, **filters) -> dict[str, str]:
    return dict(Alert.objects.filter(rule=rule, **filters).values_list("org__name", "status"))


def disable(*codes: str) -> None:
    """The bare cast's communities and streets publish nothing; tests that follow branch alerts set that rule aside."""
    RuleSetting.objects.bulk_create([RuleSetting(code=code, config='{"enabled": false}') for code in codes])


def test_a_theme_day_clears_the_branchs_warning_and_not_the_others(cast):
    run_scan()
    current = rules.window_of(rules.Period.MONTH, clock.today(), current=True).key
    assert alerts("orglife.theme_day", period=current) == {
        "兴旺社区第一党支部": "open", "海沧区城市管理局机关党支部": "open", "山边社区第一党支部": "open"}
    assert Alert.objects.filter(rule="orglife.theme_day", period=current).first().severity == Severity.WARNING
    held_meeting(cast.user("branch_secretary"), cast.orgs["branch"])
    result = run_scan()
    assert alerts("orglife.theme_day", period=current) == {
        "兴旺社区第一党支部": "resolved", "海沧区城市管理局机关党支部": "open", "山边社区第一党支部": "open"}
    assert result.resolved >= 1
    branch_alert = Alert.objects.get(rule="orglife.theme_day", period=current, org=cast.orgs["branch"])
    assert [event.action for event in branch_alert.events.all()] == ["raise", "resolve"]


def test_the_scan_is_idempotent_and_alerts_reach_the_parent(cast):
    disable("publicity.overdue")
    first = run_scan()
    again = run_scan()
    assert first.raised > 0 and again.raised == 0 and again.resolved == 0
    alert = Alert.objects.filter(org=cast.orgs["branch"]).first()
    assert alert.parent_path == cast.orgs["community"].path and alert.seen_count == 2
    community_view = selectors.alert_list(cast.user("community_secretary"), org=cast.orgs["community"])
    assert set(community_view.values_list("org__name", flat=True)) == {"兴旺社区第一党支部"}
    assert not selectors.alert_list(cast.user("outsider")).filter(org__name="兴旺社区第一党支部").exists()


def test_standing_rules_find_members_ledger_requests_temporary_branches_and_secretaries(cast):
    officer, member = cast.user("district_officer"), cast.members["member"]
    Member.objects.filter(pk=member.pk).update(status="probationary", probation_end=clock.today() - datetime.timedelta(days=3))
    problem = Problem.objects.create(org=cast.orgs["branch"], org_path=cast.orgs["branch"].path, title="楼道堆物",
                                     source="residents", category="livelihood", level_class="grassroots",
                                     found_on=clock.today(), status="rectifying")
    Measure.objects.create(problem=problem, org=cast.orgs["branch"], org_path=cast.orgs["branch"].path, text="清理",
                           responsible_person="林晓红", deadline=clock.today() - datetime.timedelta(days=1),
                           status="in_progress", level_class="grassroots")
    temporary = org_services.org_create(actor=officer, parent=cast.orgs["community"], name="海沧某项目临时党支部",
                                        level=Level.BRANCH, temporary=True,
                                        end_date=clock.today() - datetime.timedelta(days=10))
    orglife_services.officer_appoint(actor=officer, org=cast.orgs["branch"], member=member, position="secretary",
                                     since=datetime.date(2024, 1, 1))
    run_scan()
    assert alerts("orgs.probation_overdue") == {"兴旺社区第一党支部": "open"}
    assert alerts("ledger.measure_overdue") == {"兴旺社区第一党支部": "open"}
    assert alerts("orgs.temporary_expired") == {temporary.name: "open"}
    assert "兴旺社区第一党支部" not in alerts("orgs.no_secretary")
    assert "山边社区第一党支部" in alerts("orgs.no_secretary")
    Measure.objects.update(status="verified")
    run_scan()
    assert alerts("ledger.measure_overdue") == {"兴旺社区第一党支部": "resolved"}


def test_a_member_absent_three_meetings_running(cast):
    secretary, member = cast.user("branch_secretary"), cast.members["member"]
    for days in (30, 20):
        held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=days))
    run_scan()
    assert alerts("orglife.absent_running") == {}
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=10),
                 leave={member.pk: "因病请假"})
    run_scan()
    assert alerts("orglife.absent_running") == {}, "leave is not an absence"
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=5))
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=2))
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(hours=2))
    run_scan()
    assert alerts("orglife.absent_running") == {"兴旺社区第一党支部": "open"}
    assert Alert.objects.get(rule="orglife.absent_running").detail == "1名党员连续3次无故缺席组织生活"


def test_repeated_lapses_escalate_to_the_level_above_the_parent(cast):
    today = clock.today()
    month_ago = (today.replace(day=1) - datetime.timedelta(days=1))
    run_scan(today=month_ago)
    run_scan(today=today)
    previous = rules.window_of(rules.Period.MONTH, month_ago.replace(day=1) - datetime.timedelta(days=1), current=False)
    assert Alert.objects.filter(rule="orglife.theme_day", period=previous.key).exists()
    lapse = Alert.objects.get(rule="orglife.theme_day", org=cast.orgs["branch"],
                              period=rules.window_of(rules.Period.MONTH, month_ago, current=False).key)
    assert lapse.severity == Severity.LAPSE and lapse.escalated
    assert lapse.escalated_path == cast.orgs["street"].path
    assert lapse.events.filter(action="escalate").exists()


def test_a_meeting_recorded_late_clears_its_old_periods_alert_and_raises_nothing_old(cast):
    disable("publicity.overdue")
    today = clock.today()
    old_day = today.replace(day=1) - datetime.timedelta(days=70)  # a month the daily scan no longer evaluates
    old = rules.window_of(rules.Period.MONTH, old_day, current=False)
    run_scan(today=old.end)  # the scan of the day after that month: its lapses are raised
    run_scan()
    assert old.key not in {window.key for window in rules.windows_for(rules.Period.MONTH, today)}
    lapsed = alerts("orglife.theme_day", period=old.key)
    assert lapsed == {"兴旺社区第一党支部": "open", "海沧区城市管理局机关党支部": "open", "山边社区第一党支部": "open"}
    # The branch records that month's theme day now; a lecture recorded late has no old alert to clear.
    secretary = cast.user("branch_secretary")
    held_meeting(secretary, cast.orgs["branch"], when=timezone.make_aware(datetime.datetime.combine(
        old_day.replace(day=15), datetime.time(15))))
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=timezone.make_aware(datetime.datetime.combine(
        old_day.replace(day=16), datetime.time(15))))
    count = Alert.objects.count()
    result = run_scan()
    assert alerts("orglife.theme_day", period=old.key) == {**lapsed, "兴旺社区第一党支部": "resolved"}
    assert Alert.objects.count() == count  # nothing raised for an old period
    branch_alert = Alert.objects.get(rule="orglife.theme_day", period=old.key, org=cast.orgs["branch"])
    assert [event.action for event in branch_alert.events.all()] == ["raise", "resolve"]
    assert branch_alert.events.last().label == "补录的记录已符合要求，自动消除"
    late_steps = [step for step in result.steps if step.get("late_records")]
    assert [(step["rule"], step["period"], step["findings"]) for step in late_steps] == [
        ("orglife.theme_day", old.key, 1)]
    # Idempotent: the next scan finds no record since and resolves nothing more.
    again = run_scan()
    assert not [step for step in again.steps if step.get("late_records")]
    assert alerts("orglife.theme_day", period=old.key) == {**lapsed, "兴旺社区第一党支部": "resolved"}


@override_settings(ASSESSMENT_NOTIFICATION_SENDERS=[SENDER])
def test_new_alerts_are_sent_to_the_org_and_its_parent(cast, django_capture_on_commit_callbacks):
    disable("publicity.overdue")
    senders.SENT.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_scan()
    recipients = {name for name, *_ in senders.SENT}
    assert {"branch_secretary", "community_secretary", "outsider"} <= recipients
    assert "street_secretary" not in recipients  # two levels up: only when escalated
    body = next(body for name, _subject, body, _data in senders.SENT if name == "community_secretary")
    assert "兴旺社区第一党支部" in body and "山边" not in body


def test_the_number_of_queries_does_not_grow_with_orgs(cast):
    first = run_scan()
    officer = cast.user("district_officer")
    for number in range(12):
        org_services.org_create(actor=officer, parent=cast.orgs["community"], name=f"兴旺社区第{number + 2}党支部",
                                level=Level.BRANCH)
    second = run_scan()
    assert second.orgs == first.orgs + 12 and second.raised > 0
    # Rules read the tree once and alerts are written in bulk: same statements whatever the number of orgs.
    third = run_scan()
    assert third.queries <= first.queries + 5, (first.queries, third.queries)


def test_an_explanation_is_reviewed_by_the_level_above(cast):
    run_scan()
    alert = Alert.objects.filter(org=cast.orgs["branch"], rule="orgs.no_secretary").get()
    with pytest.raises(ValidationError, match="须说明原因"):
        services.alert_transition(actor=cast.user("branch_secretary"), alert=alert, name="explain")
    services.alert_transition(actor=cast.user("branch_secretary"), alert=alert, name="explain",
                              reason="原书记调任，已报街道党工委，待选举产生新书记。")
    with pytest.raises(PermissionDenied):
        services.alert_transition(actor=cast.user("branch_secretary"), alert=alert, name="accept")
    with pytest.raises(PermissionDenied):
        services.alert_transition(actor=cast.user("outsider"), alert=alert, name="accept")
    services.alert_transition(actor=cast.user("street_secretary"), alert=alert, name="accept")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACCEPTED
    run_scan()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACCEPTED, "an accepted explanation is not reopened while the data stays"


def test_a_rule_configuration_that_does_not_parse_changes_nothing(cast):
    officer = cast.user("district_officer")
    before = AuditEntry.objects.count()
    for text, message in (('{"threshold": 2,', "不是有效的JSON"), ('{"threshold": "两次"}', "应为整数"),
                          ('{"limit": 2}', "不认识的项"), ("[1]", "JSON对象")):
        with pytest.raises(ValidationError, match=message):
            services.rule_configure(actor=officer, code="orglife.theme_day", config=text)
    assert not RuleSetting.objects.exists() and AuditEntry.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.rule_configure(actor=cast.user("street_secretary"), code="orglife.theme_day", config="{}")
    services.rule_configure(actor=officer, code="orglife.theme_day", config='{"enabled": false}')
    run_scan()
    assert not Alert.objects.filter(rule="orglife.theme_day").exists()


def test_counts_by_rule_and_by_unit(cast):
    run_scan()
    by_unit = selectors.counts_by_unit(cast.user("district_officer"), org=cast.orgs["district"])
    names = [row["org"].name for row in by_unit]
    assert "中共海沧区新阳街道工作委员会" in names and "中共海沧区东孚街道工作委员会" in names
    by_rule = {row["code"]: row["count"] for row in selectors.counts_by_rule(cast.user("street_secretary"),
                                                                             org=cast.orgs["street"])}
    assert by_rule["orgs.no_secretary"] == 1 and set(by_rule) == {rule.code for rule in rules.all_rules()}


def test_meeting_counts_keep_to_their_kind_window_and_held_meetings(cast):
    secretary, branch = cast.user("branch_secretary"), cast.orgs["branch"]
    now = clock.now()
    held_meeting(secretary, branch, kind="theme_day", when=earlier_today(180))
    held_meeting(secretary, branch, kind="theme_day", when=earlier_today(120))
    held_meeting(secretary, branch, kind="lecture", when=earlier_today(60))
    orglife_services.meeting_plan(actor=secretary, org=branch, kind="theme_day", title="未召开的主题党日",
                                  starts_at=now + datetime.timedelta(days=1), notify=False)
    context = rules.Context(clock.today(), now)
    month = rules.window_of(rules.Period.MONTH, clock.today(), current=True)
    assert context.held_by_org("theme_day", month.start, month.end) == {branch.pk: 2}
    assert context.held_by_org("lecture", month.start, month.end) == {branch.pk: 1}
    assert context.held_by_org("general", month.start, month.end) == {}
    assert context.held_by_org("theme_day", month.end, month.end + datetime.timedelta(days=31)) == {}


def test_absences_followed_by_an_attended_meeting_are_not_a_run(cast):
    secretary, member = cast.user("branch_secretary"), cast.members["member"]
    for days in (40, 30, 20, 10):
        held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=days))
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=5),
                 present=[member.pk])
    run_scan()
    assert alerts("orglife.absent_running") == {}, "four absences, but the latest meeting was attended"
    RuleSetting.objects.create(code="orglife.absent_running", config='{"threshold": 5}')
    run_scan()
    assert alerts("orglife.absent_running") == {}
    held_meeting(secretary, cast.orgs["branch"], kind="lecture", when=clock.now() - datetime.timedelta(days=1))
    RuleSetting.objects.filter(code="orglife.absent_running").update(config='{"threshold": 1}')
    run_scan()
    assert alerts("orglife.absent_running") == {"兴旺社区第一党支部": "open"}


def test_an_inactive_orgs_alert_is_left_as_it_was_while_others_are_refreshed(cast):
    branch, other = cast.orgs["branch"], cast.orgs["other_branch"]
    for org in (branch, other):
        problem = Problem.objects.create(org=org, org_path=org.path, title="楼道堆物", source="residents",
                                         category="livelihood", level_class="grassroots", found_on=clock.today(),
                                         status="rectifying")
        Measure.objects.create(problem=problem, org=org, org_path=org.path, text="清理", responsible_person="林晓红",
                               deadline=clock.today() - datetime.timedelta(days=1), status="in_progress",
                               level_class="grassroots")
    run_scan()
    type(branch).objects.filter(pk=branch.pk).update(is_active=False)
    run_scan()
    kept = Alert.objects.get(rule="ledger.measure_overdue", org=branch)
    refreshed = Alert.objects.get(rule="ledger.measure_overdue", org=other)
    assert (kept.status, kept.seen_count) == (AlertStatus.OPEN, 1)
    assert (refreshed.status, refreshed.seen_count) == (AlertStatus.OPEN, 2)
    assert refreshed.last_seen_at > kept.last_seen_at


def test_escalation_goes_to_the_level_above_the_parent_or_nowhere_above_the_root(cast):
    run_scan()
    run_scan()  # publicity alerts escalate on their second scan
    escalated = dict(Alert.objects.filter(rule="publicity.overdue", escalated=True)
                     .values_list("org__name", "escalated_path"))
    district, street, community = (cast.orgs[key].path for key in ("district", "street", "community"))
    assert escalated["中共新阳街道兴旺社区委员会"] == district  # parent: the street
    assert escalated["兴旺社区第一党支部"] == street  # parent: the community
    assert escalated["中共海沧区新阳街道工作委员会"] == ""  # parent: the district, the root
    assert escalated["海沧区城市管理局机关党支部"] == ""
    assert community.startswith(street)


def test_updates_and_events_take_more_ids_than_sqlite_takes_parameters(cast):
    from yuntu.assessment import scan
    from yuntu.assessment.models import AlertEvent

    branch, now = cast.orgs["branch"], clock.now()
    Alert.objects.bulk_create([Alert(rule="test.many", period=f"p{number:04d}", severity=Severity.LAPSE,
                                     org=branch, org_path=branch.path, detail="", raised_at=now, last_seen_at=now)
                               for number in range(1500)])
    ids = list(Alert.objects.filter(rule="test.many").values_list("pk", flat=True))
    scan._update_ids(ids[:1200], status=AlertStatus.RESOLVED, resolved_at=now)
    scan._events(ids[:1200], "resolve", "测试", now)
    assert Alert.objects.filter(rule="test.many", status=AlertStatus.RESOLVED).count() == 1200
    assert AlertEvent.objects.filter(alert__rule="test.many", action="resolve").count() == 1200
    assert set(AlertEvent.objects.filter(alert__rule="test.many").values_list("alert_id", flat=True)) == set(ids[:1200])


def test_the_scan_reports_each_rule_and_period(cast):
    result = run_scan()
    steps = {(step["rule"], step["period"]) for step in result.steps}
    previous_month = rules.windows_for(rules.Period.MONTH, clock.today())[0].key
    assert ("orglife.theme_day", previous_month) in steps and ("orgs.no_secretary", "") in steps
    assert sum(step["queries"] for step in result.steps) < result.queries
    assert "steps" not in result.as_dict() and result.as_dict(steps=True)["steps"] == result.steps

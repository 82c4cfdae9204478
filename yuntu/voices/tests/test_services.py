import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from yuntu.voices import selectors, services
from yuntu.voices.calendar import add_working_days
from yuntu.voices.models import Category, Request, WorkdayOverride
from yuntu.voices.workflow import DispatchStatus, RequestStatus

POINT = {"latitude": "24.480100", "longitude": "118.030200"}


@pytest.fixture
def category(cast):
    return Category.objects.create(code="road", name="道路设施", responsible_org=cast.orgs["agency"], answer_days=1,
                                   resolve_days=5)


def submit(cast, category, text="兴旺小区门口路灯不亮，晚上出行不便", **extra):
    return services.request_submit(community=cast.orgs["community"], category=category, text=text,
                                   resident=cast.user("resident"), contact_mobile="13700001111", **{**POINT, **extra})


def test_five_stages_with_a_department(cast, category):
    request = submit(cast, category)
    assert request.status == RequestStatus.SUBMITTED and request.contact_mobile_masked == "137****1111"
    dispatches = services.request_dispatch(actor=cast.user("community_secretary"), request=request,
                                           departments=[cast.orgs["agency"]], days=3)
    handler = cast.user("department_handler")
    assert selectors.dispatches_for_department(handler).filter(pk=dispatches[0].pk).exists()
    with pytest.raises(ValidationError):
        services.request_transition(actor=cast.user("community_secretary"), request=request, name="publish", reply="已修复")
    services.dispatch_transition(actor=handler, dispatch=dispatches[0], name="accept")
    services.dispatch_transition(actor=handler, dispatch=dispatches[0], name="reply", reply="路灯已更换")
    services.request_transition(actor=cast.user("community_secretary"), request=request, name="publish",
                                reply="城管局已更换路灯，感谢反映。")
    assert selectors.public_board().filter(pk=request.pk).exists()
    services.request_transition(actor=cast.user("resident"), request=request, name="rate", rating="satisfied")
    request.refresh_from_db()
    assert request.status == RequestStatus.RATED
    figures = selectors.voices_figures(Request.objects.filter(pk=request.pk))
    assert figures["satisfaction_rate"] == 100.0 and figures["answered_on_time"] == 1


def test_reopen_only_once_and_only_by_the_resident(cast, category):
    request = submit(cast, category)
    services.request_transition(actor=cast.user("community_secretary"), request=request, name="handle")
    services.request_transition(actor=cast.user("community_secretary"), request=request, name="publish", reply="已处理")
    with pytest.raises(PermissionDenied):
        services.request_transition(actor=cast.user("community_secretary"), request=request, name="reopen", reason="x")
    services.request_transition(actor=cast.user("resident"), request=request, name="reopen", reason="灯又坏了")
    services.request_transition(actor=cast.user("community_secretary"), request=request, name="publish", reply="再次修复")
    with pytest.raises(ValidationError):
        services.request_transition(actor=cast.user("resident"), request=request, name="reopen", reason="还是坏")


def test_department_cannot_answer_what_was_not_dispatched_to_it(cast, category):
    request = submit(cast, category)
    dispatch = services.request_dispatch(actor=cast.user("community_secretary"), request=request,
                                         departments=[cast.orgs["agency"]])[0]
    with pytest.raises(PermissionDenied):
        services.dispatch_transition(actor=cast.user("outsider"), dispatch=dispatch, name="accept")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.PENDING


def test_bad_input_is_refused_and_nothing_is_stored(cast, category):
    count = Request.objects.count()
    with pytest.raises(ValidationError):
        submit(cast, category, text="长" * 10_000)
    with pytest.raises(ValidationError):
        submit(cast, category, latitude="39.9", longitude="116.4")  # Beijing, outside the district
    assert Request.objects.count() == count


def test_working_days_skip_holidays_and_honour_make_up_days(cast):
    friday = timezone.make_aware(datetime.datetime(2027, 3, 5, 10, 0))
    assert add_working_days(friday, 1).date() == datetime.date(2027, 3, 8)
    WorkdayOverride.objects.create(date=datetime.date(2027, 3, 6), is_workday=True, name="调休上班")
    WorkdayOverride.objects.create(date=datetime.date(2027, 3, 8), is_workday=False, name="假日")
    assert add_working_days(friday, 1).date() == datetime.date(2027, 3, 6)
    assert add_working_days(friday, 2).date() == datetime.date(2027, 3, 9)


def test_similar_open_requests_nearby(cast, category):
    first = submit(cast, category)
    similar = selectors.similar_open_requests(category=category, text="兴旺小区门口的路灯不亮了", **POINT)
    assert [row["pk"] for row in similar] == [first.pk]
    far = selectors.similar_open_requests(category=category, text="兴旺小区门口的路灯不亮了",
                                          latitude="24.500000", longitude="118.030200")
    assert far == []


def test_merged_residents_hear_the_answer(cast, category):
    first, second = submit(cast, category), submit(cast, category, text="路灯不亮")
    secretary = cast.user("community_secretary")
    services.request_transition(actor=secretary, request=second, name="merge", target=first)
    services.request_transition(actor=secretary, request=first, name="handle")
    services.request_transition(actor=secretary, request=first, name="publish", reply="已修复路灯")
    second.refresh_from_db()
    assert second.status == RequestStatus.MERGED and second.reply == "已修复路灯"
    assert not selectors.public_board().filter(pk=second.pk).exists()

"""The lecture menu: 点菜 → 配菜 → 送菜 → 评菜, the lecturer never in two places at once, 5+X sessions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from yuntu.accounts.models import AuditEntry
from yuntu.indicators import registry
from yuntu.lectures import selectors, services
from yuntu.lectures.models import LectureOrder, LecturerSlot
from yuntu.lectures.workflow import OrderStatus

from .factories import days_ahead, lecturer_for, team_for, topic_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu(cast):
    team = team_for(cast.orgs["street"], "新阳街道宣讲团")
    return {"team": team, "lecturer": lecturer_for(team, member=cast.members["member"]),
            "other": lecturer_for(team, "王建国"), "topic": topic_for(team)}


def order(user, topic, start, place="兴旺社区党群服务中心"):
    return services.order_create(actor=user, topic=topic, group_name="兴旺社区老年协会", starts_at=start, place=place,
                                 expected_audience=40)


def test_an_order_goes_through_the_four_stages(cast, menu):
    item = order(cast.user("resident"), menu["topic"], days_ahead(3, 9))
    assert item.status == OrderStatus.ORDERED and item.number.startswith("XJ")
    assert item.ends_at - item.starts_at == datetime.timedelta(minutes=60)
    assert item.org_path == cast.orgs["street"].path
    item = services.order_assign(actor=cast.user("street_secretary"), order=item, lecturer=menu["lecturer"])
    assert item.status == OrderStatus.ASSIGNED
    assert LecturerSlot.objects.filter(order=item).count() == 4
    with pytest.raises(ValidationError, match="尚未开始"):
        services.order_deliver(actor=cast.user("street_secretary"), order=item, attendance=38, summary="讲得好")
    item = services.order_deliver(actor=cast.user("street_secretary"), order=item, attendance=38, summary="互动热烈",
                                  members=[], now=item.starts_at + datetime.timedelta(hours=1))
    assert item.status == OrderStatus.DELIVERED and item.attendance == 38
    services.order_rate(actor=cast.user("resident"), order=item, score=5, comment="通俗易懂")
    services.order_rate(actor=cast.user("member"), order=item, score=4)
    with pytest.raises(ValidationError, match="已评价过"):
        services.order_rate(actor=cast.user("resident"), order=item, score=1)
    item.refresh_from_db()
    assert item.status == OrderStatus.RATED
    assert selectors.rating_of(item) == {"average": 4.5, "count": 2}
    assert AuditEntry.objects.filter(action__startswith="lectures.order_", object_id=str(item.pk)).count() == 5


def test_no_lecturer_in_two_places_at_once(cast, menu):
    first = order(cast.user("resident"), menu["topic"], days_ahead(3, 9))
    second = order(cast.user("member"), menu["topic"], days_ahead(3, 9, 45), place="祥露社区")
    services.order_assign(actor=cast.user("street_secretary"), order=first, lecturer=menu["lecturer"])
    before = (LecturerSlot.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError, match="不能同时在两地宣讲"):
        services.order_assign(actor=cast.user("street_secretary"), order=second, lecturer=menu["lecturer"])
    second.refresh_from_db()
    assert second.status == OrderStatus.ORDERED and second.lecturer is None
    assert (LecturerSlot.objects.count(), AuditEntry.objects.count()) == before
    services.order_assign(actor=cast.user("street_secretary"), order=second, lecturer=menu["other"])
    with pytest.raises(IntegrityError), transaction.atomic():
        LecturerSlot.objects.create(lecturer=menu["lecturer"], starts_at=first.starts_at, order=second)


def test_reassignment_frees_the_first_lecturer(cast, menu):
    first = order(cast.user("resident"), menu["topic"], days_ahead(4, 14))
    services.order_assign(actor=cast.user("street_secretary"), order=first, lecturer=menu["lecturer"])
    services.order_assign(actor=cast.user("street_secretary"), order=first, lecturer=menu["other"])
    second = order(cast.user("member"), menu["topic"], days_ahead(4, 14))
    services.order_assign(actor=cast.user("street_secretary"), order=second, lecturer=menu["lecturer"])
    assert LecturerSlot.objects.filter(lecturer=menu["lecturer"]).count() == 4


@pytest.mark.parametrize(("start", "message"), [
    (lambda: days_ahead(-1, 9), "不能早于现在"),
    (lambda: days_ahead(1, 0) - datetime.timedelta(minutes=1), "不能早于现在|提前24小时"),
    (lambda: days_ahead(200, 9), "120天内"),
])
def test_bad_order_times(cast, menu, start, message):
    before = LectureOrder.objects.count()
    with pytest.raises(ValidationError, match=message):
        order(cast.user("resident"), menu["topic"], start())
    assert LectureOrder.objects.count() == before


def test_only_the_team_assigns_and_only_the_orderer_cancels(cast, menu):
    item = order(cast.user("resident"), menu["topic"], days_ahead(5, 9))
    with pytest.raises(PermissionDenied):
        services.order_assign(actor=cast.user("outsider"), order=item, lecturer=menu["lecturer"])
    with pytest.raises(PermissionDenied):
        services.order_cancel(actor=cast.user("member"), order=item)
    with pytest.raises(ValidationError, match="须说明原因"):
        services.order_decline(actor=cast.user("street_secretary"), order=item, reason=" ")
    services.order_cancel(actor=cast.user("resident"), order=item)
    item.refresh_from_db()
    assert item.status == OrderStatus.CANCELLED


def test_sessions_per_member_for_five_plus_x(cast, menu):
    listener = cast.members["member"]
    team = menu["team"]
    someone = lecturer_for(team, "李海燕")
    item = order(cast.user("resident"), menu["topic"], days_ahead(3, 9))
    services.order_assign(actor=cast.user("street_secretary"), order=item, lecturer=someone)
    item = services.order_deliver(actor=cast.user("street_secretary"), order=item, attendance=30, summary="讲了",
                                  members=[listener.pk], now=item.starts_at + datetime.timedelta(hours=2))
    lectured = order(cast.user("resident"), menu["topic"], days_ahead(6, 9))
    services.order_assign(actor=cast.user("street_secretary"), order=lectured, lecturer=menu["lecturer"])
    lectured = services.order_deliver(actor=cast.user("street_secretary"), order=lectured, attendance=20,
                                      summary="讲了", now=lectured.starts_at + datetime.timedelta(hours=2))
    year = item.delivered_on.year
    sessions = selectors.lecture_sessions_per_member(cast.user("street_secretary"), year=year)
    as_lecturer = 1 if lectured.delivered_on.year == year else 0
    assert sessions[listener.pk] == {"as_lecturer": as_lecturer, "as_listener": 1, "sessions": 1 + as_lecturer}
    assert selectors.lecture_sessions_per_member(cast.user("outsider"), year=year) == {}
    assert selectors.lecture_sessions_per_member(cast.user("street_secretary"), year=year - 1) == {}
    scope = registry.Scope(org_path=cast.orgs["district"].path)
    assert registry.value("lectures.sessions", scope) == 2
    assert registry.value("lectures.audience", scope) == 50
    rows = selectors.figures_by_team(cast.user("street_secretary"))
    assert rows[0]["sessions"] == 2 and rows[0]["audience"] == 50 and rows[0]["lecturers"] == 3


def test_delivery_refuses_members_outside_the_teams_sight(cast, menu):
    item = order(cast.user("resident"), menu["topic"], days_ahead(3, 9))
    services.order_assign(actor=cast.user("street_secretary"), order=item, lecturer=menu["other"])
    with pytest.raises(ValidationError, match="不在您的管理范围内"):
        services.order_deliver(actor=cast.user("street_secretary"), order=item, attendance=3, summary="讲了",
                               members=[cast.members["other_member"].pk], now=item.starts_at)

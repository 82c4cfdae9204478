"""Lecture pages and API: 点菜 on the phone, 配菜 and 送菜 by the team, 评菜 by the audience's code,
and outsiders who can neither see nor change another subtree's orders."""

import datetime
import json

import pytest

from yuntu.accounts.models import AuditEntry
from yuntu.lectures import services
from yuntu.lectures.models import LectureOrder, LectureRating
from yuntu.lectures.workflow import OrderStatus

from .factories import days_ahead, lecturer_for, team_for, topic_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def menu(cast):
    team = team_for(cast.orgs["street"], "新阳街道理论宣讲队")
    return {"team": team, "lecturer": lecturer_for(team), "topic": topic_for(team)}


def test_ordering_on_the_phone_and_the_team_assigning(cast, client_for, menu):
    resident = client_for(cast.user("resident"))
    assert "党的二十届四中全会精神解读" in resident.get("/portal/lectures/").content.decode()
    start = days_ahead(4, 19)
    response = resident.post(f"/portal/lectures/topics/{menu['topic'].pk}/", {
        "group_name": "兴旺社区老年协会", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "place": "兴旺社区党群服务中心",
        "expected_audience": 40})
    order = LectureOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/lectures/orders/{order.pk}/"
    past = resident.post(f"/portal/lectures/topics/{menu['topic'].pk}/", {
        "group_name": "兴旺社区老年协会", "starts_at": "2020-01-01T09:00", "place": "x", "expected_audience": 4})
    assert past.status_code == 400 and "宣讲时间不能早于现在" in past.content.decode()
    staff = client_for(cast.user("street_secretary"))
    assigned = staff.post(f"/lectures/orders/{order.pk}/transition/", {"action": "assign",
                                                                       "lecturer": menu["lecturer"].pk})
    assert assigned.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.ASSIGNED


def test_a_double_booked_lecturer_gets_a_clear_message(cast, client_for, menu):
    first = services.order_create(actor=cast.user("resident"), topic=menu["topic"], group_name="甲", starts_at=days_ahead(3, 9),
                                  place="兴旺社区", expected_audience=10)
    second = services.order_create(actor=cast.user("member"), topic=menu["topic"], group_name="乙",
                                   starts_at=days_ahead(3, 9, 30), place="祥露社区", expected_audience=10)
    services.order_assign(actor=cast.user("street_secretary"), order=first, lecturer=menu["lecturer"])
    response = client_for(cast.user("street_secretary")).post(
        f"/lectures/orders/{second.pk}/transition/", {"action": "assign", "lecturer": menu["lecturer"].pk})
    assert response.status_code == 400 and "不能同时在两地宣讲" in response.content.decode()
    second.refresh_from_db()
    assert second.status == OrderStatus.ORDERED


def test_the_audience_rates_by_the_orders_code(cast, client_for, menu, monkeypatch):
    order = services.order_create(actor=cast.user("resident"), topic=menu["topic"], group_name="甲",
                                  starts_at=days_ahead(3, 9), place="兴旺社区", expected_audience=10)
    order = services.order_assign(actor=cast.user("street_secretary"), order=order, lecturer=menu["lecturer"])
    listener = client_for(cast.user("member"))
    assert "尚未开展" in listener.get(f"/portal/lectures/rate/{order.rating_token}/").content.decode()
    services.order_deliver(actor=cast.user("street_secretary"), order=order, attendance=30, summary="讲了",
                           now=order.starts_at + datetime.timedelta(hours=1))
    assert listener.post(f"/portal/lectures/rate/{order.rating_token}/", {"score": 4}).status_code == 302
    again = listener.post(f"/portal/lectures/rate/{order.rating_token}/", {"score": 1})
    assert again.status_code == 400 and "已评价过" in again.content.decode()
    assert list(LectureRating.objects.values_list("score", flat=True)) == [4]
    assert listener.get("/portal/lectures/rate/nope/").status_code == 404


def test_an_outsider_can_neither_see_nor_change_the_orders(cast, client_for, menu):
    order = services.order_create(actor=cast.user("resident"), topic=menu["topic"], group_name="兴旺老年协会",
                                  starts_at=days_ahead(3, 9), place="兴旺社区活动广场", expected_audience=10)
    before = (AuditEntry.objects.count(), LectureOrder.objects.values_list("status", flat=True).get(pk=order.pk))
    outsider = client_for(cast.user("outsider"))
    assert outsider.get(f"/lectures/orders/{order.pk}/").status_code == 404
    assert outsider.post(f"/lectures/orders/{order.pk}/transition/", {"action": "assign",
                                                                      "lecturer": menu["lecturer"].pk}).status_code == 404
    assert outsider.get(f"/portal/lectures/orders/{order.pk}/").status_code == 404
    assert outsider.post(f"/portal/lectures/orders/{order.pk}/cancel/").status_code == 404
    api = outsider.post(f"/api/lectures/orders/{order.pk}/action/", data=json.dumps({"action": "decline", "reason": "x"}),
                        content_type="application/json")
    assert api.status_code == 404
    assert "兴旺老年协会" not in outsider.get("/api/lectures/orders/").content.decode()
    assert "兴旺老年协会" not in outsider.get("/lectures/").content.decode()
    assert (AuditEntry.objects.count(), LectureOrder.objects.values_list("status", flat=True).get(pk=order.pk)) == before


def test_the_api_takes_an_order_through_the_menu(cast, client_for, menu):
    resident = client_for(cast.user("resident"))
    created = resident.post("/api/lectures/orders/", data={
        "topic": menu["topic"].pk, "group_name": "兴旺社区妇女之家", "starts_at": days_ahead(5, 15).isoformat(),
        "place": "兴旺社区党群服务中心", "expected_audience": 25}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    staff = client_for(cast.user("street_secretary"))
    answer = staff.post(f"/api/lectures/orders/{pk}/action/", data={"action": "assign", "lecturer": menu["lecturer"].pk},
                        content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "assigned"
    early = staff.post(f"/api/lectures/orders/{pk}/action/", data={"action": "deliver", "attendance": 3, "summary": "x"},
                       content_type="application/json")
    assert early.status_code == 400 and "尚未开始" in json.dumps(early.json(), ensure_ascii=False)
    figures = staff.get("/api/lectures/figures/").json()
    assert figures["teams"][0]["name"] == "新阳街道理论宣讲队"
    assert client_for(cast.user("outsider")).get("/api/lectures/figures/").json() == {"teams": []}

"""Venue pages and API: the circle (address, phone location, map click in GCJ-02), booking, check-in,
staff pages, and outsiders who can neither see nor change another subtree's bookings."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuntu.accounts.models import AuditEntry
from yuntu.core import clock
from yuntu.venues import geo, selectors
from yuntu.venues.models import Booking, BookingSlot, ClosedDay, OrgOutline
from yuntu.venues.workflow import BookingStatus

from .factories import XINGWANG, at, next_open_day, room_for, venue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(cast):
    near = venue_for(cast.orgs["community"])
    # about 700 m north-east: 700 × 1.3 / 75 ≈ 12 minutes' walk
    estate = venue_for(cast.orgs["branch"], name="海沧招商花园城小区党群之家", latitude=XINGWANG[0] + 0.0045,
                       longitude=XINGWANG[1] + 0.0045, level="estate")
    far = venue_for(cast.orgs["other_community"], name="山边社区党群服务中心", latitude=24.5400, longitude=117.9500)
    OrgOutline.objects.create(org=cast.orgs["street"], org_path=cast.orgs["street"].path, name="新阳街道",
                              points=[[24.47, 118.02], [24.49, 118.02], [24.49, 118.04], [24.47, 118.04]])
    return {"near": near, "estate": estate, "far": far, "room": room_for(near)}


def test_the_circle_from_the_phones_location_lists_venues_with_walking_minutes(client, places):
    response = client.get("/portal/venues/", {"latitude": XINGWANG[0], "longitude": XINGWANG[1], "crs": "wgs84"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "兴旺社区党群服务中心" in text and "海沧招商花园城小区党群之家" in text
    assert "山边社区党群服务中心" not in text.split("circle-data")[0]
    rows = response.context["rows"]
    assert [row.venue.pk for row in rows] == [places["near"].pk, places["estate"].pk]
    assert rows[0].walking_minutes == 1
    assert 10 <= rows[1].walking_minutes <= 15
    data = response.context["map"]
    assert data["crs"] == "wgs84" and data["outlines"][0]["name"] == "新阳街道"  # offline: no tiles, outlines drawn
    assert data["radius_m"] == round(15 * 75 / 1.3)


def test_a_point_picked_on_gcj02_tiles_is_converted_back(client, places, settings):
    settings.VENUES_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.VENUES_TILE_CRS = "gcj02"
    gcj = geo.wgs84_to_gcj02(*XINGWANG)
    response = client.get("/portal/venues/", {"latitude": gcj[0], "longitude": gcj[1], "crs": "gcj02"})
    rows = response.context["rows"]
    assert rows[0].venue.pk == places["near"].pk and rows[0].distance_m < 1
    shown = response.context["map"]["venues"][0]["point"]  # drawn in GCJ-02 on GCJ-02 tiles
    assert shown == pytest.approx([round(gcj[0], 6), round(gcj[1], 6)])
    # taken as WGS-84 the same numbers land ~500 m off: the conversion matters
    wrong = client.get("/portal/venues/", {"latitude": gcj[0], "longitude": gcj[1], "crs": "wgs84"}).context["rows"]
    assert wrong[0].distance_m > 300


def test_the_circle_from_an_address(client, places):
    response = client.get("/portal/venues/", {"address": "招商花园城"})
    assert response.status_code == 200
    assert response.context["rows"][0].venue.pk == places["estate"].pk
    unknown = client.get("/portal/venues/", {"address": "不存在的小区"})
    assert unknown.status_code == 400 and "未找到“不存在的小区”" in unknown.content.decode()


def test_a_location_outside_the_deployment_gets_a_clear_message(client, places):
    response = client.get("/portal/venues/", {"latitude": 31.23, "longitude": 121.47, "crs": "wgs84"})
    assert response.status_code == 400
    assert "该位置不在本辖区范围内" in response.content.decode()


def test_the_circle_query_is_bounded_in_sql(places):
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.circle(latitude=XINGWANG[0], longitude=XINGWANG[1])
    assert len(rows) == 2 and len(queries) == 1
    sql = queries[0]["sql"].lower()
    assert "between" in sql and '"latitude"' in sql and '"longitude"' in sql  # the index's bounding box
    assert "limit" in sql


def test_booking_then_the_same_slot_again_on_the_phone_pages(cast, client_for, places):
    room = places["room"]
    day = next_open_day(room.venue)
    client = client_for(cast.user("resident"))
    form = {"room": room.pk, "day": day.isoformat(), "start": "14:00", "end": "15:30", "purpose": "三号楼加装电梯议事会",
            "attendees": 12, "booker_kind": "resident"}
    response = client.post(f"/portal/venues/{room.venue.pk}/book/", form)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/venues/bookings/{booking.pk}/"
    second = client_for(cast.user("member")).post(f"/portal/venues/{room.venue.pk}/book/", {**form, "start": "15:00"})
    assert second.status_code == 400 and "该时段已被预约" in second.content.decode()
    assert Booking.objects.count() == 1
    page = client.get(f"/portal/venues/{room.venue.pk}/", {"day": day.isoformat()}).content.decode()
    assert "14:00、14:30、15:00" in page and "三号楼加装电梯议事会" not in page  # busy times are public, purposes are not


def test_booking_in_the_past_or_on_a_closed_day_changes_nothing(cast, client_for, places):
    room = places["room"]
    client = client_for(cast.user("resident"))
    yesterday = clock.today() - datetime.timedelta(days=1)
    base = {"room": room.pk, "start": "09:00", "end": "10:00", "purpose": "活动", "attendees": 3,
            "booker_kind": "resident"}
    before = AuditEntry.objects.count()
    past = client.post(f"/portal/venues/{room.venue.pk}/book/", {**base, "day": yesterday.isoformat()})
    assert past.status_code == 400 and "不能预约已经过去的时间" in past.content.decode()
    day = next_open_day(room.venue)
    ClosedDay.objects.create(venue=room.venue, date=day, reason="设备检修")
    closed = client.post(f"/portal/venues/{room.venue.pk}/book/", {**base, "day": day.isoformat()})
    assert closed.status_code == 400 and "闭馆（设备检修）" in closed.content.decode()
    early = client.post(f"/portal/venues/{room.venue.pk}/book/", {**base, "day": day.isoformat(), "start": "06:00"})
    assert early.status_code == 400
    assert not Booking.objects.exists() and AuditEntry.objects.count() == before


def test_check_in_by_the_rooms_qr_code(cast, client_for, places, monkeypatch):
    room = places["room"]
    from yuntu.core import clock
    from yuntu.venues import services

    day = next_open_day(room.venue)
    booking = services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(day, 9), ends_at=at(day, 10),
                                      purpose="党小组学习", attendees=6)
    monkeypatch.setattr(clock, "now", lambda: at(day, 9, 5))
    client = client_for(cast.user("resident"))
    assert "确认签到" in client.get(f"/portal/venues/checkin/{room.checkin_token}/").content.decode()
    response = client.post(f"/portal/venues/checkin/{room.checkin_token}/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert client.get("/portal/venues/checkin/not-a-code/").status_code == 404


def test_staff_see_their_venues_usage_and_print_the_qr_poster(cast, client_for, places):
    client = client_for(cast.user("community_secretary"))
    page = client.get("/venues/").content.decode()
    assert "兴旺社区党群服务中心" in page and "山边社区党群服务中心" not in page
    poster = client.get(f"/venues/rooms/{places['room'].pk}/poster/")
    assert poster.status_code == 200 and places["room"].checkin_token in poster.content.decode()
    svg = client.get(f"/venues/rooms/{places['room'].pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert client.get(f"/venues/{places['far'].pk}/").status_code == 404


def test_an_outsider_can_neither_see_nor_change_the_bookings(cast, client_for, places):
    from yuntu.venues import services

    room = room_for(venue_for(cast.orgs["community"], name="兴旺社区审核中心", needs_approval=True))
    day = next_open_day(room.venue)
    booking = services.booking_create(actor=cast.user("resident"), room=room, starts_at=at(day, 9), ends_at=at(day, 10),
                                      purpose="兴旺读书会", attendees=6)
    before = (AuditEntry.objects.count(), Booking.objects.values_list("status", flat=True).get(pk=booking.pk))
    outsider = client_for(cast.user("outsider"))
    assert outsider.get(f"/venues/bookings/{booking.pk}/").status_code == 404
    assert outsider.post(f"/venues/bookings/{booking.pk}/transition/", {"action": "approve"}).status_code == 404
    assert outsider.get(f"/portal/venues/bookings/{booking.pk}/").status_code == 404
    assert outsider.post(f"/portal/venues/bookings/{booking.pk}/cancel/").status_code == 404
    api = outsider.post(f"/api/venues/bookings/{booking.pk}/transition/", data=json.dumps({"action": "approve"}),
                        content_type="application/json")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert "兴旺读书会" not in outsider.get("/api/venues/bookings/").content.decode()
    assert (AuditEntry.objects.count(), Booking.objects.values_list("status", flat=True).get(pk=booking.pk)) == before
    staff = client_for(cast.user("community_secretary"))
    assert staff.post(f"/venues/bookings/{booking.pk}/transition/", {"action": "approve"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_api_books_and_answers_in_chinese(cast, client_for, places):
    room = places["room"]
    day = next_open_day(room.venue)
    client = client_for(cast.user("resident"))
    body = {"room": room.pk, "starts_at": at(day, 9).isoformat(), "ends_at": at(day, 10).isoformat(),
            "purpose": "议事", "attendees": 5}
    assert client.post("/api/venues/bookings/", data=body, content_type="application/json").status_code == 201
    again = client.post("/api/venues/bookings/", data=body, content_type="application/json")
    assert again.status_code == 400 and "该时段已被预约" in json.dumps(again.json(), ensure_ascii=False)
    assert BookingSlot.objects.filter(room=room).count() == 2
    circle = client.get("/api/venues/circle/", {"latitude": XINGWANG[0], "longitude": XINGWANG[1]}).json()
    assert circle[0]["name"] == "兴旺社区党群服务中心" and circle[0]["walking_minutes"] == 1
    outside = client.get("/api/venues/circle/", {"latitude": 31.2, "longitude": 121.4})
    assert outside.status_code == 400 and "不在本辖区范围内" in json.dumps(outside.json(), ensure_ascii=False)
    assert client.get("/api/venues/bookings/mine/").json()["results"][0]["purpose"] == "议事"


def test_venue_photos_are_checked_by_content(cast, client_for, places):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    client = client_for(cast.user("community_secretary"))
    url = f"/venues/{places['near'].pk}/photos/"
    fake = client.post(url, {"photos": [SimpleUploadedFile("a.png", b"not an image", content_type="image/png")]})
    assert fake.status_code == 400 and "不是有效的图片文件" in fake.content.decode()
    good = client.post(url, {"photos": [SimpleUploadedFile("b.png", buffer.getvalue(), content_type="image/png")],
                             "caption": "活动室一角"})
    assert good.status_code == 302 and places["near"].photos.count() == 1
    outsider = client_for(cast.user("outsider"))
    assert outsider.post(url, {"photos": [SimpleUploadedFile("c.png", buffer.getvalue(),
                                                             content_type="image/png")]}).status_code == 404
    assert places["near"].photos.count() == 1


def test_walking_speed_and_detour_factor_are_settings(places, settings):
    assert [row.venue.pk for row in selectors.circle(latitude=XINGWANG[0], longitude=XINGWANG[1])] == [
        places["near"].pk, places["estate"].pk]
    settings.VENUES_DETOUR_FACTOR = 2.0  # ≈690 m as the crow flies is ≈1,380 m walked: beyond 15 minutes
    assert [row.venue.pk for row in selectors.circle(latitude=XINGWANG[0], longitude=XINGWANG[1])] == [places["near"].pk]
    settings.VENUES_DETOUR_FACTOR, settings.VENUES_WALKING_METRES_PER_MINUTE = 1.3, 40.0  # a slower walker
    rows = selectors.circle(latitude=XINGWANG[0], longitude=XINGWANG[1])
    assert [row.venue.pk for row in rows] == [places["near"].pk]

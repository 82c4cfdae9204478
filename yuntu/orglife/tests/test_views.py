"""Pages of organisational life as the cast sees them; an outsider sees and changes nothing."""

import datetime

from yuntu.core import clock
from yuntu.orglife import services
from yuntu.orglife.models import Attendance, Meeting

from .factories import earlier_today, held_meeting


def planned(cast, **changes):
    values = {"kind": "theme_day", "title": "主题党日：走访困难党员", "starts_at": earlier_today(5),
              "notify": False, **changes}
    return services.meeting_plan(actor=cast.user("branch_secretary"), org=cast.orgs["branch"], **values)


def test_the_secretary_plans_a_meeting_through_the_form(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    page = client.get("/orglife/meetings/new/")
    assert page.status_code == 200 and "兴旺社区第一党支部" in page.content.decode()
    response = client.post("/orglife/meetings/new/", {
        "org": cast.orgs["branch"].pk, "kind": "general", "title": "第四季度支部党员大会",
        "starts_at": "2026-12-20T09:30", "place": "社区会议室", "topics": "发展党员\n年度总结"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.topic_list == ["发展党员", "年度总结"]
    bad = client.post("/orglife/meetings/new/", {"org": cast.orgs["branch"].pk, "kind": "group", "title": "党小组会",
                                                  "starts_at": "2026-12-20T09:30"})
    assert "党小组会应由党小组召开" in bad.content.decode() and Meeting.objects.count() == 1


def test_detail_shows_the_qr_code_and_the_sign_in_link(cast, client_for):
    meeting = planned(cast)
    client = client_for(cast.user("branch_secretary"))
    page = client.get(f"/orglife/meetings/{meeting.pk}/").content.decode()
    assert f"/orglife/sign-in/{meeting.sign_in_token}/" in page and f"/orglife/meetings/{meeting.pk}/qr.svg" in page
    svg = client.get(f"/orglife/meetings/{meeting.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and b"style=" not in svg.content


def test_signing_in_twice_through_the_page_says_so(cast, client_for):
    meeting = planned(cast)
    client = client_for(cast.user("member"))
    url = f"/orglife/sign-in/{meeting.sign_in_token}/"
    assert "确认签到" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert "您已于" in client.get(url).content.decode()
    again = client.post(url)
    assert again.status_code == 400 and "请勿重复签到" in again.content.decode()
    assert Attendance.objects.count() == 1


def test_an_outsider_cannot_open_or_sign_or_record(cast, client_for):
    meeting = planned(cast)
    client = client_for(cast.user("outsider"))
    for url in (f"/orglife/meetings/{meeting.pk}/", f"/orglife/sign-in/{meeting.sign_in_token}/",
                f"/orglife/meetings/{meeting.pk}/qr.svg", f"/api/orglife/meetings/{meeting.pk}/"):
        assert client.get(url).status_code == 404, url
    client.post(f"/orglife/meetings/{meeting.pk}/hold/", {})
    client.post(f"/orglife/sign-in/{meeting.sign_in_token}/")
    client.post(f"/orglife/meetings/{meeting.pk}/minutes/", {"minutes": "越权填写的会议记录内容"})
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.minutes == "" and not Attendance.objects.exists()
    listing = client.get("/orglife/").content.decode()
    assert "走访困难党员" not in listing


def test_list_calendar_and_history(cast, client_for):
    held_meeting(cast.user("branch_secretary"), cast.orgs["branch"], present=[cast.members["member"].pk],
                 title="主题党日：清理楼道")
    client = client_for(cast.user("street_secretary"))
    listing = client.get("/orglife/").content.decode()
    assert "主题党日：清理楼道" in listing and 'data-figure="theme_day">1<' in listing
    calendar = client.get(f"/orglife/calendar/?org={cast.orgs['community'].pk}").content.decode()
    assert "orglife-calendar" in calendar and "主题党日" in calendar
    history = client.get(f"/orglife/members/{cast.members['member'].pk}/").content.decode()
    assert "出席 1 次" in history
    own = client_for(cast.user("member")).get("/orglife/my/").content.decode()
    assert "主题党日：清理楼道" in own


def test_the_api_plans_and_refuses_a_double_sign_in(cast, client_for):
    client = client_for(cast.user("branch_secretary"))
    response = client.post("/api/orglife/meetings/", {
        "org": cast.orgs["branch"].pk, "kind": "theme_day", "title": "主题党日",
        "starts_at": earlier_today(1).isoformat()}, content_type="application/json")
    assert response.status_code == 201, response.content
    token = Meeting.objects.get().sign_in_token
    member = client_for(cast.user("member"))
    assert member.post("/api/orglife/sign-in/", {"token": token}, content_type="application/json").status_code == 201
    again = member.post("/api/orglife/sign-in/", {"token": token}, content_type="application/json")
    assert again.status_code == 400 and "请勿重复签到" in again.json()["message"]
    outsider = client_for(cast.user("outsider"))
    assert outsider.post("/api/orglife/sign-in/", {"token": token}, content_type="application/json").status_code == 404


def test_dues_pages_declare_pay_and_refuse_outsiders(cast, client_for):
    from decimal import Decimal

    from yuntu.orglife.models import Dues

    services.dues_table_replace(actor=cast.user("district_officer"), effective_from=datetime.date(2020, 1, 1),
                                rows=[(Decimal("0"), Decimal("0.005")), (Decimal("3000"), Decimal("0.01"))])
    client = client_for(cast.user("branch_secretary"))
    month = (clock.today().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    page = client.get("/orglife/dues/").content.decode()
    assert "月收入 3000 元以上：1%" in page
    client.post("/orglife/dues/declare/", {"member": cast.members["member"].pk, "month": month, "income": "-5"})
    assert not Dues.objects.exists()
    client.post("/orglife/dues/declare/", {"member": cast.members["member"].pk, "month": month, "income": "4000"})
    dues = Dues.objects.get()
    assert dues.amount == Decimal("40.00")
    assert "兴旺社区第一党支部" in client.get("/orglife/dues/").content.decode()  # in the arrears list
    outsider = client_for(cast.user("outsider"))
    outsider.post(f"/orglife/dues/{dues.pk}/pay/", {"paid_amount": "40", "paid_on": clock.today().isoformat()})
    dues.refresh_from_db()
    assert dues.paid_on is None
    client = client_for(cast.user("branch_secretary"))
    client.post(f"/orglife/dues/{dues.pk}/pay/", {"paid_amount": "40", "paid_on": clock.today().isoformat()})
    dues.refresh_from_db()
    assert dues.paid_on == clock.today()

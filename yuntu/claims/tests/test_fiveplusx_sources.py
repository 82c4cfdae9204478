"""5+X duties kept by other modules: a theme day, a lecture and a family visit count once their records exist."""

import datetime

from yuntu.accounts.models import RoleGrant
from yuntu.claims import fiveplusx
from yuntu.core import clock
from yuntu.grassroots import services as grassroots_services
from yuntu.lectures import services as lecture_services
from yuntu.lectures.tests.factories import lecturer_for, team_for, topic_for
from yuntu.orglife.tests.factories import earlier_today, held_meeting
from yuntu.orgs.models import Member

DUTIES = ("theme_day", "lecture", "family_visit")


def _member_keeps_the_three_duties(cast) -> None:
    """Within the last hours: a theme day attended, a delivered lecture heard, a family in difficulty visited."""
    member, earlier = cast.members["member"], earlier_today(60)
    held_meeting(cast.user("branch_secretary"), cast.orgs["branch"], present=[member.pk], when=earlier)
    team = team_for(cast.orgs["street"], "新阳街道宣讲团")
    order = lecture_services.order_create(actor=cast.user("resident"), topic=topic_for(team), group_name="兴旺社区老年协会",
                                          starts_at=earlier, place="兴旺社区党群服务中心", expected_audience=40,
                                          now=earlier - datetime.timedelta(days=2))
    lecture_services.order_assign(actor=cast.user("street_secretary"), order=order, lecturer=lecturer_for(team, "李海燕"))
    lecture_services.order_deliver(actor=cast.user("street_secretary"), order=order, attendance=30, summary="讲了",
                                   members=[member.pk], now=clock.now())
    community = cast.orgs["community"]
    RoleGrant.objects.create(user=cast.user("member"), role="community_secretary", org=community, org_path=community.path)
    grassroots_services.contact_log(actor=cast.user("member"), org=community, kind="household_visit", person_name="王阿姨",
                                    contacted_on=clock.today(), matter="走访困难家庭", in_difficulty=True)


def test_theme_day_lecture_and_family_visit_are_connected_and_counted(cast, django_assert_num_queries):
    member = cast.members["member"]
    members = Member.objects.filter(org_path__under=cast.orgs["branch"].path)
    year = clock.today().year
    duties, rows = fiveplusx.member_rows([member], year, members)
    assert all(duty["connected"] for duty in duties)
    assert {cell["code"]: cell["count"] for cell in rows[0]["cells"] if cell["code"] in DUTIES} == dict.fromkeys(DUTIES, 0)
    _member_keeps_the_three_duties(cast)
    for code in DUTIES:
        with django_assert_num_queries(1):
            counts = fiveplusx.source_of(code)(year, members)
        assert counts == {member.pk: 1}, code
    assert fiveplusx.source_of("theme_day")(year - 1, members) == {}
    assert fiveplusx.source_of("family_visit")(year, members.exclude(pk=member.pk)) == {}
    duties, rows = fiveplusx.member_rows([member], year, members)
    cells = {cell["code"]: cell["count"] for cell in rows[0]["cells"]}
    assert cells == {"theme_day": 1, "claimed_need": 0, "lecture": 1, "volunteer_service": 0, "family_visit": 1}
    assert rows[0]["missing"] == 2


def test_the_branch_page_and_the_members_phone_page_show_the_counts(cast, client_for):
    Member.objects.filter(pk=cast.members["member"].pk).update(in_service=True)  # 5+X is the in-service members' list
    _member_keeps_the_three_duties(cast)
    page = client_for(cast.user("branch_secretary")).get("/claims/fiveplusx/").content.decode()
    assert "林晓红" in page and "待接入" not in page
    for code in DUTIES:
        assert f'data-duty="{code}" class="num">✓ 1</td>' in page
    mine = client_for(cast.user("member")).get("/portal/needs/mine/").content.decode()
    assert "待接入" not in mine
    for code in DUTIES:
        cell = mine[mine.index(f'data-duty="{code}"'):]
        assert "✓ 1" in cell[:cell.index("</li>")]

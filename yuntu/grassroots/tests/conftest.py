"""A small 四下基层 scene on top of the cast: an enterprise paired with the street secretary, a category, a topic."""

import datetime

import pytest

from yuntu.core import chinese, clock
from yuntu.grassroots import services
from yuntu.voices.models import Category


def credit_code(serial: int, division: str = "350205") -> str:
    first = f"91{division}MA{serial:07d}"
    return first + chinese.credit_code_check_character(first)


@pytest.fixture
def scene(cast):
    secretary = cast.user("street_secretary")
    street, community = cast.orgs["street"], cast.orgs["community"]
    category = Category.objects.create(code="enterprise", name="惠企服务", responsible_org=cast.orgs["agency"],
                                       answer_days=1, resolve_days=5)
    today = clock.today()
    enterprise = services.enterprise_register(actor=secretary, org=community, name="厦门兴旺精密制造有限公司",
                                              credit_code=credit_code(1))
    other_enterprise = services.enterprise_register(actor=secretary, org=community, name="厦门新阳物流有限公司",
                                                    credit_code=credit_code(2))
    pairing = services.pairing_create(actor=cast.user("district_officer"), org=street, cadre=secretary,
                                      enterprise=enterprise, starts_on=today - datetime.timedelta(days=30))
    topic = services.topic_create(actor=secretary, org=street, title="新阳街道老旧小区改造调研", field="urban",
                                  starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=50),
                                  lead=secretary)
    return {"secretary": secretary, "street": street, "community": community, "category": category,
            "enterprise": enterprise, "other_enterprise": other_enterprise, "pairing": pairing, "topic": topic,
            "today": today}

"""A small scheme over the cast: two branches of 兴旺社区 compete under the community."""

import datetime
from decimal import Decimal

from yuntu.assessment.models import AssessmentPeriod, SchemeItem, ScoringScheme, StarThreshold
from yuntu.core import clock
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level


def scheme_and_period(cast):
    officer = cast.user("district_officer")
    community = cast.orgs["community"]
    second = org_services.org_create(actor=officer, parent=community, name="兴旺社区第二党支部", level=Level.BRANCH)
    scheme = ScoringScheme.objects.create(org=community, org_path=community.path, name="支部建设百分考评",
                                          target_level=Level.BRANCH)
    automatic = SchemeItem.objects.create(scheme=scheme, name="主题党日开展", max_score=Decimal("40"),
                                          method="automatic", indicator="orglife.theme_days", full_at=Decimal("3"),
                                          position=1)
    manual = SchemeItem.objects.create(scheme=scheme, name="阵地建设与党员教育", max_score=Decimal("60"),
                                       method="assessor", position=2)
    StarThreshold.objects.create(scheme=scheme, stars=5, min_score=Decimal("90"))
    StarThreshold.objects.create(scheme=scheme, stars=3, min_score=Decimal("60"))
    today = clock.today()
    period = AssessmentPeriod.objects.create(org=community, org_path=community.path, scheme=scheme,
                                             name=f"{today.year}年度", start=today - datetime.timedelta(days=90),
                                             end=today)
    return {"scheme": scheme, "period": period, "automatic": automatic, "manual": manual, "second": second}

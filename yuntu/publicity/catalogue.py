"""The publication catalogue (公开目录) and what each level must publish, how often — declared once.

目录化公开: every item is filed under one catalogue entry. 清单化管理: `REQUIREMENTS` says, per level
(and, for village affairs, per sector), which entries must be published and how often. A period
is due `GRACE_DAYS` after it ends; an org that has published nothing for an entry overlapping the
last due period is overdue (`selectors.overdue_publications`).
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_noop

from yuntu.orgs.models import Level, Sector


class Catalogue(models.TextChoices):
    ORG_BUILDING = "org_building", gettext_noop("组织建设")
    MEMBER_DEVELOPMENT = "member_development", gettext_noop("党员发展")
    DUES = "dues", gettext_noop("党费收缴使用")
    ORG_LIFE = "org_life", gettext_noop("组织生活")
    MAJOR_DECISIONS = "major_decisions", gettext_noop("重大事项决策")
    VILLAGE_FINANCE = "village_finance", gettext_noop("村级财务")
    VILLAGE_AFFAIRS = "village_affairs", gettext_noop("村务管理")


PARTY_AFFAIRS = {Catalogue.ORG_BUILDING, Catalogue.MEMBER_DEVELOPMENT, Catalogue.DUES, Catalogue.ORG_LIFE}


def affairs_of(catalogue: str) -> str:
    return "党务公开" if catalogue in PARTY_AFFAIRS else "村务公开"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", gettext_noop("每月")
    QUARTERLY = "quarterly", gettext_noop("每季度")
    HALF_YEARLY = "half_yearly", gettext_noop("每半年")
    YEARLY = "yearly", gettext_noop("每年")


MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6, Frequency.YEARLY: 12}
GRACE_DAYS = 10


@dataclass(frozen=True)
class Requirement:
    level: str
    catalogue: str
    frequency: str
    sectors: tuple[str, ...] = ()  # empty: every sector

    @property
    def label(self) -> str:
        return f"{Level(self.level).label}{Frequency(self.frequency).label}公开“{Catalogue(self.catalogue).label}”"


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(Level.STREET, Catalogue.ORG_BUILDING, Frequency.HALF_YEARLY),
    Requirement(Level.STREET, Catalogue.DUES, Frequency.YEARLY),
    Requirement(Level.COMMUNITY, Catalogue.ORG_BUILDING, Frequency.QUARTERLY),
    Requirement(Level.COMMUNITY, Catalogue.MEMBER_DEVELOPMENT, Frequency.QUARTERLY),
    Requirement(Level.COMMUNITY, Catalogue.DUES, Frequency.HALF_YEARLY),
    Requirement(Level.COMMUNITY, Catalogue.MAJOR_DECISIONS, Frequency.QUARTERLY),
    Requirement(Level.COMMUNITY, Catalogue.VILLAGE_FINANCE, Frequency.MONTHLY, (Sector.VILLAGE,)),
    Requirement(Level.COMMUNITY, Catalogue.VILLAGE_AFFAIRS, Frequency.QUARTERLY, (Sector.VILLAGE,)),
    Requirement(Level.BRANCH, Catalogue.MEMBER_DEVELOPMENT, Frequency.QUARTERLY),
    Requirement(Level.BRANCH, Catalogue.DUES, Frequency.HALF_YEARLY),
    Requirement(Level.BRANCH, Catalogue.ORG_LIFE, Frequency.QUARTERLY),
)


def period_containing(day: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    months = MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (datetime.date(day.year + 1, 1, 1) if end_month > 12 else datetime.date(day.year, end_month, 1))
    return start, end - datetime.timedelta(days=1)


def last_due_period(today: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    """The latest period whose publication deadline (its end + GRACE_DAYS) has passed by `today`."""
    start, end = period_containing(today, frequency)
    while end + datetime.timedelta(days=GRACE_DAYS) >= today:
        start, end = period_containing(start - datetime.timedelta(days=1), frequency)
    return start, end


def period_label(start: datetime.date, end: datetime.date) -> str:
    if start.day == 1 and start.year == end.year:
        months = end.month - start.month + 1
        if months == 12:
            return f"{start.year}年"
        if months == 6:
            return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
        if months == 3:
            return f"{start.year}年第{'一二三四'[(start.month - 1) // 3]}季度"
        if months == 1:
            return f"{start.year}年{start.month}月"
    return f"{start.isoformat()}至{end.isoformat()}"

"""Figures of publicity and study, declared once in the shared registry."""

from yuntu.indicators import registry
from yuntu.indicators.registry import Indicator, Unit


def _published_items():
    from .models import Publication

    return Publication.objects.filter(status="published")


def _published_news():
    from .models import Article

    return Article.objects.filter(status="published", column__kind="news")


def _readings():
    from .models import ReadingRecord

    return ReadingRecord.objects.filter(member__isnull=False)


def _entries():
    from .models import Entry

    return Entry.objects.all()


registry.register(
    Indicator(code="publicity.publications", name="党务村务公开事项", unit=Unit.MATTER,
              definition="各级党组织按目录公开的党务、村务事项数（按公开时间计）",
              records=_published_items, date_field="published_at", phrases=("公开党务", "党务公开", "村务公开")),
    Indicator(code="publicity.news", name="推送宣传报道", unit=Unit.ITEM,
              definition="新闻栏目发布的报道篇数（按发布时间计）", records=_published_news, date_field="published_at",
              phrases=("推送宣传报道", "推送报道", "宣传报道")),
    Indicator(code="publicity.readings", name="党员学习篇次", unit=Unit.PERSON_TIME,
              definition="党员阅读学习材料的篇次，每人每篇计一次，归入党员所在组织", records=_readings,
              date_field="read_on", phrases=("学习篇次", "在线学习")),
    Indicator(code="publicity.entries", name="征集作品", unit=Unit.ITEM,
              definition="征文、案例、视频等征集评选收到的作品数", records=_entries, date_field="submitted_at",
              phrases=("征文", "征集作品", "案例")),
)

import datetime

from django.utils import timezone

from yuntu.lectures.models import Lecturer, LectureTeam, Topic


def team_for(org, name="海沧区委百姓宣讲团") -> LectureTeam:
    return LectureTeam.objects.create(org=org, org_path=org.path, name=name, description="理论政策“菜单式”宣讲")


def lecturer_for(team, name="陈雅琴", member=None) -> Lecturer:
    return Lecturer.objects.create(team=team, org=team.org, org_path=team.org_path, name=name, title="区委党校讲师",
                                   member=member)


def topic_for(team, title="党的二十届四中全会精神解读", minutes=60) -> Topic:
    return Topic.objects.create(team=team, org=team.org, org_path=team.org_path, title=title,
                                summary="结合身边事讲清全会精神", minutes=minutes, audience="社区党员、居民群众")


def days_ahead(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

"""The publicity demo on the tiny demo district: figures as the seed reports them, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from yuntu.accounts.models import User
from yuntu.demo import generator
from yuntu.inbox.models import Message
from yuntu.publicity import demo, selectors
from yuntu.publicity.models import Article, Contest, Entry, Publication, Question


@pytest.fixture
def tiny(cast):
    return generator.generate("tiny", seed=2026, password="Tiny-demo-2026").root


def test_demo_publicity_builds_the_seed_figures_once(tiny, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = demo.generate_publicity(tiny, prefix="tiny-")
    assert result.created and result.publications > 0
    assert Article.objects.filter(org=tiny, column__kind="news").count() == demo.REPORTS
    essay = Contest.objects.get(org=tiny, title=demo.ESSAY_TITLE)
    assert essay.status == "published" and Entry.objects.filter(contest=essay).count() == demo.ESSAYS
    assert Entry.objects.filter(contest=essay, award="一等奖").count() >= 1
    assert result.overdue_orgs > 0  # some orgs did not publish: the overdue list has names
    officer = User.objects.get(username="tiny-district_officer")
    assert sum(row["count"] for row in selectors.overdue_publications(officer)) == result.overdue_orgs
    assert Question.objects.filter(org_path__startswith=tiny.path).count() == 2
    assert Message.objects.filter(user__username="tiny-resident", kind="党务公开").count() == 1  # the answer
    counts = Publication.objects.count(), Article.objects.count(), Entry.objects.count()
    assert not demo.generate_publicity(tiny, prefix="tiny-").created
    assert (Publication.objects.count(), Article.objects.count(), Entry.objects.count()) == counts


def test_demo_command_refuses_without_a_demo_district(db):
    out = StringIO()
    with pytest.raises(Exception, match="演示区"):
        call_command("demo_publicity", stdout=out)

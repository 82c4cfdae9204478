"""One-object lookups: 404 for missing and not-yours alike."""

from django.http import Http404

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission

from . import selectors
from .models import Article, Contest, Publication, Question


def _one(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该记录。")
    return found


def get_publication_for_user(user, pk) -> Publication:
    return _one(visible(user, Publication, Permission.PUBLICITY_VIEW).select_related("org"), pk)


def get_public_publication(pk) -> Publication:
    return _one(selectors.public_publications(), pk)


def get_question_for_user(user, pk) -> Question:
    return _one(visible(user, Question, Permission.PUBLICITY_VIEW).select_related("publication", "org"), pk)


def get_article_for_reader(user, pk) -> Article:
    return _one(selectors.articles_for_reader(user), pk)


def get_article_for_user(user, pk) -> Article:
    return _one(visible(user, Article, Permission.PUBLICITY_VIEW), pk)


def get_public_contest(pk) -> Contest:
    return _one(selectors.public_contests(), pk)


def get_contest_for_user(user, pk) -> Contest:
    return _one(visible(user, Contest, Permission.PUBLICITY_VIEW), pk)


def get_study_list_for_reader(user, pk):
    return _one(selectors.study_lists_for_reader(user), pk)


"""The resident's pages of publicity: affairs of my community, questions, news, study, contests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.orgs.models import Org

from .. import access, selectors, services
from ..catalogue import Catalogue, affairs_of, period_label
from ..forms import EntryForm, QuestionForm, call_service
from ..models import ColumnKind, ContestStatus

PAGE_SIZE = 20


def _community_choice(request):
    """The community whose affairs to show: ?community=, else the resident's own, else all."""
    value = request.GET.get("community", "")
    if value.isdigit():
        return Org.objects.filter(pk=value, level__in=("community", "street")).first()
    return selectors.community_of(request.user)


@require_GET
def affairs(request):
    community = _community_choice(request)
    catalogue = request.GET.get("catalogue", "")
    catalogue = catalogue if catalogue in Catalogue.values else ""
    items = selectors.public_publications(under=community.path if community else "", catalogue=catalogue)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.catalogue_counts(community.path if community else "")
    return render(request, "publicity/portal/affairs.html", {
        "page": page, "catalogue": catalogue, "community": community,
        "own_community": community is not None and community == selectors.community_of(request.user),
        "catalogues": [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Catalogue.choices],
    })


def _affair_context(request, item, **extra):
    context = {"item": item, "affairs": affairs_of(item.catalogue),
               "period": period_label(item.period_start, item.period_end),
               "questions": selectors.questions_of(request.user, item), "form": QuestionForm()}
    context.update(extra)
    return context


@require_GET
def affair(request, pk):
    item = access.get_public_publication(pk)
    return render(request, "publicity/portal/affair.html", _affair_context(request, item))


@login_required
@require_POST
def ask(request, pk):
    item = access.get_public_publication(pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        _result, status = call_service(form, lambda: services.question_ask(actor=request.user, publication=item,
                                                                     text=form.cleaned_data["text"]))
        if status == 200:
            messages.success(request, _("已提交您的问题，答复后会发到“我的消息”。"))
            return redirect("portal_publicity:affair", pk=item.pk)
    return render(request, "publicity/portal/affair.html", _affair_context(request, item, form=form), status=400)


def _column_page(request, kind: str, template: str, extra: dict | None = None):
    columns = list(selectors.columns_for_reader(request.user, kind=kind))
    chosen = next((column for column in columns if str(column.pk) == request.GET.get("column", "")), None)
    articles = selectors.articles_for_reader(request.user, kind=kind, column=chosen)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, template, {"columns": columns, "column": chosen, "page": page, "kind": kind, **(extra or {})})


@require_GET
def news(request):
    return _column_page(request, ColumnKind.NEWS, "publicity/portal/news.html")


@require_GET
def study(request):
    lists = list(selectors.study_lists_for_reader(request.user)[:30])
    return _column_page(request, ColumnKind.STUDY, "publicity/portal/study.html", {"study_lists": lists})


@require_GET
def article(request, pk):
    item = access.get_article_for_reader(request.user, pk)
    services.record_reading(user=request.user, article=item)
    return render(request, "publicity/portal/article.html", {"item": item})


@login_required
@require_GET
def study_list(request, pk):
    item = access.get_study_list_for_reader(request.user, pk)
    return render(request, "publicity/portal/study_list.html",
                  {"item": item, "progress": selectors.study_progress(request.user, item)})


@require_GET
def contests(request):
    return render(request, "publicity/portal/contests.html", {"contests": selectors.public_contests()[:50]})


def _contest_context(request, contest, **extra):
    context = {"contest": contest, "results": selectors.published_results(contest), "form": EntryForm(),
               "may_enter": contest.status == ContestStatus.OPEN and request.user.is_authenticated}
    context.update(extra)
    return context


@require_GET
def contest(request, pk):
    item = access.get_public_contest(pk)
    return render(request, "publicity/portal/contest.html", _contest_context(request, item))


@login_required
@require_POST
def enter(request, pk):
    item = access.get_public_contest(pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _result, status = call_service(form, lambda: services.entry_submit(actor=request.user, contest=item, title=data["title"],
                                                                     body=data["body"], video_url=data["video_url"]))
        if status == 200:
            messages.success(request, _("作品已提交，感谢参与！"))
            return redirect("portal_publicity:contest", pk=item.pk)
    return render(request, "publicity/portal/contest.html", _contest_context(request, item, form=form), status=400)

"""Staff pages of publicity: publish items by catalogue, answer residents' questions, see who is overdue,
edit column articles, run contests and judge entries. Everything is scoped by the policy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can, has_permission_anywhere
from yuntu.accounts.roles import Permission

from .. import access, selectors, services
from ..catalogue import Catalogue, affairs_of, period_label
from ..forms import (
    AnswerForm,
    ArticleForm,
    ColumnForm,
    ContestForm,
    PublicationForm,
    ScoreForm,
    TransitionForm,
    call_service,
)
from ..models import PublicationStatus, PublicityEvent, QuestionStatus
from ..workflow import CONTEST_TRANSITIONS, PUBLICATION_TRANSITIONS

PAGE_SIZE = 30


def _staff(request, permission=Permission.PUBLICITY_VIEW):
    if not has_permission_anywhere(request.user, permission):
        raise PermissionDenied(_("无权访问党务村务公开。"))


@login_required
@require_GET
def publication_list(request):
    _staff(request)
    catalogue = request.GET.get("catalogue", "")
    status = request.GET.get("status", "")
    items = selectors.publications_for_staff(request.user, catalogue=catalogue if catalogue in Catalogue.values else "",
                                             status=status if status in PublicationStatus.values else "")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/publication_list.html", {
        "page": page, "catalogues": Catalogue.choices, "statuses": PublicationStatus.choices,
        "catalogue": catalogue, "status": status,
        "may_edit": has_permission_anywhere(request.user, Permission.PUBLICITY_EDIT),
        "open_questions": selectors.questions_for_staff(request.user, status=QuestionStatus.ASKED).count(),
    })


@login_required
def publication_create(request):
    _staff(request, Permission.PUBLICITY_EDIT)
    form = PublicationForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            item, status = call_service(form, lambda: services.publication_save(
                actor=request.user, org=data["org"], catalogue=data["catalogue"], title=data["title"], body=data["body"],
                period_start=data["period_start"], period_end=data["period_end"], publish=data["publish"]))
            if item is not None:
                messages.success(request, _("已公开。") if data["publish"] else _("已保存为草稿。"))
                return redirect("publicity:publication_detail", pk=item.pk)
    return render(request, "publicity/publication_form.html", {"form": form}, status=status)


def _detail_context(request, item, **extra):
    context = {
        "item": item, "affairs": affairs_of(item.catalogue), "period": period_label(item.period_start, item.period_end),
        "transitions": [t for t in PUBLICATION_TRANSITIONS.values() if item.status in t.sources]
        if can(request.user, Permission.PUBLICITY_EDIT, item) else [],
        "questions": item.questions.select_related("asker").order_by("-created_at")[:100],
        "events": PublicityEvent.objects.filter(object_type="publication", object_id=item.pk).order_by("-created_at")[:50],
        "answer_form": AnswerForm(), "transition_form": TransitionForm(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def publication_detail(request, pk):
    item = access.get_publication_for_user(request.user, pk)
    return render(request, "publicity/publication_detail.html", _detail_context(request, item))


@login_required
@require_POST
def publication_transition(request, pk):
    item = access.get_publication_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    status = 400
    if form.is_valid():
        _result, status = call_service(form, lambda: services.publication_transition(
            actor=request.user, publication=item, name=form.cleaned_data["name"], reason=form.cleaned_data["reason"]))
        if status == 200:
            messages.success(request, _("操作成功。"))
            return redirect("publicity:publication_detail", pk=item.pk)
    return render(request, "publicity/publication_detail.html", _detail_context(request, item, transition_form=form),
                  status=status)


@login_required
@require_GET
def question_list(request):
    _staff(request)
    status = request.GET.get("status", QuestionStatus.ASKED)
    items = selectors.questions_for_staff(request.user, status=status if status in QuestionStatus.values else "")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/question_list.html",
                  {"page": page, "status": status, "statuses": QuestionStatus.choices, "form": AnswerForm()})


@login_required
@require_POST
def question_answer(request, pk):
    question = access.get_question_for_user(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(actor=request.user, question=question, answer=form.cleaned_data["answer"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("已答复，答复已发到提问人的消息。"))
    else:
        messages.error(request, " ".join(form.errors.get("answer", [_("请填写答复内容。")])))
    return redirect("publicity:questions")


@login_required
@require_GET
def overdue(request):
    _staff(request)
    return render(request, "publicity/overdue.html", {"rows": selectors.overdue_publications(request.user)})


@login_required
@require_GET
def article_list(request):
    _staff(request)
    page = Paginator(selectors.articles_for_staff(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/article_list.html",
                  {"page": page, "may_edit": has_permission_anywhere(request.user, Permission.PUBLICITY_EDIT)})


@login_required
def article_create(request):
    _staff(request, Permission.PUBLICITY_EDIT)
    form = ArticleForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            _result, status = call_service(form, lambda: services.article_save(
                actor=request.user, column=data["column"], title=data["title"], summary=data["summary"],
                body=data["body"], image=data["image"], image_alt=data["image_alt"], video_url=data["video_url"],
                publish=data["publish"]))
            if status == 200:
                messages.success(request, _("文章已保存。"))
                return redirect("publicity:articles")
    return render(request, "publicity/article_form.html", {"form": form}, status=status)


@login_required
@require_GET
def contest_list(request):
    _staff(request)
    return render(request, "publicity/contest_list.html", {
        "contests": selectors.contests_for_staff(request.user),
        "may_edit": has_permission_anywhere(request.user, Permission.PUBLICITY_EDIT)})


def _contest_context(request, contest, **extra):
    context = {"contest": contest, "entries": selectors.entries_to_judge(request.user, contest),
               "all_entries": contest.entries.order_by("rank", "id")[:200],
               "transitions": [t for t in CONTEST_TRANSITIONS.values() if contest.status in t.sources]
               if can(request.user, Permission.PUBLICITY_EDIT, contest) else [],
               "score_form": ScoreForm()}
    context.update(extra)
    return context


@login_required
@require_GET
def contest_detail(request, pk):
    contest = access.get_contest_for_user(request.user, pk)
    return render(request, "publicity/contest_detail.html", _contest_context(request, contest))


@login_required
@require_POST
def contest_transition(request, pk):
    contest = access.get_contest_for_user(request.user, pk)
    try:
        services.contest_transition(actor=request.user, contest=contest, name=request.POST.get("name", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("操作成功。"))
    return redirect("publicity:contest_detail", pk=contest.pk)


@login_required
@require_POST
def contest_score(request, pk):
    contest = access.get_contest_for_user(request.user, pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("publicity:contest_detail", pk=contest.pk)
    entry = contest.entries.filter(pk=form.cleaned_data["entry"]).first()
    if entry is None:
        messages.error(request, _("没有找到该作品。"))
        return redirect("publicity:contest_detail", pk=contest.pk)
    try:
        services.entry_score(judge=request.user, entry=entry, points=form.cleaned_data["points"],
                             comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("评分已保存。"))
    return redirect("publicity:contest_detail", pk=contest.pk)


def _create(request, form_class, template: str, call, done: str, message: str):
    """A staff 'new …' page: the form, the service call, a Chinese message, back to the list."""
    _staff(request, Permission.PUBLICITY_EDIT)
    form = form_class(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _result, status = call_service(form, lambda: call(form.cleaned_data))
            if status == 200:
                messages.success(request, message)
                return redirect(done)
    return render(request, template, {"form": form}, status=status)


@login_required
def column_create(request):
    return _create(request, ColumnForm, "publicity/column_form.html", lambda data: services.column_create(
        actor=request.user, org=data["org"], name=data["name"], kind=data["kind"], audience=data["audience"],
        sector=data["sector"]), "publicity:articles", _("栏目已建立。"))


@login_required
def contest_create(request):
    return _create(request, ContestForm, "publicity/contest_form.html", lambda data: services.contest_create(
        actor=request.user, org=data["org"], title=data["title"], kind=data["kind"], opens_on=data["opens_on"],
        closes_on=data["closes_on"], description=data["description"], judges=data["judges"]),
        "publicity:contests", _("征集已发起。"))

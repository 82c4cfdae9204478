"""Project pages: tasks, the project HQ with its temporary branch, posts and their scores."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.forms import add_service_errors
from yuntu.orgs.models import Member

from .. import selectors, services
from ..access import get_post_for_user, get_project_for_user
from ..forms import HQForm, HQMemberForm, MarkForm, PostForm, TaskForm
from .common import campaign_page, error_text, refusal_status


def _month_of(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else clock.today().replace(day=1)
    except ValueError:
        return clock.today().replace(day=1)


def _members_for(user, project):
    return visible(user, Member, Permission.MEMBER_VIEW).filter(is_active=True).select_related("org").order_by(
        "org_path", "id")


def project_context(request, project, **extra) -> dict:
    user = request.user
    month = _month_of(request.GET.get("month"))
    can_edit = can(user, Permission.CAMPAIGN_EDIT, path=project.org_path)
    posts = selectors.project_posts(user, project)
    context = {
        "project": project, "campaign": project.campaign, "month": month,
        "tasks": selectors.project_tasks(user, project),
        "posts": posts, "scores": selectors.post_scores(user, project, month=month),
        "marks": selectors.post_marks(user, project, month=month),
        "hq_members": selectors.project_hq_members(user, project),
        "can_edit": can_edit,
        "can_mark": can(user, Permission.CAMPAIGN_SUPERVISE, path=project.org_path),
        "dissolution_due": bool(project.hq_branch and project.hq_branch.is_active
                                and project.planned_end < clock.today()),
        "task_form": TaskForm(orgs=selectors.edit_orgs_for(user, project.campaign), posts=posts) if can_edit else None,
        "hq_form": HQForm(initial={"hq_name": f"{project.name}项目指挥部",
                                   "branch_name": f"{project.name}项目临时党支部"}) if can_edit else None,
        "member_form": HQMemberForm(members=_members_for(user, project)[:2000]) if can_edit else None,
        "post_form": PostForm() if can_edit else None,
        "mark_form": MarkForm(initial={"month": month}),
    }
    context.update(extra)
    return context


@campaign_page
def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    return render(request, "campaigns/project_detail.html", project_context(request, project))


def _render_with(request, project, error, **forms):
    return render(request, "campaigns/project_detail.html",
                  project_context(request, project, action_error=error_text(error) if error else "", **forms),
                  status=refusal_status(error) if error else 400)


@campaign_page
@require_POST
def task_create(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    form = TaskForm(request.POST, orgs=selectors.edit_orgs_for(user, project.campaign),
                    posts=selectors.project_posts(user, project))
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(actor=user, project=project, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _render_with(request, project, error, task_form=form)
        else:
            messages.success(request, _("任务已添加。"))
            return redirect("campaigns:task", pk=task.pk)
    return _render_with(request, project, None, task_form=form)


@campaign_page
@require_POST
def hq_create(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    form = HQForm(request.POST)
    if form.is_valid():
        try:
            services.project_hq_create(actor=user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _render_with(request, project, error, hq_form=form)
        else:
            messages.success(request, _("项目指挥部和临时党支部已建立，撤销日期为项目计划完成日期。"))
            return redirect("campaigns:project", pk=project.pk)
    return _render_with(request, project, None, hq_form=form)


@campaign_page
@require_POST
def hq_member_add(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    form = HQMemberForm(request.POST, members=_members_for(user, project))
    if form.is_valid():
        try:
            services.hq_member_add(actor=user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _render_with(request, project, error, member_form=form)
        else:
            messages.success(request, _("已选派党员到临时党支部。"))
            return redirect("campaigns:project", pk=project.pk)
    return _render_with(request, project, None, member_form=form)


@campaign_page
@require_POST
def hq_dissolve(request, pk):
    project = get_project_for_user(request.user, pk)
    try:
        services.project_hq_dissolve(actor=request.user, project=project)
    except (ValidationError, PermissionDenied) as error:
        return _render_with(request, project, error)
    messages.success(request, _("临时党支部已撤销。"))
    return redirect("campaigns:project", pk=project.pk)


@campaign_page
@require_POST
def post_create(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            services.post_create(actor=user, project=project, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _render_with(request, project, error, post_form=form)
        else:
            messages.success(request, _("岗位已设立。"))
            return redirect("campaigns:project", pk=project.pk)
    return _render_with(request, project, None, post_form=form)


@campaign_page
@require_POST
def mark_add(request, pk):
    user = request.user
    post = get_post_for_user(user, pk)
    project = get_project_for_user(user, post.project_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            services.score_mark_add(actor=user, post=post, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            return _render_with(request, project, error, mark_form=form)
        else:
            messages.success(request, _("已记录加减分。"))
            return redirect(f"{project_url(project)}?month={form.cleaned_data['month']:%Y-%m}")
    return _render_with(request, project, None, mark_form=form)


def project_url(project) -> str:
    from django.urls import reverse

    return reverse("campaigns:project", kwargs={"pk": project.pk})

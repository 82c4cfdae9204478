"""Project pages: tasks, the project HQ with its temporary branch, posts and their scores."""

import datetime
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can, visible
from yuntu.accounts.roles import Permission
from yuntu.core import clock
from yuntu.orgs.models import Member

from .. import selectors, services
from ..access import get_post_for_user, get_project_for_user
from ..forms import HQForm, HQMemberForm, MarkForm, PostForm, TaskForm
from .common import campaign_page, error_text, refusal_status, submit


def _month_of(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(f"{value}-01") if value else clock.today().replace(day=1)
    except ValueError:
        return clock.today().replace(day=1)


def _members_for(user, project):
    """Members who may be seconded: active, visible to the user, anywhere under the campaign's lead org."""
    return (visible(user, Member, Permission.MEMBER_VIEW).filter(is_active=True, org_path__under=project.campaign.org_path)
            .select_related("org").order_by("org_path", "id"))


def project_context(request, project, **extra) -> dict:
    user = request.user
    month = _month_of(request.GET.get("month"))
    can_edit = can(user, Permission.CAMPAIGN_EDIT, path=project.org_path)
    posts = selectors.project_posts(user, project)
    context = {
        "project": project, "campaign": project.campaign, "month": month,
        "previous_month": (month - datetime.timedelta(days=1)).replace(day=1),
        "next_month": (month + datetime.timedelta(days=32)).replace(day=1),
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
    }
    context.update(extra)
    bound = context.pop("mark_form", None)
    context["mark_forms"] = [(post, bound if bound is not None and context.get("mark_post") == post.pk
                              else mark_form_for(post, initial={"month": month})) for post in posts]
    return context


@campaign_page
def project_detail(request, pk):
    project = get_project_for_user(request.user, pk)
    return render(request, "campaigns/project_detail.html", project_context(request, project))


def _render_with(request, project, error, **forms):
    return render(request, "campaigns/project_detail.html",
                  project_context(request, project, action_error=error_text(error) if error else "", **forms),
                  status=refusal_status(error) if error else 400)


def _form_post(request, project, form, form_key: str, call, done_message: str, next_url: str = "", **extra):
    """One POST of the project page: the service through `submit`, then back to the page or the form with errors."""
    result, refusal = submit(form, call)
    if result is not None:
        messages.success(request, done_message)
        return redirect(next_url or project_url(project))
    return _render_with(request, project, refusal, **{form_key: form}, **extra)


@campaign_page
@require_POST
def task_create(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    form = TaskForm(request.POST, orgs=selectors.edit_orgs_for(user, project.campaign),
                    posts=selectors.project_posts(user, project))
    result, refusal = submit(form, lambda data: services.task_create(actor=user, project=project, **data))
    if result is not None:
        messages.success(request, _("任务已添加。"))
        return redirect("campaigns:task", pk=result.pk)
    return _render_with(request, project, refusal, task_form=form)


@campaign_page
@require_POST
def hq_create(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    return _form_post(request, project, HQForm(request.POST), "hq_form",
                      lambda data: services.project_hq_create(actor=user, project=project, **data),
                      _("项目指挥部和临时党支部已建立，撤销日期为项目计划完成日期。"))


@campaign_page
@require_POST
def hq_member_add(request, pk):
    user = request.user
    project = get_project_for_user(user, pk)
    return _form_post(request, project, HQMemberForm(request.POST, members=_members_for(user, project)), "member_form",
                      lambda data: services.hq_member_add(actor=user, project=project, **data),
                      _("已选派党员到临时党支部。"))


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
    return _form_post(request, project, PostForm(request.POST), "post_form",
                      lambda data: services.post_create(actor=user, project=project, **data), _("岗位已设立。"))


@campaign_page
@require_POST
def mark_add(request, pk):
    user = request.user
    post = get_post_for_user(user, pk)
    project = get_project_for_user(user, post.project_id)
    form = mark_form_for(post, data=request.POST)
    month = form.data.get("month", "")
    return _form_post(request, project, form, "mark_form",
                      lambda data: services.score_mark_add(actor=user, post=post, **data), _("已记录加减分。"),
                      f"{project_url(project)}?month={month[:7]}" if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", month) else "",
                      mark_post=post.pk)


def mark_form_for(post, **kwargs) -> MarkForm:
    """One mark form per post on the page, each with its own field ids."""
    return MarkForm(auto_id=f"id_mark{post.pk}_%s", **kwargs)


def project_url(project) -> str:
    from django.urls import reverse

    return reverse("campaigns:project", kwargs={"pk": project.pk})

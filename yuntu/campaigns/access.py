"""Lookups by id: 404 alike for "does not exist" and "not yours"."""

from django.shortcuts import get_object_or_404

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission

from . import selectors
from .models import Campaign, Milestone, Post, Project, Task


def get_campaign_for_user(user, pk) -> Campaign:
    return get_object_or_404(selectors.campaigns_visible_to(user), pk=pk)


def get_project_for_user(user, pk) -> Project:
    return get_object_or_404(selectors.projects_visible_to(user).select_related("hq_branch"), pk=pk)


def get_task_for_user(user, pk) -> Task:
    return get_object_or_404(selectors.tasks_visible_to(user).select_related("org", "project", "campaign", "post"), pk=pk)


def get_post_for_user(user, pk) -> Post:
    return get_object_or_404(visible(user, Post, Permission.CAMPAIGN_VIEW).select_related("project"), pk=pk)


def get_milestone_for_user(user, pk) -> Milestone:
    return get_object_or_404(Milestone.objects.filter(task__in=selectors.tasks_visible_to(user)).select_related("task"),
                             pk=pk)

"""Lookups by id that take the acting user: 404 alike for 'does not exist' and 'not yours'."""

from django.shortcuts import get_object_or_404

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission

from .models import ImportJob, Member, Org


def get_org_for_user(user, pk, *, permission: str = Permission.ORG_VIEW) -> Org:
    return get_object_or_404(visible(user, Org, permission), pk=pk)


def get_member_for_user(user, pk, *, permission: str = Permission.MEMBER_VIEW) -> Member:
    return get_object_or_404(visible(user, Member, permission).select_related("org"), pk=pk)


def get_import_job_for_user(user, pk) -> ImportJob:
    return get_object_or_404(visible(user, ImportJob, Permission.IMPORT_RUN).filter(created_by=user), pk=pk)

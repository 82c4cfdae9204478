"""The gate of the assessment pages; the subtree picker is organisational life's, under assessment.view."""

from functools import partial, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission
from yuntu.orglife.views import common

error_text = common.error_text
chosen_org = partial(common.chosen_org, permission=Permission.ASSESSMENT_VIEW)
org_navigation = partial(common.org_navigation, permission=Permission.ASSESSMENT_VIEW)


def assessment_page(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_permission_anywhere(request.user, Permission.ASSESSMENT_VIEW):
            raise PermissionDenied(_("无权查看考核与合规预警。"))
        request.assessment_can_manage = has_permission_anywhere(request.user, Permission.ASSESSMENT_MANAGE)
        return view(request, *args, **kwargs)

    return wrapped

"""The gate of the assessment pages; the subtree picker is organisational life's, under assessment.view."""

from functools import partial

from django.utils.translation import gettext_lazy

from yuntu.accounts.roles import Permission
from yuntu.core.pages import module_page
from yuntu.orglife.views import common

error_text = common.error_text
chosen_org = partial(common.chosen_org, permission=Permission.ASSESSMENT_VIEW)
org_navigation = partial(common.org_navigation, permission=Permission.ASSESSMENT_VIEW)


assessment_page = module_page(needs=Permission.ASSESSMENT_VIEW, refused=gettext_lazy("无权查看考核与合规预警。"),
                              flags={"assessment_can_manage": Permission.ASSESSMENT_MANAGE})



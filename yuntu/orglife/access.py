from django.http import Http404
from django.shortcuts import get_object_or_404

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Member

from .models import Dues, Meeting


def get_meeting_for_user(user, pk) -> Meeting:
    return get_object_or_404(visible(user, Meeting, Permission.ORGLIFE_VIEW).select_related("org"), pk=pk)


def get_meeting_for_sign_in(user, token: str) -> Meeting:
    """The meeting behind a QR code, for a member of its org only: anyone else gets 404 like a wrong code."""
    meeting = Meeting.objects.select_related("org").filter(sign_in_token=token).first()
    member = Member.objects.filter(user_id=getattr(user, "pk", None), is_active=True).only("org_path").first()
    if meeting is None or member is None or not member.org_path.startswith(meeting.org_path):
        raise Http404("签到二维码无效，或您不是该组织的党员。")
    return meeting


def get_member_for_user(user, pk) -> Member:
    return get_object_or_404(visible(user, Member, Permission.ORGLIFE_VIEW).select_related("org"), pk=pk)


def get_dues_for_user(user, pk) -> Dues:
    return get_object_or_404(visible(user, Dues, Permission.ORGLIFE_VIEW).select_related("member", "org"), pk=pk)


def holds_at_root(user, permission: str) -> bool:
    """Does the user hold `permission` over a whole tree (a grant on a root org)? Tree-wide settings need it."""
    from yuntu.accounts.policy import scope_paths
    from yuntu.orgs.models import Org

    return any(len(path) <= Org.steplen for path in scope_paths(user, permission))

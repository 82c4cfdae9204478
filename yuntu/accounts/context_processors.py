from .policy import has_permission_anywhere, is_resident_only, roles_of
from .roles import Permission, Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_roles": [Role(role).label for role in sorted(roles_of(user)) if role in Role.values],
        "nav_can_view_orgs": has_permission_anywhere(user, Permission.ORG_VIEW),
        "nav_can_view_members": has_permission_anywhere(user, Permission.MEMBER_VIEW),
        "nav_can_import": has_permission_anywhere(user, Permission.IMPORT_RUN),
        "nav_can_view_audit": has_permission_anywhere(user, Permission.AUDIT_VIEW),
        "nav_can_view_ledger": has_permission_anywhere(user, Permission.LEDGER_VIEW),
        "nav_can_view_voices": (has_permission_anywhere(user, Permission.VOICES_VIEW)
                                or has_permission_anywhere(user, Permission.VOICES_DEPARTMENT)),
        "nav_can_view_dashboard": has_permission_anywhere(user, Permission.DASHBOARD_VIEW),
        "nav_can_edit_briefings": has_permission_anywhere(user, Permission.BRIEFING_EDIT),
        "nav_can_view_orglife": has_permission_anywhere(user, Permission.ORGLIFE_VIEW),
        "nav_is_resident": is_resident_only(user),
        "nav_can_view_campaigns": has_permission_anywhere(user, Permission.CAMPAIGN_VIEW),
        "nav_can_supervise_campaigns": has_permission_anywhere(user, Permission.CAMPAIGN_SUPERVISE),
        "nav_can_view_grassroots": has_permission_anywhere(user, Permission.GRASSROOTS_VIEW),
        "nav_can_view_venues": has_permission_anywhere(user, Permission.VENUES_VIEW),
        "nav_can_view_lectures": has_permission_anywhere(user, Permission.LECTURES_VIEW),
        "nav_can_view_claims": has_permission_anywhere(user, Permission.CLAIMS_VIEW),
        "nav_can_view_publicity": has_permission_anywhere(user, Permission.PUBLICITY_VIEW),
    }

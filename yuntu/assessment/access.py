from django.db.models import Q
from django.shortcuts import get_object_or_404

from yuntu.accounts.policy import scope_q, visible
from yuntu.accounts.roles import Permission

from .models import Alert, AssessmentPeriod, Circular, ScoringScheme, WeakLaxFlag
from .workflow import CircularStatus


def get_alert_for_user(user, pk) -> Alert:
    return get_object_or_404(visible(user, Alert, Permission.ASSESSMENT_VIEW).select_related("org"), pk=pk)


def get_period_for_user(user, pk) -> AssessmentPeriod:
    return get_object_or_404(visible(user, AssessmentPeriod, Permission.ASSESSMENT_VIEW)
                             .select_related("org", "scheme"), pk=pk)


def get_scheme_for_user(user, pk) -> ScoringScheme:
    """A scheme set within the user's scope or above it (see selectors.schemes_visible_to)."""
    from .selectors import schemes_visible_to

    return get_object_or_404(schemes_visible_to(user), pk=pk)


def circulars_visible_to(user):
    """Published circulars of the user's orgs and the orgs above them; drafts only to their managers."""
    from .selectors import published_circular_filter

    managed = scope_q(user, Permission.ASSESSMENT_MANAGE, "org_path")
    return Circular.objects.filter(managed | (Q(status=CircularStatus.PUBLISHED) & published_circular_filter(user)))


def get_circular_for_user(user, pk) -> Circular:
    return get_object_or_404(circulars_visible_to(user).select_related("org"), pk=pk)


def get_weak_lax_for_user(user, pk) -> WeakLaxFlag:
    return get_object_or_404(visible(user, WeakLaxFlag, Permission.ASSESSMENT_VIEW).select_related("org", "problem"),
                             pk=pk)

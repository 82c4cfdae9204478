from django.db.models import QuerySet

from .models import AuditEntry
from .policy import scope_q
from .roles import Permission


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Administrators and inspectors read the trail of their own subtree."""
    return AuditEntry.objects.filter(scope_q(user, Permission.AUDIT_VIEW, "org_path")).select_related("actor")

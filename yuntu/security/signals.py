"""Administrator actions (django admin's LogEntry) are copied into the hash-chained audit trail (8.1.4.3 a)."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from yuntu.accounts.audit import audit_record

ACTIONS = {ADDITION: "admin.addition", CHANGE: "admin.change", DELETION: "admin.deletion"}


@receiver(post_save, sender=LogEntry, dispatch_uid="yuntu.security.admin_log_to_audit")
def admin_action_to_audit(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs):
    if not created or raw:  # raw: loaddata (a restore) brings entries already in the trail
        return
    content_type = instance.content_type
    target = None
    if content_type is not None and instance.action_flag != DELETION and instance.object_id:
        try:
            target = content_type.get_object_for_this_type(pk=instance.object_id)
        except Exception:  # the object may be gone or its model removed: the entry is still written
            target = None
    from yuntu.orgs.models import Org

    org = target if isinstance(target, Org) else getattr(target, "org", None)
    audit_record(actor=instance.user, action=ACTIONS.get(instance.action_flag, "admin.action"), obj=instance, org=org,
                 after={"model": content_type.model if content_type else "", "object_id": instance.object_id,
                        "object": instance.object_repr, "change": instance.get_change_message()})


def reinstall_audit_guard(sender, using="default", **kwargs):
    from django.db import connections

    from . import audit_guard

    connection = connections[using]
    if audit_guard.TABLE in connection.introspection.table_names():
        audit_guard.install(connection)

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "yuntu.security"
    label = "security"
    verbose_name = "安全控制"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401  (administrator actions into the audit trail)

        # SQLite rebuilds a table on many schema changes and its triggers go with it: after every
        # migrate the guard is put back (idempotent), whatever later migrations do to the table.
        post_migrate.connect(signals.reinstall_audit_guard, sender=self, dispatch_uid="yuntu.security.audit_guard")

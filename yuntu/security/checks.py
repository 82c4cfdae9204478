"""`manage.py check --deploy` also checks Yuntu's own controls (docs/security.md)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connections
from django.db.utils import DatabaseError


@register(Tags.security, deploy=True)
def yuntu_controls(app_configs=None, **kwargs):
    from . import audit_guard

    problems = []
    if settings.FIELD_ENCRYPTION_KEY == settings.SECRET_KEY:
        problems.append(Warning("FIELD_ENCRYPTION_KEY 与 SECRET_KEY 相同：个人信息加密密钥应单独设置并单独保管。",
                                id="yuntu.W001"))
    directives = settings.CONTENT_SECURITY_POLICY.get("DIRECTIVES", {})
    if any("'unsafe-inline'" in values or "'unsafe-eval'" in values for values in directives.values()):
        problems.append(Warning("内容安全策略含 unsafe-inline 或 unsafe-eval。", id="yuntu.W002"))
    if getattr(settings, "SESSION_IDLE_TIMEOUT", 0) <= 0 or settings.SESSION_IDLE_TIMEOUT > 3600:
        problems.append(Warning("SESSION_IDLE_TIMEOUT 应在 1 至 3600 秒之间（会话超时）。", id="yuntu.W003"))
    connection = connections["default"]
    try:
        if audit_guard.TABLE in connection.introspection.table_names() and not audit_guard.installed(connection):
            problems.append(Warning("审计日志表缺少防篡改触发器：请运行 manage.py migrate。", id="yuntu.W004"))
    except DatabaseError:
        pass  # no database yet: migrate will install the guard
    return problems

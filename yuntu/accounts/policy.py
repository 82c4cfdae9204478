"""The one data-scope policy: which records a user may see, and what they may do to one.

A grant (user, role, org) covers the org's subtree. Every governed record carries its org's
materialized path, so "what may this user see" is the union of a few prefix ranges, one per
grant, asked of the record's own indexed path column. Views, API views, exports, charts and
background jobs all ask here.
"""

from typing import Any

from django.db.models import Model, Q, QuerySet

from .roles import ROLE_PERMISSIONS, Role


def _grants(user) -> list[tuple[str, str]]:
    """(role, path) pairs of the user, read once per request object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_yuntu_grants", None)
    if cached is None:
        cached = list(user.grants.values_list("role", "org_path"))
        user._yuntu_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_yuntu_grants"):
        del user._yuntu_grants


def roles_of(user) -> set[str]:
    return {role for role, _ in _grants(user)}


def _collapse(paths: list[str]) -> list[str]:
    """Drop paths already covered by a shorter prefix: the visible set is a handful of ranges."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return sorted(kept)


def scope_paths(user, permission: str) -> list[str]:
    """Tree paths under which `user` holds `permission`."""
    if getattr(user, "is_superuser", False):
        return [""]
    return _collapse([path for role, path in _grants(user) if permission in ROLE_PERMISSIONS.get(role, ())])


def has_permission_anywhere(user, permission: str) -> bool:
    return bool(scope_paths(user, permission))


def scope_q(user, permission: str, path_field: str) -> Q:
    paths = scope_paths(user, permission)
    if not paths:
        return Q(pk__in=[])
    if "" in paths:
        return Q()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{path_field}__under": path})
    return condition


def path_field_of(model: type[Model]) -> str:
    field = getattr(model, "scope_path_field", None)
    if field is None:
        raise TypeError(f"{model.__name__} is not governed: it declares no scope_path_field")
    return field


def visible(user, queryset_or_model: Any, permission: str) -> QuerySet:
    """The records of a model (or a queryset of it) that `user` may see under `permission`."""
    queryset = queryset_or_model if isinstance(queryset_or_model, QuerySet) else queryset_or_model._default_manager.all()
    return queryset.filter(scope_q(user, permission, path_field_of(queryset.model)))


def path_of(obj: Model) -> str:
    return getattr(obj, path_field_of(type(obj)).replace("__", "."), "") or ""


def can(user, permission: str, obj: Model | None = None, *, path: str | None = None) -> bool:
    """May `user` exercise `permission` on obj (or at a tree path)?"""
    target = path if path is not None else path_of(obj)
    return any(target.startswith(prefix) for prefix in scope_paths(user, permission))


def is_resident_only(user) -> bool:
    roles = roles_of(user)
    return bool(roles) and roles <= {Role.RESIDENT}

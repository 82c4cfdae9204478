"""The voices pages, split by topic: staff requests, the department desk, suggestions, the resident portal."""

from .desk import desk, dispatch_detail, dispatch_transition, overdue
from .requests import (
    request_create,
    request_detail,
    request_dispatch,
    request_list,
    request_photo,
    request_triage,
)
from .suggestions import (
    suggestion_adopt,
    suggestion_create,
    suggestion_decline,
    suggestion_detail,
    suggestion_list,
)

__all__ = [
    "desk", "dispatch_detail", "dispatch_transition", "overdue", "request_create", "request_detail",
    "request_dispatch", "request_list", "request_photo", "request_triage", "suggestion_adopt", "suggestion_create",
    "suggestion_decline", "suggestion_detail", "suggestion_list",
]

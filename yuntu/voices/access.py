from django.shortcuts import get_object_or_404

from .models import Dispatch, Request, Suggestion
from .selectors import (
    dispatches_for_department,
    requests_of_resident,
    requests_visible_to,
    suggestions_visible_to,
)


def get_request_for_user(user, pk) -> Request:
    return get_object_or_404(requests_visible_to(user), pk=pk)


def get_own_request_for_resident(user, pk) -> Request:
    return get_object_or_404(requests_of_resident(user), pk=pk)


def get_dispatch_for_user(user, pk) -> Dispatch:
    return get_object_or_404(dispatches_for_department(user), pk=pk)


def get_suggestion_for_user(user, pk) -> Suggestion:
    return get_object_or_404(suggestions_visible_to(user), pk=pk)

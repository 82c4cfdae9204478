"""What every module's staff pages share: the permission gate, refusals in Chinese, a form run through a service.

Each module decides per record through its `access.py`; the gate only keeps out people who hold the
module's permission nowhere, and never tells a stranger that a record exists (404 on record pages).
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere


def module_page(*, needs=(), refused: str = "", missing: str = "", record_kwarg: str | None = None,
                flags: dict[str, str] | None = None):
    """A decorator for a module's pages: signed in, and holding one of `needs` somewhere.

    Without them a record's page (one with `record_kwarg` in its URL, or any URL argument when
    that is None) answers 404 with `missing` when given, any other page 403 with `refused` (both
    `gettext_lazy` strings, so they speak the request's language).
    `flags` names request attributes to set to whether the user holds a permission anywhere
    (e.g. {"ledger_can_enter": Permission.LEDGER_EDIT}), for the templates' buttons.
    """
    needs = (needs,) if isinstance(needs, str) else tuple(needs)

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            held: dict[str, bool] = {}

            def holds(permission: str) -> bool:
                if permission not in held:
                    held[permission] = has_permission_anywhere(request.user, permission)
                return held[permission]

            if needs and not any(holds(permission) for permission in needs):
                if missing and (record_kwarg in kwargs if record_kwarg else kwargs):
                    raise Http404(str(missing))
                raise PermissionDenied(str(refused))
            for name, permission in (flags or {}).items():
                setattr(request, name, holds(permission))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def error_text(error: Exception) -> str:
    """A service's refusal as one Chinese sentence for the page."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("无权执行该操作。")


def refusal_status(error: Exception) -> int:
    return 403 if isinstance(error, PermissionDenied) else 400


def posted(request, *, files: bool = False) -> tuple:
    """Form data for a POST (even an empty one, so that it is validated), nothing for a GET."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def run_service(request, form, call, *, success: str, done, page):
    """Validate `form` and run `call(cleaned_data)`: on success flash `success` and redirect to `done(result)`.

    A refusal puts the service's field errors on the form (a `PermissionDenied` as a form error,
    answered 403) and nothing is written; `page(status)` then renders the page again (400 or 403).
    """
    from yuntu.orgs.forms import add_service_errors

    status = 400
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
            status = 403
        else:
            messages.success(request, success)
            return redirect(done(result))
    return page(status)


def date_param(request, name: str) -> datetime.date | None:
    """The date a query parameter gives as YYYY-MM-DD, or None when it is missing or not a date."""
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return None

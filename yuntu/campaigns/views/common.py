"""What every campaign page shares: the permission gate and errors as Chinese messages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission


def campaign_page(view):
    """Signed in, and holding campaign.view somewhere; everything else is decided per record."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_permission_anywhere(request.user, Permission.CAMPAIGN_VIEW):
            raise PermissionDenied(_("无权查看专项行动。"))
        return view(request, *args, **kwargs)

    return wrapped


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or _("无权执行该操作。")


def refusal_status(error: Exception) -> int:
    return 403 if isinstance(error, PermissionDenied) else 400


def posted(request, *, files: bool = False) -> tuple:
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def submit(form, call) -> tuple[object, Exception | None]:
    """Run a service with a valid form's data: (result, None), or (None, refusal) with the errors on the form.

    Field errors of a `ValidationError` go onto the form; a `PermissionDenied` is returned for the
    page to answer 403. A form that is not valid returns (None, None).
    """
    if not form.is_valid():
        return None, None
    try:
        return call(form.cleaned_data), None
    except ValidationError as error:
        from yuntu.orgs.forms import add_service_errors

        add_service_errors(form, error)
        return None, None
    except PermissionDenied as error:
        form.add_error(None, error_text(error))
        return None, error

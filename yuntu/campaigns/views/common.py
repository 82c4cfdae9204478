"""What every campaign page shares: the permission gate and errors as Chinese messages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy

from yuntu.accounts.roles import Permission
from yuntu.core.pages import error_text, module_page
from yuntu.core.pages import posted as posted
from yuntu.core.pages import refusal_status as refusal_status

campaign_page = module_page(needs=Permission.CAMPAIGN_VIEW, refused=gettext_lazy("无权查看专项行动。"))
"""Signed in, and holding campaign.view somewhere; everything else is decided per record."""


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

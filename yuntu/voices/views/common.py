"""What the voices pages share: the permission gate, Chinese refusals, the anonymous rate limit, photos."""

from django.core.cache import cache
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuntu.accounts.roles import Permission
from yuntu.core import chinese
from yuntu.core.pages import error_text as error_text
from yuntu.core.pages import module_page
from yuntu.core.pages import posted as posted
from yuntu.core.pages import refusal_status as refusal_status

PAGE_SIZE = 30
# Anonymous intake: submissions per client address per hour (requests and suggestions counted apart).
ANONYMOUS_LIMIT = 5
ANONYMOUS_WINDOW = 3600


voices_page = module_page(
    needs=(Permission.VOICES_VIEW, Permission.VOICES_DEPARTMENT), refused=gettext_lazy("无权查看群众诉求。"),
    missing=gettext_lazy("诉求不存在或不在您的查看范围内。"), record_kwarg="pk",
    flags={"voices_can_view": Permission.VOICES_VIEW, "voices_can_triage": Permission.VOICES_TRIAGE,
           "voices_is_department": Permission.VOICES_DEPARTMENT})
"""Signed in, and holding voices.view or voices.department somewhere; the rest is decided per record."""


def query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def mask_mobiles(text: str) -> str:
    """Mobile numbers a resident typed into a text are hidden wherever the text is shown publicly
    (not merely masked: the masked form is the contact's too, and the board never shows it)."""
    return chinese.redact_personal_numbers(text, mobile_label=_("【电话已隐去】"), id_label=_("【证件号已隐去】"))


def client_address(request) -> str:
    # The address the server saw; a proxy in front must set REMOTE_ADDR (X-Forwarded-For can be forged).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _quota_key(request, kind: str) -> str:
    return f"voices:anonymous:{kind}:{client_address(request)}"


def anonymous_quota_left(request, kind: str) -> bool:
    if request.user.is_authenticated:
        return True
    return (cache.get(_quota_key(request, kind)) or 0) < ANONYMOUS_LIMIT


def count_anonymous_submission(request, kind: str) -> None:
    if request.user.is_authenticated:
        return
    key = _quota_key(request, kind)
    cache.add(key, 0, ANONYMOUS_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ANONYMOUS_WINDOW)


def quota_message() -> str:
    return _("同一网络每小时最多匿名提交%(limit)s次，请稍后再试；登录后提交不受此限制，也可拨打12345热线。") % {
        "limit": ANONYMOUS_LIMIT}


def serve_photo(photo) -> FileResponse:
    """A request's photo, from storage (never a public /media/ URL), to someone who may see the request."""
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404(_("照片不存在。")) from error
    name = photo.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, filename=name)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def photo_of(request_obj, photo_id: str):
    photo = request_obj.photos.filter(pk=photo_id).first() if str(photo_id).isdigit() else None
    if photo is None:
        raise Http404(_("照片不存在。"))
    return photo


def area() -> dict:
    """The deployment's bounding box, for the map's initial view and the point check in the browser."""
    from ..services import AREA

    return {key: float(value) for key, value in AREA.items()}


def stage_steps(request_obj) -> list[dict]:
    """The five stages as steps for a progress bar: done, current, or still to come."""
    from ..workflow import STAGE_OF_STATUS, RequestStatus, Stage

    current = STAGE_OF_STATUS.get(request_obj.status, Stage.RAISE)
    order = list(Stage.values)
    reached = len(order) if request_obj.status == RequestStatus.RATED else order.index(current)  # rated: all done
    return [{"value": value, "label": label,
             "state": "done" if index < reached else "current" if index == reached else "todo"}
            for index, (value, label) in enumerate(Stage.choices)]

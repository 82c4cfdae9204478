"""The resident's phone pages: raise a request (说事), follow one's own items, rate or reopen them (评事),
read the public board (晒事) and send suggestions (建言献策).

Anyone may read the board and submit; anonymous submissions are limited per client address. A
resident sees only their own items; the board and the similar-items hint never carry personal data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.core import crypto
from yuntu.orgs.forms import add_service_errors

from .. import selectors, services
from ..access import get_own_request_for_resident
from ..forms import BoardFilterForm, PortalRequestForm, PortalSuggestionForm, RateForm, ReopenForm
from ..models import TEXT_MAX, Category, Channel
from ..workflow import RequestStatus
from .common import (
    anonymous_quota_left,
    area,
    count_anonymous_submission,
    error_text,
    mask_mobiles,
    photo_of,
    posted,
    query_without,
    quota_message,
    refusal_status,
    serve_photo,
    stage_steps,
)

BOARD_PAGE_SIZE = 20
SIMILAR_MIN_TEXT = 4


@require_GET
def home(request):
    mine = selectors.resident_summary(request.user)
    latest = [public_row(item) for item in selectors.public_board()[:3]]
    return render(request, "voices/portal/home.html", {
        "mine": mine, "latest": latest, "figures": selectors.voices_figures(selectors.board_requests()),
        "drives": selectors.open_drives().count(),
    })


def _account_mobile(user) -> str:
    if not getattr(user, "is_authenticated", False) or not user.mobile_encrypted:
        return ""
    return crypto.decrypt(user.mobile_encrypted)


def submit(request):
    """说事: category, text, place (address or point), photos, contact."""
    user = request.user
    form = PortalRequestForm(*posted(request, files=True), user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if not anonymous_quota_left(request, "request"):
            form.add_error(None, quota_message())
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            resident = user if user.is_authenticated else None
            mobile = data["contact_mobile"] or _account_mobile(user)
            community = selectors.community_for_intake(resident=resident, latitude=data["latitude"],
                                                       longitude=data["longitude"], address=data["address"],
                                                       category=data["category"])
            try:
                if community is None:
                    raise ValidationError(_("暂未找到受理该地点的社区，请拨打12345热线反映。"))
                item = services.request_submit(
                    community=community, category=data["category"], text=data["text"], channel=Channel.PORTAL,
                    resident=resident, address=data["address"], latitude=data["latitude"],
                    longitude=data["longitude"], contact_name=data["contact_name"], contact_mobile=mobile,
                    answers=form.answers(), photos=data["photos"])
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                count_anonymous_submission(request, "request")
                if resident is not None:
                    messages.success(request, _("已提交，编号 %(number)s。社区将在答复时限内受理，请留意进度。")
                                     % {"number": item.number})
                    return redirect("portal:request_detail", pk=item.pk)
                messages.success(request, _("已提交，编号 %(number)s。办理结果将通过短信告知，公开答复后可在“晒事”中查看。")
                                 % {"number": item.number})
                return redirect("portal:home")
    return render(request, "voices/portal/submit.html", {
        "form": form, "text_max": TEXT_MAX, "area": area(),
        "categories": Category.objects.filter(is_active=True).order_by("sort_order", "code"),
    }, status=status)


@require_GET
def similar(request):
    """While the resident types: open items of the same category nearby with similar text (no personal data)."""
    category_id = request.GET.get("category", "")
    text = (request.GET.get("text") or "")[:TEXT_MAX].strip()
    category = (Category.objects.filter(pk=category_id, is_active=True).first() if category_id.isdigit() else None)
    rows = []
    if category is not None and len(text) >= SIMILAR_MIN_TEXT:
        try:
            latitude, longitude = services.check_point(request.GET.get("latitude") or None,
                                                       request.GET.get("longitude") or None)
        except ValidationError:
            latitude = longitude = None
        found = selectors.similar_open_requests(category=category, text=text, latitude=latitude, longitude=longitude)
        statuses = dict(RequestStatus.choices)
        rows = [{"number": row["number"], "text": mask_mobiles(row["text"])[:60], "status": statuses[row["status"]],
                 "distance_m": row["distance_m"]} for row in found]
    return render(request, "voices/portal/_similar.html", {"rows": rows, "category": category})


@login_required
@require_GET
def mine(request):
    items = selectors.requests_of_resident(request.user)
    page = Paginator(items, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    suggestions = selectors.suggestions_of_author(request.user)[:50]
    return render(request, "voices/portal/mine.html", {"page": page, "suggestions": suggestions})


def item_context(request, item, **extra) -> dict:
    context = {
        "item": item, "steps": stage_steps(item), "photos": list(item.photos.order_by("id")),
        "timeline": selectors.public_timeline(item),
        "may_rate": item.status == RequestStatus.PUBLISHED,
        "may_reopen": item.status in (RequestStatus.PUBLISHED, RequestStatus.RATED) and item.reopened_count < 1,
        "rate_form": RateForm(), "reopen_form": ReopenForm(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def request_detail(request, pk):
    item = get_own_request_for_resident(request.user, pk)
    return render(request, "voices/portal/request_detail.html", item_context(request, item))


@login_required
@require_GET
def request_photo(request, pk):
    item = get_own_request_for_resident(request.user, pk)
    return serve_photo(photo_of(item, request.GET.get("photo", "")))


def _resident_transition(request, pk, *, name: str, form_class, form_key: str):
    item = get_own_request_for_resident(request.user, pk)
    form = form_class(request.POST)
    status, action_error = 400, ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.request_transition(actor=request.user, request=item, name=name, rating=data.get("rating", ""),
                                        comment=data.get("comment", ""), reason=data.get("reason", ""))
        except ValidationError as error:
            add_service_errors(form, error)
            action_error = error_text(error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
            status, action_error = refusal_status(error), error_text(error)
        else:
            messages.success(request, _("感谢您的评价。") if name == "rate" else _("已要求重新办理，社区将再次处理。"))
            return redirect("portal:request_detail", pk=item.pk)
    return render(request, "voices/portal/request_detail.html",
                  item_context(request, item, **{form_key: form}, open_form=name, action_error=action_error),
                  status=status)


@login_required
@require_POST
def request_rate(request, pk):
    """评事: satisfied / basically / not."""
    return _resident_transition(request, pk, name="rate", form_class=RateForm, form_key="rate_form")


@login_required
@require_POST
def request_reopen(request, pk):
    """Not satisfied: ask once, with a reason, for the item to be handled again."""
    return _resident_transition(request, pk, name="reopen", form_class=ReopenForm, form_key="reopen_form")


# ---- the public board ----------------------------------------------------------------------------------

def public_row(item) -> dict:
    """What the board shows of a published request: never the contact, never who filed it."""
    return {"pk": item.pk, "number": item.number, "category": item.category.name, "text": mask_mobiles(item.text),
            "address": mask_mobiles(item.address), "community": item.org.short_name or item.org.name,
            "reply": mask_mobiles(item.reply), "rating": item.get_rating_display() if item.rating else "",
            "status": item.get_status_display(), "submitted_at": item.submitted_at, "answered_at": item.answered_at,
            "located": item.latitude is not None}


@require_GET
def board(request):
    form = BoardFilterForm(request.GET or None)
    filters = form.filters()
    published = selectors.public_board(**filters)
    page = Paginator(published, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    points = [{"pk": point["pk"], "number": point["number"], "category": point["category__name"],
               "lat": float(point["latitude"]), "lng": float(point["longitude"])}
              for point in selectors.board_points(published)]
    return render(request, "voices/portal/board.html", {
        "form": form, "page": page, "rows": [public_row(item) for item in page.object_list],
        "figures": selectors.voices_figures(selectors.board_requests(org=filters["org"], category=filters["category"])),
        "points": points, "area": area(), "query": query_without(request, "page"),
    })


@require_GET
def board_detail(request, pk):
    item = get_object_or_404(selectors.public_board(), pk=pk)
    events = [{"label": event.label, "text": mask_mobiles(event.text), "occurred_at": event.occurred_at}
              for event in selectors.public_timeline(item)]
    return render(request, "voices/portal/board_detail.html",
                  {"row": public_row(item), "timeline": events, "steps": stage_steps(item)})


# ---- suggestions ---------------------------------------------------------------------------------------

def suggestions(request):
    """建言献策: a suggestion to one of the drives now open."""
    user = request.user
    form = PortalSuggestionForm(*posted(request), user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if not anonymous_quota_left(request, "suggestion"):
            form.add_error(None, quota_message())
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            drive = data["drive"]
            try:
                services.suggestion_submit(org=drive.org, drive=drive, text=data["text"],
                                           author=user if user.is_authenticated else None,
                                           author_name=data["author_name"])
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                count_anonymous_submission(request, "suggestion")
                messages.success(request, _("感谢您的建议！我们会认真研究，采纳情况将在“我的”中告知。")
                                 if user.is_authenticated else _("感谢您的建议！我们会认真研究。"))
                return redirect("portal:suggestions")
    drives = list(selectors.open_drives()[:50])
    return render(request, "voices/portal/suggestions.html", {"form": form, "drives": drives}, status=status)

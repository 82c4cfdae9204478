"""The resident's phone pages of the lecture menu: the menu, 点菜, one's own orders, 评菜.

The menu is public; an order is seen by its orderer; anyone signed in who holds an order's rating
code (shown as a QR code at the lecture) may rate it once.
"""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuntu.core.pages import error_text, refusal_status

from .. import selectors, services
from ..access import get_own_order, get_public_topic
from ..forms import DeclineForm, OrderForm, RateForm
from ..models import LectureRating
from ..workflow import STAGE_OF_STATUS, OrderStatus, Stage


def stage_steps(status: str) -> list[dict]:
    current = STAGE_OF_STATUS.get(status)
    order = list(Stage)
    reached = order.index(current) if current in order else -1
    return [{"label": stage.label, "done": index <= reached, "current": stage == current}
            for index, stage in enumerate(order)]


@require_GET
def menu(request):
    topics = list(selectors.public_menu()[:200])
    teams = {}
    for topic in topics:
        teams.setdefault(topic.team, []).append(topic)
    return render(request, "lectures/portal/menu.html", {"teams": list(teams.items())})


@require_http_methods(["GET", "POST"])
def topic(request, pk):
    item = get_public_topic(pk)
    form = OrderForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        status = 400
        if form.is_valid():
            try:
                order = services.order_create(actor=request.user, topic=item, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("点菜成功，编号 %(number)s。宣讲团配菜后会安排宣讲员。") % {"number": order.number})
                return redirect("lectures_portal:order", pk=order.pk)
    return render(request, "lectures/portal/topic.html", {"topic": item, "form": form}, status=status)


@login_required
@require_GET
def mine(request):
    return render(request, "lectures/portal/mine.html", {"orders": selectors.orders_of_orderer(request.user)[:100]})


def _order_context(request, order, form=None) -> dict:
    rate_url = request.build_absolute_uri(reverse("lectures_portal:rate", args=[order.rating_token]))
    return {"order": order, "steps": stage_steps(order.status), "events": order.events.all(),
            "rating": selectors.rating_of(order), "rate_url": rate_url,
            "can_cancel": order.status in (OrderStatus.ORDERED, OrderStatus.ASSIGNED) and order.starts_at > timezone.now(),
            "can_rate": order.status in (OrderStatus.DELIVERED, OrderStatus.RATED),
            "rated": LectureRating.objects.filter(order=order, rater=request.user).exists(),
            "rate_form": form or RateForm(), "cancel_form": DeclineForm()}


@login_required
@require_GET
def order(request, pk):
    item = get_own_order(request.user, pk)
    return render(request, "lectures/portal/order.html", _order_context(request, item))


@login_required
@require_GET
def order_qr(request, pk):
    """The rating code of an order as a QR image, for the orderer to show to the audience."""
    item = get_own_order(request.user, pk)
    buffer = io.BytesIO()
    url = request.build_absolute_uri(reverse("lectures_portal:rate", args=[item.rating_token]))
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title=_("评菜二维码"))
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@login_required
@require_POST
def cancel(request, pk):
    item = get_own_order(request.user, pk)
    try:
        services.order_cancel(actor=request.user, order=item, reason=request.POST.get("reason", "")[:255])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
        return render(request, "lectures/portal/order.html", _order_context(request, item),
                      status=refusal_status(error))
    messages.success(request, _("已取消点菜。"))
    return redirect("lectures_portal:order", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rate(request, rating_token):
    """评菜: the page the rating QR code opens; one rating per listener."""
    try:
        item = services.order_for_rating(rating_token)
    except ValidationError as error:
        raise Http404(error_text(error)) from error
    form = RateForm(request.POST or None)
    status = 200
    already = LectureRating.objects.filter(order=item, rater=request.user).exists()
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.order_rate(actor=request.user, order=item, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            except PermissionDenied as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("感谢您的评价！"))
                if item.orderer_id == request.user.pk:
                    return redirect("lectures_portal:order", pk=item.pk)
                return redirect("lectures_portal:menu")
    return render(request, "lectures/portal/rate.html", {
        "order": item, "form": form, "already": already,
        "open": item.status in (OrderStatus.DELIVERED, OrderStatus.RATED)}, status=status)



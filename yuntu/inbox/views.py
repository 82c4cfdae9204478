"""The inbox pages: my messages (with a kind filter), one message, my push choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import kinds, selectors, services
from .access import get_message_for_user
from .forms import PreferenceForm

PAGE_SIZE = 30


@login_required
@require_GET
def message_list(request):
    kind = request.GET.get("kind", "")[:32]
    items = selectors.messages_of(request.user, kind=kind, unread=request.GET.get("unread") == "1")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/list.html", {
        "page": page, "kind": kind, "kinds": [row for row in selectors.kinds_of(request.user) if row["total"]],
        "unread": selectors.unread_count(request.user), "label_of": kinds.label_of,
    })


@login_required
@require_GET
def message_detail(request, pk):
    message = get_message_for_user(request.user, pk)
    services.mark_read(actor=request.user, message=message)
    return render(request, "inbox/detail.html", {"message": message, "kind_label": kinds.label_of(message.kind)})


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("inbox:list")


@login_required
def preferences(request):
    rows = selectors.kinds_of(request.user)
    initial = {"daily_digest": selectors.takes_digest(request.user),
               "opted_out": [row["kind"] for row in rows if row["opted_out"]]}
    form = PreferenceForm(request.POST or None, initial=initial, kinds=rows)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.set_preferences(actor=request.user, daily_digest=form.cleaned_data["daily_digest"],
                                         opted_out=form.cleaned_data["opted_out"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, _("消息设置已保存。"))
                return redirect("inbox:preferences")
    return render(request, "inbox/preferences.html", {"form": form}, status=status)

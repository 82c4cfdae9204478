"""建言献策 for staff: the scoped list with figures per unit, offline entry, adopt as a ledger measure, decline."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core.pages import run_service
from yuntu.orgs.forms import add_service_errors

from .. import selectors, services
from ..access import get_suggestion_for_user
from ..forms import AdoptForm, DeclineSuggestionForm, OfflineSuggestionForm, SuggestionFilterForm
from ..models import Suggestion
from .common import PAGE_SIZE, error_text, posted, query_without, voices_page


def staff_only(request):
    if not request.voices_can_view:
        raise PermissionDenied(_("无权查看建言献策。"))


@voices_page
@require_GET
def suggestion_list(request):
    staff_only(request)
    user = request.user
    form = SuggestionFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    suggestions = selectors.suggestion_list(user, status=data.get("status") or "", query=(data.get("q") or "").strip(),
                                            drive=request.GET.get("drive", ""))
    page = Paginator(suggestions, PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.suggestion_totals(selectors.suggestions_visible_to(user))
    totals["adoption_rate"] = round(totals["adopted"] * 100 / totals["collected"], 1) if totals["collected"] else None
    return render(request, "voices/suggestion_list.html", {
        "form": form, "page": page, "totals": totals, "units": selectors.suggestion_figures_by_unit(user),
        "query": query_without(request, "page"),
    })


def suggestion_context(request, suggestion, **extra) -> dict:
    user = request.user
    may_decide = (can(user, Permission.VOICES_TRIAGE, path=suggestion.org_path)
                  and suggestion.status != Suggestion.Status.ADOPTED)
    context = {
        "suggestion": suggestion,
        "may_decide": may_decide,
        "adopt_form": AdoptForm(user=user) if may_decide else None,
        "decline_form": DeclineSuggestionForm() if may_decide and suggestion.status == Suggestion.Status.RECEIVED else None,
        "measure_visible": bool(suggestion.measure_id) and can(user, Permission.LEDGER_VIEW, path=suggestion.measure.org_path),
    }
    context.update(extra)
    return context


@voices_page
@require_GET
def suggestion_detail(request, pk):
    staff_only(request)
    suggestion = get_suggestion_for_user(request.user, pk)
    return render(request, "voices/suggestion_detail.html", suggestion_context(request, suggestion))


@voices_page
@require_POST
def suggestion_adopt(request, pk):
    staff_only(request)
    user = request.user
    suggestion = get_suggestion_for_user(user, pk)
    form = AdoptForm(request.POST, user=user)
    return run_service(
        request, form, lambda data: services.suggestion_adopt(
            actor=user, suggestion=suggestion, problem=data["problem"], measure_text=data["measure_text"],
            responsible_person=data["responsible_person"], deadline=data["deadline"], response=data["response"]),
        success=_("建议已采纳，并已纳入整改台账。"),
        done=lambda _result: reverse("voices:suggestion_detail", args=[suggestion.pk]),
        page=lambda status: render(request, "voices/suggestion_detail.html", suggestion_context(
            request, suggestion, adopt_form=form, open_form="adopt"), status=status))


@voices_page
@require_POST
def suggestion_decline(request, pk):
    staff_only(request)
    user = request.user
    suggestion = get_suggestion_for_user(user, pk)
    form = DeclineSuggestionForm(request.POST)
    return run_service(
        request, form, lambda data: services.suggestion_decline(actor=user, suggestion=suggestion,
                                                                response=data["response"]),
        success=_("已答复暂不采纳。"), done=lambda _result: reverse("voices:suggestion_detail", args=[suggestion.pk]),
        page=lambda status: render(request, "voices/suggestion_detail.html", suggestion_context(
            request, suggestion, decline_form=form, open_form="decline"), status=status))


@voices_page
def suggestion_create(request):
    """Suggestions collected offline (forums, suggestion boxes, visits), entered by staff."""
    if not request.voices_can_triage:
        raise PermissionDenied(_("无权录入线下建议。"))
    form = OfflineSuggestionForm(*posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_submit(org=data["org"], text=data["text"], author_name=data["author_name"],
                                                    mode=Suggestion.Mode.OFFLINE, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("线下建议已录入。"))
            return redirect("voices:suggestion_detail", pk=suggestion.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "voices/suggestion_form.html", {"form": form}, status=status)

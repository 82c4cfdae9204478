"""The member's and resident's phone pages: the public list and map of needs, claiming one (认领), reporting it
done with proof, dual reporting to the community where one lives (双报到), and one's own 5+X year.

Anyone may read the needs; the list never says who claimed them. A member sees only their own claims.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yuntu.core import clock
from yuntu.core.pages import run_service
from yuntu.orgs.forms import add_service_errors
from yuntu.orgs.models import Member
from yuntu.voices.views.common import (
    area,
    error_text,
    photo_of,
    posted,
    query_without,
    refusal_status,
    serve_photo,
)

from .. import fiveplusx, selectors, services
from ..access import get_own_claim, get_public_need
from ..forms import MemberReportForm, NeedFilterForm, PledgeForm, ProofForm, ReasonForm
from ..models import DualReport
from ..workflow import ClaimStatus, NeedStatus

PAGE_SIZE = 20


def public_need(need) -> dict:
    """What the public sees of a need: no claimant, no poster."""
    return {"pk": need.pk, "title": need.title, "kind": need.get_kind_display(), "category": need.get_category_display(),
            "description": need.description, "address": need.address, "community": need.org.short_name or need.org.name,
            "deadline": need.deadline, "status": need.status, "status_label": need.get_status_display(),
            "claimants_needed": need.claimants_needed, "claimed_count": need.claimed_count,
            "places_left": need.places_left, "located": need.latitude is not None}


@require_GET
def need_list(request):
    form = NeedFilterForm(request.GET or None)
    needs = selectors.public_needs(**form.filters())
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = selectors.public_needs().aggregate(open=Count("id", filter=Q(status=NeedStatus.OPEN)),
                                                 done=Count("id", filter=Q(status=NeedStatus.DONE)))
    return render(request, "claims/portal/need_list.html", {
        "form": form, "page": page, "rows": [public_need(need) for need in page.object_list],
        "points": selectors.need_points(needs), "area": area(), "query": query_without(request, "page"),
        "figures": figures,
    })


def _member(request):
    return services.member_of(request.user)


def _need_context(request, need, **extra) -> dict:
    member = _member(request)
    mine = None
    if member is not None:
        mine = need.claims.filter(member=member).exclude(status=ClaimStatus.WITHDRAWN).first()
    context = {"row": public_need(need), "need": need, "photos": list(need.photos.order_by("id")), "member": member,
               "mine": mine, "may_claim": need.status == NeedStatus.OPEN and need.deadline >= clock.today()}
    context.update(extra)
    return context


@require_GET
def need_detail(request, pk):
    need = get_public_need(pk)
    return render(request, "claims/portal/need_detail.html", _need_context(request, need))


@require_GET
def need_photo(request, pk):
    need = get_public_need(pk)
    return serve_photo(photo_of(need, request.GET.get("photo", "")))


@login_required
@require_POST
def need_claim(request, pk):
    """认领: one press takes one place, or says why not (taken, past the deadline, not a member)."""
    need = get_public_need(pk)
    try:
        claim = services.need_claim(actor=request.user, need=need)
    except (ValidationError, PermissionDenied) as error:
        need.refresh_from_db()
        return render(request, "claims/portal/need_detail.html",
                      _need_context(request, need, claim_error=error_text(error)), status=refusal_status(error))
    messages.success(request, _("认领成功！完成后请上传照片、填写完成情况，社区确认后计入志愿服务时长。"))
    return redirect("needs:claim_detail", pk=claim.pk)


@login_required
@require_GET
def mine(request):
    member = _member(request)
    year = clock.today().year
    claims = selectors.claims_of_claimant(request.user).filter(member__isnull=False).order_by("-claimed_at")[:50]
    context = {"member": member, "claims": claims, "year": year}
    if member is not None:
        members = Member.objects.filter(pk=member.pk)
        duties, rows = fiveplusx.member_rows([member], year, members)
        context.update({
            "summary": selectors.member_summary(member, year=year), "duties": duties, "row": rows[0],
            "pending": any(not duty["connected"] for duty in duties),
            "pledges": member.pledges.filter(year=year).annotate(served=Count("services")),
            "report": DualReport.objects.filter(member=member, ended_on__isnull=True).select_related("org").first(),
            "pledge_form": PledgeForm(),
        })
    return render(request, "claims/portal/mine.html", context)


def _claim_context(request, claim, **extra) -> dict:
    member = claim.member
    year = clock.today().year
    context = {"claim": claim, "need": claim.need, "photos": list(claim.photos.order_by("id")),
               "events": list(claim.events.select_related("actor")),
               "proof_form": ProofForm(member=member, year=year), "withdraw_form": ReasonForm()}
    context.update(extra)
    return context


@login_required
@require_GET
def claim_detail(request, pk):
    claim = get_own_claim(request.user, pk)
    return render(request, "claims/portal/claim_detail.html", _claim_context(request, claim))


@login_required
@require_GET
def claim_photo(request, pk):
    claim = get_own_claim(request.user, pk)
    return serve_photo(photo_of(claim, request.GET.get("photo", "")))


@login_required
@require_POST
def claim_report(request, pk):
    """Proof of work: what was done, photos, hours; the community confirms it next."""
    claim = get_own_claim(request.user, pk)
    form = ProofForm(request.POST, request.FILES, member=claim.member, year=clock.today().year)

    def page(status):
        claim.refresh_from_db()
        return render(request, "claims/portal/claim_detail.html", _claim_context(request, claim, proof_form=form),
                      status=status)

    return run_service(
        request, form, lambda data: services.claim_transition(
            actor=request.user, claim=claim, name="report", proof_text=data["proof_text"], hours=data["hours"],
            photos=data["photos"], pledge=data.get("pledge")),
        success=_("已提交完成情况，等待社区确认。"), done=lambda _result: reverse("needs:claim_detail", args=[claim.pk]),
        page=page)


@login_required
@require_POST
def claim_withdraw(request, pk):
    claim = get_own_claim(request.user, pk)
    try:
        services.claim_transition(actor=request.user, claim=claim, name="withdraw")
    except (ValidationError, PermissionDenied) as error:
        claim.refresh_from_db()
        return render(request, "claims/portal/claim_detail.html",
                      _claim_context(request, claim, action_error=error_text(error)), status=refusal_status(error))
    messages.success(request, _("已放弃认领，名额已释放给其他党员。"))
    return redirect("needs:mine")


@login_required
def report(request):
    """双报到: the member gives their home address; the community is found from it (or chosen)."""
    member = _member(request)
    form = MemberReportForm(*posted(request), member=member)
    status = 200
    suggested = None
    if request.method == "POST":
        status = 400
        if member is None:
            form.add_error(None, _("只有党员可以报到，请先绑定党员档案。"))
            status = 403
        elif form.is_valid():
            address = form.cleaned_data["home_address"]
            community = form.cleaned_data["community"] or selectors.community_for_address(address)
            if community is None:
                form.add_error("community", _("未能从地址找到社区，请选择报到社区。"))
            else:
                try:
                    services.member_report(actor=request.user, community=community, home_address=address)
                except ValidationError as error:
                    add_service_errors(form, error)
                except PermissionDenied as error:
                    form.add_error(None, error_text(error))
                    status = 403
                else:
                    messages.success(request, _("已向%(community)s报到。") % {
                        "community": community.short_name or community.name})
                    return redirect("needs:mine")
    elif request.GET.get("address"):
        suggested = selectors.community_for_address(request.GET["address"][:255])
        form = MemberReportForm(initial={"home_address": request.GET["address"][:255],
                                         "community": getattr(suggested, "pk", None)}, member=member)
    current = DualReport.objects.filter(member=member, ended_on__isnull=True).select_related("org").first() \
        if member is not None else None
    return render(request, "claims/portal/report.html",
                  {"form": form, "member": member, "current": current, "suggested": suggested}, status=status)


@login_required
@require_POST
def pledge_add(request):
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_add(actor=request.user, title=form.cleaned_data["title"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("已登记承诺事项。"))
    else:
        messages.error(request, "；".join(form.errors.get("title", [])))
    return redirect("needs:mine")

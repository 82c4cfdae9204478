"""考评: periods with their ranking, stars and red flag; assessor scores; automatic scores; weak-and-lax orgs."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission

from .. import selectors, services
from ..access import get_period_for_user
from ..forms import WeakLaxForm
from ..models import Score
from ..workflow import ItemMethod
from .common import assessment_page, error_text


@assessment_page
def period_list(request):
    return render(request, "assessment/period_list.html", {
        "periods": selectors.periods_visible_to(request.user)[:200]})


@assessment_page
def period_detail(request, pk):
    user = request.user
    period = get_period_for_user(user, pk)
    rows = services.ranking(period)
    items = list(period.scheme.items.all())
    scores = {(score.org_id, score.item_id): score for score in Score.objects.filter(period=period)}
    for row in rows:
        row["cells"] = [scores.get((row["org"].pk, item.pk)) for item in items]
    flag = selectors.red_flag_of(period)
    return render(request, "assessment/period_detail.html", {
        "period": period, "rows": rows, "items": items, "manual_items": [i for i in items if i.method == ItemMethod.ASSESSOR],
        "flag": flag, "can_manage": can(user, Permission.ASSESSMENT_MANAGE, path=period.org_path),
        "rotation": selectors.red_flags_of(user, group=period.org)[:12], "stars": period.scheme.stars.all()})


def _back(request, period, action):
    try:
        note = action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, note)
    return redirect("assessment:period_detail", period.pk)


@require_POST
@assessment_page
def period_score(request, pk):
    period = get_period_for_user(request.user, pk)

    def record():
        item = get_object_or_404(period.scheme.items, pk=request.POST.get("item") or 0)
        org = get_object_or_404(services.competitors(period), pk=request.POST.get("org") or 0)
        try:
            value = Decimal(request.POST.get("score", ""))
        except InvalidOperation:
            raise ValidationError({"score": _("得分应为数字。")}) from None
        services.score_record(actor=request.user, period=period, item=item, org=org, score=value,
                              evidence=request.POST.get("evidence", ""))
        return _("已评分：%(org)s · %(item)s %(score)s分。") % {"org": org.name, "item": item.name, "score": value}

    return _back(request, period, record)


@require_POST
@assessment_page
def period_compute(request, pk):
    period = get_period_for_user(request.user, pk)

    def compute():
        count = services.scores_compute(actor=request.user, period=period)
        return _("已按数据自动计分%(count)s项。") % {"count": count}

    return _back(request, period, compute)


@require_POST
@assessment_page
def period_award(request, pk):
    period = get_period_for_user(request.user, pk)

    def award():
        flag = services.red_flag_award(actor=request.user, period=period)
        return _("流动红旗授予%(name)s。") % {"name": flag.org.name}

    return _back(request, period, award)


@assessment_page
def weak_lax_list(request):
    user = request.user
    orgs = selectors.assessment_orgs_visible_to(user, permission=Permission.ASSESSMENT_MANAGE).filter(
        is_active=True, level__in=["branch", "community"]).order_by("path")
    form = WeakLaxForm(request.POST or None, orgs=orgs)
    if request.method == "POST":
        if not request.assessment_can_manage:
            raise PermissionDenied(_("无权认定软弱涣散党组织。"))
        if form.is_valid():
            try:
                flag = services.weak_lax_flag(actor=user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("已认定%(name)s为软弱涣散党组织，整顿方案已列入整改台账。") % {"name": flag.org.name})
                return redirect("assessment:weak_lax")
    return render(request, "assessment/weak_lax.html", {"flags": selectors.weak_lax_visible_to(user)[:200],
                                                        "form": form})


@require_POST
@assessment_page
def weak_lax_lift(request, pk):
    """摘帽: lift the flag once its rectification problem is closed in the ledger."""
    from ..access import get_weak_lax_for_user

    flag = get_weak_lax_for_user(request.user, pk)
    try:
        services.weak_lax_lift(actor=request.user, flag=flag)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(name)s已摘帽。") % {"name": flag.org.name})
    return redirect("assessment:weak_lax")

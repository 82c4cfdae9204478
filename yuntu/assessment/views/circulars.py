"""通报: generate a draft from alerts and scores, edit, publish to the subtree, export as Word."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock

from .. import services
from ..access import circulars_visible_to, get_circular_for_user
from ..exports import circular_docx
from ..forms import CircularForm, CircularGenerateForm
from ..workflow import CircularStatus
from .common import assessment_page, chosen_org, error_text


@assessment_page
def circular_list(request):
    user = request.user
    today = clock.today()
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    form = CircularGenerateForm(request.POST or None,
                                initial={"start": last_month_end.replace(day=1), "end": last_month_end})
    org = chosen_org(user, request.POST.get("org") or request.GET.get("org"))
    if request.method == "POST":
        if form.is_valid():
            try:
                circular = services.circular_generate(actor=user, org=org, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("已根据预警和考评结果生成通报草稿，请修改后发布。"))
                return redirect("assessment:circular_detail", circular.pk)
    circulars = circulars_visible_to(user).select_related("org")[:200]
    return render(request, "assessment/circular_list.html", {
        "circulars": circulars, "form": form, "org": org,
        "can_generate": can(user, Permission.ASSESSMENT_MANAGE, path=org.path)})


@assessment_page
def circular_detail(request, pk):
    user = request.user
    circular = get_circular_for_user(user, pk)
    editable = circular.status == CircularStatus.DRAFT and can(user, Permission.ASSESSMENT_MANAGE, circular)
    form = CircularForm(request.POST or None, initial={
        "title": circular.title, "lapses": circular.lapses, "commendations": circular.commendations,
        "closing": circular.closing})
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("无权修改该通报。"))
        if form.is_valid():
            try:
                services.circular_update(actor=user, circular=circular, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("通报已保存。"))
                return redirect("assessment:circular_detail", circular.pk)
    return render(request, "assessment/circular_detail.html", {"circular": circular, "form": form,
                                                               "editable": editable})


@require_POST
@assessment_page
def circular_publish(request, pk):
    circular = get_circular_for_user(request.user, pk)
    try:
        services.circular_publish(actor=request.user, circular=circular)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("通报已发布，本组织及下级组织均可查看。"))
    return redirect("assessment:circular_detail", circular.pk)


@assessment_page
def circular_export(request, pk):
    circular = get_circular_for_user(request.user, pk)
    response = HttpResponse(circular_docx(circular),
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename=circular-{circular.pk}.docx"
    return response

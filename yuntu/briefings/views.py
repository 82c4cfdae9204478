"""Briefing pages: templates, generate → edit → issue, the issue with every figure linked to its records,
Word / PDF / Excel exports, and submitted reports read for their figures."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core.pages import module_page
from yuntu.indicators import registry
from yuntu.indicators.figures import record_rows

from . import access, documents, selectors, services
from .forms import BriefingForm, ConfirmForm, GenerateForm, ReportForm, TemplateForm
from .reading import ReadingError
from .sources import scope_of
from .workflow import BriefingStatus

PAGE_SIZE = 50
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


briefing_page = module_page(needs=Permission.BRIEFING_EDIT, refused=gettext_lazy("无权编写或查看简报。"))


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, items in error.message_dict.items():
            form.add_error(field if field in form.fields else None, items)
    else:
        form.add_error(None, error.messages)


def _generate_form(user, data=None):
    return GenerateForm(data, templates=selectors.templates_for(user), series=selectors.series_for(user),
                        orgs=selectors.orgs_for_briefings(user))


@briefing_page
def briefing_list(request):
    user = request.user
    return render(request, "briefings/list.html", {
        "briefings": selectors.briefing_list(user)[:200], "templates": selectors.templates_for(user)[:100],
        "series": selectors.series_for(user)[:50], "generate_form": _generate_form(user),
    })


@briefing_page
@require_POST
def briefing_generate(request):
    form = _generate_form(request.user, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            briefing = services.briefing_generate(actor=request.user, series=data["series"], org=data["org"],
                                                  template=data["template"], start=data["start"], end=data["end"])
        except ValidationError as error:
            _errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已生成简报草稿，可修改后签发。"))
            return redirect("briefings:detail", pk=briefing.pk)
    user = request.user
    return render(request, "briefings/list.html", {
        "briefings": selectors.briefing_list(user)[:200], "templates": selectors.templates_for(user)[:100],
        "series": selectors.series_for(user)[:50], "generate_form": form,
    }, status=400)


@briefing_page
def template_edit(request, pk=None):
    user = request.user
    template = access.get_template_for_user(user, pk) if pk else None
    orgs = selectors.orgs_for_briefings(user)
    initial = {"name": template.name, "kind": template.kind, "title": template.title, "body": template.body,
               "org": template.org_id} if template else {}
    form = TemplateForm(request.POST or None, initial=initial, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            template = services.template_save(actor=user, org=data["org"], name=data["name"], title=data["title"],
                                              body=data["body"], kind=data["kind"], template=template)
        except ValidationError as error:
            _errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("briefings:list")
    return render(request, "briefings/template_form.html", {"form": form, "template": template,
                                                            "indicators": selectors.indicator_choices()},
                  status=400 if request.method == "POST" else 200)


def _figure_links(issue, briefing, source) -> None:
    """Each figure segment gets the link to its records: the frozen snapshot once issued, else the dashboard."""
    for block in issue.blocks:
        segments = list(block.segments) + [segment for row in block.rows for segment in row]
        for segment in segments:
            if not segment.code:
                continue
            if briefing.status == BriefingStatus.PUBLISHED:
                org = briefing.org if segment.org_id == briefing.org_id else next(
                    (child for child in source.children() if child.pk == segment.org_id), briefing.org)
                row = source.figure(segment.code, org)
                segment.url = reverse("briefings:figure_records", args=[briefing.pk, row.pk]) if row else ""
            else:
                query = {"indicator": segment.code, "org": segment.org_id}
                query.update({key: value.isoformat() for key, value in (("start", briefing.start), ("end", briefing.end))
                              if value})
                segment.url = reverse("dashboard:records") + "?" + urlencode(query)


@briefing_page
def briefing_detail(request, pk):
    user = request.user
    briefing = access.get_briefing_for_user(user, pk)
    source = documents.source_for(briefing)
    issue = documents.issue_of(briefing, source)
    _figure_links(issue, briefing, source)
    return render(request, "briefings/detail.html", {
        "briefing": briefing, "issue": issue, "figures": selectors.figure_rows(briefing, source),
        "can_publish": briefing.status == BriefingStatus.DRAFT and can(user, Permission.BRIEFING_PUBLISH, briefing),
        "can_edit": briefing.status == BriefingStatus.DRAFT and can(user, Permission.BRIEFING_EDIT, briefing),
    })


@briefing_page
def briefing_edit(request, pk):
    user = request.user
    briefing = access.get_briefing_for_user(user, pk)
    form = BriefingForm(request.POST or None, initial={"title": briefing.title, "body": briefing.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_update(actor=user, briefing=briefing, title=form.cleaned_data["title"],
                                     body=form.cleaned_data["body"])
        except ValidationError as error:
            _errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("简报已保存。"))
            return redirect("briefings:detail", pk=briefing.pk)
    return render(request, "briefings/briefing_form.html", {"form": form, "briefing": briefing,
                                                            "indicators": selectors.indicator_choices()},
                  status=400 if request.method == "POST" else 200)


@briefing_page
@require_POST
def briefing_publish(request, pk):
    user = request.user
    briefing = access.get_briefing_for_user(user, pk)
    try:
        briefing = services.briefing_publish(actor=user, briefing=briefing)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已签发：第%(number)s期，数据已固定。") % {"number": briefing.number})
    return redirect("briefings:detail", pk=briefing.pk)


@briefing_page
def briefing_export(request, pk, fmt):
    briefing = access.get_briefing_for_user(request.user, pk)
    source = documents.source_for(briefing)
    issue = documents.issue_of(briefing, source)
    if fmt == "docx":
        content = documents.to_docx(issue)
    elif fmt == "pdf":
        content = documents.to_pdf(issue)
    else:
        content = documents.to_xlsx(issue, selectors.figure_rows(briefing, source))
    name = f"{briefing.series.name}{issue.number}.{fmt}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@briefing_page
def figure_records(request, pk, figure_pk):
    """A frozen figure's records: the ids kept when the briefing was issued, as the policy lets this user see them."""
    user = request.user
    briefing = access.get_briefing_for_user(user, pk)
    figure = access.get_briefing_figure_for_user(user, briefing, figure_pk)
    records = selectors.figure_records(user, figure)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    try:
        indicator = registry.get(figure.code)
        rows = record_rows(indicator, page.object_list)
        now = registry.value(figure.code, scope_of(figure.org, figure.start, figure.end))  # the same query, today
    except registry.UnknownIndicator:
        rows, now = [{"record": record, "org": getattr(record, "org", None), "date": None, "url": ""} for record in page], None
    return render(request, "briefings/figure_records.html", {"briefing": briefing, "figure": figure, "page": page,
                                                             "rows": rows, "now": now})


@briefing_page
def report_list(request):
    user = request.user
    form = ReportForm(request.POST or None, request.FILES or None, orgs=selectors.orgs_for_briefings(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_submit(actor=user, org=data["org"], file_name=data["file"].name,
                                            data=data["file"].read(), title=data["title"], start=data["start"],
                                            end=data["end"])
        except (ReadingError, ValidationError) as error:
            _errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已读取 %(count)s 个数据，请逐一确认。") % {"count": report.figures.count()})
            return redirect("briefings:report_detail", pk=report.pk)
    return render(request, "briefings/report_list.html", {"form": form, "reports": selectors.report_list(user)[:200]},
                  status=400 if request.method == "POST" else 200)


@briefing_page
def report_detail(request, pk):
    user = request.user
    report = access.get_report_for_user(user, pk)
    choices = selectors.indicator_choices()
    figures = [{"figure": figure, "form": ConfirmForm(prefix=f"f{figure.pk}", choices=choices,
                                                      initial={"indicator_code": figure.indicator_code})}
               for figure in report.figures.all()]
    return render(request, "briefings/report_detail.html", {
        "report": report, "figures": figures, "comparisons": selectors.report_comparisons(user, report)})


@briefing_page
@require_POST
def report_figure_confirm(request, pk, figure_pk):
    user = request.user
    report = access.get_report_for_user(user, pk)
    figure = access.get_report_figure_for_user(user, report, figure_pk)
    form = ConfirmForm(request.POST, prefix=f"f{figure.pk}", choices=selectors.indicator_choices())
    if form.is_valid():
        try:
            services.report_figure_confirm(actor=user, figure=figure, indicator_code=form.cleaned_data["indicator_code"],
                                           accept=form.cleaned_data["accept"])
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已确认。"))
    else:
        messages.error(request, _("请选择已登记的指标。"))
    return redirect("briefings:report_detail", pk=report.pk)

"""Excel pages: template downloads, the import upload and its progress, list exports.

Views only check the request and hand over: the rules live in `imports` and `exports`.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from yuntu.accounts.policy import has_permission_anywhere
from yuntu.accounts.roles import Permission

from . import exports, imports
from .access import get_import_job_for_user
from .models import ImportJob

RUNNING = (ImportJob.Status.PENDING, ImportJob.Status.RUNNING)


def _require_anywhere(user, permission: str, message: str) -> None:
    if not has_permission_anywhere(user, permission):
        raise PermissionDenied(message)


def _xlsx_response(handle, filename: str, fallback: str) -> FileResponse:
    response = FileResponse(handle, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.content_disposition(filename, fallback)
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- templates


def _template(request, kind: str) -> FileResponse:
    _require_anywhere(request.user, Permission.IMPORT_RUN, "无权导入数据。")
    filename, fallback = exports.template_filename(kind)
    return _xlsx_response(exports.import_template(request.user, kind), filename, fallback)


@require_GET
@login_required
def template_members(request):
    return _template(request, ImportJob.Kind.MEMBERS)


@require_GET
@login_required
def template_orgs(request):
    return _template(request, ImportJob.Kind.ORGS)


# ---------------------------------------------------------------- import


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=ImportJob.Kind.choices, initial=ImportJob.Kind.MEMBERS,
                             widget=forms.RadioSelect)
    file = forms.FileField(label="Excel 文件（.xlsx）", error_messages={"required": "请选择要上传的 Excel 文件。"},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + exports.XLSX_CONTENT_TYPE}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(f"文件大小为{upload.size / 1024 / 1024:.1f} MB，超过上限"
                                  f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.0f} MB；请分成几个文件导入。")
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先在 Excel 中另存为 .xlsx）。")
        try:
            imports.check_xlsx(upload)
        except imports.ImportRejected as rejected:
            raise ValidationError(rejected.message) from rejected
        return upload


@require_http_methods(["GET", "POST"])
@login_required
def import_start(request):
    _require_anywhere(request.user, Permission.IMPORT_RUN, "无权导入数据。")
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_job_start(actor=request.user, kind=form.cleaned_data["kind"],
                                           upload=form.cleaned_data["file"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("excel:import_job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "orgs/excel/import.html", {
        "form": form,
        "jobs": imports.import_jobs_of(request.user)[:10],
        "max_megabytes": settings.IMPORT_MAX_BYTES // (1024 * 1024),
        "can_export_members": has_permission_anywhere(request.user, Permission.MEMBER_VIEW),
        "can_export_orgs": has_permission_anywhere(request.user, Permission.ORG_VIEW),
    }, status=status)


@require_GET
@login_required
def import_job(request, pk: int):
    job = get_import_job_for_user(request.user, pk)
    return render(request, "orgs/excel/job.html", {"job": job, "running": job.status in RUNNING})


@require_GET
@login_required
def import_progress(request, pk: int):
    job = get_import_job_for_user(request.user, pk)
    response = render(request, "orgs/excel/_progress.html", {"job": job, "running": job.status in RUNNING})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- export


@require_GET
@login_required
def export_members(request):
    _require_anywhere(request.user, Permission.MEMBER_VIEW, "无权导出党员名单。")
    filters = exports.member_filters(request.user, request.GET)
    handle, filename, fallback = exports.export_members(actor=request.user, **filters)
    return _xlsx_response(handle, filename, fallback)


@require_GET
@login_required
def export_orgs(request):
    _require_anywhere(request.user, Permission.ORG_VIEW, "无权导出党组织。")
    org = exports.org_filter(request.user, request.GET)
    handle, filename, fallback = exports.export_orgs(actor=request.user, org=org)
    return _xlsx_response(handle, filename, fallback)

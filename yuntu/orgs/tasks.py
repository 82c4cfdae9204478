"""Background work of the orgs app, through the one task interface (django-tasks)."""

import logging

from django.core.exceptions import PermissionDenied
from django_tasks import TaskContext, task

from yuntu.core import clock

from . import imports
from .models import ImportJob

logger = logging.getLogger(__name__)


def _finish(job_id: int, *, status: str, errors: list[dict], created: int = 0, total: int | None = None) -> None:
    changes = {"status": status, "errors": errors, "created_count": created, "finished_at": clock.now(),
               "updated_at": clock.now()}
    if total is not None:
        changes.update(total_rows=total, processed_rows=total)
    ImportJob.objects.filter(pk=job_id).update(**changes)


def _forget_file(job_id: int) -> None:
    """The uploaded workbook holds ID numbers in clear: it is not kept once read."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.file:
        try:
            job.file.delete(save=False)
        except OSError:
            logger.warning("import job %s: could not delete the uploaded file", job_id)
        ImportJob.objects.filter(pk=job_id).update(file="")


@task(takes_context=True)
def run_import(context: TaskContext, job_id: int) -> str:
    """Check and write one uploaded workbook; progress and the outcome are kept on the job row for the page.

    A retry (the worker died mid-run and the task was re-queued, yuntu/operations/recovery.py) takes
    the job back from RUNNING: the cut-off run wrote nothing, since the import is one transaction.
    """
    claimable = [ImportJob.Status.PENDING] + ([ImportJob.Status.RUNNING] if context.attempt > 1 else [])
    claimed = ImportJob.objects.filter(pk=job_id, status__in=claimable).update(
        status=ImportJob.Status.RUNNING, processed_rows=0, updated_at=clock.now()
    )
    if not claimed:  # already taken by another worker, or gone
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(processed: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, total_rows=total)

    try:
        with job.file.open("rb") as handle:
            result = imports.import_file(kind=job.kind, actor=job.created_by, file=handle, file_name=job.file_name,
                                         progress=progress)
    except imports.ImportRejected as rejected:
        _finish(job_id, status=ImportJob.Status.FAILED, errors=[{"row": None, "column": "", "message": rejected.message}])
    except PermissionDenied as denied:
        _finish(job_id, status=ImportJob.Status.FAILED,
                errors=[{"row": None, "column": "", "message": str(denied) or "无权导入数据。"}])
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job_id, status=ImportJob.Status.FAILED, errors=[
            {"row": None, "column": "", "message": "导入时发生系统错误，未写入任何数据。请稍后重试，或联系系统管理员。"}
        ])
    else:
        status = ImportJob.Status.SUCCEEDED if result.ok else ImportJob.Status.FAILED
        _finish(job_id, status=status, errors=result.errors, created=result.created_count, total=result.total_rows)
    finally:
        _forget_file(job_id)
    return ImportJob.objects.values_list("status", flat=True).get(pk=job_id)

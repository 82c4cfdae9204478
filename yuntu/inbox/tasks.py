"""The daily digest as a task (django-tasks); a timer enqueues it through `manage.py inbox_digest --enqueue`."""

from django_tasks import task

from . import services


@task()
def inbox_digest() -> dict:
    return services.send_digests().as_dict()

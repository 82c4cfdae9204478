"""Background work of the figures, through the one task interface (django-tasks)."""

from django_tasks import task

from . import tallies


@task()
def tallies_refresh() -> dict:
    """Catch up the tallies of the orgs whose records changed; rebuild a table whose changes are many.

    Reads catch up a few changed orgs themselves; this job keeps them from having to, and takes the
    bulk changes (imports, the compliance scan) that a read leaves to it.
    """
    return tallies.refresh_all()

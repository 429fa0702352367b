"""The copy of a resident's data is built by the worker, as evidence bundles are: the request to
build it commits, then the task is queued with the export's id."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> str:
    # Imported here: the builder renders letters with WeasyPrint, and only the worker builds.
    from putright.privacy.export import build

    return build(export_id)


def build_soon(export_id: int) -> None:
    """Queue the export for the worker (called once the request to build it has committed)."""
    try:
        build_export.enqueue(export_id)
    except Exception:  # said on the request's page, where building it again is one click
        log.exception("Could not queue subject access export %s for building", export_id)
        from putright.privacy.models import SubjectAccessExport

        SubjectAccessExport.objects.filter(pk=export_id, state=SubjectAccessExport.State.QUEUED).update(
            state=SubjectAccessExport.State.FAILED, error="It could not be queued for building: build it again."
        )

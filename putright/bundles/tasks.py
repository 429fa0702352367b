"""The evidence bundle is built by the worker (putright.correspondence.tasks has the machinery):
the request to build it commits, then the task is queued with the bundle's id."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def build_bundle(bundle_id: int) -> str:
    # Imported here: the builder loads WeasyPrint, and only the worker builds.
    from putright.bundles import build as bundle

    return bundle.build(bundle_id)


def build_soon(bundle_id: int) -> None:
    """Queue the bundle for the worker (called once the request to build it has committed)."""
    try:
        build_bundle.enqueue(bundle_id)
    except Exception:  # say so on the case page, where building it again is one click
        log.exception("Could not queue evidence bundle %s for building", bundle_id)
        from putright.ombudsman.models import EvidenceBundle

        EvidenceBundle.objects.filter(pk=bundle_id, state=EvidenceBundle.State.QUEUED).update(
            state=EvidenceBundle.State.FAILED, error="It could not be queued for building: build it again."
        )

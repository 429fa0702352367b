"""Asking for the evidence bundle to be built: the one write path, for the workspace, the API and
tests alike. The worker then builds it (`putright.bundles.tasks`) and keeps it (`build.keep`)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.bundles import build, tasks
from putright.complaints import access as complaint_access
from putright.complaints.errors import TransitionNotAllowed
from putright.ombudsman import access
from putright.ombudsman.models import EvidenceBundle, OmbudsmanCase

# The benchmark's bundle builds in about 4 s: one still in progress after this is not being built.
GIVEN_UP_AFTER = timedelta(minutes=15)


@transaction.atomic
def request_bundle(case: OmbudsmanCase, actor: User) -> EvidenceBundle:
    """Ask the worker to build the next version of the evidence bundle: the complaint's whole
    record for the Ombudsman (5.12). Complaints officers and managers ask for it. Refused while one
    is being built, and when nothing has happened since the last was built (it would be a copy)."""
    access.require_work(complaint_access.require_staff(actor, case.landlord_id), case.landlord_id)
    # The case row is the lock: two people pressing the button at once make one version.
    case = OmbudsmanCase.objects.select_for_update().select_related("complaint").get(pk=case.pk)
    latest = EvidenceBundle.objects.filter(case=case).order_by("-version").first()
    if latest is not None and latest.in_progress and latest.requested_at < clock.now() - GIVEN_UP_AFTER:
        # A worker stopped mid-build (or its task was lost) leaves it in progress for ever: give it up.
        latest.state, latest.error = EvidenceBundle.State.FAILED, "The build did not finish."
        latest.save(update_fields=["state", "error"])
    if latest is not None and latest.in_progress:
        raise TransitionNotAllowed(
            f"Version {latest.version} of the evidence bundle is being built: wait for it to finish."
        )
    made_from = build.fingerprint(case.complaint)
    last_ready = EvidenceBundle.objects.filter(case=case, state=EvidenceBundle.State.READY).order_by("-version").first()
    if last_ready is not None and last_ready.fingerprint == made_from:
        raise TransitionNotAllowed(
            f"Nothing has happened on {case.complaint.reference} since version {last_ready.version} of the evidence "
            "bundle was built, so a new version would be a copy: download that one."
        )
    if latest is not None and latest.state == EvidenceBundle.State.FAILED:
        bundle = latest  # a version that failed is built again, rather than leaving a gap in the numbers
    else:
        bundle = EvidenceBundle(case=case, version=(latest.version + 1) if latest else 1)
    bundle.requested_by, bundle.requested_at = actor, clock.now()
    bundle.state, bundle.files_done, bundle.error = EvidenceBundle.State.QUEUED, 0, ""
    bundle.files_total, bundle.fingerprint = build.count_files(case.complaint), made_from
    bundle.save()
    transaction.on_commit(lambda: tasks.build_soon(bundle.pk))
    return bundle

"""Reports built in the background: every PDF report and any export too large to stream at once.

A PDF takes WeasyPrint a second or more, and a large export longer still, so neither is made while the
browser waits: asking for one (a button, a POST: never a GET) makes a `ReportJob`, the worker builds it
(`build_report`) and counts its steps done as it goes, and the job's page shows "n of m" until the file is
ready to download. A job
belongs to the landlord and to the person who asked for it; nobody else sees it.

Asking twice for the same report while it is being built (a double click, a reloaded page, two tabs)
gives the same job: a partial unique constraint holds one running job per person, report and choice.
Asking again within 10 minutes of a build, while nothing the measures count has changed since (the
landlord's insight generation has not moved), gives the built job too. Built files are deleted 7 days
after they were built (the worker's sweep, and every request): the job stays, marked expired, and its
page offers to build the report again.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from datetime import timedelta
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import FileField, QuerySet
from django_tasks import task

from putright import clock
from putright.complaints import insight_generation
from putright.insight.models import ReportJob as ReportJob  # the model, beside the jobs that build its files

log = logging.getLogger(__name__)

# Exports of more rows than this are built by the worker; smaller ones stream straight to the browser.
BACKGROUND_ROWS = 20_000
# A job still waiting or building after this is not being built (its worker stopped, or its task was lost).
GIVEN_UP_AFTER = timedelta(minutes=15)
PDF_STEPS = 3  # reading the records, writing the PDF, keeping the file
# A report built this recently, from records unchanged since, is given again rather than built again.
REUSED_WITHIN = timedelta(minutes=10)
# Built files are deleted this long after they were built.
FILES_KEPT = timedelta(days=7)


# -- asking for a report ----------------------------------------------------------------------------


def request_report(
    actor: AbstractBaseUser | AnonymousUser | None,
    kind: ReportJob.Kind,
    parameters: dict[str, Any],
    *,
    title: str,
    file_name: str,
    steps: int = PDF_STEPS,
) -> ReportJob:
    """Ask the worker to build a report for the actor's landlord: the job already building it for the
    same person and the same choices if there is one, else a new job, queued once this commits.

    Only those who may read insight may ask (a 403 with a sentence otherwise)."""
    from putright.insight import access

    staff = access.require_reader(actor)
    key = _key(parameters)
    same = _same(staff.landlord_id, staff.user_id, kind, key)
    with transaction.atomic():
        # A job given up (its worker stopped mid-build) is failed, so that asking again starts afresh.
        same.filter(state__in=ReportJob.RUNNING, requested_at__lt=clock.now() - GIVEN_UP_AFTER).update(
            state=ReportJob.State.FAILED, error="It did not finish: ask for the report again."
        )
        running = same.filter(state__in=ReportJob.RUNNING).first()
        if running is not None:
            return running
        recent = _recent(same, staff.landlord_id)
        if recent is not None:
            return recent
        job = ReportJob(
            landlord_id=staff.landlord_id,
            requested_by_id=staff.user_id,
            requested_at=clock.now(),
            kind=kind,
            parameters=key,
            title=title[:200],
            file_name=file_name[:200],
            steps_total=steps,
        )
        try:
            with transaction.atomic():
                job.save()
        except IntegrityError:
            # A colleague's tab (or a double click) made the same job a moment ago: that one is the answer.
            return same.get(state__in=ReportJob.RUNNING)
        transaction.on_commit(lambda: build_soon(job.pk))
    expire_old_files()
    return job


def find_report(
    actor: AbstractBaseUser | AnonymousUser | None, kind: ReportJob.Kind, parameters: dict[str, Any]
) -> ReportJob | None:
    """The job `request_report` would give without making one: the one being built for the same person and
    choices (unless given up), else the one built within the reuse window from unchanged records. Changes
    nothing, so that a GET (a prefetch, a crawler, the Back button) may call it."""
    from putright.insight import access

    staff = access.require_reader(actor)
    same = _same(staff.landlord_id, staff.user_id, kind, _key(parameters))
    running = same.filter(state__in=ReportJob.RUNNING, requested_at__gte=clock.now() - GIVEN_UP_AFTER).first()
    return running if running is not None else _recent(same, staff.landlord_id)


def _key(parameters: dict[str, Any]) -> str:
    return json.dumps(parameters, sort_keys=True, default=str)


def _same(landlord_id: int, user_id: int, kind: ReportJob.Kind, key: str) -> QuerySet[ReportJob]:
    return ReportJob.objects.filter(landlord_id=landlord_id, requested_by_id=user_id, kind=kind, parameters=key)


def _recent(same: QuerySet[ReportJob], landlord_id: int) -> ReportJob | None:
    """The latest of `same` built within the reuse window, if nothing the measures count has changed since."""
    return (
        same.filter(
            state=ReportJob.State.READY,
            built_at__gte=clock.now() - REUSED_WITHIN,
            generation=insight_generation.current(landlord_id),
        )
        .order_by("-built_at", "-id")
        .first()
    )


def expire_old_files(limit: int = 200) -> int:
    """Delete the files built more than 7 days ago (up to `limit` at a time); each job stays, expired.
    Safe to run twice or on two workers at once: a job is expired by whoever claims it first."""
    old = ReportJob.objects.filter(state=ReportJob.State.READY, built_at__lt=clock.now() - FILES_KEPT)
    field = ReportJob._meta.get_field("file")
    assert isinstance(field, FileField)
    storage = field.storage
    expired = 0
    for pk, name in old.order_by("built_at", "id").values_list("pk", "file")[:limit]:
        if not ReportJob.objects.filter(pk=pk, state=ReportJob.State.READY).update(
            state=ReportJob.State.EXPIRED, file="", size=0
        ):
            continue
        expired += 1
        try:
            storage.delete(name)
        except OSError:  # gone already, or the storage refused: the job no longer offers it either way
            log.warning("Could not delete the file of expired report job %s", pk, exc_info=True)
    return expired


def build_again(actor: AbstractBaseUser | AnonymousUser | None, job: ReportJob) -> ReportJob:
    """Ask for the same report as `job` (one whose file has expired, or failed) afresh."""
    return request_report(
        actor, ReportJob.Kind(job.kind), job.chosen, title=job.title, file_name=job.file_name, steps=job.steps_total
    )


def build_soon(job_id: int) -> None:
    """Queue the job for the worker (once the request for it has committed)."""
    try:
        build_report.enqueue(job_id)
    except Exception:  # the page says so, and asking again is one click
        log.exception("Could not queue report job %s", job_id)
        ReportJob.objects.filter(pk=job_id, state=ReportJob.State.QUEUED).update(
            state=ReportJob.State.FAILED, error="It could not be queued: ask for the report again."
        )


@task()
def build_report(job_id: int) -> str:
    return build(job_id)


# -- building it (the worker) -----------------------------------------------------------------------

Progress = Callable[[int], None]


def _annual_pdf(job: ReportJob, out: IO[bytes], progress: Progress) -> None:
    from putright.documents.pdf import render_pdf
    from putright.insight import reports

    view = reports.annual_report(job.landlord, int(job.chosen["year"]))
    progress(1)
    out.write(render_pdf("insight/annual/pdf.html", {"report": view}, attachments=view.attachments))


def _governance_pdf(job: ReportJob, out: IO[bytes], progress: Progress) -> None:
    from putright.documents.pdf import render_pdf
    from putright.insight import reports

    chosen = job.chosen
    view = reports.governance_report(job.landlord, int(chosen["year"]), int(chosen["quarter"]))
    progress(1)
    out.write(render_pdf("insight/governance/pdf.html", {"report": view}))


def _assessment_pdf(job: ReportJob, out: IO[bytes], progress: Progress) -> None:
    from putright.documents.pdf import render_pdf
    from putright.insight import exports, reports
    from putright.insight.code_wording import wording_for
    from putright.insight.models import SelfAssessment
    from putright.insight.periods import year_label

    assessment = (
        SelfAssessment.objects.select_related("drafted_by", "submitted_by", "approved_by", "landlord")
        .prefetch_related("entries")
        .get(pk=job.chosen["assessment"], landlord=job.landlord)
    )
    wording = wording_for(assessment.landlord)
    context = {
        "view": reports.assessment_view(assessment),
        "label": year_label(assessment.year_starting),
        "generated_on": clock.today(),
        "wording": wording,
        "header": exports.assessment_header(assessment, wording)[1:],
    }
    progress(1)
    out.write(render_pdf("insight/assessment/pdf.html", context))


def _complaints(job: ReportJob, out: IO[bytes], progress: Progress) -> None:
    from putright.insight import exports

    chosen = exports.ComplaintFilter.from_parameters(job.chosen)
    if job.kind == ReportJob.Kind.COMPLAINTS_CSV:
        exports.write_complaints_csv(job.landlord, chosen, out, progress)
    else:
        exports.write_complaints_xlsx(job.landlord, chosen, out, progress)


_BUILDERS: dict[str, Callable[[ReportJob, IO[bytes], Progress], None]] = {
    ReportJob.Kind.ANNUAL_PDF: _annual_pdf,
    ReportJob.Kind.GOVERNANCE_PDF: _governance_pdf,
    ReportJob.Kind.ASSESSMENT_PDF: _assessment_pdf,
    ReportJob.Kind.COMPLAINTS_CSV: _complaints,
    ReportJob.Kind.COMPLAINTS_XLSX: _complaints,
}


def build(job_id: int) -> str:
    """Build the job's file and keep it: "ready", or "failed" with the reason on the job. Running it
    twice does no harm: a job already built is left as it is."""
    job = ReportJob.objects.select_related("landlord").filter(pk=job_id).first()
    if job is None:
        return "gone"
    if job.state == ReportJob.State.READY:
        return "already built"
    rows = ReportJob.objects.filter(pk=job.pk)
    # Read before the records are: a change made while building moves it on, and the file is not reused.
    generation = insight_generation.current(job.landlord_id)
    rows.update(state=ReportJob.State.BUILDING, steps_done=0, error="", generation=generation)
    total = job.steps_total

    def progress(done: int) -> None:
        # An export can find more rows than were counted when it was asked for: never show "n of fewer".
        nonlocal total
        if done > total:
            total = done
            rows.update(steps_done=done, steps_total=total)
        else:
            rows.update(steps_done=done)

    try:
        with tempfile.TemporaryFile() as spool:
            _BUILDERS[job.kind](job, spool, progress)
            size = spool.tell()
            spool.seek(0)
            if job.kind.endswith("-pdf"):
                progress(PDF_STEPS - 1)
            job.file.save(job.file_name, File(spool), save=False)
    except Exception as error:
        rows.update(state=ReportJob.State.FAILED, error=str(error)[:2000] or error.__class__.__name__)
        raise
    keep(job, file=job.file.name, size=size)
    return "ready"


@transaction.atomic
def keep(job: ReportJob, *, file: str, size: int) -> ReportJob:
    """Keep the built file as the job's answer."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    job.file.name = file
    job.size = size
    job.state = ReportJob.State.READY
    job.steps_total = max(job.steps_total, job.steps_done)
    job.steps_done = job.steps_total
    job.built_at = clock.now()
    job.error = ""
    job.save()
    return job

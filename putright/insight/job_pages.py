"""/staff/insight/reports/<id>/: a report being built in the background, its progress, then its download.

A job is shown only to the person who asked for it, at their own landlord: anyone else is told there is no
such page (404), and a role that cannot read insight is told so (403), before any job is looked up.

A report is asked for with a button (a POST), never a link: a GET changes nothing, so a browser's prefetch,
a crawler or the Back button cannot start a build. `ask_or_build` answers a report's own URL: a POST starts
the job (or finds the one running, or one built a moment ago) and sends the browser to its page (303); a GET
shows the job if there is one to show, else a page with the button.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from putright.insight import access, jobs
from putright.insight.models import ReportJob
from putright.web.authorise import StaffRequest, staff_view

REFRESH_SECONDS = 2


class SeeOther(HttpResponseRedirect):
    """After a POST, the page to GET next (303), whatever the method was."""

    status_code = 303


@dataclass(frozen=True)
class Report:
    """A report the worker builds, as its page asks for it."""

    kind: ReportJob.Kind
    parameters: dict[str, Any]
    title: str
    file_name: str
    steps: int = jobs.PDF_STEPS


def job_url(job: ReportJob) -> str:
    return reverse("insight:report-job", kwargs={"pk": job.pk})


def ask_or_build(
    request: StaffRequest,
    report: Report,
    *,
    section: str,
    back: str,
    fields: Iterable[tuple[str, str]] = (),
) -> HttpResponseBase:
    """Answer a report's URL. The caller has authorised the reader and checked the choices (`fields`, the
    report's choices as the button sends them again). POST: start or reuse the job, then its page. GET: the
    job being built or built a moment ago if there is one, else a page with the button; it starts nothing."""
    if request.method == "POST":
        job = jobs.request_report(
            request.user,
            report.kind,
            report.parameters,
            title=report.title,
            file_name=report.file_name,
            steps=report.steps,
        )
        return SeeOther(job_url(job))
    found = jobs.find_report(request.user, report.kind, report.parameters)
    if found is not None:
        return redirect(job_url(found))
    staff = access.require_reader(request.user)
    context = {
        "section": section,
        "landlord": staff.landlord,
        "asked": report,
        "pdf": report.file_name.endswith(".pdf"),
        "fields": list(fields),
        "back": back,
    }
    return render(request, "insight/jobs/ask.html", context)


def _job(request: StaffRequest, pk: int) -> ReportJob:
    staff = access.require_reader(request.user)
    job = (
        ReportJob.objects.filter(pk=pk, landlord_id=staff.landlord_id, requested_by_id=staff.user_id)
        .select_related("landlord")
        .first()
    )
    if job is None:
        raise Http404("No such report")
    return job


@require_GET
@staff_view
def job_page(request: StaffRequest, pk: int) -> HttpResponse:
    """The report's progress as "n of m" with its status. While it is built, a small script
    (static/insight/job-progress.js) checks again every few seconds and updates the page in place;
    without script, the page's own link checks again."""
    job = _job(request, pk)
    context = {
        "section": "exports" if job.kind.startswith("complaints-") else "",
        "landlord": job.landlord,
        "job": job,
        "refresh": REFRESH_SECONDS if job.in_progress else None,
    }
    return render(request, "insight/jobs/page.html", context)


@require_GET
@staff_view
def job_download(request: StaffRequest, pk: int) -> HttpResponseBase:
    job = _job(request, pk)
    if job.state != ReportJob.State.READY:
        return redirect(job_url(job))
    inline = job.content_type == "application/pdf"
    response = FileResponse(
        job.file.open("rb"), as_attachment=not inline, filename=job.file_name, content_type=job.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_view
def job_again(request: StaffRequest, pk: int) -> HttpResponseBase:
    """Build again a report whose file has expired (or whose build failed): the same report, same choices."""
    job = _job(request, pk)
    if job.state not in (ReportJob.State.EXPIRED, ReportJob.State.FAILED):
        return SeeOther(job_url(job))
    return SeeOther(job_url(jobs.build_again(request.user, job)))


urlpatterns = [
    path("reports/<int:pk>/", job_page, name="report-job"),
    path("reports/<int:pk>/again", job_again, name="report-job-again"),
    path("reports/<int:pk>/download", job_download, name="report-job-download"),
]

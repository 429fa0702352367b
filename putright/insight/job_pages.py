"""/staff/insight/reports/<id>/: a report being built in the background, its progress, then its download.

A job is shown only to the person who asked for it, at their own landlord: anyone else is told there is no
such page (404), and a role that cannot read insight is told so (403), before any job is looked up.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from putright.insight import access, jobs
from putright.insight.models import ReportJob
from putright.web.authorise import StaffRequest, staff_view

REFRESH_SECONDS = 2


def job_url(job: ReportJob) -> str:
    return reverse("insight:report-job", kwargs={"pk": job.pk})


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
    """The report's progress as "n of m" with its status; the page refreshes itself (no script) until
    the report is ready or has failed."""
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
        return redirect(job_url(job))
    return redirect(job_url(jobs.build_again(request.user, job)))


urlpatterns = [
    path("reports/<int:pk>/", job_page, name="report-job"),
    path("reports/<int:pk>/again", job_again, name="report-job-again"),
    path("reports/<int:pk>/download", job_download, name="report-job-download"),
]

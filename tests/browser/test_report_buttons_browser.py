"""Reports built in the background, asked for in a real browser: each is a button that posts the page's
CSRF token, never a link; opening a report's address directly shows the button and starts nothing; the
button leads to the job's progress, then its download. axe checks each page."""

from __future__ import annotations

import re
from datetime import date
from unittest import mock

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.insight.forms import current_quarter
from putright.insight.jobs import ReportJob, build_report
from tests.browser.conftest import Visit
from tests.cast import log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOB_PAGE = re.compile(r".*/staff/insight/reports/(\d+)/$")


def test_the_officer_asks_for_reports_with_buttons_and_downloads_them_when_built(visit: Visit) -> None:
    cast = make_cast()
    today = clock.today()
    log(cast, today.replace(day=1))
    log(cast, date(today.year, today.month, 2))
    year, quarter = current_quarter(today)
    page = visit.page
    visit.sign_in("olu.officer")

    # The governance report: its button starts the build and shows its progress.
    visit.go("/staff/insight/governance/")
    page.get_by_role("button", name="Download as PDF").click()
    page.wait_for_url(JOB_PAGE)
    [job] = ReportJob.objects.all()
    assert (job.kind, job.chosen) == ("governance-pdf", {"year": year, "quarter": quarter})
    expect(page.get_by_role("heading", name=f"Governance report, {job.title.split(', ', 1)[1]}")).to_be_visible()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    visit.check("report-job-waiting")  # checked in place, never a self-refreshing page (WCAG 2.2.1)
    url = page.url
    assert build_report.call(job.pk) == "ready"
    # The page shows the finished report in place, without reloading under the reader.
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Download {job.file_name}")).to_be_visible()
    assert page.url == url
    visit.check("report-job-ready")
    link = page.get_by_role("button", name=f"Download {job.file_name}")
    pdf = page.request.get(visit.base_url + str(link.get_attribute("href")))  # shown inline: no download event
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")

    # The annual report's address opened directly (a bookmark, a prefetch): a page with the button, nothing started.
    visit.go(f"/staff/insight/annual/{year - 1}/report.pdf")
    expect(page.get_by_role("button", name="Build the PDF")).to_be_visible()
    assert ReportJob.objects.count() == 1
    visit.check("report-ask")
    page.get_by_role("button", name="Build the PDF").click()
    page.wait_for_url(JOB_PAGE)
    assert ReportJob.objects.filter(kind=ReportJob.Kind.ANNUAL_PDF, requested_by=cast.officer).count() == 1

    # A large export is a button too; a small one stays a link that downloads at once.
    visit.go("/staff/insight/exports/")
    expect(page.get_by_role("link", name="Download CSV")).to_be_visible()
    with mock.patch("putright.insight.views.BACKGROUND_ROWS", 1):
        visit.go("/staff/insight/exports/")
        expect(page.get_by_role("link", name="Download CSV")).to_have_count(0)
        visit.check("exports-large")
        page.get_by_role("button", name="Build the CSV").click()
        page.wait_for_url(JOB_PAGE)
    expect(page.get_by_text("0 of 2 complaints written")).to_be_visible()
    assert ReportJob.objects.filter(kind=ReportJob.Kind.COMPLAINTS_CSV).count() == 1
    assert ReportJob.objects.count() == 3

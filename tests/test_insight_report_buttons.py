"""Reports built in the background are asked for with a button (a POST), never by following a link: a GET of
a report's URL (a prefetch, a crawler, the Back button) starts nothing and shows the button, or the job
already being built or built a moment ago."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import time_machine
from django.contrib.auth.models import User
from django.test import Client, TestCase

from putright.insight import actions
from putright.insight.jobs import ReportJob, build_report
from putright.insight.models import SelfAssessment
from putright.landlords.models import StaffRole
from tests.cast import Cast, log, make_cast, staff

NOW = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)
ANNUAL = "/staff/insight/annual/2024/report.pdf"
GOVERNANCE = "/staff/insight/governance/report.pdf"
QUARTER = {"year": "2025", "quarter": "1"}
ASSESSMENT = "/staff/insight/self-assessment/2025/self-assessment.pdf"
EARLIER = "/staff/insight/self-assessment/2025/1/self-assessment.pdf"
EXPORT = "/staff/insight/exports/complaints.csv"
SPREADSHEET = "/staff/insight/exports/complaints.xlsx"
JOB_PAGE = re.compile(r"/staff/insight/reports/(\d+)/")


def button_to(url: str) -> str:
    return f'<form method="post" action="{url}" novalidate>'


@time_machine.travel(NOW, tick=False)
class ReportButtonTests(TestCase):
    cast: Cast
    member: User
    assessment: SelfAssessment

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("mo.member", cls.cast.landlord, StaffRole.MEMBER)
        log(cls.cast, date(2025, 4, 7))
        log(cls.cast, date(2025, 5, 12))
        cls.assessment = actions.start_self_assessment(cls.cast.landlord, cls.cast.officer, year_starting=2025)

    def setUp(self) -> None:
        self.client.force_login(self.cast.officer)
        # Two complaints are "large": every export over that goes to the worker.
        threshold = patch("putright.insight.views.BACKGROUND_ROWS", 1)
        threshold.start()
        self.addCleanup(threshold.stop)

    def test_a_get_of_each_report_url_starts_nothing_and_shows_the_button(self) -> None:
        for url, query, button in (
            (ANNUAL, {}, "Build the PDF"),
            (GOVERNANCE, QUARTER, "Build the PDF"),
            (ASSESSMENT, {}, "Build the PDF"),
            (EXPORT, {"service_area": ""}, "Build the file"),
            (SPREADSHEET, {}, "Build the file"),
        ):
            response = self.client.get(url, query)
            page = response.content.decode()
            assert response.status_code == 200, url
            assert button_to(url) in page and button in page and 'name="csrfmiddlewaretoken"' in page, url
        assert ReportJob.objects.count() == 0
        governance = self.client.get(GOVERNANCE, QUARTER).content.decode()
        assert '<input type="hidden" name="year" value="2025">' in governance
        assert '<input type="hidden" name="quarter" value="1">' in governance

    def test_a_post_starts_one_job_and_sends_the_browser_to_its_progress_page(self) -> None:
        response = self.client.post(GOVERNANCE, QUARTER)
        assert response.status_code == 303
        [job] = ReportJob.objects.all()
        assert response["Location"] == f"/staff/insight/reports/{job.pk}/"
        assert (job.kind, job.chosen, job.requested_by_id) == (
            "governance-pdf",
            {"year": 2025, "quarter": 1},
            self.cast.officer.pk,
        )
        page = self.client.get(response["Location"])
        text = page.content.decode()
        assert page.status_code == 200 and "Governance report, 2025/26 quarter 1" in text
        assert "Waiting to start" in text and "Step 0 of 3" in text
        assert 'data-job-progress="2"' in text and "insight/job-progress" in text and "/download" not in text

    def test_a_double_post_gives_one_job(self) -> None:
        for url, data in ((ANNUAL, {}), (GOVERNANCE, QUARTER), (ASSESSMENT, {}), (EXPORT, {"status": ""})):
            first = self.client.post(url, data)
            second = self.client.post(url, data)
            assert first.status_code == second.status_code == 303, url
            assert first["Location"] == second["Location"], url
        assert ReportJob.objects.count() == 4
        export = ReportJob.objects.get(kind=ReportJob.Kind.COMPLAINTS_CSV)
        assert export.steps_total == 2 and export.file_name.endswith(".csv")

    def test_a_get_shows_the_job_being_built_or_built_a_moment_ago_and_the_button_after(self) -> None:
        started = self.client.post(ANNUAL)
        job_page = started["Location"]
        assert self.client.get(ANNUAL)["Location"] == job_page  # being built: its progress
        [pk] = JOB_PAGE.fullmatch(job_page).groups()  # type: ignore[union-attr]
        assert build_report.call(int(pk)) == "ready"
        assert self.client.get(ANNUAL)["Location"] == job_page  # built a moment ago: its download
        with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
            later = self.client.get(ANNUAL)
            assert later.status_code == 200 and button_to(ANNUAL) in later.content.decode()
            assert ReportJob.objects.count() == 1
            again = self.client.post(ANNUAL)
        assert again.status_code == 303 and again["Location"] != job_page
        assert ReportJob.objects.count() == 2

    def test_a_job_given_up_is_not_shown_by_a_get_and_is_not_changed_by_it(self) -> None:
        started = self.client.post(ANNUAL)
        with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
            response = self.client.get(ANNUAL)
            assert response.status_code == 200 and button_to(ANNUAL) in response.content.decode()
            assert ReportJob.objects.get().state == ReportJob.State.QUEUED
            assert self.client.post(ANNUAL)["Location"] != started["Location"]
        assert list(ReportJob.objects.order_by("pk").values_list("state", flat=True)) == ["failed", "queued"]

    def test_the_auditor_and_the_member_may_ask_for_reports_as_readers(self) -> None:
        for person in (self.cast.auditor, self.member):
            self.client.force_login(person)
            assert self.client.get(ANNUAL).status_code == 200
            response = self.client.post(ANNUAL)
            assert response.status_code == 303
            assert self.client.get(response["Location"]).status_code == 200
            assert ReportJob.objects.filter(requested_by=person, kind=ReportJob.Kind.ANNUAL_PDF).count() == 1

    def test_roles_that_do_not_read_insight_are_refused_and_nothing_starts(self) -> None:
        for person in (self.cast.handler, self.cast.reviewer):
            self.client.force_login(person)
            for url in (ANNUAL, GOVERNANCE, ASSESSMENT, EXPORT):
                assert self.client.get(url).status_code == 403, url
                assert self.client.post(url).status_code == 403, url
        assert ReportJob.objects.count() == 0

    def test_staff_of_another_landlord_see_no_job_and_no_assessment_of_ours(self) -> None:
        page = self.client.post(ASSESSMENT)["Location"]
        self.client.force_login(self.cast.stranger)
        assert self.client.get(page).status_code == 404
        assert self.client.get(page + "download").status_code == 404
        assert self.client.post(page + "again").status_code == 404
        for url in (ASSESSMENT, EARLIER):
            assert self.client.get(url).status_code == 404, url
            assert self.client.post(url).status_code == 404, url
        assert not ReportJob.objects.filter(requested_by=self.cast.stranger).exists()

    def test_the_report_pages_offer_a_button_not_a_link(self) -> None:
        pages = {
            "/staff/insight/annual/2024/": ANNUAL,
            "/staff/insight/governance/?year=2025&quarter=1": GOVERNANCE,
            "/staff/insight/self-assessment/2025/": ASSESSMENT,
            "/staff/insight/exports/?status=": EXPORT,
        }
        for url, report in pages.items():
            page = self.client.get(url).content.decode()
            assert button_to(report) in page, url
            assert f'href="{report}' not in page, url
        assert ReportJob.objects.count() == 0

    def test_a_small_export_is_still_a_link_that_streams_and_starts_nothing(self) -> None:
        with patch("putright.insight.views.BACKGROUND_ROWS", 100):
            page = self.client.get("/staff/insight/exports/", {"status": ""}).content.decode()
            assert f'href="{EXPORT}?status=' in page and button_to(EXPORT) not in page
            response = self.client.get(EXPORT, {"status": ""})
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
        assert len(b"".join(response.streaming_content).splitlines()) == 3  # type: ignore[attr-defined]
        assert ReportJob.objects.count() == 0

    def test_a_wrong_choice_is_refused_with_the_reason_and_starts_nothing(self) -> None:
        refused = self.client.post(GOVERNANCE, {"year": "1999", "quarter": "5"})
        text = refused.content.decode()
        assert refused.status_code == 400 and "There is a problem" in text and "Select a reporting year" in text
        export = self.client.post(EXPORT, {"start_0": "31", "start_1": "2", "start_2": "2025"})
        assert export.status_code == 400 and "There is a problem" in export.content.decode()
        assert self.client.post("/staff/insight/exports/complaints.pdf").status_code == 404
        assert self.client.post("/staff/insight/annual/1990/report.pdf").status_code == 404
        assert ReportJob.objects.count() == 0

    def test_the_button_needs_the_pages_csrf_token(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(self.cast.officer)
        assert browser.post(ANNUAL).status_code == 403
        assert ReportJob.objects.count() == 0
        page = browser.get(ANNUAL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        assert browser.post(ANNUAL, {"csrfmiddlewaretoken": token[1]}).status_code == 303
        assert ReportJob.objects.count() == 1

"""Exports streamed and built in the background, PDFs built by the worker with their progress, and who sees them."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import pytest
import time_machine
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook  # type: ignore[import-untyped]

from putright.complaints import insight_generation
from putright.core import warm
from putright.insight import exports
from putright.insight.jobs import PDF_STEPS, ReportJob, build_report
from tests.cast import log, make_cast
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year
from tests.pdf_text import PdfText, page_texts
from tests.report_jobs import built

SNAPSHOT = Path(__file__).parent / "snapshots" / "complaints-export.csv"
RESIDENT = "Resident (record number)"


def normalised(body: str) -> str:
    """The export with residents' record numbers replaced by their order of creation: ids differ by database."""
    rows = list(csv.reader(io.StringIO(body)))
    column = rows[0].index(RESIDENT)
    order = {str(n): str(i) for i, n in enumerate(sorted({int(r[column]) for r in rows[1:]}), start=1)}
    for row in rows[1:]:
        row[column] = "person " + order[row[column]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@time_machine.travel(BUILT_ON, tick=False)
class StreamedExportTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        cls.cast = cls.year.cast

    def test_the_streamed_csv_is_the_export_as_it_always_was(self) -> None:
        body = "".join(exports.complaints_csv(self.cast.landlord, exports.ComplaintFilter()))
        assert body.startswith("\ufeffReference,Received,")
        if os.environ.get("WRITE_EXPORT_SNAPSHOT"):
            SNAPSHOT.write_text(normalised(body[1:]), encoding="utf-8", newline="")
        assert normalised(body[1:]) == SNAPSHOT.read_bytes().decode("utf-8")

    def test_an_export_over_the_threshold_is_built_by_the_worker_with_the_same_rows(self) -> None:
        self.client.force_login(self.cast.officer)
        streamed = self.client.get("/staff/insight/exports/complaints.csv", {"service_area": "repairs"})
        assert streamed.status_code == 200  # under the threshold: streamed as it is read
        expected = b"".join(streamed.streaming_content)  # type: ignore[attr-defined]
        with patch("putright.insight.views.BACKGROUND_ROWS", 2):
            # The export page offers a button, and the link itself (a GET) starts nothing.
            offered = self.client.get("/staff/insight/exports/", {"service_area": "repairs"}).content.decode()
            assert "Build the CSV" in offered and "Download CSV" not in offered
            asked = self.client.get("/staff/insight/exports/complaints.csv", {"service_area": "repairs"})
            assert asked.status_code == 200 and "Build the file" in asked.content.decode()
            assert not ReportJob.objects.exists()
            response = self.client.post("/staff/insight/exports/complaints.csv", {"service_area": "repairs"})
            [job] = ReportJob.objects.all()
            page = self.client.get(response["Location"]).content.decode()
            rows = exports.count_complaints(self.cast.landlord, exports.ComplaintFilter(service_area="repairs"))
            assert f"0 of {rows} complaints written" in page and "Waiting to start" in page
            assert 'data-job-progress="2"' in page and "http-equiv" not in page
            csv_file = built(self.client, response)
        assert csv_file["Content-Disposition"].startswith("attachment;") and csv_file.content == expected
        job.refresh_from_db()
        assert (job.state, job.steps_done, job.steps_total) == ("ready", rows, rows)
        page = self.client.get(f"/staff/insight/reports/{job.pk}/").content.decode()
        assert f"{rows} of {rows} complaints written" in page and "http-equiv" not in page

        with patch("putright.insight.views.BACKGROUND_ROWS", 2):
            response = self.client.post("/staff/insight/exports/complaints.xlsx", {"service_area": "repairs"})
            sheet = load_workbook(io.BytesIO(built(self.client, response).content))["Complaints"]
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "Reference" and len(values) == rows + 1
        assert {row[0] for row in values[1:]} == {
            line.split(",")[0] for line in expected.decode("utf-8-sig").splitlines()[1:]
        }

    def test_asking_again_while_it_is_built_finds_the_same_job(self) -> None:
        self.client.force_login(self.cast.officer)
        first = self.client.post("/staff/insight/annual/2024/report.pdf")
        again = self.client.post("/staff/insight/annual/2024/report.pdf")
        assert first["Location"] == again["Location"] and ReportJob.objects.count() == 1
        other_year = self.client.post("/staff/insight/annual/2023/report.pdf")
        assert other_year["Location"] != first["Location"]
        # A colleague asking for the same report has a job of their own.
        self.client.force_login(self.cast.manager)
        assert self.client.post("/staff/insight/annual/2024/report.pdf")["Location"] != first["Location"]
        # Once built, asking again gives the built report while the records have not changed since.
        self.client.force_login(self.cast.officer)
        built(self.client, first)
        assert self.client.post("/staff/insight/annual/2024/report.pdf")["Location"] == first["Location"]
        insight_generation.move_on(self.cast.landlord.pk)
        assert self.client.post("/staff/insight/annual/2024/report.pdf")["Location"] != first["Location"]

    def test_a_job_is_seen_only_by_whoever_asked_for_it_at_their_landlord(self) -> None:
        self.client.force_login(self.cast.officer)
        response = self.client.post("/staff/insight/governance/report.pdf", {"year": "2024", "quarter": "1"})
        page = response["Location"]
        built(self.client, response)
        download = page + "download"
        for person in (self.cast.stranger, self.cast.manager):  # another landlord; a colleague
            self.client.force_login(person)
            assert self.client.get(page).status_code == 404
            assert self.client.get(download).status_code == 404
        for person in (self.cast.handler, self.cast.reviewer):  # roles that do not read insight
            self.client.force_login(person)
            refused = self.client.get(page)
            assert refused.status_code == 403
            assert "does not allow you to see complaint measures and reports" in refused.content.decode()
            assert self.client.post("/staff/insight/annual/2024/report.pdf").status_code == 403
            assert self.client.get("/staff/insight/annual/2024/report.pdf").status_code == 403
        assert not ReportJob.objects.filter(requested_by__in=[self.cast.handler, self.cast.reviewer]).exists()

    def test_the_page_shows_a_failed_build_and_no_download(self) -> None:
        self.client.force_login(self.cast.officer)
        response = self.client.post("/staff/insight/annual/2024/report.pdf")
        ReportJob.objects.update(parameters='{"year": "no such year"}')
        with pytest.raises(ValueError):
            build_report.call(ReportJob.objects.get().pk)
        page = self.client.get(response["Location"]).content.decode()
        assert "Failed" in page and "could not be built" in page and "/download" not in page
        assert self.client.get(response["Location"] + "download")["Location"] == response["Location"]
        # Asking again starts afresh rather than finding the failed one.
        assert self.client.post("/staff/insight/annual/2024/report.pdf")["Location"] != response["Location"]


@time_machine.travel(datetime(2025, 6, 30, 9, tzinfo=UTC), tick=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class WorkerBuildsReportsTests(TransactionTestCase):
    """Committed transactions, as in production: the page queues the task and `putright worker` builds it."""

    def test_the_worker_builds_the_governance_pdf_and_the_download_is_that_pdf(self) -> None:
        cast = make_cast()
        log(cast, date(2025, 4, 7))
        self.client.force_login(cast.officer)
        response = self.client.post("/staff/insight/governance/report.pdf", {"year": "2025", "quarter": "1"})
        job = ReportJob.objects.get()
        assert job.state == ReportJob.State.QUEUED and DBTaskResult.objects.filter(status="READY").exists()
        call_command("worker", "--once", stdout=StringIO())
        job.refresh_from_db()
        assert job.state == ReportJob.State.READY, job.error
        page = self.client.get(response["Location"]).content.decode()
        assert f"Step {PDF_STEPS} of {PDF_STEPS}" in page and "Ready" in page
        download = self.client.get(response["Location"] + "download")
        content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
        assert download["Content-Type"] == "application/pdf" and content.startswith(b"%PDF-")
        assert 'filename="ashford-governance-2025-q1.pdf"' in download["Content-Disposition"]
        assert "Quarterly complaints governance report: Q1 2025/26" in PdfText(page_texts(content))


class WarmStartTests(SimpleTestCase):
    def test_nothing_is_warmed_under_the_tests(self) -> None:
        assert not warm.wanted() and warm.warmed == []

    def test_serving_with_gunicorn_preloads_the_application_once_and_asks_for_it_warm(self) -> None:
        from putright.core.management.commands.serve import Command

        assert "--preload" in Command()._gunicorn_args("127.0.0.1:8000", 2)

    def test_a_process_that_serves_warms_the_pdf_library_the_api_and_the_templates(self) -> None:
        # In a process of its own, so that this test process stays as every other test sees it.
        code = "from putright.core import warm; import django; django.setup(); print(warm.warm_up())"
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PUTRIGHT_WARM_START": "1"}
        done = subprocess.run(  # noqa: S603 - this same Python, no shell
            [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120, check=True
        )
        for part in ("the PDF library", "the URLs and the API schema", "the templates"):
            assert part in done.stdout, done.stdout + done.stderr

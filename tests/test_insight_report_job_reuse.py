"""A report built a moment ago, from records unchanged since, is given again rather than built again;
built files are deleted after 7 days, and the job's page then offers to build the report again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.core.files.storage import default_storage
from django.test import TestCase

from putright.complaints import insight_generation
from putright.correspondence import sweep
from putright.insight import jobs
from putright.insight.jobs import ReportJob, build_report
from tests.cast import make_cast

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def ask(user: object) -> ReportJob:
    return jobs.request_report(
        user,  # type: ignore[arg-type]
        ReportJob.Kind.COMPLAINTS_CSV,
        {"service_area": ""},
        title="Complaints export (CSV)",
        file_name="ashford-complaints.csv",
    )


@time_machine.travel(START, tick=False)
class ReuseARecentReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def _built(self, user: object) -> ReportJob:
        job = ask(user)
        assert build_report.call(job.pk) == "ready"
        job.refresh_from_db()
        return job

    def test_asking_again_within_ten_minutes_gives_the_built_report(self) -> None:
        first = self._built(self.cast.officer)
        assert first.generation == insight_generation.current(self.cast.landlord.pk)
        with time_machine.travel(START + timedelta(minutes=9), tick=False):
            assert ask(self.cast.officer).pk == first.pk
            assert ask(self.cast.manager).pk != first.pk  # a colleague's request is their own
        with time_machine.travel(START + timedelta(minutes=11), tick=False):
            again = ask(self.cast.officer)
        assert again.pk != first.pk and again.state == ReportJob.State.QUEUED

    def test_a_change_to_the_records_since_it_was_built_builds_it_again(self) -> None:
        first = self._built(self.cast.officer)
        insight_generation.move_on(self.cast.landlord.pk)
        again = ask(self.cast.officer)
        assert again.pk != first.pk and again.state == ReportJob.State.QUEUED

    def test_the_page_of_the_reused_report_offers_its_download(self) -> None:
        first = self._built(self.cast.officer)
        self.client.force_login(self.cast.officer)
        response = self.client.get("/staff/insight/exports/complaints.csv", {"service_area": ""})
        assert response.status_code == 200  # small exports still stream; the job is for large ones
        page = self.client.get(f"/staff/insight/reports/{ask(self.cast.officer).pk}/").content.decode()
        assert f"/staff/insight/reports/{first.pk}/download" in page


@time_machine.travel(START, tick=False)
class ExpiredReportFilesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_files_built_over_seven_days_ago_are_deleted_by_the_sweep_and_the_page_offers_to_build_again(
        self,
    ) -> None:
        old = ask(self.cast.officer)
        assert build_report.call(old.pk) == "ready"
        old.refresh_from_db()
        name = old.file.name
        assert default_storage.exists(name)
        with time_machine.travel(START + timedelta(days=2), tick=False):
            recent = ask(self.cast.manager)
            assert build_report.call(recent.pk) == "ready"

        with time_machine.travel(START + timedelta(days=7, minutes=1), tick=False):
            sweep.sweep()
            old.refresh_from_db()
            recent.refresh_from_db()
            assert old.state == ReportJob.State.EXPIRED and old.file.name == "" and not default_storage.exists(name)
            assert recent.state == ReportJob.State.READY and default_storage.exists(recent.file.name)

            self.client.force_login(self.cast.officer)
            page = self.client.get(f"/staff/insight/reports/{old.pk}/").content.decode()
            assert "This file has expired" in page and "Build the report again" in page
            assert f"/staff/insight/reports/{old.pk}/download" not in page
            assert self.client.get(f"/staff/insight/reports/{old.pk}/download")["Location"].endswith(f"/{old.pk}/")
            assert self.client.get(f"/staff/insight/reports/{old.pk}/again").status_code == 405

            again = self.client.post(f"/staff/insight/reports/{old.pk}/again")
            [new] = ReportJob.objects.filter(requested_by=self.cast.officer).exclude(pk=old.pk)
            assert again.status_code == 303 and again["Location"] == f"/staff/insight/reports/{new.pk}/"
            assert new.state == ReportJob.State.QUEUED and new.parameters == old.parameters
            assert new.file_name == old.file_name
            # A second click finds the job being built rather than a third.
            self.client.post(f"/staff/insight/reports/{old.pk}/again")
            assert ReportJob.objects.filter(requested_by=self.cast.officer).count() == 2

        # Another person's expired job is no page of theirs.
        self.client.force_login(self.cast.manager)
        assert self.client.post(f"/staff/insight/reports/{old.pk}/again").status_code == 404

    def test_asking_for_any_report_deletes_expired_files_too(self) -> None:
        old = ask(self.cast.officer)
        build_report.call(old.pk)
        with time_machine.travel(START + timedelta(days=8), tick=False):
            ask(self.cast.manager)
        old.refresh_from_db()
        assert old.state == ReportJob.State.EXPIRED and old.file.name == ""

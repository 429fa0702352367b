"""A self-assessment that lives all year (Code 8.3, 8.4): a new one can be started at any time with its reason,
copying the last one; earlier ones stay as they were, keep their own pages and exports; and each provision shows
the answer the records support beside the staff's.

What the records show is replaced by a hand-made `evidence_for`, so these tests do not depend on how each
provision's evidence is worked out (tests/test_insight_self_assessment.py covers that)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.insight import actions
from putright.insight.evidence import YearEvidence
from putright.insight.models import SelfAssessment, SelfAssessmentEntry
from putright.landlords.models import Landlord
from tests.cast import Cast, make_cast
from tests.conftest import REPOSITORY
from tests.pdf_text import pdf_text
from tests.report_jobs import built

ARTIFACTS = REPOSITORY / "test-artifacts" / "insight"
JUNE = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 3, 10, 0, tzinfo=UTC)
URL = "/staff/insight/self-assessment/"


class RecordsSay:
    """Stands in for `evidence_for`: the sentences and answers the records give, changeable by a test."""

    def __init__(self) -> None:
        self.sentences = {"6.2": "Stage 1 acknowledged within 5 working days: 9 of 10 (90.0%)."}
        self.answers = {"9.7": "yes", "4.1": "no", "8.2": "not-a-comply-value"}

    def __call__(self, landlord: Landlord, year_starting: int) -> YearEvidence:
        return YearEvidence(year_starting, dict(self.sentences), answers=dict(self.answers))


class LivingSelfAssessmentTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.records = RecordsSay()
        patcher = mock.patch("putright.insight.actions.evidence_for", self.records)
        patcher.start()
        self.addCleanup(patcher.stop)

    # -- helpers ----------------------------------------------------------------------------------

    def start(self, year: int = 2025, **reason: str) -> SelfAssessment:
        return actions.start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=year, **reason)

    def entry(self, assessment: SelfAssessment, number: str) -> SelfAssessmentEntry:
        return assessment.entries.get(provision=number)

    def approve(self, assessment: SelfAssessment, **special: str) -> SelfAssessment:
        for entry in assessment.entries.all():
            comply = special.get(entry.provision, "yes")
            short = comply in ("no", "partial")
            actions.update_entry(
                entry,
                self.cast.officer,
                comply=comply,
                evidence=f"Evidence for {entry.provision}",
                commentary=f"Commentary for {entry.provision}",
                action="Put it right" if short else "",
                target_date=date(2026, 3, 31) if short else None,
                responsible="Complaints officer" if short else "",
            )
        actions.submit_self_assessment(assessment, self.cast.officer)
        return actions.approve_self_assessment(assessment, self.cast.manager, note="Seen by Cabinet")

    def first_and_second(self) -> tuple[SelfAssessment, SelfAssessment]:
        with time_machine.travel(JUNE, tick=False):
            first = self.approve(self.start(), **{"5.9": "partial"})
        with time_machine.travel(NOVEMBER, tick=False):
            second = self.start(reason="procedures")
            actions.update_entry(self.entry(second, "5.9"), self.cast.officer, comply="yes", evidence="New procedure")
        return first, second

    # -- the actions ------------------------------------------------------------------------------

    def test_a_second_assessment_in_a_year_copies_the_last_and_leaves_it_as_it_was(self) -> None:
        first, second = self.first_and_second()
        first.refresh_from_db()
        assert (first.year_starting, first.sequence, first.state) == (2025, 1, "approved")
        assert (second.year_starting, second.sequence, second.state, second.reason) == (2025, 2, "draft", "procedures")
        assert second.started_from == first
        assert second.headline == (
            "Second self-assessment of 2025/26, started 3 November 2025 after a change in complaint procedures"
        )
        assert first.headline == "First self-assessment of 2025/26, started 2 June 2025 as the annual self-assessment"
        copied = self.entry(second, "3.4")
        assert (copied.comply, copied.evidence, copied.commentary) == ("yes", "Evidence for 3.4", "Commentary for 3.4")
        # The earlier assessment keeps its own answer and action plan line, and cannot be changed.
        kept = self.entry(first, "5.9")
        assert (kept.comply, kept.evidence, kept.action) == ("partial", "Evidence for 5.9", "Put it right")
        assert self.entry(second, "5.9").comply == "yes"
        with pytest.raises(TransitionNotAllowed, match="can only be changed while it is a draft"):
            actions.update_entry(kept, self.cast.officer, comply="no")
        assert first.replaced_by() == second and second.replaced_by() is None

    def test_the_last_assessment_is_copied_whatever_its_year(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            first = self.approve(self.start(2025), **{"1.3": "partial"})
            earlier_year = self.start(2024, reason="ombudsman")
        assert (earlier_year.sequence, earlier_year.started_from) == (1, first)
        assert self.entry(earlier_year, "1.3").action == "Put it right"

    def test_a_new_one_waits_until_the_last_is_finished(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            draft = self.start()
            with pytest.raises(TransitionNotAllowed) as refused:
                self.start(reason="restructure")
            assert refused.value.message == (
                "The first self-assessment of 2025/26, started 2 June 2025, is still a draft: finish it before "
                "starting another."
            )
            self.approve(draft)
            self.start(reason="restructure")
            with pytest.raises(TransitionNotAllowed, match="is still a draft"):
                self.start(reason="ombudsman")
        assert SelfAssessment.objects.filter(landlord=self.cast.landlord).count() == 2

    def test_one_waiting_for_approval_also_blocks_a_new_one(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            assessment = self.start()
            for entry in assessment.entries.all():
                actions.update_entry(entry, self.cast.officer, comply="yes")
            actions.submit_self_assessment(assessment, self.cast.officer)
            with pytest.raises(TransitionNotAllowed, match="is waiting for approval: finish it"):
                self.start(reason="ombudsman")

    def test_the_reason_is_one_of_the_codes_or_described(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            self.start(reason="other", reason_detail="   ")
        assert refused.value.errors == {"reason_detail": "Describe why this self-assessment is being done"}
        with pytest.raises(InvalidInput) as refused:
            self.start(reason="because")
        assert refused.value.errors == {"reason": "Choose why this self-assessment is being done"}
        with pytest.raises(NotPermitted):
            actions.start_self_assessment(self.cast.landlord, self.cast.stranger, year_starting=2025)
        with pytest.raises(NotPermitted):
            actions.start_self_assessment(self.cast.landlord, self.cast.auditor, year_starting=2025)
        assert not SelfAssessment.objects.exists()
        with time_machine.travel(JUNE, tick=False):
            assessment = self.start(reason="other", reason_detail="  A new housing management system ")
        assert assessment.reason_detail == "A new housing management system"
        assert assessment.reason_text == "Another reason: A new housing management system"
        assert assessment.headline.endswith("for another reason: A new housing management system")

    def test_the_records_answer_fills_what_staff_have_not_answered_and_never_replaces_theirs(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            assessment = self.start()
        # Only valid answers are taken; an unanswered provision takes the records' answer.
        assert (self.entry(assessment, "9.7").comply, self.entry(assessment, "9.7").records_answer) == ("yes", "yes")
        assert (self.entry(assessment, "4.1").comply, self.entry(assessment, "4.1").records_answer) == ("no", "no")
        assert (self.entry(assessment, "8.2").comply, self.entry(assessment, "8.2").records_answer) == ("", "")
        assert self.entry(assessment, "6.2").from_data.startswith("Stage 1 acknowledged")
        actions.update_entry(self.entry(assessment, "9.7"), self.cast.officer, comply="partial")
        self.records.answers = {"9.7": "yes", "6.2": "partial"}
        self.records.sentences = {"6.2": "Stage 1 acknowledged within 5 working days: 5 of 10 (50.0%)."}
        actions.refresh_evidence(assessment, self.cast.officer)
        staff_answered = self.entry(assessment, "9.7")
        assert (staff_answered.comply, staff_answered.records_answer) == ("partial", "yes")
        filled = self.entry(assessment, "6.2")
        assert (filled.comply, filled.records_answer) == ("partial", "partial")
        assert filled.from_data == "Stage 1 acknowledged within 5 working days: 5 of 10 (50.0%)."
        # 4.1 was answered from the records at the start; the records no longer decide it, and the answer stands.
        assert (self.entry(assessment, "4.1").comply, self.entry(assessment, "4.1").records_answer) == ("no", "")

    def test_a_copied_answer_stands_over_the_records(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            self.approve(self.start(), **{"9.7": "no"})
            second = self.start(reason="ombudsman")
        assert (self.entry(second, "9.7").comply, self.entry(second, "9.7").records_answer) == ("no", "yes")

    # -- the pages and exports --------------------------------------------------------------------

    def test_both_assessments_of_the_year_are_exported_each_with_its_own_answers_and_reason(self) -> None:
        self.first_and_second()
        self.client.force_login(self.cast.auditor)
        with time_machine.travel(NOVEMBER, tick=False):
            latest = self.client.get(f"{URL}2025/self-assessment.xlsx")
            earlier = self.client.get(f"{URL}2025/1/self-assessment.xlsx")
        assert 'self-assessment-2025-2.xlsx"' in latest["Content-Disposition"]
        assert 'self-assessment-2025.xlsx"' in earlier["Content-Disposition"]
        for response, headline, answer_5_9, evidence in (
            (
                latest,
                "Second self-assessment of 2025/26, started 3 November 2025 after a change in complaint procedures. "
                "Draft.",
                "Yes",
                "New procedure",
            ),
            (
                earlier,
                "First self-assessment of 2025/26, started 2 June 2025 as the annual self-assessment. Approved.",
                "Partial",
                "Evidence for 5.9",
            ),
        ):
            book = load_workbook(io.BytesIO(response.content))
            rows = list(book["Self-assessment"].iter_rows(values_only=True))
            assert rows[1][0] == headline
            by_number = {row[0]: row for row in rows if row[0] and str(row[0])[:1].isdigit()}
            assert len(by_number) == 72
            assert (by_number["5.9"][2], by_number["5.9"][3]) == (answer_5_9, evidence)
            about = dict(book["About"].iter_rows(values_only=True))
            assert about["Assessment"] == headline.split(" as the")[0].split(" after")[0]
        earlier_rows = list(load_workbook(io.BytesIO(earlier.content))["Self-assessment"].iter_rows(values_only=True))
        assert earlier_rows[2][0] == (
            "Replaced by a later assessment: the second self-assessment of 2025/26, started 3 November 2025."
        )
        about = dict(load_workbook(io.BytesIO(latest.content))["About"].iter_rows(values_only=True))
        assert about["Reason"] == "After a change in complaint procedures (8.3)"

        with time_machine.travel(NOVEMBER, tick=False):
            latest_pdf = built(self.client, self.client.post(f"{URL}2025/self-assessment.pdf"))
            earlier_pdf = built(self.client, self.client.post(f"{URL}2025/1/self-assessment.pdf"))
        latest_text = pdf_text(latest_pdf.content, ARTIFACTS / "self-assessment-second.pdf", dpi=50, image_pages=1)
        earlier_text = pdf_text(earlier_pdf.content, ARTIFACTS / "self-assessment-first.pdf", dpi=50, image_pages=1)
        assert "started 3 November 2025 after a change in complaint procedures" in latest_text
        assert "New procedure" in latest_text and "Evidence for 5.9" not in latest_text
        assert "started 2 June 2025 as the annual self-assessment" in earlier_text
        assert "Replaced by a later assessment" in earlier_text and "Evidence for 5.9" in earlier_text
        assert "Code requirement: Putright's summary of each provision" in latest_text

    def test_the_pages_say_which_assessment_and_keep_the_earlier_one_read_only(self) -> None:
        self.first_and_second()
        self.client.force_login(self.cast.officer)
        with time_machine.travel(NOVEMBER, tick=False):
            index = self.client.get(URL).content.decode()
            latest = self.client.get(f"{URL}2025/").content.decode()
            earlier = self.client.get(f"{URL}2025/1/").content.decode()
            second_by_number = self.client.get(f"{URL}2025/2/")
        assert "After a change in complaint procedures (8.3)" in index and "The annual self-assessment" in index
        assert f'href="{URL}2025/1/"' in index and f'href="{URL}2025/"' in index
        assert "Second self-assessment of 2025/26, started 3 November 2025 after a change in complaint procedures" in (
            latest
        )
        assert "Send for approval" in latest and "/provisions/5.9/" in latest
        assert "A later assessment replaces this one" in earlier
        assert "Send for approval" not in earlier and "/provisions/" not in earlier
        assert f"{URL}2025/1/self-assessment.xlsx" in earlier
        assert second_by_number.status_code == 302 and second_by_number["Location"] == f"{URL}2025/"
        self.client.force_login(self.cast.stranger)
        for path in (f"{URL}2025/1/", f"{URL}2025/1/self-assessment.xlsx", f"{URL}2025/1/self-assessment.pdf"):
            assert self.client.get(path).status_code == 404, path

    def test_the_entry_page_shows_the_records_answer_beside_the_staffs(self) -> None:
        with time_machine.travel(JUNE, tick=False):
            assessment = self.start()
        actions.update_entry(self.entry(assessment, "9.7"), self.cast.officer, comply="no")
        self.client.force_login(self.cast.officer)
        page = self.client.get(f"{URL}2025/provisions/9.7/").content.decode()
        assert "The records support" in page and "Differs from your answer" in page
        table = self.client.get(f"{URL}2025/").content.decode()
        assert "The records support: Yes" in table
        agreeing = self.client.get(f"{URL}2025/provisions/4.1/").content.decode()
        assert "Differs from your answer" not in agreeing
        assert "No answer: the records cannot decide this provision" in (
            self.client.get(f"{URL}2025/provisions/1.2/").content.decode()
        )

    def test_starting_on_the_page_with_a_reason_and_the_errors_beside_the_fields(self) -> None:
        self.client.force_login(self.cast.officer)
        with time_machine.travel(JUNE, tick=False):
            missing = self.client.post(URL, {"year": "2025", "reason": "other", "reason_detail": ""})
            assert missing.status_code == 200
            page = missing.content.decode()
            assert 'href="#id_reason_detail"' in page and "Describe why this self-assessment is being done" in page
            assert not SelfAssessment.objects.exists()
            no_reason = self.client.post(URL, {"year": "2025"}).content.decode()
            assert "Select why this self-assessment is being done" in no_reason
            script = "<script>alert(1)</script>"
            started = self.client.post(URL, {"year": "2025", "reason": "other", "reason_detail": script})
            assert started.status_code == 302 and started["Location"] == f"{URL}2025/"
            # Back and submit again: refused, with a link to the assessment already started.
            again = self.client.post(URL, {"year": "2025", "reason": "annual"})
        page = again.content.decode()
        assert again.status_code == 200 and SelfAssessment.objects.count() == 1
        assert f'<a href="{URL}2025/">The first self-assessment of 2025/26, started 2 June 2025, is still a draft' in (
            page
        )
        assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert script not in self.client.get(f"{URL}2025/").content.decode()

    def test_only_editors_start_one_on_the_page(self) -> None:
        self.client.force_login(self.cast.auditor)
        assert "Start the self-assessment" not in self.client.get(URL).content.decode()
        assert self.client.post(URL, {"year": "2025", "reason": "annual"}).status_code == 403
        assert not SelfAssessment.objects.exists()

    def test_the_list_is_read_in_the_same_number_of_queries_however_many_there_are(self) -> None:
        self.client.force_login(self.cast.officer)
        with time_machine.travel(JUNE, tick=False):
            self.approve(self.start(2024))
            self.client.get(URL)
            with CaptureQueriesContext(connection) as one:
                self.client.get(URL)
            self.approve(self.start(2025))
            self.start(2025, reason="restructure")
            with self.assertNumQueries(len(one.captured_queries)):
                response = self.client.get(URL)
        assert response.content.decode().count('<tr class="govuk-table__row"><th scope="row"') == 3

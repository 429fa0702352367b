"""The self-assessment (Code Appendix A, 8.1 to 8.4): every provision 1.2 to 9.8 in the Ombudsman's five columns,
evidence from the records, an action plan for anything short of yes, approval by the Member Responsible for
Complaints, a fresh start each year from the last, and exports that open and read back."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from django.test import TestCase
from openpyxl import load_workbook  # type: ignore[import-untyped]

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.insight import actions
from putright.insight.evidence import PREFILLED
from putright.insight.models import SelfAssessment, SelfAssessmentEntry
from putright.people.models import ReasonableAdjustment
from putright.rules.provisions import PROVISIONS, SECTIONS, provision
from tests.conftest import REPOSITORY
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year
from tests.pdf_text import pdf_text
from tests.report_jobs import built

ARTIFACTS = REPOSITORY / "test-artifacts" / "insight"
SEEDS = REPOSITORY.parent / "shared" / "seeds"


class ProvisionTests(TestCase):
    def test_every_provision_from_1_2_to_9_8_in_the_codes_order(self) -> None:
        numbers = [p.number for p in PROVISIONS]
        assert numbers[0] == "1.2" and numbers[-1] == "9.8" and len(numbers) == 72
        assert numbers == sorted(numbers, key=lambda n: tuple(map(int, n.split("."))))
        per_section = {s.number: sum(1 for p in PROVISIONS if p.section == s) for s in SECTIONS}
        assert per_section == {1: 5, 2: 5, 3: 7, 4: 3, 5: 15, 6: 20, 7: 4, 8: 5, 9: 8}
        assert provision("6.9").part == "Stage 1" and provision("6.10").part == "Stage 2"

    def test_the_requirements_are_our_own_words_not_the_codes(self) -> None:
        seeds = sorted(SEEDS.glob("001_*.txt")) + sorted(SEEDS.glob("003_*.txt"))
        if not seeds:
            pytest.skip(f"no seed documents in {SEEDS}: put the shared seeds folder beside the checkout")
        words = lambda text: re.findall(r"[a-z0-9']+", text.lower())  # noqa: E731
        source = " ".join(" ".join(words(path.read_text(encoding="utf-8"))) for path in seeds)
        for p in PROVISIONS:
            summary = words(p.requirement)
            runs = [" ".join(summary[i : i + 8]) for i in range(len(summary) - 7)]
            copied = [run for run in runs if run in source]
            assert not copied, f"{p.number} repeats the Code's words: {copied[0]!r}"


@time_machine.travel(BUILT_ON, tick=False)
class SelfAssessmentTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        person = cls.year["A"].person
        ReasonableAdjustment.objects.create(
            person=person, kind="large-print", agreed_on=date(2024, 6, 3), review_on=date(2025, 6, 1)
        )
        cls.cast = cls.year.cast

    def start(self, year: int = 2024) -> SelfAssessment:
        return actions.start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=year)

    def entry(self, assessment: SelfAssessment, number: str) -> SelfAssessmentEntry:
        return assessment.entries.get(provision=number)

    def answer_all(self, assessment: SelfAssessment, **special: str) -> None:
        for entry in assessment.entries.all():
            comply = special.get(entry.provision, "yes")
            actions.update_entry(
                entry,
                self.cast.officer,
                comply=comply,
                evidence="Complaints policy, section 4",
                commentary="As the policy sets out.",
            )

    def test_starting_creates_every_provision_with_evidence_from_the_records(self) -> None:
        assessment = self.start()
        entries = {e.provision: e for e in assessment.entries.all()}
        assert len(entries) == 72
        # The first assessment has nothing to copy: a provision is answered only where the records support an
        # answer (tests/test_self_assessment_living.py tests that with answers of its own).
        assert all(e.comply == e.records_answer for e in entries.values())
        # The records' provisions, and every provision a finding on the landlord's (Dartford's) policy touches.
        assert {n for n, e in entries.items() if e.from_data} == set(PREFILLED) | {"2.2", "5.2"}
        # Worked by hand from tests/insight_cases.py (docs/measures.md).
        assert entries["6.2"].from_data == (
            "Stage 1 acknowledged within 5 working days: 10 of 11 (90.9%). Policy (falls short): The policy allows 7 "
            "working days to acknowledge a stage 1 complaint after receiving it; the Code allows at most 5."
        )
        assert entries["6.11"].from_data.startswith("Stage 2 acknowledged within 5 working days: 1 of 2 (50.0%).")
        assert entries["5.1"].from_data.startswith(
            "Dartford Borough Council Corporate Complaints Procedure (as at April 2024) (in force from 1 January "
            "2020): falls short of the Code in 4 ways, does not state 3 numbers"
        )
        assert entries["5.2"].from_data.startswith("Policy (falls short): The policy has an informal stage")
        assert entries["6.3"].from_data.startswith(
            "Stage 1 responses within the Code's timescale (CH02(1)): 8 of 10 (80.0%); 6 of 10 (60.0%) without "
            "counting extensions. Policy (stricter): "
        )
        assert entries["6.13"].from_data.startswith(
            "2 of 2 stage 2 complaints were considered at stage 2 only by people who had not considered them"
        )
        assert entries["2.3"].from_data.startswith("The Code's window is 12 months; the landlord's policy states 3 ")
        assert entries["2.4"].from_data.startswith("2 refusals in the year (complaints not accepted and escalations")
        assert entries["6.4"].from_data == (
            "4 extensions on 3 stage 1 responses; 1 recorded a good reason (needed beyond 10 working days); 1 was "
            "told to the resident after the deadline it extended. Policy (not stated): The policy does not state this: "
            "the Code's 10 working days apply."
        )
        assert entries["5.10"].from_data.startswith(
            "Residents who complained in the year: 1 resident with 1 reasonable adjustment recorded (1 with a review "
            "date, 0 reviewed on time, 0 reviewed late, 1 overdue for review)"
        )
        assert entries["9.1"].from_data.startswith("2 of 3 complaints closed in the year have a learning outcome")
        assert entries["3.6"].from_data.startswith("1 complaint made through a representative")
        with pytest.raises(TransitionNotAllowed):
            self.start()

    def test_it_goes_for_approval_only_when_complete_with_an_action_plan_for_anything_short_of_yes(self) -> None:
        assessment = self.start()
        with pytest.raises(InvalidInput) as caught:
            actions.submit_self_assessment(assessment, self.cast.officer)
        assert len(caught.value.errors) == 72
        self.answer_all(assessment, **{"5.9": "partial", "9.7": "no", "8.3": "n/a"})
        with pytest.raises(InvalidInput) as caught:
            actions.submit_self_assessment(assessment, self.cast.officer)
        assert list(caught.value.errors) == ["provision 5.9", "provision 9.7"]
        actions.update_entry(
            self.entry(assessment, "5.9"),
            self.cast.officer,
            comply="partial",
            action="Agree update intervals at acknowledgement",
            target_date=date(2025, 9, 30),
            responsible="Complaints officer",
        )
        actions.update_entry(
            self.entry(assessment, "9.7"),
            self.cast.officer,
            comply="no",
            action="Quarterly governance report to Cabinet",
            target_date=date(2025, 10, 31),
            responsible="Head of Housing",
        )
        assessment = actions.submit_self_assessment(assessment, self.cast.officer)
        assert assessment.state == "submitted" and assessment.submitted_by == self.cast.officer
        with pytest.raises(TransitionNotAllowed):
            actions.update_entry(self.entry(assessment, "1.2"), self.cast.officer, comply="no")

    def test_the_member_responsible_for_complaints_approves_and_the_approval_is_recorded(self) -> None:
        assessment = self.start()
        self.answer_all(assessment)
        assessment = actions.submit_self_assessment(assessment, self.cast.officer)
        with pytest.raises(NotPermitted):
            actions.approve_self_assessment(assessment, self.cast.officer)
        with pytest.raises(NotPermitted):
            actions.approve_self_assessment(assessment, self.cast.stranger)
        assessment = actions.return_self_assessment(assessment, self.cast.manager, note="Say more about 3.4")
        assert assessment.state == "draft" and assessment.returned_note == "Say more about 3.4"
        assessment = actions.submit_self_assessment(assessment, self.cast.manager)
        with pytest.raises(NotPermitted, match="someone else must approve"):
            actions.approve_self_assessment(assessment, self.cast.manager)
        actions.return_self_assessment(assessment, self.cast.manager, note="Officer to submit")
        assessment = actions.submit_self_assessment(assessment, self.cast.officer)
        assessment = actions.approve_self_assessment(assessment, self.cast.manager, note="Approved at Cabinet")
        assert (assessment.state, assessment.approved_by, assessment.approval_note) == (
            "approved",
            self.cast.manager,
            "Approved at Cabinet",
        )
        assert assessment.approved_at is not None
        with pytest.raises(TransitionNotAllowed):
            actions.approve_self_assessment(assessment, self.cast.manager)

    def test_each_year_starts_afresh_from_the_last(self) -> None:
        last = self.start(2024)
        self.answer_all(last, **{"5.9": "partial", "1.2": "no"})
        actions.update_entry(
            self.entry(last, "5.9"),
            self.cast.officer,
            comply="partial",
            evidence="Procedure 3",
            action="Agree intervals",
            target_date=date(2025, 9, 30),
            responsible="Officer",
        )
        actions.update_entry(
            self.entry(last, "1.2"),
            self.cast.officer,
            comply="no",
            action="Adopt the Code's definition",
            target_date=date(2025, 9, 30),
            responsible="Officer",
        )
        # Since assessments can be redone at any time (8.3, 8.4), a new one waits until the last is
        # finished: a draft or one waiting for approval must be approved first.
        with pytest.raises(TransitionNotAllowed, match="is still a draft"):
            self.start(2025)
        actions.submit_self_assessment(last, self.cast.officer)
        actions.approve_self_assessment(last, self.cast.manager)
        this = self.start(2025)
        assert this.started_from == last and this.sequence == 1 and this.reason == "annual"
        carried = self.entry(this, "5.9")
        assert (carried.comply, carried.evidence, carried.action, carried.responsible) == (
            "partial",
            "Procedure 3",
            "Agree intervals",
            "Officer",
        )
        assert self.entry(this, "6.2").comply == "yes" and self.entry(this, "6.2").action == ""
        # The records are read afresh for the new year: in 2025/26 so far, no stage 1 acknowledgement.
        assert self.entry(this, "6.2").from_data.startswith(
            "Stage 1 acknowledged within 5 working days: none in the year."
        )

    def test_exported_in_the_ombudsmans_five_columns_as_xlsx_and_pdf(self) -> None:
        assessment = self.start()
        self.answer_all(assessment, **{"9.7": "no"})
        actions.update_entry(
            self.entry(assessment, "9.7"),
            self.cast.officer,
            comply="no",
            action="Quarterly report to Cabinet",
            target_date=date(2025, 10, 31),
            responsible="Head of Housing",
        )
        actions.submit_self_assessment(assessment, self.cast.officer)
        actions.approve_self_assessment(assessment, self.cast.manager)
        self.client.force_login(self.cast.auditor)

        response = self.client.get("/staff/insight/self-assessment/2024/self-assessment.xlsx")
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Self-assessment", "Action plan", "About"]
        rows = list(book["Self-assessment"].iter_rows(values_only=True))
        # Above the Ombudsman's columns: which assessment it is, why, and whose wording the requirements are in
        # (several assessments can be made in a year, so the export says which).
        assert rows[0][0] == f"{self.cast.landlord.name}: self-assessment against the Complaint Handling Code"
        assert rows[1][0].startswith("First self-assessment of 2024/25, started ")
        assert rows[1][0].endswith(" as the annual self-assessment. Approved.")
        assert rows[2][0].startswith("Code requirement: Putright's summary of each provision")
        assert rows[3] == (None,) * len(rows[3])
        rows = rows[4:]
        assert rows[0] == (
            "Code provision",
            "Code requirement",
            "Comply: Yes / No / Partial / N/A",
            "Evidence",
            "Commentary / explanation",
        )
        assert rows[1][0] == "Section 1: Definition of a complaint"
        by_number = {row[0]: row for row in rows[1:] if row[0] and not str(row[0]).startswith("Section")}
        assert len(by_number) == 72
        assert by_number["6.2"][1] == provision("6.2").requirement and by_number["6.2"][2] == "Yes"
        assert by_number["6.2"][3].startswith(
            "Complaints policy, section 4\n\nFrom Putright's records: Stage 1 acknowledged within 5 working days: "
            "10 of 11 (90.9%). Policy (falls short)"
        )
        assert by_number["6.2"][4] == "As the policy sets out."
        plan = list(book["Action plan"].iter_rows(values_only=True))
        assert plan[0] == ("Code provision", "Code requirement", "Action", "Target date", "Responsible officer")
        assert plan[1][0] == "9.7" and plan[1][2] == "Quarterly report to Cabinet" and plan[1][4] == "Head of Housing"
        assert plan[1][3].date() == date(2025, 10, 31)
        about = dict(book["About"].iter_rows(values_only=True))
        assert about["Approved by (Member Responsible for Complaints)"] == "Mei Manager"

        response = built(self.client, self.client.post("/staff/insight/self-assessment/2024/self-assessment.pdf"))
        assert response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content, ARTIFACTS / "self-assessment.pdf", dpi=60, image_pages=4)
        for heading in (
            "Self-assessment against the Complaint Handling Code 2024/25",
            "Section 1: Definition of a",
            "Section 9: Scrutiny and oversight",
            "Action plan",
            "Quarterly report to Cabinet",
            "Approved by Mei Manager",
        ):
            assert heading in text, heading

    def test_the_pages_let_the_officer_draft_and_the_manager_approve(self) -> None:
        self.client.force_login(self.cast.officer)
        start = {"year": "2024", "reason": "annual"}
        assert self.client.post("/staff/insight/self-assessment/", start).status_code == 302
        assessment = SelfAssessment.objects.get()
        response = self.client.post(
            "/staff/insight/self-assessment/2024/provisions/2.4/",
            {
                "comply": "partial",
                "evidence": "Refusal letter template",
                "commentary": "",
            },
        )
        assert response.status_code == 302  # the action plan line is only required on submission
        assert assessment.entries.get(provision="2.4").evidence == "Refusal letter template"
        self.answer_all(assessment)
        page = self.client.get("/staff/insight/self-assessment/2024/").content.decode()
        assert "Send for approval" in page and "10 of 11 (90.9%)" in page
        assert self.client.post("/staff/insight/self-assessment/2024/submit/").status_code == 302
        self.client.force_login(self.cast.auditor)
        assert self.client.post("/staff/insight/self-assessment/2024/approve/").status_code == 403
        self.client.force_login(self.cast.manager)
        assert "Approve the self-assessment" in self.client.get("/staff/insight/self-assessment/2024/").content.decode()
        self.client.post("/staff/insight/self-assessment/2024/approve/", {"note": "Seen by Cabinet"})
        assessment.refresh_from_db()
        assert assessment.state == "approved" and assessment.approved_by == self.cast.manager
        self.client.force_login(self.cast.stranger)
        assert self.client.get("/staff/insight/self-assessment/2024/").status_code == 404

"""The annual complaints performance and service improvement report (8.1, 8.2), shaped like Dartford's for
2023/24 (seed 003), regenerated from a year of complaints and checked table by table; and the quarterly
governance report (9.7). The PDFs are read back with PDFium and kept, with page images, under
test-artifacts/insight/."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.models import Complaint, Remedy
from putright.documents.pdf import render_pdf
from putright.insight import actions as insight
from putright.insight import reports
from putright.landlords.calendars import working_calendar
from putright.landlords.models import HomesCount
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.insight_cases import BOTH_NOT_UPHELD, BOTH_UPHELD
from tests.pdf_text import attachment_names, pdf_text
from tests.report_jobs import built
from tests.test_insight_self_assessment import ARTIFACTS

TODAY = date(2024, 6, 28)
# 26 stage 1 complaints in 2023/24, by service area, as Dartford's table (seed 003, 3.4) has them, less stage 2.
AREAS = ["repairs"] * 13 + ["tenancy"] * 4 + ["estate"] * 3 + ["asb"] * 2 + ["allocations"] * 2 + ["rent", "other"]
UPHELD, PARTLY, LATE, ESCALATED, WITHDRAWN = range(0, 5), range(5, 10), range(16, 25), (10, 11, 12), 25


def survey(complainants: int, satisfied: int) -> bytes:
    lines = ["respondent,tenure,complained_in_last_12_months,satisfaction_with_complaint_handling"]
    for n in range(complainants):
        lines.append(f"R{n:04d},LCRA,yes,{'Fairly satisfied' if n < satisfied else 'Very dissatisfied'}")
    lines.append("R9999,LCRA,no,")
    return ("\n".join(lines) + "\n").encode()


def build_dartford_year() -> tuple[Cast, dict[int, Complaint]]:
    cast = make_cast()
    landlord = cast.landlord
    calendar = working_calendar(landlord)
    HomesCount.objects.create(landlord=landlord, year_starting=2023, low_cost_rental=5530)
    HomesCount.objects.create(landlord=landlord, year_starting=2022, low_cost_rental=5500)
    for day in (date(2022, 6, 6), date(2022, 9, 5), date(2023, 1, 9)):  # the year before: three, all answered on time
        respond(
            cast,
            acknowledge(cast, log(cast, day), day),
            calendar.add_working_days(day, 5),
            decisions=BOTH_NOT_UPHELD,
            remedies=[],
        )
    made: dict[int, Complaint] = {}
    for i, area in enumerate(AREAS):
        received = date(2023, 4, 3) + timedelta(days=13 * i)
        acknowledged = calendar.add_working_days(received, 2)
        complaint = acknowledge(cast, log(cast, received, service_area=area), acknowledged)
        if i == WITHDRAWN:
            made[i] = actions.withdraw(complaint, cast.handler, how="Email to the officer", on=acknowledged)
            continue
        answered = calendar.add_working_days(acknowledged, 14 if i in LATE else 8)
        if i in UPHELD:
            complaint = respond(cast, complaint, answered, decisions=BOTH_UPHELD)
        elif i in PARTLY:
            complaint = respond(cast, complaint, answered)
        else:
            complaint = respond(cast, complaint, answered, decisions=BOTH_NOT_UPHELD, remedies=[])
        if i in UPHELD:
            for remedy in Remedy.objects.filter(stage__complaint=complaint):
                actions.update_remedy(remedy, cast.handler, state="agreed", on=answered)
            cause = "contractor" if i < 3 else "communication"
            complaint = actions.record_learning(
                complaint, cast.officer, root_cause=cause, on=answered, learning_outcome=f"Learning from complaint {i}"
            )
            complaint = actions.close(complaint, cast.officer, on=answered)
        if i in ESCALATED:
            asked = calendar.add_working_days(answered, 5)
            complaint = actions.escalate(complaint, cast.officer, requested_on=asked)
            complaint = acknowledge(cast, complaint, calendar.add_working_days(asked, 2), actor=cast.reviewer)
            review_answer = calendar.add_working_days(asked, 17)
            if i == 12:
                complaint = respond(
                    cast, complaint, review_answer, actor=cast.reviewer, decisions=BOTH_NOT_UPHELD, remedies=[]
                )
                complaint = actions.record_ombudsman_referral(
                    complaint, cast.officer, ombudsman_reference="202303482", on=review_answer + timedelta(days=20)
                )
            else:
                complaint = respond(cast, complaint, review_answer, actor=cast.reviewer)
        made[i] = complaint
    for ground, area, day in (
        ("legal-proceedings", "asb", date(2023, 10, 2)),
        ("previously-considered", "repairs", date(2024, 1, 15)),
    ):
        actions.not_accept(
            log(cast, day, service_area=area),
            cast.officer,
            ground=ground,
            ombudsman_rights_given=True,
            explanation="Explained in writing",
            on=day,
        )
    officer = cast.officer
    insight.import_perception_survey(
        landlord, officer, year_starting=2023, file_name="tsm-2023.csv", content=survey(55, 17)
    )
    insight.import_perception_survey(
        landlord, officer, year_starting=2022, file_name="tsm-2022.csv", content=survey(35, 13)
    )
    insight.save_improvement(
        landlord,
        officer,
        title="Cleaning of communal areas",
        status="completed",
        learning="A pattern of complaints about communal cleaning",
        action="The cleaning contractor was told to improve; performance is checked monthly",
        responsible="Head of Housing",
        completed_on=date(2023, 11, 30),
        publish=True,
        you_said="Communal areas were not cleaned properly",
        we_did="We made the cleaning contractor improve, and we check it every month",
        complaint_references=[made[0].reference, made[1].reference],
    )
    insight.save_improvement(
        landlord,
        officer,
        title="Supporting victims of anti-social behaviour",
        learning="Vulnerable victims were not supported well enough",
        status="in-progress",
        action="An anti-social behaviour procedure with risk ratings",
        responsible="Head of Housing",
        target_date=date(2024, 7, 31),
        complaint_references=[made[20].reference],
    )
    assessment = insight.start_self_assessment(landlord, officer, year_starting=2023)
    for entry in assessment.entries.all():
        partial = entry.provision == "5.2"
        insight.update_entry(
            entry,
            officer,
            comply="partial" if partial else "yes",
            evidence="Complaints Procedure",
            action="Remove the informal stage" if partial else "",
            target_date=date(2024, 6, 30) if partial else None,
            responsible="Head of Legal Services" if partial else "",
        )
    insight.submit_self_assessment(assessment, officer)
    insight.approve_self_assessment(assessment, cast.manager, note="Approved by Cabinet")
    insight.save_annual_report(
        landlord,
        officer,
        year_starting=2023,
        governing_body="Cabinet",
        ombudsman_findings="202303482: no maladministration in the handling of anti-social "
        "behaviour; service failure in complaint handling.",
    )
    letter = render_pdf("insight/pdf/base.html", {})
    insight.upload_ombudsman_letter(
        landlord, officer, year_starting=2023, file_name="HOS annual letter 2023-24.pdf", content=letter
    )
    insight.record_governing_body_response(
        landlord,
        officer,
        year_starting=2023,
        on=date(2024, 5, 23),
        response="Cabinet noted the report and endorsed the action plan.",
    )
    return cast, made


@time_machine.travel(TODAY, tick=False)
class DartfordShapedAnnualReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, cls.made = build_dartford_year()

    def test_the_tables_of_the_report(self) -> None:
        view = reports.annual_report(self.cast.landlord, 2023)
        # 3.2 in Dartford's report: complaints opened at each stage.
        assert view.opened == [
            ("Complaints received (stage 1)", 26, 3, 0),
            ("Escalated to stage 2", 3, 0, 0),
            ("Referred to the Housing Ombudsman", 1, 0, 0),
        ]
        # 3.3: types of complaint not accepted.
        assert [(g.label, g.count) for g in view.figures.refusals.by_ground] == [
            ("Legal proceedings have started about the issue", 1),
            ("The matter has already been considered under this complaints policy", 1),
        ]
        # 3.4: complaints by service area (stage 1 and stage 2).
        assert view.by_service_area == [
            ("Repairs and maintenance", 13, 3, 16),
            ("Tenancy management", 4, 0, 4),
            ("Estates, grounds and cleaning", 3, 0, 3),
            ("Anti-social behaviour", 2, 0, 2),
            ("Allocations and lettings", 2, 0, 2),
            ("Rent, charges and arrears", 1, 0, 1),
            ("Something else", 1, 0, 1),
        ]
        # 3.5 and 3.6: outcomes at each stage (upheld, partly upheld, not upheld, withdrawn).
        assert [o.count for o in view.figures.stage1.outcomes] == [5, 5, 15, 1] and view.figures.stage1.concluded == 26
        assert [o.count for o in view.figures.stage2.outcomes] == [0, 2, 1, 0]
        # 3.8: tenant satisfaction measures, with the year before.
        tsm = {(row.reference, row.measure): (row.now, row.before) for row in view.tsm}
        assert tsm[("CH01(1)", "Stage 1 complaints per 1,000 LCRA homes")] == (
            "4.7 per 1,000 of our 5,530 homes",
            "0.5 per 1,000 of our 5,500 homes",
        )
        assert tsm[("CH01(2)", "Stage 2 complaints per 1,000 LCRA homes")] == (
            "0.5 per 1,000 of our 5,530 homes",
            "0.0 per 1,000 of our 5,500 homes",
        )
        assert tsm[("CH02(1)", "Stage 1 responses within the Code's timescales")] == ("64.0%", "100.0%")
        assert tsm[("CH02(2)", "Stage 2 responses within the Code's timescales")] == ("100.0%", "–")
        assert tsm[("TP09", "Satisfied with complaint handling, LCRA")] == ("30.9%", "37.1%")
        # 4: learning themes and improvements.
        assert [(t.label, t.now) for t in view.themes] == [
            ("Contractor performance", 3),
            ("Communication or keeping the resident informed", 2),
        ]
        assert [i.title for i in view.improvements] == [
            "Cleaning of communal areas",
            "Supporting victims of anti-social behaviour",
        ]
        assert view.assessment is not None and view.assessment.totals["Partial"] == 1
        assert [row.entry.provision for row in view.assessment.action_plan] == ["5.2"]

    def test_the_web_page_follows_dartfords_order(self) -> None:
        self.client.force_login(self.cast.manager)
        page = self.client.get("/staff/insight/annual/2023/").content.decode()
        order = [
            "1. Introduction",
            "2. Summary of the self-assessment",
            "3. Analysis of complaint handling performance",
            "3.2 Types of complaint not accepted",
            "3.3 Complaints by service area",
            "3.4 Stage 1 outcomes",
            "3.5 Stage 2 outcomes",
            "3.6 Housing Ombudsman",
            "3.7 Tenant satisfaction measures",
            "4. Improvements from learning from complaints",
            "5. The Housing Ombudsman's annual report",
            "6. The governing body's response",
            "Annex 1: Self-assessment",
            "Annex 2: Self-assessment action plan",
        ]
        position = page.index('id="main-content"')
        for heading in order:
            position = page.index(heading, position)  # each present, and after the one before
        assert 'role="img"' in page and "(the figures in the chart)" in page
        assert "Cabinet noted the report and endorsed the action plan." in page
        assert "HOS annual letter 2023-24.pdf" in page
        letter = self.client.get("/staff/insight/annual/2023/ombudsman-report/")
        assert letter["Content-Type"] == "application/pdf"

    def test_the_pdf_has_every_section_the_charts_and_the_ombudsmans_letter_attached(self) -> None:
        self.client.force_login(self.cast.officer)
        response = built(self.client, self.client.post("/staff/insight/annual/2023/report.pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = pdf_text(response.content, ARTIFACTS / "annual-report-2023.pdf", dpi=60, image_pages=4)
        order = [
            "Complaints performance and service improvement report 2023/24",
            "1. Introduction",
            "2. Summary of the self-assessment",
            "3. Analysis of complaint handling performance",
            "Stage 1 complaints per 1,000 LCRA homes",
            "4. Improvements from learning from complaints",
            "Supporting victims of",
            "5. The Housing Ombudsman's annual report",
            "6. The governing body's response",
            "Annex 1: Self-assessment against the Complaint Handling Code",
            "Annex 2: Self-assessment action plan",
        ]
        assert order[0] in text.page(1)  # on the cover
        position = text.index("Page 1 of")  # after the cover and its contents
        for heading in order[1:]:
            position = text.index(heading, position)  # each present, and after the one before
        assert "30.9%" in text and "64.0%" in text and "Complaints received, quarterly" in text
        assert "HOS annual letter 2023-24.pdf" in attachment_names(response.content)

    def test_a_letter_must_be_a_pdf_and_the_response_needs_words(self) -> None:
        self.client.force_login(self.cast.officer)
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("letter.docx", b"PK\x03\x04 not a pdf", content_type="application/pdf")
        page = self.client.post("/staff/insight/annual/2023/ombudsman-report/", {"file": upload})
        assert page.status_code == 200 and "The selected file must be a PDF" in page.content.decode()
        page = self.client.post(
            "/staff/insight/annual/2023/response/", {"response": "", "on_0": "23", "on_1": "5", "on_2": "2024"}
        )
        assert "Enter the governing body&#x27;s response" in page.content.decode()

    def test_the_quarterly_governance_report_has_what_9_7_lists(self) -> None:
        view = reports.governance_report(self.cast.landlord, 2023, 2)
        assert view.label == "Q2 2023/24" and view.period.start == date(2023, 7, 1)
        # Received 3 July to 30 September 2023: complaints 7 to 13 (every 13 days from 3 April).
        assert view.figures.stage1.received == 7 and view.year_to_date.stage1.received == 14
        self.client.force_login(self.cast.auditor)
        response = built(
            self.client, self.client.post("/staff/insight/governance/report.pdf", {"year": "2023", "quarter": "2"})
        )
        text = pdf_text(response.content, ARTIFACTS / "governance-2023-q2.pdf", dpi=60, image_pages=4)
        for heading in (
            "Quarterly complaints governance report: Q2 2023/24",
            "1. Volumes, categories and outcomes",
            "2. Issues and trends (9.7 b)",
            "3. The Ombudsman: outcomes and orders (9.7 c)",
            "4. The annual report (9.7 d)",
        ):
            assert heading in text, heading

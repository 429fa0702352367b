"""The annual report (Code 8.1, 8.2) as full as Dartford's 2023/24 report (seed 003), issue 17.

Three years of trend, the received table's lines counted on their own, the homes behind every per-1,000 rate,
every section of Dartford's report in the PDF, and no caption parted from its table.
"""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from putright.complaints.models import Complaint
from putright.core.admin import ServiceAreaNameForm
from putright.documents.pdf import render_pdf
from putright.insight import reports
from putright.insight.other_reports import OtherReport
from putright.landlords.calendars import working_calendar
from putright.landlords.models import HomesCount, ServiceAreaName
from tests.cast import Cast, acknowledge, log, respond
from tests.insight_cases import BOTH_NOT_UPHELD
from tests.pdf_text import PdfText, attachment_names, page_texts, pdf_text, squash
from tests.report_jobs import built
from tests.test_insight_reports import TODAY, build_dartford_year
from tests.test_insight_self_assessment import ARTIFACTS

# Seed 003's section headings (Dartford's 2023/24 report), each with the heading Putright gives that section.
DARTFORD_SECTIONS = {
    "1. INTRODUCTION": "1. Introduction",
    "2. SUMMARY OF THE COMPLAINT HANDLING CODE SELF-ASSESSMENT FINDINGS": "2. Summary of the self-assessment",
    "3. ANALYSIS OF COMPLAINT HANDLING PERFORMANCE": "3. Analysis of complaint handling performance",
    "3.2. Number of landlord related complaints opened": "3.1 Complaints received",
    "3.3. Types of matters that were not accepted as a complaint": "3.2 Types of complaint not accepted",
    "3.4. Complaints by housing landlord service area": "3.3 Complaints by service area",
    "3.5. Stage 1 complaint outcomes": "3.4 Stage 1 outcomes",
    "3.6. Stage 2 complaint outcomes": "3.5 Stage 2 outcomes",
    "3.7. Stage 3 (Housing Ombudsman) complaint outcomes": "3.6 Housing Ombudsman",
    "3.8. Tenant satisfaction measures": "3.7 Tenant satisfaction measures",
    "4. IMPROVEMENTS AS A RESULT OF LEARNING FROM COMPLAINTS": "4. Improvements from learning from complaints",
    "ANNEX 1 – SELF-ASSESSMENT": "Annex 1: Self-assessment against the Complaint Handling Code",
    "ANNEX 2 – SELF-ASSESSMENT ACTION PLAN": "Annex 2: Self-assessment action plan",
}

# Each table of the report's body (sections 2 to 4): its caption and the header of its first row.
TABLES = [
    ("Provisions by answer", "Yes"),
    ("Complaints received, escalated to stage 2 and referred to the Ombudsman", "Complaints received (stage 1)"),
    ("Complaints not accepted, by reason", "Legal proceedings have started"),
    ("Complaints received by service area, 2023/24", "Repairs and maintenance"),
    ("Stage 1 outcomes", "2023/24"),
    ("Stage 2 outcomes", "2023/24"),
    ("Complaints referred to the Ombudsman in 2023/24", "202303482"),
    ("Tenant satisfaction measures about complaints", "CH01(1)"),
    ("Complaint handling, 2021/22 to 2023/24", "Stage 1 complaints received"),
    ("Why complaints arose", "Contractor performance"),
    ("Improvements made or under way", "Cleaning of communal areas"),
]


def page_of(pages: list[str], words: str, start: int = 0) -> int:
    """The index of the first page from `start` on which `words` appear, whatever the line wrap."""
    for number in range(start, len(pages)):
        if squash(words) in squash(pages[number]):
            return number
    raise AssertionError(f"{words!r} is not in the PDF from page {start + 1}")


def two_years_before(cast: Cast) -> Complaint:
    """One stage 1 complaint in 2021/22, answered on time, and the homes that year: the trend's third year."""
    landlord = cast.landlord
    HomesCount.objects.create(landlord=landlord, year_starting=2021, low_cost_rental=5234)
    day = date(2021, 9, 6)
    answered = working_calendar(landlord).add_working_days(day, 5)
    return respond(cast, acknowledge(cast, log(cast, day), day), answered, decisions=BOTH_NOT_UPHELD, remedies=[])


@time_machine.travel(TODAY, tick=False)
class AnnualReportAsFullAsDartfordsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, cls.made = build_dartford_year()
        two_years_before(cls.cast)

    def test_three_years_of_trend(self) -> None:
        """8.1(c): the year and the two before it, in every table that compares years."""
        view = reports.annual_report(self.cast.landlord, 2023)
        assert [label for label, _ in view.years] == ["2023/24", "2022/23", "2021/22"]
        rows = {row.measure: (row.now, row.before, row.earlier) for row in view.comparisons}
        assert rows["Stage 1 complaints received"] == ("26", "3", "1")
        assert rows["Stage 1 responses within the Code's timescales"] == ("64.0%", "100.0%", "100.0%")
        page = self.client_page()
        for caption in ("Tenant satisfaction measures about complaints", "Complaint handling, 2021/22 to 2023/24"):
            table = self.table(page, caption)
            assert all(f">{label}</th>" in table for label in ("2023/24", "2022/23", "2021/22"))
        for stage in ("Stage 1", "Stage 2"):
            assert ">2021/22</th>" in self.table(page, f"{stage} outcomes")

    def test_the_received_table_counts_each_line_on_its_own_with_no_total(self) -> None:
        """Dartford's 3.2 added stage 1, stage 2 and the Ombudsman into one "Total" (30), counting the same
        complaint up to three times; each is counted on its own line here, and never added up."""
        view = reports.annual_report(self.cast.landlord, 2023)
        assert view.opened == [
            ("Complaints received (stage 1)", 26, 3, 1),
            ("Escalated to stage 2", 3, 0, 0),
            ("Referred to the Housing Ombudsman", 1, 0, 0),
        ]
        table = self.table(self.client_page(), "Complaints received, escalated to stage 2 and referred")
        assert "Total" not in table and ">30<" not in table
        assert "Escalated to stage 2</th>" in table and "Referred to the Housing Ombudsman</th>" in table

    def test_every_per_1000_rate_states_the_homes_behind_it(self) -> None:
        """CH01(1) and CH01(2) are per 1,000 homes: the count of homes each year is stated next to the rate."""
        view = reports.annual_report(self.cast.landlord, 2023)
        rates = {(row.reference, row.measure): (row.now, row.before, row.earlier) for row in view.tsm}
        assert rates[("CH01(1)", "Stage 1 complaints per 1,000 LCRA homes")] == (
            "4.7 per 1,000 of our 5,530 homes",
            "0.5 per 1,000 of our 5,500 homes",
            "0.2 per 1,000 of our 5,234 homes",
        )
        # No LCHO homes were recorded: the rate says so rather than showing a bare dash.
        assert rates[("CH01(1)", "Stage 1 complaints per 1,000 LCHO homes")][0] == "– (number of homes not recorded)"
        assert "4.7 per 1,000 of our 5,530 homes" in self.client_page()

    def test_the_pdf_has_every_section_of_dartfords_report_and_no_caption_parted_from_its_table(self) -> None:
        view = reports.annual_report(self.cast.landlord, 2023)
        content = render_pdf("insight/annual/pdf.html", {"report": view})
        text: PdfText = pdf_text(content, ARTIFACTS / "annual-report-dartford-2023.pdf", dpi=50, image_pages=6)
        position = text.index("Page 1 of")  # after the cover and its contents
        for dartford, ours in DARTFORD_SECTIONS.items():
            assert ours in text, f"Dartford's {dartford!r} has no section in the PDF"
            position = text.index(ours, position)  # in Dartford's order
        pages = page_texts(content)
        body = page_of(pages, "3. Analysis of complaint handling performance") - 1  # from section 2's page
        for caption, first_row in TABLES:
            where = page_of(pages, caption, body)
            assert squash(first_row) in squash(pages[where]).split(squash(caption), 1)[1], (
                f"the caption {caption!r} is on page {where + 1} but its table's first row is not"
            )

    def test_other_relevant_reports_are_added_on_the_edit_page_and_listed_in_the_report(self) -> None:
        """8.1(f): any other relevant report by the Ombudsman about the landlord's work is in the annual report."""
        self.client.force_login(self.cast.officer)
        edit = "/staff/insight/annual/2023/edit/"
        page = self.client.get(edit).content.decode()
        assert "Other relevant reports" in page and "No other reports are listed for 2023/24." in page
        by_link = {
            "other-title": "Spotlight on <damp> and mould",
            "other-published_on_0": "25",
            "other-published_on_1": "10",
            "other-published_on_2": "2023",
            "other-summary": "Landlords must act on damp & mould without waiting for a complaint",
            "other-link": "https://www.housing-ombudsman.org.uk/spotlight-damp",
        }
        response = self.client.post("/staff/insight/annual/2023/other-reports/", by_link)
        assert response.status_code == 302 and response["Location"] == edit
        letter = render_pdf("insight/pdf/base.html", {})
        upload = SimpleUploadedFile("Special report.pdf", letter, content_type="application/pdf")
        by_file = by_link | {"other-title": "Special investigation", "other-link": "", "other-file": upload}
        by_file["other-summary"] = "Found failings in repairs"
        assert self.client.post("/staff/insight/annual/2023/other-reports/", by_file).status_code == 302
        page = self.client.get(edit).content.decode()
        assert "Spotlight on &lt;damp&gt; and mould" in page and "<damp>" not in page  # escaped
        # Listed in the web page, with the link or the file.
        page = self.client_page()
        assert "5.1 Other relevant reports" in page and "Spotlight on &lt;damp&gt; and mould" in page
        assert 'href="https://www.housing-ombudsman.org.uk/spotlight-damp"' in page
        uploaded = OtherReport.objects.get(title="Special investigation")
        download = self.client.get(f"/staff/insight/annual/2023/other-reports/{uploaded.pk}/")
        assert download["Content-Type"] == "application/pdf" and b"".join(download.streaming_content) == letter
        # And in the PDF, the uploaded one attached to it.
        pdf = built(self.client, self.client.post("/staff/insight/annual/2023/report.pdf")).content
        text = PdfText(page_texts(pdf))
        assert "5.1 Other relevant reports" in text and "Spotlight on <damp> and mould" in text
        assert "Found failings in repairs" in text and "Special report.pdf" in attachment_names(pdf)
        # Removed from the edit page.
        spotlight = OtherReport.objects.get(title__startswith="Spotlight")
        response = self.client.post(f"/staff/insight/annual/2023/other-reports/{spotlight.pk}/remove/")
        assert response.status_code == 302 and not OtherReport.objects.filter(pk=spotlight.pk).exists()

    def test_an_other_report_needs_a_link_or_a_pdf_and_each_bad_input_gets_an_error(self) -> None:
        self.client.force_login(self.cast.officer)
        url = "/staff/insight/annual/2023/other-reports/"
        page = self.client.post(url, {}).content.decode()
        for message in (
            "Enter the report&#x27;s title",
            "Enter a line on what the report says",
            "Enter the date the report was published",
        ):
            assert message in page
        base = {
            "other-title": "Spotlight",
            "other-published_on_0": "25",
            "other-published_on_1": "10",
            "other-published_on_2": "2023",
            "other-summary": "What it says",
        }
        page = self.client.post(url, base).content.decode()
        assert "Enter a link to the report or upload it as a PDF" in page
        page = self.client.post(url, base | {"other-link": "not a link"}).content.decode()
        assert "Enter the link in the right format" in page
        docx = SimpleUploadedFile("report.docx", b"PK\x03\x04 not a pdf", content_type="application/pdf")
        page = self.client.post(url, base | {"other-file": docx}).content.decode()
        assert "The selected file must be a PDF" in page
        pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.7 tiny", content_type="application/pdf")
        page = self.client.post(url, base | {"other-file": pdf, "other-link": "https://example.org/r"}).content.decode()
        assert "Give a link or upload a PDF, not both" in page
        page = self.client.post(url, base | {"other-published_on_2": "2099", "other-link": "https://example.org/r"})
        assert "must be today or in the past" in page.content.decode()
        assert 'class="govuk-error-summary"' in page.content.decode()
        assert not OtherReport.objects.exists()

    def test_only_an_editor_at_the_landlord_adds_or_removes_an_other_report(self) -> None:
        report = OtherReport.objects.create(
            landlord=self.cast.landlord,
            year_starting=2023,
            title="Spotlight",
            link="https://example.org/r",
            published_on=date(2023, 10, 25),
            summary="What it says",
            added_by=self.cast.officer,
            added_at=date(2023, 10, 25).isoformat() + "T00:00:00Z",
        )
        data = {"other-title": "X", "other-summary": "Y", "other-link": "https://example.org/x"}
        for user in (self.cast.auditor, self.cast.handler):
            self.client.force_login(user)
            assert self.client.post("/staff/insight/annual/2023/other-reports/", data).status_code == 403
            assert self.client.post(f"/staff/insight/annual/2023/other-reports/{report.pk}/remove/").status_code == 403
        self.client.force_login(self.cast.stranger)  # another landlord's officer: not found
        assert self.client.post(f"/staff/insight/annual/2023/other-reports/{report.pk}/remove/").status_code == 404
        assert OtherReport.objects.filter(pk=report.pk).exists() and OtherReport.objects.count() == 1

    def test_the_by_area_table_uses_the_landlords_own_names_for_service_areas(self) -> None:
        """Dartford's 3.4 names its own areas ("Communal areas", "Leasehold service"); each maps to one of
        Putright's standard areas, and the report's by-area table shows the landlord's names."""
        landlord = self.cast.landlord
        ServiceAreaName.objects.create(landlord=landlord, area="estate", name="Communal areas")
        ServiceAreaName.objects.create(landlord=landlord, area="other", name="Leasehold service")
        ServiceAreaName.objects.create(landlord=landlord, area="tenancy", name="Tenancy services")
        view = reports.annual_report(landlord, 2023)
        assert view.by_service_area == [
            ("Repairs and maintenance", 13, 3, 16),
            ("Tenancy services", 4, 0, 4),
            ("Communal areas", 3, 0, 3),
            ("Anti-social behaviour", 2, 0, 2),
            ("Allocations and lettings", 2, 0, 2),
            ("Rent, charges and arrears", 1, 0, 1),
            ("Leasehold service", 1, 0, 1),
        ]
        table = self.table(self.client_page(), "Complaints received by service area")
        assert "Communal areas</th>" in table and "Estates, grounds and cleaning" not in table
        # Another landlord's names are not used.
        ServiceAreaName.objects.create(landlord=self.cast.other_landlord, area="repairs", name="Fixing things")
        assert reports.annual_report(landlord, 2023).by_service_area[0][0] == "Repairs and maintenance"

    def test_a_service_area_name_needs_a_standard_area_and_a_name(self) -> None:
        form = ServiceAreaNameForm(data={"area": "leasehold", "name": ""})
        assert not form.is_valid()
        assert form.errors == {
            "area": ["Select Putright's service area"],
            "name": ["Enter your name for the service area"],
        }
        assert ServiceAreaNameForm(data={"area": "other", "name": "Leasehold service"}).is_valid()

    def client_page(self) -> str:
        self.client.force_login(self.cast.manager)
        response = self.client.get("/staff/insight/annual/2023/")
        assert response.status_code == 200
        return response.content.decode()

    @staticmethod
    def table(page: str, caption: str) -> str:
        start = page.index(caption)
        return page[start : page.index("</table>", start)]

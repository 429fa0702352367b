"""The Ombudsman's casework in the reports: the annual report lists every case the Ombudsman
determined in the year, including those referred in an earlier one, with its findings on each
element and its orders (8.1 c, in the shape of Dartford's 3.7, seed 003); the governance report
follows orders and recommendations to compliance (9.7 c); the measures count determinations by
finding with the maladministration rate; the self-assessment's provisions that mention the
Ombudsman (4.1, 7.4, 8.1, 9.7) take their evidence from the cases.

Each case is made through the ombudsman app's actions, each step on its own day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints.actions import record_ombudsman_referral
from putright.complaints.models import Complaint
from putright.insight import measures, reports
from putright.insight.evidence import PREFILLED, evidence_for
from putright.insight.ombudsman_outcomes import determined_cases, orders_in_quarter
from putright.insight.periods import Period
from putright.ombudsman import actions
from putright.ombudsman.models import CaseStage, Finding, OmbudsmanCase, Order
from tests.cast import Cast, log, make_cast
from tests.pdf_text import pdf_text
from tests.report_jobs import built
from tests.test_insight_self_assessment import ARTIFACTS

TODAY = date(2025, 6, 16)  # the 2024/25 reports are written after the year's end
YEAR = 2024


def on(day: date) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


def referred(cast: Cast, received: date, referred_on: date, reference: str) -> OmbudsmanCase:
    """A complaint taken to the Ombudsman: the referral recorded on the complaint opens its case."""
    with on(received):
        complaint = log(cast, received)
    with on(referred_on):
        record_ombudsman_referral(complaint, cast.officer, on=referred_on, ombudsman_reference=reference)
    return OmbudsmanCase.objects.get(complaint=complaint)


def determine(cast: Cast, case: OmbudsmanCase, day: date, *findings: tuple[str, str]) -> None:
    with on(day):
        if case.stage != CaseStage.INVESTIGATION and case.stage != CaseStage.EVIDENCE_REQUESTED:
            case = actions.move_case(case, cast.officer, to=CaseStage.INVESTIGATION, on=day)
        for element, finding in findings:
            actions.record_determination(case, cast.officer, element=element, finding=finding, determined_on=day)
            case.refresh_from_db()


def order(cast: Cast, case: OmbudsmanCase, day: date, kind: str, what: str, due_on: date) -> Order:
    case.refresh_from_db()
    with on(day):
        return actions.add_order(case, cast.officer, kind=kind, what=what, owner=cast.handler, due_on=due_on)


def comply(cast: Cast, made: Order, day: date, confirmed_on: date | None = None) -> None:
    with on(day):
        made = actions.update_order(made, cast.handler, completed_on=day, evidence="Letter and payment record.")
    if confirmed_on:
        with on(confirmed_on):
            actions.confirm_compliance(made, cast.officer, on=confirmed_on)


def build_year() -> tuple[Cast, dict[str, OmbudsmanCase], dict[str, Order]]:
    """Dartford's two cases (seed 003, 3.7), moved into 2024/25, and one still with the Ombudsman.

    A: referred in 2023/24, determined in 2024/25: no maladministration on the anti-social behaviour,
       service failure in the complaint handling; an order complied with on time and confirmed.
    B: referred and determined in 2024/25, after two evidence requests (one late, one on time):
       severe maladministration on the repairs, reasonable redress on the communication; an order
       never complied with (overdue) and a recommendation complied with late, not yet confirmed.
    C: referred in 2024/25, not yet determined.
    """
    cast = make_cast()
    a = referred(cast, date(2023, 11, 1), date(2024, 2, 5), "202303494")
    determine(
        cast,
        a,
        date(2024, 6, 10),
        ("The handling of reports of anti-social behaviour", Finding.NO_MALADMINISTRATION),
        ("The complaint handling", Finding.SERVICE_FAILURE),
    )
    pay = order(
        cast, a, date(2024, 6, 10), "order", "Pay the resident £150 for the complaint handling", date(2024, 7, 8)
    )
    comply(cast, pay, date(2024, 7, 1), confirmed_on=date(2024, 7, 15))

    b = referred(cast, date(2024, 5, 1), date(2024, 8, 1), "202403482")
    with on(date(2024, 8, 1)):
        first = actions.request_evidence(b, cast.officer, what="The repair records", requested_on=date(2024, 8, 1))
    with on(date(2024, 8, 30)):  # the policy's 15 working days ran out on 22 August
        actions.record_evidence_sent(first, cast.officer, sent_on=date(2024, 8, 30), response="Repair log")
    with on(date(2024, 9, 2)):
        second = actions.request_evidence(
            b, cast.officer, what="The letters", requested_on=date(2024, 9, 2), ombudsman_due_on=date(2024, 9, 20)
        )
    with on(date(2024, 9, 10)):
        actions.record_evidence_sent(second, cast.officer, sent_on=date(2024, 9, 10), response="Letters")
    b.refresh_from_db()
    determine(
        cast,
        b,
        date(2024, 11, 15),
        ("Repairs to the roof", Finding.SEVERE_MALADMINISTRATION),
        ("Communication about the repairs", Finding.REASONABLE_REDRESS),
    )
    apologise = order(cast, b, date(2024, 11, 15), "order", "Apologise in writing", date(2024, 12, 6))
    review = order(cast, b, date(2024, 11, 15), "recommendation", "Review the repairs policy", date(2025, 1, 31))
    comply(cast, review, date(2025, 2, 10))

    c = referred(cast, date(2024, 6, 3), date(2024, 9, 2), "202404001")
    return cast, {"A": a, "B": b, "C": c}, {"pay": pay, "apologise": apologise, "review": review}


@time_machine.travel(TODAY, tick=False)
class OmbudsmanInTheAnnualReportTests(TestCase):
    """8.1 (c): the annual report carries the Ombudsman's findings, as Dartford's 3.7 does."""

    cast: Cast
    cases: dict[str, OmbudsmanCase]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, cls.cases, _ = build_year()

    def test_cases_determined_in_the_year_appear_including_one_referred_the_year_before(self) -> None:
        view = reports.annual_report(self.cast.landlord, YEAR)
        assert [d.case.reference for d in view.determined] == ["202303494", "202403482"]
        earlier, this_year = view.determined
        assert earlier.referred_earlier and not this_year.referred_earlier
        assert view.determined_referred_earlier == 1
        assert earlier.summary == (
            "Referred on 5 February 2024, in 2023/24, and determined by the Ombudsman in this reporting year, "
            "on 10 June 2024."
        )
        assert [(f.element, f.get_finding_display()) for f in earlier.findings] == [
            ("The handling of reports of anti-social behaviour", "No maladministration"),
            ("The complaint handling", "Service failure"),
        ]
        # The existing list of referrals made in the year stays as its own table: B and C, not A.
        assert [c.ombudsman_reference for c in view.referrals] == ["202403482", "202404001"]
        # The year before lists A's referral, but nothing determined.
        before = reports.annual_report(self.cast.landlord, YEAR - 1)
        assert before.determined == [] and [c.ombudsman_reference for c in before.referrals] == ["202303494"]

    def test_orders_show_how_they_were_complied_with_when_the_report_was_made(self) -> None:
        view = reports.annual_report(self.cast.landlord, YEAR)
        statuses = [(row.order.what, row.overdue, row.status) for d in view.determined for row in d.orders]
        assert statuses == [
            (
                "Pay the resident £150 for the complaint handling",
                False,
                "Complied with on 1 July 2024; the Ombudsman confirmed compliance on 15 July 2024",
            ),
            ("Apologise in writing", True, "Not complied with: it was due on 6 December 2024"),
            (
                "Review the repairs policy",
                False,
                "Complied with on 10 February 2025 (after its deadline of 31 January 2025); waiting for the "
                "Ombudsman to confirm compliance",
            ),
        ]

    def test_the_web_page_lists_each_case_with_its_references_dates_findings_and_orders(self) -> None:
        self.client.force_login(self.cast.manager)
        page = self.client.get(f"/staff/insight/annual/{YEAR}/").content.decode()
        section = page[page.index("3.6 Housing Ombudsman") : page.index("3.7 Tenant satisfaction measures")]
        complaint = OmbudsmanCase.objects.get(reference="202303494").complaint.reference
        for words in (
            "Complaints referred to the Ombudsman in 2024/25",
            "Cases the Ombudsman determined in 2024/25",
            "determined 2 cases about",
            "1 of them referred in an earlier year",
            "Housing Ombudsman complaint 202303494",
            f"Complaint {complaint}.",
            "The handling of reports of anti-social behaviour",
            "Severe maladministration",
            "Maladministration rate",
            "50.0% (2 of 4)",
            "Apologise in writing",
            "Overdue",
        ):
            assert words in section, words

    def test_a_confidential_complaints_reference_is_withheld_from_the_published_report(self) -> None:
        complaint = OmbudsmanCase.objects.get(reference="202303494").complaint
        Complaint.objects.filter(pk=complaint.pk).update(confidential_reason="About a member of staff's conduct")
        self.client.force_login(self.cast.manager)
        page = self.client.get(f"/staff/insight/annual/{YEAR}/").content.decode()
        section = page[page.index("3.6 Housing Ombudsman") : page.index("3.7 Tenant satisfaction measures")]
        assert "Housing Ombudsman complaint 202303494" in section
        assert "Complaint (confidential: reference withheld)." in section
        assert complaint.reference not in section

    def test_the_pdf_carries_the_same_section(self) -> None:
        self.client.force_login(self.cast.officer)
        response = built(self.client, self.client.post(f"/staff/insight/annual/{YEAR}/report.pdf"))
        assert response.status_code == 200
        text = pdf_text(response.content, ARTIFACTS / "annual-report-ombudsman-2024.pdf", dpi=60, image_pages=0)
        position = text.index("3.6 Housing Ombudsman")
        for words in (
            "Complaints referred to the Ombudsman in 2024/25",
            "Cases the Ombudsman determined in 2024/25",
            "Housing Ombudsman complaint 202303494",
            "Referred on 5 February 2024, in 2023/24, and determined by the Ombudsman in this reporting year",
            "The complaint handling",
            "Housing Ombudsman complaint 202403482",
            "Repairs to the roof",
            "Review the repairs policy",
            "waiting for the Ombudsman to confirm compliance",
        ):
            position = text.index(words, position)  # each present, in the page's order
        assert text.index("3.7 Tenant satisfaction measures") > position


@time_machine.travel(TODAY, tick=False)
class OmbudsmanMeasuresTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, _, _ = build_year()

    def test_determinations_are_counted_by_finding_in_the_year_they_were_made(self) -> None:
        found = measures.compute(self.cast.landlord, Period.reporting_year(YEAR)).ombudsman
        assert found.referrals == 2 and found.cases_determined == 2
        assert {row.label: row.count for row in found.findings} == {
            "Severe maladministration": 1,
            "Maladministration": 0,
            "Service failure": 1,
            "No maladministration": 1,
            "Reasonable redress": 1,
            "Outside jurisdiction": 0,
        }
        before = measures.compute(self.cast.landlord, Period.reporting_year(YEAR - 1)).ombudsman
        assert before.referrals == 1 and before.cases_determined == 0

    def test_the_maladministration_rate_is_adverse_findings_of_findings_on_the_merits(self) -> None:
        # As the Ombudsman counts it: severe maladministration, maladministration and service failure, of the
        # findings on the merits; outside jurisdiction is no finding about the landlord and is left out.
        case = OmbudsmanCase.objects.get(reference="202404001")
        determine(self.cast, case, date(2025, 3, 3), ("A matter for the courts", Finding.OUTSIDE_JURISDICTION))
        found = measures.compute(self.cast.landlord, Period.reporting_year(YEAR)).ombudsman
        assert (found.maladministration_rate.part, found.maladministration_rate.whole) == (2, 4)
        assert found.maladministration_rate.percent == 50.0 and found.cases_determined == 3
        # The same numbers as the ombudsman app's own count.
        counted = measures.ombudsman_findings(self.cast.landlord, Period.reporting_year(YEAR))
        assert (counted.adverse, counted.on_merits, counted.total) == (2, 4, 5)

    def test_a_service_area_counts_only_its_complaints_determinations(self) -> None:
        found = measures.compute(self.cast.landlord, Period.reporting_year(YEAR), "asb").ombudsman
        assert found.cases_determined == 0 and found.maladministration_rate.whole == 0

    def test_the_dashboard_and_the_json_show_them(self) -> None:
        self.client.force_login(self.cast.auditor)
        page = self.client.get("/staff/insight/", {"year": str(YEAR)}).content.decode()
        section = page[page.index('id="ombudsman"') :]
        assert "2 cases determined in it" in section and "50.0% (2 of 4)" in section
        data = self.client.get("/staff/insight/measures.json", {"year": str(YEAR)}).json()["ombudsman"]
        assert data["cases_determined"] == 2
        assert data["maladministration_rate"] == {"part": 2, "whole": 4, "percent": 50.0}
        assert {"key": "severe-maladministration", "label": "Severe maladministration", "count": 1} in data["findings"]
        self.client.force_login(self.cast.stranger)  # another landlord's staff see their own landlord's nothing
        other = self.client.get("/staff/insight/measures.json", {"year": str(YEAR)}).json()["ombudsman"]
        assert other["cases_determined"] == 0


@time_machine.travel(TODAY, tick=False)
class OmbudsmanInTheGovernanceReportTests(TestCase):
    """9.7 (c): the governing body receives the Ombudsman's outcomes and progress on its orders."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, _, _ = build_year()

    def test_an_order_due_complied_with_and_confirmed_in_the_quarter(self) -> None:
        orders = reports.governance_report(self.cast.landlord, YEAR, 2).orders  # July to September 2024
        assert [row.order.what for row in orders.orders] == ["Pay the resident £150 for the complaint handling"]
        assert (orders.due, orders.due_met, orders.completed, orders.confirmed, orders.overdue) == (1, 1, 1, 1, 0)
        # The quarter before, the same order was open and not yet due.
        before = reports.governance_report(self.cast.landlord, YEAR, 1).orders
        assert [row.status for row in before.orders] == ["Due on 8 July 2024"]

    def test_an_order_not_complied_with_is_overdue_at_the_quarters_end(self) -> None:
        orders = reports.governance_report(self.cast.landlord, YEAR, 3).orders  # October to December 2024
        assert orders.as_at == date(2024, 12, 31)
        assert [(row.order.what, row.overdue) for row in orders.orders] == [
            ("Apologise in writing", True),
            ("Review the repairs policy", False),
        ]
        assert (orders.due, orders.due_met, orders.completed, orders.overdue) == (1, 0, 0, 1)
        # The next quarter: the recommendation complied with late, waiting for the Ombudsman; the order still overdue.
        later = reports.governance_report(self.cast.landlord, YEAR, 4).orders
        assert (later.due, later.completed, later.completed_late, later.overdue) == (1, 1, 1, 1)
        assert later.awaiting_confirmation == 1

    def test_the_report_says_9_7_c_is_supported_in_the_page_and_the_pdf(self) -> None:
        self.client.force_login(self.cast.auditor)
        page = self.client.get("/staff/insight/governance/", {"year": str(YEAR), "quarter": "3"}).content.decode()
        assert "until Ombudsman casework is added" not in page
        response = built(
            self.client, self.client.post("/staff/insight/governance/report.pdf", {"year": str(YEAR), "quarter": "3"})
        )
        text = pdf_text(response.content, ARTIFACTS / "governance-ombudsman-2024-q3.pdf", dpi=60, image_pages=0)
        position = text.index("3. The Ombudsman: outcomes and orders (9.7 c)")
        for words in (
            "The Housing Ombudsman determined 1 case this quarter (2 in the year to date)",
            "Severe maladministration",
            "Orders and recommendations: compliance",
            "Due in the quarter",
            "Overdue on 31 December 2024",
            "Apologise in writing",
            "Not complied with: it was due on 6 December 2024",
            "Review the repairs policy",
        ):
            position = text.index(words, position)
        assert text.index("4. The annual report (9.7 d)") > position


@time_machine.travel(TODAY, tick=False)
class OmbudsmanEvidenceForTheSelfAssessmentTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, _, _ = build_year()

    def test_the_provisions_that_mention_the_ombudsman_take_evidence_from_the_cases(self) -> None:
        assert {"4.1", "7.4", "8.1", "9.7"} <= set(PREFILLED)
        sentences = evidence_for(self.cast.landlord, YEAR).sentences
        # 4.1: Ombudsman liaison; evidence sent by the date that applied (the policy's, or the Ombudsman's own).
        assert "2 Ombudsman cases opened in the year (2 on a referral" in sentences["4.1"]
        assert (
            "Of 2 requests for evidence due in the year, 1 answered by the date that applied, 1 late"
            in (sentences["4.1"])
        )
        assert "(1 to a date the Ombudsman set" in sentences["4.1"]
        # 7.4: reasonable redress found, and orders complied with on time.
        assert (
            "reasonable redress (the landlord's own remedy put things right) on 1 of the 4 elements"
            in (sentences["7.4"])
        )
        # 8.1 (c): the findings in the annual report, with the maladministration rate.
        assert "each of the 2 cases the Ombudsman determined in the year" in sentences["8.1"]
        assert (
            "severe maladministration 1; service failure 1; no maladministration 1; reasonable redress 1"
            in (sentences["8.1"])
        )
        assert "maladministration rate 50.0% (2 of 4 findings on the merits)" in sentences["8.1"]
        # 9.7 (c): orders due in the year and their compliance.
        assert (
            "3 orders and recommendations of the Ombudsman fell due in the year: 1 complied with by the deadline, "
            "1 late, 1 overdue and not yet complied with; the Ombudsman confirmed compliance with 1 order"
        ) in sentences["9.7"]


@time_machine.travel(TODAY, tick=False)
class QueriesDoNotGrowWithTheCasesTests(TestCase):
    cast: Cast
    cases: dict[str, OmbudsmanCase]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast, cls.cases, _ = build_year()

    def counted(self, build: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as queries:
            build()
        return len(queries)

    def test_the_reports_read_in_a_fixed_number_of_queries(self) -> None:
        landlord = self.cast.landlord

        def annual() -> object:
            return reports.annual_report(landlord, YEAR)

        def governance() -> object:
            return reports.governance_report(landlord, YEAR, 4)

        annual(), governance()  # the calendar is cached after the first call
        before = (self.counted(annual), self.counted(governance))
        for n in range(3):
            case = referred(self.cast, date(2024, 4, 2), date(2024, 5, 1), f"20240410{n}")
            determine(self.cast, case, date(2025, 1, 6), ("The repair", Finding.MALADMINISTRATION))
            made = order(self.cast, case, date(2025, 1, 6), "order", "Pay £50", date(2025, 2, 3))
            comply(self.cast, made, date(2025, 1, 20))
        assert len(reports.annual_report(landlord, YEAR).determined) == 5
        assert len(reports.governance_report(landlord, YEAR, 4).orders.orders) == 5
        assert (self.counted(annual), self.counted(governance)) == before
        with self.assertNumQueries(3):  # the cases determined, their determinations, their orders with owners
            determined_cases(landlord, Period.reporting_year(YEAR), TODAY)
        with self.assertNumQueries(1):
            orders_in_quarter(landlord, Period.quarter(YEAR, 4), TODAY)

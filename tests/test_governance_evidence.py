"""9.7 from the data alone (issue 17): an Ashford-shaped landlord (Cabinet, and a Member Responsible for
Complaints who is the Cabinet Portfolio Holder for Housing) that presented the four quarterly governance
reports and the annual report in 2024/25 answers "yes"; with a quarter missing it does not, and the sentence
names the quarter."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase

from putright.governance.actions import bodies
from putright.governance.evidence import governance_evidence
from putright.governance.models import GoverningBody, OversightRole, ReportKind
from putright.insight import actions as insight_actions
from putright.insight.evidence import evidence_for
from putright.landlords.models import StaffRole
from tests.cast import make_cast, staff

TODAY = date(2025, 7, 10)
QUARTERS = {1: date(2024, 7, 24), 2: date(2024, 10, 23), 3: date(2025, 1, 22), 4: date(2025, 4, 23)}


@time_machine.travel(TODAY, tick=False)
class NineSevenFromTheDataTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("clare.member", cls.cast.landlord, StaffRole.MEMBER)
        with time_machine.travel(TODAY, tick=False):
            cls.cabinet = bodies.add_governing_body(
                cls.cast.landlord, cls.cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
            )
            bodies.appoint(
                cls.cast.landlord,
                cls.cast.officer,
                role=OversightRole.MRC,
                name="Cllr Clare Member",
                title="Portfolio Holder for Housing",
                starts_on=date(2023, 5, 18),
                user=cls.member,
            )

    def present(self, quarter: int | None, on: date, report: str = ReportKind.GOVERNANCE, year: int = 2024) -> None:
        bodies.record_presentation(
            self.cast.landlord,
            self.cast.officer,
            report=report,
            year_starting=year,
            quarter=quarter,
            body=self.cabinet,
            to_member=True,
            meeting=f"Cabinet, {on:%-d %B %Y}",
            presented_on=on,
        )

    def test_every_quarter_and_the_annual_report_presented_answers_yes(self) -> None:
        for quarter, on in QUARTERS.items():
            self.present(quarter, on)
        self.present(None, date(2025, 6, 26), report=ReportKind.ANNUAL)
        found = evidence_for(self.cast.landlord, 2024)
        assert found.answers["9.7"] == "yes"
        sentence = found.sentences["9.7"]
        assert sentence.startswith("Presented in 2024/25: Governance report, Q1 2024/25 to Cabinet and the Member "
                                   "Responsible for Complaints (Cllr Clare Member) on 24 July 2024")  # fmt: skip
        for on in (*QUARTERS.values(), date(2025, 6, 26)):
            assert f"on {on:%-d %B %Y}" in sentence
        assert "Annual complaints report 2024/25 to Cabinet" in sentence
        assert "Not recorded" not in sentence
        # The Ombudsman's own sentence for 9.7 stays, after this one.
        assert "Cabinet, 26 June 2025). Each governance report carries" in sentence
        assert sentence.endswith(
            "the Ombudsman's outcomes and orders. The quarterly governance report follows each order to compliance "
            "(9.7 c). " + sentence.rsplit("(9.7 c). ", 1)[1]
        )
        assert found.sentences["9.5"] == (
            "Member Responsible for Complaints in 2024/25: Cllr Clare Member, Portfolio Holder for Housing, "
            "from 18 May 2023."
        )

    def test_a_quarter_missing_is_not_yes_and_is_named(self) -> None:
        for quarter, on in QUARTERS.items():
            if quarter != 3:
                self.present(quarter, on)
        self.present(None, date(2025, 6, 26), report=ReportKind.ANNUAL)
        found = evidence_for(self.cast.landlord, 2024)
        assert found.answers["9.7"] == "partial"
        assert "Not recorded: the governance report for quarter 3." in found.sentences["9.7"]

    def test_a_report_to_the_governing_body_only_is_not_enough(self) -> None:
        for quarter, on in QUARTERS.items():
            bodies.record_presentation(
                self.cast.landlord,
                self.cast.officer,
                report=ReportKind.GOVERNANCE,
                year_starting=2024,
                quarter=quarter,
                body=self.cabinet,
                to_member=quarter != 2,
                meeting="Cabinet",
                presented_on=on,
            )
        self.present(None, date(2025, 6, 26), report=ReportKind.ANNUAL)
        found = governance_evidence(self.cast.landlord.pk, 2024)
        assert found.answers["9.7"] == "partial"
        assert "quarter 2's governance report to the Member Responsible for Complaints" in found.sentences["9.7"]

    def test_nothing_presented_answers_no(self) -> None:
        found = evidence_for(self.cast.landlord, 2024)
        assert found.answers["9.7"] == "no"
        assert found.sentences["9.7"].startswith("No report is recorded as presented")
        assert found.sentences["8.2"] == "The 2023/24 annual report is not recorded as presented to the governing body."

    def test_the_previous_years_annual_report_and_its_response_give_8_2(self) -> None:
        insight_actions.record_governing_body_response(
            self.cast.landlord,
            self.cast.officer,
            year_starting=2023,
            governing_body="Cabinet",
            response="Cabinet noted the report.",
            on=date(2024, 6, 20),
        )
        found = evidence_for(self.cast.landlord, 2024)
        assert found.sentences["8.2"] == (
            "The 2023/24 annual report was presented to Cabinet and the Member Responsible for Complaints "
            "(Cllr Clare Member) on 20 June 2024, which responded on 20 June 2024."
        )

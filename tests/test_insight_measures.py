"""Every measure for a known year, against figures worked out by hand (docs/measures.md, "Worked example").

The cases are in tests/insight_cases.py. Reporting year 2024 is 1 April 2024 to 31 March 2025.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.models import Stage
from putright.insight import measures
from putright.insight.measures import Counted, Share
from putright.insight.periods import Period
from tests.cast import acknowledge, log, respond
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year

YEAR_2024 = Period.reporting_year(2024)


def counts(rows: list[Counted]) -> dict[str, int]:
    return {row.key: row.count for row in rows}


@time_machine.travel(BUILT_ON, tick=False)
class KnownYearMeasuresTests(TestCase):
    year: KnownYear
    m: measures.Measures

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        cls.m = measures.compute(cls.year.cast.landlord, YEAR_2024)

    def test_ch01_counts_accepted_stage_1_complaints_received_per_1000_homes_lcra_and_lcho_apart(self) -> None:
        s1 = self.m.stage1
        # A B C D E F G I N O are LCRA; J is LCHO; K is a leaseholder; H was not accepted.
        assert s1.received == 12 and s1.other_tenure == 1
        assert (s1.lcra.complaints, s1.lcra.homes, s1.lcra.per_1000) == (10, 2130, 4.7)  # 4.69
        assert (s1.lcho.complaints, s1.lcho.homes, s1.lcho.per_1000) == (1, 85, 11.8)  # 11.76

    def test_ch01_2_counts_escalations_by_the_day_stage_2_was_asked_for(self) -> None:
        s2 = self.m.stage2
        # L (stage 1 in 2023/24, escalated 8 April 2024) and J count; I (escalated 8 April 2025) does not.
        assert s2.received == 2
        assert (s2.lcra.complaints, s2.lcra.per_1000) == (1, 0.5)  # 0.47
        assert (s2.lcho.complaints, s2.lcho.per_1000) == (1, 11.8)

    def test_ch02_1_with_code_compliant_extensions_and_without(self) -> None:
        s1 = self.m.stage1
        # Responded in the year: P (answered 2 April 2024) A B J D K E F O I; not C (answered 1 April 2025).
        assert s1.responded == 10
        # Late: B (a late acknowledgement buys no time) and F (its extension was told after the deadline).
        assert s1.within_timescale == Share(8, 10) and s1.within_timescale.percent == 80.0
        # D and E were on time only thanks to their extensions.
        assert s1.within_without_extensions == Share(6, 10) and s1.within_without_extensions.percent == 60.0
        assert s1.extended == 3

    def test_ch02_2(self) -> None:
        s2 = self.m.stage2
        # L within its 10-day extension; J late, its 20 days counted from 5 August, when the acknowledgement was due.
        assert s2.responded == 2
        assert s2.within_timescale == Share(1, 2) and s2.within_timescale.percent == 50.0
        assert s2.within_without_extensions == Share(0, 2) and s2.within_without_extensions.percent == 0.0
        assert s2.extended == 1

    def test_acknowledgements_are_judged_by_the_codes_5_days_not_the_policys_7(self) -> None:
        b = Stage.objects.get(complaint=self.year["B"], number=1)
        # Stored under the floor: the Code's 5 working days, not the landlord's own 7 (10 July).
        assert b.acknowledge_due == date(2024, 7, 8)
        s1, s2 = self.m.stage1, self.m.stage2
        assert s1.acknowledged_within == Share(10, 11) and s1.acknowledged_within.percent == 90.9
        assert s2.acknowledged_within == Share(1, 2) and s2.acknowledged_within.percent == 50.0

    def test_working_days_to_acknowledge(self) -> None:
        timing = self.m.stage1.to_acknowledge
        # C E J 0; D F I 1; A G O 2; K 5 (received on a Saturday); B 6.
        assert (timing.count, timing.total_days, timing.average_days) == (11, 20, 1.8)
        assert [b.count for b in timing.bands] == [3, 3, 3, 0, 0, 1, 1, 0]
        timing = self.m.stage2.to_acknowledge
        assert (timing.count, timing.average_days) == (2, 5.5)
        assert [b.count for b in timing.bands] == [0, 0, 0, 0, 0, 1, 1, 0]

    def test_working_days_to_respond_from_the_acknowledgement(self) -> None:
        timing = self.m.stage1.to_respond
        # P 1; A O 8; J 9; B I K 10; D F 13; E 23.
        assert (timing.count, timing.total_days, timing.average_days) == (10, 105, 10.5)
        assert [b.count for b in timing.bands] == [1, 6, 2, 0, 1, 0, 0]
        timing = self.m.stage2.to_respond
        assert (timing.count, timing.total_days, timing.average_days) == (2, 44, 22.0)
        assert [b.count for b in timing.bands] == [0, 0, 0, 1, 1, 0, 0]

    def test_outcomes_by_stage_with_withdrawn_before_response(self) -> None:
        assert counts(self.m.stage1.outcomes) == {"upheld": 1, "partly-upheld": 5, "not-upheld": 4, "withdrawn": 1}
        assert self.m.stage1.concluded == 11
        assert counts(self.m.stage2.outcomes) == {"upheld": 1, "partly-upheld": 1, "not-upheld": 0, "withdrawn": 0}

    def test_volumes_by_service_area_and_channel(self) -> None:
        assert counts(self.m.by_service_area) == {"repairs": 10, "damp-mould": 1, "estate": 1}
        assert [row.key for row in self.m.by_service_area] == ["repairs", "damp-mould", "estate"]
        assert counts(self.m.stage2_by_service_area) == {"repairs": 1, "damp-mould": 1}
        assert counts(self.m.by_channel) == {"online": 1, "email": 1, "phone": 8, "letter": 1, "councillor-or-mp": 1}
        assert self.m.via_representative == 1

    def test_not_accepted_by_ground_and_escalations_refused(self) -> None:
        refusals = self.m.refusals
        assert refusals.not_accepted == 1
        assert refusals.by_ground == [Counted("legal-proceedings", "It is a complaint about court proceedings", 1)]
        assert counts(refusals.by_service_area) == {"asb": 1}
        assert refusals.escalation_refused == 1 and counts(refusals.escalation_refused_by_ground) == {
            "legal-proceedings": 1
        }

    def test_escalation_rate_counts_escalations_by_the_end_of_the_year(self) -> None:
        assert self.m.escalated == Share(1, 10) and self.m.escalated.percent == 10.0  # J; I went in April 2025

    def test_remedies_by_kind_and_compensation_offered_paid_and_declined(self) -> None:
        remedies = self.m.remedies
        assert counts(remedies.by_kind) == {"apology": 6, "financial": 2}
        money = remedies.compensation
        assert money.financial_remedies == 2
        assert (money.offered, money.paid, money.declined) == (Decimal("325.00"), Decimal("250.00"), Decimal("75.00"))
        assert (money.statutory, money.quantifiable_loss, money.time_and_trouble, money.distress) == (
            Decimal("0.00"),
            Decimal("150.00"),
            Decimal("100.00"),
            Decimal("75.00"),
        )

    def test_ombudsman_referrals(self) -> None:
        assert self.m.ombudsman.referrals == 1 and counts(self.m.ombudsman.by_service_area) == {"damp-mould": 1}

    def test_monthly_and_quarterly_trends(self) -> None:
        assert [p.label for p in self.m.monthly][:2] == ["Apr 2024", "May 2024"] and len(self.m.monthly) == 12
        july = self.m.monthly[3]
        assert (july.stage1_received, july.stage2_received) == (2, 1)
        assert july.stage1_acknowledged_within == Share(1, 2) and july.stage1_within_timescale == Share(1, 2)
        assert [q.label for q in self.m.quarterly] == ["Q1 2024/25", "Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]
        assert [q.stage1_received for q in self.m.quarterly] == [1, 3, 4, 4]
        assert [q.stage2_received for q in self.m.quarterly] == [1, 1, 0, 0]
        assert [q.stage1_acknowledged_within for q in self.m.quarterly] == [
            Share(1, 1),
            Share(2, 3),
            Share(4, 4),
            Share(3, 3),
        ]
        assert [q.stage1_within_timescale for q in self.m.quarterly] == [
            Share(2, 2),
            Share(2, 3),
            Share(3, 4),
            Share(1, 1),
        ]
        assert [q.stage2_within_timescale for q in self.m.quarterly] == [Share(1, 1), Share(0, 1), Share(0, 0)] + [
            Share(0, 0)
        ]

    def test_the_next_year_takes_what_crossed_31_march(self) -> None:
        m = measures.compute(self.year.cast.landlord, Period.reporting_year(2025))
        assert m.stage1.received == 0 and m.stage1.lcra.per_1000 is None  # no homes count for 2025 yet
        assert m.stage1.within_timescale == Share(1, 1)  # C, received 31 March, answered 1 April
        assert m.stage2.received == 1 and m.stage2.within_timescale == Share(1, 1)  # I
        assert m.remedies.compensation.paid == Decimal("100.00")

    def test_the_previous_year(self) -> None:
        m = measures.compute(self.year.cast.landlord, Period.reporting_year(2023))
        assert m.stage1.received == 2 and m.stage1.lcra.per_1000 == 1.0  # L and P over 2,100 homes
        assert m.stage1.within_timescale == Share(1, 1) and m.stage1.acknowledged_within == Share(2, 2)

    def test_any_date_range(self) -> None:
        m = measures.compute(self.year.cast.landlord, Period(date(2024, 7, 1), date(2024, 9, 30)))
        assert m.stage1.received == 3 and m.stage1.lcra.per_1000 == 0.9  # B and D over the year's 2,130 homes
        assert m.stage1.within_timescale == Share(2, 3) and m.stage2.within_timescale == Share(0, 1)
        assert [p.label for p in m.quarterly] == ["Q2 2024/25"]

    def test_filtered_by_service_area(self) -> None:
        m = measures.compute(self.year.cast.landlord, YEAR_2024, service_area="damp-mould")
        assert (m.stage1.received, m.stage1.lcho.complaints, m.stage1.lcra.per_1000) == (1, 1, 0.0)
        assert m.stage1.within_timescale == Share(1, 1) and m.stage2.within_timescale == Share(0, 1)
        assert m.ombudsman.referrals == 1 and m.remedies.compensation.offered == Decimal("250.00")

    def test_as_json_data(self) -> None:
        data = self.m.as_data()
        assert data["period"] == {
            "start": "2024-04-01",
            "end": "2025-03-31",
            "label": "2024/25 (1 April 2024 to 31 March 2025)",
        }
        assert data["stage1"]["lcra"]["per_1000"] == 4.7 and data["stage1"]["within_timescale"]["percent"] == 80.0
        assert data["remedies"]["compensation"]["offered"] == "325.00"
        assert data["stage1"]["to_respond"]["average_days"] == 10.5


@time_machine.travel(BUILT_ON, tick=False)
class QueryCountTests(TestCase):
    def test_the_number_of_queries_does_not_grow_with_the_data(self) -> None:
        year = build_known_year()
        cast = year.cast
        measures.compute(cast.landlord, YEAR_2024)  # the calendar is cached after the first call
        # 14, the policy in force for the landlord's own targets, the updates (5.9), the Ombudsman's determinations
        with self.assertNumQueries(17):
            small = measures.compute(cast.landlord, YEAR_2024)
        for day in range(2, 30):
            received = date(2024, 10, 1) + (date(2024, 10, day) - date(2024, 10, 1))
            complaint = acknowledge(cast, log(cast, received, tenure="lcho" if day % 3 else "lcra"), received)
            if day % 2:
                actions.extend(
                    complaint,
                    cast.handler,
                    days=3,
                    reason="Waiting for a quote",
                )
                complaint.refresh_from_db()
            respond(cast, complaint, date(2024, 11, 8))
        with self.assertNumQueries(17):
            large = measures.compute(cast.landlord, YEAR_2024)
        assert large.stage1.received == small.stage1.received + 28
        assert large.stage1.responded == small.stage1.responded + 28

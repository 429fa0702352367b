"""A known reporting year, built through the domain actions, for the insight tests to check by hand.

The landlord (Ashford, in the cast) runs Dartford's 2024 policy: 7 working days to acknowledge and
responses counted from receipt. The measures must judge every case by the Code's own numbers
instead (5 working days to acknowledge; 10 and 20 working days from the acknowledgement), so the
cases below are chosen where the two disagree. Reporting year 2024 runs from 1 April 2024 to
31 March 2025; bank holidays in it: 6 and 27 May, 26 August, 25 and 26 December 2024, 1 January
2025 (and 18, 21 April and 5 May 2025 just after it).

Each case says what it is for; docs/measures.md gives the worked figures and tests check them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import time_machine
from django.contrib.auth.models import User

from putright.complaints import actions
from putright.complaints.models import Complaint, Remedy
from putright.landlords.models import HomesCount
from tests.cast import Cast, acknowledge, log, make_cast, respond

BUILT_ON = date(2025, 6, 30)
HOMES_2024 = (2130, 85)  # LCRA, LCHO
HOMES_2023 = (2100, 80)
BOTH_NOT_UPHELD = [
    actions.PointDecisionInput(1, "not-upheld", "The repair was completed within the policy's target."),
    actions.PointDecisionInput(2, "not-upheld", "The appointment was kept, as the job sheet shows."),
]
BOTH_UPHELD = [
    actions.PointDecisionInput(1, "upheld", "The repair took far longer than it should have."),
    actions.PointDecisionInput(2, "upheld", "Our contractor missed the appointment."),
]


def financial(description: str, **amounts: str) -> actions.RemedyInput:
    return actions.RemedyInput(
        "financial",
        description,
        **{name: Decimal(value) for name, value in amounts.items()},  # type: ignore[arg-type]
    )


@dataclass
class KnownYear:
    cast: Cast
    cases: dict[str, Complaint] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Complaint:
        return self.cases[key]


def extend_on(day: date, complaint: Complaint, actor: User, **details: Any) -> None:
    """Extend on `day`: the extension letter, which is the resident's notice, is issued that day (6.4)."""
    with time_machine.travel(day, tick=False):
        actions.extend(complaint, actor, **details)


def agree_remedies(year: KnownYear, complaint: Complaint, on: date, actor: object = None) -> None:
    for remedy in Remedy.objects.filter(stage__complaint=complaint, state="offered"):
        actions.update_remedy(remedy, actor or year.cast.officer, state="agreed", on=on)  # type: ignore[arg-type]


def close_with_learning(year: KnownYear, complaint: Complaint, on: date, cause: str, learning: str) -> Complaint:
    cast = year.cast
    complaint = actions.record_learning(complaint, cast.officer, learning_outcome=learning, root_cause=cause, on=on)
    return actions.close(complaint, cast.officer, on=on)


def build_known_year() -> KnownYear:
    with time_machine.travel(BUILT_ON, tick=False):
        return _build()


def _build() -> KnownYear:
    cast = make_cast("dartford-2024.toml")
    cast.landlord.learning_required_at_closure = True
    cast.landlord.save(update_fields=["learning_required_at_closure"])
    HomesCount.objects.create(
        landlord=cast.landlord, year_starting=2024, low_cost_rental=HOMES_2024[0], low_cost_home_ownership=HOMES_2024[1]
    )
    HomesCount.objects.create(
        landlord=cast.landlord, year_starting=2023, low_cost_rental=HOMES_2023[0], low_cost_home_ownership=HOMES_2023[1]
    )
    year = KnownYear(cast)
    c = year.cases

    # L: stage 1 in 2023/24; escalated 8 April 2024, so stage 2 counts in 2024 (CH01(2)). Acknowledged on
    # the 5th working day; extended 10 days, told before the deadline it extended; responded on the 24th working
    # day after acknowledgement: late without the extension, within it. Upheld, with £75 that was declined.
    k = log(cast, date(2024, 3, 4))
    k = acknowledge(cast, k, date(2024, 3, 5))
    k = respond(cast, k, date(2024, 3, 15))
    agree_remedies(year, k, date(2024, 3, 18))
    k = actions.escalate(k, cast.officer, requested_on=date(2024, 4, 8))
    k = acknowledge(cast, k, date(2024, 4, 15), actor=cast.reviewer)
    extend_on(
        date(2024, 5, 3),
        k,
        cast.reviewer,
        days=10,
        reason="Waiting for the surveyor's report",
    )
    k = respond(
        cast,
        k,
        date(2024, 5, 20),
        actor=cast.reviewer,
        decisions=BOTH_UPHELD,
        remedies=[financial("For the distress caused", amount_distress="75")],
    )
    for remedy in Remedy.objects.filter(stage__complaint=k, state="offered"):
        actions.update_remedy(remedy, cast.reviewer, state="declined", on=date(2024, 5, 24))
    c["L"] = close_with_learning(year, k, date(2024, 5, 28), "delay", "Surveys for damp must be booked sooner.")

    # P: received 28 March 2024 (2023/24), answered 2 April 2024: CH02(1) in 2024, CH01(1) in 2023.
    k = log(cast, date(2024, 3, 28))
    k = acknowledge(cast, k, date(2024, 3, 28))
    c["P"] = respond(cast, k, date(2024, 4, 2), decisions=BOTH_NOT_UPHELD, remedies=[])

    # A: a plain case through a councillor: acknowledged in 2 working days, answered in 8.
    k = log(
        cast,
        date(2024, 6, 3),
        channel="councillor-or-mp",
        representative=actions.RepresentativeDetails(name="Cllr Cole", relationship="councillor"),
    )
    k = acknowledge(cast, k, date(2024, 6, 5))
    c["A"] = respond(cast, k, date(2024, 6, 17))

    # B: acknowledged on the 6th working day: on time by the landlord's 7-day policy, late by the Code. The Code's
    # 10 days then run from the day the acknowledgement was due (8 July), so 23 July is late.
    k = log(cast, date(2024, 7, 1))
    k = acknowledge(cast, k, date(2024, 7, 9))
    c["B"] = respond(cast, k, date(2024, 7, 23), decisions=BOTH_NOT_UPHELD, remedies=[])

    # J: a shared owner (LCHO), by email, about damp; stage 1 on time; escalated 29 July 2024; stage 2 acknowledged
    # on the 6th working day, so its response is due 20 working days from 5 August (3 September): 4 September is
    # late. £250 paid; learning recorded and closed; then taken to the Ombudsman.
    k = log(cast, date(2024, 7, 8), channel="email", service_area="damp-mould", tenure="lcho")
    k = acknowledge(cast, k, date(2024, 7, 8))
    k = respond(cast, k, date(2024, 7, 19))
    agree_remedies(year, k, date(2024, 7, 22))
    k = actions.escalate(k, cast.officer, requested_on=date(2024, 7, 29))
    k = acknowledge(cast, k, date(2024, 8, 6), actor=cast.reviewer)
    k = respond(
        cast,
        k,
        date(2024, 9, 4),
        actor=cast.reviewer,
        remedies=[
            financial("Replacement carpet and your time", amount_quantifiable_loss="150", amount_time_and_trouble="100")
        ],
    )
    for remedy in Remedy.objects.filter(stage__complaint=k, state="offered"):
        actions.update_remedy(remedy, cast.reviewer, state="delivered", on=date(2024, 9, 20))
    k = close_with_learning(year, k, date(2024, 9, 23), "delay", "Damp reports need a survey within 10 days.")
    c["J"] = actions.record_ombudsman_referral(k, cast.officer, on=date(2024, 11, 1), ombudsman_reference="202412345")

    # D: extended 5 days, told before the deadline: within CH02 only because of the extension.
    k = log(cast, date(2024, 9, 2))
    k = acknowledge(cast, k, date(2024, 9, 3))
    extend_on(
        date(2024, 9, 13),
        k,
        cast.handler,
        days=5,
        reason="Waiting for the contractor's report",
    )
    c["D"] = respond(cast, k, date(2024, 9, 20))

    # K: a leaseholder (neither LCRA nor LCHO), online, received on a Saturday: Monday is day 1, so the 5th working
    # day is Friday 11 October; answered on the 10th working day after that.
    k = log(cast, date(2024, 10, 5), channel="online", service_area="estate", tenure="other")
    k = acknowledge(cast, k, date(2024, 10, 11))
    c["K"] = respond(cast, k, date(2024, 10, 25), decisions=BOTH_NOT_UPHELD, remedies=[])

    # E: extended twice, 8 days then 6 more (14 in all, beyond the 10-day cap, so with a good reason); upheld.
    k = log(cast, date(2024, 10, 7))
    k = acknowledge(cast, k, date(2024, 10, 7))
    extend_on(
        date(2024, 10, 18),
        k,
        cast.handler,
        days=8,
        reason="The contractor is checking the whole block",
    )
    extend_on(
        date(2024, 10, 30),
        k,
        cast.handler,
        days=6,
        reason="A specialist survey is needed",
        good_reason="Asbestos must be ruled out before any work",
    )
    c["E"] = respond(cast, k, date(2024, 11, 7), decisions=BOTH_UPHELD)

    # F: an extension told after the deadline it extended (late): it does not count, so the response is late.
    k = log(cast, date(2024, 11, 4))
    k = acknowledge(cast, k, date(2024, 11, 5))
    extend_on(
        date(2024, 11, 20),
        k,
        cast.handler,
        days=5,
        reason="Staff sickness",
    )
    c["F"] = respond(cast, k, date(2024, 11, 22), decisions=BOTH_NOT_UPHELD, remedies=[])

    # O: answered on time; escalation refused on a policy ground in January 2025.
    k = log(cast, date(2024, 12, 9))
    k = acknowledge(cast, k, date(2024, 12, 11))
    k = respond(cast, k, date(2024, 12, 23))
    c["O"] = actions.refuse_escalation(
        k,
        cast.officer,
        ground="legal-proceedings",
        ombudsman_rights_given=True,
        explanation="A court claim about the same repair was filed in January.",
        on=date(2025, 1, 13),
    )

    # G: acknowledged, then withdrawn before any response.
    k = log(cast, date(2025, 1, 13))
    k = acknowledge(cast, k, date(2025, 1, 15))
    c["G"] = actions.withdraw(k, cast.handler, how="Phoned to say the repair is done", on=date(2025, 1, 20))

    # H: not accepted (legal proceedings), about anti-social behaviour: never counted in CH01.
    k = log(cast, date(2025, 2, 10), service_area="asb")
    c["H"] = actions.not_accept(
        k,
        cast.officer,
        ground="legal-proceedings",
        ombudsman_rights_given=True,
        explanation="An injunction claim has been filed at court.",
        on=date(2025, 2, 12),
    )

    # I: answered in March 2025; escalated on 8 April 2025, in the next year: not escalated for 2024.
    k = log(cast, date(2025, 3, 3))
    k = acknowledge(cast, k, date(2025, 3, 4))
    k = respond(cast, k, date(2025, 3, 18))
    k = actions.escalate(k, cast.officer, requested_on=date(2025, 4, 8))
    k = acknowledge(cast, k, date(2025, 4, 9), actor=cast.reviewer)
    c["I"] = respond(cast, k, date(2025, 5, 2), actor=cast.reviewer)

    # N: received by letter on 24 March 2025 and not yet acknowledged.
    c["N"] = log(cast, date(2025, 3, 24), channel="letter")

    # C: received on 31 March 2025 and answered on 1 April 2025: CH01(1) in 2024, CH02(1) in 2025.
    k = log(cast, date(2025, 3, 31))
    k = acknowledge(cast, k, date(2025, 3, 31))
    k = respond(
        cast,
        k,
        date(2025, 4, 1),
        decisions=BOTH_UPHELD,
        remedies=[financial("For your time", amount_time_and_trouble="50", amount_distress="50")],
    )
    for remedy in Remedy.objects.filter(stage__complaint=k, state="offered"):
        actions.update_remedy(remedy, cast.handler, state="delivered", on=date(2025, 4, 10))
    c["C"] = k
    for key, complaint in c.items():
        complaint.refresh_from_db()
        c[key] = complaint
    return year

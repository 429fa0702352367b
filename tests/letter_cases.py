"""One complaint's history that issues every letter type, for the letter tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Remedy
from putright.correspondence.models import Letter
from putright.rules.letters import LetterType
from tests.cast import Cast, acknowledge, log, respond


def every_letter(cast: Cast) -> dict[LetterType, Letter]:
    """Issue each of the letter types through the domain actions; the latest of each type."""
    complaint = acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
    actions.request_clarification(
        complaint, cast.handler, on=date(2025, 6, 4), question="Which days was the boiler not working?"
    )
    actions.extend(
        complaint,
        cast.handler,
        days=5,
        reason="We are waiting for the contractor's report on the boiler.",
    )
    actions.agree_update_interval(complaint, cast.handler, every_days=5, agreed_on=date(2025, 6, 10))
    actions.send_update(
        complaint, cast.handler, on=date(2025, 6, 12), update="The contractor visits on Monday to inspect the boiler."
    )
    complaint = respond(
        cast,
        complaint,
        date(2025, 6, 20),
        remedies=[
            actions.RemedyInput(
                "financial",
                "Compensation for the heaters and the missed appointment.",
                amount_time_and_trouble=Decimal("50.00"),
                amount_distress=Decimal("100.00"),
            )
        ],
        actions=[actions.ActionInput("Replace the boiler's pump", date(2025, 7, 4))],
    )
    complaint = actions.escalate(complaint, cast.officer, requested_on=date(2025, 6, 24))
    complaint = acknowledge(cast, complaint, date(2025, 6, 26), actor=cast.reviewer)
    complaint = respond(cast, complaint, date(2025, 7, 8), actor=cast.reviewer)
    for remedy in Remedy.objects.filter(stage__complaint=complaint):
        actions.update_remedy(remedy, cast.reviewer, state="agreed", on=date(2025, 7, 9))
    actions.close(complaint, cast.officer, on=date(2025, 7, 10))

    refused = log(cast, date(2025, 6, 2), issue_date=date(2023, 1, 5))
    actions.not_accept(
        refused,
        cast.officer,
        ground="out-of-time",
        explanation="The problem happened in January 2023, more than 12 months before you told us.",
        ombudsman_rights_given=True,
        on=date(2025, 6, 3),
    )
    stage1 = respond(cast, acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3)), date(2025, 6, 16))
    actions.refuse_escalation(
        stage1,
        cast.officer,
        ground="legal-proceedings",
        explanation="You have started a court claim about the same disrepair, so the court will decide it.",
        ombudsman_rights_given=True,
        on=date(2025, 7, 1),
    )
    # A contact restriction, approved (its letter) and ended with a letter (5.14, 5.15).
    restriction = actions.propose_restriction(
        stage1,
        cast.handler,
        actions.RestrictionInput(
            behaviour="You called the repairs line 40 times on 2 June and swore at the call handler.",
            evidence="The call log for 2 June.",
            scope=["channels", "single-point"],
            channels="Letter or email",
            contact_point="Jo Smith, Tenancy Manager",
            equality_considerations="No disability is recorded; email stays open at all times.",
            review_on=clock.today() + timedelta(days=90),
        ),
    )
    actions.decide_restriction(restriction, stage1, cast.officer, approve=True)
    actions.end_restriction(
        restriction, stage1, cast.manager, reason="There have been no calls since.", send_letter=True
    )
    found: dict[LetterType, Letter] = {}
    for letter in Letter.objects.filter(complaint__landlord=cast.landlord).order_by("id"):
        found[LetterType(letter.letter_type)] = letter
    return found


def text_pieces(value: object) -> list[str]:
    """The words of a field as a reader would find them in the letter."""
    if isinstance(value, dict):
        return [piece for v in value.values() for piece in text_pieces(v)]
    if isinstance(value, list):
        return [piece for v in value for piece in text_pieces(v)]
    return [" ".join(part.split()) for part in str(value).split("\n\n") if part.strip()]


def complaint_of(letter: Letter) -> Complaint:
    return Complaint.objects.get(pk=letter.complaint_id)

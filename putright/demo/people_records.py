"""The person's side of the demo: contacts on the record, a verbal acknowledgement, a contact
restriction in force and another awaiting a decision, a safeguarding concern, and complaints from
someone who gave no name and from someone with only a phone number.

Each is made through the domain actions, today, after the stories have run, so its Events, letters
and reminders are exactly what staff doing it by hand would make.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from putright.complaints import actions
from putright.complaints.models import ACTIVE_STATUSES, OPEN_STATUSES, Complaint, Status
from putright.demo.organisation import Team
from putright.landlords.models import Landlord

COMPLAINTS = 2  # logged here: one from someone who gave no name, one with only a phone number

CALLS = (
    ("call-out", "Called the resident to check the dates they are in for the surveyor's visit."),
    ("call-in", "The resident rang to ask when they will hear from us; told them the date the response is due."),
    ("call-out", "Called to talk through what the contractor found, and what happens next."),
)


def _earlier(minutes: int) -> datetime:
    """A moment earlier today (or just after midnight, early in the morning)."""
    now = timezone.localtime()
    return max(now - timedelta(minutes=minutes), datetime.combine(now.date(), time(0, 1), tzinfo=now.tzinfo))


def _open(landlord: Landlord, status: str) -> list[Complaint]:
    return list(
        Complaint.objects.filter(landlord=landlord, status=status, handler__isnull=False)
        .select_related("person", "handler")
        .order_by("received_on", "id")
    )


def add_people_records(rng: random.Random, landlord: Landlord, team: Team, today: date) -> int:
    """Add the person's side of the demo for `landlord`; return how many records were made."""
    made = 0
    open_now = [c for status in OPEN_STATUSES for c in _open(landlord, status)]
    for complaint, (kind, summary) in zip(rng.sample(open_now, min(3, len(open_now))), CALLS, strict=False):
        assert complaint.handler is not None  # _open keeps only complaints with a handler
        actions.record_contact(
            complaint,
            complaint.handler,
            actions.ContactInput(
                kind=kind,
                happened_at=_earlier(90),
                with_whom="resident",
                summary=summary,
            ),
        )
        made += 1

    # Acknowledged by phone first, as Medway and Cheshire West do; the letter follows and says so.
    received = [c for c in _open(landlord, Status.RECEIVED) if c.person.phone]
    if received:
        complaint = received[0]
        assert complaint.handler is not None
        actions.record_contact(
            complaint,
            complaint.handler,
            actions.ContactInput(
                kind="call-out",
                happened_at=_earlier(45),
                with_whom="resident",
                summary="Phoned to acknowledge the complaint and agree the points we will answer.",
                acknowledgement=True,
            ),
        )
        made += 1

    # A restriction in force (5.14, 5.15), proposed by the handler and decided by the complaints officer.
    active = [c for status in ACTIVE_STATUSES for c in _open(landlord, status)]
    candidates = [c for c in active if c.handler_id not in {u.pk for u in team.supervisors}]
    if len(candidates) >= 2 and team.officers:
        for complaint, approve in ((candidates[-1], True), (candidates[-2], False)):
            assert complaint.handler is not None
            restriction = actions.propose_restriction(
                complaint,
                complaint.handler,
                actions.RestrictionInput(
                    behaviour="Called the repairs line 32 times in one day and was abusive to the call handlers.",
                    evidence="The call log for the day, and notes from the three call handlers.",
                    scope=["single-point", "written"],
                    contact_point=f"{team.officers[0].get_full_name()}, complaints officer",
                    equality_considerations=(
                        "No disability or vulnerability is recorded. Written contact and one named person still "
                        "let the resident raise anything, including new complaints."
                    ),
                    review_on=today + timedelta(days=90),
                ),
            )
            if approve:
                actions.decide_restriction(restriction, complaint, team.officers[0], approve=True)
            made += 1

    # A safeguarding concern on a resident with a vulnerability recorded.
    vulnerable = (
        Complaint.objects.filter(landlord=landlord, status=Status.STAGE1_OPEN, person__vulnerabilities__isnull=False)
        .select_related("person", "handler")
        .first()
    )
    if vulnerable is not None and vulnerable.handler is not None:
        actions.needs.record_safeguarding(
            vulnerable.person,
            vulnerable.handler,
            seen="On a home visit the resident said they had not eaten for two days and the heating was off.",
            seen_on=today,
            referral=actions.needs.Referral(to="Adult social care duty team", on=today, by=vulnerable.handler),
        )
        made += 1

    # Someone who gave no name, and someone with only a phone number: logged, worked and counted all the same.
    logger = team.handlers[0] if team.handlers else team.officers[0]
    actions.log_complaint(
        landlord,
        logger,
        resident=actions.ResidentDetails(anonymous=True),
        channel="phone",
        received_on=today,
        description="A caller who would not give their name said the lights in the stairwell of Beech House "
        "have been out for a month, and older residents are afraid to use the stairs after dark.",
        outcome_sought="The lights fixed.",
        service_area="estate",
    )
    actions.log_complaint(
        landlord,
        logger,
        resident=actions.ResidentDetails(name="Pat Morgan", phone="07700 900461", preferred_contact="phone"),
        channel="phone",
        received_on=today,
        description="The mould in the back bedroom has come back two weeks after it was treated.",
        outcome_sought="A proper repair, and someone to look at the ventilation.",
        service_area="damp-mould",
    )
    return made + COMPLAINTS

"""A landlord's wording shown as a letter before it is saved: made-up details, its own letterhead.

The sample is composed exactly as a real letter is (`compose`), so what the preview shows is what a
resident would receive, with every field filled in plainly enough to be recognised as an example.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from putright import clock
from putright.correspondence import restriction_letters
from putright.correspondence.compose import Composed, compose
from putright.correspondence.letterhead import (
    Handler,
    contact_line,
    handler_name,
    names_staff,
    style_for,
    who_to_contact,
)
from putright.correspondence.letters import OMBUDSMAN_ANY_TIME, OMBUDSMAN_RIGHT
from putright.landlords.models import Landlord
from putright.rules.letters import LetterType, greeting, remedy_sentence, remedy_state_sentence

_STAGE2 = (LetterType.STAGE2_ACKNOWLEDGEMENT, LetterType.STAGE2_RESPONSE)
_RESPONSES = (LetterType.STAGE1_RESPONSE, LetterType.STAGE2_RESPONSE)


def _day(offset: int) -> str:
    return f"{clock.today() + timedelta(days=offset):%-d %B %Y}"


def sample_data(landlord: Landlord, letter_type: LetterType, actor: User) -> dict[str, Any]:
    """Every field a letter of this type can use, with example values and the landlord's real details.

    The person handling the example complaint is the one previewing it, given as the landlord's
    letterhead says: by name with their direct details, or as the team.
    """
    style = style_for(landlord)
    you = actor.get_full_name() or actor.username
    handler = Handler.of(actor, landlord.pk)
    name = style.signatory_name or (you if names_staff(style) else "")
    role = style.signatory_role or f"Complaints team, {landlord.name}"
    refusal = letter_type in (LetterType.NOT_ACCEPTED, LetterType.ESCALATION_REFUSED)
    reasons: Any = (
        [
            {
                "text": "The boiler repair took too long",
                "decision": "Upheld",
                "reasons": "The repair took 21 working days; our repairs policy promises 7.",
            },
            {
                "text": "The appointment on 3 June was missed",
                "decision": "Not upheld",
                "reasons": "Our contractor's records show the appointment was rearranged at your request.",
            },
        ]
        if letter_type in _RESPONSES
        else "The problem happened more than 12 months before you told us about it, and nothing "
        "shows that you could not have told us sooner."
    )
    data = {
        "reference": f"{landlord.reference_prefix}-{clock.today().year}-00042",
        "resident_name": "Alex Example",
        "greeting": greeting("", "Alex Example"),
        "date": _day(0),
        "signatory": f"{name}, {role}" if name else role,
        "landlord_name": landlord.name,
        "landlord_contact": contact_line(landlord, style),
        "stage": "stage 2" if letter_type in _STAGE2 else "stage 1",
        "received_on": _day(-12),
        "response_due": _day(8),
        "previous_date": _day(8),
        "new_date": _day(18),
        "next_update": _day(7),
        "handler_name": handler_name(style, handler),
        "contact": who_to_contact(landlord, style, handler),
        "definition": "The boiler has not worked since 2 June, and a repair appointment was missed.",
        "points": ["The boiler repair has taken too long", "The appointment on 3 June was missed"],
        "outcomes_sought": "A working boiler, and compensation for the cost of running electric heaters.",
        "responsibility": "We are responsible for all of the matters you have raised.",
        "ombudsman": OMBUDSMAN_ANY_TIME,
        "reason": "We are waiting for our contractor's report on the boiler, which we need to answer your "
        "complaint fully.",
        "decision": (
            "We have decided not to accept your complaint into our complaints process, because it was made too late."
            if refusal
            else "We have partly upheld your complaint."
        ),
        "reasons": reasons,
        "remedy": [
            remedy_sentence("We apologise for the delay in repairing your boiler.", {}),
            remedy_sentence("", {"time_and_trouble": Decimal(150)}, _day(10)),
        ],
        "stage1_remedies": [
            remedy_sentence("", {"time_and_trouble": Decimal(75)}, _day(-2)) + " " + remedy_state_sentence("agreed"),
        ],
        "outstanding_actions": ["Replace the boiler's pump (by 4 July)"],
        "escalation": "If you are not satisfied, reply to this letter within 20 working days and ask us to "
        "look at your complaint again at stage 2.",
        "ombudsman_right": OMBUDSMAN_RIGHT,
        "question": "Which days was the boiler not working, and did anyone visit on those days?",
        "update": "Our contractor inspects the boiler on Monday and will order the part it needs.",
        "further": "If you are unhappy with how we handled your complaint, you can contact the Housing Ombudsman.",
    }
    if letter_type in restriction_letters.RESTRICTION_LETTERS:
        data |= restriction_letters.sample()
    return data


def sample_letter(landlord: Landlord, letter_type: LetterType, actor: User, subject: str, body: str) -> Composed:
    """The wording composed with the sample details; raises LetterIncomplete as issuing a letter would."""
    return compose(letter_type, subject, body, sample_data(landlord, letter_type, actor))

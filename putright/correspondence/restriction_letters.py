"""What the letters about a contact restriction say (5.14, 5.15): the fields `letters.gather` adds
for them, and the example the wording editor previews.

Ashford's policy: a decision about unreasonable behaviour is "communicated clearly to the
complainant, with an explanation of the reasons". The letter says what happened, what the
restriction is, that complaints are still logged and answered, when it is reviewed, how to
challenge it, and how to reach the Housing Ombudsman.
"""

from __future__ import annotations

from typing import Any

from putright.people.models import ContactRestriction
from putright.rules.letters import LetterType
from putright.rules.responses import OMBUDSMAN_CONTACT

RESTRICTION_LETTERS = (LetterType.CONTACT_RESTRICTION, LetterType.CONTACT_RESTRICTION_ENDED)

COMPLAINTS_CONTINUE = (
    "This does not stop you making a complaint. Any complaint you make will still be logged, looked into and "
    "answered in the usual way, and we will still reply to you about the complaints you have with us."
)
OMBUDSMAN_DETAILS = (
    f"If you are unhappy with this decision or how we made it, you can contact the {OMBUDSMAN_CONTACT}. "
    "They can give you advice at any time."
)


def _day(value: Any) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def challenge(landlord_contact: str) -> str:
    return (
        "If you think this decision is wrong, or that we have not taken account of your circumstances or a "
        "disability, tell us why in writing within 20 working days"
        + (f" ({landlord_contact})" if landlord_contact else "")
        + ". A manager who was not involved in the decision will look at it again and write to you."
    )


def fields(letter_type: LetterType, restriction: ContactRestriction, landlord_contact: str) -> dict[str, Any]:
    """The letter's own fields for this restriction, as plain data kept with the letter."""
    if letter_type == LetterType.CONTACT_RESTRICTION_ENDED:
        return {"ended_on": _day(restriction.ended_on), "reason": restriction.end_reason}
    behaviour = restriction.behaviour.strip()
    reasons = restriction.decision_reasons.strip()
    return {
        "behaviour": f"{behaviour}\n\n{reasons}" if reasons else behaviour,
        "restriction": restriction.terms,
        "complaints_continue": COMPLAINTS_CONTINUE,
        "review_on": _day(restriction.review_on),
        "challenge": challenge(landlord_contact),
        "ombudsman": OMBUDSMAN_DETAILS,
    }


def sample() -> dict[str, Any]:
    """Example values for the wording editor's preview."""
    return {
        "behaviour": "Since March you have called the repairs line many times a day, and on 2 June you shouted at "
        "and swore at a member of staff on the phone.",
        "restriction": ["Contact only by: letter or email", "One person to contact: Jo Smith, Tenancy Manager"],
        "complaints_continue": COMPLAINTS_CONTINUE,
        "review_on": "1 December 2026",
        "challenge": challenge(""),
        "ended_on": "1 December 2026",
        "reason": "We reviewed the restriction and it is no longer needed.",
    }

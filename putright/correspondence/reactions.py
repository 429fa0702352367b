"""The letters and staff emails that follow from a complaint's actions, registered as reactions.

`putright.complaints` writes an Event for every step and runs what is registered for its kind in
the same transaction (`putright.complaints.reactions`); this is where correspondence says what it
does then. A letter that cannot be issued complete refuses, and the whole step with it.
"""

from __future__ import annotations

from putright.complaints import reactions
from putright.complaints.reactions import Happened
from putright.correspondence import contacts, letters, notices
from putright.rules.letters import LetterType

# The letter each kind of Event sends the resident, at stage 1 and at stage 2.
LETTERS: dict[str, tuple[LetterType, LetterType]] = {
    "acknowledged": (LetterType.STAGE1_ACKNOWLEDGEMENT, LetterType.STAGE2_ACKNOWLEDGEMENT),
    "clarification-requested": (LetterType.CLARIFICATION, LetterType.CLARIFICATION),
    "extended": (LetterType.EXTENSION, LetterType.EXTENSION),
    "update-sent": (LetterType.UPDATE, LetterType.UPDATE),
    "responded": (LetterType.STAGE1_RESPONSE, LetterType.STAGE2_RESPONSE),
    "not-accepted": (LetterType.NOT_ACCEPTED, LetterType.NOT_ACCEPTED),
    "escalation-refused": (LetterType.ESCALATION_REFUSED, LetterType.ESCALATION_REFUSED),
    "closed": (LetterType.CLOSURE, LetterType.CLOSURE),
    # A contact restriction is about the person, not the stage: the same letter at either (5.14, 5.15).
    "restriction-approved": (LetterType.CONTACT_RESTRICTION, LetterType.CONTACT_RESTRICTION),
    "restriction-ended": (LetterType.CONTACT_RESTRICTION_ENDED, LetterType.CONTACT_RESTRICTION_ENDED),
}


def issue_letter(happened: Happened) -> None:
    letter_type = LETTERS[happened.event.kind][happened.stage.number - 1]
    letters.issue(
        happened.complaint,
        letter_type,
        stage=happened.stage,
        actor=happened.actor,
        on=happened.on,
        detail=happened.detail,
    )


def tell_new_handler(happened: Happened) -> None:
    handler, actor = happened.stage.handler, happened.actor
    if handler is not None and actor is not None:
        notices.tell_assigned(happened.complaint, happened.stage, handler, actor)


def register() -> None:
    """Called once the apps are ready (CorrespondenceConfig.ready)."""
    for kind in LETTERS:
        reactions.register(kind, issue_letter)
    reactions.register("assigned", tell_new_handler)
    reactions.register("contact-recorded", contacts.keep)

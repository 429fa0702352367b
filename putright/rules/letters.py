"""The letters a landlord sends about a complaint, and what each must contain.

Each letter type lists its required elements with the provision of the Code that asks for it. A
letter is composed from plain data; `missing_from` names every required element the data lacks,
and a letter with anything missing cannot be issued. A landlord's own template must show every
required element too, which is checked when the template is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from putright.rules.responses import Element, required_elements


class LetterType(StrEnum):
    STAGE1_ACKNOWLEDGEMENT = "stage1-acknowledgement"
    STAGE2_ACKNOWLEDGEMENT = "stage2-acknowledgement"
    EXTENSION = "extension"
    STAGE1_RESPONSE = "stage1-response"
    STAGE2_RESPONSE = "stage2-response"
    NOT_ACCEPTED = "not-accepted"
    ESCALATION_REFUSED = "escalation-refused"
    CLARIFICATION = "clarification"
    UPDATE = "update"
    CLOSURE = "closure"
    CONTACT_RESTRICTION = "contact-restriction"
    CONTACT_RESTRICTION_ENDED = "contact-restriction-ended"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    LetterType.STAGE1_ACKNOWLEDGEMENT: "Stage 1 acknowledgement",
    LetterType.STAGE2_ACKNOWLEDGEMENT: "Stage 2 acknowledgement",
    LetterType.EXTENSION: "Extension notice",
    LetterType.STAGE1_RESPONSE: "Stage 1 response",
    LetterType.STAGE2_RESPONSE: "Stage 2 (final) response",
    LetterType.NOT_ACCEPTED: "Complaint not accepted",
    LetterType.ESCALATION_REFUSED: "Escalation refused",
    LetterType.CLARIFICATION: "Clarification request",
    LetterType.UPDATE: "Update on a late complaint",
    LetterType.CLOSURE: "Closure",
    LetterType.CONTACT_RESTRICTION: "Contact restriction",
    LetterType.CONTACT_RESTRICTION_ENDED: "Contact restriction ended",
}

# Every letter: who it is to, from whom, about which complaint, and when.
COMMON = (
    Element("reference", "5.12", "the complaint reference"),
    Element("resident_name", "5.12", "the name of the person it is addressed to"),
    Element("date", "5.12", "the date of the letter"),
    Element("signatory", "4.1", "the name and role of the person or team responsible who signs it"),
)

_OMBUDSMAN_ANY_TIME = Element(
    "ombudsman", "3.7", "that the Housing Ombudsman can help at any time, with its contact details"
)
_DEFINITION_AT_ACK = (
    Element("definition", "5.6", "our understanding of the complaint"),
    Element("points", "5.6", "each point of the complaint we will answer"),
    Element("outcomes_sought", "5.6", "the outcomes the resident is seeking"),
    Element("responsibility", "5.7", "which aspects we are and are not responsible for, where any are not"),
)


def _ack(stage: int) -> tuple[Element, ...]:
    p = "6.2" if stage == 1 else "6.11"
    return (
        Element("stage", p, "the complaint stage"),
        *_DEFINITION_AT_ACK,
        Element("response_due", "6.3" if stage == 1 else "6.14", "the date by which we will respond"),
        _OMBUDSMAN_ANY_TIME,
    )


def _refusal(provision: str) -> tuple[Element, ...]:
    return (
        Element("decision", provision, "the decision"),
        Element("reasons", "2.4", "the clear reasons for the decision"),
        Element("ombudsman_right", "2.4", "the right to take the decision to the Housing Ombudsman, with its details"),
    )


REQUIRED: dict[LetterType, tuple[Element, ...]] = {
    LetterType.STAGE1_ACKNOWLEDGEMENT: _ack(1),
    LetterType.STAGE2_ACKNOWLEDGEMENT: _ack(2),
    LetterType.EXTENSION: (
        Element("stage", "6.4", "the complaint stage"),
        Element("reason", "6.4", "the clear reason for the extension"),
        Element("new_date", "6.4", "the new date by which we will respond"),
        Element("ombudsman", "6.5", "the Housing Ombudsman's contact details"),
    ),
    LetterType.STAGE1_RESPONSE: tuple(Element(e.key, e.provision, e.description) for e in required_elements(1)),
    LetterType.STAGE2_RESPONSE: tuple(Element(e.key, e.provision, e.description) for e in required_elements(2)),
    LetterType.NOT_ACCEPTED: _refusal("2.4"),
    LetterType.ESCALATION_REFUSED: _refusal("5.11"),
    LetterType.CLARIFICATION: (
        Element("question", "5.6", "what we need the resident to clarify"),
        Element("stage", "5.6", "the complaint stage"),
        _OMBUDSMAN_ANY_TIME,
    ),
    LetterType.UPDATE: (
        Element("stage", "5.9", "the complaint stage"),
        Element("update", "5.9", "the update on the complaint"),
        Element("response_due", "5.9", "the date by which we will respond"),
        Element("next_update", "5.9", "when the resident will next hear from us"),
        _OMBUDSMAN_ANY_TIME,
    ),
    LetterType.CLOSURE: (
        Element("stage", "6.6", "the complaint stage"),
        Element("outstanding_actions", "6.6", "what is still to be done and by when, if anything"),
        Element("further", "3.7", "how to take the complaint further"),
    ),
    # Ashford: a restriction is "communicated clearly to the complainant, with an explanation of the reasons".
    LetterType.CONTACT_RESTRICTION: (
        Element("behaviour", "5.14", "the behaviour that led to the restriction, and the reasons for it"),
        Element("restriction", "5.15", "what the restriction is: how the resident may contact us while it lasts"),
        Element("complaints_continue", "5.14", "that complaints will still be logged and answered"),
        Element("review_on", "5.14", "when the restriction will be reviewed"),
        Element("challenge", "5.14", "how to challenge the decision"),
        Element("ombudsman", "3.7", "the Housing Ombudsman's contact details"),
    ),
    LetterType.CONTACT_RESTRICTION_ENDED: (
        Element("ended_on", "5.14", "that the restriction has ended, and from when"),
        Element("reason", "5.14", "why it has ended"),
        _OMBUDSMAN_ANY_TIME,
    ),
}


# A required element another field can show: the greeting ("Dear Ms Khan") names the person a letter is to.
_ALSO_SHOWN_BY = {"resident_name": ("greeting",)}


def shown_by(key: str) -> tuple[str, ...]:
    """The fields of a letter's wording, any one of which shows the required element `key`."""
    return (key, *_ALSO_SHOWN_BY.get(key, ()))


def elements(letter_type: LetterType) -> tuple[Element, ...]:
    """Everything a letter of this type must contain: the common elements, then its own."""
    return COMMON + REQUIRED[letter_type]


@dataclass(frozen=True)
class Gap:
    element: Element
    detail: str

    def __str__(self) -> str:
        return f"{self.element.description} ({self.element.provision}): {self.detail}"


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return bool(value) and all(_present(v) for v in value)
    if isinstance(value, Mapping):
        return bool(value) and all(_present(v) for v in value.values())
    return True


def missing_from(letter_type: LetterType, data: Mapping[str, Any]) -> list[Gap]:
    """Each required element that `data` lacks or leaves empty; an empty list means it may be issued."""
    return [
        Gap(element, "it is empty" if element.key in data else "it is not given")
        for element in elements(letter_type)
        if not _present(data.get(element.key))
    ]


# -- how a letter addresses the resident ---------------------------------------------------------

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")
TITLE_MAX = 20
_TITLE_CHARACTERS = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")
# Words that belong to a surname when they come before its last word: "van der Berg", "de la Cruz".
_SURNAME_PARTICLES = frozenset("al bin binti da das de del della der di dos du el la le ter van von".split())
NO_NAME_GREETING = "Dear resident"


def clean_title(value: str) -> tuple[str, str]:
    """A title as kept (one of TITLES in its usual spelling, or what was typed), and why it cannot be, if so.

    Mr, Mrs, Ms, Miss, Mx and Dr are recognised whatever their case and with or without a full stop; anything
    else of up to 20 letters (Revd, Prof, Lady, Sir) is kept as typed.
    """
    title = " ".join(value.split())
    if not title:
        return "", ""
    known = {t.lower(): t for t in TITLES}
    if title.rstrip(".").lower() in known:
        return known[title.rstrip(".").lower()], ""
    if len(title) > TITLE_MAX:
        return title, f"The title must be {TITLE_MAX} characters or fewer"
    if not _TITLE_CHARACTERS.match(title):
        return title, "The title can only include letters, spaces, full stops, hyphens and apostrophes"
    return title, ""


def surname(name: str) -> str:
    """The family name in a full name, or "" when the name has only one word (then nobody can tell which it is).

    "Khan, Amina" gives "Khan"; "Pieter van der Berg" gives "van der Berg".
    """
    name = " ".join(name.split())
    if "," in name:
        before = name.split(",", 1)[0].strip()
        return before if before else ""
    words = name.split(" ")
    if len(words) < 2:
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:])


def greeting(title: str, name: str) -> str:
    """How a letter opens: "Dear Ms Khan" with a title and a surname, "Dear Amina Khan" without a title,
    and "Dear resident" when there is no name at all."""
    name = " ".join(name.split())
    title = " ".join(title.split())
    if not name:
        return NO_NAME_GREETING
    family = surname(name)
    if title and family:
        return f"Dear {title} {family}"
    return f"Dear {name}"


# -- remedies in plain words -----------------------------------------------------------------------

# The four parts of a financial remedy in the Ombudsman's remedies guidance, as a resident reads them.
PAYMENT_PURPOSES = {
    "statutory": "as statutory compensation, which the law requires",
    "quantifiable_loss": "to repay money you lost or spent because of what went wrong",
    "time_and_trouble": "for your time and trouble",
    "distress": "for the distress and inconvenience caused",
}


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def remedy_sentence(description: str, amounts: Mapping[str, Decimal], due: str = "") -> str:
    """A remedy as the resident reads it, in sentences (6.9(e), 6.19(e)).

    `amounts` gives the parts of any payment by PAYMENT_PURPOSES key; `due` is the date it is due by, as
    written. One part: "A payment of £75.00 for your time and trouble, by 12 November 2026." More than one:
    "A payment of £150.00, by 12 November 2026: £50.00 for your time and trouble and £100.00 for the distress
    and inconvenience caused." Staff's description follows as its own sentence. Without a payment, the
    description is the remedy: "We will repair the fence. We will do this by 12 November 2026."
    """
    parts = [(amounts.get(key) or Decimal(0), purpose) for key, purpose in PAYMENT_PURPOSES.items()]
    parts = [(amount, purpose) for amount, purpose in parts if amount > 0]
    by = f", by {due}" if due else ""
    described = _sentence(description)
    if not parts:
        if due:
            return f"{described} We will do this by {due}." if described else f"We will do this by {due}."
        return described
    if len(parts) == 1:
        amount, purpose = parts[0]
        payment = f"A payment of {_money(amount)} {purpose}{by}."
    else:
        total = sum((amount for amount, _ in parts), Decimal(0))
        items = _and([f"{_money(amount)} {purpose}" for amount, purpose in parts])
        payment = f"A payment of {_money(total)}{by}: {items}."
    return f"{payment} {described}" if described else payment


def remedy_state_sentence(state: str, delivered_on: str = "") -> str:
    """Where a remedy offered earlier stands, for the final response's list of what stage 1 offered."""
    if state == "delivered":
        return f"We delivered this on {delivered_on}." if delivered_on else "We have delivered this."
    return {
        "offered": "We offered this; it is not yet agreed.",
        "agreed": "We agreed this with you.",
        "declined": "You declined this.",
    }.get(state, "")

"""The letters a landlord sends about a complaint, and what each must contain.

Each letter type lists its required elements with the provision of the Code that asks for it. A
letter is composed from plain data; `missing_from` names every required element the data lacks,
and a letter with anything missing cannot be issued. A landlord's own template must show every
required element too, which is checked when the template is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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
}


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

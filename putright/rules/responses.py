"""What a written complaint response must contain (6.7, 6.9, 6.18, 6.19), and what is missing from one.

A response is checked as data before it can be issued: the stage, the complaint definition, a
decision and reasons for every point of the definition, any remedy, any outstanding actions, and
how to take the matter further (stage 2 after stage 1; the Ombudsman after stage 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PointDecision(StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly-upheld"
    NOT_UPHELD = "not-upheld"


OMBUDSMAN_NAME = "Housing Ombudsman Service"
OMBUDSMAN_WEBSITE = "www.housing-ombudsman.org.uk"
OMBUDSMAN_PHONE = "0300 111 3000"
OMBUDSMAN_EMAIL = "info@housing-ombudsman.org.uk"
OMBUDSMAN_CONTACT = f"{OMBUDSMAN_NAME}: {OMBUDSMAN_WEBSITE}, telephone {OMBUDSMAN_PHONE}, email {OMBUDSMAN_EMAIL}"


@dataclass(frozen=True)
class Element:
    key: str
    provision: str
    description: str


def required_elements(stage: int) -> tuple[Element, ...]:
    """The elements the Code requires in the written response at `stage` (6.9 a to g, 6.19 a to g)."""
    p = "6.9" if stage == 1 else "6.19"
    further = (
        "how to escalate the complaint to stage 2 if the resident is not satisfied"
        if stage == 1
        else "how to take the complaint to the Housing Ombudsman if the resident remains dissatisfied"
    )
    return (
        Element("stage", f"{p}(a)", "the complaint stage"),
        Element("definition", f"{p}(b)", "the complaint definition"),
        Element("decision", f"{p}(c)", "the decision on the complaint"),
        Element("reasons", f"{p}(d)", "the reasons for each decision"),
        Element("remedy", f"{p}(e)", "the details of any remedy offered to put things right"),
        Element("outstanding_actions", f"{p}(f)", "details of any outstanding actions"),
        Element("escalation", f"{p}(g)", further),
    )


@dataclass(frozen=True)
class PointAnswer:
    text: str
    decision: str
    reasons: str


@dataclass(frozen=True)
class ResponseContent:
    stage: int
    definition: str
    points: Sequence[PointAnswer]
    remedies: Sequence[str]
    outstanding_actions: Sequence[str]
    escalation_route: str


@dataclass(frozen=True)
class Missing:
    element: Element
    detail: str

    def __str__(self) -> str:
        return f"{self.element.description} ({self.element.provision}): {self.detail}"


def overall_decision(decisions: Sequence[str]) -> PointDecision:
    """Upheld if every point is upheld, not upheld if none is, partly upheld otherwise."""
    if decisions and all(d == PointDecision.UPHELD for d in decisions):
        return PointDecision.UPHELD
    if all(d == PointDecision.NOT_UPHELD for d in decisions):
        return PointDecision.NOT_UPHELD
    return PointDecision.PARTLY_UPHELD


def missing_elements(content: ResponseContent) -> list[Missing]:
    """Everything the Code requires that `content` lacks; an empty list means it may be issued."""
    elements = {element.key: element for element in required_elements(content.stage)}
    missing: list[Missing] = []
    if content.stage not in (1, 2):
        missing.append(Missing(elements["stage"], "a response is given at stage 1 or stage 2"))
    if not content.definition.strip():
        missing.append(Missing(elements["definition"], "the stage has not been acknowledged with a definition"))
    if not content.points:
        missing.append(Missing(elements["decision"], "the definition has no points to decide"))
    valid = {d.value for d in PointDecision}
    for number, point in enumerate(content.points, start=1):
        if point.decision not in valid:
            missing.append(Missing(elements["decision"], f"point {number} has no decision"))
        if not point.reasons.strip():
            # 6.7, 6.18: every point of the definition answered with clear reasons.
            missing.append(Missing(elements["reasons"], f"point {number} has no reasons"))
    decided = [p.decision for p in content.points]
    if any(d in (PointDecision.UPHELD, PointDecision.PARTLY_UPHELD) for d in decided) and not any(
        r.strip() for r in content.remedies
    ):
        # 7.1: where something has gone wrong, say what has been or will be done to put it right.
        missing.append(Missing(elements["remedy"], "a point is upheld, so the response must offer a remedy"))
    if any(not action.strip() for action in content.outstanding_actions):
        missing.append(Missing(elements["outstanding_actions"], "an outstanding action has no description"))
    if not content.escalation_route.strip():
        missing.append(Missing(elements["escalation"], "the route for taking the complaint further is missing"))
    return missing


def escalation_route(stage: int, escalate_by: date | None) -> str:
    """The words that tell the resident how to take the complaint further (6.9(g), 6.19(g), 3.7)."""
    if stage == 1:
        when = f" by {escalate_by:%-d %B %Y}" if escalate_by else ""
        return (
            f"If you are not satisfied with this response, you can ask us to escalate your complaint to stage 2"
            f"{when}. You do not need to give a reason. Reply to this letter, contact us by phone or email, or use "
            f"the online service. You can also contact the {OMBUDSMAN_CONTACT} at any time for advice."
        )
    return (
        "This is our final response. If you remain dissatisfied, you can refer your complaint to the "
        f"{OMBUDSMAN_CONTACT}. You normally need to do this within 12 months of this response."
    )

"""How deadlines read on a page: working days left or overdue in words, and a tag that says the
same in words too (never colour alone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from putright.complaints.models import DefinitionPoint, Remedy, Stage
from putright.rules.calendar import WorkingCalendar
from putright.rules.responses import PointAnswer, ResponseContent, missing_elements, required_elements
from putright.rules.timescales import Rag, deadline_status

RESPONSE_ROWS = 10  # the most remedy or action rows the response form shows

TAGS = {
    Rag.RED: ("Overdue", "govuk-tag--red"),
    Rag.AMBER: ("Due soon", "govuk-tag--yellow"),
    Rag.GREEN: ("On track", "govuk-tag--green"),
}


@dataclass(frozen=True)
class Deadline:
    due: date
    text: str  # "3 working days left", "due today", "2 working days overdue"
    tag: str
    tag_class: str
    overdue: bool


def deadline(calendar: WorkingCalendar, due: date, today: date, amber_days: int) -> Deadline:
    status = deadline_status(calendar, due, today, amber_days)
    tag, tag_class = TAGS[status.rag]
    text = status.describe()
    return Deadline(due, text[:1].upper() + text[1:], tag, tag_class, status.overdue)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    provision: str
    description: str
    met: bool
    details: list[str]


ROUTE_WRITTEN_BY_PUTRIGHT = "written into the response from the landlord's policy"


def response_checklist(
    stage: Stage,
    points: Sequence[DefinitionPoint],
    remedies: Sequence[Remedy],
    posted: Mapping[str, str] | None,
) -> list[ChecklistItem]:
    """What the Code requires in this stage's response (6.9, 6.19), and what is still missing from
    the response as written so far (the posted form) or as recorded (before anything is typed).

    The action checks the same rules again when the response is issued; this only lets the
    handler see them as they write.
    """
    data: Mapping[str, str] = posted or {}
    answers = [
        PointAnswer(p.text, data.get(f"decision_{p.number}", "") or "", data.get(f"reasons_{p.number}", "") or "")
        for p in points
    ]
    rows = range(RESPONSE_ROWS)
    offered = [r.description for r in remedies] + [data.get(f"remedy_{i}_description", "") or "" for i in rows]
    outstanding = [
        data.get(f"action_{i}_description", "") or ""
        for i in rows
        if any(data.get(f"action_{i}_{part}") for part in ("description", "owner", "due_on_0", "due_on_1"))
    ]
    content = ResponseContent(stage.number, stage.understanding, answers, offered, outstanding, "route")
    missing: dict[str, list[str]] = {}
    for item in missing_elements(content):
        missing.setdefault(item.element.key, []).append(item.detail)
    notes = {"escalation": [ROUTE_WRITTEN_BY_PUTRIGHT], "stage": [f"stage {stage.number}"]}
    return [
        ChecklistItem(
            element.key,
            element.provision,
            element.description,
            element.key not in missing,
            missing.get(element.key, notes.get(element.key, [])),
        )
        for element in required_elements(stage.number)
    ]

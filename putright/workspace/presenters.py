"""How things read on a page: deadlines as working days left or overdue in words, with a tag that
says the same in words too (never colour alone); what a response must still include; and what
stage 1 did, beside the stage 2 pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import OuterRef, Subquery, prefetch_related_objects

from putright.complaints.models import ActionUpdate, Complaint, DefinitionPoint, OutstandingAction, Remedy, Stage
from putright.rules.calendar import WorkingCalendar
from putright.rules.responses import PointAnswer, ResponseContent, missing_elements, required_elements
from putright.rules.timescales import Rag, deadline_status
from putright.workspace.forms.remedies import AMOUNTS

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


@dataclass(frozen=True)
class EarlierRemedy:
    kind: str
    description: str
    state: str
    amounts: list[tuple[str, str]]  # ("Time and trouble", "£75.00") for each part of a payment
    total: str  # "£125.00", or empty without a payment
    due_on: date | None
    delivered_on: date | None


@dataclass(frozen=True)
class EarlierAction:
    description: str
    owner: str
    due_on: date
    completed_on: date | None
    latest_update: str
    latest_update_at: datetime | None


@dataclass(frozen=True)
class StageOne:
    """What stage 1 did, shown beside the stage 2 pages so the reviewer starts from it (6.11, 6.18)."""

    escalated_on: date
    escalation_reason: str
    escalation_discretion: str
    understanding: str
    outcomes_sought: str
    responsible_for: str
    not_responsible_for: str
    points: list[DefinitionPoint]
    responded_on: date | None
    decision: str
    summary: str
    remedies: list[EarlierRemedy]
    actions: list[EarlierAction]

    @property
    def folded(self) -> bool:
        """Long enough to fold away behind its heading, so the form stays in reach."""
        rows = len(self.points) + len(self.remedies) + len(self.actions)
        words = sum(len(p.text) + len(p.reasons) for p in self.points) + len(self.understanding) + len(self.summary)
        return rows > FOLD_AFTER_ROWS or words > FOLD_AFTER_CHARACTERS


FOLD_AFTER_ROWS = 6
FOLD_AFTER_CHARACTERS = 1_500


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def stage_one(complaint: Complaint, stage1: Stage, stage2: Stage) -> StageOne:
    """Stage 1's definition, decision point by point, remedies and actions, for a stage 2 page.

    Three queries whatever their number: the points and remedies of stage 1, and its actions with
    their owners and each one's latest update.
    """
    prefetch_related_objects([stage1], "points", "remedies")
    updates = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-recorded_at", "-id")
    actions = (
        OutstandingAction.objects.filter(complaint=complaint, stage_number=1)
        .select_related("owner")
        .annotate(
            latest_note=Subquery(updates.values("note")[:1]),
            latest_at=Subquery(updates.values("recorded_at")[:1]),
        )
        .order_by("due_on", "id")
    )
    return StageOne(
        escalated_on=stage2.opened_on,
        escalation_reason=stage2.escalation_reason,
        escalation_discretion=stage2.escalation_discretion,
        understanding=stage1.understanding,
        outcomes_sought=stage1.outcomes_sought,
        responsible_for=stage1.responsible_for,
        not_responsible_for=stage1.not_responsible_for,
        points=list(stage1.points.all()),
        responded_on=stage1.responded_on,
        decision=stage1.get_decision_display(),
        summary=stage1.response_summary,
        remedies=[
            EarlierRemedy(
                kind=remedy.get_kind_display(),
                description=remedy.description,
                state=remedy.get_state_display(),
                amounts=[
                    (label, pounds(getattr(remedy, f"amount_{part}")))
                    for part, (label, _) in AMOUNTS.items()
                    if getattr(remedy, f"amount_{part}") > 0
                ],
                total=pounds(remedy.total) if remedy.total > 0 else "",
                due_on=remedy.due_on,
                delivered_on=remedy.delivered_on,
            )
            for remedy in stage1.remedies.all()
        ],
        actions=[
            EarlierAction(
                description=action.description,
                owner=(action.owner.get_full_name() or action.owner.username) if action.owner else "",
                due_on=action.due_on,
                completed_on=action.completed_on,
                latest_update=action.latest_note or "",
                latest_update_at=action.latest_at,
            )
            for action in actions
        ],
    )

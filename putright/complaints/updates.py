"""The updates agreed with residents while responses are late (5.9), as they went: for a
complaint's page and for the self-assessment's evidence. How each stands is decided in
`putright.rules.updates`; this reads the records it needs, in one query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from putright.complaints.models import OPEN_STATUSES, Complaint, ResidentUpdate, Stage
from putright.rules.updates import AgreedUpdate, Standing, standing


def _ended_on(
    number: int, responded_on: date | None, complaint_stage: int, still_open: bool, ends: Iterable[date | None]
) -> date | None:
    if responded_on is not None:
        return responded_on
    if number == complaint_stage and not still_open:
        return next((day for day in ends if day is not None), None)
    return None


def stage_ended_on(stage: Stage, complaint: Complaint) -> date | None:
    """The day the stage stopped needing updates: its response, or the complaint's end while at it."""
    ends = (complaint.withdrawn_on, complaint.refused_on, complaint.closed_on)
    return _ended_on(stage.number, stage.responded_on, complaint.stage, complaint.is_open, ends)


def needs_interval(complaint: Complaint, stage: Stage, today: date) -> bool:
    """Whether the open stage's response is late or extended with no update interval agreed (5.9)."""
    return (
        complaint.is_open
        and stage.number == complaint.stage
        and stage.responded_on is None
        and stage.update_interval_days is None
        and (stage.extension_days > 0 or stage.response_due < today)
    )


@dataclass(frozen=True)
class UpdateRow:
    """One agreed update on a complaint's page."""

    due_on: date
    sent_on: date | None
    standing: Standing
    awaited: bool  # the one the stage is waiting for now

    @property
    def label(self) -> str:
        if self.standing == Standing.MISSED and self.awaited:
            return "Overdue"
        return {
            Standing.ON_TIME: "On time",
            Standing.LATE: "Late",
            Standing.DUE: "Due",
            Standing.MISSED: "Missed",
            Standing.NOT_NEEDED: "Not needed",
        }[self.standing]

    @property
    def colour(self) -> str:
        return {
            Standing.ON_TIME: "green",
            Standing.LATE: "orange",
            Standing.DUE: "blue",
            Standing.MISSED: "red",
            Standing.NOT_NEEDED: "grey",
        }[self.standing]


def agreed(update: ResidentUpdate, ended_on: date | None) -> AgreedUpdate:
    return AgreedUpdate(update.due_on, update.sent_on, update.replaced_on, ended_on)


def rows_by_stage(complaint: Complaint, stages: Iterable[Stage], today: date) -> dict[int, list[UpdateRow]]:
    """Each stage's agreed updates, oldest first, with how each stands today: one query."""
    by_id = {stage.pk: stage for stage in stages}
    found: dict[int, list[UpdateRow]] = {}
    updates = ResidentUpdate.objects.filter(stage_id__in=by_id).order_by("due_on", "id")
    for update in updates:
        stage = by_id[update.stage_id]
        ended = stage_ended_on(stage, complaint)
        awaited = update.sent_on is None and update.replaced_on is None and ended is None
        found.setdefault(stage.number, []).append(
            UpdateRow(update.due_on, update.sent_on, standing(agreed(update, ended), today), awaited)
        )
    return found


def agreed_updates(updates: QuerySet[ResidentUpdate]) -> list[tuple[int, AgreedUpdate]]:
    """Each update's stage number, and the update as `rules.updates` weighs it with the end of its
    stage: one query."""
    rows = updates.values_list(
        "due_on",
        "sent_on",
        "replaced_on",
        "stage__number",
        "stage__responded_on",
        "stage__complaint__stage",
        "stage__complaint__withdrawn_on",
        "stage__complaint__refused_on",
        "stage__complaint__closed_on",
        "stage__complaint__status",
    )
    return [
        (
            number,
            AgreedUpdate(
                due_on,
                sent_on,
                replaced_on,
                _ended_on(number, responded_on, at_stage, status in OPEN_STATUSES, (withdrawn, refused, closed)),
            ),
        )
        for due_on, sent_on, replaced_on, number, responded_on, at_stage, withdrawn, refused, closed, status in rows
    ]

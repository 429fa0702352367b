"""A complaint page's part on late responses (5.9): the offer to agree an update interval with the
resident when a stage is extended or overdue without one, and the updates agreed, as they went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from putright.complaints.models import Stage
from putright.complaints.updates import UpdateRow, needs_interval, rows_by_stage
from putright.workspace import steps


@dataclass(frozen=True)
class StageUpdates:
    stage: Stage
    rows: list[UpdateRow]
    live: bool  # the stage is open and still waiting for its response

    @property
    def next_due(self) -> date | None:
        return next((row.due_on for row in self.rows if row.awaited), None)


@dataclass(frozen=True)
class LateResponses:
    stage: Stage  # the complaint's current stage
    offer_interval: bool
    overdue: bool  # the response deadline has passed (else it was extended)
    can_agree: bool
    can_send: bool
    stages: list[StageUpdates]

    @property
    def shown(self) -> bool:
        return self.offer_interval or bool(self.stages)


def late_responses(situation: steps.Situation, today: date) -> LateResponses:
    """What the page says about updates to the resident, for this reader: two queries at most."""
    complaint, stage = situation.complaint, situation.current
    agree, send = steps.STEPS["update-interval"], steps.STEPS["send-update"]
    rows = rows_by_stage(complaint, situation.stages.values(), today)
    return LateResponses(
        stage=stage,
        offer_interval=needs_interval(complaint, stage, today),
        overdue=stage.response_due < today,
        can_agree=agree.permitted(situation) and agree.applies(situation),
        can_send=send.permitted(situation) and send.applies(situation),
        stages=[
            StageUpdates(
                situation.stages[number],
                found,
                complaint.is_open and number == complaint.stage and situation.stages[number].responded_on is None,
            )
            for number, found in sorted(rows.items())
        ],
    )

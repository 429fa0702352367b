"""Deadlines when a landlord's calendar changes: a closure day or a bank holiday added or taken
away moves the stored deadlines of every open stage it touches.

Called by the commands and the admin of `putright.core`, which sit above both complaints and
landlords: a landlord's configuration never imports complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints.actions.base import refresh_deadline
from putright.complaints.models import OPEN_STATUSES, Complaint, Event, Stage
from putright.complaints.policies import policy_for
from putright.landlords import actions as landlord_actions
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord
from putright.rules import timescales


@dataclass
class Recomputed:
    complaints: int = 0
    changed: list[str] = field(default_factory=list)


@transaction.atomic
def recompute_deadlines(landlord: Landlord, actor: User | None, reason: str) -> Recomputed:
    """Recompute the stored deadlines of a landlord's open stages after its calendar changed."""
    calendar = working_calendar(landlord)
    result = Recomputed()
    open_stages = (
        Stage.objects.select_for_update(of=("self", "complaint"))
        .filter(
            complaint__landlord=landlord,
            complaint__status__in=OPEN_STATUSES,
            responded_on__isnull=True,
        )
        .select_related("complaint__policy_version")
    )
    stages_changed, complaints_changed, events = [], [], []
    now = clock.now()
    for stage in open_stages.iterator(chunk_size=2000):
        complaint = stage.complaint
        if stage.number != complaint.stage:
            continue
        result.complaints += 1
        policy = policy_for(complaint)
        before = (stage.acknowledge_due, stage.response_due)
        stage.acknowledge_due = timescales.acknowledgement_due(policy, calendar, stage.number, stage.opened_on)
        stage.original_response_due = timescales.response_due(
            policy, calendar, stage.number, stage.opened_on, stage.acknowledged_on
        )
        stage.response_due = calendar.add_working_days(stage.original_response_due, stage.extension_days)
        if (stage.acknowledge_due, stage.response_due) == before:
            continue
        refresh_deadline(complaint, stage)
        complaint.version += 1
        stages_changed.append(stage)
        complaints_changed.append(complaint)
        result.changed.append(complaint.reference)
        events.append(
            Event(
                complaint=complaint,
                at=now,
                actor=actor,
                kind="deadlines-recomputed",
                stage=stage.number,
                summary=f"Deadlines recomputed: {reason}",
                before={"acknowledge_due": before[0].isoformat(), "response_due": before[1].isoformat()},
                after={
                    "acknowledge_due": stage.acknowledge_due.isoformat(),
                    "response_due": stage.response_due.isoformat(),
                },
            )
        )
    Stage.objects.bulk_update(
        stages_changed, ["acknowledge_due", "original_response_due", "response_due"], batch_size=1000
    )
    Complaint.objects.bulk_update(complaints_changed, ["next_due", "next_due_kind", "version"], batch_size=1000)
    Event.objects.bulk_create(events, batch_size=1000)
    return result


def change_holiday(
    landlord: Landlord, actor: User | None, day: date, *, change: str | None, title: str = ""
) -> Recomputed:
    """Add a one-off bank holiday (`add`), work on a listed one (`remove`), or clear the change (None)."""
    with transaction.atomic():
        if change is None:
            landlord_actions.clear_holiday_change(landlord, day)
        else:
            landlord_actions.set_holiday_change(landlord, day, change, title)
        return recompute_deadlines(landlord, actor, f"the bank holidays on {day:%-d %B %Y} changed")


def change_closure_day(
    landlord: Landlord, actor: User | None, day: date, *, reason: str = "", clear: bool = False
) -> Recomputed:
    """Add or remove a landlord's closure day, and move the deadlines it affects."""
    with transaction.atomic():
        if clear:
            landlord_actions.clear_closure_day(landlord, day)
        else:
            landlord_actions.set_closure_day(landlord, day, reason)
        what = f"{day:%-d %B %Y} {'is no longer' if clear else 'is now'} a closure day"
        return recompute_deadlines(landlord, actor, what)

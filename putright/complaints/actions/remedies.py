"""Putting things right: remedies offered, agreed and delivered, and outstanding actions followed
to completion (5.13, 6.6, 6.17, 7.3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.actions.base import (
    begin_stage_work,
    check_not_future,
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    require_status,
    save_complaint,
    write_event,
)
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, ActionUpdate, Complaint, OutstandingAction, Remedy, Stage


@dataclass(frozen=True)
class RemedyInput:
    kind: str
    description: str
    amount_statutory: Decimal = Decimal(0)
    amount_quantifiable_loss: Decimal = Decimal(0)
    amount_time_and_trouble: Decimal = Decimal(0)
    amount_distress: Decimal = Decimal(0)
    due_on: date | None = None


@dataclass(frozen=True)
class ActionInput:
    description: str
    due_on: date
    owner: User | None = None


def remedy_rows_from(
    errors: dict[str, str], stage: Stage, remedies: Sequence[RemedyInput], prefix: str
) -> list[Remedy]:
    rows = []
    for i, remedy in enumerate(remedies):
        name = f"{prefix}[{i}]"
        if remedy.kind not in Remedy.Kind.values:
            errors[f"{name}.kind"] = f"Choose a kind of remedy: {', '.join(Remedy.Kind.values)}"
        description = clean_text(errors, f"{name}.description", remedy.description, limit=5_000)
        amounts = (
            remedy.amount_statutory,
            remedy.amount_quantifiable_loss,
            remedy.amount_time_and_trouble,
            remedy.amount_distress,
        )
        if any(a < 0 or a > Decimal("1000000") for a in amounts):
            errors[f"{name}.amount"] = "Amounts must be between £0 and £1,000,000"
        elif remedy.kind == Remedy.Kind.FINANCIAL and sum(amounts) <= 0:
            errors[f"{name}.amount"] = "A financial remedy needs an amount"
        rows.append(
            Remedy(
                stage=stage,
                kind=remedy.kind,
                description=description,
                amount_statutory=remedy.amount_statutory,
                amount_quantifiable_loss=remedy.amount_quantifiable_loss,
                amount_time_and_trouble=remedy.amount_time_and_trouble,
                amount_distress=remedy.amount_distress,
                due_on=remedy.due_on,
            )
        )
    return rows


@transaction.atomic
def add_remedy(
    complaint: Complaint, actor: User, remedy: RemedyInput, *, expected_version: int | None = None
) -> Remedy:
    """Offer a remedy at any point of either stage, without waiting for escalation (5.13)."""
    complaint, stages, stage = begin_stage_work(complaint, actor, expected_version, ACTIVE_STATUSES, "offer a remedy")
    errors: dict[str, str] = {}
    rows = remedy_rows_from(errors, stage, [remedy], "remedy")
    raise_invalid(errors)
    rows[0].save()
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "remedy-offered",
        f"Remedy offered: {rows[0].get_kind_display()}: {rows[0].description}",
        stage=stage.number,
    )
    return rows[0]


# What each state of a remedy may become (7.3: followed through to completion).
REMEDY_MOVES = {
    Remedy.State.OFFERED: (Remedy.State.AGREED, Remedy.State.DECLINED, Remedy.State.DELIVERED),
    Remedy.State.AGREED: (Remedy.State.DELIVERED,),
}
DECLINE_REASON_LIMIT = 2_000


@transaction.atomic
def update_remedy(remedy: Remedy, actor: User, *, state: str, on: date, expected_version: int | None = None) -> Remedy:
    """Record that a remedy was agreed, delivered or declined (7.3: followed through to completion)."""
    staff = access.require_staff(actor, remedy.stage.complaint.landlord_id)
    complaint = lock_complaint(remedy.stage.complaint, expected_version)
    # Check the transition against the row as it is now, not the caller's copy (as update_action does).
    remedy = Remedy.objects.select_for_update().select_related("stage").get(pk=remedy.pk)
    stages = lock_stages(complaint)
    # Whoever holds the complaint now follows through every remedy, including stage 1's (7.3).
    current = stages[complaint.stage]
    stage1_handler = stages[1].handler_id if complaint.stage == 2 else None
    if not access.can(staff, Capability.WORK, complaint, current, stage1_handler):
        access.require(staff, Capability.FINISH, complaint, current)
    return _move_remedy(complaint, stages[remedy.stage.number], remedy, actor, state=state, on=on)


@transaction.atomic
def resident_answer_remedy(
    remedy: Remedy, *, accept: bool, on: date, reason: str = "", expected_version: int | None = None
) -> Remedy:
    """The resident accepts an offered remedy, or declines it with a reason, through the portal.

    The same change as a member of staff recording the resident's answer (`update_remedy`), with the
    resident as the actor (Event.actor is None). Only an offered remedy on a complaint still in
    progress can be answered: a second answer (a double click, the back button) is refused.
    """
    complaint = lock_complaint(remedy.stage.complaint, expected_version)
    remedy = Remedy.objects.select_for_update().select_related("stage").get(pk=remedy.pk)
    if remedy.stage.complaint_id != complaint.pk:
        raise TransitionNotAllowed("This remedy belongs to another complaint.")
    require_status(complaint, ACTIVE_STATUSES, "answer a remedy on it")
    stage = lock_stages(complaint)[remedy.stage.number]
    state = Remedy.State.AGREED if accept else Remedy.State.DECLINED
    return _move_remedy(complaint, stage, remedy, None, state=state, on=on, reason=reason, needs_reason=not accept)


def _move_remedy(
    complaint: Complaint,
    stage: Stage,
    remedy: Remedy,
    actor: User | None,
    *,
    state: str,
    on: date,
    reason: str = "",
    needs_reason: bool = False,
) -> Remedy:
    """Check and make one move of a locked remedy, with its Event: staff's and the resident's alike."""
    if state not in REMEDY_MOVES.get(Remedy.State(remedy.state), ()):
        raise TransitionNotAllowed(f"A remedy that is {remedy.get_state_display().lower()} cannot become {state}.")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.opened_on)
    reason = clean_text(errors, "reason", reason, required=needs_reason, limit=DECLINE_REASON_LIMIT)
    raise_invalid(errors)
    previous = remedy.state
    remedy.state = state
    if state == Remedy.State.DELIVERED:
        remedy.delivered_on = on
    remedy.save(update_fields=["state", "delivered_on"])
    save_complaint(complaint)
    by = " by the resident, online," if actor is None else ""
    write_event(
        complaint,
        actor,
        "remedy-updated",
        f"Remedy ({remedy.get_kind_display().lower()}) {state}{by} on {on:%-d %B %Y}."
        + (f" Reason given: {reason}" if reason else ""),
        stage=stage.number,
        before={"state": previous},
        after={"state": state, "remedy": remedy.pk, "on": on.isoformat(), **({"reason": reason} if reason else {})},
    )
    return remedy


@transaction.atomic
def update_action(
    action: OutstandingAction,
    actor: User,
    *,
    note: str,
    resident_told: bool = False,
    completed_on: date | None = None,
    expected_version: int | None = None,
) -> OutstandingAction:
    """Record progress on an outstanding action, and its completion (6.6, 6.17)."""
    staff = access.require_staff(actor, action.complaint.landlord_id)
    complaint = lock_complaint(action.complaint, expected_version)
    access.require_action_update(staff, action, complaint)
    locked = OutstandingAction.objects.select_for_update().get(pk=action.pk)
    if locked.completed_on is not None:
        raise TransitionNotAllowed(f"This action was completed on {locked.completed_on:%-d %B %Y}.")
    errors: dict[str, str] = {}
    note = clean_text(errors, "note", note, limit=5_000)
    if completed_on is not None:
        check_not_future(errors, "completed_on", completed_on, complaint.received_on)
    raise_invalid(errors)
    ActionUpdate.objects.create(
        action=locked, note=note, resident_told=resident_told, recorded_by=actor, recorded_at=clock.now()
    )
    if completed_on is not None:
        locked.completed_on = completed_on
        locked.save(update_fields=["completed_on"])
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "action-completed" if completed_on else "action-updated",
        f"Outstanding action {'completed' if completed_on else 'updated'}: {note}",
        stage=locked.stage_number,
    )
    return locked

"""After a stage's response: escalation to stage 2 and its refusal, withdrawal, closure, and the
resident taking the complaint to the Housing Ombudsman."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints import access, reactions
from putright.complaints.access import Capability
from putright.complaints.actions.base import (
    calendar_for,
    check_not_future,
    check_refusal,
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    refresh_deadline,
    require_status,
    save_complaint,
    snapshot,
    write_event,
)
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, Complaint, OutstandingAction, Remedy, Stage, Status
from putright.complaints.policies import policy_for
from putright.rules import timescales


@transaction.atomic
def escalate(
    complaint: Complaint,
    actor: User,
    *,
    requested_on: date,
    reason: str = "",
    discretion: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Open stage 2 at the resident's request (6.10, 6.11); no reason is needed (6.12).

    A request after the policy's escalation window needs a recorded discretion decision; refusing
    it is a separate action that must meet section 2 (5.11).
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require(staff, Capability.ESCALATE, complaint)
    stages = lock_stages(complaint)
    escalable = complaint.status == Status.STAGE1_RESPONDED or (
        complaint.status == Status.CLOSED and complaint.stage == 1 and not complaint.escalation_refused
    )
    if not escalable:
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()} at stage {complaint.stage}: only a "
            "complaint with a stage 1 response can be escalated to stage 2."
        )
    stage1 = stages[1]
    errors: dict[str, str] = {}
    assert stage1.responded_on is not None
    check_not_future(errors, "requested_on", requested_on, stage1.responded_on)
    reason = clean_text(errors, "reason", reason, required=False, limit=5_000)
    discretion = clean_text(errors, "discretion", discretion, required=False, limit=5_000)
    if stage1.escalate_by and requested_on > stage1.escalate_by and not discretion:
        errors["discretion"] = (
            f"The request came after the policy's deadline of {stage1.escalate_by:%-d %B %Y}: record why you are "
            "accepting it, or refuse the escalation with a reason that meets section 2 of the Code (5.11)"
        )
    raise_invalid(errors)
    return open_stage2(complaint, actor, requested_on=requested_on, reason=reason, discretion=discretion)


def open_stage2(
    complaint: Complaint, actor: User | None, *, requested_on: date, reason: str, discretion: str
) -> Complaint:
    policy = policy_for(complaint)
    calendar = calendar_for(complaint)
    before = snapshot(complaint)
    ack_due = timescales.acknowledgement_due(policy, calendar, 2, requested_on)
    respond_due = timescales.response_due(policy, calendar, 2, requested_on, None)
    stage2 = Stage.objects.create(
        complaint=complaint,
        landlord_id=complaint.landlord_id,
        number=2,
        opened_on=requested_on,
        escalation_reason=reason,
        escalation_discretion=discretion,
        acknowledge_due=ack_due,
        original_response_due=respond_due,
        response_due=respond_due,
    )
    complaint.stage, complaint.status, complaint.closed_on = 2, Status.STAGE2_OPEN, None
    refresh_deadline(complaint, stage2)
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "escalated",
        (
            "Escalated to stage 2 by the resident on "
            if actor is None
            else "Escalated to stage 2 at the resident's request of "
        )
        + f"{requested_on:%-d %B %Y}; acknowledgement due "
        f"{ack_due:%-d %B %Y}." + (f" Reason given: {reason}" if reason else " No reason needed (6.12)."),
        stage=2,
        before=before,
        after=snapshot(complaint),
    )
    return complaint


@transaction.atomic
def refuse_escalation(
    complaint: Complaint,
    actor: User,
    *,
    ground: str,
    explanation: str,
    ombudsman_rights_given: bool,
    on: date,
    review_note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Refuse a request for stage 2 for a reason that meets section 2 of the Code (5.11)."""
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require(staff, Capability.DECIDE, complaint)
    if not (complaint.stage == 1 and complaint.status in (Status.STAGE1_RESPONDED, Status.CLOSED)):
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()} at stage {complaint.stage}: only a "
            "request to escalate a stage 1 response can be refused."
        )
    if complaint.escalation_refused:
        raise TransitionNotAllowed(
            f"Escalation of {complaint.reference} was already refused on {complaint.refused_on}."
        )
    stage1 = Stage.objects.get(complaint=complaint, number=1)
    errors: dict[str, str] = {}
    assert stage1.responded_on is not None
    _, _, review_note = check_refusal(
        errors, complaint, ground, explanation, ombudsman_rights_given, on, stage1.responded_on, review_note
    )
    raise_invalid(errors)
    before = snapshot(complaint)
    complaint.escalation_refused = True
    complaint.refusal_ground, complaint.refusal_explanation = ground, explanation.strip()
    complaint.refused_by, complaint.refused_on = actor, on
    complaint.status, complaint.closed_on = Status.CLOSED, complaint.closed_on or on
    save_complaint(complaint)
    label = policy_for(complaint).exclusion_label(ground)
    event = write_event(
        complaint,
        actor,
        "escalation-refused",
        f"Escalation refused: {label}."
        + (f" Ground reviewed (2.2, 2.5): {review_note}" if review_note else "")
        + " The resident was told why and "
        "of their right to go to the Ombudsman (5.11, 2.4).",
        stage=1,
        before=before,
        after=snapshot(complaint),
    )
    reactions.react(event, stage1, on=on, ground_label=label)
    return complaint


@transaction.atomic
def withdraw(
    complaint: Complaint, actor: User, *, how: str, on: date, expected_version: int | None = None
) -> Complaint:
    """Record that the resident withdrew the complaint, and how they said so."""
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    access.require(staff, Capability.FINISH, complaint, stages[complaint.stage])
    require_status(complaint, ACTIVE_STATUSES, "withdraw it")
    errors: dict[str, str] = {}
    how = clean_text(errors, "how", how, limit=300)
    check_not_future(errors, "on", on, complaint.received_on)
    raise_invalid(errors)
    before = snapshot(complaint)
    complaint.status, complaint.withdrawn_on, complaint.withdrawal_how = Status.WITHDRAWN, on, how
    refresh_deadline(complaint, None)
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "withdrawn",
        f"Withdrawn by the resident on {on:%-d %B %Y}: {how}",
        stage=complaint.stage,
        before=before,
        after=snapshot(complaint),
    )
    return complaint


@transaction.atomic
def close(complaint: Complaint, actor: User, *, on: date, expected_version: int | None = None) -> Complaint:
    """Close a complaint once its response is issued and its remedies agreed.

    Outstanding actions carry on after closure and are tracked to completion (6.6, 6.17). Where
    the landlord requires it, the learning and root cause must be recorded first (9.1).
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    stage = stages[complaint.stage]
    access.require(staff, Capability.FINISH, complaint, stage)
    require_status(complaint, (Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED), "close it")
    offered = Remedy.objects.filter(stage__complaint=complaint, state=Remedy.State.OFFERED).count()
    errors: dict[str, str] = {}
    if offered:
        errors["remedies"] = (
            f"{offered} remed{'ies are' if offered != 1 else 'y is'} still only offered: record whether the resident "
            "agreed or declined before closing"
        )
    if complaint.landlord.learning_required_at_closure and not (complaint.learning_outcome and complaint.root_cause):
        errors["learning"] = "Record what was learned from this complaint and its root cause before closing it (9.1)"
    assert stage.responded_on is not None
    check_not_future(errors, "on", on, stage.responded_on)
    raise_invalid(errors)
    before = snapshot(complaint)
    complaint.status, complaint.closed_on = Status.CLOSED, on
    save_complaint(complaint)
    open_actions = OutstandingAction.objects.filter(complaint=complaint, completed_on__isnull=True).count()
    event = write_event(
        complaint,
        actor,
        "closed",
        f"Closed on {on:%-d %B %Y}" + (f"; {open_actions} outstanding actions carry on." if open_actions else "."),
        stage=complaint.stage,
        before=before,
        after=snapshot(complaint),
    )
    reactions.react(event, stage, on=on)
    return complaint


@transaction.atomic
def record_ombudsman_referral(
    complaint: Complaint,
    actor: User,
    *,
    on: date,
    ombudsman_reference: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Record that the resident has taken the complaint to the Housing Ombudsman."""
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require(staff, Capability.REFER, complaint)
    if complaint.ombudsman_referred_on is not None:
        raise TransitionNotAllowed(f"A referral was already recorded on {complaint.ombudsman_referred_on}.")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, complaint.received_on)
    reference = clean_text(errors, "ombudsman_reference", ombudsman_reference, required=False, limit=40)
    raise_invalid(errors)
    complaint.ombudsman_referred_on, complaint.ombudsman_reference = on, reference
    save_complaint(complaint)
    event = write_event(
        complaint,
        actor,
        "ombudsman-referral",
        f"Referred to the Housing Ombudsman on {on:%-d %B %Y}" + (f" (reference {reference})." if reference else "."),
        stage=complaint.stage,
    )
    # The Ombudsman case follows (putright.ombudsman.reactions): opened, or joined if one is open.
    reactions.react(
        event, Stage.objects.get(complaint=complaint, number=complaint.stage), on=on, ombudsman_reference=reference
    )
    return complaint

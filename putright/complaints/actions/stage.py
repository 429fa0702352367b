"""The work of an open stage: assigning it, acknowledging it with the complaint definition, asking
for clarification, extending it, agreeing and sending updates, new issues, and the response."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints import access, reactions
from putright.complaints.access import Capability
from putright.complaints.actions.base import (
    begin_stage_work,
    calendar_for,
    check_not_future,
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    refresh_deadline,
    require_status,
    save_complaint,
    snapshot,
    stage_for_work,
    write_event,
)
from putright.complaints.actions.intake import log_complaint
from putright.complaints.actions.remedies import ActionInput, RemedyInput, remedy_rows_from
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.independence import about_them, considered_stage1, named_in, owner_named
from putright.complaints.models import (
    OPEN_STATUSES,
    Complaint,
    DefinitionPoint,
    Extension,
    OutstandingAction,
    Remedy,
    ResidentUpdate,
    Stage,
    Status,
)
from putright.complaints.policies import policy_for
from putright.rules import timescales
from putright.rules.responses import (
    PointAnswer,
    PointDecision,
    ResponseContent,
    escalation_route,
    missing_elements,
    overall_decision,
)

MAX_POINTS = 30
MAX_EXTENSION_DAYS = 60


def _declare(errors: dict[str, str], conflict_of_interest: bool | None, note: str) -> str:
    if conflict_of_interest is None:
        errors["conflict_of_interest"] = "Declare whether you have a conflict of interest in this complaint (5.8)"
    elif conflict_of_interest:
        errors["conflict_of_interest"] = (
            "A handler with a conflict of interest cannot take this complaint (5.8): assign someone else"
        )
    return f"No conflict of interest declared on {clock.today():%-d %B %Y}." + (f" {note.strip()}" if note else "")


def _require_independent(complaint: Complaint, stage: Stage, actor: User) -> None:
    # 6.13 by the whole record: the stage 1 handler field alone misses a replaced handler or an
    # officer who issued the response while someone else was the handler.
    if stage.number == 2 and considered_stage1(complaint, actor.pk):
        raise NotPermitted(
            "You considered this complaint at stage 1, so you cannot consider it at stage 2 (Code 6.13)."
        )


@transaction.atomic
def assign_handler(
    complaint: Complaint,
    actor: User,
    *,
    handler: User,
    conflict_of_interest: bool | None,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Give the open stage a handler who has declared no conflict of interest (5.8); never the
    stage 1 handler at stage 2 (6.13)."""
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    stage = stages[complaint.stage]
    self_assign = handler.pk == actor.pk and stage.handler_id is None
    if self_assign:
        stage_for_work(staff, complaint, stages)
    else:
        access.require(staff, Capability.ASSIGN, complaint)
    require_status(complaint, OPEN_STATUSES, "assign a handler")
    target = access.staff_of(handler, complaint.landlord_id)
    errors: dict[str, str] = {}
    if target is None:
        errors["handler"] = "Choose a member of this landlord's staff"
    elif not access.can(target, Capability.WORK, complaint, Stage(number=stage.number), None):
        errors["handler"] = (
            f"{handler.get_full_name() or handler.username} cannot handle a stage {stage.number} complaint"
        )
    if named_in(complaint, handler.pk):
        errors["handler"] = about_them(handler.get_full_name() or handler.username)
    elif complaint.stage == 2 and considered_stage1(complaint, handler.pk):
        errors["handler"] = (
            f"{handler.get_full_name() or handler.username} considered this complaint at stage 1, so cannot "
            "review it at stage 2 (6.13)"
        )
    declaration = _declare(errors, conflict_of_interest, clean_text(errors, "note", note, required=False, limit=2_000))
    raise_invalid(errors)
    before = snapshot(complaint)
    stage.handler, stage.conflict_declaration = handler, declaration
    stage.save(update_fields=["handler", "conflict_declaration"])
    refresh_deadline(complaint, stage)
    save_complaint(complaint)
    event = write_event(
        complaint,
        actor,
        "assigned",
        f"Stage {stage.number} assigned to {handler.get_full_name() or handler.username}. {declaration}",
        stage=stage.number,
        before=before,
        after=snapshot(complaint),
    )
    reactions.react(event, stage, on=clock.today())
    return complaint


@transaction.atomic
def acknowledge(
    complaint: Complaint,
    actor: User,
    *,
    on: date,
    understanding: str,
    outcomes_sought: str,
    points: Sequence[str],
    responsible_for: str = "",
    not_responsible_for: str = "",
    conflict_of_interest: bool | None = None,
    discretion_note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Acknowledge the open stage with the complaint definition (5.6, 5.7; 6.2, 6.11).

    Acknowledging accepts the complaint: one about an issue outside the acceptance window needs a
    note of the discretion considered (2.3, 2.5), given here or when it was logged.

    The definition is our understanding, the outcomes sought, the points to be answered, and the
    aspects we are and are not responsible for. An acknowledging handler of an unassigned stage
    becomes its handler, after declaring no conflict of interest (5.8).
    """
    complaint, stages, stage = begin_stage_work(
        complaint, actor, expected_version, (Status.RECEIVED, Status.STAGE2_OPEN), "acknowledge it"
    )
    if stage.acknowledged_on is not None:
        raise TransitionNotAllowed(f"Stage {stage.number} was already acknowledged on {stage.acknowledged_on}.")
    _require_independent(complaint, stage, actor)
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.opened_on)
    understanding = clean_text(errors, "understanding", understanding)
    outcomes_sought = clean_text(errors, "outcomes_sought", outcomes_sought, limit=5_000)
    responsible_for = clean_text(errors, "responsible_for", responsible_for, required=False, limit=5_000)
    not_responsible_for = clean_text(errors, "not_responsible_for", not_responsible_for, required=False, limit=5_000)
    cleaned = [p.strip() for p in points if p and p.strip()]
    if not cleaned:
        errors["points"] = "List at least one point of the complaint to be answered (5.6)"
    elif len(cleaned) > MAX_POINTS:
        errors["points"] = f"A definition can have at most {MAX_POINTS} points"
    elif any(len(p) > 5_000 for p in cleaned):
        errors["points"] = "Each point must be 5,000 characters or fewer"
    declaration = ""
    if stage.handler_id is None:
        declaration = _declare(errors, conflict_of_interest, "")
    policy = policy_for(complaint)
    discretion_note = clean_text(errors, "discretion_note", discretion_note, required=False, limit=5_000)
    if stage.number == 1 and complaint.issue_date is not None:
        window = timescales.acceptance_check(policy, complaint.issue_date, complaint.received_on)
        if not window.inside and not (discretion_note or complaint.discretion_note):
            errors["discretion_note"] = (
                f"The issue is outside the {window.months}-month acceptance window: record the discretion you "
                "considered in accepting it, or decide not to accept it (2.3, 2.5)"
            )
    raise_invalid(errors)

    before = snapshot(complaint)
    if discretion_note:
        complaint.discretion_note = discretion_note
    calendar = calendar_for(complaint)
    if stage.handler_id is None:
        stage.handler, stage.conflict_declaration = actor, declaration
    stage.acknowledged_on = on
    stage.understanding, stage.outcomes_sought = understanding, outcomes_sought
    stage.responsible_for, stage.not_responsible_for = responsible_for, not_responsible_for
    stage.original_response_due = timescales.response_due(policy, calendar, stage.number, stage.opened_on, on)
    stage.response_due = calendar.add_working_days(stage.original_response_due, stage.extension_days)
    stage.save()
    DefinitionPoint.objects.bulk_create(
        DefinitionPoint(stage=stage, number=n, text=text) for n, text in enumerate(cleaned, start=1)
    )
    complaint.status = Status.STAGE1_OPEN if stage.number == 1 else Status.STAGE2_OPEN
    refresh_deadline(complaint, stage)
    save_complaint(complaint)
    late = on > stage.acknowledge_due
    event = write_event(
        complaint,
        actor,
        "acknowledged",
        f"Stage {stage.number} acknowledged on {on:%-d %B %Y}"
        + (f", after its deadline of {stage.acknowledge_due:%-d %B %Y}" if late else "")
        + f", with a definition of {len(cleaned)} point{'s' if len(cleaned) != 1 else ''}; "
        f"response due {stage.response_due:%-d %B %Y}.",
        stage=stage.number,
        before=before,
        after={**snapshot(complaint), "late": late},
    )
    reactions.react(event, stage, on=on)
    return complaint


@transaction.atomic
def request_clarification(
    complaint: Complaint, actor: User, *, on: date, question: str, expected_version: int | None = None
) -> Complaint:
    """Ask the resident to clarify an unclear part of the complaint (5.6)."""
    complaint, stages, stage = begin_stage_work(
        complaint, actor, expected_version, OPEN_STATUSES, "ask for clarification"
    )
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.opened_on)
    question = clean_text(errors, "question", question, limit=5_000)
    raise_invalid(errors)
    stage.clarification_requested_on = on
    stage.save(update_fields=["clarification_requested_on"])
    save_complaint(complaint)
    event = write_event(
        complaint, actor, "clarification-requested", f"Asked the resident to clarify: {question}", stage=stage.number
    )
    reactions.react(event, stage, on=on, question=question)
    return complaint


@transaction.atomic
def extend(
    complaint: Complaint,
    actor: User,
    *,
    days: int,
    reason: str,
    good_reason: str = "",
    told_by_phone_on: date | None = None,
    expected_version: int | None = None,
) -> Extension:
    """Extend the open stage's response time and tell the resident (6.4, 6.5, 6.15, 6.16).

    The extension letter is the notice: issued today, with the reason, the new date and the
    Housing Ombudsman's contact details, so the day the resident was told is today and the
    Ombudsman's details always go with it. Staff say only what they know besides: whether the
    resident was also told by phone, and when. Extensions adding up to more than the cap (the
    stricter of the policy's and the Code's) need a recorded good reason. One recorded after the
    deadline it extends has passed is allowed, and marked late.
    """
    complaint, stages, stage = begin_stage_work(complaint, actor, expected_version, OPEN_STATUSES, "extend it")
    policy = policy_for(complaint)
    today = clock.today()
    errors: dict[str, str] = {}
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = f"Enter a number of working days from 1 to {MAX_EXTENSION_DAYS}"
    reason = clean_text(errors, "reason", reason, limit=5_000)
    good_reason = clean_text(errors, "good_reason", good_reason, required=False, limit=5_000)
    if told_by_phone_on is not None:
        check_not_future(errors, "told_by_phone_on", told_by_phone_on, stage.opened_on)
    if "days" not in errors:
        check = timescales.check_extension(policy, stage.number, [stage.extension_days], days)
        if check.needs_good_reason and not good_reason:
            errors["good_reason"] = (
                f"Extensions would total {check.total_days} working days, more than the {check.cap_days} allowed "
                "without one: record the good reason, explained to the resident "
                f"({'6.4' if stage.number == 1 else '6.15'})"
            )
    raise_invalid(errors)
    calendar = calendar_for(complaint)
    before = snapshot(complaint)
    previous = stage.response_due
    new_due = calendar.add_working_days(previous, days)
    late = today > previous
    extension = Extension.objects.create(
        stage=stage,
        days=days,
        reason=reason,
        good_reason=good_reason,
        previous_due=previous,
        new_due=new_due,
        resident_told_on=today,
        ombudsman_details_given=True,
        told_by_phone_on=told_by_phone_on,
        late=late,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    stage.extension_days += days
    stage.response_due = new_due
    stage.save(update_fields=["extension_days", "response_due"])
    refresh_deadline(complaint, stage)
    save_complaint(complaint)
    event = write_event(
        complaint,
        actor,
        "extended",
        f"Stage {stage.number} extended by {days} working days to {new_due:%-d %B %Y}: {reason}"
        + (f" The resident was also told by phone on {told_by_phone_on:%-d %B %Y}." if told_by_phone_on else "")
        + (" Recorded after the deadline had passed." if late else ""),
        stage=stage.number,
        before={**before, "response_due": previous.isoformat()},
        after={**snapshot(complaint), "response_due": new_due.isoformat(), "late": late},
    )
    reactions.react(event, stage, on=today, extension=extension)
    return extension


def _awaited_update(stage: Stage) -> ResidentUpdate | None:
    return stage.resident_updates.filter(sent_on__isnull=True, replaced_on__isnull=True).first()


def _not_before_last_update(errors: dict[str, str], name: str, day: date, stage: Stage) -> None:
    last = stage.resident_updates.filter(sent_on__isnull=False).order_by("-sent_on").values_list("sent_on", flat=True)
    sent_on = last.first()
    if name not in errors and sent_on is not None and day < sent_on:
        errors[name] = f"This cannot be before the last update was sent, on {sent_on:%-d %B %Y}"


@transaction.atomic
def agree_update_interval(
    complaint: Complaint, actor: User, *, every_days: int, agreed_on: date, expected_version: int | None = None
) -> Complaint:
    """Agree with the resident how often they will hear from us while a response is late (5.9).

    The first update falls due `every_days` working days after the agreement. A new agreement
    replaces the update awaited under the old one: it counts as missed if its date had passed.
    """
    complaint, stages, stage = begin_stage_work(
        complaint, actor, expected_version, OPEN_STATUSES, "agree update intervals"
    )
    errors: dict[str, str] = {}
    if isinstance(every_days, bool) or not isinstance(every_days, int) or not 1 <= every_days <= 20:
        errors["every_days"] = "Enter how often, in working days, from 1 to 20"
    check_not_future(errors, "agreed_on", agreed_on, stage.opened_on)
    _not_before_last_update(errors, "agreed_on", agreed_on, stage)
    raise_invalid(errors)
    awaited = _awaited_update(stage)
    missed = ""
    if awaited is not None:
        awaited.replaced_on = agreed_on
        awaited.save(update_fields=["replaced_on"])
        if awaited.due_on < agreed_on:
            missed = f" The update due {awaited.due_on:%-d %B %Y} was not sent."
    stage.update_interval_days = every_days
    stage.next_update_due = calendar_for(complaint).add_working_days(agreed_on, every_days)
    stage.save(update_fields=["update_interval_days", "next_update_due"])
    ResidentUpdate.objects.create(stage=stage, due_on=stage.next_update_due)
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "update-interval-agreed",
        f"Agreed to update the resident every {every_days} working days; next update due "
        f"{stage.next_update_due:%-d %B %Y}.{missed}",
        stage=stage.number,
    )
    return complaint


@transaction.atomic
def send_update(
    complaint: Complaint, actor: User, *, on: date, update: str, expected_version: int | None = None
) -> Complaint:
    """Send the resident the update agreed while the response is delayed (5.9): the awaited update
    is recorded as sent, on time or late, and the next one falls due."""
    complaint, stages, stage = begin_stage_work(complaint, actor, expected_version, OPEN_STATUSES, "send an update")
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.opened_on)
    _not_before_last_update(errors, "on", on, stage)
    update = clean_text(errors, "update", update, limit=5_000)
    if stage.update_interval_days is None:
        errors["update"] = "Agree with the resident how often they will hear from us before sending an update (5.9)"
    raise_invalid(errors)
    assert stage.update_interval_days is not None
    awaited = _awaited_update(stage) or ResidentUpdate(stage=stage, due_on=stage.next_update_due or on)
    awaited.sent_on, awaited.sent_by = on, actor
    awaited.save()
    late = on > awaited.due_on
    stage.next_update_due = calendar_for(complaint).add_working_days(on, stage.update_interval_days)
    stage.save(update_fields=["next_update_due"])
    ResidentUpdate.objects.create(stage=stage, due_on=stage.next_update_due)
    save_complaint(complaint)
    event = write_event(
        complaint,
        actor,
        "update-sent",
        f"Update sent to the resident on {on:%-d %B %Y}"
        + (f", after it was due on {awaited.due_on:%-d %B %Y}" if late else "")
        + f"; next update due {stage.next_update_due:%-d %B %Y}.",
        stage=stage.number,
        after={"due_on": awaited.due_on.isoformat(), "sent_on": on.isoformat(), "late": late},
    )
    reactions.react(event, stage, on=on, update=update)
    return complaint


@transaction.atomic
def add_issue(
    complaint: Complaint,
    actor: User,
    *,
    description: str,
    related: bool,
    on: date,
    expected_version: int | None = None,
) -> Complaint:
    """A new issue raised while the complaint is open (6.8).

    A related issue raised before the stage 1 response joins this complaint (as a new point of the
    definition once acknowledged). Otherwise it becomes a new complaint, linked to this one, which
    is returned.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    locked = lock_complaint(complaint, expected_version)
    stages = lock_stages(locked)
    errors: dict[str, str] = {}
    description = clean_text(errors, "description", description, limit=5_000)
    check_not_future(errors, "on", on, locked.received_on)
    raise_invalid(errors)
    stage1 = stages[1]
    joins = (
        related
        and locked.stage == 1
        and stage1.responded_on is None
        and locked.status in (Status.RECEIVED, Status.STAGE1_OPEN)
    )
    if joins:
        stage_for_work(staff, locked, stages)
        if stage1.acknowledged_on is not None:
            number = (stage1.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            DefinitionPoint.objects.create(stage=stage1, number=number, text=description)
            where = f"added to the definition as point {number}"
        else:
            locked.description = f"{locked.description}\n\nAdded on {on:%-d %B %Y}: {description}"[:20_000]
            where = "added to the complaint before acknowledgement"
        save_complaint(locked)
        write_event(
            locked,
            actor,
            "issue-added",
            f"Related issue raised on {on:%-d %B %Y} {where} (6.8): {description}",
            stage=1,
        )
        return locked
    access.require(staff, Capability.LOG, locked)
    new = log_complaint(
        locked.landlord,
        actor,
        resident=locked.person,
        channel=locked.channel,
        received_on=on,
        description=description,
        service_area=locked.service_area,
        related_to=locked,
    )
    save_complaint(locked)
    write_event(
        locked,
        actor,
        "issue-logged-separately",
        f"New issue raised on {on:%-d %B %Y} logged as linked complaint {new.reference} (6.8).",
        stage=locked.stage,
    )
    return new


@dataclass(frozen=True)
class PointDecisionInput:
    number: int
    decision: str
    reasons: str


@transaction.atomic
def respond(
    complaint: Complaint,
    actor: User,
    *,
    on: date,
    decisions: Sequence[PointDecisionInput],
    summary: str = "",
    remedies: Sequence[RemedyInput] = (),
    actions: Sequence[ActionInput] = (),
    expected_version: int | None = None,
) -> Complaint:
    """Issue the open stage's written response (6.7, 6.9, 6.18, 6.19).

    Refused while anything the Code requires is missing: a decision and reasons for every point of
    the definition, a remedy where a point is upheld, and the route to take the complaint further.
    """
    complaint, stages, stage = begin_stage_work(
        complaint, actor, expected_version, (Status.STAGE1_OPEN, Status.STAGE2_OPEN), "respond (acknowledge it first)"
    )
    _require_independent(complaint, stage, actor)
    errors: dict[str, str] = {}
    check_not_future(errors, "on", on, stage.acknowledged_on)
    summary = clean_text(errors, "summary", summary, required=False, limit=20_000)
    points = list(stage.points.all())
    given = {d.number: d for d in decisions}
    unknown = sorted(set(given) - {p.number for p in points})
    if unknown:
        errors["decisions"] = f"There is no point {unknown[0]} in the definition"
    for point in points:
        answer = given.get(point.number)
        if answer is not None:
            if answer.decision not in PointDecision.__members__.values():
                errors[f"decisions[{point.number}].decision"] = "Choose upheld, partly-upheld or not-upheld"
            point.decision = answer.decision
            point.reasons = clean_text(errors, f"decisions[{point.number}].reasons", answer.reasons, required=False)
    remedy_rows = remedy_rows_from(errors, stage, remedies, "remedies")
    action_rows = []
    for i, action in enumerate(actions):
        text = clean_text(errors, f"actions[{i}].description", action.description, limit=5_000)
        if action.owner is not None and (access.staff_of(action.owner, complaint.landlord_id) is None):
            errors[f"actions[{i}].owner"] = "Choose a member of this landlord's staff"
        elif action.owner is not None and named_in(complaint, action.owner.pk):
            # Owning an action would put the person the complaint is about to work on it (and to read it).
            errors[f"actions[{i}].owner"] = owner_named(action.owner.get_full_name() or action.owner.username)
        if action.due_on < on:
            errors[f"actions[{i}].due_on"] = "An outstanding action cannot be due before the response"
        action_rows.append(
            OutstandingAction(
                complaint=complaint,
                stage_number=stage.number,
                description=text,
                owner=action.owner,
                due_on=action.due_on,
            )
        )
    raise_invalid(errors)

    policy = policy_for(complaint)
    calendar = calendar_for(complaint)
    escalate_by = timescales.escalation_deadline(policy, calendar, on) if stage.number == 1 else None
    route = escalation_route(stage.number, escalate_by)
    existing_remedies = [r.description for r in stage.remedies.all()]
    content = ResponseContent(
        stage=stage.number,
        definition=stage.understanding,
        points=[PointAnswer(p.text, p.decision, p.reasons) for p in points],
        remedies=existing_remedies + [r.description for r in remedy_rows],
        outstanding_actions=[a.description for a in action_rows],
        escalation_route=route,
    )
    missing = missing_elements(content)
    if missing:
        raise InvalidInput({"response": "The response cannot be issued without " + "; ".join(map(str, missing))})

    before = snapshot(complaint)
    DefinitionPoint.objects.bulk_update(points, ["decision", "reasons"])
    Remedy.objects.bulk_create(remedy_rows)
    OutstandingAction.objects.bulk_create(action_rows)
    stage.responded_on = on
    stage.decision = overall_decision([p.decision for p in points])
    stage.response_summary = summary
    stage.escalation_route = route
    stage.escalate_by = escalate_by
    stage.save()
    complaint.status = Status.STAGE1_RESPONDED if stage.number == 1 else Status.STAGE2_RESPONDED
    refresh_deadline(complaint, stage)
    save_complaint(complaint)
    late = on > stage.response_due
    event = write_event(
        complaint,
        actor,
        "responded",
        f"Stage {stage.number} response issued on {on:%-d %B %Y}: {stage.get_decision_display().lower()}"
        + (f", after its deadline of {stage.response_due:%-d %B %Y}" if late else "")
        + f". {len(remedy_rows) + len(existing_remedies)} remedies, {len(action_rows)} outstanding actions.",
        stage=stage.number,
        before=before,
        after={**snapshot(complaint), "decision": stage.decision, "late": late},
    )
    reactions.react(event, stage, on=on)
    return complaint

"""Every change to a complaint, one function per step of the Code's two-stage process.

Each action takes the acting user, locks the complaint row, refuses a stale version, checks the
user's role and the complaint's state, makes its change in one transaction, and writes an Event
with what was true before and after (STYLE.md habit 3). Views, the API, commands and tests all
call these; nothing else writes complaints.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F

from putright import clock
from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.errors import InvalidInput, StaleVersion, TransitionNotAllowed
from putright.complaints.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    ActionUpdate,
    Channel,
    Complaint,
    DefinitionPoint,
    DueKind,
    Event,
    Extension,
    OutstandingAction,
    ReferenceCounter,
    Remedy,
    RootCause,
    ServiceArea,
    ServiceRequest,
    Stage,
    Status,
    Tenure,
)
from putright.correspondence import letters, notices
from putright.landlords import actions as landlord_actions
from putright.landlords.calendars import policy_version_in_force, working_calendar
from putright.landlords.models import Landlord, StaffMember
from putright.people.models import Person, ReasonableAdjustment, Representative
from putright.rules import timescales
from putright.rules.calendar import WorkingCalendar
from putright.rules.letters import LetterType
from putright.rules.policy import CODE_POLICY, OUT_OF_TIME, Policy, policy_from_data
from putright.rules.responses import (
    PointAnswer,
    PointDecision,
    ResponseContent,
    escalation_route,
    missing_elements,
    overall_decision,
)
from putright.workspace.models import Attachment

MAX_POINTS = 30
MAX_EXTENSION_DAYS = 60


# -- shared steps ---------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _parse_policy(settings_json: str) -> Policy:
    return policy_from_data(json.loads(settings_json))


def policy_for(complaint: Complaint) -> Policy:
    """The policy the complaint follows: the version in force on the day it was received.

    Parsed policies are cached by their content, so a version re-adopted with new settings is
    never served stale. Lists should `select_related("policy_version")`.
    """
    version = complaint.policy_version
    return _parse_policy(json.dumps(version.settings)) if version else CODE_POLICY


def _text(errors: dict[str, str], name: str, value: str | None, *, required: bool = True, limit: int = 10_000) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = "Enter this: it cannot be left empty"
    elif len(text) > limit:
        errors[name] = f"This must be {limit:,} characters or fewer (it is {len(text):,})"
    return text


EARLIEST_DATE = date(2000, 1, 1)  # anything earlier is a typing mistake, not a complaint


def _date_not_future(errors: dict[str, str], name: str, value: date, earliest: date | None = None) -> None:
    today = clock.today()
    earliest = max(earliest or EARLIEST_DATE, EARLIEST_DATE)
    if value > today:
        errors[name] = f"This cannot be in the future (today is {today:%-d %B %Y})"
    elif value < earliest:
        errors[name] = f"This cannot be before {earliest:%-d %B %Y}"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput(errors)


def _lock(complaint: Complaint, expected_version: int | None) -> Complaint:
    """Re-read the complaint under a row lock, refusing a change made from a stale copy."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"{locked.reference} was changed by someone else since you opened it (it is now at version "
            f"{locked.version}, you had version {expected_version}). Reload it, check the change, and try again."
        )
    return locked


def _stages(complaint: Complaint) -> dict[int, Stage]:
    return {stage.number: stage for stage in Stage.objects.select_for_update().filter(complaint=complaint)}


def _event(
    complaint: Complaint,
    actor: User | None,
    kind: str,
    summary: str,
    *,
    stage: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        complaint=complaint,
        at=clock.now(),
        actor=actor,
        kind=kind,
        stage=stage,
        summary=summary[:2000],
        before=before or {},
        after=after or {},
    )


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    return {
        "status": complaint.status,
        "stage": complaint.stage,
        "next_due": complaint.next_due.isoformat() if complaint.next_due else None,
        "handler": complaint.handler.username if complaint.handler_id and complaint.handler else None,
    }


def _refresh_deadline(complaint: Complaint, stage: Stage | None) -> None:
    """Put the open stage's next deadline on the complaint row (the worklist reads only this)."""
    complaint.handler_id = stage.handler_id if stage else complaint.handler_id
    if stage is None or complaint.status not in (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN):
        complaint.next_due, complaint.next_due_kind = None, ""
    elif stage.acknowledged_on is None:
        complaint.next_due, complaint.next_due_kind = stage.acknowledge_due, DueKind.ACKNOWLEDGE
    else:
        complaint.next_due, complaint.next_due_kind = stage.response_due, DueKind.RESPOND


def _save(complaint: Complaint) -> None:
    complaint.version += 1
    complaint.updated_at = clock.now()
    complaint.save()


def _next_number(landlord: Landlord, kind: str, year: int) -> int:
    """The next number in a landlord's sequence for the year, taken under a row lock, never reused."""
    counters = ReferenceCounter.objects.filter(landlord=landlord, kind=kind, year=year)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(landlord=landlord, kind=kind, year=year, last=1)
                return 1
        except IntegrityError:  # another transaction created this year's counter first
            counters.update(last=F("last") + 1)
    return counters.values_list("last", flat=True).get()


def _calendar(complaint: Complaint) -> WorkingCalendar:
    return working_calendar(complaint.landlord)


def _stage_for_work(staff: StaffMember, complaint: Complaint, stages: dict[int, Stage]) -> Stage:
    stage = stages[complaint.stage]
    access.require(staff, Capability.WORK, complaint, stage, stages[1].handler_id if complaint.stage == 2 else None)
    return stage


def _begin_stage_work(
    complaint: Complaint, actor: User, expected_version: int | None, allowed: Sequence[str], doing: str
) -> tuple[Complaint, dict[int, Stage], Stage]:
    """Lock the complaint and its stages, and check the actor may work on its open stage now."""
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    stages = _stages(complaint)
    stage = _stage_for_work(staff, complaint, stages)
    _require_status(complaint, allowed, doing)
    return complaint, stages, stage


def _require_status(complaint: Complaint, allowed: Sequence[str], doing: str) -> None:
    if complaint.status not in allowed:
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()}, so you cannot {doing}."
        )


# -- logging ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentDetails:
    name: str
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_contact: str = "email"
    tenancy_reference: str = ""


@dataclass(frozen=True)
class AdjustmentInput:
    """Help the resident asked for, recorded on the person as a reasonable adjustment (5.10)."""

    kind: str
    detail: str = ""


@dataclass(frozen=True)
class RepresentativeDetails:
    name: str
    relationship: str
    authority: str = ""
    email: str = ""
    phone: str = ""


def _person(landlord: Landlord, resident: ResidentDetails | Person, errors: dict[str, str]) -> Person | None:
    if isinstance(resident, Person):
        if resident.landlord_id != landlord.pk:
            errors["resident"] = "No such resident at this landlord"
            return None
        return resident
    name = _text(errors, "resident.name", resident.name, limit=200)
    email = _text(errors, "resident.email", resident.email, required=False, limit=254)
    phone = _text(errors, "resident.phone", resident.phone, required=False, limit=40)
    if email and ("@" not in email or " " in email):
        errors["resident.email"] = "Enter an email address in the correct format, like name@example.com"
    if resident.preferred_contact not in ("email", "phone", "letter", "text"):
        errors["resident.preferred_contact"] = "Choose email, phone, letter or text"
    if "resident.name" in errors or "resident.email" in errors or "resident.preferred_contact" in errors:
        return None
    return Person(
        landlord=landlord,
        name=name,
        email=email,
        phone=phone,
        address=_text(errors, "resident.address", resident.address, required=False, limit=500),
        preferred_contact=resident.preferred_contact,
        tenancy_reference=_text(
            errors, "resident.tenancy_reference", resident.tenancy_reference, required=False, limit=60
        ),
    )


@transaction.atomic
def log_complaint(
    landlord: Landlord,
    actor: User,
    *,
    resident: ResidentDetails | Person,
    channel: str,
    received_on: date,
    description: str,
    outcome_sought: str = "",
    service_area: str = "",
    issue_date: date | None = None,
    discretion_note: str = "",
    representative: RepresentativeDetails | None = None,
    service_request: ServiceRequest | None = None,
    related_to: Complaint | None = None,
    tenure: str = Tenure.LCRA,
) -> Complaint:
    """Log a complaint from any channel; its clock starts on the day it was received (6.2).

    The day received may be earlier than today but never later. When the issue happened more than
    the policy's acceptance window before, the complaint is still logged, marked outside the window;
    accepting it then needs a note of the discretion considered (2.3). The resident's tenure (low-cost
    rental unless said otherwise) decides which homes the complaint counts against in CH01.
    """
    staff = access.require_staff(actor)
    access.require_at(staff, Capability.LOG, landlord)
    return _record_complaint(
        landlord,
        actor,
        resident=resident,
        channel=channel,
        received_on=received_on,
        description=description,
        outcome_sought=outcome_sought,
        service_area=service_area,
        issue_date=issue_date,
        discretion_note=discretion_note,
        representative=representative,
        service_request=service_request,
        related_to=related_to,
        tenure=tenure,
    )


def _record_complaint(
    landlord: Landlord,
    actor: User | None,
    *,
    resident: ResidentDetails | Person,
    channel: str,
    received_on: date,
    description: str,
    outcome_sought: str = "",
    service_area: str = "",
    issue_date: date | None = None,
    discretion_note: str = "",
    representative: RepresentativeDetails | None = None,
    service_request: ServiceRequest | None = None,
    related_to: Complaint | None = None,
    tenure: str = Tenure.LCRA,
    adjustments: Sequence[AdjustmentInput] = (),
) -> Complaint:
    """Validate and record a complaint; `actor` is None when the resident made it themselves."""
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = f"Choose how the complaint arrived: {', '.join(Channel.values)}"
    if service_area and service_area not in ServiceArea.values:
        errors["service_area"] = f"Choose a service area: {', '.join(ServiceArea.values)}"
    if tenure not in Tenure.values:
        errors["tenure"] = f"Choose the resident's tenure: {', '.join(Tenure.values)}"
    _date_not_future(errors, "received_on", received_on)
    if issue_date is not None:
        _date_not_future(errors, "issue_date", issue_date)
        if issue_date > received_on and "issue_date" not in errors:
            errors["issue_date"] = "The issue cannot have happened after the complaint was received"
    description = _text(errors, "description", description, limit=20_000)
    outcome_sought = _text(errors, "outcome_sought", outcome_sought, required=False, limit=5_000)
    discretion_note = _text(errors, "discretion_note", discretion_note, required=False, limit=5_000)
    person = _person(landlord, resident, errors)
    if representative is not None:
        _text(errors, "representative.name", representative.name, limit=200)
        if representative.relationship not in Representative.Relationship.values:
            errors["representative.relationship"] = f"Choose one of {', '.join(Representative.Relationship.values)}"
        elif representative.relationship not in Representative.PRESUMED_CONSENT and (
            representative.authority not in Representative.Authority.values
        ):
            errors["representative.authority"] = "Record the authority the resident gave (written, verbal or legal)"
        elif representative.authority and representative.authority not in Representative.Authority.values:
            errors["representative.authority"] = f"Choose one of {', '.join(Representative.Authority.values)}"
        rep_email = _text(errors, "representative.email", representative.email, required=False, limit=254)
        if rep_email and ("@" not in rep_email or " " in rep_email):
            errors["representative.email"] = "Enter an email address in the correct format, like name@example.com"
        _text(errors, "representative.phone", representative.phone, required=False, limit=40)
    for number, adjustment in enumerate(adjustments, start=1):
        if adjustment.kind not in ReasonableAdjustment.Kind.values:
            errors[f"adjustments.{number}"] = f"Choose one of {', '.join(ReasonableAdjustment.Kind.values)}"
        _text(errors, f"adjustments.{number}.detail", adjustment.detail, required=False, limit=300)
    for linked, name in ((service_request, "service_request"), (related_to, "related_to")):
        if linked is not None and linked.landlord_id != landlord.pk:
            errors[name] = "No such record at this landlord"
    _raise(errors)
    assert person is not None

    version = policy_version_in_force(landlord, received_on)
    policy = version.policy() if version else CODE_POLICY
    inside = None
    if issue_date is not None:
        inside = timescales.acceptance_check(policy, issue_date, received_on).inside
    calendar = working_calendar(landlord)
    now = clock.now()
    if person.pk is None:
        person.save()
    rep = None
    if representative is not None:
        presumed = representative.relationship in Representative.PRESUMED_CONSENT
        rep = Representative.objects.create(
            landlord=landlord,
            acts_for=person,
            name=representative.name.strip(),
            email=representative.email.strip(),
            phone=representative.phone.strip(),
            relationship=representative.relationship,
            # 3.6, seed 004: a councillor or MP is presumed to act with the resident's consent.
            authority=Representative.Authority.PRESUMED
            if presumed and not representative.authority
            else representative.authority,
            authority_given_on=received_on,
        )
    number = _next_number(landlord, "C", clock.today().year)
    ack_due = timescales.acknowledgement_due(policy, calendar, 1, received_on)
    respond_due = timescales.response_due(policy, calendar, 1, received_on, None)
    complaint = Complaint.objects.create(
        landlord=landlord,
        reference=f"{landlord.reference_prefix}-{clock.today().year}-{number:05d}",
        next_due=ack_due,
        next_due_kind=DueKind.ACKNOWLEDGE,
        person=person,
        representative=rep,
        channel=channel,
        service_area=service_area,
        received_on=received_on,
        issue_date=issue_date,
        inside_acceptance_window=inside,
        discretion_note=discretion_note,
        description=description,
        outcome_sought=outcome_sought,
        policy_version=version,
        service_request=service_request,
        related_to=related_to,
        tenure=tenure,
        status=Status.RECEIVED,
        stage=1,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    stage = Stage.objects.create(
        complaint=complaint,
        number=1,
        opened_on=received_on,
        acknowledge_due=ack_due,
        original_response_due=respond_due,
        response_due=respond_due,
    )
    window = ""
    if inside is False:
        window = f" The issue is outside the {policy.acceptance_window_months}-month acceptance window (2.3)."
    for adjustment in adjustments:
        ReasonableAdjustment.objects.create(
            person=person, kind=adjustment.kind, detail=adjustment.detail, agreed_on=received_on
        )
    by = " by the resident" if actor is None else ""
    events = [
        _event(
            complaint,
            actor,
            "logged",
            f"Complaint logged{by} ({complaint.get_channel_display()}), received {received_on:%-d %B %Y}; "
            f"acknowledgement due {ack_due:%-d %B %Y}.{window}",
            stage=1,
            after=_snapshot(complaint),
        )
    ]
    if service_request is not None:
        events.append(
            _event(
                complaint,
                actor,
                "raised-from-service-request",
                f"Raised from service request {service_request.reference}, which stays open (1.5).",
                stage=1,
            )
        )
    # The whole record of a complaint just logged is what this transaction made: hand it back
    # complete, so a caller showing it does not read it all again.
    stage._prefetched_objects_cache = {"points": [], "extensions": [], "remedies": []}  # type: ignore[attr-defined]
    complaint._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "stages": [stage],
        "actions": [],
        "events": events,
    }
    return complaint


@transaction.atomic
def log_service_request(
    landlord: Landlord,
    actor: User,
    *,
    resident: ResidentDetails | Person,
    service_area: str,
    description: str,
    received_on: date,
) -> ServiceRequest:
    """Record a service request: not a complaint, but recorded, monitored and reviewed (1.4)."""
    staff = access.require_staff(actor)
    access.require_at(staff, Capability.LOG, landlord)
    errors: dict[str, str] = {}
    if service_area not in ServiceArea.values:
        errors["service_area"] = f"Choose a service area: {', '.join(ServiceArea.values)}"
    _date_not_future(errors, "received_on", received_on)
    description = _text(errors, "description", description)
    person = _person(landlord, resident, errors)
    _raise(errors)
    assert person is not None
    if person.pk is None:
        person.save()
    number = _next_number(landlord, "SR", clock.today().year)
    return ServiceRequest.objects.create(
        landlord=landlord,
        reference=f"{landlord.reference_prefix}-SR-{clock.today().year}-{number:05d}",
        person=person,
        service_area=service_area,
        description=description,
        received_on=received_on,
        created_by=actor,
        created_at=clock.now(),
    )


def raise_from_service_request(
    service_request: ServiceRequest,
    actor: User,
    *,
    received_on: date,
    description: str,
    channel: str,
    outcome_sought: str = "",
) -> Complaint:
    """Raise a complaint about how a service request was handled; the request stays open, linked (1.5)."""
    return log_complaint(
        service_request.landlord,
        actor,
        resident=service_request.person,
        channel=channel,
        received_on=received_on,
        description=description,
        outcome_sought=outcome_sought,
        service_area=service_request.service_area,
        service_request=service_request,
    )


@transaction.atomic
def complete_service_request(service_request: ServiceRequest, actor: User, *, on: date) -> ServiceRequest:
    staff = access.require_staff(actor)
    access.require_at(staff, Capability.LOG, service_request.landlord)
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    if locked.status != ServiceRequest.State.OPEN:
        raise TransitionNotAllowed(f"{locked.reference} is already {locked.get_status_display().lower()}.")
    errors: dict[str, str] = {}
    _date_not_future(errors, "completed_on", on, locked.received_on)
    _raise(errors)
    locked.status, locked.completed_on = ServiceRequest.State.COMPLETED, on
    locked.save(update_fields=["status", "completed_on"])
    return locked


# -- stage work --------------------------------------------------------------------------------


def _declare(errors: dict[str, str], conflict_of_interest: bool | None, note: str) -> str:
    if conflict_of_interest is None:
        errors["conflict_of_interest"] = "Declare whether you have a conflict of interest in this complaint (5.8)"
    elif conflict_of_interest:
        errors["conflict_of_interest"] = (
            "A handler with a conflict of interest cannot take this complaint (5.8): assign someone else"
        )
    return f"No conflict of interest declared on {clock.today():%-d %B %Y}." + (f" {note.strip()}" if note else "")


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
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    stages = _stages(complaint)
    stage = stages[complaint.stage]
    self_assign = handler.pk == actor.pk and stage.handler_id is None
    if self_assign:
        _stage_for_work(staff, complaint, stages)
    else:
        access.require(staff, Capability.ASSIGN, complaint)
    _require_status(complaint, OPEN_STATUSES, "assign a handler")
    target = access.staff_of(handler)
    errors: dict[str, str] = {}
    if target is None or target.landlord_id != complaint.landlord_id:
        errors["handler"] = "Choose a member of this landlord's staff"
    elif not access.can(target, Capability.WORK, complaint, Stage(number=stage.number), None):
        errors["handler"] = (
            f"{handler.get_full_name() or handler.username} cannot handle a stage {stage.number} complaint"
        )
    if complaint.stage == 2 and handler.pk == stages[1].handler_id:
        errors["handler"] = "The stage 2 reviewer must not be the person who handled stage 1 (6.13)"
    declaration = _declare(errors, conflict_of_interest, _text(errors, "note", note, required=False, limit=2_000))
    _raise(errors)
    before = _snapshot(complaint)
    stage.handler, stage.conflict_declaration = handler, declaration
    stage.save(update_fields=["handler", "conflict_declaration"])
    _refresh_deadline(complaint, stage)
    _save(complaint)
    _event(
        complaint,
        actor,
        "assigned",
        f"Stage {stage.number} assigned to {handler.get_full_name() or handler.username}. {declaration}",
        stage=stage.number,
        before=before,
        after=_snapshot(complaint),
    )
    notices.tell_assigned(complaint, stage, handler, actor)
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
    expected_version: int | None = None,
) -> Complaint:
    """Acknowledge the open stage with the complaint definition (5.6, 5.7; 6.2, 6.11).

    The definition is our understanding, the outcomes sought, the points to be answered, and the
    aspects we are and are not responsible for. An acknowledging handler of an unassigned stage
    becomes its handler, after declaring no conflict of interest (5.8).
    """
    complaint, stages, stage = _begin_stage_work(
        complaint, actor, expected_version, (Status.RECEIVED, Status.STAGE2_OPEN), "acknowledge it"
    )
    if stage.acknowledged_on is not None:
        raise TransitionNotAllowed(f"Stage {stage.number} was already acknowledged on {stage.acknowledged_on}.")
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, stage.opened_on)
    understanding = _text(errors, "understanding", understanding)
    outcomes_sought = _text(errors, "outcomes_sought", outcomes_sought, limit=5_000)
    responsible_for = _text(errors, "responsible_for", responsible_for, required=False, limit=5_000)
    not_responsible_for = _text(errors, "not_responsible_for", not_responsible_for, required=False, limit=5_000)
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
    _raise(errors)

    before = _snapshot(complaint)
    policy = policy_for(complaint)
    calendar = _calendar(complaint)
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
    _refresh_deadline(complaint, stage)
    _save(complaint)
    late = on > stage.acknowledge_due
    _event(
        complaint,
        actor,
        "acknowledged",
        f"Stage {stage.number} acknowledged on {on:%-d %B %Y}"
        + (f", after its deadline of {stage.acknowledge_due:%-d %B %Y}" if late else "")
        + f", with a definition of {len(cleaned)} point{'s' if len(cleaned) != 1 else ''}; "
        f"response due {stage.response_due:%-d %B %Y}.",
        stage=stage.number,
        before=before,
        after={**_snapshot(complaint), "late": late},
    )
    kind = LetterType.STAGE1_ACKNOWLEDGEMENT if stage.number == 1 else LetterType.STAGE2_ACKNOWLEDGEMENT
    letters.issue(complaint, kind, stage=stage, actor=actor, on=on)
    return complaint


@transaction.atomic
def request_clarification(
    complaint: Complaint, actor: User, *, on: date, question: str, expected_version: int | None = None
) -> Complaint:
    """Ask the resident to clarify an unclear part of the complaint (5.6)."""
    complaint, stages, stage = _begin_stage_work(
        complaint, actor, expected_version, OPEN_STATUSES, "ask for clarification"
    )
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, stage.opened_on)
    question = _text(errors, "question", question, limit=5_000)
    _raise(errors)
    stage.clarification_requested_on = on
    stage.save(update_fields=["clarification_requested_on"])
    _save(complaint)
    _event(
        complaint, actor, "clarification-requested", f"Asked the resident to clarify: {question}", stage=stage.number
    )
    letters.issue(complaint, LetterType.CLARIFICATION, stage=stage, actor=actor, on=on, detail={"question": question})
    return complaint


@transaction.atomic
def extend(
    complaint: Complaint,
    actor: User,
    *,
    days: int,
    reason: str,
    resident_told_on: date,
    ombudsman_details_given: bool,
    good_reason: str = "",
    expected_version: int | None = None,
) -> Extension:
    """Extend the open stage's response time (6.4, 6.5, 6.15, 6.16).

    The resident must be told, with the reason, the new date and the Ombudsman's contact details.
    Extensions adding up to more than the policy's cap need a recorded good reason. One recorded
    after the deadline it extends has passed is allowed, and marked late.
    """
    complaint, stages, stage = _begin_stage_work(complaint, actor, expected_version, OPEN_STATUSES, "extend it")
    policy = policy_for(complaint)
    errors: dict[str, str] = {}
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = f"Enter a number of working days from 1 to {MAX_EXTENSION_DAYS}"
    reason = _text(errors, "reason", reason, limit=5_000)
    good_reason = _text(errors, "good_reason", good_reason, required=False, limit=5_000)
    _date_not_future(errors, "resident_told_on", resident_told_on, stage.opened_on)
    if ombudsman_details_given is not True:
        errors["ombudsman_details_given"] = (
            "Give the resident the Housing Ombudsman's contact details with the extension notice (6.5, 6.16)"
        )
    if "days" not in errors:
        check = timescales.check_extension(policy, stage.number, [stage.extension_days], days)
        if check.needs_good_reason and not good_reason:
            errors["good_reason"] = (
                f"Extensions would total {check.total_days} working days, more than the policy's "
                f"{check.cap_days}: record the good reason, explained to the resident "
                f"({'6.4' if stage.number == 1 else '6.15'})"
            )
    _raise(errors)
    calendar = _calendar(complaint)
    before = _snapshot(complaint)
    previous = stage.response_due
    new_due = calendar.add_working_days(previous, days)
    late = resident_told_on > previous
    extension = Extension.objects.create(
        stage=stage,
        days=days,
        reason=reason,
        good_reason=good_reason,
        previous_due=previous,
        new_due=new_due,
        resident_told_on=resident_told_on,
        ombudsman_details_given=True,
        late=late,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    stage.extension_days += days
    stage.response_due = new_due
    stage.save(update_fields=["extension_days", "response_due"])
    _refresh_deadline(complaint, stage)
    _save(complaint)
    _event(
        complaint,
        actor,
        "extended",
        f"Stage {stage.number} extended by {days} working days to {new_due:%-d %B %Y}: {reason}"
        + (" Recorded after the deadline had passed." if late else ""),
        stage=stage.number,
        before={**before, "response_due": previous.isoformat()},
        after={**_snapshot(complaint), "response_due": new_due.isoformat(), "late": late},
    )
    letters.issue(
        complaint, LetterType.EXTENSION, stage=stage, actor=actor, on=resident_told_on, detail={"extension": extension}
    )
    return extension


@transaction.atomic
def agree_update_interval(
    complaint: Complaint, actor: User, *, every_days: int, agreed_on: date, expected_version: int | None = None
) -> Complaint:
    """Agree with the resident how often they will hear from us while a response is late (5.9)."""
    complaint, stages, stage = _begin_stage_work(
        complaint, actor, expected_version, OPEN_STATUSES, "agree update intervals"
    )
    errors: dict[str, str] = {}
    if isinstance(every_days, bool) or not isinstance(every_days, int) or not 1 <= every_days <= 20:
        errors["every_days"] = "Enter how often, in working days, from 1 to 20"
    _date_not_future(errors, "agreed_on", agreed_on, stage.opened_on)
    _raise(errors)
    stage.update_interval_days = every_days
    stage.next_update_due = _calendar(complaint).add_working_days(agreed_on, every_days)
    stage.save(update_fields=["update_interval_days", "next_update_due"])
    _save(complaint)
    _event(
        complaint,
        actor,
        "update-interval-agreed",
        f"Agreed to update the resident every {every_days} working days; next update due "
        f"{stage.next_update_due:%-d %B %Y}.",
        stage=stage.number,
    )
    return complaint


@transaction.atomic
def send_update(
    complaint: Complaint, actor: User, *, on: date, update: str, expected_version: int | None = None
) -> Complaint:
    """Send the resident the update agreed while the response is delayed (5.9); the next one falls due."""
    complaint, stages, stage = _begin_stage_work(complaint, actor, expected_version, OPEN_STATUSES, "send an update")
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, stage.opened_on)
    update = _text(errors, "update", update, limit=5_000)
    if stage.update_interval_days is None:
        errors["update"] = "Agree with the resident how often they will hear from us before sending an update (5.9)"
    _raise(errors)
    assert stage.update_interval_days is not None
    stage.next_update_due = _calendar(complaint).add_working_days(on, stage.update_interval_days)
    stage.save(update_fields=["next_update_due"])
    _save(complaint)
    _event(
        complaint,
        actor,
        "update-sent",
        f"Update sent to the resident on {on:%-d %B %Y}; next update due {stage.next_update_due:%-d %B %Y}.",
        stage=stage.number,
    )
    letters.issue(complaint, LetterType.UPDATE, stage=stage, actor=actor, on=on, detail={"update": update})
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
    staff = access.require_staff(actor)
    locked = _lock(complaint, expected_version)
    stages = _stages(locked)
    errors: dict[str, str] = {}
    description = _text(errors, "description", description, limit=5_000)
    _date_not_future(errors, "on", on, locked.received_on)
    _raise(errors)
    stage1 = stages[1]
    joins = (
        related
        and locked.stage == 1
        and stage1.responded_on is None
        and locked.status in (Status.RECEIVED, Status.STAGE1_OPEN)
    )
    if joins:
        _stage_for_work(staff, locked, stages)
        if stage1.acknowledged_on is not None:
            number = (stage1.points.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            DefinitionPoint.objects.create(stage=stage1, number=number, text=description)
            where = f"added to the definition as point {number}"
        else:
            locked.description = f"{locked.description}\n\nAdded on {on:%-d %B %Y}: {description}"[:20_000]
            where = "added to the complaint before acknowledgement"
        _save(locked)
        _event(
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
    _save(locked)
    _event(
        locked,
        actor,
        "issue-logged-separately",
        f"New issue raised on {on:%-d %B %Y} logged as linked complaint {new.reference} (6.8).",
        stage=locked.stage,
    )
    return new


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


@dataclass(frozen=True)
class PointDecisionInput:
    number: int
    decision: str
    reasons: str


def _remedy_rows(errors: dict[str, str], stage: Stage, remedies: Sequence[RemedyInput], prefix: str) -> list[Remedy]:
    rows = []
    for i, remedy in enumerate(remedies):
        name = f"{prefix}[{i}]"
        if remedy.kind not in Remedy.Kind.values:
            errors[f"{name}.kind"] = f"Choose a kind of remedy: {', '.join(Remedy.Kind.values)}"
        description = _text(errors, f"{name}.description", remedy.description, limit=5_000)
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
    complaint, stages, stage = _begin_stage_work(complaint, actor, expected_version, ACTIVE_STATUSES, "offer a remedy")
    errors: dict[str, str] = {}
    rows = _remedy_rows(errors, stage, [remedy], "remedy")
    _raise(errors)
    rows[0].save()
    _save(complaint)
    _event(
        complaint,
        actor,
        "remedy-offered",
        f"Remedy offered: {rows[0].get_kind_display()}: {rows[0].description}",
        stage=stage.number,
    )
    return rows[0]


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
    complaint, stages, stage = _begin_stage_work(
        complaint, actor, expected_version, (Status.STAGE1_OPEN, Status.STAGE2_OPEN), "respond (acknowledge it first)"
    )
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, stage.acknowledged_on)
    summary = _text(errors, "summary", summary, required=False, limit=20_000)
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
            point.reasons = _text(errors, f"decisions[{point.number}].reasons", answer.reasons, required=False)
    remedy_rows = _remedy_rows(errors, stage, remedies, "remedies")
    action_rows = []
    for i, action in enumerate(actions):
        text = _text(errors, f"actions[{i}].description", action.description, limit=5_000)
        if action.owner is not None and (
            (owner := access.staff_of(action.owner)) is None or owner.landlord_id != complaint.landlord_id
        ):
            errors[f"actions[{i}].owner"] = "Choose a member of this landlord's staff"
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
    _raise(errors)

    policy = policy_for(complaint)
    calendar = _calendar(complaint)
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

    before = _snapshot(complaint)
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
    _refresh_deadline(complaint, stage)
    _save(complaint)
    late = on > stage.response_due
    _event(
        complaint,
        actor,
        "responded",
        f"Stage {stage.number} response issued on {on:%-d %B %Y}: {stage.get_decision_display().lower()}"
        + (f", after its deadline of {stage.response_due:%-d %B %Y}" if late else "")
        + f". {len(remedy_rows) + len(existing_remedies)} remedies, {len(action_rows)} outstanding actions.",
        stage=stage.number,
        before=before,
        after={**_snapshot(complaint), "decision": stage.decision, "late": late},
    )
    kind = LetterType.STAGE1_RESPONSE if stage.number == 1 else LetterType.STAGE2_RESPONSE
    letters.issue(complaint, kind, stage=stage, actor=actor, on=on)
    return complaint


# -- escalation and endings -------------------------------------------------------------------


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
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    access.require(staff, Capability.ESCALATE, complaint)
    stages = _stages(complaint)
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
    _date_not_future(errors, "requested_on", requested_on, stage1.responded_on)
    reason = _text(errors, "reason", reason, required=False, limit=5_000)
    discretion = _text(errors, "discretion", discretion, required=False, limit=5_000)
    if stage1.escalate_by and requested_on > stage1.escalate_by and not discretion:
        errors["discretion"] = (
            f"The request came after the policy's deadline of {stage1.escalate_by:%-d %B %Y}: record why you are "
            "accepting it, or refuse the escalation with a reason that meets section 2 of the Code (5.11)"
        )
    _raise(errors)
    return _open_stage2(complaint, actor, requested_on=requested_on, reason=reason, discretion=discretion)


def _open_stage2(
    complaint: Complaint, actor: User | None, *, requested_on: date, reason: str, discretion: str
) -> Complaint:
    policy = policy_for(complaint)
    calendar = _calendar(complaint)
    before = _snapshot(complaint)
    ack_due = timescales.acknowledgement_due(policy, calendar, 2, requested_on)
    respond_due = timescales.response_due(policy, calendar, 2, requested_on, None)
    stage2 = Stage.objects.create(
        complaint=complaint,
        number=2,
        opened_on=requested_on,
        escalation_reason=reason,
        escalation_discretion=discretion,
        acknowledge_due=ack_due,
        original_response_due=respond_due,
        response_due=respond_due,
    )
    complaint.stage, complaint.status, complaint.closed_on = 2, Status.STAGE2_OPEN, None
    _refresh_deadline(complaint, stage2)
    _save(complaint)
    _event(
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
        after=_snapshot(complaint),
    )
    return complaint


def _refusal(
    errors: dict[str, str],
    complaint: Complaint,
    ground: str,
    explanation: str,
    ombudsman_rights_given: bool,
    on: date,
    earliest: date,
) -> tuple[str, str]:
    policy = policy_for(complaint)
    if policy.exclusion_label(ground) is None:
        choices = ", ".join(key for key, _ in policy.exclusions)
        errors["ground"] = f"Choose a ground from the landlord's policy: {choices}"
    explanation = _text(errors, "explanation", explanation, limit=10_000)
    if ombudsman_rights_given is not True:
        errors["ombudsman_rights_given"] = (
            "Tell the resident they can take this decision to the Housing Ombudsman, then record that you did (2.4)"
        )
    _date_not_future(errors, "on", on, earliest)
    if ground == OUT_OF_TIME and complaint.inside_acceptance_window is True:
        errors["ground"] = "The complaint is inside the acceptance window, so it cannot be refused as out of time"
    return ground, explanation


@transaction.atomic
def not_accept(
    complaint: Complaint,
    actor: User,
    *,
    ground: str,
    explanation: str,
    ombudsman_rights_given: bool,
    on: date,
    expected_version: int | None = None,
) -> Complaint:
    """Decide not to accept a complaint on a ground in the landlord's policy (2.1 to 2.5).

    The resident is given the reasons and told of their right to take the decision to the
    Ombudsman; the deciding officer is recorded. Each complaint is decided on its own.
    """
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    access.require(staff, Capability.DECIDE, complaint)
    _require_status(complaint, (Status.RECEIVED, Status.STAGE1_OPEN), "decide not to accept it")
    errors: dict[str, str] = {}
    _refusal(errors, complaint, ground, explanation, ombudsman_rights_given, on, complaint.received_on)
    _raise(errors)
    before = _snapshot(complaint)
    complaint.status = Status.NOT_ACCEPTED
    complaint.refusal_ground, complaint.refusal_explanation = ground, explanation.strip()
    complaint.refused_by, complaint.refused_on = actor, on
    _refresh_deadline(complaint, None)
    _save(complaint)
    label = policy_for(complaint).exclusion_label(ground)
    _event(
        complaint,
        actor,
        "not-accepted",
        f"Not accepted: {label}. The resident was told why and of their right to go to the Ombudsman (2.4).",
        stage=1,
        before=before,
        after=_snapshot(complaint),
    )
    letters.issue(
        complaint,
        LetterType.NOT_ACCEPTED,
        stage=_stages(complaint)[1],
        actor=actor,
        on=on,
        detail={"ground_label": label},
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
    expected_version: int | None = None,
) -> Complaint:
    """Refuse a request for stage 2 for a reason that meets section 2 of the Code (5.11)."""
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
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
    _refusal(errors, complaint, ground, explanation, ombudsman_rights_given, on, stage1.responded_on)
    _raise(errors)
    before = _snapshot(complaint)
    complaint.escalation_refused = True
    complaint.refusal_ground, complaint.refusal_explanation = ground, explanation.strip()
    complaint.refused_by, complaint.refused_on = actor, on
    complaint.status, complaint.closed_on = Status.CLOSED, complaint.closed_on or on
    _save(complaint)
    label = policy_for(complaint).exclusion_label(ground)
    _event(
        complaint,
        actor,
        "escalation-refused",
        f"Escalation refused: {policy_for(complaint).exclusion_label(ground)}. The resident was told why and "
        "of their right to go to the Ombudsman (5.11, 2.4).",
        stage=1,
        before=before,
        after=_snapshot(complaint),
    )
    letters.issue(
        complaint, LetterType.ESCALATION_REFUSED, stage=stage1, actor=actor, on=on, detail={"ground_label": label}
    )
    return complaint


@transaction.atomic
def withdraw(
    complaint: Complaint, actor: User, *, how: str, on: date, expected_version: int | None = None
) -> Complaint:
    """Record that the resident withdrew the complaint, and how they said so."""
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    stages = _stages(complaint)
    access.require(staff, Capability.FINISH, complaint, stages[complaint.stage])
    _require_status(complaint, ACTIVE_STATUSES, "withdraw it")
    errors: dict[str, str] = {}
    how = _text(errors, "how", how, limit=300)
    _date_not_future(errors, "on", on, complaint.received_on)
    _raise(errors)
    before = _snapshot(complaint)
    complaint.status, complaint.withdrawn_on, complaint.withdrawal_how = Status.WITHDRAWN, on, how
    _refresh_deadline(complaint, None)
    _save(complaint)
    _event(
        complaint,
        actor,
        "withdrawn",
        f"Withdrawn by the resident on {on:%-d %B %Y}: {how}",
        stage=complaint.stage,
        before=before,
        after=_snapshot(complaint),
    )
    return complaint


@transaction.atomic
def close(complaint: Complaint, actor: User, *, on: date, expected_version: int | None = None) -> Complaint:
    """Close a complaint once its response is issued and its remedies agreed.

    Outstanding actions carry on after closure and are tracked to completion (6.6, 6.17). Where
    the landlord requires it, the learning and root cause must be recorded first (9.1).
    """
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    stages = _stages(complaint)
    stage = stages[complaint.stage]
    access.require(staff, Capability.FINISH, complaint, stage)
    _require_status(complaint, (Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED), "close it")
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
    _date_not_future(errors, "on", on, stage.responded_on)
    _raise(errors)
    before = _snapshot(complaint)
    complaint.status, complaint.closed_on = Status.CLOSED, on
    _save(complaint)
    open_actions = OutstandingAction.objects.filter(complaint=complaint, completed_on__isnull=True).count()
    _event(
        complaint,
        actor,
        "closed",
        f"Closed on {on:%-d %B %Y}" + (f"; {open_actions} outstanding actions carry on." if open_actions else "."),
        stage=complaint.stage,
        before=before,
        after=_snapshot(complaint),
    )
    letters.issue(complaint, LetterType.CLOSURE, stage=stage, actor=actor, on=on)
    return complaint


@transaction.atomic
def record_learning(
    complaint: Complaint,
    actor: User,
    *,
    learning_outcome: str,
    root_cause: str,
    on: date,
    expected_version: int | None = None,
) -> Complaint:
    """Record what the landlord learned from the complaint and why it arose (9.1 to 9.3).

    Whoever may close the complaint may record its learning, at any time once it has been accepted,
    and may revise it later (the Event keeps what it said before). The landlord can make it a
    condition of closing (`Landlord.learning_required_at_closure`).
    """
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    stages = _stages(complaint)
    access.require(staff, Capability.FINISH, complaint, stages[complaint.stage])
    _require_status(complaint, (*ACTIVE_STATUSES, Status.CLOSED, Status.WITHDRAWN), "record learning from it")
    errors: dict[str, str] = {}
    learning_outcome = _text(errors, "learning_outcome", learning_outcome, limit=5_000)
    if root_cause not in RootCause.values:
        errors["root_cause"] = f"Choose the root cause: {', '.join(RootCause.values)}"
    _date_not_future(errors, "on", on, complaint.received_on)
    _raise(errors)
    before = {"learning_outcome": complaint.learning_outcome, "root_cause": complaint.root_cause}
    complaint.learning_outcome, complaint.root_cause = learning_outcome, root_cause
    complaint.learning_recorded_on, complaint.learning_recorded_by = on, actor
    _save(complaint)
    _event(
        complaint,
        actor,
        "learning-recorded",
        f"Learning recorded ({RootCause(root_cause).label.lower()}): {learning_outcome}",
        stage=complaint.stage,
        before=before,
        after={"learning_outcome": learning_outcome, "root_cause": root_cause},
    )
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
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    access.require(staff, Capability.REFER, complaint)
    if complaint.ombudsman_referred_on is not None:
        raise TransitionNotAllowed(f"A referral was already recorded on {complaint.ombudsman_referred_on}.")
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, complaint.received_on)
    reference = _text(errors, "ombudsman_reference", ombudsman_reference, required=False, limit=40)
    _raise(errors)
    complaint.ombudsman_referred_on, complaint.ombudsman_reference = on, reference
    _save(complaint)
    _event(
        complaint,
        actor,
        "ombudsman-referral",
        f"Referred to the Housing Ombudsman on {on:%-d %B %Y}" + (f" (reference {reference})." if reference else "."),
        stage=complaint.stage,
    )
    return complaint


@transaction.atomic
def update_remedy(remedy: Remedy, actor: User, *, state: str, on: date, expected_version: int | None = None) -> Remedy:
    """Record that a remedy was agreed, delivered or declined (7.3: followed through to completion)."""
    staff = access.require_staff(actor)
    complaint = _lock(remedy.stage.complaint, expected_version)
    # Check the transition against the row as it is now, not the caller's copy (as update_action does).
    remedy = Remedy.objects.select_for_update().select_related("stage").get(pk=remedy.pk)
    stages = _stages(complaint)
    # Whoever holds the complaint now follows through every remedy, including stage 1's (7.3).
    current = stages[complaint.stage]
    stage1_handler = stages[1].handler_id if complaint.stage == 2 else None
    if not access.can(staff, Capability.WORK, complaint, current, stage1_handler):
        access.require(staff, Capability.FINISH, complaint, current)
    stage = stages[remedy.stage.number]
    allowed = {
        Remedy.State.OFFERED: (Remedy.State.AGREED, Remedy.State.DECLINED, Remedy.State.DELIVERED),
        Remedy.State.AGREED: (Remedy.State.DELIVERED,),
    }
    if state not in allowed.get(Remedy.State(remedy.state), ()):
        raise TransitionNotAllowed(f"A remedy that is {remedy.get_state_display().lower()} cannot become {state}.")
    errors: dict[str, str] = {}
    _date_not_future(errors, "on", on, stage.opened_on)
    _raise(errors)
    previous = remedy.state
    remedy.state = state
    if state == Remedy.State.DELIVERED:
        remedy.delivered_on = on
    remedy.save(update_fields=["state", "delivered_on"])
    _save(complaint)
    _event(
        complaint,
        actor,
        "remedy-updated",
        f"Remedy ({remedy.get_kind_display().lower()}) {state} on {on:%-d %B %Y}.",
        stage=stage.number,
        before={"state": previous},
        after={"state": state},
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
    staff = access.require_staff(actor)
    complaint = _lock(action.complaint, expected_version)
    if (
        staff.landlord_id != complaint.landlord_id
        or staff.role == access.R.AUDITOR
        or not (action.owner_id == actor.pk or staff.role in access.SUPERVISORS or complaint.handler_id == actor.pk)
    ):
        access.require(staff, Capability.ASSIGN, complaint)
    locked = OutstandingAction.objects.select_for_update().get(pk=action.pk)
    if locked.completed_on is not None:
        raise TransitionNotAllowed(f"This action was completed on {locked.completed_on:%-d %B %Y}.")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, limit=5_000)
    if completed_on is not None:
        _date_not_future(errors, "completed_on", completed_on, complaint.received_on)
    _raise(errors)
    ActionUpdate.objects.create(
        action=locked, note=note, resident_told=resident_told, recorded_by=actor, recorded_at=clock.now()
    )
    if completed_on is not None:
        locked.completed_on = completed_on
        locked.save(update_fields=["completed_on"])
    _save(complaint)
    _event(
        complaint,
        actor,
        "action-completed" if completed_on else "action-updated",
        f"Outstanding action {'completed' if completed_on else 'updated'}: {note}",
        stage=locked.stage_number,
    )
    return locked


# -- the record --------------------------------------------------------------------------------

# What may be kept with a complaint's record (5.12), by the type read from the file's own content.
ATTACHMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "text/plain": "text file",
}
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attach_file(
    complaint: Complaint,
    actor: User,
    *,
    name: str,
    content_type: str,
    size: int,
    description: str = "",
    expected_version: int | None = None,
) -> Event:
    """Record that a document was added to the complaint's record (5.12: supporting documents).

    The caller reads the file's type from its content and stores the file itself in the same
    transaction; this checks who may add one and what it may be, and writes the Event.
    """
    staff = access.require_staff(actor)
    complaint = _lock(complaint, expected_version)
    access.require(staff, Capability.LOG, complaint)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, limit=200)
    description = _text(errors, "description", description, required=False, limit=500)
    if size <= 0:
        errors["file"] = "The selected file is empty"
    elif size > ATTACHMENT_MAX_BYTES:
        errors["file"] = f"The selected file must be smaller than {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"
    elif content_type not in ATTACHMENT_TYPES:
        errors["file"] = "The selected file must be a PDF, JPEG, PNG, Word document or plain text file"
    _raise(errors)
    _save(complaint)
    kilobytes = max(1, round(size / 1024))
    return _event(
        complaint,
        actor,
        "attachment-added",
        f"Document added: {name} ({ATTACHMENT_TYPES[content_type]}, {kilobytes:,} KB)"
        + (f": {description}" if description else "."),
        stage=complaint.stage,
        after={"name": name, "content_type": content_type, "size": size},
    )


# -- deadlines when the calendar changes ------------------------------------------------------


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
        _refresh_deadline(complaint, stage)
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


# -- the resident's own actions, through the portal -------------------------------------------
# The resident is the actor: no staff user, so Event.actor is None and the summary says so.


@transaction.atomic
def resident_log_complaint(
    landlord: Landlord,
    *,
    resident: ResidentDetails,
    received_on: date,
    description: str,
    outcome_sought: str = "",
    service_area: str = "",
    issue_date: date | None = None,
    representative: RepresentativeDetails | None = None,
    adjustments: Sequence[AdjustmentInput] = (),
) -> Complaint:
    """A complaint the resident (or someone acting for them) made online; its clock starts today (6.2).

    The help they asked for is recorded on the person as reasonable adjustments (5.10). A complaint
    about an issue outside the acceptance window is still logged, for staff to consider (2.3).
    """
    return _record_complaint(
        landlord,
        None,
        resident=resident,
        channel=Channel.REPRESENTATIVE if representative else Channel.ONLINE,
        received_on=received_on,
        description=description,
        outcome_sought=outcome_sought,
        service_area=service_area,
        issue_date=issue_date,
        representative=representative,
        adjustments=adjustments,
    )


@dataclass(frozen=True)
class ResidentEscalation:
    complaint: Complaint
    opened: bool  # False: the request came after the policy's window and waits for staff to decide


@transaction.atomic
def resident_escalate(
    complaint: Complaint, *, requested_on: date, why: str = "", expected_version: int | None = None
) -> ResidentEscalation:
    """The resident asks for stage 2 (6.10, 6.11); no reason is needed, an optional one is kept (6.12).

    Inside the policy's escalation window stage 2 opens at once. After it the request is never
    refused here: it is recorded for staff to accept with discretion or refuse under section 2 (5.11).
    """
    complaint = _lock(complaint, expected_version)
    stage1 = _stages(complaint)[1]
    escalable = complaint.status == Status.STAGE1_RESPONDED or (
        complaint.status == Status.CLOSED and complaint.stage == 1 and not complaint.escalation_refused
    )
    if not escalable:
        raise TransitionNotAllowed(
            "You can ask for stage 2 once we have sent our stage 1 response, and only once for each complaint."
        )
    errors: dict[str, str] = {}
    why = _text(errors, "why", why, required=False, limit=5_000)
    _raise(errors)
    if stage1.escalate_by is None or requested_on <= stage1.escalate_by:
        return ResidentEscalation(
            _open_stage2(complaint, None, requested_on=requested_on, reason=why, discretion=""), opened=True
        )
    _save(complaint)
    _event(
        complaint,
        None,
        "escalation-requested",
        f"The resident asked on {requested_on:%-d %B %Y} to escalate to stage 2, after the policy's deadline of "
        f"{stage1.escalate_by:%-d %B %Y}: staff must accept it with discretion or refuse it under section 2 "
        "(5.11)." + (f" Reason given: {why}" if why else " No reason needed (6.12)."),
        stage=1,
    )
    return ResidentEscalation(complaint, opened=False)


@transaction.atomic
def resident_withdraw(
    complaint: Complaint, *, on: date, why: str = "", expected_version: int | None = None
) -> Complaint:
    """The resident withdraws their complaint themselves, online."""
    complaint = _lock(complaint, expected_version)
    _require_status(complaint, ACTIVE_STATUSES, "withdraw it")
    errors: dict[str, str] = {}
    why = _text(errors, "why", why, required=False, limit=2_000)
    _raise(errors)
    how = "Online, through the resident portal" + (f": {why}" if why else "")
    before = _snapshot(complaint)
    complaint.status, complaint.withdrawn_on, complaint.withdrawal_how = Status.WITHDRAWN, on, how[:300]
    _refresh_deadline(complaint, None)
    _save(complaint)
    _event(
        complaint,
        None,
        "withdrawn",
        f"Withdrawn by the resident on {on:%-d %B %Y}, online." + (f" Reason given: {why}" if why else ""),
        stage=complaint.stage,
        before=before,
        after=_snapshot(complaint),
    )
    return complaint


@transaction.atomic
def resident_add_information(complaint: Complaint, *, information: str, on: date) -> Event:
    """More information from the resident joins the complaint's record (5.12); the handler is told
    by the caller, which records the notice to send."""
    complaint = _lock(complaint, None)
    _require_status(complaint, ACTIVE_STATUSES, "add information to it")
    errors: dict[str, str] = {}
    information = _text(errors, "information", information, limit=5_000)
    _raise(errors)
    _save(complaint)
    return _event(
        complaint,
        None,
        "information-added",
        f"Information added by the resident on {on:%-d %B %Y}: {information}",
        stage=complaint.stage,
        after={"information": information},
    )


# What a resident may send: photos and documents. Not plain text, which is how a web page or a
# script reads, whatever its name says.
RESIDENT_ATTACHMENT_TYPES: dict[str, str] = {
    content_type: ATTACHMENT_TYPES[content_type]
    for content_type in (
        "image/jpeg",
        "image/png",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
}
RESIDENT_MAX_FILES = 5


@dataclass(frozen=True)
class ResidentFile:
    """A photo or document from the resident, with the type its content shows (read by the caller)."""

    file: File[bytes]
    name: str
    content_type: str
    size: int


def _resident_file_error(item: ResidentFile) -> str:
    if item.size <= 0:
        return f"{item.name} is empty"
    if item.size > ATTACHMENT_MAX_BYTES:
        return f"{item.name} must be smaller than {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"
    if item.content_type not in RESIDENT_ATTACHMENT_TYPES:
        return f"{item.name} must be a JPEG, PNG, PDF or Word document"
    return ""


@transaction.atomic
def resident_attach_files(complaint: Complaint, files: Sequence[ResidentFile], *, on: date) -> list[Attachment]:
    """Photos and documents from the resident join the complaint's record (5.12), one Event each.

    A file stored while the complaint was being made is handed to its Attachment as it is; an
    upload is stored now. Every file must be acceptable, or none is kept.
    """
    complaint = _lock(complaint, None)
    _require_status(complaint, ACTIVE_STATUSES, "add documents to it")
    errors: dict[str, str] = {}
    if not files:
        errors["documents"] = "Select a file"
    elif len(files) > RESIDENT_MAX_FILES:
        errors["documents"] = f"You can add up to {RESIDENT_MAX_FILES} files at a time"
    problems = [problem for problem in map(_resident_file_error, files) if problem]
    if problems:
        errors["documents"] = problems[0]
    if any(not item.name.strip() or len(item.name) > 200 for item in files):
        errors["documents"] = "Each file must have a name of 200 characters or fewer"
    _raise(errors)
    _save(complaint)
    attachments = []
    for item in files:
        kilobytes = max(1, round(item.size / 1024))
        event = _event(
            complaint,
            None,
            "attachment-added",
            f"Document added by the resident on {on:%-d %B %Y}: {item.name} "
            f"({RESIDENT_ATTACHMENT_TYPES[item.content_type]}, {kilobytes:,} KB).",
            stage=complaint.stage,
            after={"name": item.name, "content_type": item.content_type, "size": item.size},
        )
        attachments.append(
            Attachment.objects.create(
                complaint=complaint,
                event=event,
                file=item.file,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
                uploaded_by=None,
                uploaded_at=event.at,
            )
        )
    return attachments

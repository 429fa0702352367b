"""How a complaint comes in: logged by staff from any channel, raised from a service request, or
not accepted; and service requests, which are not complaints but are recorded (1.4, 1.5; 2; 6.2)."""

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
    check_not_future,
    check_refusal,
    clean_text,
    lock_complaint,
    lock_stages,
    next_number,
    raise_invalid,
    refresh_deadline,
    require_status,
    save_complaint,
    snapshot,
    write_event,
)
from putright.complaints.actions.confidentiality import check_about_staff, name_at_logging
from putright.complaints.actions.contacts import presumed_consent_at
from putright.complaints.actions.needs import adjustments_at_logging
from putright.complaints.actions.triage import SUGGESTED, Triage, check_triage, describe, suggest
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import (
    Channel,
    Complaint,
    ComplaintArea,
    DueKind,
    ServiceArea,
    ServiceRequest,
    Stage,
    Status,
    Tenure,
)
from putright.complaints.policies import policy_for
from putright.landlords.calendars import policy_version_in_force, working_calendar
from putright.landlords.models import Landlord
from putright.people.models import ContactMethod, Person, ReasonableAdjustment, Representative
from putright.rules import timescales
from putright.rules.floor import effective
from putright.rules.letters import clean_title
from putright.rules.policy import CODE_POLICY
from putright.rules.priority import suggested_priority


@dataclass(frozen=True)
class ResidentDetails:
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    # Empty: the first of email, letter, phone that we have. Given: it must be one we have.
    preferred_contact: str = ""
    tenancy_reference: str = ""
    title: str = ""  # Mr, Mrs, Ms, Miss, Mx, Dr or as they prefer: letters greet them by it
    anonymous: bool = False  # they did not give their name (Medway 5.10.17): logged all the same


# How a resident can be reached by each way of contact: the detail it needs, named as it is missing.
CONTACT_NEEDS = {
    "email": ("email", "email address"),
    "letter": ("address", "postal address"),
    "phone": ("phone", "phone number"),
    "text": ("phone", "phone number"),
}


def preferred_contact(
    resident: ResidentDetails, errors: dict[str, str], representative: RepresentativeDetails | None = None
) -> str:
    """The way the resident prefers to hear from us, only ever one we have details for (5.12):
    theirs, or those of someone acting for them."""
    have = {method for method, (field, _) in CONTACT_NEEDS.items() if getattr(resident, field).strip()}
    if representative is not None:
        have |= {m for m, (field, _) in CONTACT_NEEDS.items() if str(getattr(representative, field, "") or "").strip()}
    chosen = resident.preferred_contact
    if not chosen:
        return next((method for method in ("email", "letter", "phone") if method in have), "")
    if chosen not in CONTACT_NEEDS:
        errors["resident.preferred_contact"] = "Choose email, phone, letter or text"
    elif chosen not in have:
        label = ContactMethod(chosen).label.lower()
        errors["resident.preferred_contact"] = (
            f"There is no {CONTACT_NEEDS[chosen][1]} for the resident, so they "
            f"cannot prefer {label}: enter it, or choose a way of contact we have"
        )
    return chosen


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


def _person(
    landlord: Landlord,
    resident: ResidentDetails | Person,
    errors: dict[str, str],
    representative: RepresentativeDetails | None = None,
) -> Person | None:
    if isinstance(resident, Person):
        if resident.landlord_id != landlord.pk:
            errors["resident"] = "No such resident at this landlord"
            return None
        return resident
    name = clean_text(errors, "resident.name", resident.name, required=not resident.anonymous, limit=200)
    if resident.anonymous:
        name = ""  # an explicit choice: a name typed as well is not kept
    email = clean_text(errors, "resident.email", resident.email, required=False, limit=254)
    phone = clean_text(errors, "resident.phone", resident.phone, required=False, limit=40)
    if email and ("@" not in email or " " in email):
        errors["resident.email"] = "Enter an email address in the correct format, like name@example.com"
    title, title_problem = clean_title(resident.title)
    if title_problem:
        errors["resident.title"] = title_problem
    method = preferred_contact(resident, errors, representative)
    if "resident.name" in errors or "resident.email" in errors or "resident.preferred_contact" in errors:
        return None
    return Person(
        landlord=landlord,
        title="" if resident.anonymous else title,
        name=name,
        anonymous=resident.anonymous,
        email=email,
        phone=phone,
        address=clean_text(errors, "resident.address", resident.address, required=False, limit=500),
        preferred_contact=method,
        tenancy_reference=clean_text(
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
    triage: Triage | None = None,
    about_staff: User | None = None,
) -> Complaint:
    """Log a complaint from any channel; its clock starts on the day it was received (6.2).

    The day received may be earlier than today but never later. When the issue happened more than
    the policy's acceptance window before, the complaint is still logged, marked outside the window;
    accepting it then needs a note of the discretion considered (2.3). The resident's tenure (low-cost
    rental unless said otherwise) decides which homes the complaint counts against in CH01. Its
    triage (6.1) is the one staff confirmed, or else what the record suggests. A complaint about a
    named member of staff (`about_staff`) is confidential from the start (actions.confidentiality).
    """
    staff = access.require_staff(actor, landlord.pk)
    access.require_at(staff, Capability.LOG, landlord)
    if about_staff is not None:
        errors: dict[str, str] = {}
        check_about_staff(errors, landlord.pk, about_staff)
        raise_invalid(errors)
    complaint = record_complaint(
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
        triage=triage,
    )
    if about_staff is not None:
        name_at_logging(complaint, actor, about_staff)
    return complaint


def record_complaint(
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
    triage: Triage | None = None,
) -> Complaint:
    """Validate and record a complaint; `actor` is None when the resident made it themselves.

    Without a `triage` confirmed by staff, the risk factors the record suggests are taken, with the
    priority that follows from them (6.1); staff can change it later, with a reason.
    """
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = f"Choose how the complaint arrived: {', '.join(Channel.values)}"
    if service_area and service_area not in ServiceArea.values:
        errors["service_area"] = f"Choose a service area: {', '.join(ServiceArea.values)}"
    if tenure not in Tenure.values:
        errors["tenure"] = f"Choose the resident's tenure: {', '.join(Tenure.values)}"
    check_not_future(errors, "received_on", received_on)
    if issue_date is not None:
        check_not_future(errors, "issue_date", issue_date)
        if issue_date > received_on and "issue_date" not in errors:
            errors["issue_date"] = "The issue cannot have happened after the complaint was received"
    description = clean_text(errors, "description", description, limit=20_000)
    outcome_sought = clean_text(errors, "outcome_sought", outcome_sought, required=False, limit=5_000)
    discretion_note = clean_text(errors, "discretion_note", discretion_note, required=False, limit=5_000)
    person = _person(landlord, resident, errors, representative)
    if representative is not None:
        clean_text(errors, "representative.name", representative.name, limit=200)
        if representative.relationship not in Representative.Relationship.values:
            errors["representative.relationship"] = f"Choose one of {', '.join(Representative.Relationship.values)}"
        elif not presumed_consent_at(landlord, received_on, representative.relationship) and (
            representative.authority not in Representative.Authority.values
        ):
            errors["representative.authority"] = "Record the authority the resident gave (written, verbal or legal)"
        elif representative.authority and representative.authority not in Representative.Authority.values:
            errors["representative.authority"] = f"Choose one of {', '.join(Representative.Authority.values)}"
        rep_email = clean_text(errors, "representative.email", representative.email, required=False, limit=254)
        if rep_email and ("@" not in rep_email or " " in rep_email):
            errors["representative.email"] = "Enter an email address in the correct format, like name@example.com"
        clean_text(errors, "representative.phone", representative.phone, required=False, limit=40)
    for number, adjustment in enumerate(adjustments, start=1):
        if adjustment.kind not in ReasonableAdjustment.Kind.values:
            errors[f"adjustments.{number}"] = f"Choose one of {', '.join(ReasonableAdjustment.Kind.values)}"
        clean_text(errors, f"adjustments.{number}.detail", adjustment.detail, required=False, limit=300)
    for linked, name in ((service_request, "service_request"), (related_to, "related_to")):
        if linked is not None and linked.landlord_id != landlord.pk:
            errors[name] = "No such record at this landlord"
    if triage is not None:
        triage = check_triage(errors, triage)
    raise_invalid(errors)
    assert person is not None
    if triage is None:
        suggested = [
            s.factor
            for s in suggest(person, service_area=service_area, description=description, received_on=received_on)
        ]
        triage = Triage(suggested_priority(suggested), risk_factors=suggested, reason=SUGGESTED)

    version = policy_version_in_force(landlord, received_on)
    # The Code is the floor: deadlines and the acceptance window are the stricter of the two.
    policy = effective(version.policy()) if version else CODE_POLICY
    inside = None
    if issue_date is not None:
        inside = timescales.acceptance_check(policy, issue_date, received_on).inside
    calendar = working_calendar(landlord)
    now = clock.now()
    if person.pk is None:
        person.save()
    rep = None
    if representative is not None:
        presumed = presumed_consent_at(landlord, received_on, representative.relationship)
        rep = Representative.objects.create(
            landlord=landlord,
            acts_for=person,
            name=representative.name.strip(),
            email=representative.email.strip(),
            phone=representative.phone.strip(),
            relationship=representative.relationship,
            # 3.6, seed 004: a councillor or MP is presumed to act with the resident's consent, and an
            # advice agency where the landlord's policy says so.
            authority=Representative.Authority.PRESUMED
            if presumed and not representative.authority
            else representative.authority,
            authority_given_on=received_on,
        )
    number = next_number(landlord, "C", clock.today().year)
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
        priority=triage.priority,
        complexity=triage.complexity,
        risk_factors=list(triage.risk_factors),
        priority_reason=triage.reason,
        status=Status.RECEIVED,
        stage=1,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    # The area it was logged with leads (issue 19): more can be added from its page or the API.
    areas = []
    if service_area:
        areas.append(ComplaintArea.objects.create(complaint=complaint, standard_area=service_area, lead=True))
    stage = Stage.objects.create(
        complaint=complaint,
        landlord_id=complaint.landlord_id,
        number=1,
        opened_on=received_on,
        acknowledge_due=ack_due,
        original_response_due=respond_due,
        response_due=respond_due,
    )
    window = ""
    if inside is False:
        window = f" The issue is outside the {policy.acceptance_window_months}-month acceptance window (2.3)."
    agreed = adjustments_at_logging(person, actor, [(a.kind, a.detail) for a in adjustments], received_on)
    by = " by the resident" if actor is None else ""
    # The triage (6.1) and whether letters can reach the complainant (5.12) are part of what was
    # logged: one Event says it all, and its `after` keeps them for the record.
    triaged = f" Triage: {describe(complaint)} (6.1)." + (f" {triage.reason}" if triage.reason else "")
    unreachable = ""
    if not complaint.reachable:
        who = "The complainant did not give their name, and there" if person.anonymous else "There"
        unreachable = (
            f" {who} is no email address or postal address for them: letters will be kept on the record but "
            "cannot be sent. Tell them what happens by phone or in person, and add an address or an email "
            "address if they give one (5.12)."
        )
    events = [
        write_event(
            complaint,
            actor,
            "logged",
            f"Complaint logged{by} ({complaint.get_channel_display()}), received {received_on:%-d %B %Y}; "
            f"acknowledgement due {ack_due:%-d %B %Y}.{window}{triaged}{unreachable}",
            stage=1,
            after=snapshot(complaint)
            | {
                "priority": complaint.priority,
                "complexity": complaint.complexity,
                "risk_factors": complaint.risk_factors,
                "reachable": complaint.reachable,
                "anonymous": person.anonymous,
            },
        )
    ]
    if service_request is not None:
        events.append(
            write_event(
                complaint,
                actor,
                "raised-from-service-request",
                f"Raised from service request {service_request.reference}, which stays open (1.5).",
                stage=1,
            )
        )
    if agreed:
        events.append(
            write_event(
                complaint,
                actor,
                "adjustment-recorded",
                "Reasonable adjustments recorded: " + "; ".join(str(a) for a in agreed) + " (5.10).",
                stage=1,
                after={"adjustments": [a.pk for a in agreed]},
            )
        )
    # The whole record of a complaint just logged is what this transaction made: hand it back
    # complete, so a caller showing it does not read it all again.
    stage._prefetched_objects_cache = {"points": [], "extensions": [], "remedies": []}  # type: ignore[attr-defined]
    complaint._prefetched_objects_cache = {  # type: ignore[attr-defined]
        "stages": [stage],
        "actions": [],
        "events": events,
        "areas": areas,
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
    staff = access.require_staff(actor, landlord.pk)
    access.require_at(staff, Capability.LOG, landlord)
    errors: dict[str, str] = {}
    if service_area not in ServiceArea.values:
        errors["service_area"] = f"Choose a service area: {', '.join(ServiceArea.values)}"
    check_not_future(errors, "received_on", received_on)
    description = clean_text(errors, "description", description)
    person = _person(landlord, resident, errors)
    raise_invalid(errors)
    assert person is not None
    if person.pk is None:
        person.save()
    number = next_number(landlord, "SR", clock.today().year)
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
    staff = access.require_staff(actor, service_request.landlord_id)
    access.require_at(staff, Capability.LOG, service_request.landlord)
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    if locked.status != ServiceRequest.State.OPEN:
        raise TransitionNotAllowed(f"{locked.reference} is already {locked.get_status_display().lower()}.")
    errors: dict[str, str] = {}
    check_not_future(errors, "completed_on", on, locked.received_on)
    raise_invalid(errors)
    locked.status, locked.completed_on = ServiceRequest.State.COMPLETED, on
    locked.save(update_fields=["status", "completed_on"])
    return locked


@transaction.atomic
def not_accept(
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
    """Decide not to accept a complaint on a ground in the landlord's policy (2.1 to 2.5).

    The resident is given the reasons and told of their right to take the decision to the
    Ombudsman; the deciding officer is recorded. Each complaint is decided on its own.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require(staff, Capability.DECIDE, complaint)
    require_status(complaint, (Status.RECEIVED, Status.STAGE1_OPEN), "decide not to accept it")
    errors: dict[str, str] = {}
    _, _, review_note = check_refusal(
        errors, complaint, ground, explanation, ombudsman_rights_given, on, complaint.received_on, review_note
    )
    raise_invalid(errors)
    before = snapshot(complaint)
    complaint.status = Status.NOT_ACCEPTED
    complaint.refusal_ground, complaint.refusal_explanation = ground, explanation.strip()
    complaint.refused_by, complaint.refused_on = actor, on
    refresh_deadline(complaint, None)
    save_complaint(complaint)
    label = policy_for(complaint).exclusion_label(ground)
    event = write_event(
        complaint,
        actor,
        "not-accepted",
        f"Not accepted: {label}."
        + (f" Ground reviewed (2.2, 2.5): {review_note}" if review_note else "")
        + " The resident was told why and of their right to go to the Ombudsman (2.4).",
        stage=1,
        before=before,
        after=snapshot(complaint),
    )
    reactions.react(event, lock_stages(complaint)[1], on=on, ground_label=label)
    return complaint

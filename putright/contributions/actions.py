"""The one way each change to contractors and requests for information happens (STYLE.md habit 3).

Each action is atomic, authorises the actor first (putright.contributions.access), checks its input
(an InvalidInput naming each field, writing nothing), writes an Event on the complaint's timeline
where a complaint is involved, and queues its email through the outbox, sent once the transaction
commits. A request sent twice under the same form token or Idempotency-Key is sent once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from putright import clock
from putright.complaints.actions.base import clean_text, lock_complaint, raise_invalid, write_event
from putright.complaints.errors import InvalidInput, StaleVersion, TransitionNotAllowed
from putright.complaints.models import OPEN_STATUSES, Complaint, ServiceArea
from putright.contributions import access
from putright.contributions.models import (
    ANSWER_LIMIT,
    DEFAULT_DUE_DAYS,
    DUE_DAYS_RANGE,
    QUESTION_LIMIT,
    REASON_LIMIT,
    ComplaintContractor,
    Contractor,
    InformationRequest,
    PartyKind,
    RequestEmail,
)
from putright.correspondence import outbox
from putright.correspondence.inbound import mailbox_of
from putright.correspondence.models import InboundMessage, OutboxMessage
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord, StaffMember
from putright.rules.calendar import WorkingCalendar

EMAIL_KIND = OutboxMessage.Kind.INFORMATION_REQUEST


# -- contractors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractorInput:
    name: str
    email: str = ""
    phone: str = ""
    service_areas: Sequence[str] = field(default_factory=tuple)


def _clean_email(errors: dict[str, str], name: str, value: str, *, required: bool, what: str) -> str:
    address = (value or "").strip()
    if not address:
        if required:
            errors[name] = f"Enter {what}"
        return ""
    try:
        validate_email(address)
    except ValidationError:
        errors[name] = "Enter an email address in the correct format, like name@example.com"
    if len(address) > 254:
        errors[name] = "The email address must be 254 characters or fewer"
    return address


def _clean_contractor(landlord_id: int, data: ContractorInput, exclude_pk: int | None = None) -> ContractorInput:
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", data.name, limit=200, missing="Enter the contractor's name")
    email = _clean_email(errors, "email", data.email, required=False, what="the contractor's email address")
    phone = clean_text(errors, "phone", data.phone, required=False, limit=40)
    areas = list(dict.fromkeys(str(area) for area in data.service_areas))
    unknown = [area for area in areas if area not in ServiceArea.values]
    if unknown:
        errors["service_areas"] = "Choose service areas from the list"
    if name and "name" not in errors:
        same = Contractor.objects.filter(landlord_id=landlord_id, name__iexact=name)
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = f"There is already a contractor called {name}"
    raise_invalid(errors)
    return ContractorInput(name=name, email=email, phone=phone, service_areas=areas)


def _contractor_fields(contractor: Contractor) -> dict[str, object]:
    return {
        "name": contractor.name,
        "email": contractor.email,
        "phone": contractor.phone,
        "service_areas": list(contractor.service_areas),
        "active": contractor.active,
    }


@transaction.atomic
def add_contractor(actor: User, data: ContractorInput, *, landlord_id: int | None = None) -> Contractor:
    """Add a contractor to the landlord's list (the landlord the actor acts for, or `landlord_id`)."""
    staff = access.require_keeper(actor, landlord_id)
    clean = _clean_contractor(staff.landlord_id, data)
    try:
        with transaction.atomic():
            return Contractor.objects.create(
                landlord_id=staff.landlord_id,
                name=clean.name,
                email=clean.email,
                phone=clean.phone,
                service_areas=list(clean.service_areas),
                updated_at=clock.now(),
                updated_by=actor,
            )
    except IntegrityError:  # the same name added a moment ago by someone else
        raise InvalidInput({"name": f"There is already a contractor called {clean.name}"}) from None


def _lock_contractor(contractor: Contractor, actor: User, expected_version: int | None) -> Contractor:
    access.require_keeper(actor, contractor.landlord_id)
    locked = Contractor.objects.select_for_update().get(pk=contractor.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"{locked.name} was changed by someone else since you opened it. Reload it, check the change, "
            "and try again."
        )
    return locked


@transaction.atomic
def edit_contractor(
    contractor: Contractor, actor: User, data: ContractorInput, *, expected_version: int | None = None
) -> Contractor:
    locked = _lock_contractor(contractor, actor, expected_version)
    clean = _clean_contractor(locked.landlord_id, data, exclude_pk=locked.pk)
    locked.name, locked.email, locked.phone = clean.name, clean.email, clean.phone
    locked.service_areas = list(clean.service_areas)
    return _save_contractor(locked, actor)


@transaction.atomic
def set_contractor_active(
    contractor: Contractor, actor: User, active: bool, *, expected_version: int | None = None
) -> Contractor:
    """Deactivate a contractor (it stays on the complaints it was involved in, and in the counts), or
    make it active again. An inactive contractor cannot be linked to a complaint or asked anything."""
    locked = _lock_contractor(contractor, actor, expected_version)
    if locked.active == active:
        raise TransitionNotAllowed(f"{locked.name} is {'active' if active else 'inactive'} already.")
    locked.active = active
    return _save_contractor(locked, actor)


def _save_contractor(contractor: Contractor, actor: User) -> Contractor:
    contractor.version += 1
    contractor.updated_at = clock.now()
    contractor.updated_by = actor
    try:
        with transaction.atomic():
            contractor.save()
    except IntegrityError:  # renamed to a name another change took a moment ago
        raise InvalidInput({"name": f"There is already a contractor called {contractor.name}"}) from None
    return contractor


def _contractor_at(complaint: Complaint, contractor: Contractor | None, *, active: bool = True) -> Contractor:
    if contractor is None or contractor.landlord_id != complaint.landlord_id:
        raise InvalidInput({"contractor": "Choose a contractor of this complaint's landlord"})
    if active and not contractor.active:
        raise InvalidInput({"contractor": f"{contractor.name} is no longer active: choose an active contractor"})
    return contractor


@transaction.atomic
def link_contractor(complaint: Complaint, actor: User, contractor: Contractor | None) -> ComplaintContractor:
    """Record that a contractor was involved in the complaint (so insight counts it)."""
    staff = access.require_asker(actor, complaint)
    complaint = lock_complaint(complaint, None)
    contractor = _contractor_at(complaint, contractor)
    if ComplaintContractor.objects.filter(complaint=complaint, contractor=contractor).exists():
        raise InvalidInput({"contractor": f"{contractor.name} is on this complaint already"})
    link = ComplaintContractor.objects.create(
        complaint=complaint, contractor=contractor, added_by=staff.user, added_at=clock.now()
    )
    write_event(
        complaint,
        actor,
        "contractor-linked",
        f"{contractor.name} recorded as a contractor involved in the complaint.",
        stage=complaint.stage,
        after={"contractor": contractor.pk, "name": contractor.name},
    )
    return link


@transaction.atomic
def unlink_contractor(complaint: Complaint, actor: User, contractor: Contractor) -> None:
    access.require_asker(actor, complaint)
    complaint = lock_complaint(complaint, None)
    deleted, _ = ComplaintContractor.objects.filter(complaint=complaint, contractor=contractor).delete()
    if not deleted:
        raise TransitionNotAllowed(f"{contractor.name} is not recorded on {complaint.reference}.")
    write_event(
        complaint,
        actor,
        "contractor-unlinked",
        f"{contractor.name} no longer recorded as involved in the complaint.",
        stage=complaint.stage,
        before={"contractor": contractor.pk, "name": contractor.name},
    )


# -- requests for information -------------------------------------------------------------------


def due_date(calendar: WorkingCalendar, asked_on: date, days: int) -> date:
    """The answer is due on the `days`-th working day after the day it was asked (as every deadline
    here is counted: ARCHITECTURE.md, Time)."""
    return calendar.add_working_days(asked_on, days)


@dataclass(frozen=True)
class RequestInput:
    """Who is asked, what, and in how many working days. `contractor` for a contractor, `colleague`
    for a colleague, `team_name` and `team_email` for another team."""

    party_kind: str
    question: str
    due_days: int | None = DEFAULT_DUE_DAYS
    contractor: Contractor | None = None
    colleague: User | None = None
    team_name: str = ""
    team_email: str = ""


def _check_party(errors: dict[str, str], complaint: Complaint, data: RequestInput) -> dict[str, object]:
    """The request's party fields, checked: the contractor and the colleague are the complaint's landlord's."""
    kind = data.party_kind
    if kind not in PartyKind.values:
        errors["party_kind"] = "Select who you are asking: a contractor, another team or a colleague"
        return {}
    if kind == PartyKind.CONTRACTOR:
        contractor = data.contractor
        if contractor is None or contractor.landlord_id != complaint.landlord_id:
            errors["contractor"] = "Choose a contractor of this complaint's landlord"
        elif not contractor.active:
            errors["contractor"] = f"{contractor.name} is no longer active: choose an active contractor"
        elif not contractor.email:
            errors["contractor"] = f"{contractor.name} has no email address: add one to the contractor first"
        return {"contractor": contractor}
    if kind == PartyKind.COLLEAGUE:
        colleague = data.colleague
        works_there = (
            colleague is not None
            and colleague.is_active
            and StaffMember.objects.filter(user=colleague, landlord_id=complaint.landlord_id).exists()
        )
        if not works_there or colleague is None:
            errors["colleague"] = "Choose a colleague who works for this complaint's landlord"
        elif not colleague.email:
            errors["colleague"] = "This colleague has no email address: choose another or ask their team"
        return {"colleague": colleague}
    name = clean_text(errors, "team_name", data.team_name, limit=200, missing="Enter the name of the team")
    email = _clean_email(errors, "team_email", data.team_email, required=True, what="the team's email address")
    return {"team_name": name, "team_email": email}


def _check_days(errors: dict[str, str], days: int | None) -> int:
    low, high = DUE_DAYS_RANGE
    if days is None or isinstance(days, bool) or not low <= days <= high:
        errors["due_days"] = f"The number of working days to answer must be between {low} and {high}"
        return DEFAULT_DUE_DAYS
    return days


def _reply_token() -> str:
    return f"ask{secrets.token_hex(10)}"


def reply_address(landlord: Landlord, token: str) -> str:
    """Where the party's answer goes: the landlord's complaints mailbox with the request's own token."""
    local, _, domain = outbox.mailbox(landlord).partition("@")
    return f"{local}+{token}@{domain}"


def _email(request: InformationRequest, *, reminder: bool, once_key: str | None = None) -> OutboxMessage | None:
    complaint = request.complaint
    landlord = complaint.landlord
    due = f"{request.due_on:%-d %B %Y}"
    subject = (
        f"Reminder: information about complaint {complaint.reference} is due by {due}"
        if reminder
        else f"{landlord.name}: information requested about complaint {complaint.reference}, by {due}"
    )
    opening = (
        f"This is a reminder: we asked you on {request.asked_on:%-d %B %Y} for information about complaint "
        f"{complaint.reference}, and it is due by {due}."
        if reminder
        else f"{landlord.name} is considering complaint {complaint.reference} and needs your help with it."
    )
    body = (
        f"Dear {request.party_name},\n\n{opening}\n\nWhat we are asking:\n\n{request.question}\n\n"
        f"Please reply to this email by {due}. Your answer goes on the complaint's record.\n\n"
        f"{landlord.name}\n"
    )
    message = outbox.queue(
        landlord=landlord,
        kind=EMAIL_KIND,
        to_address=request.party_email,
        to_user=request.colleague,
        subject=subject,
        body=body,
        complaint=complaint,
        once_key=once_key,
    )
    if message is None:
        return None
    # Replies come back to the request's own address, so an answer finds the request it answers.
    message.reply_to = reply_address(landlord, request.reply_token)
    message.save(update_fields=["reply_to"])
    RequestEmail.objects.create(request=request, message=message, reminder=reminder)
    return message


@transaction.atomic
def send_request(
    complaint: Complaint,
    actor: User,
    data: RequestInput,
    *,
    submission_key: str | None = None,
    expected_version: int | None = None,
) -> InformationRequest:
    """Ask a contractor, another team or a colleague for information about the complaint (5.4, 5.5,
    6.20), due in working days of the landlord's calendar; the email goes through the outbox with a
    reply address that threads the answer back. The same `submission_key` again returns the request
    it sent, and sends nothing more."""
    access.require_asker(actor, complaint)
    complaint = lock_complaint(complaint, expected_version)
    key = (submission_key or "").strip()[:64]
    if key:
        existing = InformationRequest.objects.filter(complaint=complaint, submission_key=key).first()
        if existing is not None:
            return existing
    if complaint.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(
            f"{complaint.reference} is {complaint.get_status_display().lower()}, so you cannot ask for information."
        )
    errors: dict[str, str] = {}
    party = _check_party(errors, complaint, data)
    question = clean_text(
        errors, "question", data.question, limit=QUESTION_LIMIT, missing="Enter what you are asking for"
    )
    days = _check_days(errors, data.due_days)
    raise_invalid(errors)
    asked_on = clock.today()
    request = InformationRequest.objects.create(
        complaint=complaint,
        stage_number=complaint.stage,
        party_kind=data.party_kind,
        question=question,
        asked_on=asked_on,
        due_days=days,
        due_on=due_date(working_calendar(complaint.landlord), asked_on, days),
        asked_by=actor,
        reply_token=_reply_token(),
        submission_key=key,
        created_at=clock.now(),
        **party,
    )
    if request.party_kind == PartyKind.CONTRACTOR and request.contractor is not None:
        ComplaintContractor.objects.get_or_create(
            complaint=complaint,
            contractor=request.contractor,
            defaults={"added_by": actor, "added_at": clock.now()},
        )
    _email(request, reminder=False)
    write_event(
        complaint,
        actor,
        "information-requested",
        f"Information requested from {request.party_name} ({request.get_party_kind_display().lower()}), "
        f"due by {request.due_on:%-d %B %Y}: {question}",
        stage=complaint.stage,
        after={"request": request.pk, "party": request.party_name, "due_on": request.due_on.isoformat()},
    )
    return request


def _lock_request(
    request: InformationRequest, actor: User | None, expected_version: int | None, doing: str
) -> InformationRequest:
    if actor is not None:
        access.require_asker(actor, request.complaint)
    locked = (
        InformationRequest.objects.select_for_update(of=("self",))
        .select_related("complaint__landlord", "contractor", "colleague")
        .get(pk=request.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            f"The request to {locked.party_name} was changed by someone else since you opened it. Reload it, "
            "check the change, and try again."
        )
    if locked.state != InformationRequest.State.OPEN:
        raise TransitionNotAllowed(
            f"The request to {locked.party_name} is {locked.get_state_display().lower()}, so you cannot {doing}."
        )
    return locked


def _bump(request: InformationRequest, *fields: str) -> None:
    request.version += 1
    request.save(update_fields=[*fields, "version"])


@transaction.atomic
def record_answer(
    request: InformationRequest,
    actor: User,
    answer: str,
    *,
    answered_on: date | None = None,
    expected_version: int | None = None,
) -> InformationRequest:
    """Record by hand what the party said (by phone, in a meeting, in an email that went elsewhere)."""
    locked = _lock_request(request, actor, expected_version, "record an answer")
    errors: dict[str, str] = {}
    text = clean_text(errors, "answer", answer, limit=ANSWER_LIMIT, missing="Enter what they said")
    on = answered_on or clock.today()
    if on > clock.today():
        errors["answered_on"] = f"This cannot be in the future (today is {clock.today():%-d %B %Y})"
    elif on < locked.asked_on:
        errors["answered_on"] = f"This cannot be before the request was sent on {locked.asked_on:%-d %B %Y}"
    raise_invalid(errors)
    locked.state = InformationRequest.State.ANSWERED
    locked.answer, locked.answered_on, locked.answered_by = text, on, actor
    _bump(locked, "state", "answer", "answered_on", "answered_by")
    write_event(
        locked.complaint,
        actor,
        "information-answered",
        f"Answer from {locked.party_name} recorded by staff: {text}",
        stage=locked.stage_number,
        after={"request": locked.pk, "answered_on": on.isoformat(), "by": "staff"},
    )
    return locked


@transaction.atomic
def withdraw_request(
    request: InformationRequest, actor: User, reason: str, *, expected_version: int | None = None
) -> InformationRequest:
    locked = _lock_request(request, actor, expected_version, "withdraw it")
    errors: dict[str, str] = {}
    text = clean_text(errors, "reason", reason, limit=REASON_LIMIT, missing="Enter why the request is withdrawn")
    raise_invalid(errors)
    locked.state = InformationRequest.State.WITHDRAWN
    locked.withdrawn_on, locked.withdrawal_reason = clock.today(), text
    _bump(locked, "state", "withdrawn_on", "withdrawal_reason")
    write_event(
        locked.complaint,
        actor,
        "information-request-withdrawn",
        f"Request for information to {locked.party_name} withdrawn: {text}",
        stage=locked.stage_number,
        after={"request": locked.pk, "reason": text},
    )
    return locked


def _reminded(request: InformationRequest, actor: User | None, *, once_key: str | None = None) -> bool:
    if _email(request, reminder=True, once_key=once_key) is None:
        return False
    today = clock.today()
    request.reminders_sent += 1
    request.last_reminded_on = today
    _bump(request, "reminders_sent", "last_reminded_on")
    write_event(
        request.complaint,
        actor,
        "information-reminder-sent",
        f"Reminder sent to {request.party_name}: their answer is due by {request.due_on:%-d %B %Y}.",
        stage=request.stage_number,
        after={"request": request.pk, "reminder": request.reminders_sent},
    )
    return True


@transaction.atomic
def send_reminder(
    request: InformationRequest, actor: User, *, expected_version: int | None = None
) -> InformationRequest:
    """Remind the party now, by email (at most once a day)."""
    locked = _lock_request(request, actor, expected_version, "send a reminder")
    if locked.last_reminded_on == clock.today():
        raise TransitionNotAllowed(f"{locked.party_name} was reminded today already.")
    _reminded(locked, actor)
    return locked


def remind_on_due_date(request: InformationRequest) -> bool:
    """The worker's reminder on the due date: once, however often the sweep runs or on how many workers."""
    with transaction.atomic():
        try:
            locked = _lock_request(request, None, None, "send a reminder")
        except TransitionNotAllowed:
            return False
        if locked.last_reminded_on is not None and locked.last_reminded_on >= locked.due_on:
            return False
        return _reminded(locked, None, once_key=f"information-request:{locked.pk}:due:{locked.due_on.isoformat()}")


def answer_by_email(request: InformationRequest, message: InboundMessage) -> bool:
    """The party's reply, just kept by inbound email in this transaction, as the request's answer
    (called by `replies.attach`)."""
    try:
        locked = _lock_request(request, None, None, "answer it")
    except TransitionNotAllowed:
        return False
    if message.from_address.lower() != locked.party_email.lower():
        return False
    complaint = locked.complaint
    if message.landlord_id is not None and message.landlord_id != complaint.landlord_id:
        # Sent to another landlord's mailbox: never moved into this landlord's records, whatever it quotes.
        return False
    answered_on = timezone.localdate(message.received_at)
    locked.state = InformationRequest.State.ANSWERED
    locked.answer = message.text[:ANSWER_LIMIT]
    locked.answered_on = max(answered_on, locked.asked_on)
    locked.answer_email = message
    _bump(locked, "state", "answer", "answered_on", "answer_email")
    if message.complaint_id is None:
        # Not a party the inbound rules know (a contractor, a team): the request vouches for the sender.
        message.complaint = complaint
        message.landlord_id = complaint.landlord_id
        message.state = InboundMessage.State.THREADED
        message.matched_by = "information-request"
        message.problems = "\n".join(
            line for line in message.problems.splitlines() if not line.startswith(f"It answers {complaint.reference}")
        )
        message.save(update_fields=["complaint", "landlord", "state", "matched_by", "problems"])
    excerpt = " ".join(message.text.split())
    write_event(
        complaint,
        None,  # a From header is not a signed-in person
        "information-answered",
        f"Answer from {locked.party_name} by email ({message.from_address}): {excerpt}",
        stage=locked.stage_number,
        after={"request": locked.pk, "inbound_message": message.pk, "by": "email"},
    )
    if locked.asked_by.email:
        outbox.queue(
            landlord=complaint.landlord,
            kind=EMAIL_KIND,
            to_address=locked.asked_by.email,
            to_user=locked.asked_by,
            subject=f"{complaint.reference}: {locked.party_name} answered your request for information",
            body=(
                f"{locked.party_name} answered the request for information you sent on "
                f"{locked.asked_on:%-d %B %Y} about complaint {complaint.reference}.\n\n"
                "The answer is on the complaint's page in the workspace.\n"
            ),
            complaint=complaint,
        )
    return True


def same_mailbox(landlord: Landlord, address: str) -> bool:
    """Whether `address` (with any +token) is on the landlord's complaints mailbox."""
    return mailbox_of(address) == outbox.mailbox(landlord).lower()

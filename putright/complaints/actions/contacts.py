"""Contacts on the record (5.12) and the people who act for a resident (3.6).

A call, a meeting, a home visit or a text is recorded on the complaint's current stage with who
spoke, with whom, how and what was said, and any documents; its Event puts it on the timeline, and
correspondence (which keeps correspondence both ways) keeps the contact's row as its reaction to
that Event, so complaints never imports it. A contact marked as the acknowledgement, before the
written one, is told in the acknowledgement letter.

A representative is recorded, changed and ended here: how long their authority runs, whether
letters are copied to them and whether they may follow the complaint online. An advice agency is
presumed to have the resident's consent only where the landlord's policy says so (the Code
presumes nothing); a councillor or MP always is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from putright import clock
from putright.complaints import access, reactions
from putright.complaints.actions.base import (
    check_not_future,
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    save_complaint,
    stage_for_work,
    write_event,
)
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import OPEN_STATUSES, Complaint, Event
from putright.complaints.policies import policy_for
from putright.documents.limits import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, MAX_MEGABYTES, ResidentFile, macro_problem
from putright.documents.models import Attachment
from putright.landlords.calendars import policy_version_in_force
from putright.landlords.models import Landlord, StaffMember
from putright.people.models import Representative
from putright.rules import contacts as words
from putright.rules.policy import CODE_POLICY, Policy

MAX_CONTACT_FILES = 5


@dataclass(frozen=True)
class ContactInput:
    """A contact as staff describe it. `with_name` is needed only for someone other than the resident
    or their representative; `staff` is who spoke for the landlord (the person recording, if None)."""

    kind: str
    happened_at: datetime
    with_whom: str
    summary: str
    with_name: str = ""
    acknowledgement: bool = False
    staff: User | None = None


@dataclass(frozen=True)
class RepresentativeInput:
    """Who acts for the resident, on what authority, for how long, and what they may see (3.6)."""

    name: str
    relationship: str
    authority: str = ""
    email: str = ""
    phone: str = ""
    authority_given_on: date | None = None
    authority_expires_on: date | None = None
    letters_copied: bool = True
    portal_access: bool = True


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _file_problems(errors: dict[str, str], files: Sequence[ResidentFile]) -> None:
    if len(files) > MAX_CONTACT_FILES:
        errors["files"] = f"You can add up to {MAX_CONTACT_FILES} files to a contact"
        return
    for item in files:
        if item.size <= 0:
            errors["files"] = f"{item.name} is empty"
        elif item.size > ATTACHMENT_MAX_BYTES:
            errors["files"] = f"{item.name} must be smaller than {MAX_MEGABYTES} MB"
        elif item.content_type not in ATTACHMENT_TYPES:
            errors["files"] = (
                macro_problem(item.name, item.content_type)
                or f"{item.name} must be a PDF, JPEG, PNG, Word document or plain text file"
            )
        elif not item.name.strip() or len(item.name) > 200:
            errors["files"] = "Each file must have a name of 200 characters or fewer"


@transaction.atomic
def record_contact(
    complaint: Complaint,
    actor: User,
    contact: ContactInput,
    *,
    files: Sequence[ResidentFile] = (),
    expected_version: int | None = None,
) -> Event:
    """Put a call, meeting, visit or text on the record of the complaint's current stage (5.12).

    Writes a `contact-recorded` Event (correspondence keeps the contact's row as its reaction) and
    one `attachment-added` Event per document. A contact marked as the acknowledgement must come
    before the stage's written acknowledgement, which it does not replace (5.6).
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require_contact(staff, complaint)
    stage = lock_stages(complaint)[complaint.stage]
    errors: dict[str, str] = {}
    if contact.kind not in words.KINDS:
        errors["kind"] = "Select what kind of contact it was"
    if contact.with_whom not in words.WITH:
        errors["with_whom"] = "Select who the contact was with"
    summary = clean_text(errors, "summary", contact.summary, limit=5_000)
    happened_at = contact.happened_at
    if timezone.is_naive(happened_at):
        errors["happened_at"] = "Give the time with its time zone"
    else:
        # Compared as moments, never converted first: a date at the edge of the calendar cannot overflow.
        received = timezone.make_aware(datetime.combine(complaint.received_on, time.min))
        if happened_at > clock.now():
            errors["happened_at"] = "The contact cannot be in the future"
        elif happened_at < received:
            errors["happened_at"] = (
                f"The contact cannot be before the complaint was received on {complaint.received_on:%-d %B %Y}"
            )
    spoke = contact.staff or actor
    if spoke.pk != actor.pk and not StaffMember.objects.filter(user=spoke, landlord_id=complaint.landlord_id).exists():
        errors["staff"] = "Choose a member of your landlord's staff"
    with_name = ""
    representative = complaint.representative
    if contact.with_whom == "resident":
        with_name = str(complaint.person)
    elif contact.with_whom == "representative":
        if representative is None:
            errors["with_whom"] = "Nobody is recorded as acting for the resident: choose the resident or someone else"
        else:
            with_name = representative.name
    elif contact.with_whom == "other":
        with_name = clean_text(errors, "with_name", contact.with_name, limit=200)
        if "with_name" in errors and not contact.with_name.strip():
            errors["with_name"] = "Enter the name of the person spoken to"
    if contact.acknowledgement:
        if stage.acknowledged_on is not None:
            errors["acknowledgement"] = (
                f"Stage {stage.number} was acknowledged in writing on {stage.acknowledged_on:%-d %B %Y}: record "
                "this contact without marking it as the acknowledgement"
            )
        elif complaint.status not in OPEN_STATUSES:
            errors["acknowledgement"] = (
                f"{complaint.reference} is {complaint.get_status_display().lower()}: there is nothing to acknowledge"
            )
    _file_problems(errors, files)
    raise_invalid(errors)

    save_complaint(complaint)
    local = timezone.localtime(happened_at)
    label = words.KINDS[contact.kind]
    told = (
        f" The complaint was acknowledged {words.HOW[contact.kind].removesuffix(', at your home')} in this contact."
        if contact.acknowledgement
        else ""
    )
    event = write_event(
        complaint,
        actor,
        "contact-recorded",
        f"{label} with {with_name} ({words.WITH[contact.with_whom].lower()}) on {local:%-d %B %Y at %H:%M}, "
        f"by {_name(spoke)}: {summary}{told}",
        stage=stage.number,
        after={
            "kind": contact.kind,
            "with_whom": contact.with_whom,
            "with_name": with_name,
            "happened_at": local.isoformat(),
            "staff": spoke.username,
            "acknowledgement": contact.acknowledgement,
            "files": [item.name for item in files],
        },
    )
    attachments = []
    for item in files:
        kilobytes = max(1, round(item.size / 1024))
        added = write_event(
            complaint,
            actor,
            "attachment-added",
            f"Document added with the {label.lower()} of {local:%-d %B %Y}: {item.name} "
            f"({ATTACHMENT_TYPES[item.content_type]}, {kilobytes:,} KB).",
            stage=stage.number,
            after={"name": item.name, "content_type": item.content_type, "size": item.size},
        )
        attachments.append(
            Attachment.objects.create(
                complaint=complaint,
                event=added,
                file=item.file,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
                description=f"With the {label.lower()} of {local:%-d %B %Y}",
                uploaded_by=actor,
                uploaded_at=added.at,
            )
        )
    reactions.react(
        event,
        stage,
        on=local.date(),
        happened_at=happened_at,
        staff=spoke,
        summary=summary,
        attachments=attachments,
    )
    return event


# -- representatives (3.6) ------------------------------------------------------------------------


def presumed_consent(relationship: str, policy: Policy) -> bool:
    """Whether someone of this kind acting for a resident is taken to have their consent (3.6): an
    elected member always; an advice agency only where the landlord's policy says so."""
    return relationship in Representative.PRESUMED_CONSENT or (
        relationship == Representative.Relationship.ADVICE_AGENCY and policy.advice_agency_consent_presumed
    )


def presumed_consent_at(landlord: Landlord, day: date, relationship: str) -> bool:
    """`presumed_consent` under the landlord's policy in force on `day` (for a complaint being logged)."""
    version = policy_version_in_force(landlord, day)
    return presumed_consent(relationship, version.policy() if version else CODE_POLICY)


def _check_representative(
    errors: dict[str, str], details: RepresentativeInput, policy: Policy, on: date
) -> RepresentativeInput:
    name = clean_text(errors, "name", details.name, limit=200)
    authority = details.authority
    if details.relationship not in Representative.Relationship.values:
        errors["relationship"] = "Select who the representative is"
    elif not authority:
        if presumed_consent(details.relationship, policy):
            authority = Representative.Authority.PRESUMED
        elif details.relationship == Representative.Relationship.ADVICE_AGENCY:
            errors["authority"] = (
                "Record the authority the resident gave: your policy does not presume an advice agency has their "
                "consent (Code 3.6)"
            )
        else:
            errors["authority"] = "Select the authority the resident gave (written, verbal or legal)"
    if authority and authority not in Representative.Authority.values:
        errors["authority"] = "Select the authority the resident gave (written, verbal or legal)"
    elif authority == Representative.Authority.PRESUMED and not presumed_consent(details.relationship, policy):
        errors["authority"] = (
            "Consent is presumed only for a councillor or MP, or an advice agency where your policy says so: "
            "select the authority the resident gave"
        )
    email = clean_text(errors, "email", details.email, required=False, limit=254)
    if email and ("@" not in email or " " in email):
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    phone = clean_text(errors, "phone", details.phone, required=False, limit=40)
    if details.authority_given_on is not None:
        check_not_future(errors, "authority_given_on", details.authority_given_on)
    expires = details.authority_expires_on
    if expires is not None:
        if expires < on:
            errors["authority_expires_on"] = (
                f"The date their authority ends must be today ({on:%-d %B %Y}) or later: if it has ended, "
                "end their authority instead"
            )
        elif details.authority_given_on is not None and expires < details.authority_given_on:
            errors["authority_expires_on"] = "The date their authority ends must be after the date it was given"
    return RepresentativeInput(
        name=name,
        relationship=details.relationship,
        authority=authority,
        email=email,
        phone=phone,
        authority_given_on=details.authority_given_on,
        authority_expires_on=expires,
        letters_copied=details.letters_copied,
        portal_access=details.portal_access,
    )


def _described(rep: Representative) -> dict[str, Any]:
    return {
        "name": rep.name,
        "relationship": rep.relationship,
        "authority": rep.authority,
        "email": rep.email,
        "phone": rep.phone,
        "authority_given_on": rep.authority_given_on.isoformat() if rep.authority_given_on else None,
        "authority_expires_on": rep.authority_expires_on.isoformat() if rep.authority_expires_on else None,
        "letters_copied": rep.letters_copied,
        "portal_access": rep.portal_access,
        "ended_on": rep.ended_on.isoformat() if rep.ended_on else None,
    }


def _begin(complaint: Complaint, actor: User, expected_version: int | None) -> Complaint:
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    stages = lock_stages(complaint)
    stage_for_work(staff, complaint, stages)  # the stage's handler, or a supervisor
    return complaint


@transaction.atomic
def set_representative(
    complaint: Complaint,
    actor: User,
    details: RepresentativeInput,
    *,
    expected_version: int | None = None,
) -> Complaint:
    """Record who acts for the resident on this complaint, or change what is recorded about the one who
    does: their authority, when it ends, and what they may see (3.6). Someone new replaces whoever
    acted before, whose record is kept."""
    complaint = _begin(complaint, actor, expected_version)
    today = clock.today()
    errors: dict[str, str] = {}
    details = _check_representative(errors, details, policy_for(complaint), today)
    raise_invalid(errors)
    current = complaint.representative
    fields = {
        "name": details.name,
        "relationship": details.relationship,
        "authority": details.authority,
        "email": details.email,
        "phone": details.phone,
        "authority_given_on": details.authority_given_on,
        "authority_expires_on": details.authority_expires_on,
        "letters_copied": details.letters_copied,
        "portal_access": details.portal_access,
    }
    if current is not None and current.ended_on is None:
        before = _described(current)
        for key, value in fields.items():
            setattr(current, key, value)
        current.save()
        rep, kind = current, "representative-changed"
    else:
        before = _described(current) if current is not None else {}
        rep = Representative.objects.create(
            landlord_id=complaint.landlord_id, acts_for_id=complaint.person_id, **fields
        )
        complaint.representative = rep
        kind = "representative-recorded"
    save_complaint(complaint)
    sees = "letters copied to them" if rep.letters_copied else "no copies of letters"
    sees += ", and may follow the complaint online" if rep.portal_access else ", and may not follow it online"
    until = f", until {rep.authority_expires_on:%-d %B %Y}" if rep.authority_expires_on else ""
    how = f"{rep.get_relationship_display().lower()}; {rep.get_authority_display().lower()}{until}"
    if kind == "representative-recorded":
        said = f"{rep.name} recorded as acting for the resident ({how}): {sees}."
    else:
        said = f"Details of {rep.name}, acting for the resident, changed ({how}): {sees}."
    write_event(
        complaint,
        actor,
        kind,
        said,
        stage=complaint.stage,
        before=before,
        after=_described(rep),
    )
    return complaint


@transaction.atomic
def end_representative(
    complaint: Complaint,
    actor: User,
    *,
    on: date,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """Record that the representative no longer acts for the resident (the resident withdrew their
    authority, or the representative stepped back): from then on letters go to the resident only (3.6)."""
    complaint = _begin(complaint, actor, expected_version)
    rep = complaint.representative
    if rep is None or rep.ended_on is not None:
        raise TransitionNotAllowed(f"Nobody is recorded as acting for the resident on {complaint.reference}.")
    errors: dict[str, str] = {}
    reason = clean_text(errors, "reason", reason, limit=2_000)
    check_not_future(errors, "on", on, complaint.received_on)
    raise_invalid(errors)
    before = _described(rep)
    rep.ended_on = on
    rep.save(update_fields=["ended_on"])
    save_complaint(complaint)
    write_event(
        complaint,
        actor,
        "representative-ended",
        f"{rep.name} stopped acting for the resident on {on:%-d %B %Y}: {reason}",
        stage=complaint.stage,
        before=before,
        after=_described(rep) | {"reason": reason},
    )
    return complaint

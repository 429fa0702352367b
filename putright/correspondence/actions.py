"""Every change to a landlord's letters: its wording for each letter type, and its letterhead; and a
failed email sent again.

As in putright.complaints.actions, each function takes the acting user, checks their role before
reading anything, validates everything before writing, and runs in one transaction. Letters
already issued never change: each keeps the HTML it was issued with, and the wording version.
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max

from putright import clock
from putright.complaints import access as complaint_access
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Event
from putright.correspondence import access, mailboxes, outbox, tasks
from putright.correspondence.compose import check_template, default_template
from putright.correspondence.models import Letter, LetterStyle, LetterTemplate, OutboxMessage
from putright.correspondence.notices import render_email
from putright.landlords.models import Landlord, StaffMember
from putright.rules.letters import LetterType

log = logging.getLogger(__name__)

_PHONE = re.compile(r"^[0-9+() -]{6,40}$")
_WEBSITE = re.compile(r"^(https://)?[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s<>\"']*)?$", re.IGNORECASE)


def _editor_at(actor: User, landlord: Landlord) -> StaffMember:
    staff = access.require_editor(actor)
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can only change your own landlord's letters.")
    return staff


def _letter_type(value: str) -> LetterType:
    try:
        return LetterType(value)
    except ValueError:
        raise InvalidInput({"letter_type": f"There is no letter type called {value!r}"}) from None


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@transaction.atomic
def save_template(
    landlord: Landlord,
    actor: User,
    letter_type: str,
    *,
    subject: str,
    body: str,
    expected_version: int | None = None,
) -> LetterTemplate | None:
    """Keep the landlord's own wording for a letter type, as a new version; None if nothing changed.

    The wording is checked as the letter language requires (every required element of the letter
    type present, no tag or construct outside the short list) and refused whole with InvalidInput
    otherwise. `expected_version` is the version the editor started from (0: Putright's wording),
    so a change someone else saved meanwhile is refused with StaleVersion rather than overwritten.
    Versions only go up, past any version a letter was issued with, even after a reset.
    """
    _editor_at(actor, landlord)
    kind = _letter_type(letter_type)
    subject = " ".join(subject.split())
    body = _lines(body).strip()
    errors = check_template(kind, subject, body)
    if errors:
        raise InvalidInput(errors)
    current = LetterTemplate.objects.select_for_update().filter(landlord=landlord, letter_type=kind).first()
    version = current.version if current else 0
    if expected_version is not None and expected_version != version:
        raise StaleVersion(
            "Someone else changed this wording since you opened it. Open it again to see their version, "
            "then make your changes."
        )
    if current is not None and (current.subject, current.body) == (subject, body):
        return current
    if current is None and default_template(kind) == (subject, body):
        return None
    issued = Letter.objects.filter(landlord=landlord, letter_type=kind).aggregate(v=Max("template_version"))["v"]
    fields = {"subject": subject, "body": body, "updated_at": clock.now(), "updated_by": actor}
    if current is not None:
        for name, value in fields.items():
            setattr(current, name, value)
        current.version = max(version, issued or 0) + 1
        current.save()
        return current
    try:
        with transaction.atomic():
            return LetterTemplate.objects.create(
                landlord=landlord, letter_type=kind, version=max(version, issued or 0) + 1, **fields
            )
    except IntegrityError:
        # Two people saved the landlord's first wording for this type at once: the other was first.
        raise StaleVersion(
            "Someone else saved wording for this letter at the same moment. Open it again to see theirs."
        ) from None


@transaction.atomic
def reset_template(landlord: Landlord, actor: User, letter_type: str) -> bool:
    """Go back to Putright's own wording for a letter type; False if the landlord had none of its own."""
    _editor_at(actor, landlord)
    kind = _letter_type(letter_type)
    deleted, _ = LetterTemplate.objects.filter(landlord=landlord, letter_type=kind).delete()
    return bool(deleted)


def _text(errors: dict[str, str], name: str, value: str, limit: int, what: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        errors[name] = f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer"
    return text


@transaction.atomic
def save_style(
    landlord: Landlord,
    actor: User,
    *,
    address: str,
    phone: str,
    email: str,
    website: str,
    signatory_name: str,
    signatory_role: str,
    contact: str = LetterStyle.Contact.HANDLER,
    team_name: str = "",
) -> LetterStyle:
    """Keep the landlord's letterhead and signatory, used on every letter issued from now on.

    The email address is the complaints mailbox: replies to letters come back to it. It is only
    ever one landlord's, and a new one is used only once confirmed from the link this sends to it
    (`confirm_mailbox`); until then the mailbox in use stays. Emptying it takes effect at once (the
    installation's own mailbox is used). `contact` says whether letters name the person handling a
    complaint, with their direct details, or only the team (`team_name`, or "our complaints team"),
    as the landlord's policy asks.
    """
    _editor_at(actor, landlord)
    errors: dict[str, str] = {}
    lines = [" ".join(line.split()) for line in _lines(address).split("\n")]
    address = "\n".join(line for line in lines if line)
    if len(address) > 500:
        errors["address"] = "The address must be 500 characters or fewer"
    elif address.count("\n") >= 8:
        errors["address"] = "The address must be 8 lines or fewer"
    phone = _text(errors, "phone", phone, 40, "the telephone number")
    if phone and "phone" not in errors and not _PHONE.match(phone):
        errors["phone"] = "Enter a telephone number, like 01632 960 001 or +44 808 196 0000"
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter an email address in the correct format, like complaints@example.org"
        else:
            if problem := mailboxes.mailbox_problem(landlord, email):
                errors["email"] = problem
    website = _text(errors, "website", website, 200, "the website")
    if website and "website" not in errors and not _WEBSITE.match(website):
        errors["website"] = "Enter a website address, like www.example.org or https://www.example.org/complaints"
    signatory_name = _text(errors, "signatory_name", signatory_name, 120, "the signatory's name")
    signatory_role = _text(errors, "signatory_role", signatory_role, 120, "the signatory's role")
    if contact not in LetterStyle.Contact.values:
        errors["contact"] = "Select who letters tell the resident to contact"
    team_name = _text(errors, "team_name", team_name, 120, "the team's name")
    if errors:
        raise InvalidInput(errors)
    style = LetterStyle.objects.select_for_update().filter(landlord=landlord).first() or LetterStyle(landlord=landlord)
    confirming = _change_mailbox(style, actor, email)
    style.address = address
    style.phone = phone
    style.website = website
    style.signatory_name = signatory_name
    style.signatory_role = signatory_role
    style.contact = contact
    style.team_name = team_name
    style.updated_at = clock.now()
    style.updated_by = actor
    style.save()
    if confirming:
        _send_confirmation(style, actor)
    return style


def _change_mailbox(style: LetterStyle, actor: User, email: str) -> bool:
    """Empty the mailbox, or ask for a new one; True when a confirmation link must go to it.
    The mailbox in use, or the one already waiting, asks for nothing again (a double submit)."""
    if not email:
        style.email = ""
        style.email_requested, style.email_requested_at, style.email_requested_by = "", None, None
        return False
    if email.lower() in (style.email.lower(), style.email_requested.lower()):
        return False
    style.email_requested, style.email_requested_at, style.email_requested_by = email, clock.now(), actor
    return True


def _send_confirmation(style: LetterStyle, actor: User) -> None:
    # Sent from and replied to the mailbox in use: the new one is not the landlord's until confirmed.
    context = {
        "landlord": style.landlord,
        "email": style.email_requested,
        "asked_by": actor.get_full_name() or actor.username,
        "link": mailboxes.link(style),
        "days": mailboxes.LINK_LIFETIME.days,
    }
    subject, body = render_email("mailbox-confirmation", context)
    outbox.queue(
        landlord=style.landlord,
        kind=OutboxMessage.Kind.MAILBOX,
        to_address=style.email_requested,
        subject=subject,
        body=body,
    )


@transaction.atomic
def confirm_mailbox(landlord: Landlord, actor: User, token: str) -> LetterStyle:
    """Make the address a confirmation link was sent to the landlord's complaints mailbox.

    Only the complaints officer or a manager of the landlord may, with the link from the message
    sent to the address: so the mailbox is one the landlord reads. A link for a change since
    replaced, another landlord's, or over a week old confirms nothing; an address another landlord
    confirmed meanwhile is refused.
    """
    _editor_at(actor, landlord)
    request = mailboxes.read(token)
    if request is None or request.landlord_id != landlord.pk:
        raise TransitionNotAllowed(
            "This link has expired or is not for your landlord. Save the mailbox again on the letterhead page "
            "to get a new link."
        )
    style = LetterStyle.objects.select_for_update().filter(landlord=landlord).first()
    if style is None or not mailboxes.waits_for(style, request):
        if style is not None and style.email.lower() == request.email:
            raise TransitionNotAllowed(f"{style.email} is already your complaints mailbox.")
        raise TransitionNotAllowed(
            "This link is for a change of mailbox that has since been replaced. Use the link in the newest message."
        )
    if problem := mailboxes.mailbox_problem(landlord, style.email_requested):
        raise InvalidInput({"email": problem})
    style.email = style.email_requested
    style.email_requested, style.email_requested_at, style.email_requested_by = "", None, None
    style.email_confirmed_at = clock.now()
    try:
        with transaction.atomic():
            style.save()
    except IntegrityError:  # another landlord confirmed the same address at the same moment
        raise InvalidInput({"email": f"{style.email} is another landlord's complaints mailbox."}) from None
    log.info("Landlord %s confirmed a new complaints mailbox", landlord.pk)
    return style


@transaction.atomic
def retry(message: OutboxMessage, actor: User) -> OutboxMessage:
    """Put a failed message back in the outbox to send now, with its attempts counted afresh.

    Only a complaints officer or manager of the message's landlord may; who did it is kept on the
    message, and on the complaint's timeline when it is about one.
    """
    staff = complaint_access.staff_of(actor, message.landlord_id)
    if staff is None or staff.role not in complaint_access.SUPERVISORS:
        raise NotPermitted("Only a complaints officer or manager of this landlord can send a failed message again.")
    locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if locked.state != OutboxMessage.State.FAILED:
        raise TransitionNotAllowed(
            f"Only a message that failed can be sent again; this one is {locked.get_state_display().lower()}."
        )
    now = clock.now()
    who = actor.get_full_name() or actor.username
    previous = locked.last_error
    locked.state = OutboxMessage.State.PENDING
    locked.attempts = 0
    locked.next_attempt_at = now
    locked.last_error = f"Sent again by {who} on {now:%-d %B %Y at %H:%M}. Before that: {previous}"[:2000]
    locked.save(update_fields=["state", "attempts", "next_attempt_at", "last_error"])
    if locked.complaint_id is not None:
        Event.objects.create(
            complaint_id=locked.complaint_id,
            at=now,
            actor=actor,
            kind="email-retried",
            summary=f"{who} sent a failed email again: {locked.get_kind_display()} to {locked.to_address}.",
            before={"state": "failed", "last_error": previous[:500]},
            after={"state": "pending", "message": locked.pk},
        )
    log.info("Outbox message %s put back to send by %s", locked.pk, actor.username)
    transaction.on_commit(tasks.send_soon, robust=True)
    return locked

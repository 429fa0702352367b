"""Writing email to the outbox, in the transaction of whatever causes it.

Nothing here sends: the worker does (`putright.correspondence.sending`), woken once the transaction
that wrote the message commits. A message carries its own Message-ID, and a message about a
complaint carries the complaint's reply address, so a reply finds its way back to the complaint it
is about.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet

from putright import clock
from putright.complaints.models import Complaint
from putright.correspondence import tasks
from putright.correspondence.models import Letter, LetterStyle, MailThread, OutboxMessage
from putright.landlords.models import Landlord


def mailbox(landlord: Landlord, style: LetterStyle | None = None) -> str:
    """The landlord's complaints mailbox: its letter style's email, else the installation's sender.
    `style`: the landlord's letter style where the caller has it already (unsaved: it has none)."""
    if style is None:
        style = LetterStyle.objects.filter(landlord=landlord).only("email").first()
    return (style.email if style and style.email else "") or settings.COMPLAINTS_MAILBOX


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "putright.localhost"


def reply_address(complaint: Complaint, box: str | None = None) -> str:
    """The complaint's own address: the mailbox with a random token after a plus (never the reference)."""
    thread, _ = MailThread.objects.get_or_create(complaint=complaint, defaults={"token": secrets.token_hex(8)})
    local, _, domain = (box or mailbox(complaint.landlord)).partition("@")
    return f"{local}+{thread.token}@{domain}"


def new_message_id(landlord: Landlord, box: str | None = None) -> str:
    return f"<{uuid.uuid4().hex}@{_domain(box or mailbox(landlord))}>"


def queue(
    *,
    landlord: Landlord,
    kind: str,
    to_address: str,
    subject: str,
    body: str,
    complaint: Complaint | None = None,
    letter: Letter | None = None,
    to_user: User | None = None,
    once_key: str | None = None,
    not_before: datetime | None = None,
    wake: bool = True,
    box: str | None = None,
) -> OutboxMessage | None:
    """Put a message in the outbox; a message with a `once_key` already used is not queued again (None).

    `wake=False` leaves the sending to the caller: the worker's sweep, which queues many at once.
    `box`: the landlord's `mailbox`, where the caller has it already (a letter to two recipients).
    """
    box = box or mailbox(landlord)
    message = OutboxMessage(
        landlord=landlord,
        complaint=complaint,
        letter=letter,
        kind=kind,
        to_address=to_address,
        to_user=to_user,
        subject=" ".join(subject.split())[:300],
        body=body,
        message_id=new_message_id(landlord, box),
        reply_to=reply_address(complaint, box) if complaint is not None else box,
        once_key=once_key,
        next_attempt_at=not_before or clock.now(),
        created_at=clock.now(),
    )
    if once_key is None:
        message.save()
    else:
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            return None
    if not wake:
        return message
    # Robust: the message is safely written, and the worker's sweep sends it if no wake-up comes.
    transaction.on_commit(tasks.send_soon, robust=True)
    return message


def no_way_to_send(landlord_id: int) -> QuerySet[Letter]:
    """Letters issued that went nowhere: no email went with them, and the resident has no email
    address or postal address to send them to (5.12). Newest first, with their complaint and person."""
    emailed = OutboxMessage.objects.filter(letter_id=OuterRef("pk"))
    return (
        Letter.objects.filter(landlord_id=landlord_id, complaint__person__email="", complaint__person__address="")
        .filter(~Exists(emailed))
        .select_related("complaint__person")
        .only(
            "letter_type",
            "subject",
            "issued_on",
            "issued_at",
            "complaint__reference",
            "complaint__person__name",
            "complaint__person__anonymous",
            "complaint__person__phone",
            "complaint__person__email",
            "complaint__person__address",
        )
        .order_by("-issued_at", "-id")
    )

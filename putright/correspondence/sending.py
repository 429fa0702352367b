"""Sending the outbox: each message once, whoever else is sending, whatever the mail server does.

A sender claims a batch of due messages in one short transaction. On PostgreSQL the rows are
locked with SKIP LOCKED, so a second worker passes over them instead of waiting; SQLite lets one
writer at a time in, which serialises claims. Claiming moves each message's `next_attempt_at` a
lease ahead, so once the claim commits no other sender sees the message as due, and a worker that
dies while sending leaves it to be claimed again when the lease runs out.

Each message then goes through Django's email API (SMTP, or GOV.UK Notify through
`putright.correspondence.notify`) with its own Message-ID. A failure is recorded on the message
and tried again later, 1, 2, 4 ... minutes on, at most an hour apart; after OUTBOX_MAX_ATTEMPTS it
is marked failed for a person to look at and send again (`actions.retry`). A message is never deleted.

One case no sender can rule out: a mail server that takes a message and drops the connection
before saying so. The message is then sent again with the same Message-ID, so the recipient's
mail program shows it once.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Q
from notifications_python_client.errors import APIError

from putright import clock
from putright.correspondence.compose import sha256
from putright.correspondence.models import Letter, LetterStyle, OutboxMessage
from putright.landlords.models import Landlord

log = logging.getLogger(__name__)

# Longer than any one message can take to send (the mail server has EMAIL_TIMEOUT to answer).
LEASE = timedelta(minutes=10)
LONGEST_WAIT = timedelta(hours=1)
STAFF_KINDS = {
    OutboxMessage.Kind.ASSIGNED,
    OutboxMessage.Kind.DUE_SOON,
    OutboxMessage.Kind.OVERDUE,
    OutboxMessage.Kind.DIGEST,
    OutboxMessage.Kind.UPDATE_DUE,
    OutboxMessage.Kind.RESIDENT_INFORMATION,
    OutboxMessage.Kind.RESIDENT_EMAIL,
}


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0  # attempts that failed this time, to be tried again
    gave_up: int = 0  # messages now waiting for a person to retry them

    def __add__(self, other: SendReport) -> SendReport:
        return SendReport(self.sent + other.sent, self.failed + other.failed, self.gave_up + other.gave_up)

    @property
    def claimed(self) -> int:
        return self.sent + self.failed + self.gave_up


class LetterNotReady(Exception):
    pass


def wait_after(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts, 1) - 1, 10)), LONGEST_WAIT)


def sender(landlord: Landlord) -> str:
    """The From address: the landlord's complaints mailbox if its letter style has one, else the
    installation's sender, shown with the landlord's name."""
    try:
        style: LetterStyle | None = landlord.letter_style  # joined by _claim: no query per message
    except LetterStyle.DoesNotExist:
        style = None
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if style is not None and style.email:
        address = style.email
    return formataddr((landlord.name or name, address))


def attachment_name(letter: Letter) -> str:
    return f"{letter.complaint.reference}-{letter.letter_type}.pdf"


def letter_pdf(letter: Letter) -> bytes:
    """The letter's stored PDF, checked against the hash kept when it was rendered."""
    if letter.rendering != Letter.Rendering.READY or not letter.pdf:
        raise LetterNotReady(f"The letter's PDF is not rendered yet (letter {letter.pk})")
    with letter.pdf.open("rb") as stored:
        content: bytes = stored.read()
    if sha256(content) != letter.pdf_sha256:
        raise LetterNotReady(f"The stored PDF of letter {letter.pk} does not match the hash kept when it was made")
    return content


def build_email(message: OutboxMessage, connection: BaseEmailBackend | None = None) -> EmailMessage:
    """The email for an outbox message, with its Message-ID, Reply-To and any letter attached."""
    headers = {"Message-ID": message.message_id}
    if message.kind in STAFF_KINDS:
        headers["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=sender(message.landlord),
        to=[message.to_address],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
        connection=connection,
    )
    if message.letter is not None:
        email.attach(attachment_name(message.letter), letter_pdf(message.letter), "application/pdf")
    return email


def _due(now: datetime) -> Q:
    # A letter's email waits for its PDF; every other message is due at its time.
    return Q(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now) & (
        Q(letter__isnull=True) | Q(letter__rendering=Letter.Rendering.READY)
    )


def _claim(limit: int) -> list[OutboxMessage]:
    now = clock.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            # OF self: PostgreSQL will not lock the nullable side of the join to the letter.
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return list(
        OutboxMessage.objects.filter(pk__in=ids)
        .select_related("landlord__letter_style", "letter__complaint")
        .order_by("next_attempt_at", "created_at", "id")
    )


def _permanent(error: Exception) -> bool:
    """Whether trying again cannot help: the server refused this message or its address for good.

    A refusal of our sender or our login is not: that is the installation's to fix, and then every
    message waiting goes without anyone sending each one again by hand.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    if isinstance(error, APIError):
        return 400 <= error.status_code < 500 and error.status_code not in (403, 408, 429)
    return isinstance(error, BadHeaderError)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _close(backend: BaseEmailBackend) -> None:
    try:
        backend.close()
    except Exception:  # a connection that broke cannot always say goodbye; the next send opens a new one
        log.debug("Closing the mail connection failed", exc_info=True)


def _record_failure(message: OutboxMessage, error: Exception) -> bool:
    """Record a failed attempt; True when the message has now failed for good."""
    attempts = message.attempts + 1
    gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS or _permanent(error)
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
        attempts=attempts,
        last_error=_describe(error),
        state=OutboxMessage.State.FAILED if gave_up else OutboxMessage.State.PENDING,
        next_attempt_at=clock.now() + wait_after(attempts),
    )
    if gave_up:
        log.error("Gave up sending outbox message %s after %s attempts: %s", message.pk, attempts, error)
    else:
        log.warning("Sending outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
    return gave_up


def _send_one(message: OutboxMessage, backend: BaseEmailBackend) -> SendReport:
    try:
        email = build_email(message, backend)
        if email.send() != 1:
            raise smtplib.SMTPException("The mail backend did not accept the message")
    except Exception as error:  # whatever went wrong, it is kept on the message and the rest still go
        _close(backend)
        return SendReport(gave_up=1) if _record_failure(message, error) else SendReport(failed=1)
    # A resident's one-time code is kept no longer than it takes to send it.
    blank = {"body": ""} if message.holds_access_code else {}
    OutboxMessage.objects.filter(pk=message.pk, state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.SENT,
        sent_at=clock.now(),
        attempts=F("attempts") + 1,
        last_error="",
        provider_id=str(getattr(email, "provider_id", ""))[:100],
        **blank,
    )
    return SendReport(sent=1)


def send_due(limit: int = 100) -> SendReport:
    """Send up to `limit` messages that are due, over one mail connection; returns what happened."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a whole number of at least 1, not {limit!r}")
    claimed = _claim(limit)
    if not claimed:
        return SendReport()
    backend = get_connection()
    report = SendReport()
    try:
        try:
            backend.open()
        except Exception:  # the server is down: each message records that for itself below
            log.debug("Opening the mail connection failed", exc_info=True)
        for message in claimed:
            report += _send_one(message, backend)
    finally:
        _close(backend)
    return report


def send_all_due(batch: int = 100, most: int = 10_000, keep_going: Callable[[], bool] = lambda: True) -> SendReport:
    """Send batch after batch until nothing is due, `most` have been tried (so a sweep ends), or
    `keep_going` says to stop (the worker is stopping: what is left waits for the next one)."""
    report = SendReport()
    while report.claimed < most and keep_going():
        done = send_due(min(batch, most - report.claimed))
        report += done
        if done.claimed == 0:
            break
    return report

"""Email coming in: kept exactly as it came, joined to its complaint only when we are sure whose it is.

A message joins a complaint when it was sent to the complaint's own reply address, or answers (or
forwards) one of our messages by its Message-ID, and only when the sender is a party to that
complaint: the resident, their representative, or the landlord's own staff. Anything else, a
stranger quoting a reference in the subject included, waits in the intake queue for a person to
triage it. Bad mail (no sender, broken MIME, unknown charsets, oversized, HTML with scripts) is
recorded with what was wrong, never raised: a mailbox with one bad message must not stop the rest.

The From header is not proof of who sent a message. Where the landlord's mail server records that
the sender's domain failed DMARC, the message is not joined to anything.
"""

from __future__ import annotations

import codecs
import hashlib
import html as html_lib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy as email_policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses

import nh3
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from putright import clock
from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.correspondence import outbox
from putright.correspondence.models import InboundAttachment, InboundMessage, LetterStyle, MailThread, OutboxMessage
from putright.correspondence.notices import handler_or_officers
from putright.documents import filetypes
from putright.landlords.models import Landlord, StaffMember

MEGABYTE = 1024 * 1024
DEFAULT_MAX_BYTES = 25 * MEGABYTE
DEFAULT_ATTACHMENT_MAX_BYTES = 10 * MEGABYTE
TEXT_LIMIT = 200_000
HTML_SOURCE_LIMIT = 2 * MEGABYTE  # read no more HTML than this: what is kept is cut to TEXT_LIMIT
MAX_PARTS = 200
MAX_DEPTH = 10
MAX_IDS = 50

# Sent once a message is kept, in its transaction, so that apps above correspondence (a request for
# information waiting for its answer) can take a reply meant for them without correspondence importing them.
message_kept = Signal()

# Headers that say which address a message was delivered to: a Bcc copy names the mailbox only here.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLOCK = re.compile(r"<\s*/?\s*(?:br|p|div|li|tr|h[1-6]|blockquote|pre|table)\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def max_bytes() -> int:
    return int(getattr(settings, "INBOUND_MAX_BYTES", DEFAULT_MAX_BYTES))


def attachment_max_bytes() -> int:
    return int(getattr(settings, "INBOUND_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB"


# -- reading a message, without the database --------------------------------------------------


@dataclass
class Attachment:
    name: str
    content: bytes


@dataclass
class Parsed:
    """What a message says, decoded and cleaned: every string safe to store (no NUL, no surrogates)."""

    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    forwarded_ids: list[str] = field(default_factory=list)
    senders: list[tuple[str, str]] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    dmarc_failed: bool = False

    @property
    def from_name(self) -> str:
        return self.senders[0][0] if len(self.senders) == 1 else ""

    @property
    def from_address(self) -> str:
        return self.senders[0][1] if len(self.senders) == 1 else ""


def clean(text: str) -> str:
    """Text that any database keeps: bytes smuggled in as surrogates decoded, control characters gone."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub("", text)


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _decode(payload: bytes, charset: str | None, problems: list[str]) -> str:
    name = (charset or "us-ascii").strip().strip('"').lower()
    try:
        codecs.lookup(name)
    except LookupError:
        problems.append(f"Unknown character set {name[:40]!r}: read as UTF-8, unreadable characters replaced")
        name = "utf-8"
    try:
        text = payload.decode(name, "replace")
    except (UnicodeError, LookupError, TypeError):  # a codec that is not a text codec, such as "base64"
        problems.append(f"Character set {name[:40]!r} is not a text encoding: read as UTF-8")
        text = payload.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _header(message: Message, name: str, problems: list[str]) -> list[str]:
    """Every value of a header, decoded: encoded words in unknown charsets are read as UTF-8."""
    try:
        values = message.get_all(name) or []
    except Exception as error:  # the stdlib's header parser can fail on hostile input in many ways
        problems.append(f"The {name} header could not be read ({type(error).__name__})")
        return []
    decoded = []
    for value in values:
        try:
            if message.policy is email_policy.compat32 or not isinstance(value, str):
                decoded.append(_decode_words(str(value), problems))
            else:
                decoded.append(clean(str(value)))
        except Exception as error:
            problems.append(f"The {name} header could not be read ({type(error).__name__})")
    return decoded


def _decode_words(value: str, problems: list[str]) -> str:
    parts = []
    for chunk, charset in decode_header(value):
        if isinstance(chunk, bytes):
            parts.append(_decode(chunk, charset, problems))
        else:
            parts.append(chunk)
    return clean("".join(parts))


def _addresses(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, address) pairs with a usable address: one @, something either side, no spaces."""
    found = []
    for name, address in pairs:
        address = _one_line(address).strip("<>")
        local, at, domain = address.rpartition("@")
        if at and local and domain and " " not in address:
            found.append((_one_line(name)[:200], address[:254]))
    return found


def _address_header(message: Message, name: str, problems: list[str]) -> list[tuple[str, str]]:
    """The addresses in a header, by the modern parser where it can (it is the stricter), else the old."""
    if message.policy is not email_policy.compat32:
        try:
            return _addresses(
                (address.display_name, address.addr_spec)
                for header in message.get_all(name) or []
                for address in getattr(header, "addresses", ())
            )
        except Exception:  # a header the modern parser chokes on is read by the old one below
            problems.append(f"The {name} header is malformed: read leniently")
    return _addresses(getaddresses(_header(message, name, problems)))


def _ids(values: Iterable[str]) -> list[str]:
    return _MESSAGE_ID.findall(" ".join(values))


def html_to_text(html: str) -> str:
    """The words of an HTML body: its scripts and styles dropped with their content, one line per block."""
    marked = _BLOCK.sub("\n", html[:HTML_SOURCE_LIMIT])
    text = html_lib.unescape(nh3.clean(marked, tags=set()))
    lines = (line.strip() for line in text.replace("\r", "").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def sanitise_html(html: str) -> str:
    return nh3.clean(html[:HTML_SOURCE_LIMIT])


def _filename(part: Message, number: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    name = _one_line(_decode_words(name, []) if "=?" in name else name)
    name = name.replace("\\", "/").rpartition("/")[2].strip(". ")
    return name[:200] or f"attachment-{number}"


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _payload(part: Message, problems: list[str]) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception as error:
        problems.append(f"A part could not be decoded ({type(error).__name__})")
        return b""
    return payload if isinstance(payload, bytes) else b""


class _Reader:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.plain: list[str] = []
        self.html: list[str] = []
        self.parts = 0

    def walk(self, part: Message, depth: int = 0) -> None:
        problems = self.parsed.problems
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            if self.parts == MAX_PARTS + 1 or depth == MAX_DEPTH + 1:
                problems.append(f"Too many or too deeply nested parts: read the first {MAX_PARTS} only")
            return
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            self.forwarded(part, depth)
            return
        if part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, Message):
                    self.walk(sub, depth + 1)
            return
        if content_type.startswith("multipart/"):
            # Its boundaries are broken, so its parts cannot be told apart: show it all as text.
            self.plain.append(_decode(_payload(part, problems), "utf-8", problems))
            return
        disposition = _disposition(part)
        try:
            named = bool(part.get_param("filename", header="content-disposition") or part.get_param("name"))
        except Exception:
            named = True
        body = _payload(part, problems)
        if content_type in ("text/plain", "text/html") and disposition != "attachment" and not named:
            text = _decode(body, part.get_content_charset(), problems)
            (self.plain if content_type == "text/plain" else self.html).append(text)
            return
        self.parsed.attachments.append(Attachment(_filename(part, len(self.parsed.attachments) + 1), body))

    def forwarded(self, part: Message, depth: int) -> None:
        """A message forwarded as an attachment: kept whole, its text shown, its ids remembered."""
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            self.parsed.attachments.append(Attachment("forwarded-message.eml", _payload(part, self.parsed.problems)))
            return
        try:
            content = inner.as_bytes()
        except Exception:
            content = bytes(str(inner), "utf-8", "replace")
        self.parsed.attachments.append(Attachment("forwarded-message.eml", content))
        problems = self.parsed.problems
        self.parsed.forwarded_ids += _ids(_header(inner, "Message-ID", problems))
        self.parsed.forwarded_ids += _ids(_header(inner, "In-Reply-To", problems))
        inner_reader = _Reader(Parsed(problems=problems))
        inner_reader.parts = self.parts
        inner_reader.walk(inner, depth + 1)
        self.parts = inner_reader.parts
        sender = ", ".join(_header(inner, "From", problems))
        subject = " ".join(_header(inner, "Subject", problems))
        self.plain.append(
            f"---------- Forwarded message ----------\nFrom: {sender}\nSubject: {subject}\n\n{inner_reader.text()}"
        )

    def text(self) -> str:
        if self.plain:
            return "\n\n".join(t.strip("\n") for t in self.plain)
        return html_to_text("\n".join(self.html))


def _read_headers(message: Message, parsed: Parsed) -> None:
    problems = parsed.problems
    parsed.message_id = (_ids(_header(message, "Message-ID", problems)) or [""])[0]
    parsed.in_reply_to = _ids(_header(message, "In-Reply-To", problems))[:MAX_IDS]
    parsed.references = _ids(_header(message, "References", problems))[-MAX_IDS:]
    parsed.senders = _address_header(message, "From", problems)
    parsed.to = [a for name in ("To", "Cc") for _, a in _address_header(message, name, problems)]
    for name in RECIPIENT_HEADERS:
        parsed.recipients += [a for _, a in _address_header(message, name, problems)]
    parsed.subject = _one_line(" ".join(_header(message, "Subject", problems)))
    results = " ".join(_header(message, "Authentication-Results", problems)).lower()
    parsed.dmarc_failed = "dmarc=fail" in results


def _read(message: Message, parsed: Parsed) -> None:
    _read_headers(message, parsed)
    reader = _Reader(parsed)
    reader.walk(message)
    parsed.text = clean(reader.text())
    parsed.html = clean(sanitise_html("\n".join(reader.html))) if reader.html else ""
    defects = {type(d).__name__ for part in message.walk() for d in getattr(part, "defects", [])}
    if defects:
        parsed.problems.append("Malformed MIME: " + ", ".join(sorted(defects)))


def parse(raw: bytes) -> Parsed:
    """Read a message, leniently: the modern parser first, then the old one if that fails."""
    parsed = Parsed()
    if len(raw) > max_bytes():
        parsed.problems.append(
            f"The message is {_megabytes(len(raw))}, over the {_megabytes(max_bytes())} limit: "
            "only its headers were read, and it was not kept"
        )
        head = raw[: 256 * 1024]
        try:
            _read_headers(BytesParser(policy=email_policy.default).parsebytes(head, headersonly=True), parsed)
        except Exception as error:
            parsed.problems.append(f"Its headers could not be read ({type(error).__name__})")
        return parsed
    for chosen in (email_policy.default, email_policy.compat32):
        attempt = Parsed()
        try:
            _read(BytesParser(policy=chosen).parsebytes(raw), attempt)
        except Exception as error:
            parsed.problems.append(f"The message could not be read in full ({type(error).__name__}): read leniently")
            continue
        attempt.problems = parsed.problems + attempt.problems
        return attempt
    parsed.problems.append("The message could not be read at all: only the raw message is kept")
    return parsed


# -- where a message belongs ----------------------------------------------------------------------


COMPLAINT_PARTIES = ("complaint__landlord", "complaint__person", "complaint__representative", "complaint__handler")


@dataclass(frozen=True)
class Match:
    complaint: Complaint
    matched_by: str


def _split(address: str) -> tuple[str, str]:
    """(mailbox without any +tag, tag) of an address, lower case."""
    local, _, domain = address.lower().rpartition("@")
    base, _, tag = local.partition("+")
    return f"{base}@{domain}", tag


def mailbox_of(address: str) -> str:
    """The complaints mailbox an address is on: itself, without any +token, lower case."""
    return _split(address)[0]


def landlord_mailboxes() -> dict[str, list[Landlord]]:
    """Each complaints mailbox, lower case, with the landlords that use it."""
    styles = dict(LetterStyle.objects.exclude(email="").values_list("landlord_id", "email"))
    boxes: dict[str, list[Landlord]] = {}
    for landlord in Landlord.objects.order_by("pk"):
        box = (styles.get(landlord.pk) or settings.COMPLAINTS_MAILBOX).lower()
        boxes.setdefault(box, []).append(landlord)
    return boxes


def _by_reply_address(recipients: Sequence[str], boxes: dict[str, list[Landlord]]) -> Match | None:
    for address in recipients:
        box, token = _split(address)
        if not token or box not in boxes:
            continue
        thread = MailThread.objects.filter(token=token).select_related(*COMPLAINT_PARTIES).first()
        # The token must be on the mailbox of the complaint's own landlord, not just any mailbox here.
        if thread is not None and thread.complaint.landlord_id in {landlord.pk for landlord in boxes[box]}:
            return Match(thread.complaint, "reply-address")
    return None


def _by_message_ids(ids: Sequence[str], landlords: set[int], matched_by: str) -> Match | None:
    if not ids:
        return None
    sent = {
        m.message_id: m
        for m in OutboxMessage.objects.filter(message_id__in=ids, complaint__isnull=False).select_related(
            *COMPLAINT_PARTIES
        )
    }
    for message_id in ids:
        found = sent.get(message_id)
        if found is not None and found.complaint is not None and (not landlords or found.landlord_id in landlords):
            return Match(found.complaint, matched_by)
    return None


def find_complaint(parsed: Parsed, recipients: Sequence[str], boxes: dict[str, list[Landlord]]) -> Match | None:
    """The complaint a message is about, by where it was sent and what it answers; never by its subject."""
    match = _by_reply_address(recipients, boxes)
    if match is not None:
        return match
    landlords = {landlord.pk for address in recipients for landlord in boxes.get(_split(address)[0], [])}
    return (
        _by_message_ids(parsed.in_reply_to, landlords, "in-reply-to")
        or _by_message_ids(list(reversed(parsed.references)), landlords, "references")
        or _by_message_ids(parsed.forwarded_ids, landlords, "forwarded")
    )


def party(complaint: Complaint, address: str) -> tuple[str, User | None] | None:
    """Who the sender is to the complaint (the resident, their representative, or staff), or None."""
    address = address.lower()
    if not address:
        return None
    if complaint.person.email and complaint.person.email.lower() == address:
        return "the resident", None
    representative = complaint.representative
    if representative is not None and representative.email and representative.email.lower() == address:
        return "the resident's representative", None
    member = (
        StaffMember.objects.filter(landlord_id=complaint.landlord_id, user__is_active=True, user__email__iexact=address)
        .select_related("user")
        .first()
    )
    if member is not None:
        return "a member of staff", member.user
    return None


# -- keeping it --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    created: bool


def ingest(raw: bytes, *, received_at: datetime | None = None, recipients: Sequence[str] = ()) -> InboundMessage:
    """Keep a message and thread it into its complaint, or queue it for triage (see `receive`)."""
    return receive(raw, received_at=received_at, recipients=recipients).message


def receive(raw: bytes, *, received_at: datetime | None = None, recipients: Sequence[str] = ()) -> Received:
    """Keep a message once, with what was wrong with it, threaded or waiting for triage.

    `recipients` are the envelope's (RCPT TO) when the message came over SMTP. The same bytes
    received again, or the same Message-ID again from the same sender (a copy delivered to a second
    address), return the message already kept, with `created` False.
    """
    sha256 = hashlib.sha256(raw).hexdigest()
    existing = InboundMessage.objects.filter(raw_sha256=sha256).first()
    if existing is not None:
        return Received(existing, False)
    parsed = parse(raw)
    if parsed.message_id and parsed.from_address:
        copy = (
            InboundMessage.objects.filter(message_id=parsed.message_id[:300], from_address__iexact=parsed.from_address)
            .order_by("pk")
            .first()
        )
        if copy is not None:
            return Received(copy, False)
    saved: list[str] = []
    try:
        with transaction.atomic():
            message = _keep(raw, sha256, parsed, received_at or clock.now(), list(recipients), saved)
    except IntegrityError:
        _forget(saved)
        # Another fetcher kept the same message a moment ago.
        return Received(InboundMessage.objects.get(raw_sha256=sha256), False)
    except BaseException:
        _forget(saved)
        raise
    return Received(message, True)


def _forget(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _keep(
    raw: bytes, sha256: str, parsed: Parsed, received_at: datetime, envelope: list[str], saved: list[str]
) -> InboundMessage:
    boxes = landlord_mailboxes()
    recipients = [*envelope, *parsed.recipients]
    problems = parsed.problems
    match = find_complaint(parsed, recipients, boxes)
    landlord = match.complaint.landlord if match else _landlord(recipients, boxes, problems)
    if not parsed.senders:
        problems.append("No sender address")
    elif len(parsed.senders) > 1:
        problems.append("More than one sender address")
    who = party(match.complaint, parsed.from_address) if match else None
    threaded = match is not None and who is not None and not parsed.dmarc_failed and len(raw) <= max_bytes()
    if match is not None and not threaded:
        reason = (
            "the sender's domain failed DMARC"
            if parsed.dmarc_failed and who is not None
            else "the message was too large to keep"
            if who is not None
            else f"{parsed.from_address or 'the sender'} is not a party to it"
        )
        problems.append(
            f"It answers {match.complaint.reference} (by its {match.matched_by.replace('-', ' ')}), "
            f"but was not joined to it: {reason}"
        )
    if len(parsed.text) > TEXT_LIMIT or len(parsed.html) > TEXT_LIMIT:
        problems.append(f"The body was cut to {TEXT_LIMIT:,} characters")
    message = InboundMessage(
        landlord=landlord,
        complaint=match.complaint if threaded and match else None,
        message_id=parsed.message_id[:300],
        in_reply_to=" ".join(parsed.in_reply_to)[:300],
        references=" ".join(parsed.references)[:5_000],
        from_address=parsed.from_address[:254],
        from_name=parsed.from_name[:200],
        to_addresses=", ".join(parsed.to)[:2_000],
        subject=parsed.subject[:300],
        text=parsed.text[:TEXT_LIMIT],
        html=parsed.html[:TEXT_LIMIT],
        raw_sha256=sha256,
        matched_by=match.matched_by if threaded and match else "",
        received_at=received_at,
        state=InboundMessage.State.THREADED if threaded else InboundMessage.State.TO_TRIAGE,
    )
    if len(raw) <= max_bytes():
        message.raw.save("message.eml", ContentFile(raw), save=False)
        saved.append(message.raw.name)
    kept = _attachments(parsed, problems)
    message.problems = _problems(problems)
    message.save()
    for name, content_type, content in kept:
        attachment = InboundAttachment(
            message=message,
            name=name,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        # Stored with the extension its content shows; the name it came with is only shown.
        attachment.file.save(attachment.stored_as, ContentFile(content), save=False)
        saved.append(attachment.file.name)
        attachment.save()
    if threaded and match and who:
        _thread(message, match.complaint, who[0], who[1], len(kept))
    trusted = not parsed.dmarc_failed and len(raw) <= max_bytes()
    message_kept.send(sender=InboundMessage, message=message, recipients=recipients, trusted=trusted)
    return message


def _problems(problems: list[str]) -> str:
    unique = list(dict.fromkeys(problems))
    text = "\n".join(unique)
    return text if len(text) <= 2_000 else text[:1_990].rsplit("\n", 1)[0] + "\n(and more)"


def _landlord(recipients: Sequence[str], boxes: dict[str, list[Landlord]], problems: list[str]) -> Landlord | None:
    found: dict[int, Landlord] = {}
    for address in recipients:
        for landlord in boxes.get(_split(address)[0], []):
            found[landlord.pk] = landlord
    if len(found) == 1:
        return next(iter(found.values()))
    if len(found) > 1:
        problems.append("Sent to a mailbox several landlords share, without a complaint's reply address")
        return None
    everyone = [landlord for landlords in boxes.values() for landlord in landlords]
    if len(everyone) == 1:
        return everyone[0]  # Putright serves one landlord: whatever its mailbox holds is that landlord's
    problems.append("Not addressed to any landlord's complaints mailbox")
    return None


def _attachments(parsed: Parsed, problems: list[str]) -> list[tuple[str, str, bytes]]:
    limit = attachment_max_bytes()
    kept = []
    for attachment in parsed.attachments:
        size = len(attachment.content)
        if size > limit:
            problems.append(
                f"Attachment {attachment.name!r} is {_megabytes(size)}, over the {_megabytes(limit)} limit: "
                "not kept separately (it is in the raw message)"
            )
            continue
        if size == 0:
            problems.append(f"Attachment {attachment.name!r} is empty: not kept")
            continue
        sniffed = filetypes.content_type(SimpleUploadedFile(attachment.name, attachment.content))
        if sniffed == filetypes.MACRO_OFFICE:
            problems.append(
                f"Attachment {attachment.name!r} is an Office file with macros, which can harm a computer: "
                "not kept separately (it is in the raw message)"
            )
            continue
        kept.append((attachment.name, sniffed or "application/octet-stream", attachment.content))
    return kept


def _thread(message: InboundMessage, complaint: Complaint, who: str, staff_user: User | None, attachments: int) -> None:
    sender = f"{message.from_name} <{message.from_address}>" if message.from_name else message.from_address
    attached = f", with {attachments} attachment{'s' if attachments != 1 else ''}" if attachments else ""
    excerpt = " ".join(message.text.split())
    excerpt = excerpt if len(excerpt) <= 400 else excerpt[:400].rsplit(" ", 1)[0] + " …"
    Event.objects.create(
        complaint=complaint,
        at=message.received_at,
        actor=None,  # a From header is not a signed-in person
        kind="email-received",
        stage=complaint.stage,
        summary=(
            f"Email from {who}: {sender}, "
            f"“{message.subject or '(no subject)'}”{attached}." + (f" {excerpt}" if excerpt else "")
        )[:2_000],
        after={
            "inbound_message": message.pk,
            "from": message.from_address,
            "subject": message.subject,
            "matched_by": message.matched_by,
            "attachments": attachments,
        },
    )
    for user in handler_or_officers(complaint):
        if staff_user is not None and user.pk == staff_user.pk:
            continue  # the handler's own email, copied to the complaint
        outbox.queue(
            landlord=complaint.landlord,
            kind=OutboxMessage.Kind.RESIDENT_EMAIL,
            to_address=user.email,
            subject=f"{complaint.reference}: email from {who}",
            body=(
                f"{sender} ({who}) emailed about complaint {complaint.reference}.\n\n"
                f"Subject: {message.subject or '(no subject)'}\n\n"
                "It is on the complaint's timeline in the workspace, with any attachments.\n"
            ),
            complaint=complaint,
            to_user=user,
        )


# -- triage ----------------------------------------------------------------------------------------


@transaction.atomic
def triage(message: InboundMessage, actor: User, *, outcome: str, note: str = "") -> InboundMessage:
    """Record what an email in the intake queue is: a new complaint, a service request, or neither.

    Neither needs a note of why, so the decision can be checked later. Logging the complaint or
    the service request is the next step, on its own page; only caseworkers may triage.
    """
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.landlord_id is None or access.staff_of(actor, locked.landlord_id) is None:
        raise NotPermitted("You can only triage email sent to a landlord you work for.")
    staff = access.require_staff(actor, locked.landlord_id)
    access.require(staff, Capability.LOG)
    if locked.state != InboundMessage.State.TO_TRIAGE:
        raise TransitionNotAllowed(
            f"This email is {locked.get_state_display().lower()} already, so it cannot be triaged again."
        )
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if outcome not in InboundMessage.Outcome.values:
        errors["outcome"] = "Select what this email is"
    elif outcome == InboundMessage.Outcome.NEITHER and not note:
        errors["note"] = "Enter why this email is neither a complaint nor a service request"
    if len(note) > 2_000:
        errors["note"] = f"The note must be 2,000 characters or fewer (it is {len(note):,})"
    if errors:
        raise InvalidInput(errors)
    locked.state = InboundMessage.State.TRIAGED
    locked.outcome = outcome
    locked.outcome_note = note
    locked.triaged_by = actor
    locked.triaged_at = clock.now()
    locked.save(update_fields=["state", "outcome", "outcome_note", "triaged_by", "triaged_at"])
    return locked

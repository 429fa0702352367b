"""Building the evidence bundle: the complaint's whole record in one zip for the Ombudsman (5.12).

The zip holds, in this order: an index PDF (every file with its SHA-256, the complaint definitions
of each stage), the timeline as a PDF (every Event), the policy version in force, every letter's
PDF, every email in and out as an .eml with its attachments, and every document. Names are numbered
and made safe, so the files sort as the index lists them.

The worker runs `build` (putright.bundles.tasks); it counts the files done as it goes, so the case
page can show its progress. It reads everything afresh, so running it twice does no harm.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email import policy as email_policy
from email.message import EmailMessage as MimeMessage

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile

from putright import clock
from putright.complaints.actions.base import write_event
from putright.complaints.models import Complaint, Event, Stage
from putright.correspondence.models import InboundMessage, Letter, OutboxMessage
from putright.documents.models import Attachment
from putright.ombudsman.models import EvidenceBundle

BUILT = "ombudsman-bundle-built"  # its Event is left out of the fingerprint, or no build would be "nothing new"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Entry:
    name: str
    what: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def listed(self) -> dict[str, object]:
        return {"name": self.name, "what": self.what, "size": len(self.content), "sha256": self.sha256}


def safe_name(name: str, fallback: str = "file") -> str:
    """A file name that is safe in any zip tool: ASCII letters, digits, dots, dashes; no path."""
    name = unicodedata.normalize("NFKD", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    name = _UNSAFE.sub("-", name.encode("ascii", "ignore").decode()).strip(".-")
    return name[:80] or fallback


def _events(complaint: Complaint) -> QuerySet[Event]:
    return Event.objects.filter(complaint=complaint).select_related("actor").order_by("at", "id")


def _letters(complaint: Complaint) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(complaint=complaint)
        .select_related("complaint__person", "landlord")
        .order_by("issued_at", "id")
    )


def _outbox(complaint: Complaint) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(complaint=complaint)
        .select_related("landlord__letter_style", "letter")
        .order_by("created_at", "id")
    )


def _inbound(complaint: Complaint) -> QuerySet[InboundMessage]:
    return (
        InboundMessage.objects.filter(complaint=complaint).prefetch_related("attachments").order_by("received_at", "id")
    )


def _documents(complaint: Complaint) -> QuerySet[Attachment]:
    return Attachment.objects.filter(complaint=complaint).order_by("uploaded_at", "id")


def fingerprint(complaint: Complaint) -> str:
    """The hash of what a bundle of the complaint would hold: equal fingerprints, nothing new."""
    parts = {
        "events": list(_events(complaint).exclude(kind=BUILT).values_list("pk", flat=True)),
        "letters": list(_letters(complaint).values_list("pk", flat=True)),
        "outbox": list(_outbox(complaint).values_list("pk", "state")),
        "inbound": list(_inbound(complaint).values_list("pk", flat=True)),
        "documents": list(_documents(complaint).values_list("pk", flat=True)),
    }
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def count_files(complaint: Complaint) -> int:
    """How many files the bundle will hold: index, timeline, policy, and one per letter, email, document."""
    return (
        3
        + _letters(complaint).count()
        + _outbox(complaint).count()
        + _inbound(complaint).count()
        + _documents(complaint).count()
    )


def _read(field: FieldFile) -> bytes:
    with field.open("rb") as stored:
        content: bytes = stored.read()
    return content


def _letter_pdf(letter: Letter) -> bytes:
    # A letter not yet rendered is rendered here, as it would be, without waiting for the worker.
    from putright.correspondence import rendering

    if letter.rendering == Letter.Rendering.READY and letter.pdf:
        return _read(letter.pdf)
    return rendering.pdf_bytes(letter)


def _outgoing_eml(message: OutboxMessage, letter_pdfs: dict[int, tuple[str, bytes]]) -> bytes:
    from putright.correspondence.sending import sender

    mime = MimeMessage(policy=email_policy.SMTP)
    mime["From"] = sender(message.landlord)
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = (message.sent_at or message.created_at).strftime("%a, %d %b %Y %H:%M:%S +0000")
    if message.reply_to:
        mime["Reply-To"] = message.reply_to
    mime["X-Putright-State"] = message.get_state_display()
    mime.set_content(message.body)
    if message.letter_id in letter_pdfs:
        name, content = letter_pdfs[message.letter_id]
        mime.add_attachment(content, maintype="application", subtype="pdf", filename=name)
    return mime.as_bytes()


def _incoming_eml(message: InboundMessage) -> bytes:
    if message.raw:
        return _read(message.raw)  # the email exactly as it arrived, attachments and all
    mime = MimeMessage(policy=email_policy.SMTP)
    mime["From"] = message.from_address or "unknown@invalid"
    mime["To"] = message.to_addresses.replace("\n", ", ") or "unknown@invalid"
    mime["Subject"] = message.subject
    if message.message_id:
        mime["Message-ID"] = message.message_id
    mime["Date"] = message.received_at.strftime("%a, %d %b %Y %H:%M:%S +0000")
    mime.set_content(message.text or "")
    for attachment in message.attachments.all():
        maintype, _, subtype = attachment.content_type.partition("/")
        mime.add_attachment(
            _read(attachment.file),
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=safe_name(attachment.download_name),
        )
    return mime.as_bytes()


def _gather(bundle: EvidenceBundle, complaint: Complaint, done: Callable[[], None]) -> tuple[list[Entry], list[Event]]:
    """Every file but the index, counting each one done as it is made."""
    from putright.documents.pdf import render_pdf

    entries: list[Entry] = []

    def add(entry: Entry) -> None:
        entries.append(entry)
        done()

    events = list(_events(complaint))
    reference = complaint.reference
    add(
        Entry(
            "01-timeline.pdf",
            "The timeline: every event on the complaint",
            render_pdf(
                "ombudsman/bundle-timeline.pdf.html",
                {"complaint": complaint, "events": events, "bundle": bundle, "now": clock.now()},
            ),
        )
    )
    version = complaint.policy_version
    policy = {
        "name": version.name if version else "The Complaint Handling Code (no policy recorded)",
        "effective_from": version.effective_from.isoformat() if version else None,
        "settings": version.settings if version else {},
    }
    add(
        Entry(
            "02-policy-in-force.json",
            "The complaints policy in force when the complaint was received, as stored",
            json.dumps(policy, indent=2, ensure_ascii=False).encode(),
        )
    )
    letter_pdfs: dict[int, tuple[str, bytes]] = {}
    for number, letter in enumerate(_letters(complaint), start=1):
        name = f"03-letters/{number:03d}-{safe_name(letter.letter_type)}-{letter.issued_at:%Y-%m-%d}.pdf"
        content = _letter_pdf(letter)
        letter_pdfs[letter.pk] = (f"{reference}-{letter.letter_type}.pdf", content)
        add(Entry(name, f"Letter: {letter.subject} (issued {letter.issued_at:%-d %B %Y})", content))
    emails: list[tuple[datetime, Entry]] = []
    for message in _outbox(complaint):
        label = f"Email sent to {message.to_address}: {message.subject}"
        emails.append((message.created_at, Entry("", label, _outgoing_eml(message, letter_pdfs))))
        done()
    for inbound in _inbound(complaint):
        label = f"Email received from {inbound.from_address or 'an unknown sender'}: {inbound.subject}"
        emails.append((inbound.received_at, Entry("", label, _incoming_eml(inbound))))
        done()
    emails.sort(key=lambda pair: pair[0])
    for number, (at, entry) in enumerate(emails, start=1):
        direction = "out" if entry.what.startswith("Email sent") else "in"
        entry.name = f"04-emails/{number:03d}-{direction}-{at:%Y-%m-%d}.eml"
        entries.append(entry)
    for number, document in enumerate(_documents(complaint), start=1):
        name = f"05-documents/{number:03d}-{safe_name(document.download_name, 'document')}"
        what = f"Document: {document.name}" + (f" ({document.description})" if document.description else "")
        add(Entry(name, what, _read(document.file)))
    return entries, events


def build(bundle_id: int) -> str:
    """Build the bundle's zip and keep it with its SHA-256, size and manifest; "ready" or "failed"."""
    from putright.documents.pdf import render_pdf

    bundle = (
        EvidenceBundle.objects.select_related("case__complaint__policy_version", "case__complaint__landlord")
        .filter(pk=bundle_id)
        .first()
    )
    if bundle is None:
        return "gone"
    if bundle.state == EvidenceBundle.State.READY:
        return "already built"
    complaint = bundle.case.complaint
    total = count_files(complaint)
    EvidenceBundle.objects.filter(pk=bundle.pk).update(
        state=EvidenceBundle.State.BUILDING, files_total=total, files_done=0, error=""
    )
    counted = 0

    def done() -> None:
        nonlocal counted
        counted += 1
        EvidenceBundle.objects.filter(pk=bundle.pk).update(files_done=counted)

    try:
        made_from = fingerprint(complaint)
        entries, events = _gather(bundle, complaint, done)
        stages = list(Stage.objects.filter(complaint=complaint).prefetch_related("points").order_by("number"))
        index = Entry(
            "00-index.pdf",
            "This index",
            render_pdf(
                "ombudsman/bundle-index.pdf.html",
                {
                    "bundle": bundle,
                    "case": bundle.case,
                    "complaint": complaint,
                    "entries": [e.listed() for e in entries],
                    "stages": stages,
                    "events": len(events),
                    "now": clock.now(),
                },
            ),
        )
        done()
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for entry in [index, *entries]:
                    archive.writestr(entry.name, entry.content)
            spool.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: spool.read(1 << 20), b""):
                digest.update(chunk)
            size = spool.tell()
            spool.seek(0)
            bundle.file.save(bundle.filename, File(spool), save=False)
    except Exception as error:
        EvidenceBundle.objects.filter(pk=bundle.pk).update(state=EvidenceBundle.State.FAILED, error=str(error)[:2000])
        raise
    manifest = [index.listed(), *(e.listed() for e in entries)]
    keep(bundle, file=bundle.file.name, sha256=digest.hexdigest(), size=size, manifest=manifest, fingerprint=made_from)
    return "ready"


@transaction.atomic
def keep(
    bundle: EvidenceBundle, *, file: str, sha256: str, size: int, manifest: list[dict[str, object]], fingerprint: str
) -> EvidenceBundle:
    """Keep the built zip as the record of what can be sent, with an Event on the complaint."""
    bundle = EvidenceBundle.objects.select_for_update().select_related("case__complaint").get(pk=bundle.pk)
    bundle.file.name = file
    bundle.sha256, bundle.size, bundle.manifest, bundle.fingerprint = sha256, size, manifest, fingerprint
    bundle.state = EvidenceBundle.State.READY
    bundle.files_done = bundle.files_total = len(manifest)
    bundle.built_at = clock.now()
    bundle.save()
    complaint = bundle.case.complaint
    write_event(
        complaint,
        None,
        BUILT,
        f"Evidence bundle version {bundle.version} built: {len(manifest)} files, SHA-256 {sha256}.",
        stage=complaint.stage,
        after={"case": bundle.case_id, "bundle": bundle.pk, "version": bundle.version, "sha256": sha256},
    )
    return bundle

"""The copy of everything about a resident that a subject access request entitles them to (UK GDPR
Art. 15), as one zip: `index.html` lists every file with its date and what it is; then the
resident's details, each complaint (as JSON and as a readable page with its stages, decisions,
remedies and timeline), each letter's PDF, each email in and out as an .eml, each document and
attachment, their needs, adjustments, vulnerabilities and restrictions, and their survey answers.

What is left out, and why (docs/privacy.md says the same to landlords' staff):
- other residents' data: only this person's complaints, and emails threaded into them or sent
  from this person's own address, are read;
- safeguarding concerns: they often hold what third parties said, and disclosing them may put
  someone at risk (the Data Protection Act 2018 allows withholding both); an officer reviews them
  with the landlord's data protection officer and adds what can be given by hand;
- emails to staff (reminders, assignments, digests): the landlord's internal working, not
  correspondence with the resident; and the organisational learning recorded on a complaint.
Staff names are kept as they appear in letters and the timeline.

Everything is written into the zip as it is read, through a temporary file, so a resident with
many complaints does not have to fit in memory. The worker builds it (`putright.privacy.tasks`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email import policy as email_policy
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.template.loader import render_to_string
from django.utils import timezone

from putright import clock
from putright.access_log import AccessKind, record_access
from putright.bundles.build import safe_name
from putright.complaints.models import Complaint, Event, Stage
from putright.correspondence.models import ContactRecord, InboundMessage, Letter, OutboxMessage
from putright.documents.models import Attachment
from putright.people.models import ContactRestriction, Person, ReasonableAdjustment, Representative, Vulnerability
from putright.privacy.models import RightsRequest, SubjectAccessExport
from putright.privacy.records import DECIDED_FIELDS, decide, write_event
from putright.surveys.models import SurveyResponse


@dataclass(frozen=True)
class Item:
    """One file of the export as the index lists it."""

    path: str
    what: str
    on: str  # the date it is about, as an ISO date ("" when it has none)
    size: int

    def listed(self) -> dict[str, object]:
        return {"path": self.path, "what": self.what, "date": self.on, "size": self.size}


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def _who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _read(field: FieldFile) -> bytes:
    with field.open("rb") as stored:
        content: bytes = stored.read()
    return content


def _json(data: object) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()


# Linked from index.html and from each complaint's page; not listed in the index, as it holds no data.
STYLESHEET = "export.css"


class Writer:
    """Writes files into the zip as they are made, remembering each for the index."""

    def __init__(self, archive: zipfile.ZipFile, done: Callable[[], None] | None = None) -> None:
        self.archive = archive
        self.items: list[Item] = []
        self.done = done or (lambda: None)

    def add(self, path: str, what: str, on: date | datetime | None, content: bytes) -> None:
        self.archive.writestr(path, content)
        self.items.append(Item(path, what, _day(on), len(content)))
        self.done()


# -- the resident -------------------------------------------------------------------------------


def _person(person: Person) -> dict[str, Any]:
    return {
        "title": person.title,
        "name": person.name,
        "anonymous": person.anonymous,
        "email": person.email,
        "phone": person.phone,
        "address": person.address,
        "preferred_contact": person.get_preferred_contact_display() if person.preferred_contact else "",
        "tenancy_reference": person.tenancy_reference,
        "on_record_since": _day(person.created_at),
    }


def _representatives(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "name": r.name,
            "email": r.email,
            "phone": r.phone,
            "relationship": r.get_relationship_display(),
            "authority": r.get_authority_display(),
            "authority_given_on": _day(r.authority_given_on),
            "authority_expires_on": _day(r.authority_expires_on),
            "ended_on": _day(r.ended_on),
        }
        for r in Representative.objects.filter(acts_for=person).order_by("pk")
    ]


def _needs(person: Person) -> dict[str, Any]:
    vulnerabilities = Vulnerability.objects.filter(person=person).order_by("disclosed_on", "pk")
    adjustments = ReasonableAdjustment.objects.filter(person=person).order_by("agreed_on", "pk")
    return {
        "vulnerabilities": [
            {
                "description": v.description,
                "disclosed_on": _day(v.disclosed_on),
                "consent_from": v.get_consent_from_display() if v.consent_from else "",
                "consent_how": v.get_consent_how_display() if v.consent_how else "",
                "review_on": _day(v.review_on),
                "ended_on": _day(v.ended_on),
                "end_reason": v.get_end_reason_display() if v.end_reason else "",
            }
            for v in vulnerabilities
        ],
        "reasonable_adjustments": [
            {
                "adjustment": a.get_kind_display(),
                "detail": a.detail,
                "agreed_on": _day(a.agreed_on),
                "review_on": _day(a.review_on),
                "ended_on": _day(a.ended_on),
                "end_reason": a.get_end_reason_display() if a.end_reason else "",
            }
            for a in adjustments
        ],
    }


def _contact_restrictions(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "state": r.get_state_display(),
            "raised_on_complaint": r.raised_on,
            "behaviour": r.behaviour,
            "evidence": r.evidence,
            "terms": r.terms,
            "review_on": _day(r.review_on),
            "decided_on": _day(r.decided_on),
            "decision_reasons": r.decision_reasons,
            "ended_on": _day(r.ended_on),
            "end_reason": r.end_reason,
            "reviews": [
                {"reviewed_on": _day(review.reviewed_on), "outcome": review.outcome, "notes": review.notes}
                for review in r.reviews.all()
            ],
        }
        for r in ContactRestriction.objects.filter(person=person).prefetch_related("reviews").order_by("pk")
    ]


def _rights_requests(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "request": r.get_kind_display(),
            "received_on": _day(r.received_on),
            "due_on": _day(r.due_on),
            "extended_on": _day(r.extended_on),
            "extension_reason": r.extension_reason,
            "state": r.get_state_display(),
            "decision": r.decision,
            "processing_restricted_from": _day(r.restricted_from),
            "processing_restricted_until": _day(r.restricted_until),
        }
        for r in RightsRequest.objects.filter(person=person).order_by("received_on", "pk")
    ]


# -- a complaint ----------------------------------------------------------------------------------


def _stages(complaint: Complaint) -> list[Stage]:
    return list(
        Stage.objects.filter(complaint=complaint)
        .select_related("handler")
        .prefetch_related("points", "extensions", "remedies")
        .order_by("number")
    )


def _complaint_data(
    complaint: Complaint, stages: list[Stage], events: list[Event], contacts: list[ContactRecord]
) -> dict[str, Any]:
    return {
        "reference": complaint.reference,
        "received_on": _day(complaint.received_on),
        "how_it_was_made": complaint.get_channel_display(),
        "service_area": complaint.get_service_area_display() if complaint.service_area else "",
        "issue_date": _day(complaint.issue_date),
        "your_words": complaint.description,
        "outcome_sought": complaint.outcome_sought,
        "status": complaint.get_status_display(),
        "stage": complaint.stage,
        "priority": complaint.get_priority_display(),
        "risk_factors": complaint.risk_factor_labels,
        "priority_reason": complaint.priority_reason,
        "not_accepted_or_refused": {
            "ground": complaint.refusal_ground,
            "explanation": complaint.refusal_explanation,
            "on": _day(complaint.refused_on),
        },
        "withdrawn_on": _day(complaint.withdrawn_on),
        "closed_on": _day(complaint.closed_on),
        "referred_to_the_ombudsman_on": _day(complaint.ombudsman_referred_on),
        "stages": [
            {
                "number": stage.number,
                "opened_on": _day(stage.opened_on),
                "handled_by": _who(stage.handler),
                "escalation_reason": stage.escalation_reason,
                "acknowledged_on": _day(stage.acknowledged_on),
                "our_understanding": stage.understanding,
                "outcomes_sought": stage.outcomes_sought,
                "responsible_for": stage.responsible_for,
                "not_responsible_for": stage.not_responsible_for,
                "response_due": _day(stage.response_due),
                "responded_on": _day(stage.responded_on),
                "decision": stage.get_decision_display() if stage.decision else "",
                "response_summary": stage.response_summary,
                "points": [
                    {
                        "number": point.number,
                        "point": point.text,
                        "decision": point.get_decision_display() if point.decision else "",
                        "reasons": point.reasons,
                    }
                    for point in stage.points.all()
                ],
                "extensions": [
                    {
                        "days": e.days,
                        "reason": e.reason,
                        "new_due": _day(e.new_due),
                        "told_on": _day(e.resident_told_on),
                    }
                    for e in stage.extensions.all()
                ],
                "remedies": [
                    {
                        "remedy": remedy.get_kind_display(),
                        "description": remedy.description,
                        "total": str(remedy.total),
                        "state": remedy.get_state_display(),
                        "due_on": _day(remedy.due_on),
                        "delivered_on": _day(remedy.delivered_on),
                    }
                    for remedy in stage.remedies.all()
                ],
            }
            for stage in stages
        ],
        "contacts": [
            {
                "when": c.happened_at.isoformat(),
                "how": c.get_kind_display(),
                "with": c.with_name,
                "staff": _who(c.staff),
                "summary": c.summary,
            }
            for c in contacts
        ],
        "timeline": [{"when": e.at.isoformat(), "by": _who(e.actor), "what": e.summary} for e in events],
    }


def _letter_pdf(letter: Letter) -> bytes:
    from putright.correspondence import rendering  # loads WeasyPrint: only the worker builds exports

    if letter.rendering == Letter.Rendering.READY and letter.pdf:
        return _read(letter.pdf)
    return rendering.pdf_bytes(letter)


def _date_header(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.get_fixed_timezone(0)))


def outgoing_eml(message: OutboxMessage, sender: str) -> bytes:
    """An email sent to the resident (or someone acting for them), rebuilt from its stored row."""
    mime = MimeMessage(policy=email_policy.SMTP)
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Subject"] = message.subject
    mime["Message-ID"] = message.message_id
    mime["Date"] = _date_header(message.sent_at or message.created_at)
    mime.set_content(message.body)
    return mime.as_bytes()


def incoming_eml(message: InboundMessage) -> bytes:
    """An email received, rebuilt from its stored row with its attachments."""
    mime = MimeMessage(policy=email_policy.SMTP)
    mime["From"] = message.from_address or "unknown@invalid"
    mime["To"] = ", ".join(a for a in message.to_addresses.split() if a) or "unknown@invalid"
    mime["Subject"] = message.subject
    if message.message_id:
        mime["Message-ID"] = message.message_id
    mime["Date"] = _date_header(message.received_at)
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


def _sender(landlord: Any) -> str:
    from putright.correspondence.sending import sender

    return str(sender(landlord))


def _complaint(writer: Writer, complaint: Complaint, sender: str) -> None:
    folder = f"complaints/{safe_name(complaint.reference, 'complaint')}"
    stages = _stages(complaint)
    events = list(Event.objects.filter(complaint=complaint).select_related("actor").order_by("at", "id"))
    contacts = list(ContactRecord.objects.filter(complaint=complaint).select_related("staff").order_by("happened_at"))
    data = _complaint_data(complaint, stages, events, contacts)
    writer.add(
        f"{folder}/complaint.json", f"Complaint {complaint.reference}: the record", complaint.received_on, _json(data)
    )
    page = render_to_string("privacy/export/complaint.html", {"complaint": data})
    writer.add(
        f"{folder}/complaint.html",
        f"Complaint {complaint.reference}: the record to read",
        complaint.received_on,
        page.encode(),
    )
    letters = Letter.objects.filter(complaint=complaint).select_related("complaint__person", "landlord")
    for number, letter in enumerate(letters.order_by("issued_at", "id"), start=1):
        writer.add(
            f"{folder}/letters/{number:03d}-{safe_name(letter.letter_type)}-{letter.issued_at:%Y-%m-%d}.pdf",
            f"Letter: {letter.subject}",
            letter.issued_at,
            _letter_pdf(letter),
        )
    # Emails to the resident and those acting for them; those to staff are the landlord's internal working.
    sent = OutboxMessage.objects.filter(complaint=complaint, to_user__isnull=True).order_by("created_at", "id")
    for number, message in enumerate(sent, start=1):
        writer.add(
            f"{folder}/emails/{number:03d}-out-{message.created_at:%Y-%m-%d}.eml",
            f"Email sent to {message.to_address}: {message.subject}",
            message.created_at,
            outgoing_eml(message, sender),
        )
    received = InboundMessage.objects.filter(complaint=complaint).prefetch_related("attachments")
    for number, inbound in enumerate(received.order_by("received_at", "id"), start=1):
        writer.add(
            f"{folder}/emails/{number:03d}-in-{inbound.received_at:%Y-%m-%d}.eml",
            f"Email received from {inbound.from_address or 'an unknown sender'}: {inbound.subject}",
            inbound.received_at,
            incoming_eml(inbound),
        )
    documents = Attachment.objects.filter(complaint=complaint).order_by("uploaded_at", "id")
    for number, document in enumerate(documents, start=1):
        what = f"Document: {document.name}" + (f" ({document.description})" if document.description else "")
        writer.add(
            f"{folder}/documents/{number:03d}-{safe_name(document.download_name, 'document')}",
            what,
            document.uploaded_at,
            _read(document.file),
        )


def _loose_emails(person: Person) -> Iterable[InboundMessage]:
    """Emails from the resident's own address that were never joined to a complaint, unless another
    resident shares the address (a household's one address): those could be theirs, not this person's."""
    if not person.email.strip():
        return []
    if (
        Person.objects.filter(landlord_id=person.landlord_id, email__iexact=person.email.strip())
        .exclude(pk=person.pk)
        .exists()
    ):
        return []
    return (
        InboundMessage.objects.filter(landlord_id=person.landlord_id, complaint__isnull=True)
        .filter(from_address__iexact=person.email.strip())
        .prefetch_related("attachments")
        .order_by("received_at", "id")
    )


def write_export(person: Person, target: IO[bytes], done: Callable[[], None] | None = None) -> list[Item]:
    """Write the zip of everything about `person` into `target`; the files it holds, index last."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = Writer(archive, done)
        writer.add("you/details.json", "Your details as we hold them", person.created_at, _json(_person(person)))
        writer.add("you/representatives.json", "People who act or acted for you", None, _json(_representatives(person)))
        writer.add(
            "you/needs.json", "Your needs, reasonable adjustments and vulnerabilities", None, _json(_needs(person))
        )
        writer.add(
            "you/contact-restrictions.json",
            "Restrictions on how you may contact us",
            None,
            _json(_contact_restrictions(person)),
        )
        writer.add(
            "you/data-protection-requests.json",
            "Your requests to see, erase or restrict the use of your data, including restrictions",
            None,
            _json(_rights_requests(person)),
        )
        complaints = list(Complaint.objects.filter(person=person).order_by("received_on", "id"))
        sender = _sender(person.landlord) if complaints else ""
        for complaint in complaints:
            _complaint(writer, complaint, sender)
        for number, inbound in enumerate(_loose_emails(person), start=1):
            writer.add(
                f"emails/{number:03d}-in-{inbound.received_at:%Y-%m-%d}.eml",
                f"Email received from you: {inbound.subject}",
                inbound.received_at,
                incoming_eml(inbound),
            )
        answers = SurveyResponse.objects.filter(complaint__person=person).select_related("complaint")
        writer.add(
            "you/survey-answers.json",
            "Your answers to our satisfaction surveys",
            None,
            _json(
                [
                    {
                        "complaint": a.complaint.reference,
                        "answered_on": _day(a.answered_on),
                        "satisfaction": a.get_satisfaction_display(),
                        "knew_how_to_complain": a.knew_how_to_complain,
                        "kept_informed": a.get_kept_informed_display(),
                        "comment": a.comment,
                    }
                    for a in answers.order_by("answered_on", "pk")
                ]
            ),
        )
        index = render_to_string(
            "privacy/export/index.html",
            {
                "person": _person(person),
                "landlord": person.landlord.name,
                "items": writer.items,
                "made_on": clock.today(),
            },
        )
        writer.add("index.html", "This index: every file in this copy", clock.today(), index.encode())
        # The pages' look, in a file of its own beside the index (no inline style, as on every page we make).
        archive.writestr(STYLESHEET, render_to_string("privacy/export/export.css").encode())
    return writer.items


def build_subject_access_export(person: Person) -> bytes:
    """The zip of everything about `person` (Art. 15), built through a temporary file."""
    with tempfile.TemporaryFile() as spool:
        write_export(person, spool)
        spool.seek(0)
        return spool.read()


def build(export_id: int) -> str:
    """Build the export's zip and keep it; "ready" or "failed" (the worker's task)."""
    export = SubjectAccessExport.objects.select_related("request__person__landlord").filter(pk=export_id).first()
    if export is None:
        return "gone"
    if export.state == SubjectAccessExport.State.READY:
        return "already built"
    SubjectAccessExport.objects.filter(pk=export.pk).update(state=SubjectAccessExport.State.BUILDING, error="")
    try:
        with tempfile.TemporaryFile() as spool:
            items = write_export(export.request.person, spool)
            size = spool.tell()
            spool.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: spool.read(1 << 20), b""):
                digest.update(chunk)
            spool.seek(0)
            export.file.save(export.filename, File(spool), save=False)
    except Exception as error:
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            state=SubjectAccessExport.State.FAILED, error=str(error)[:2000]
        )
        raise
    keep(export, file=export.file.name, sha256=digest.hexdigest(), size=size, manifest=[i.listed() for i in items])
    return "ready"


@transaction.atomic
def keep(export: SubjectAccessExport, *, file: str, sha256: str, size: int, manifest: list[Any]) -> None:
    """Keep the built copy; the first one built completes the request."""
    export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
    export.file.name = file
    export.sha256, export.size, export.manifest = sha256, size, manifest
    export.state, export.built_at = SubjectAccessExport.State.READY, clock.now()
    export.save()
    request = RightsRequest.objects.select_for_update().get(pk=export.request_id)
    write_event(
        request,
        None,
        "export-built",
        f"Copy of the resident's data (version {export.version}) built: {len(manifest)} files, SHA-256 {sha256}.",
        after={"export": export.pk, "sha256": sha256},
    )
    if request.is_open:
        decide(
            request,
            export.requested_by,
            RightsRequest.State.DONE,
            f"A copy of your personal data was prepared on {clock.today():%-d %B %Y} ({len(manifest)} files).",
        )
        request.save(update_fields=DECIDED_FIELDS)


def download(user: Any, rights: RightsRequest, export: SubjectAccessExport, path: str) -> FileResponse:
    """The built copy as a zip download, for the page and the API alike: the access log records who took it."""
    record_access(
        user,
        rights.landlord_id,
        AccessKind.SUBJECT_ACCESS,
        f"Subject access request {rights.pk}, version {export.version}",
        path,
        object_id=export.pk,
    )
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response

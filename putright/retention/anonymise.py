"""Anonymising a complaint, or everything about a person: what identifies them goes, what the
measures read stays.

Kept: the landlord, references, every date and status, stages with their dates, decisions and
extensions, channel, service area, tenure, priority, complexity, root cause, remedies' kinds,
amounts, states and dates, the Ombudsman's findings and dates, and one row for every letter, email,
document, contact and event, so that every count stays true. Removed: the resident's and their
representative's details, every piece of free text written by or about them (replaced by
`marker(day)`, so that a field that was filled in stays filled in and a measure that counts filled-in
fields counts the same), letters' bodies and PDFs, emails' addresses, subjects and bodies, and every
stored file. The list, with why, is in docs/privacy.md ("Retention and anonymisation").

The person themselves is anonymised only once none of their records is still kept: a Person row is
shared by all their complaints and service requests.

Both public functions run in one transaction: on failure nothing changes. Stored files are deleted
only once it commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile

from putright import clock
from putright.complaints.actions.base import lock_complaint, save_complaint, write_event
from putright.complaints.models import (
    ActionUpdate,
    AdjustmentTask,
    Complaint,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Remedy,
    ServiceRequest,
    Stage,
    Status,
)
from putright.correspondence.models import (
    ContactRecord,
    InboundAttachment,
    InboundMessage,
    Letter,
    OutboxMessage,
)
from putright.documents.models import Attachment
from putright.ombudsman.models import (
    CaseStage,
    Determination,
    EvidenceBundle,
    EvidenceRequest,
    OmbudsmanCase,
    Order,
    OrderUpdate,
)
from putright.people.models import (
    ContactRestriction,
    Person,
    ReasonableAdjustment,
    Representative,
    RestrictionReview,
    SafeguardingConcern,
    Vulnerability,
)
from putright.retention.errors import AnonymisationRefused
from putright.retention.models import ComplaintRetention, RetentionState
from putright.retention.schedule import years_before
from putright.surveys.models import SurveyInvitation, SurveyResponse

# The statuses of a complaint that has ended, and the field holding the day it ended.
ENDED = {Status.CLOSED: "closed_on", Status.WITHDRAWN: "withdrawn_on", Status.NOT_ACCEPTED: "refused_on"}

ANONYMISED_NAME = "Name removed under the retention schedule"


def marker(day: date) -> str:
    return f"[removed on {day:%-d %B %Y} under the retention schedule]"


@dataclass
class Anonymised:
    """What one call removed. `already` names the complaints that had been anonymised before."""

    complaints: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    texts: int = 0
    files: int = 0
    letters: int = 0
    emails: int = 0
    documents: int = 0
    representatives: int = 0
    person: bool = False

    def __add__(self, other: Anonymised) -> Anonymised:
        return Anonymised(
            self.complaints + other.complaints,
            self.already + other.already,
            self.texts + other.texts,
            self.files + other.files,
            self.letters + other.letters,
            self.emails + other.emails,
            self.documents + other.documents,
            self.representatives + other.representatives,
            self.person or other.person,
        )

    @property
    def anything(self) -> bool:
        return bool(self.complaints or self.person or self.representatives)


def closure_date(complaint: Complaint) -> date | None:
    """The day the complaint ended: closed, withdrawn or not accepted; None while it has not."""
    name = ENDED.get(Status(complaint.status)) if complaint.status in ENDED else None
    value = getattr(complaint, name) if name else None
    return value if isinstance(value, date) else None


def refusal(complaint: Complaint) -> str | None:
    """Why the complaint cannot be anonymised now, or None when it can."""
    if complaint.status not in ENDED:
        return (
            f"{complaint.reference} cannot be anonymised: it is still in progress "
            f"({complaint.get_status_display().lower()}). A complaint is anonymised only once it has ended."
        )
    if OmbudsmanCase.objects.filter(complaint=complaint).exclude(stage=CaseStage.CLOSED).exists():
        return (
            f"{complaint.reference} cannot be anonymised: the Housing Ombudsman has an open case on it. "
            "Its record is kept until the case is closed."
        )
    return None


# -- the pieces -----------------------------------------------------------------------------------


class _Run:
    """One anonymisation: the day's marker, what was replaced, and the files to delete on commit."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.marker = marker(day)
        self.summary = Anonymised()
        self.files: list[FieldFile] = []

    def replace(self, value: str) -> str:
        return self.marker if value.strip() else value

    def texts(self, rows: Iterable[models.Model], names: Iterable[str], **also: Any) -> int:
        """Replace each named text field that is filled in; set `also` as given. Returns the rows."""
        names = tuple(names)
        changed = []
        for row in rows:
            for name in names:
                value = getattr(row, name)
                if value.strip() and value != self.marker:
                    setattr(row, name, self.marker)
                    self.summary.texts += 1
            for name, value in also.items():
                setattr(row, name, value)
            changed.append(row)
        if changed:
            type(changed[0])._default_manager.bulk_update(changed, [*names, *also])
        return len(changed)

    def drop_file(self, stored: FieldFile) -> bool:
        if not stored:
            return False
        self.files.append(stored)
        self.summary.files += 1
        return True

    def delete_files_on_commit(self) -> None:
        files = [(stored.storage, stored.name) for stored in self.files if stored.name]

        def delete() -> None:
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(delete)


# Keys of an Event's before/after that hold statuses, dates, ids and choices: kept as they are.
SAFE_EVENT_KEYS = frozenset(
    {
        "status",
        "stage",
        "next_due",
        "next_due_kind",
        "handler",
        "late",
        "response_due",
        "decision",
        "state",
        "remedy",
        "on",
        "restriction",
        "review_on",
        "task",
        "adjustments",
        "case",
        "reference",
        "referred_on",
        "due_on",
        "sent_on",
        "content_type",
        "size",
        "root_cause",
        "kind",
        "with_whom",
        "acknowledgement",
        "letter",
        "priority",
        "complexity",
        "channel",
        "service_area",
        "tenure",
        "refusal_ground",
        "version",
    }
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.+\-Z]+)?$")


def _scrub_json(value: Any, run: _Run, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _scrub_json(v, run, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, run, key) for v in value]
    if isinstance(value, str):
        if key in SAFE_EVENT_KEYS or ISO_DATE.match(value) or not value.strip():
            return value
        run.summary.texts += 1
        return run.marker
    return value


def _events(complaint: Complaint, run: _Run) -> None:
    events = list(Event.objects.filter(complaint=complaint).exclude(kind="anonymised"))
    for event in events:
        words = event.kind.replace("-", " ").capitalize()
        event.summary = f"{words}: details {run.marker[1:-1]}"
        event.before = _scrub_json(event.before, run)
        event.after = _scrub_json(event.after, run)
    Event.objects.bulk_update(events, ["summary", "before", "after"])


def _outbox(messages: models.QuerySet[OutboxMessage], run: _Run) -> None:
    # An email not yet sent never goes: its address and body are gone.
    messages.filter(state=OutboxMessage.State.PENDING).update(state=OutboxMessage.State.FAILED)
    run.summary.emails += run.texts(
        messages, ("subject", "body", "last_error"), to_address="", reply_to="", provider_id=""
    )


def _inbound(messages: list[InboundMessage], run: _Run) -> None:
    for message in messages:
        run.drop_file(message.raw)
    run.summary.emails += run.texts(
        messages,
        ("from_name", "subject", "text", "html", "problems", "outcome_note"),
        from_address="",
        to_addresses="",
        message_id="",
        in_reply_to="",
        references="",
        raw="",
    )
    attachments = list(InboundAttachment.objects.filter(message__in=messages))
    for attachment in attachments:
        run.drop_file(attachment.file)
    run.texts(attachments, ("name",), file="", size=0, sha256="")


def _correspondence(complaint: Complaint, run: _Run) -> None:
    letters = list(Letter.objects.filter(complaint=complaint))
    for letter in letters:
        run.drop_file(letter.pdf)
    run.summary.letters += run.texts(
        letters,
        ("subject", "addressee", "html"),
        data={},
        html_sha256="",
        pdf="",
        pdf_sha256="",
        rendering=Letter.Rendering.FAILED,
        render_error=run.marker,
    )
    _outbox(OutboxMessage.objects.filter(Q(complaint=complaint) | Q(letter__complaint=complaint)), run)
    _inbound(list(InboundMessage.objects.filter(complaint=complaint)), run)
    run.texts(ContactRecord.objects.filter(complaint=complaint), ("with_name", "summary"))
    # The portal's one-time codes hold the address they were sent to; nothing counts them.
    apps.get_model("portal", "AccessCode").objects.filter(complaint=complaint).delete()


def _documents(complaint: Complaint, run: _Run) -> None:
    # The rows stay (each is its event's, and the record of 5.12 counts them); the files go.
    attachments = list(Attachment.objects.filter(complaint=complaint))
    for attachment in attachments:
        run.drop_file(attachment.file)
    run.summary.documents += run.texts(attachments, ("name", "description"), file="", size=0)


def free_text(model: type[models.Model], *also: str) -> tuple[str, ...]:
    """Every TextField of the model, and `also`: free text is removed unless it is known to be safe, so a
    text field added later is removed too."""
    names = [f.name for f in model._meta.get_fields() if isinstance(f, models.TextField)]
    return (*names, *(name for name in also if name not in names))


def _stages(complaint: Complaint, run: _Run) -> None:
    run.texts(Stage.objects.filter(complaint=complaint), free_text(Stage))
    run.texts(DefinitionPoint.objects.filter(stage__complaint=complaint), free_text(DefinitionPoint))
    # A good reason stays given (the measures count extensions with one), only its words go.
    run.texts(Extension.objects.filter(stage__complaint=complaint), free_text(Extension))
    run.texts(Remedy.objects.filter(stage__complaint=complaint), free_text(Remedy))
    run.texts(AdjustmentTask.objects.filter(stage__complaint=complaint), free_text(AdjustmentTask, "what"))
    run.texts(OutstandingAction.objects.filter(complaint=complaint), free_text(OutstandingAction))
    run.texts(ActionUpdate.objects.filter(action__complaint=complaint), free_text(ActionUpdate))


def _ombudsman(complaint: Complaint, run: _Run) -> None:
    cases = OmbudsmanCase.objects.filter(complaint=complaint)
    run.texts(EvidenceRequest.objects.filter(case__in=cases), ("what", "response"))
    run.texts(Determination.objects.filter(case__in=cases), ("element",))
    run.texts(Order.objects.filter(case__in=cases), ("what", "compliance_evidence"))
    run.texts(OrderUpdate.objects.filter(order__case__in=cases), ("note",))
    bundles = list(EvidenceBundle.objects.filter(case__in=cases))
    for bundle in bundles:
        run.drop_file(bundle.file)
    run.texts(bundles, (), file="", manifest=[], state=EvidenceBundle.State.FAILED, error=run.marker)


def _surveys(complaint: Complaint, run: _Run) -> None:
    run.texts(SurveyInvitation.objects.filter(complaint=complaint), (), emailed_to="")
    run.texts(SurveyResponse.objects.filter(complaint=complaint), ("comment",))


def _representative(rep: Representative, run: _Run) -> None:
    run.texts([rep], ("name",), email="", phone="")
    run.summary.representatives += 1


def _mail_of(person: Person, run: _Run) -> None:
    """Email from or to the person that is on none of their complaints (triaged as a service request or
    as neither, a code sent to follow a complaint): found by their address, unless someone else whose
    record is still kept shares it (a household's one address)."""
    address = person.email.strip()
    if not address:
        return
    shared = Person.objects.filter(landlord_id=person.landlord_id, email__iexact=address).exclude(pk=person.pk)
    if shared.exclude(name=ANONYMISED_NAME).exists():
        return
    _inbound(
        list(
            InboundMessage.objects.filter(
                landlord_id=person.landlord_id, complaint__isnull=True, from_address__iexact=address
            )
        ),
        run,
    )
    _outbox(
        OutboxMessage.objects.filter(
            landlord_id=person.landlord_id, complaint__isnull=True, to_address__iexact=address
        ),
        run,
    )


def _person_details(person: Person, run: _Run) -> None:
    """The person's own record and everything held about them beside their complaints."""
    for rep in Representative.objects.filter(acts_for=person).exclude(name=run.marker):
        _representative(rep, run)
    run.texts(ServiceRequest.objects.filter(person=person), ("description",))
    run.texts(Vulnerability.objects.filter(person=person), ("description", "end_note"))
    run.texts(ReasonableAdjustment.objects.filter(person=person), ("detail", "end_note"))
    run.texts(SafeguardingConcern.objects.filter(person=person), ("seen", "referred_to", "outcome"))
    restrictions = ContactRestriction.objects.filter(person=person)
    run.texts(
        restrictions,
        (
            "behaviour",
            "evidence",
            "channels",
            "contact_point",
            "contact_times",
            "other_terms",
            "equality_considerations",
            "decision_reasons",
            "end_reason",
        ),
        evidence_documents=[],
    )
    run.texts(RestrictionReview.objects.filter(restriction__person=person), ("notes",))
    _mail_of(person, run)
    for name in ("title", "email", "phone", "address", "tenancy_reference"):
        if getattr(person, name).strip():
            run.summary.texts += 1
    if person.name.strip() and person.name != ANONYMISED_NAME:
        run.summary.texts += 1
    person.title = person.email = person.phone = person.address = person.tenancy_reference = ""
    person.name = ANONYMISED_NAME
    person.save(update_fields=["title", "name", "email", "phone", "address", "tenancy_reference"])
    run.summary.person = True


def _complaint(complaint: Complaint, run: _Run, by: User | None, reason: str) -> None:
    """Anonymise one locked, ended complaint that has not been anonymised yet."""
    _events(complaint, run)
    _correspondence(complaint, run)
    _documents(complaint, run)
    _stages(complaint, run)
    _ombudsman(complaint, run)
    _surveys(complaint, run)
    for name in free_text(Complaint, "withdrawal_how"):
        value = getattr(complaint, name)
        if value.strip() and value != run.marker:
            setattr(complaint, name, run.marker)
            run.summary.texts += 1
    save_complaint(complaint)
    retention, _ = ComplaintRetention.objects.select_for_update().get_or_create(
        complaint=complaint, defaults={"landlord_id": complaint.landlord_id}
    )
    retention.state = RetentionState.ANONYMISED
    retention.anonymised_on = run.day
    retention.anonymised_by = by
    retention.held_reason = run.replace(retention.held_reason)
    retention.version += 1
    retention.save()
    rep = complaint.representative
    if rep is not None and not _still_kept(Complaint.objects.filter(representative=rep).exclude(pk=complaint.pk)):
        _representative(rep, run)
    who = "the worker, under the retention schedule" if by is None else "a member of staff"
    write_event(
        complaint,
        by,
        "anonymised",
        f"Anonymised by {who} on {run.day:%-d %B %Y}: {reason.strip()[:500]}. "
        "Dates, statuses, decisions, remedies and counts are kept; personal details and free text removed.",
        after={"on": run.day.isoformat(), "state": RetentionState.ANONYMISED},
    )
    run.summary.complaints.append(complaint.reference)


def _still_kept(complaints: models.QuerySet[Complaint]) -> bool:
    return complaints.exclude(retention__state=RetentionState.ANONYMISED).exists()


def person_ready(person: Person, today: date, years: int) -> bool:
    """Whether nothing about the person is still kept: every complaint anonymised, and every service
    request ended more than `years` ago (service requests have no retention state of their own)."""
    if _still_kept(Complaint.objects.filter(person=person)):
        return False
    cutoff = years_before(today, years)
    requests = ServiceRequest.objects.filter(person=person)
    if requests.filter(status=ServiceRequest.State.OPEN).exists():
        return False
    ended_late = Q(completed_on__gt=cutoff) | Q(completed_on__isnull=True, received_on__gt=cutoff)
    return not requests.filter(ended_late).exists()


def _locked_ended(complaint: Complaint) -> tuple[Complaint, bool]:
    locked = lock_complaint(complaint, None)
    already = ComplaintRetention.objects.filter(complaint=locked, state=RetentionState.ANONYMISED).exists()
    if not already:
        problem = refusal(locked)
        if problem:
            raise AnonymisationRefused(problem)
    return locked, already


# -- the public contract --------------------------------------------------------------------------


def anonymise_complaint(
    complaint: Complaint, *, by: User | None, reason: str, person_if_done: int | None = None
) -> Anonymised:
    """Anonymise one ended complaint, keeping every measure true, and write its "anonymised" Event.

    Refused (AnonymisationRefused, nothing changed) while the complaint is in progress or the
    Ombudsman has an open case on it. A complaint anonymised before is left as it is and named in
    `already`, so a retried call changes nothing. `by` is the member of staff, or None for the
    worker. With `person_if_done` (the schedule's years), the person is anonymised too once none of
    their records is still kept.
    """
    run = _Run(clock.today())
    with transaction.atomic():
        locked, already = _locked_ended(complaint)
        if already:
            run.summary.already.append(locked.reference)
            return run.summary
        _complaint(locked, run, by, reason)
        if person_if_done is not None:
            person = Person.objects.select_for_update().get(pk=locked.person_id)
            if person.name != ANONYMISED_NAME and person_ready(person, run.day, person_if_done):
                _person_details(person, run)
        run.delete_files_on_commit()
    return run.summary


def anonymise_person(person: Person, *, by: User | None, reason: str) -> Anonymised:
    """Anonymise everything about a person: each of their complaints, their service requests,
    needs, safeguarding concerns, contact restrictions and representatives, then their own details.

    All or nothing: refused (AnonymisationRefused, nothing changed) while any of their complaints is
    in progress or has an open Ombudsman case, or a service request of theirs is open; the message
    names each one. Complaints anonymised before are named in `already`. A retried call changes
    nothing more.
    """
    run = _Run(clock.today())
    with transaction.atomic():
        locked_person = Person.objects.select_for_update().get(pk=person.pk)
        problems = []
        complaints = []
        for complaint in Complaint.objects.filter(person=locked_person).order_by("received_on", "pk"):
            locked = lock_complaint(complaint, None)
            done = ComplaintRetention.objects.filter(complaint=locked, state=RetentionState.ANONYMISED).exists()
            problem = None if done else refusal(locked)
            if problem:
                problems.append(problem)
            complaints.append((locked, done))
        open_requests = ServiceRequest.objects.filter(person=locked_person, status=ServiceRequest.State.OPEN)
        for reference in open_requests.values_list("reference", flat=True):
            problems.append(
                f"Service request {reference} is still open: it is kept until it is completed or cancelled."
            )
        if problems:
            raise AnonymisationRefused(" ".join(problems))
        for locked, done in complaints:
            if done:
                run.summary.already.append(locked.reference)
            else:
                _complaint(locked, run, by, reason)
        if locked_person.name != ANONYMISED_NAME or run.summary.complaints:
            _person_details(locked_person, run)
        run.delete_files_on_commit()
    person.refresh_from_db()
    return run.summary

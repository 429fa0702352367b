"""Contacts on the record (5.12): the row kept for each `contact-recorded` Event, and what the
acknowledgement letter says when the complaint was first acknowledged by phone or in person."""

from __future__ import annotations

from django.utils import timezone

from putright import clock
from putright.complaints.models import Complaint, Stage
from putright.complaints.reactions import Happened
from putright.correspondence.models import ContactRecord
from putright.rules.contacts import first_acknowledged


def keep(happened: Happened) -> None:
    """Keep the contact that `record_contact` checked and put on the timeline, in its transaction."""
    event, detail = happened.event, happened.detail
    recorder = happened.actor
    assert recorder is not None, "record_contact always has an actor"
    contact = ContactRecord.objects.create(
        complaint=happened.complaint,
        stage_number=happened.stage.number,
        kind=event.after["kind"],
        happened_at=detail["happened_at"],
        staff=detail["staff"],
        with_whom=event.after["with_whom"],
        with_name=event.after["with_name"],
        summary=detail["summary"],
        acknowledgement=event.after["acknowledgement"],
        event=event,
        recorded_by=recorder,
        recorded_at=clock.now(),
    )
    if detail["attachments"]:
        contact.attachments.set(detail["attachments"])


def first_acknowledgement(complaint: Complaint, stage: Stage) -> str:
    """ "We first acknowledged your complaint by phone on 8 December 2026." when a contact before the
    written acknowledgement was marked as the acknowledgement of this stage; "" otherwise (one query)."""
    contact = (
        ContactRecord.objects.filter(complaint=complaint, stage_number=stage.number, acknowledgement=True)
        .only("kind", "happened_at")
        .order_by("happened_at", "id")
        .first()
    )
    if contact is None:
        return ""
    return first_acknowledged(contact.kind, timezone.localdate(contact.happened_at))

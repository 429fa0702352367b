"""Documents added to a complaint's record by staff (5.12)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from putright.complaints import access
from putright.complaints.access import Capability
from putright.complaints.actions.base import clean_text, lock_complaint, raise_invalid, save_complaint, write_event
from putright.complaints.models import Complaint, Event
from putright.documents.limits import ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, MAX_MEGABYTES, macro_problem


@transaction.atomic
def attach_file(
    complaint: Complaint,
    actor: User,
    *,
    name: str,
    content_type: str,
    size: int,
    description: str = "",
    expected_version: int | None = None,
) -> Event:
    """Record that a document was added to the complaint's record (5.12: supporting documents).

    The caller reads the file's type from its content and stores the file itself in the same
    transaction; this checks who may add one and what it may be, and writes the Event.
    """
    staff = access.require_staff(actor, complaint.landlord_id)
    complaint = lock_complaint(complaint, expected_version)
    access.require(staff, Capability.LOG, complaint)
    errors: dict[str, str] = {}
    name = clean_text(errors, "name", name, limit=200)
    description = clean_text(errors, "description", description, required=False, limit=500)
    if size <= 0:
        errors["file"] = "The selected file is empty"
    elif size > ATTACHMENT_MAX_BYTES:
        errors["file"] = f"The selected file must be smaller than {MAX_MEGABYTES} MB"
    elif content_type not in ATTACHMENT_TYPES:
        errors["file"] = (
            macro_problem("The selected file", content_type)
            or "The selected file must be a PDF, JPEG, PNG, Word document or plain text file"
        )
    raise_invalid(errors)
    save_complaint(complaint)
    kilobytes = max(1, round(size / 1024))
    return write_event(
        complaint,
        actor,
        "attachment-added",
        f"Document added: {name} ({ATTACHMENT_TYPES[content_type]}, {kilobytes:,} KB)"
        + (f": {description}" if description else "."),
        stage=complaint.stage,
        after={"name": name, "content_type": content_type, "size": size},
    )

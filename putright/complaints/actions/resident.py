"""The resident's own actions, through the portal.

The resident is the actor: no staff user, so Event.actor is None and the summary says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from putright.complaints.actions.base import (
    clean_text,
    lock_complaint,
    lock_stages,
    raise_invalid,
    refresh_deadline,
    require_status,
    save_complaint,
    snapshot,
    write_event,
)
from putright.complaints.actions.endings import open_stage2
from putright.complaints.actions.intake import AdjustmentInput, RepresentativeDetails, ResidentDetails, record_complaint
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, Channel, Complaint, Event, Status
from putright.documents.limits import RESIDENT_ATTACHMENT_TYPES, RESIDENT_MAX_FILES, ResidentFile, resident_file_problem
from putright.documents.models import Attachment
from putright.landlords.models import Landlord


@transaction.atomic
def resident_log_complaint(
    landlord: Landlord,
    *,
    resident: ResidentDetails,
    received_on: date,
    description: str,
    outcome_sought: str = "",
    service_area: str = "",
    issue_date: date | None = None,
    representative: RepresentativeDetails | None = None,
    adjustments: Sequence[AdjustmentInput] = (),
) -> Complaint:
    """A complaint the resident (or someone acting for them) made online; its clock starts today (6.2).

    The help they asked for is recorded on the person as reasonable adjustments (5.10). A complaint
    about an issue outside the acceptance window is still logged, for staff to consider (2.3).
    """
    return record_complaint(
        landlord,
        None,
        resident=resident,
        channel=Channel.REPRESENTATIVE if representative else Channel.ONLINE,
        received_on=received_on,
        description=description,
        outcome_sought=outcome_sought,
        service_area=service_area,
        issue_date=issue_date,
        representative=representative,
        adjustments=adjustments,
    )


@dataclass(frozen=True)
class ResidentEscalation:
    complaint: Complaint
    opened: bool  # False: the request came after the policy's window and waits for staff to decide


@transaction.atomic
def resident_escalate(
    complaint: Complaint, *, requested_on: date, why: str = "", expected_version: int | None = None
) -> ResidentEscalation:
    """The resident asks for stage 2 (6.10, 6.11); no reason is needed, an optional one is kept (6.12).

    Inside the policy's escalation window stage 2 opens at once. After it the request is never
    refused here: it is recorded for staff to accept with discretion or refuse under section 2 (5.11).
    """
    complaint = lock_complaint(complaint, expected_version)
    stage1 = lock_stages(complaint)[1]
    escalable = complaint.status == Status.STAGE1_RESPONDED or (
        complaint.status == Status.CLOSED and complaint.stage == 1 and not complaint.escalation_refused
    )
    if not escalable:
        raise TransitionNotAllowed(
            "You can ask for stage 2 once we have sent our stage 1 response, and only once for each complaint."
        )
    errors: dict[str, str] = {}
    why = clean_text(errors, "why", why, required=False, limit=5_000)
    raise_invalid(errors)
    if stage1.escalate_by is None or requested_on <= stage1.escalate_by:
        return ResidentEscalation(
            open_stage2(complaint, None, requested_on=requested_on, reason=why, discretion=""), opened=True
        )
    save_complaint(complaint)
    write_event(
        complaint,
        None,
        "escalation-requested",
        f"The resident asked on {requested_on:%-d %B %Y} to escalate to stage 2, after the policy's deadline of "
        f"{stage1.escalate_by:%-d %B %Y}: staff must accept it with discretion or refuse it under section 2 "
        "(5.11)." + (f" Reason given: {why}" if why else " No reason needed (6.12)."),
        stage=1,
    )
    return ResidentEscalation(complaint, opened=False)


@transaction.atomic
def resident_withdraw(
    complaint: Complaint, *, on: date, why: str = "", expected_version: int | None = None
) -> Complaint:
    """The resident withdraws their complaint themselves, online."""
    complaint = lock_complaint(complaint, expected_version)
    require_status(complaint, ACTIVE_STATUSES, "withdraw it")
    errors: dict[str, str] = {}
    why = clean_text(errors, "why", why, required=False, limit=2_000)
    raise_invalid(errors)
    how = "Online, through the resident portal" + (f": {why}" if why else "")
    before = snapshot(complaint)
    complaint.status, complaint.withdrawn_on, complaint.withdrawal_how = Status.WITHDRAWN, on, how[:300]
    refresh_deadline(complaint, None)
    save_complaint(complaint)
    write_event(
        complaint,
        None,
        "withdrawn",
        f"Withdrawn by the resident on {on:%-d %B %Y}, online." + (f" Reason given: {why}" if why else ""),
        stage=complaint.stage,
        before=before,
        after=snapshot(complaint),
    )
    return complaint


@transaction.atomic
def resident_add_information(complaint: Complaint, *, information: str, on: date) -> Event:
    """More information from the resident joins the complaint's record (5.12); the handler is told
    by the caller, which records the notice to send."""
    complaint = lock_complaint(complaint, None)
    require_status(complaint, ACTIVE_STATUSES, "add information to it")
    errors: dict[str, str] = {}
    information = clean_text(errors, "information", information, limit=5_000)
    raise_invalid(errors)
    save_complaint(complaint)
    return write_event(
        complaint,
        None,
        "information-added",
        f"Information added by the resident on {on:%-d %B %Y}: {information}",
        stage=complaint.stage,
        after={"information": information},
    )


@transaction.atomic
def resident_attach_files(complaint: Complaint, files: Sequence[ResidentFile], *, on: date) -> list[Attachment]:
    """Photos and documents from the resident join the complaint's record (5.12), one Event each.

    A file stored while the complaint was being made is handed to its Attachment as it is; an
    upload is stored now. Every file must be acceptable, or none is kept.
    """
    complaint = lock_complaint(complaint, None)
    require_status(complaint, ACTIVE_STATUSES, "add documents to it")
    errors: dict[str, str] = {}
    if not files:
        errors["documents"] = "Select a file"
    elif len(files) > RESIDENT_MAX_FILES:
        errors["documents"] = f"You can add up to {RESIDENT_MAX_FILES} files at a time"
    problems = [
        problem for item in files if (problem := resident_file_problem(item.name, item.size, item.content_type))
    ]
    if problems:
        errors["documents"] = problems[0]
    if any(not item.name.strip() or len(item.name) > 200 for item in files):
        errors["documents"] = "Each file must have a name of 200 characters or fewer"
    raise_invalid(errors)
    save_complaint(complaint)
    attachments = []
    for item in files:
        kilobytes = max(1, round(item.size / 1024))
        event = write_event(
            complaint,
            None,
            "attachment-added",
            f"Document added by the resident on {on:%-d %B %Y}: {item.name} "
            f"({RESIDENT_ATTACHMENT_TYPES[item.content_type]}, {kilobytes:,} KB).",
            stage=complaint.stage,
            after={"name": item.name, "content_type": item.content_type, "size": item.size},
        )
        attachments.append(
            Attachment.objects.create(
                complaint=complaint,
                event=event,
                file=item.file,
                name=item.name,
                content_type=item.content_type,
                size=item.size,
                uploaded_by=None,
                uploaded_at=event.at,
            )
        )
    return attachments

"""/retention: the landlord's retention schedule, the complaints under review or held, and holding or
anonymising one.

The same rules as the pages under /staff/privacy/retention/: the complaints officer and managers
change; the auditor reads; handlers, stage 2 reviewers and the Member Responsible for Complaints are
refused (403); another landlord's complaint is a 404. PUT of the schedule is idempotent by nature (the
same values change nothing); the POSTs take an Idempotency-Key. Registered in putright.api.main.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import REFUSALS
from putright.api.errors import NotFound
from putright.complaints.access import readable_by
from putright.complaints.models import Complaint
from putright.retention import access, actions
from putright.retention.anonymise import Anonymised, closure_date
from putright.retention.models import (
    DEFAULT_GRACE_DAYS,
    DEFAULT_YEARS,
    ComplaintRetention,
    RetentionSchedule,
    RetentionState,
)

router = Router(tags=["retention"])

READ_REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}
Version = Field(None, ge=1, le=s.MAX_VERSION, description="The version you read: refused (409) if it has moved on")


class RetentionKept(StrEnum):
    REVIEW = "review"
    HELD = "held"


class RetentionScheduleOut(Schema):
    years_after_closure: int = Field(description="Years after a complaint ended before its record is reviewed")
    grace_days: int = Field(description="Days under review before it is anonymised, unless held")
    version: int = Field(description="0 while the landlord uses Putright's defaults")
    changed_by: str | None
    changed_at: datetime | None


class RetentionScheduleIn(s.BodyIn):
    years_after_closure: int | None = Field(description="1 to 20")
    grace_days: int | None = Field(description="0 to 365")
    expected_version: int | None = Field(None, ge=0, le=s.MAX_VERSION, description="The version you read")


class RetentionOut(Schema):
    reference: str
    state: str
    ended_on: date | None
    review_started_on: date | None
    anonymise_after: date | None = Field(description="Under review: anonymised from this day unless held")
    held_until: date | None = Field(description="Held: reviewed again on this day")
    held_reason: str
    version: int


class RetentionQuery(Schema):
    state: RetentionKept | None = Field(None, description="Only those under review, or only those held")


class RetentionHoldIn(s.BodyIn):
    reason: s.Text = Field(max_length=actions.HOLD_REASON_LIMIT, description="Why it is kept for longer")
    until: date = Field(description="When it is reviewed again: a future date")
    expected_version: int | None = Version


class RetentionAnonymiseIn(s.BodyIn):
    reason: s.Text = Field("", max_length=500, description="Why it is no longer needed; do not name the resident")
    expected_version: int | None = Version


class RetentionAnonymisedOut(Schema):
    reference: str
    already: bool = Field(description="It had been anonymised before: nothing changed")
    texts: int = Field(description="Pieces of free text and personal details removed")
    files: int = Field(description="Stored files deleted (letters' PDFs, documents, emails)")
    letters: int
    emails: int
    documents: int
    person: bool = Field(description="The resident's own details were removed: none of their records is still kept")


def _schedule_out(request: HttpRequest) -> dict[str, object]:
    staff = access.require_reader(caller(request))
    row = RetentionSchedule.objects.filter(landlord=staff.landlord).select_related("changed_by").first()
    if row is None:
        return {
            "years_after_closure": DEFAULT_YEARS,
            "grace_days": DEFAULT_GRACE_DAYS,
            "version": 0,
            "changed_by": None,
            "changed_at": None,
        }
    return {
        "years_after_closure": row.years_after_closure,
        "grace_days": row.grace_days,
        "version": row.version,
        "changed_by": row.changed_by.username if row.changed_by else None,
        "changed_at": row.changed_at,
    }


def _row_out(row: ComplaintRetention) -> dict[str, object]:
    return {
        "reference": row.complaint.reference,
        "state": row.state,
        "ended_on": closure_date(row.complaint),
        "review_started_on": row.review_started_on,
        "anonymise_after": row.anonymise_after,
        "held_until": row.held_until,
        "held_reason": row.held_reason,
        "version": row.version,
    }


def _complaint(request: HttpRequest, reference: str, *, editor: bool) -> Complaint:
    user = caller(request)
    staff = access.require_editor(user) if editor else access.require_reader(user)
    # The complaint's own reading rule: the person it is about never finds it.
    found = Complaint.objects.filter(readable_by(staff), landlord=staff.landlord, reference=reference).first()
    if found is None:
        raise NotFound("complaint")
    return found


@router.get("/retention/schedule", response={200: RetentionScheduleOut, **READ_REFUSALS})
def get_retention_schedule(request: HttpRequest) -> dict[str, object]:
    """Your landlord's retention schedule (Putright's defaults, version 0, until it sets its own)."""
    return _schedule_out(request)


@router.put("/retention/schedule", response={200: RetentionScheduleOut, **REFUSALS})
def put_retention_schedule(request: HttpRequest, payload: RetentionScheduleIn) -> dict[str, object]:
    """Set the schedule. Sending the same values again changes nothing."""
    staff = access.require_editor(caller(request))
    actions.change_schedule(
        staff.landlord,
        caller(request),
        years_after_closure=payload.years_after_closure,
        grace_days=payload.grace_days,
        expected_version=payload.expected_version or None,
    )
    return _schedule_out(request)


@router.get("/retention/complaints", response={200: list[RetentionOut], **READ_REFUSALS})
def list_retention(request: HttpRequest, query: Query[RetentionQuery]) -> list[dict[str, object]]:
    """Complaints under review (by the day each is anonymised) and held (by the day each is reviewed again)."""
    staff = access.require_reader(caller(request))
    states = [query.state.value] if query.state else [RetentionState.REVIEW, RetentionState.HELD]
    rows = (
        ComplaintRetention.objects.filter(landlord=staff.landlord, state__in=states)
        .filter(readable_by(staff, "complaint__"))
        .select_related("complaint")
        .order_by("state", "anonymise_after", "held_until", "pk")
    )
    return [_row_out(row) for row in rows]


@router.post("/retention/complaints/{reference}/hold", response={200: RetentionOut, **REFUSALS})
def hold_retention(request: HttpRequest, reference: s.Reference, payload: RetentionHoldIn) -> dict[str, object]:
    """Keep an ended complaint's record for longer, with why and when it is reviewed again."""
    complaint = _complaint(request, reference, editor=True)
    row = actions.hold(
        complaint,
        caller(request),
        reason=payload.reason,
        until=payload.until,
        expected_version=payload.expected_version,
    )
    row.complaint = complaint
    return _row_out(row)


@router.post("/retention/complaints/{reference}/anonymise", response={200: RetentionAnonymisedOut, **REFUSALS})
def anonymise_retention(
    request: HttpRequest, reference: s.Reference, payload: RetentionAnonymiseIn
) -> dict[str, object]:
    """Anonymise a complaint under review or held. Cannot be undone; a second call changes nothing."""
    complaint = _complaint(request, reference, editor=True)
    done: Anonymised = actions.anonymise_now(
        complaint, caller(request), reason=payload.reason, expected_version=payload.expected_version
    )
    return {
        "reference": complaint.reference,
        "already": bool(done.already),
        "texts": done.texts,
        "files": done.files,
        "letters": done.letters,
        "emails": done.emails,
        "documents": done.documents,
        "person": done.person,
    }

"""/complaints/{reference}/contacts and /representative: calls, meetings, visits and texts on the
record (5.12), and who acts for the resident (3.6).

Each view fetches the complaint through `access` (another landlord's is a 404), calls one action,
and answers with what is now recorded. Documents for a contact are added through the workspace;
the API records the contact itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright import clock
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, colleague
from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.correspondence.models import ContactRecord
from putright.people.models import Representative
from putright.rules import contacts as words

router = Router(tags=["contacts"])

ContactKind = Annotated[str, Field(pattern="^(" + "|".join(words.KINDS) + ")$", description=", ".join(words.KINDS))]
WithWhom = Annotated[str, Field(pattern="^(resident|representative|other)$")]


class ContactIn(s.BodyIn):
    kind: ContactKind
    happened_at: datetime = Field(description="When it took place, with its time zone (ISO 8601)")
    with_whom: WithWhom
    with_name: s.Text = Field("", max_length=200, description="Needed when with_whom is 'other'")
    summary: s.Text = Field(max_length=5_000)
    acknowledgement: bool = Field(
        False, description="The complaint was acknowledged in this contact, before the written acknowledgement"
    )
    staff: s.Username | None = Field(None, description="Who spoke for the landlord, if not you")
    version: s.Version = None


class ContactOut(Schema):
    id: int
    stage: int = Field(alias="stage_number")
    kind: str
    happened_at: datetime
    staff: str
    with_whom: str
    with_name: str
    summary: str
    acknowledgement: bool
    documents: int
    recorded_at: datetime

    @staticmethod
    def resolve_staff(obj: ContactRecord) -> str:
        return obj.staff.username

    @staticmethod
    def resolve_documents(obj: ContactRecord) -> int:
        return getattr(obj, "files", 0)


class ContactList(Schema):
    items: list[ContactOut]
    counts: dict[str, int] = Field(description="How many of each kind of contact")


class RepresentativeChangeIn(s.BodyIn):
    name: s.Text = Field(max_length=200)
    relationship: Representative.Relationship
    authority: Representative.Authority | None = Field(
        None,
        description="Needed unless a councillor or MP acts for a constituent, or an advice agency where the "
        "landlord's policy presumes consent (3.6)",
    )
    email: s.Text = Field("", max_length=254)
    phone: s.Text = Field("", max_length=40)
    authority_given_on: date | None = None
    authority_expires_on: date | None = Field(None, description="The last day they may act for the resident")
    letters_copied: bool = True
    portal_access: bool = Field(True, description="They may follow the complaint online")
    version: s.Version = None


class RepresentativeEndIn(s.BodyIn):
    on: date
    reason: s.Text = Field(max_length=2_000)
    version: s.Version = None


class RepresentativeDetail(Schema):
    name: str
    relationship: str
    authority: str
    email: str
    phone: str
    authority_given_on: date | None
    authority_expires_on: date | None
    letters_copied: bool
    portal_access: bool
    ended_on: date | None
    acting: bool = Field(description="Whether they act for the resident today: not ended, authority not expired")


class RepresentativeAnswer(Schema):
    reference: str
    version: int
    representative: RepresentativeDetail | None


def _answer(complaint: Complaint) -> dict[str, object]:
    rep = complaint.representative
    detail = None
    if rep is not None:
        detail = {
            field: getattr(rep, field)
            for field in (
                "name",
                "relationship",
                "authority",
                "email",
                "phone",
                "authority_given_on",
                "authority_expires_on",
                "letters_copied",
                "portal_access",
                "ended_on",
            )
        } | {"acting": rep.acting_on(clock.today())}
    return {"reference": complaint.reference, "version": complaint.version, "representative": detail}


@router.get("/complaints/{reference}/contacts", response={200: ContactList, **READ_REFUSALS})
def list_contacts(request: HttpRequest, reference: s.Reference) -> dict[str, object]:
    """The calls, meetings, visits and texts on the complaint's record, oldest first (5.12)."""
    complaint = _complaint(request, reference)
    items = list(
        ContactRecord.objects.filter(complaint=complaint)
        .select_related("staff")
        .annotate(files=Count("attachments"))
        .order_by("happened_at", "id")
    )
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return {"items": items, "counts": counts}


@router.post("/complaints/{reference}/contacts", response={201: ContactOut, **REFUSALS})
def record_contact(request: HttpRequest, reference: s.Reference, payload: ContactIn) -> Status[ContactRecord]:
    """Put a call, meeting, visit or text on the record of the complaint's current stage (5.12)."""
    complaint = _complaint(request, reference)
    staff = colleague(request, payload.staff, "staff") if payload.staff else None
    event = actions.record_contact(
        complaint,
        caller(request),
        actions.ContactInput(
            kind=payload.kind,
            happened_at=payload.happened_at,
            with_whom=payload.with_whom,
            with_name=payload.with_name,
            summary=payload.summary,
            acknowledgement=payload.acknowledgement,
            staff=staff,
        ),
        expected_version=payload.version,
    )
    contact = ContactRecord.objects.select_related("staff").annotate(files=Count("attachments")).get(event=event)
    return Status(201, contact)


@router.get("/complaints/{reference}/representative", response={200: RepresentativeAnswer, **READ_REFUSALS})
def get_representative(request: HttpRequest, reference: s.Reference) -> dict[str, object]:
    """Who acts for the resident on this complaint, on what authority, and what they may see (3.6)."""
    return _answer(_complaint(request, reference))


@router.post("/complaints/{reference}/representative", response={200: RepresentativeAnswer, **REFUSALS})
def set_representative(
    request: HttpRequest, reference: s.Reference, payload: RepresentativeChangeIn
) -> dict[str, object]:
    """Record who acts for the resident, or change their details (3.6)."""
    complaint = actions.set_representative(
        _complaint(request, reference),
        caller(request),
        actions.RepresentativeInput(**payload.model_dump(exclude={"version"}) | {"authority": payload.authority or ""}),
        expected_version=payload.version,
    )
    return _answer(complaint)


@router.post("/complaints/{reference}/representative/end", response={200: RepresentativeAnswer, **REFUSALS})
def end_representative(request: HttpRequest, reference: s.Reference, payload: RepresentativeEndIn) -> dict[str, object]:
    """Record that the representative no longer acts for the resident: letters go to the resident only."""
    complaint = actions.end_representative(
        _complaint(request, reference),
        caller(request),
        on=payload.on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _answer(complaint)

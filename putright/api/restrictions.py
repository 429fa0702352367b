"""/complaints/{reference}/restrictions: restricting a resident's contact for unacceptable behaviour
(5.14, 5.15), proposed, decided, reviewed and ended.

Each view fetches the complaint through `access` (another landlord's is a 404), calls one action,
and answers with the restriction as it now stands. Every reader sees what a restriction is (so that
nobody contacts the resident against it); the behaviour, evidence and Equality Act considerations
are given only to complaints officers, managers and the people working the complaint.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright import clock
from putright.access_log import AccessKind, record_access
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint
from putright.api.errors import NotFound
from putright.complaints import access, actions
from putright.complaints.models import Complaint, Stage
from putright.people.models import ContactRestriction

router = Router(tags=["restrictions"])

ScopeKey = Annotated[
    str,
    Field(
        pattern="^(" + "|".join(ContactRestriction.Scope.values) + ")$",
        description=", ".join(ContactRestriction.Scope.values),
    ),
]


class RestrictionIn(s.BodyIn):
    behaviour: s.Text = Field(max_length=5_000, description="What the resident did, and when (5.14)")
    evidence: s.Text = Field(max_length=5_000, description="What shows it happened (5.14)")
    evidence_documents: list[s.Id] = Field(
        default_factory=list, max_length=50, description="Ids of documents already on this complaint's record"
    )
    scope: list[ScopeKey] = Field(min_length=1, max_length=5)
    channels: s.Text = Field("", max_length=300, description="Needed with 'channels': the ways still open")
    contact_point: s.Text = Field("", max_length=200, description="Needed with 'single-point': who to contact")
    contact_times: s.Text = Field("", max_length=300, description="Needed with 'times': when")
    other_terms: s.Text = Field("", max_length=2_000, description="Needed with 'other': the restriction")
    equality_considerations: s.Text = Field(
        max_length=5_000, description="The regard had to the Equality Act 2010 and the resident's needs (5.15)"
    )
    review_on: date = Field(description="No more than 6 months from today (5.14)")


class DecisionIn(s.BodyIn):
    approve: bool
    reasons: s.Text = Field("", max_length=5_000, description="Needed to refuse; with approval, put in the letter")
    review_on: date | None = Field(None, description="A different review date from the one proposed")


class ReviewIn(s.BodyIn):
    keep: bool = Field(description="True: it stays in force until the next review; false: it ends")
    notes: s.Text = Field(max_length=5_000)
    next_review_on: date | None = Field(None, description="Needed when kept: no more than 6 months from today")
    send_letter: bool = Field(False, description="When it ends: write to the resident to tell them")


class RestrictionEndIn(s.BodyIn):
    reason: s.Text = Field(max_length=5_000)
    send_letter: bool


class ReviewOut(Schema):
    reviewed_on: date
    reviewed_by: str
    outcome: str
    notes: str | None
    next_review_on: date | None


class RestrictionOut(Schema):
    id: int
    state: str
    scope: list[str]
    terms: list[str] = Field(description="The restriction in plain words")
    review_on: date
    review_overdue: bool
    proposed_by: str
    proposed_at: datetime
    raised_on: str = Field(description="The reference of the complaint it was proposed from")
    decided_by: str | None
    decided_on: date | None
    ended_on: date | None
    detail: bool = Field(description="Whether the caller may read the behaviour, evidence and considerations")
    behaviour: str | None
    evidence: str | None
    evidence_documents: list[dict[str, Any]] | None
    equality_considerations: str | None
    decision_reasons: str | None
    end_reason: str | None
    reviews: list[ReviewOut]


class RestrictionList(Schema):
    items: list[RestrictionOut]


SENSITIVE = ("behaviour", "evidence", "evidence_documents", "equality_considerations", "decision_reasons", "end_reason")


def _who(user: Any) -> str | None:
    return user.username if user is not None else None


def _out(restriction: ContactRestriction, detail: bool) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": restriction.pk,
        "state": restriction.state,
        "scope": restriction.scope,
        "terms": restriction.terms,
        "review_on": restriction.review_on,
        "review_overdue": restriction.state == ContactRestriction.State.IN_FORCE
        and restriction.review_on < clock.today(),
        "proposed_by": restriction.proposed_by.username,
        "proposed_at": restriction.proposed_at,
        "raised_on": restriction.raised_on,
        "decided_by": _who(restriction.decided_by),
        "decided_on": restriction.decided_on,
        "ended_on": restriction.ended_on,
        "detail": detail,
        "reviews": [
            {
                "reviewed_on": r.reviewed_on,
                "reviewed_by": r.reviewed_by.username,
                "outcome": r.outcome,
                "notes": r.notes if detail else None,
                "next_review_on": r.next_review_on,
            }
            for r in restriction.reviews.all()
        ],
    }
    for name in SENSITIVE:
        answer[name] = getattr(restriction, name) if detail else None
    return answer


def _detail(request: HttpRequest, complaint: Complaint) -> bool:
    staff = access.require_staff(caller(request))
    if staff.role in access.SUPERVISORS:
        return True
    handlers = {complaint.handler_id, *Stage.objects.filter(complaint=complaint).values_list("handler_id", flat=True)}
    return staff.user_id in handlers


def _restrictions(complaint: Complaint) -> Any:
    return (
        ContactRestriction.objects.filter(person_id=complaint.person_id, landlord_id=complaint.landlord_id)
        .select_related("proposed_by", "decided_by")
        .prefetch_related("reviews__reviewed_by")
    )


def _one(complaint: Complaint, restriction_id: s.Id) -> ContactRestriction:
    restriction = _restrictions(complaint).filter(pk=restriction_id).first()
    if restriction is None:
        raise NotFound("contact restriction")
    return restriction  # type: ignore[no-any-return]


def _answer(request: HttpRequest, complaint: Complaint, restriction_id: s.Id) -> dict[str, Any]:
    """The restriction as it now stands; when the answer shows its behaviour, evidence and considerations,
    the access log records it (one INSERT), as the pages do."""
    restriction = _one(complaint, restriction_id)
    detail = _detail(request, complaint)
    if detail:
        _log_shown(request, complaint, restriction.pk)
    return _out(restriction, detail)


def _log_shown(request: HttpRequest, complaint: Complaint, object_id: int) -> None:
    """The access log's one row for an answer that showed a restriction's behaviour, evidence and considerations."""
    record_access(
        caller(request),
        complaint.landlord_id,
        AccessKind.RESTRICTION,
        complaint.reference,
        request.path,
        object_id=object_id,
    )


@router.get("/complaints/{reference}/restrictions", response={200: RestrictionList, **READ_REFUSALS})
def list_restrictions(request: HttpRequest, reference: s.Reference) -> dict[str, Any]:
    """The resident's contact restrictions, newest first, proposed, in force, refused and ended (5.14)."""
    complaint = _complaint(request, reference)
    detail = _detail(request, complaint)
    items = [_out(r, detail) for r in _restrictions(complaint).order_by("-proposed_at", "-id")]
    if detail and items:  # the behaviour, evidence and considerations were shown
        _log_shown(request, complaint, complaint.person_id)
    return {"items": items}


@router.post("/complaints/{reference}/restrictions", response={201: RestrictionOut, **REFUSALS})
def propose_restriction(request: HttpRequest, reference: s.Reference, payload: RestrictionIn) -> Status[Any]:
    """Propose a contact restriction, for a complaints officer or manager other than you to decide (5.14, 5.15)."""
    complaint = _complaint(request, reference)
    restriction = actions.propose_restriction(
        complaint, caller(request), actions.RestrictionInput(**payload.model_dump())
    )
    return Status(201, _answer(request, complaint, restriction.pk))


@router.post(
    "/complaints/{reference}/restrictions/{restriction_id}/decision", response={200: RestrictionOut, **REFUSALS}
)
def decide_restriction(
    request: HttpRequest, reference: s.Reference, restriction_id: s.Id, payload: DecisionIn
) -> dict[str, Any]:
    """Approve (it is in force and the resident is written to) or refuse (with reasons) a proposal."""
    complaint = _complaint(request, reference)
    actions.decide_restriction(
        _one(complaint, restriction_id),
        complaint,
        caller(request),
        approve=payload.approve,
        reasons=payload.reasons,
        review_on=payload.review_on,
    )
    return _answer(request, complaint, restriction_id)


@router.post("/complaints/{reference}/restrictions/{restriction_id}/review", response={200: RestrictionOut, **REFUSALS})
def review_restriction(
    request: HttpRequest, reference: s.Reference, restriction_id: s.Id, payload: ReviewIn
) -> dict[str, Any]:
    """Record a review: kept in force with the next review date, or ended (5.14)."""
    complaint = _complaint(request, reference)
    actions.review_restriction(
        _one(complaint, restriction_id),
        complaint,
        caller(request),
        notes=payload.notes,
        keep=payload.keep,
        next_review_on=payload.next_review_on,
        send_letter=payload.send_letter,
    )
    return _answer(request, complaint, restriction_id)


@router.post("/complaints/{reference}/restrictions/{restriction_id}/end", response={200: RestrictionOut, **REFUSALS})
def end_restriction(
    request: HttpRequest, reference: s.Reference, restriction_id: s.Id, payload: RestrictionEndIn
) -> dict[str, Any]:
    """End a restriction in force, with the reason; the letter to the resident is optional."""
    complaint = _complaint(request, reference)
    actions.end_restriction(
        _one(complaint, restriction_id),
        complaint,
        caller(request),
        reason=payload.reason,
        send_letter=payload.send_letter,
    )
    return _answer(request, complaint, restriction_id)

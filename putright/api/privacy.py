"""/privacy/requests: residents' requests to see, erase or restrict the processing of their data
(UK GDPR Arts. 15, 17 and 18), each due a calendar month after receipt (Art. 12(3)).

The complaints officer and managers record and decide them and download the copy of a resident's
data; the auditor reads them; handlers and stage 2 reviewers are refused (403) with a sentence;
another landlord's request is a 404. Each operation fetches through `putright.privacy.access`,
calls one action, and answers with the request as it now stands.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright import clock
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import REFUSALS
from putright.api.errors import NotFound
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.people.models import Person
from putright.privacy import access, actions
from putright.privacy.export import download as export_download
from putright.privacy.models import DETAIL_LIMIT, REASON_LIMIT, RightsRequest, SubjectAccessExport

router = Router(tags=["privacy"])

READS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}
PAGE_SIZE = 100


class RightsRequestIn(s.BodyIn):
    person_id: s.Id = Field(description="The resident's id, as complaints give it")
    kind: Literal["access", "erasure", "restriction"]
    received_on: date = Field(description="The day the landlord received the request: the month starts here")
    detail: s.Text = Field("", max_length=DETAIL_LIMIT, description="What the resident asked for")


class RightsExtensionIn(s.BodyIn):
    reason: s.Text = Field(max_length=REASON_LIMIT, description="Why more time is needed (told to the resident)")


class RightsDecisionIn(s.BodyIn):
    carry_out: bool = Field(
        description="True: build the copy (access), erase what can be erased (erasure) or restrict processing "
        "(restriction). False: refuse, with `reason`"
    )
    reason: s.Text = Field(
        "",
        max_length=REASON_LIMIT,
        description="Needed to refuse: the reason the resident is told. With an erasure carried out, leave empty",
    )
    until: date | None = Field(None, description="Restriction only: the day it ends (empty: until lifted)")


class RightsLiftIn(s.BodyIn):
    reason: s.Text = Field(max_length=REASON_LIMIT)


class SubjectAccessExportOut(Schema):
    version: int
    state: str
    requested_by: str
    requested_at: datetime
    built_at: datetime | None
    size: int
    sha256: str
    error: str


class RightsRequestEventOut(Schema):
    at: datetime
    by: str | None
    kind: str
    summary: str


class RightsRequestSummary(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    received_on: date
    due_on: date
    overdue: bool
    state: str


class RightsRequestOut(RightsRequestSummary):
    """The summary, with the request's whole record."""

    extended_on: date | None
    extension_reason: str
    detail: str
    decision: str
    decided_by: str | None
    decided_at: datetime | None
    restricted_from: date | None
    restricted_until: date | None
    processing_restricted: bool = Field(description="Whether it restricts the processing of the resident's data today")
    exports: list[SubjectAccessExportOut]
    events: list[RightsRequestEventOut]


class RightsRequestPage(Schema):
    items: list[RightsRequestSummary]
    more: bool


class RightsPageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000)


def _who(user: Any) -> str | None:
    return user.username if user is not None else None


def _one(request: HttpRequest, pk: int) -> RightsRequest:
    staff = access.require_reader(caller(request))
    rights = (
        RightsRequest.objects.filter(pk=pk, landlord_id=staff.landlord_id)
        .select_related("person", "decided_by")
        .prefetch_related("exports__requested_by", "events__actor")
        .first()
    )
    if rights is None:
        raise NotFound("data protection request")
    return rights


def _out(rights: RightsRequest) -> dict[str, Any]:
    today = clock.today()
    return {
        "id": rights.pk,
        "person_id": rights.person_id,
        "person_name": rights.person.shown_name,
        "kind": rights.kind,
        "received_on": rights.received_on,
        "due_on": rights.due_on,
        "overdue": rights.overdue(today),
        "extended_on": rights.extended_on,
        "extension_reason": rights.extension_reason,
        "state": rights.state,
        "detail": rights.detail,
        "decision": rights.decision,
        "decided_by": _who(rights.decided_by),
        "decided_at": rights.decided_at,
        "restricted_from": rights.restricted_from,
        "restricted_until": rights.restricted_until,
        "processing_restricted": rights.restricting_on(today),
        "exports": [
            {
                "version": e.version,
                "state": e.state,
                "requested_by": e.requested_by.username,
                "requested_at": e.requested_at,
                "built_at": e.built_at,
                "size": e.size,
                "sha256": e.sha256,
                "error": e.error,
            }
            for e in sorted(rights.exports.all(), key=lambda e: e.version)
        ],
        "events": [
            {"at": e.at, "by": _who(e.actor), "kind": e.kind, "summary": e.summary} for e in rights.events.all()
        ],
    }


@router.get("/privacy/requests", response={200: RightsRequestPage, **READS})
def list_rights_requests(request: HttpRequest, query: Query[RightsPageQuery]) -> dict[str, Any]:
    """Your landlord's data protection requests, open ones first by the day they are due."""
    staff = access.require_reader(caller(request))
    start = (query.page - 1) * PAGE_SIZE
    rows = list(
        RightsRequest.objects.of_landlord(staff.landlord_id)
        .open_first()
        .select_related("person")
        .defer("detail", "decision", "extension_reason")[start : start + PAGE_SIZE + 1]
    )
    today = clock.today()
    items = [
        {
            "id": r.pk,
            "person_id": r.person_id,
            "person_name": r.person.shown_name,
            "kind": r.kind,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "overdue": r.overdue(today),
            "state": r.state,
        }
        for r in rows[:PAGE_SIZE]
    ]
    return {"items": items, "more": len(rows) > PAGE_SIZE}


@router.post("/privacy/requests", response={201: RightsRequestOut, **REFUSALS})
def record_rights_request(request: HttpRequest, payload: RightsRequestIn) -> Status[Any]:
    """Record a resident's request to see, erase or restrict the processing of their data. Send an
    Idempotency-Key: a retry then records it once."""
    staff = access.require_actor(caller(request))
    person = Person.objects.filter(pk=payload.person_id, landlord_id=staff.landlord_id).first()
    if person is None:
        raise InvalidInput({"person_id": "There is no resident with this id at your landlord"})
    rights = actions.record_request(
        person, caller(request), kind=payload.kind, received_on=payload.received_on, detail=payload.detail
    )
    return Status(201, _out(_one(request, rights.pk)))


@router.get("/privacy/requests/{request_id}", response={200: RightsRequestOut, **READS})
def get_rights_request(request: HttpRequest, request_id: s.Id) -> dict[str, Any]:
    """One request, with its decision, the copies built for it and what happened to it."""
    return _out(_one(request, request_id))


@router.post("/privacy/requests/{request_id}/extension", response={200: RightsRequestOut, **REFUSALS})
def extend_rights_request(request: HttpRequest, request_id: s.Id, payload: RightsExtensionIn) -> dict[str, Any]:
    """Extend the time to answer by two further months (Art. 12(3)): within the first month, once."""
    actions.extend_request(_one(request, request_id), caller(request), reason=payload.reason)
    return _out(_one(request, request_id))


@router.post("/privacy/requests/{request_id}/decision", response={200: RightsRequestOut, **REFUSALS})
def decide_rights_request(request: HttpRequest, request_id: s.Id, payload: RightsDecisionIn) -> dict[str, Any]:
    """Decide the request. Access: build the copy of the resident's data (the request is done once it
    is built). Erasure: erase what can be erased; `reason` refuses it as a whole, as the landlord must
    keep the records. Restriction: restrict processing from today, until `until` or until lifted."""
    rights = _one(request, request_id)
    user = caller(request)
    if not payload.carry_out and not payload.reason.strip():
        raise InvalidInput({"reason": "Enter the reason the resident is told"})
    if rights.kind == RightsRequest.Kind.ACCESS:
        if payload.carry_out:
            actions.complete_access(rights, user)
        else:
            actions.refuse_request(rights, user, reason=payload.reason)
    elif rights.kind == RightsRequest.Kind.ERASURE:
        actions.decide_erasure(rights, user, lawful_reason="" if payload.carry_out else payload.reason)
    else:
        actions.decide_restriction(rights, user, restrict=payload.carry_out, until=payload.until, reason=payload.reason)
    return _out(_one(request, request_id))


@router.post("/privacy/requests/{request_id}/lift", response={200: RightsRequestOut, **REFUSALS})
def lift_rights_restriction(request: HttpRequest, request_id: s.Id, payload: RightsLiftIn) -> dict[str, Any]:
    """Lift a restriction of processing from today, with the reason."""
    actions.lift_restriction(_one(request, request_id), caller(request), reason=payload.reason)
    return _out(_one(request, request_id))


@router.get(
    "/privacy/requests/{request_id}/export",
    response={200: None, 409: s.ErrorOut, **READS},
    openapi_extra={"responses": {200: {"description": "The zip", "content": {"application/zip": {}}}}},
)
def download_rights_export(request: HttpRequest, request_id: s.Id) -> Any:
    """The latest copy of the resident's data built for an access request, as a zip."""
    staff = access.require_download(caller(request))
    rights = _one(request, request_id)
    access.require_copy_readable(staff, rights.person_id)
    export = (
        SubjectAccessExport.objects.filter(request=rights, state=SubjectAccessExport.State.READY)
        .defer("manifest")
        .order_by("-version")
        .first()
    )
    if export is None:
        raise TransitionNotAllowed("No copy of the resident's data has been built for this request yet.")
    return export_download(caller(request), rights, export, request.path)

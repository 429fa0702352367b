"""/service-requests: requests for a service, which are not complaints but are recorded all the same (1.4, 1.5)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, decode_cursor, encode_cursor, record, resident
from putright.api.errors import NotFound
from putright.complaints import access, actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, ServiceRequest

router = Router(tags=["service requests"])


def _service_request(request: HttpRequest, reference: str) -> ServiceRequest:
    found = (
        access.service_requests_visible_to(caller(request))
        .select_related("person", "landlord")
        .prefetch_related("complaints")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if found is None:
        raise NotFound("service request")
    return found


def _after(cursor: str) -> Q:
    received, last_id = decode_cursor(cursor)
    try:
        received_on = date.fromisoformat(received) if isinstance(received, str) else None
    except ValueError:
        received_on = None
    if received_on is None or not isinstance(last_id, int) or isinstance(last_id, bool) or abs(last_id) > s.MAX_ID:
        raise InvalidInput({"cursor": "This is not a cursor from this API: pass next_cursor as it was given"})
    return Q(received_on__lt=received_on) | Q(received_on=received_on, id__lt=last_id)


@router.get("/service-requests", response={200: s.ServiceRequestPage, **READ_REFUSALS})
def list_service_requests(request: HttpRequest, filters: Query[s.ServiceRequestQuery]) -> dict[str, object]:
    """The service requests you can see, most recently received first."""
    found = access.service_requests_visible_to(caller(request)).select_related("person").prefetch_related("complaints")
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.cursor:
        found = found.filter(_after(filters.cursor))
    rows = list(found.order_by("-received_on", "-id")[: filters.limit + 1])
    items = rows[: filters.limit]
    more = len(rows) > filters.limit
    return {"items": items, "next_cursor": encode_cursor(items[-1].received_on, items[-1].pk) if more else None}


@router.post("/service-requests", response={201: s.ServiceRequestOut, **REFUSALS})
def log_service_request(request: HttpRequest, payload: s.ServiceRequestIn) -> Status[ServiceRequest]:
    """Record a service request (1.4)."""
    user = caller(request)
    logged = actions.log_service_request(
        access.require_staff(user).landlord,
        user,
        resident=resident(request, payload.resident, payload.resident_id),
        service_area=payload.service_area,
        description=payload.description,
        received_on=payload.received_on,
    )
    return Status(201, _service_request(request, logged.reference))


@router.get("/service-requests/{reference}", response={200: s.ServiceRequestOut, **READ_REFUSALS})
def get_service_request(request: HttpRequest, reference: s.Reference) -> ServiceRequest:
    return _service_request(request, reference)


@router.post("/service-requests/{reference}/complaint", response={201: s.ComplaintDetail, **REFUSALS})
def raise_complaint(request: HttpRequest, reference: s.Reference, payload: s.RaiseComplaintIn) -> Status[Complaint]:
    """Raise a complaint about how a service request was handled; the request stays open (1.5)."""
    complaint = actions.raise_from_service_request(
        _service_request(request, reference),
        caller(request),
        received_on=payload.received_on,
        description=payload.description,
        channel=payload.channel,
        outcome_sought=payload.outcome_sought,
    )
    return Status(201, record(request, complaint.reference))


@router.post("/service-requests/{reference}/complete", response={200: s.ServiceRequestOut, **REFUSALS})
def complete(request: HttpRequest, reference: s.Reference, payload: s.CompleteIn) -> ServiceRequest:
    """Record that the service asked for was delivered."""
    actions.complete_service_request(_service_request(request, reference), caller(request), on=payload.on)
    return _service_request(request, reference)

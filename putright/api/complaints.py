"""/complaints: the worklist, one complaint's record, and one POST for each step of the Code.

Each view fetches through `access` or `queries` (so another landlord's complaint is a 404, like
one that does not exist), calls one action, and answers with the complaint as it now stands.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Query, Router, Status

from putright.access_log import AccessKind, record_access
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.errors import NotFound
from putright.complaints import access, actions, queries
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, OutstandingAction, Remedy
from putright.people.models import Person

router = Router(tags=["complaints"])

REFUSALS: dict[int | str, type] = {
    400: s.ErrorOut,
    401: s.ErrorOut,
    403: s.ErrorOut,
    404: s.ErrorOut,
    409: s.ErrorOut,
    413: s.ErrorOut,
    422: s.ErrorOut,
}
READ_REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}


# -- fetching ---------------------------------------------------------------------------------


def _complaint(request: HttpRequest, reference: str) -> Complaint:
    try:
        return access.get_complaint_for_staff(caller(request), reference)
    except Complaint.DoesNotExist:
        raise NotFound("complaint") from None


def record(request: HttpRequest, reference: str) -> Complaint:
    """The whole record of a complaint the caller can see, for answering with."""
    try:
        complaint = queries.complaint_record(caller(request), reference, with_events=False)
    except Complaint.DoesNotExist:
        raise NotFound("complaint") from None
    complaint.timeline = queries.timeline(complaint)  # type: ignore[attr-defined]
    # Who it is about is shown by the caller's role at the complaint's own landlord, whatever they act for.
    shown = access.sees_about_staff(access.staff_of(caller(request), complaint.landlord_id))
    complaint.about_staff_shown = shown  # type: ignore[attr-defined]
    return complaint


def landlord_staff(request: HttpRequest, usernames: set[str], landlord_id: int | None = None) -> dict[str, User]:
    """The caller's colleagues with these usernames at `landlord_id` (a record's landlord), else at the landlord
    the call acts for: nobody at another landlord is ever found."""
    landlord_id = access.require_staff(caller(request), landlord_id).landlord_id
    found = User.objects.filter(username__in=usernames, staff__landlord_id=landlord_id)
    return {user.username: user for user in found}


def colleague(request: HttpRequest, username: str, field: str) -> User:
    user = landlord_staff(request, {username}).get(username)
    if user is None:
        raise InvalidInput({field: "Choose a member of your landlord's staff (give their username)"})
    return user


def resident(
    request: HttpRequest, details: s.ResidentIn | None, resident_id: int | None
) -> actions.ResidentDetails | Person:
    if details is not None and resident_id is None:
        return actions.ResidentDetails(**details.model_dump(mode="json"))
    if details is not None or resident_id is None:
        raise InvalidInput({"resident": "Give either the resident's details or the resident_id of one on record"})
    landlord_id = access.require_staff(caller(request)).landlord_id
    person = Person.objects.filter(pk=resident_id, landlord_id=landlord_id).first()
    if person is None:
        raise InvalidInput({"resident_id": "There is no resident with this id at your landlord"})
    return person


def triage(given: s.TriageIn | None) -> actions.Triage | None:
    if given is None:
        return None
    return actions.Triage(
        s.PRIORITY_VALUES[given.priority], given.complexity, [str(f) for f in given.risk_factors], given.reason
    )


# -- cursors ----------------------------------------------------------------------------------


def encode_cursor(*position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[object]:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        position = None
    if not isinstance(position, list) or len(position) != 2:
        raise InvalidInput({"cursor": "This is not a cursor from this API: pass next_cursor as it was given"})
    return position


def _worklist_after(cursor: str) -> tuple[date | None, int]:
    due, last_id = decode_cursor(cursor)
    if isinstance(last_id, int) and not isinstance(last_id, bool) and 0 < last_id <= s.MAX_ID:
        if due is None:
            return None, last_id
        if isinstance(due, str):
            try:
                return date.fromisoformat(due), last_id
            except ValueError:
                pass
    raise InvalidInput({"cursor": "This is not a cursor from this API: pass next_cursor as it was given"})


# -- reading ----------------------------------------------------------------------------------


def _landlord_filter(request: HttpRequest, slug: str | None) -> int | None:
    if not slug:
        return None
    place = next((p for p in access.reading_places(caller(request)) if p.landlord.slug == slug), None)
    if place is None:
        raise InvalidInput({"landlord": "Give the slug of a landlord you work for, or leave it out for all of them"})
    return place.landlord_id


@router.get("/complaints", response={200: s.ComplaintPage, **READ_REFUSALS})
def list_complaints(request: HttpRequest, filters: Query[s.WorklistQuery]) -> dict[str, object]:
    """The complaints you can see, soonest deadline first, a page at a time."""
    handler_id = colleague(request, filters.handler, "handler").pk if filters.handler else None
    worklist_filter = queries.WorklistFilter(
        status=filters.status,
        stage=filters.stage,
        handler_id=handler_id,
        service_area=filters.service_area,
        overdue_on=filters.overdue_on,
        due_before=filters.due_before,
        received_from=filters.received_from,
        received_to=filters.received_to,
        open_only=filters.open,
        landlord_id=_landlord_filter(request, filters.landlord),
    )
    after = _worklist_after(filters.cursor) if filters.cursor else None
    rows = queries.worklist(caller(request), worklist_filter, after=after, limit=filters.limit + 1)
    items = rows[: filters.limit]
    more = len(rows) > filters.limit
    return {"items": items, "next_cursor": encode_cursor(items[-1].next_due, items[-1].pk) if more else None}


@router.get("/complaints/{reference}", response={200: s.ComplaintDetail, **READ_REFUSALS})
def get_complaint(request: HttpRequest, reference: s.Reference) -> Complaint:
    """Everything recorded on one complaint: its stages, remedies, outstanding actions and timeline.
    Reading a confidential complaint is put in the access log."""
    complaint = record(request, reference)
    if complaint.is_confidential:
        record_access(
            caller(request),
            complaint.landlord_id,
            AccessKind.CONFIDENTIAL_COMPLAINT,
            complaint.reference,
            request.path,
            object_id=complaint.pk,
        )
    return complaint


# -- logging ----------------------------------------------------------------------------------


@router.post("/complaints", response={201: s.ComplaintDetail, **REFUSALS})
def log_complaint(request: HttpRequest, payload: s.ComplaintIn) -> Status[Complaint]:
    """Log a complaint from any channel; its clock starts on the day received (6.2)."""
    user = caller(request)
    staff = access.require_staff(user)
    linked_request = None
    if payload.service_request:
        linked_request = (
            access.service_requests_visible_to(user).filter(reference=payload.service_request.upper()).first()
        )
        if linked_request is None:
            raise InvalidInput({"service_request": "There is no service request with this reference"})
    related = None
    if payload.related_to:
        related = access.complaints_visible_to(user).filter(reference=payload.related_to.upper()).first()
        if related is None:
            raise InvalidInput({"related_to": "There is no complaint with this reference"})
    rep = payload.representative
    complaint = actions.log_complaint(
        staff.landlord,
        user,
        resident=resident(request, payload.resident, payload.resident_id),
        representative=actions.RepresentativeDetails(
            name=rep.name,
            relationship=rep.relationship,
            authority=rep.authority or "",
            email=rep.email,
            phone=rep.phone,
        )
        if rep
        else None,
        channel=payload.channel,
        received_on=payload.received_on,
        issue_date=payload.issue_date,
        description=payload.description,
        outcome_sought=payload.outcome_sought,
        service_area=payload.service_area or "",
        discretion_note=payload.discretion_note,
        service_request=linked_request,
        related_to=related,
        tenure=payload.tenure,
        triage=triage(payload.triage),
        about_staff=colleague(request, payload.about_staff, "about_staff") if payload.about_staff else None,
    )
    # The action hands back the complaint with the whole record it has just made.
    return Status(201, complaint)


# -- the steps of a stage ---------------------------------------------------------------------


@router.post("/complaints/{reference}/assign", response={200: s.ComplaintDetail, **REFUSALS})
def assign(request: HttpRequest, reference: s.Reference, payload: s.AssignIn) -> Complaint:
    """Give the open stage a handler who declares no conflict of interest (5.8, 6.13)."""
    complaint = actions.assign_handler(
        _complaint(request, reference),
        caller(request),
        handler=colleague(request, payload.handler, "handler"),
        conflict_of_interest=payload.conflict_of_interest,
        note=payload.note,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/confidentiality", response={200: s.ComplaintDetail, **REFUSALS})
def set_confidentiality(request: HttpRequest, reference: s.Reference, payload: s.ConfidentialityIn) -> Complaint:
    """Mark the complaint confidential (about a named member of staff, or for a reason), or clear that
    with a reason: complaints officers and managers only. The person it is about never reads it."""
    complaint = actions.set_confidentiality(
        _complaint(request, reference),
        caller(request),
        confidential=payload.confidential,
        about_staff=colleague(request, payload.about_staff, "about_staff") if payload.about_staff else None,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/acknowledge", response={200: s.ComplaintDetail, **REFUSALS})
def acknowledge(request: HttpRequest, reference: s.Reference, payload: s.AcknowledgeIn) -> Complaint:
    """Acknowledge the open stage with the complaint definition (5.6, 6.2, 6.11)."""
    complaint = actions.acknowledge(
        _complaint(request, reference),
        caller(request),
        on=payload.on,
        understanding=payload.understanding,
        outcomes_sought=payload.outcomes_sought,
        points=payload.points,
        responsible_for=payload.responsible_for,
        not_responsible_for=payload.not_responsible_for,
        conflict_of_interest=payload.conflict_of_interest,
        discretion_note=payload.discretion_note,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/clarification", response={200: s.ComplaintDetail, **REFUSALS})
def request_clarification(request: HttpRequest, reference: s.Reference, payload: s.ClarificationIn) -> Complaint:
    """Record that the resident was asked to clarify part of the complaint (5.6)."""
    complaint = actions.request_clarification(
        _complaint(request, reference),
        caller(request),
        on=payload.on,
        question=payload.question,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/extend", response={200: s.ComplaintDetail, **REFUSALS})
def extend(request: HttpRequest, reference: s.Reference, payload: s.ExtendIn) -> Complaint:
    """Extend the open stage's response time: Putright issues the extension letter today, with the
    reason, the new date and the Housing Ombudsman's details (6.4, 6.5, 6.15, 6.16)."""
    complaint = _complaint(request, reference)
    actions.extend(
        complaint,
        caller(request),
        days=payload.days,
        reason=payload.reason,
        good_reason=payload.good_reason,
        told_by_phone_on=payload.told_by_phone_on,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/update-interval", response={200: s.ComplaintDetail, **REFUSALS})
def agree_update_interval(request: HttpRequest, reference: s.Reference, payload: s.UpdateIntervalIn) -> Complaint:
    """Agree how often the resident hears from us while a response is delayed (5.9)."""
    complaint = actions.agree_update_interval(
        _complaint(request, reference),
        caller(request),
        every_days=payload.every_days,
        agreed_on=payload.agreed_on,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post(
    "/complaints/{reference}/issues",
    response={200: s.ComplaintDetail, 201: s.ComplaintDetail, **REFUSALS},
)
def add_issue(request: HttpRequest, reference: s.Reference, payload: s.IssueIn) -> Status[Complaint]:
    """A new issue raised while the complaint is open (6.8).

    200 with this complaint when the issue joins it; 201 with the new, linked complaint otherwise.
    """
    complaint = _complaint(request, reference)
    result = actions.add_issue(
        complaint,
        caller(request),
        description=payload.description,
        related=payload.related,
        on=payload.on,
        expected_version=payload.version,
    )
    return Status(200 if result.pk == complaint.pk else 201, record(request, result.reference))


@router.post("/complaints/{reference}/remedies", response={201: s.RemedyOut, **REFUSALS})
def add_remedy(request: HttpRequest, reference: s.Reference, payload: s.NewRemedyIn) -> Status[Remedy]:
    """Offer a remedy at any point, without waiting for the response or escalation (5.13)."""
    remedy = actions.add_remedy(
        _complaint(request, reference),
        caller(request),
        actions.RemedyInput(**payload.model_dump(exclude={"version"})),
        expected_version=payload.version,
    )
    return Status(201, remedy)


@router.post("/complaints/{reference}/remedies/{remedy_id}", response={200: s.RemedyOut, **REFUSALS})
def update_remedy(request: HttpRequest, reference: s.Reference, remedy_id: s.Id, payload: s.RemedyUpdateIn) -> Remedy:
    """Record that a remedy was agreed, declined or delivered (7.3)."""
    complaint = _complaint(request, reference)
    remedy = Remedy.objects.select_related("stage").filter(pk=remedy_id, stage__complaint=complaint).first()
    if remedy is None:
        raise NotFound("remedy")
    remedy.stage.complaint = complaint
    return actions.update_remedy(
        remedy, caller(request), state=payload.state, on=payload.on, expected_version=payload.version
    )


@router.post("/complaints/{reference}/respond", response={200: s.ComplaintDetail, **REFUSALS})
def respond(request: HttpRequest, reference: s.Reference, payload: s.RespondIn) -> Complaint:
    """Issue the open stage's response: refused, naming what is missing, until it has all the Code
    requires (6.7, 6.9, 6.18, 6.19)."""
    complaint = _complaint(request, reference)
    owners = landlord_staff(
        request, {action.owner for action in payload.actions if action.owner}, complaint.landlord_id
    )
    unknown = {
        f"actions[{i}].owner": "Choose a member of your landlord's staff (give their username)"
        for i, action in enumerate(payload.actions)
        if action.owner and action.owner not in owners
    }
    if unknown:
        raise InvalidInput(unknown)
    complaint = actions.respond(
        complaint,
        caller(request),
        on=payload.on,
        decisions=[actions.PointDecisionInput(d.number, d.decision or "", d.reasons) for d in payload.decisions],
        summary=payload.summary,
        remedies=[actions.RemedyInput(**remedy.model_dump()) for remedy in payload.remedies],
        actions=[
            actions.ActionInput(a.description, a.due_on, owners[a.owner] if a.owner else None) for a in payload.actions
        ],
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


# -- escalation and endings -------------------------------------------------------------------


@router.post("/complaints/{reference}/escalate", response={200: s.ComplaintDetail, **REFUSALS})
def escalate(request: HttpRequest, reference: s.Reference, payload: s.EscalateIn) -> Complaint:
    """Open stage 2 at the resident's request; no reason is needed (6.10 to 6.12)."""
    complaint = actions.escalate(
        _complaint(request, reference),
        caller(request),
        requested_on=payload.requested_on,
        reason=payload.reason,
        discretion=payload.discretion,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/not-accept", response={200: s.ComplaintDetail, **REFUSALS})
def not_accept(request: HttpRequest, reference: s.Reference, payload: s.RefusalIn) -> Complaint:
    """Decide not to accept the complaint, on a ground in the landlord's policy (2.1 to 2.5)."""
    complaint = actions.not_accept(
        _complaint(request, reference),
        caller(request),
        ground=payload.ground,
        explanation=payload.explanation,
        ombudsman_rights_given=payload.ombudsman_rights_given,
        on=payload.on,
        review_note=payload.review_note,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/refuse-escalation", response={200: s.ComplaintDetail, **REFUSALS})
def refuse_escalation(request: HttpRequest, reference: s.Reference, payload: s.RefusalIn) -> Complaint:
    """Refuse a request for stage 2, for a reason that meets section 2 of the Code (5.11)."""
    complaint = actions.refuse_escalation(
        _complaint(request, reference),
        caller(request),
        ground=payload.ground,
        explanation=payload.explanation,
        ombudsman_rights_given=payload.ombudsman_rights_given,
        on=payload.on,
        review_note=payload.review_note,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/withdraw", response={200: s.ComplaintDetail, **REFUSALS})
def withdraw(request: HttpRequest, reference: s.Reference, payload: s.WithdrawIn) -> Complaint:
    """Record that the resident withdrew the complaint, and how they said so."""
    complaint = actions.withdraw(
        _complaint(request, reference),
        caller(request),
        how=payload.how,
        on=payload.on,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/close", response={200: s.ComplaintDetail, **REFUSALS})
def close(request: HttpRequest, reference: s.Reference, payload: s.CloseIn) -> Complaint:
    """Close a responded complaint once its remedies are agreed or declined."""
    complaint = actions.close(
        _complaint(request, reference), caller(request), on=payload.on, expected_version=payload.version
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/ombudsman-referral", response={200: s.ComplaintDetail, **REFUSALS})
def record_ombudsman_referral(
    request: HttpRequest, reference: s.Reference, payload: s.OmbudsmanReferralIn
) -> Complaint:
    """Record that the resident took the complaint to the Housing Ombudsman."""
    complaint = actions.record_ombudsman_referral(
        _complaint(request, reference),
        caller(request),
        on=payload.on,
        ombudsman_reference=payload.ombudsman_reference,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)


@router.post("/complaints/{reference}/actions/{action_id}/updates", response={201: s.OutstandingActionOut, **REFUSALS})
def update_action(
    request: HttpRequest, reference: s.Reference, action_id: s.Id, payload: s.ActionUpdateIn
) -> Status[OutstandingAction]:
    """Record progress on an outstanding action, or its completion (6.6, 6.17)."""
    complaint = _complaint(request, reference)
    action = OutstandingAction.objects.filter(pk=action_id, complaint=complaint).first()
    if action is None:
        raise NotFound("outstanding action")
    action.complaint = complaint
    updated = actions.update_action(
        action,
        caller(request),
        note=payload.note,
        resident_told=payload.resident_told,
        completed_on=payload.completed_on,
        expected_version=payload.version,
    )
    shown = OutstandingAction.objects.select_related("owner").prefetch_related("updates__recorded_by")
    return Status(201, shown.get(pk=updated.pk))

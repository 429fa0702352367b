"""/contractors and /complaints/{reference}/information-requests: the landlord's contractors, and the
contractors, teams and colleagues asked to contribute to a complaint (Code 5.4, 5.5, 6.20).

Each view fetches through the access layer first (another landlord's complaint or contractor is a
404), calls one action of putright.contributions.actions, and answers with the row as it now is.
A POST with an Idempotency-Key is answered once (putright.api.idempotency); the key also goes with
the request it sends, so two copies racing each other send one request.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint
from putright.api.errors import NotFound
from putright.api.idempotency import HEADER
from putright.complaints.models import Complaint
from putright.contributions import access, actions, queries
from putright.contributions.models import (
    ANSWER_LIMIT,
    QUESTION_LIMIT,
    REASON_LIMIT,
    Contractor,
    InformationRequest,
    PartyKind,
)

router = Router(tags=["contributions"])


class ContractorIn(s.BodyIn):
    name: s.Text = Field(max_length=200)
    email: s.Text = Field("", max_length=254)
    phone: s.Text = Field("", max_length=40)
    service_areas: list[s.Text] = Field(default_factory=list, max_length=20, description="Standard service areas")


class ContractorChangeIn(s.BodyIn):
    name: s.Text | None = Field(None, max_length=200)
    email: s.Text | None = Field(None, max_length=254)
    phone: s.Text | None = Field(None, max_length=40)
    service_areas: list[s.Text] | None = Field(None, max_length=20)
    active: bool | None = Field(None, description="False deactivates the contractor; true makes it active again")
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="The contractor's version when you read it")


class ContractorOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    service_areas: list[str]
    active: bool
    version: int


class ContractorList(Schema):
    items: list[ContractorOut]


class InformationRequestIn(s.BodyIn):
    party_kind: PartyKind
    contractor_id: int | None = Field(None, ge=1, le=s.MAX_ID, description="For a contractor")
    colleague: s.Username | None = Field(None, description="For a colleague: their username")
    team_name: s.Text = Field("", max_length=200, description="For another team")
    team_email: s.Text = Field("", max_length=254, description="For another team")
    question: s.Text = Field(max_length=QUESTION_LIMIT)
    due_days: int = Field(5, description="Working days to answer, 1 to 20, counted in the landlord's calendar")
    version: s.Version = None


class InformationAnswerIn(s.BodyIn):
    answer: s.Text = Field(max_length=ANSWER_LIMIT)
    answered_on: date | None = Field(None, description="Today if not given")
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="The request's version when you read it")


class InformationWithdrawIn(s.BodyIn):
    reason: s.Text = Field(max_length=REASON_LIMIT)
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="The request's version when you read it")


class InformationRemindIn(s.BodyIn):
    version: int | None = Field(None, ge=1, le=2_147_483_647, description="The request's version when you read it")


class InformationRequestOut(Schema):
    id: int
    stage: int = Field(alias="stage_number")
    party_kind: str
    party_name: str
    contractor_id: int | None
    colleague: str | None
    team_name: str
    question: str
    asked_on: date
    due_days: int
    due_on: date
    state: str
    answered_on: date | None
    answer: str
    answered_by: str | None = Field(description="'email' for an answer by email, else who recorded it")
    answer_email_id: int | None
    withdrawn_on: date | None
    withdrawal_reason: str
    reminders_sent: int
    last_reminded_on: date | None
    version: int

    @staticmethod
    def resolve_colleague(obj: InformationRequest) -> str | None:
        return obj.colleague.username if obj.colleague is not None else None

    @staticmethod
    def resolve_answered_by(obj: InformationRequest) -> str | None:
        if obj.answer_email_id is not None:
            return "email"
        return obj.answered_by.username if obj.answered_by is not None else None


class InformationRequestList(Schema):
    items: list[InformationRequestOut]


def _contractor(request: HttpRequest, contractor_id: int) -> Contractor:
    staff = access.require_reader(caller(request))
    found = Contractor.objects.filter(pk=contractor_id, landlord_id=staff.landlord_id).first()
    if found is None:
        raise NotFound("contractor")
    return found


def _request(complaint: Complaint, request_id: int) -> InformationRequest:
    try:
        return queries.requests_on(complaint).get(pk=request_id)
    except InformationRequest.DoesNotExist:
        raise NotFound("information request") from None


def _fresh(asked: InformationRequest) -> InformationRequest:
    return queries.requests_on(asked.complaint).get(pk=asked.pk)


@router.get("/contractors", response={200: ContractorList, 403: s.ErrorOut, **READ_REFUSALS})
def list_contractors(request: HttpRequest) -> dict[str, object]:
    """Your landlord's contractors, active first."""
    staff = access.require_reader(caller(request))
    return {"items": list(queries.contractors_of(staff.landlord_id))}


@router.post("/contractors", response={201: ContractorOut, **REFUSALS})
def add_contractor(request: HttpRequest, payload: ContractorIn) -> Status[Contractor]:
    """Add a contractor (complaints officers and managers)."""
    added = actions.add_contractor(caller(request), actions.ContractorInput(**payload.model_dump()))
    return Status(201, added)


@router.patch("/contractors/{contractor_id}", response={200: ContractorOut, **REFUSALS})
def change_contractor(request: HttpRequest, contractor_id: int, payload: ContractorChangeIn) -> Contractor:
    """Change a contractor's details, or deactivate it (complaints officers and managers)."""
    contractor = _contractor(request, contractor_id)
    user = caller(request)
    access.require_keeper(user, contractor.landlord_id)
    details = payload.model_dump(exclude={"active", "version"}, exclude_none=True)
    with transaction.atomic():  # the details and the activity change together, or neither does
        return _change(contractor, user, details, payload)


def _change(contractor: Contractor, user: User, details: dict[str, Any], payload: ContractorChangeIn) -> Contractor:
    if details:
        contractor = actions.edit_contractor(
            contractor,
            user,
            actions.ContractorInput(
                name=details.get("name", contractor.name),
                email=details.get("email", contractor.email),
                phone=details.get("phone", contractor.phone),
                service_areas=details.get("service_areas", contractor.service_areas),
            ),
            expected_version=payload.version,
        )
    if payload.active is not None and payload.active != contractor.active:
        contractor = actions.set_contractor_active(
            contractor, user, payload.active, expected_version=None if details else payload.version
        )
    return contractor


@router.get("/complaints/{reference}/information-requests", response={200: InformationRequestList, **READ_REFUSALS})
def list_information_requests(request: HttpRequest, reference: s.Reference) -> dict[str, object]:
    """The contractors, teams and colleagues asked for information on the complaint, oldest first."""
    return {"items": list(queries.requests_on(_complaint(request, reference)))}


@router.post("/complaints/{reference}/information-requests", response={201: InformationRequestOut, **REFUSALS})
def send_information_request(
    request: HttpRequest, reference: s.Reference, payload: InformationRequestIn
) -> Status[InformationRequest]:
    """Ask a contractor, another team or a colleague for information, due in working days; they are
    emailed, and their reply to that email is recorded as the answer."""
    complaint = _complaint(request, reference)
    user = caller(request)
    contractor = (
        Contractor.objects.filter(pk=payload.contractor_id, landlord_id=complaint.landlord_id).first()
        if payload.contractor_id
        else None
    )
    colleague = User.objects.filter(username=payload.colleague).first() if payload.colleague else None
    key = request.headers.get(HEADER)
    asked = actions.send_request(
        complaint,
        user,
        actions.RequestInput(
            party_kind=payload.party_kind,
            question=payload.question,
            due_days=payload.due_days,
            contractor=contractor,
            colleague=colleague,
            team_name=payload.team_name,
            team_email=payload.team_email,
        ),
        # The whole key (up to 255 characters) decides, in the 64 the column keeps: two keys never share a digest.
        submission_key=f"api:{user.pk}:{hashlib.sha256(key.encode()).hexdigest()[:40]}" if key else None,
        expected_version=payload.version,
    )
    return Status(201, _fresh(asked))


@router.post(
    "/complaints/{reference}/information-requests/{request_id}/answer",
    response={200: InformationRequestOut, **REFUSALS},
)
def answer_information_request(
    request: HttpRequest, reference: s.Reference, request_id: int, payload: InformationAnswerIn
) -> InformationRequest:
    """Record the party's answer, given by phone, in a meeting or in an email that went elsewhere."""
    asked = _request(_complaint(request, reference), request_id)
    done = actions.record_answer(
        asked, caller(request), payload.answer, answered_on=payload.answered_on, expected_version=payload.version
    )
    return _fresh(done)


@router.post(
    "/complaints/{reference}/information-requests/{request_id}/withdraw",
    response={200: InformationRequestOut, **REFUSALS},
)
def withdraw_information_request(
    request: HttpRequest, reference: s.Reference, request_id: int, payload: InformationWithdrawIn
) -> InformationRequest:
    """Withdraw a request that is no longer needed, saying why."""
    asked = _request(_complaint(request, reference), request_id)
    done = actions.withdraw_request(asked, caller(request), payload.reason, expected_version=payload.version)
    return _fresh(done)


@router.post(
    "/complaints/{reference}/information-requests/{request_id}/remind",
    response={200: InformationRequestOut, **REFUSALS},
)
def remind_information_request(
    request: HttpRequest, reference: s.Reference, request_id: int, payload: InformationRemindIn
) -> InformationRequest:
    """Remind the party by email now (at most once a day)."""
    asked = _request(_complaint(request, reference), request_id)
    done = actions.send_reminder(asked, caller(request), expected_version=payload.version)
    return _fresh(done)

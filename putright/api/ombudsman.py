"""/ombudsman/cases: the Housing Ombudsman's cases on a landlord's complaints, the evidence it asks
for and what was sent, its determinations, and the orders and recommendations carried out.

Each view fetches through `putright.ombudsman.access` (another landlord's case is a 404, like one
that does not exist), calls one action, and answers with the case as it now stands. Every reader of
the landlord's complaints reads its cases; complaints officers and managers act on them; the owner
of an order records its progress.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from putright import clock
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, colleague
from putright.api.errors import NotFound
from putright.bundles import actions as bundle_actions
from putright.complaints import access as complaint_access
from putright.ombudsman import actions, queries
from putright.ombudsman.access import cases_visible_to, require_bundle_download
from putright.ombudsman.models import (
    CaseStage,
    Determination,
    EvidenceBundle,
    EvidenceRequest,
    Finding,
    OmbudsmanCase,
    Order,
)

router = Router(tags=["ombudsman"])


# Remedy.Kind is "Kind" in the OpenAPI document already: the API names this one apart, with the model's values.
class OrderKind(StrEnum):
    ORDER = "order"
    RECOMMENDATION = "recommendation"
    COMPLAINT_HANDLING_FAILURE = "chfo"


assert [kind.value for kind in OrderKind] == Order.Kind.values

CaseVersion = Annotated[
    int | None,
    Field(
        ge=1,
        le=s.MAX_VERSION,
        description="The case's version when you read it: the change is refused (409) if it has moved on.",
    ),
]
OmbudsmanReference = Annotated[s.Text, Field(max_length=20, description="9 digits, like 202412345")]
DocumentIds = Annotated[
    list[s.Id], Field(default_factory=list, max_length=50, description="Ids of documents on the complaint's record")
]


# -- what the API answers with ----------------------------------------------------------------------


class DocumentOut(Schema):
    id: int
    name: str


class EvidenceRequestOut(Schema):
    id: int
    what: str
    requested_on: date
    policy_due_on: date = Field(description="The date from the landlord's policy (its working days for evidence)")
    ombudsman_due_on: date | None = Field(description="The date the Ombudsman gave, if any: the one to meet")
    due_on: date = Field(description="The date that applies")
    sent_on: date | None
    sent_by: str | None
    response: str
    documents: list[DocumentOut]


class DeterminationOut(Schema):
    id: int
    element: str
    finding: Finding
    determined_on: date


class OrderUpdateOut(Schema):
    note: str
    recorded_by: str
    recorded_at: datetime


class OrderOut(Schema):
    id: int
    kind: OrderKind
    what: str
    owner: str
    due_on: date
    overdue: bool
    determination_id: int | None
    completed_on: date | None
    compliance_evidence: str
    documents: list[DocumentOut]
    confirmed_on: date | None = Field(description="The day the Ombudsman confirmed compliance")
    updates: list[OrderUpdateOut]


class CaseSummary(Schema):
    id: int
    reference: str
    complaint: str = Field(description="The complaint's reference")
    enquiry_received_on: date
    referred_on: date | None
    stage: CaseStage
    closed_on: date | None
    version: int


class CaseOut(CaseSummary):
    evidence_requests: list[EvidenceRequestOut]
    determinations: list[DeterminationOut]
    orders: list[OrderOut]


class CaseList(Schema):
    items: list[CaseSummary]


# -- what it reads ------------------------------------------------------------------------------------


class CaseIn(s.BodyIn):
    complaint: s.Reference = Field(description="The complaint's reference")
    reference: OmbudsmanReference
    enquiry_received_on: date
    referred_on: date | None = Field(None, description="Given, the complaint's referral is recorded too")


class StageIn(s.BodyIn):
    version: CaseVersion = None
    to: CaseStage
    on: date


class EvidenceRequestIn(s.BodyIn):
    version: CaseVersion = None
    what: s.Text = Field(max_length=5_000)
    requested_on: date
    ombudsman_due_on: date | None = Field(None, description="Leave out if the Ombudsman gave no date")


class EvidenceSentIn(s.BodyIn):
    version: CaseVersion = None
    sent_on: date
    response: s.Text = Field(max_length=10_000, description="What was sent")
    documents: DocumentIds
    bundle_version: int | None = Field(
        None, ge=1, le=s.MAX_VERSION, description="The version of the evidence bundle sent, if one was"
    )


class DeterminationIn(s.BodyIn):
    version: CaseVersion = None
    element: s.Text = Field(max_length=2_000)
    finding: Finding
    determined_on: date


class OrderIn(s.BodyIn):
    version: CaseVersion = None
    kind: OrderKind
    what: s.Text = Field(max_length=5_000)
    owner: s.Username
    due_on: date
    determination_id: s.Id | None = None


class OrderUpdateIn(s.BodyIn):
    version: CaseVersion = None
    note: s.Text = Field("", max_length=5_000)
    completed_on: date | None = Field(None, description="Given, the order was complied with on this day")
    evidence: s.Text = Field("", max_length=10_000, description="Needed with completed_on")
    documents: DocumentIds


class ConfirmationIn(s.BodyIn):
    version: CaseVersion = None
    on: date


# -- answering -----------------------------------------------------------------------------------------


def _who(user: Any) -> str | None:
    return (user.get_full_name() or user.username) if user is not None else None


def _documents(item: EvidenceRequest | Order) -> list[dict[str, Any]]:
    return [{"id": d.pk, "name": d.name} for d in item.documents.all()]


def _summary(case: OmbudsmanCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "complaint": case.complaint.reference,
        "enquiry_received_on": case.enquiry_received_on,
        "referred_on": case.referred_on,
        "stage": case.stage,
        "closed_on": case.closed_on,
        "version": case.version,
    }


def _answer(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _record(request, case_id)
    today = clock.today()
    return {
        **_summary(case),
        "evidence_requests": [
            {
                "id": r.pk,
                "what": r.what,
                "requested_on": r.requested_on,
                "policy_due_on": r.policy_due_on,
                "ombudsman_due_on": r.ombudsman_due_on,
                "due_on": r.due_on,
                "sent_on": r.sent_on,
                "sent_by": _who(r.sent_by),
                "response": r.response,
                "documents": _documents(r),
            }
            for r in case.evidence_requests.all()
        ],
        "determinations": [
            {"id": d.pk, "element": d.element, "finding": d.finding, "determined_on": d.determined_on}
            for d in case.determinations.all()
        ],
        "orders": [
            {
                "id": o.pk,
                "kind": o.kind,
                "what": o.what,
                "owner": _who(o.owner),
                "due_on": o.due_on,
                "overdue": o.overdue_on(today),
                "determination_id": o.determination_id,
                "completed_on": o.completed_on,
                "compliance_evidence": o.compliance_evidence,
                "documents": _documents(o),
                "confirmed_on": o.confirmed_on,
                "updates": [
                    {"note": u.note, "recorded_by": _who(u.recorded_by), "recorded_at": u.recorded_at}
                    for u in o.updates.all()
                ],
            }
            for o in case.orders.all()
        ],
    }


def _record(request: HttpRequest, case_id: int) -> OmbudsmanCase:
    try:
        return queries.case_record(caller(request), case_id)
    except OmbudsmanCase.DoesNotExist:
        raise NotFound("Ombudsman case") from None


def _case(request: HttpRequest, case_id: int) -> OmbudsmanCase:
    case = cases_visible_to(caller(request)).select_related("complaint").filter(pk=case_id).first()
    if case is None:
        raise NotFound("Ombudsman case")
    complaint_access.act_for(caller(request), case.landlord_id)  # the rest of the call acts for the case's landlord
    return case


def _in_case(model: type[EvidenceRequest] | type[Order], case: OmbudsmanCase, pk: int, what: str) -> Any:
    found = model.objects.filter(case=case, pk=pk).first()
    if found is None:
        raise NotFound(what)
    found.case = case
    return found


# -- the operations ------------------------------------------------------------------------------------


@router.get("/ombudsman/cases", response={200: CaseList, **READ_REFUSALS})
def list_ombudsman_cases(request: HttpRequest, stage: Query[CaseStage | None] = None) -> dict[str, Any]:
    """The landlord's Ombudsman cases, open first and newest first (up to 200)."""
    found = queries.case_list(caller(request), today=clock.today(), stage=stage or "")
    return {"items": [_summary(case) for case in found]}


@router.get("/ombudsman/cases/{case_id}", response={200: CaseOut, **READ_REFUSALS})
def get_ombudsman_case(request: HttpRequest, case_id: s.Id) -> dict[str, Any]:
    """One case with its evidence requests, determinations and orders."""
    return _answer(request, case_id)


@router.post("/ombudsman/cases", response={201: CaseOut, **REFUSALS})
def open_ombudsman_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """Open the Ombudsman's case on a complaint (one open case per complaint); with `referred_on`,
    the complaint's referral is recorded too."""
    case = actions.open_case(
        _complaint(request, payload.complaint),
        caller(request),
        reference=payload.reference,
        enquiry_received_on=payload.enquiry_received_on,
        referred_on=payload.referred_on,
    )
    return Status(201, _answer(request, case.pk))


@router.post("/ombudsman/cases/{case_id}/stage", response={200: CaseOut, **REFUSALS})
def move_ombudsman_case(request: HttpRequest, case_id: s.Id, payload: StageIn) -> dict[str, Any]:
    """Move the case to a stage its stage allows; it closes once every order's compliance is confirmed."""
    actions.move_case(
        _case(request, case_id), caller(request), to=payload.to, on=payload.on, expected_version=payload.version
    )
    return _answer(request, case_id)


@router.post("/ombudsman/cases/{case_id}/evidence-requests", response={201: CaseOut, **REFUSALS})
def request_ombudsman_evidence(
    request: HttpRequest, case_id: s.Id, payload: EvidenceRequestIn
) -> Status[dict[str, Any]]:
    """Record what the Ombudsman asked for: due on its date if it gave one, else the policy's."""
    actions.request_evidence(
        _case(request, case_id),
        caller(request),
        what=payload.what,
        requested_on=payload.requested_on,
        ombudsman_due_on=payload.ombudsman_due_on,
        expected_version=payload.version,
    )
    return Status(201, _answer(request, case_id))


@router.post("/ombudsman/cases/{case_id}/evidence-requests/{request_id}/response", response={200: CaseOut, **REFUSALS})
def record_ombudsman_evidence_sent(
    request: HttpRequest, case_id: s.Id, request_id: s.Id, payload: EvidenceSentIn
) -> dict[str, Any]:
    """Record what was sent in answer to an evidence request, and when."""
    asked = _in_case(EvidenceRequest, _case(request, case_id), request_id, "evidence request")
    actions.record_evidence_sent(
        asked,
        caller(request),
        sent_on=payload.sent_on,
        response=payload.response,
        documents=payload.documents,
        bundle_version=payload.bundle_version,
        expected_version=payload.version,
    )
    return _answer(request, case_id)


@router.post("/ombudsman/cases/{case_id}/determinations", response={201: CaseOut, **REFUSALS})
def record_ombudsman_determination(
    request: HttpRequest, case_id: s.Id, payload: DeterminationIn
) -> Status[dict[str, Any]]:
    """Record the Ombudsman's finding on one element of the complaint."""
    actions.record_determination(
        _case(request, case_id),
        caller(request),
        element=payload.element,
        finding=payload.finding,
        determined_on=payload.determined_on,
        expected_version=payload.version,
    )
    return Status(201, _answer(request, case_id))


@router.post("/ombudsman/cases/{case_id}/orders", response={201: CaseOut, **REFUSALS})
def add_ombudsman_order(request: HttpRequest, case_id: s.Id, payload: OrderIn) -> Status[dict[str, Any]]:
    """Record an order, a recommendation or a complaint handling failure order, with its owner and deadline."""
    case = _case(request, case_id)
    determination = None
    if payload.determination_id is not None:
        determination = Determination.objects.filter(case=case, pk=payload.determination_id).first()
        if determination is None:
            raise NotFound("determination")
    actions.add_order(
        case,
        caller(request),
        kind=payload.kind,
        what=payload.what,
        owner=colleague(request, payload.owner, "owner"),
        due_on=payload.due_on,
        determination=determination,
        expected_version=payload.version,
    )
    return Status(201, _answer(request, case_id))


@router.post("/ombudsman/cases/{case_id}/orders/{order_id}/updates", response={200: CaseOut, **REFUSALS})
def update_ombudsman_order(
    request: HttpRequest, case_id: s.Id, order_id: s.Id, payload: OrderUpdateIn
) -> dict[str, Any]:
    """Record progress on an order, or that it was complied with and the evidence of it."""
    order = _in_case(Order, _case(request, case_id), order_id, "order")
    actions.update_order(
        order,
        caller(request),
        note=payload.note,
        completed_on=payload.completed_on,
        evidence=payload.evidence,
        documents=payload.documents,
        expected_version=payload.version,
    )
    return _answer(request, case_id)


@router.post("/ombudsman/cases/{case_id}/orders/{order_id}/confirmation", response={200: CaseOut, **REFUSALS})
def confirm_ombudsman_compliance(
    request: HttpRequest, case_id: s.Id, order_id: s.Id, payload: ConfirmationIn
) -> dict[str, Any]:
    """Record the day the Ombudsman confirmed compliance with an order (9.7)."""
    order = _in_case(Order, _case(request, case_id), order_id, "order")
    actions.confirm_compliance(order, caller(request), on=payload.on, expected_version=payload.version)
    return _answer(request, case_id)


# -- the evidence bundle --------------------------------------------------------------------------------


class BundleFile(Schema):
    name: str
    what: str
    size: int
    sha256: str


class BundleOut(Schema):
    case_id: int
    version: int
    state: EvidenceBundle.State
    files_done: int
    files_total: int
    requested_by: str
    requested_at: datetime
    built_at: datetime | None
    sha256: str | None = Field(description="The zip's SHA-256, once built")
    size: int | None = Field(description="The zip's size in bytes, once built")
    files: list[BundleFile] = Field(description="What the zip holds, once built")
    url: str = Field(description="Where to read the bundle's state")
    download_url: str | None = Field(description="Where to download the zip, once built")


def _bundle_out(bundle: EvidenceBundle) -> dict[str, Any]:
    path = f"/api/v1/ombudsman/cases/{bundle.case_id}/bundles/{bundle.version}"
    ready = bundle.state == EvidenceBundle.State.READY
    return {
        "case_id": bundle.case_id,
        "version": bundle.version,
        "state": bundle.state,
        "files_done": bundle.files_done,
        "files_total": bundle.files_total,
        "requested_by": _who(bundle.requested_by),
        "requested_at": bundle.requested_at,
        "built_at": bundle.built_at,
        "sha256": bundle.sha256 or None,
        "size": bundle.size if ready else None,
        "files": bundle.manifest if ready else [],
        "url": path,
        "download_url": f"{path}/download" if ready else None,
    }


def _bundle(request: HttpRequest, case_id: int, version: int) -> EvidenceBundle:
    case = _case(request, case_id)
    bundle = EvidenceBundle.objects.filter(case=case, version=version).select_related("requested_by").first()
    if bundle is None:
        raise NotFound("evidence bundle")
    bundle.case = case
    return bundle


@router.post("/ombudsman/cases/{case_id}/bundles", response={202: BundleOut, **REFUSALS})
def build_ombudsman_bundle(request: HttpRequest, case_id: s.Id) -> Status[dict[str, Any]]:
    """Build the next version of the evidence bundle in the background (5.12): follow `url` for its
    progress. Refused (409) while one is being built or when nothing is new since the last."""
    bundle = bundle_actions.request_bundle(_case(request, case_id), caller(request))
    return Status(202, _bundle_out(bundle))


@router.get("/ombudsman/cases/{case_id}/bundles/{version}", response={200: BundleOut, **READ_REFUSALS})
def get_ombudsman_bundle(request: HttpRequest, case_id: s.Id, version: s.Id) -> dict[str, Any]:
    """One version of the evidence bundle: its progress, then its checksum and contents."""
    return _bundle_out(_bundle(request, case_id, version))


@router.get(
    "/ombudsman/cases/{case_id}/bundles/{version}/download",
    response={200: None, 403: s.ErrorOut, 409: s.ErrorOut, **READ_REFUSALS},
    openapi_extra={"responses": {200: {"description": "The bundle as a zip", "content": {"application/zip": {}}}}},
)
def download_ombudsman_bundle(request: HttpRequest, case_id: s.Id, version: s.Id) -> HttpResponse:
    """The bundle's zip, with its SHA-256 in X-Content-SHA256; 409 until it is built. Complaints
    officers, managers and the auditor download it."""
    bundle = _bundle(request, case_id, version)
    require_bundle_download(complaint_access.require_staff(caller(request)), bundle.case.landlord_id)
    if bundle.state != EvidenceBundle.State.READY:
        raise HttpError(409, "The evidence bundle is still being built: try again in a minute.")
    with bundle.file.open("rb") as file:
        content = file.read()
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    response["X-Content-SHA256"] = bundle.sha256
    return response

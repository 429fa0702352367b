"""/complaints/{reference}/priority: the triage of complexity and risk (6.1), and what the record suggests."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, record
from putright.complaints import actions
from putright.complaints.models import Complaint, Complexity, RiskFactor

router = Router(tags=["complaints"])


class PriorityIn(s.BodyIn):
    version: s.Version = None
    priority: s.PriorityName
    complexity: Complexity
    risk_factors: list[RiskFactor] = Field(default_factory=list, max_length=len(RiskFactor.values))
    reason: s.Text = Field(max_length=2_000, description="Why the triage is changing: kept on the timeline")


class SuggestionOut(Schema):
    factor: RiskFactor
    label: str
    why: str


class TriageOut(Schema):
    priority: s.PriorityName
    complexity: Complexity
    risk_factors: list[RiskFactor]
    priority_reason: str
    suggested: list[SuggestionOut] = Field(description="The risk factors the record points to, for staff to confirm")


@router.get("/complaints/{reference}/priority", response={200: TriageOut, **READ_REFUSALS})
def priority(request: HttpRequest, reference: s.Reference) -> dict[str, object]:
    """The complaint's triage (6.1), with the risk factors the record suggests."""
    complaint = _complaint(request, reference)
    suggested = actions.suggest(
        complaint.person,
        service_area=complaint.service_area,
        description=complaint.description,
        received_on=complaint.received_on,
        exclude=complaint,
    )
    return {
        "priority": s.ComplaintDetail.resolve_priority(complaint),
        "complexity": complaint.complexity,
        "risk_factors": complaint.risk_factors,
        "priority_reason": complaint.priority_reason,
        "suggested": [{"factor": x.factor, "label": x.label, "why": x.why} for x in suggested],
    }


@router.post("/complaints/{reference}/priority", response={200: s.ComplaintDetail, **REFUSALS})
def change_priority(request: HttpRequest, reference: s.Reference, payload: PriorityIn) -> Complaint:
    """Change the triage, with a reason, by whoever may work on the complaint's stage (6.1)."""
    complaint = actions.set_priority(
        _complaint(request, reference),
        caller(request),
        priority=s.PRIORITY_VALUES[payload.priority],
        complexity=payload.complexity,
        risk_factors=[str(f) for f in payload.risk_factors],
        reason=payload.reason,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)

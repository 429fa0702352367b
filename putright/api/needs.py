"""/residents/{id}/needs and what changes them (5.10): reasonable adjustments and vulnerabilities
recorded, changed, reviewed and ended, safeguarding concerns, and the tasks adjustments set a stage.

The same rule as the pages (`access.can_see_needs`): every reader of the landlord's records reads the
adjustments and whether a vulnerability or safeguarding concern is recorded; only complaints
officers, managers and the people working one of the resident's complaints read their detail or
change them. Another landlord's resident is a 404.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright.access_log import AccessKind, record_access
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, colleague
from putright.api.errors import NotFound
from putright.complaints import access, actions
from putright.complaints.models import AdjustmentTask
from putright.complaints.needs import Needs, Restricted, person_needs
from putright.people.models import EndReason, Person, ReasonableAdjustment, SafeguardingConcern, Vulnerability

router = Router(tags=["needs"])


class AdjustmentKind(StrEnum):
    LARGE_PRINT = "large-print"
    BRAILLE = "braille"
    AUDIO = "audio"
    EASY_READ = "easy-read"
    INTERPRETER = "interpreter"
    PHONE_CALL = "phone-call"
    PHONE_FIRST = "phone-first"
    NAMED_CONTACT = "named-contact"
    CONTACT_LIMITS = "contact-limits"
    ADVOCATE = "advocate"
    OTHER = "other"


class NeedEndReason(StrEnum):
    NO_LONGER_NEEDED = "no-longer-needed"
    RESIDENT_ASKED = "resident-asked"
    REPLACED = "replaced"
    RECORDED_IN_ERROR = "recorded-in-error"
    OTHER = "other"


class ConsentFrom(StrEnum):
    RESIDENT = "resident"
    REPRESENTATIVE = "representative"


class ConsentHow(StrEnum):
    VERBAL = "verbal"
    WRITTEN = "written"
    ONLINE = "online"


assert [k.value for k in AdjustmentKind] == ReasonableAdjustment.Kind.values
assert [k.value for k in NeedEndReason] == EndReason.values
assert [k.value for k in ConsentFrom] == Vulnerability.ConsentFrom.values
assert [k.value for k in ConsentHow] == Vulnerability.ConsentHow.values


# -- schemas --------------------------------------------------------------------------------------


class AdjustmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    detail: str
    agreed_on: date
    review_on: date | None
    reviewed_on: date | None
    ended_on: date | None
    end_reason: str


class RestrictedOut(Schema):
    id: int
    description: str
    on: date = Field(description="When the resident told us (a vulnerability) or it was seen (a concern)")
    review_on: date | None = None
    referred_to: str = ""
    referred_on: date | None = None
    outcome: str = ""
    outcome_on: date | None = None


class NeedsOut(Schema):
    resident_id: int
    details_restricted: bool = Field(
        description="True when your role may not read vulnerabilities and safeguarding: only that they exist"
    )
    vulnerable: bool
    safeguarding: bool
    adjustments: list[AdjustmentOut]
    vulnerabilities: list[RestrictedOut]
    safeguarding_concerns: list[RestrictedOut]


class AdjustmentIn(s.BodyIn):
    kind: AdjustmentKind
    detail: s.Text = Field("", max_length=300)
    agreed_on: date | None = None
    review_on: date | None = Field(None, description="Default: 12 months from when it was agreed")


class AdjustmentChangeIn(s.BodyIn):
    kind: AdjustmentKind
    detail: s.Text = Field("", max_length=300)
    review_on: date
    reviewed: bool = Field(False, description="Reviewed with the resident today (5.10)")


class NeedEndIn(s.BodyIn):
    reason: NeedEndReason
    note: s.Text = Field("", max_length=2_000)
    on: date | None = None


class VulnerabilityIn(s.BodyIn):
    description: s.Text = Field(max_length=300)
    disclosed_on: date
    consent_given: bool = Field(description="Without the resident's consent it cannot be recorded (5.10)")
    consent_from: ConsentFrom | None = None
    consent_how: ConsentHow | None = None
    consent_on: date | None = None
    review_on: date | None = None


class VulnerabilityChangeIn(s.BodyIn):
    description: s.Text = Field(max_length=300)
    review_on: date
    reviewed: bool = False


class VulnerabilityOut(Schema):
    id: int
    description: str
    disclosed_on: date
    consent_from: str
    consent_how: str
    consent_on: date | None
    review_on: date | None
    ended_on: date | None


class ReferralIn(s.BodyIn):
    referred_to: s.Text = Field("", max_length=300)
    referred_on: date | None = None
    referred_by: s.Username | None = Field(None, description="The username of the member of staff who referred")


class SafeguardingIn(ReferralIn):
    seen: s.Text = Field(max_length=5_000)
    seen_on: date


class SafeguardingUpdateIn(ReferralIn):
    outcome: s.Text = Field("", max_length=5_000)
    outcome_on: date | None = None


class SafeguardingOut(Schema):
    id: int
    seen: str
    seen_on: date
    referred_to: str
    referred_on: date | None
    outcome: str
    outcome_on: date | None


class DoneIn(s.BodyIn):
    on: date
    note: s.Text = Field("", max_length=2_000)


class PhoneCallIn(DoneIn):
    adjustment_id: s.Id


class TaskOut(Schema):
    id: int
    kind: str
    what: str
    stage: int
    done_on: date | None
    note: str


# -- fetching -------------------------------------------------------------------------------------


def _resident(request: HttpRequest, resident_id: int) -> Person:
    landlord_id = access.reading_landlord(caller(request))
    person = Person.objects.filter(pk=resident_id, landlord_id=landlord_id).first() if landlord_id else None
    if person is None:
        raise NotFound("resident")
    return person


Need = TypeVar("Need", ReasonableAdjustment, Vulnerability, SafeguardingConcern)


def _mine(request: HttpRequest, model: type[Need], pk: int, what: str) -> Need:
    landlord_id = access.reading_landlord(caller(request))
    found = model._default_manager.filter(pk=pk, person__landlord_id=landlord_id).first() if landlord_id else None
    if found is None:
        raise NotFound(what)
    return found


def _referrer(request: HttpRequest, username: str | None) -> User | None:
    return colleague(request, username, "referred_by") if username else None


def _restricted_out(rows: list[Restricted]) -> list[dict[str, object]]:
    return [
        {
            "id": r.pk,
            "description": r.text,
            "on": r.on,
            "review_on": r.review_on if r.kind == "vulnerability" else None,
            "referred_to": r.referred_to,
            "referred_on": r.review_on if r.kind == "safeguarding" else None,
            "outcome": r.outcome,
            "outcome_on": r.outcome_on,
        }
        for r in rows
    ]


def _needs_out(person: Person, needs: Needs) -> dict[str, object]:
    return {
        "resident_id": person.pk,
        "details_restricted": not needs.detail,
        "vulnerable": needs.vulnerable,
        "safeguarding": needs.safeguarding,
        "adjustments": [_adjustment_out(a) for a in needs.adjustments],
        "vulnerabilities": _restricted_out(needs.vulnerabilities),
        "safeguarding_concerns": _restricted_out(needs.concerns),
    }


def _adjustment_out(a: ReasonableAdjustment) -> dict[str, object]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "detail": a.detail,
        "agreed_on": a.agreed_on,
        "review_on": a.review_on,
        "reviewed_on": a.reviewed_on,
        "ended_on": a.ended_on,
        "end_reason": a.end_reason,
    }


def _task_out(task: AdjustmentTask) -> dict[str, object]:
    return {
        "id": task.pk,
        "kind": task.kind,
        "what": task.what,
        "stage": task.stage.number,
        "done_on": task.done_on,
        "note": task.note,
    }


# -- reading --------------------------------------------------------------------------------------


@router.get("/residents/{resident_id}/needs", response={200: NeedsOut, **READ_REFUSALS})
def get_needs(request: HttpRequest, resident_id: s.Id) -> dict[str, object]:
    """The resident's standing adjustments, and their vulnerabilities and safeguarding concerns as your
    role may read them (5.10)."""
    person = _resident(request, resident_id)
    needs = person_needs(access.require_staff(caller(request)), person.pk)
    record_access(
        caller(request),
        person.landlord_id,
        AccessKind.NEEDS,
        f"Resident {person.pk}",
        request.path,
        object_id=person.pk,
    )
    return _needs_out(person, needs)


# -- adjustments ----------------------------------------------------------------------------------


@router.post("/residents/{resident_id}/adjustments", response={201: AdjustmentOut, **REFUSALS})
def record_adjustment(request: HttpRequest, resident_id: s.Id, payload: AdjustmentIn) -> Status[dict[str, object]]:
    """Record a reasonable adjustment agreed with the resident, with a review date (5.10)."""
    adjustment = actions.needs.record_adjustment(
        _resident(request, resident_id),
        caller(request),
        kind=payload.kind.value,
        detail=payload.detail,
        agreed_on=payload.agreed_on,
        review_on=payload.review_on,
    )
    return Status(201, _adjustment_out(adjustment))


@router.post("/adjustments/{adjustment_id}/change", response={200: AdjustmentOut, **REFUSALS})
def change_adjustment(request: HttpRequest, adjustment_id: s.Id, payload: AdjustmentChangeIn) -> dict[str, object]:
    """Change an adjustment or its next review date; `reviewed` records a review done today (5.10)."""
    found = _mine(request, ReasonableAdjustment, adjustment_id, "adjustment")
    adjustment = actions.needs.change_adjustment(
        found,
        caller(request),
        kind=payload.kind.value,
        detail=payload.detail,
        review_on=payload.review_on,
        reviewed=payload.reviewed,
    )
    return _adjustment_out(adjustment)


@router.post("/adjustments/{adjustment_id}/end", response={200: AdjustmentOut, **REFUSALS})
def end_adjustment(request: HttpRequest, adjustment_id: s.Id, payload: NeedEndIn) -> dict[str, object]:
    """End an adjustment with the reason; it stays on the record."""
    found = _mine(request, ReasonableAdjustment, adjustment_id, "adjustment")
    adjustment = actions.needs.end_adjustment(
        found, caller(request), reason=payload.reason.value, note=payload.note, on=payload.on
    )
    return _adjustment_out(adjustment)


# -- vulnerabilities ------------------------------------------------------------------------------


@router.post("/residents/{resident_id}/vulnerabilities", response={201: VulnerabilityOut, **REFUSALS})
def record_vulnerability(request: HttpRequest, resident_id: s.Id, payload: VulnerabilityIn) -> Status[Vulnerability]:
    """Record a vulnerability the resident disclosed, only with their consent (5.10)."""
    vulnerability = actions.needs.record_vulnerability(
        _resident(request, resident_id),
        caller(request),
        description=payload.description,
        disclosed_on=payload.disclosed_on,
        consent_given=payload.consent_given,
        consent_from=payload.consent_from.value if payload.consent_from else "",
        consent_how=payload.consent_how.value if payload.consent_how else "",
        consent_on=payload.consent_on,
        review_on=payload.review_on,
    )
    return Status(201, vulnerability)


@router.post("/vulnerabilities/{vulnerability_id}/change", response={200: VulnerabilityOut, **REFUSALS})
def change_vulnerability(request: HttpRequest, vulnerability_id: s.Id, payload: VulnerabilityChangeIn) -> Vulnerability:
    found = _mine(request, Vulnerability, vulnerability_id, "vulnerability")
    return actions.needs.change_vulnerability(
        found, caller(request), description=payload.description, review_on=payload.review_on, reviewed=payload.reviewed
    )


@router.post("/vulnerabilities/{vulnerability_id}/end", response={200: VulnerabilityOut, **REFUSALS})
def end_vulnerability(request: HttpRequest, vulnerability_id: s.Id, payload: NeedEndIn) -> Vulnerability:
    found = _mine(request, Vulnerability, vulnerability_id, "vulnerability")
    return actions.needs.end_vulnerability(
        found, caller(request), reason=payload.reason.value, note=payload.note, on=payload.on
    )


# -- safeguarding ---------------------------------------------------------------------------------


@router.post("/residents/{resident_id}/safeguarding-concerns", response={201: SafeguardingOut, **REFUSALS})
def record_safeguarding(
    request: HttpRequest, resident_id: s.Id, payload: SafeguardingIn
) -> Status[SafeguardingConcern]:
    """Record a safeguarding concern: what was seen, and the referral if one was made."""
    concern = actions.needs.record_safeguarding(
        _resident(request, resident_id),
        caller(request),
        seen=payload.seen,
        seen_on=payload.seen_on,
        referral=actions.needs.Referral(
            payload.referred_to, payload.referred_on, _referrer(request, payload.referred_by)
        ),
    )
    return Status(201, concern)


@router.post("/safeguarding-concerns/{concern_id}/update", response={200: SafeguardingOut, **REFUSALS})
def update_safeguarding(request: HttpRequest, concern_id: s.Id, payload: SafeguardingUpdateIn) -> SafeguardingConcern:
    """Record the referral made for a concern, or its outcome."""
    found = _mine(request, SafeguardingConcern, concern_id, "safeguarding concern")
    return actions.needs.update_safeguarding(
        found,
        caller(request),
        referral=actions.needs.Referral(
            payload.referred_to, payload.referred_on, _referrer(request, payload.referred_by)
        ),
        outcome=payload.outcome,
        outcome_on=payload.outcome_on,
    )


# -- the tasks adjustments set a stage ------------------------------------------------------------


@router.post("/complaints/{reference}/adjustment-tasks/phone-call", response={201: TaskOut, **REFUSALS})
def record_phone_call(request: HttpRequest, reference: s.Reference, payload: PhoneCallIn) -> Status[dict[str, object]]:
    """Record the phone call the resident asked for before letters at the current stage (5.10)."""
    complaint = _complaint(request, reference)
    adjustment = ReasonableAdjustment.objects.filter(pk=payload.adjustment_id, person_id=complaint.person_id).first()
    if adjustment is None:
        raise NotFound("adjustment")
    task = actions.needs.record_phone_call(complaint, caller(request), adjustment, on=payload.on, note=payload.note)
    return Status(201, _task_out(task))


@router.post("/complaints/{reference}/adjustment-tasks/{task_id}/sent", response={200: TaskOut, **REFUSALS})
def record_format_sent(
    request: HttpRequest, reference: s.Reference, task_id: s.Id, payload: DoneIn
) -> dict[str, object]:
    """Record the day a letter was sent in the format the resident needs (5.10)."""
    complaint = _complaint(request, reference)
    task = AdjustmentTask.objects.filter(pk=task_id, stage__complaint=complaint).first()
    if task is None:
        raise NotFound("adjustment task")
    return _task_out(actions.needs.record_format_sent(task, caller(request), on=payload.on, note=payload.note))

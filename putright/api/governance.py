"""/governance: who oversees complaint handling and what was presented to them (Code 4.1, 8.2, 9.4 to 9.7),
and the reporting calendar.

The same rules as the pages under /staff/insight/oversight/: the complaints officer and managers record
presentations and mark deadlines done; the Member Responsible for Complaints reads and records responses;
the auditor reads only; handlers and stage 2 reviewers are refused (403). Another landlord's presentation is
a 404. Registered in putright.api.main.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.errors import NotFound
from putright.complaints.errors import InvalidInput
from putright.governance import access, deadlines, presented
from putright.governance.actions import bodies as actions
from putright.governance.actions import calendar as calendar_actions
from putright.governance.models import Appointment, DeadlineKind, GoverningBody, Presentation, ReportKind
from putright.insight.models import SelfAssessment

router = Router(tags=["Governance"])

READ_REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}
REFUSALS: dict[int | str, type] = {**READ_REFUSALS, 400: s.ErrorOut, 409: s.ErrorOut}


class Report(StrEnum):
    GOVERNANCE = "governance"
    ANNUAL = "annual"
    SELF_ASSESSMENT = "self_assessment"


class Deadline(StrEnum):
    SELF_ASSESSMENT = "self_assessment"
    ANNUAL_REPORT = "annual_report"
    PUBLICATION = "publication"
    SUBMISSION = "submission"


assert [k.value for k in Report] == ReportKind.values
assert [k.value for k in Deadline] == DeadlineKind.values


# -- schemas --------------------------------------------------------------------------------------


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    active: bool


class AppointmentOut(Schema):
    id: int
    role: str
    role_label: str
    name: str
    title: str
    username: str | None = Field(description="The sign-in account linked to the appointment, if any")
    starts_on: date
    ends_on: date | None
    current: bool


class PresentationOut(Schema):
    id: int
    report: str
    report_label: str
    year_starting: int
    quarter: int | None
    self_assessment_id: int | None
    body_id: int | None
    body: str | None
    to_member: bool
    member_name: str
    meeting: str
    presented_on: date
    has_document: bool
    response: str
    response_on: date | None


class YearFilter(Schema):
    year: int | None = Field(
        None, ge=2000, le=2200, description="A reporting year, by the year it starts: 2024 for 2024/25"
    )


class PresentationIn(s.BodyIn):
    report: Report
    year_starting: int = Field(
        ge=2000, le=2200, description="The reporting year the report covers (April of that year to March)"
    )
    quarter: int | None = Field(None, description="The quarter, 1 to 4, for a governance report only")
    self_assessment_id: int | None = Field(None, description="The self-assessment presented, for that report")
    body_id: int | None = Field(None, description="The governing body or committee it went to")
    to_member: bool = Field(False, description="Whether it went to the Member Responsible for Complaints")
    meeting: s.Text = Field(max_length=200, description="For example: Cabinet, 12 June 2025")
    presented_on: date


class ResponseIn(s.BodyIn):
    response: s.Text = Field(max_length=20_000)
    on: date


class DeadlineOut(Schema):
    kind: str
    label: str
    year_starting: int
    due_on: date
    done_on: date | None
    how: str
    status: str = Field(description='In words: "Done on 28 June 2025", "Due in 12 days", "Overdue by 3 days"')
    days: int = Field(description="Days until it is due; negative once overdue")
    overdue: bool
    from_records: bool = Field(description="Met from Putright's records rather than marked done by staff")


class DeadlineDoneIn(s.BodyIn):
    kind: Deadline
    year_starting: int = Field(ge=2000, le=2200)
    done_on: date
    note: s.Text = Field("", max_length=300)


# -- helpers --------------------------------------------------------------------------------------


def _appointment_out(a: Appointment) -> dict[str, object]:
    return {
        "id": a.pk,
        "role": a.role,
        "role_label": a.get_role_display(),
        "name": a.name,
        "title": a.title,
        "username": a.user.username if a.user else None,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "current": a.ends_on is None,
    }


def _presentation_out(p: Presentation) -> dict[str, object]:
    return {
        "id": p.pk,
        "report": p.report,
        "report_label": p.report_label,
        "year_starting": p.year_starting,
        "quarter": p.quarter,
        "self_assessment_id": p.self_assessment_id,
        "body_id": p.body_id,
        "body": p.body.name if p.body else None,
        "to_member": p.to_member,
        "member_name": p.member_name,
        "meeting": p.meeting,
        "presented_on": p.presented_on,
        "has_document": bool(p.document),
        "response": p.response,
        "response_on": p.response_on,
    }


def _deadline_out(d: deadlines.Deadline) -> dict[str, object]:
    return {
        "kind": d.kind,
        "label": d.label,
        "year_starting": d.year_starting,
        "due_on": d.due_on,
        "done_on": d.done_on,
        "how": d.how,
        "status": d.status,
        "days": d.days,
        "overdue": d.overdue,
        "from_records": d.from_records,
    }


def _presentation(request: HttpRequest, presentation_id: int) -> Presentation:
    staff = access.require_reader(caller(request))
    found = presented.presentations(staff.landlord_id).filter(pk=presentation_id).first()
    if found is None:
        raise NotFound("presentation")
    return found


# -- endpoints ------------------------------------------------------------------------------------


@router.get("/governance/bodies", response={200: list[BodyOut], **READ_REFUSALS})
def list_governing_bodies(request: HttpRequest) -> list[dict[str, object]]:
    """The governing body and the committees that receive complaint reports."""
    staff = access.require_reader(caller(request))
    return [
        {"id": b.pk, "name": b.name, "kind": b.kind, "active": b.active}
        for b in GoverningBody.objects.filter(landlord_id=staff.landlord_id)
    ]


@router.get("/governance/appointments", response={200: list[AppointmentOut], **READ_REFUSALS})
def list_appointments(request: HttpRequest) -> list[dict[str, object]]:
    """Who held each oversight role (the MRC, the senior lead, the complaints officer), latest first."""
    staff = access.require_reader(caller(request))
    return [
        _appointment_out(a) for a in Appointment.objects.filter(landlord_id=staff.landlord_id).select_related("user")
    ]


@router.get("/governance/presentations", response={200: list[PresentationOut], **READ_REFUSALS})
def list_presentations(request: HttpRequest, filters: Query[YearFilter]) -> list[dict[str, object]]:
    """Reports presented to the governing body and the MRC, latest first; `year`: of one reporting year."""
    staff = access.require_reader(caller(request))
    found = presented.presentations(staff.landlord_id)
    if filters.year is not None:
        found = found.filter(year_starting=filters.year)
    return [_presentation_out(p) for p in found.order_by("-presented_on", "-id")]


@router.post("/governance/presentations", response={201: PresentationOut, **REFUSALS})
def create_presentation(request: HttpRequest, payload: PresentationIn) -> Status[dict[str, object]]:
    """Record a report presented (the minutes or response document is attached on the page)."""
    user = caller(request)
    staff = access.require_editor(user)
    body = None
    if payload.body_id is not None:
        body = GoverningBody.objects.filter(pk=payload.body_id, landlord_id=staff.landlord_id).first()
        if body is None:
            raise InvalidInput({"body_id": "Select one of your own governing bodies or committees"})
    # Governance keeps the self-assessment as a plain number (it sits below insight), so the API checks it here.
    if payload.self_assessment_id is not None and not (
        SelfAssessment.objects.filter(
            pk=payload.self_assessment_id, landlord_id=staff.landlord_id, year_starting=payload.year_starting
        ).exists()
    ):
        raise InvalidInput(
            {"self_assessment_id": "Give the id of one of your landlord's self-assessments of that reporting year"}
        )
    made = actions.record_presentation(
        staff.landlord,
        user,
        report=payload.report.value,
        year_starting=payload.year_starting,
        quarter=payload.quarter,
        self_assessment_id=payload.self_assessment_id,
        body=body,
        to_member=payload.to_member,
        meeting=payload.meeting,
        presented_on=payload.presented_on,
    )
    return Status(201, _presentation_out(_presentation(request, made.pk)))


@router.post("/governance/presentations/{presentation_id}/response", response={200: PresentationOut, **REFUSALS})
def record_presentation_response(request: HttpRequest, presentation_id: s.Id, payload: ResponseIn) -> dict[str, object]:
    """Record what the governing body or the MRC said (the complaints officer, a manager or the MRC)."""
    access.require_responder(caller(request))
    presentation = _presentation(request, presentation_id)
    actions.record_response(presentation, caller(request), response=payload.response, on=payload.on)
    return _presentation_out(_presentation(request, presentation_id))


@router.get("/governance/deadlines", response={200: list[DeadlineOut], **READ_REFUSALS})
def list_deadlines(request: HttpRequest, filters: Query[YearFilter]) -> list[dict[str, object]]:
    """The reporting calendar: the last reporting year's and this one's deadlines, or one year's."""
    staff = access.require_reader(caller(request))
    years = [filters.year] if filters.year is not None else deadlines.current_years()
    return [_deadline_out(d) for d in deadlines.deadlines(staff.landlord_id, years)]


@router.post("/governance/deadlines/done", response={201: DeadlineOut, **REFUSALS})
def mark_deadline_done(request: HttpRequest, payload: DeadlineDoneIn) -> Status[dict[str, object]]:
    """Record that the reports were published or submitted to the Ombudsman, and when."""
    user = caller(request)
    staff = access.require_editor(user)
    calendar_actions.mark_done(
        staff.landlord,
        user,
        kind=payload.kind.value,
        year_starting=payload.year_starting,
        done_on=payload.done_on,
        note=payload.note,
    )
    found = next(
        d for d in deadlines.deadlines(staff.landlord_id, [payload.year_starting]) if d.kind == payload.kind.value
    )
    return Status(201, _deadline_out(found))

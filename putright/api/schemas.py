"""What the API reads and writes: request bodies, filters and the JSON it answers with.

Limits here are the database's own (a column's length, a number's range), so that no input can
fail at the database; what the Code requires of the input is checked by the actions, which answer
with a message per field.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, get_args

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_serializer, field_validator

from putright.complaints.actions.areas import area_values
from putright.complaints.models import (
    ActionUpdate,
    Channel,
    Complaint,
    Complexity,
    Decision,
    DefinitionPoint,
    DueKind,
    Event,
    Extension,
    OutstandingAction,
    Priority,
    Remedy,
    RiskFactor,
    ServiceArea,
    ServiceRequest,
    Stage,
    Status,
    Tenure,
)
from putright.people.models import ContactMethod, Person, Representative
from putright.rules.calendar import Region

MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1


def _storable(value: str) -> str:
    # PostgreSQL cannot store NUL, and no database can store half a surrogate pair.
    if "\x00" in value:
        raise ValueError("Text cannot contain the NUL character (\\u0000)")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode (it has an unpaired surrogate)") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


# Remedy.State and ServiceRequest.State would share the name "State" in the OpenAPI document,
# where the second would replace the first: the API names them apart, with the models' values.
class RemedyState(StrEnum):
    OFFERED = "offered"
    AGREED = "agreed"
    DELIVERED = "delivered"
    DECLINED = "declined"


class ServiceRequestState(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


assert [state.value for state in RemedyState] == Remedy.State.values
assert [state.value for state in ServiceRequestState] == ServiceRequest.State.values
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[
    int | None,
    Field(
        ge=1,
        le=MAX_VERSION,
        description="The complaint's version when you read it: the change is refused (409) if it has moved on.",
    ),
]
Reference = Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9-]+$")]
Username = Annotated[Text, Field(min_length=1, max_length=150)]


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMAT = "Enter a date as YYYY-MM-DD, for example 2025-04-01"


def _is_date_field(annotation: Any) -> bool:
    if annotation is date:
        return True
    return date in get_args(annotation) and datetime not in get_args(annotation)


def strict_date(value: Any) -> Any:
    """A date only as YYYY-MM-DD (or a date already made): pydantic on its own would take 0, or
    1700000000, as a moment in 1970 or 2023, and a date and time as the day it falls on."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"Enter a real date: {value.strip()} does not exist") from None
    raise ValueError(DATE_FORMAT)


class StrictDates(Schema):
    """Every date field of a schema built on this one takes only YYYY-MM-DD (docs/security.md)."""

    @field_validator("*", mode="before")
    @classmethod
    def _strict_dates(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is not None and _is_date_field(field.annotation):
            return strict_date(value)
        return value


class BodyIn(StrictDates):
    """A request body: a field the API does not know is refused (422, naming it), never dropped, so a
    misspelt or unsupported field cannot be stored as its default without a word."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] | None = Field(None, description="A message for each field that cannot be accepted")


# -- residents and representatives -----------------------------------------------------------


class ResidentIn(BodyIn):
    title: Text = Field(
        "", max_length=20, description="Mr, Mrs, Ms, Miss, Mx, Dr or as they prefer: letters begin 'Dear Ms Khan'"
    )
    name: Text = Field("", max_length=200, description="Leave empty only with anonymous: true")
    anonymous: bool = Field(False, description="The complainant did not give their name: logged all the same")
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=40)
    address: Text = Field("", max_length=500)
    preferred_contact: ContactMethod | None = Field(
        None,
        description="Only a way you give details for. Left out: email if given, else letter to the address, else phone",
    )
    tenancy_reference: Text = Field("", max_length=60)

    @field_serializer("preferred_contact")
    def _no_preference(self, value: ContactMethod | None) -> str:
        return str(value.value) if value else ""


class RepresentativeIn(BodyIn):
    name: Text = Field(max_length=200)
    relationship: Representative.Relationship
    authority: Representative.Authority | None = Field(
        None, description="Needed unless a councillor or MP acts for a constituent (3.6)"
    )
    email: Text = Field("", max_length=254)
    phone: Text = Field("", max_length=40)


class ResidentOut(Schema):
    id: int
    title: str
    name: str
    anonymous: bool
    email: str
    phone: str
    address: str
    preferred_contact: str
    tenancy_reference: str


class RepresentativeOut(Schema):
    name: str
    relationship: str
    authority: str
    email: str
    phone: str


# -- complaints -----------------------------------------------------------------------------


class PriorityName(StrEnum):
    HIGH = "high"
    NORMAL = "normal"


PRIORITY_VALUES = {PriorityName.HIGH: Priority.HIGH, PriorityName.NORMAL: Priority.NORMAL}


class TriageIn(BodyIn):
    """The triage of complexity and risk (6.1): the worklists put high priority first."""

    priority: PriorityName
    complexity: Complexity = Complexity.SIMPLE
    risk_factors: list[RiskFactor] = Field(default_factory=list, max_length=len(RiskFactor.values))
    reason: Text = Field("", max_length=2_000)


class ComplaintIn(BodyIn):
    resident: ResidentIn | None = Field(None, description="A new resident; or give resident_id")
    resident_id: Id | None = Field(None, description="A resident already on record")
    representative: RepresentativeIn | None = None
    channel: Channel
    received_on: date
    issue_date: date | None = None
    description: Text = Field(max_length=20_000)
    outcome_sought: Text = Field("", max_length=5_000)
    service_area: ServiceArea | None = None
    discretion_note: Text = Field("", max_length=5_000)
    service_request: Reference | None = Field(None, description="The reference of a service request it is about")
    related_to: Reference | None = Field(None, description="The reference of a complaint it is linked to")
    tenure: Tenure = Field(
        Tenure.LCRA, description="The resident's tenure: which homes the complaint counts against in CH01"
    )
    triage: TriageIn | None = Field(
        None, description="Left out: the risk factors the record suggests, and the priority they call for (6.1)"
    )
    about_staff: Username | None = Field(
        None, description="The username of the member of staff the complaint is about: it is then confidential"
    )


class WorklistQuery(StrictDates):
    status: Status | None = None
    stage: int | None = Field(None, ge=1, le=2)
    handler: Username | None = Field(None, description="A handler's username")
    service_area: ServiceArea | None = None
    overdue_on: date | None = Field(None, description="Open complaints whose next deadline is before this day")
    due_before: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    open: bool = Field(False, description="Only complaints awaiting an acknowledgement or a response")
    landlord: Text | None = Field(
        None, max_length=40, description="Only this landlord's complaints, by its slug: one you work for (default: all)"
    )
    limit: int = Field(50, ge=1, le=200)
    cursor: Text | None = Field(None, max_length=200, description="next_cursor of the previous page")


class ComplaintSummary(Schema):
    reference: str
    landlord: str = Field(description="The complaint's landlord, by its slug (for someone who works for several)")
    status: Status
    stage: int
    resident_name: str
    handler: str | None
    received_on: date
    next_due: date | None
    next_due_kind: DueKind | None
    service_area: ServiceArea | None
    version: int
    confidential: bool = Field(description="About a named member of staff, or marked confidential with a reason")

    @staticmethod
    def resolve_resident_name(obj: Complaint) -> str:
        return obj.person.name

    @staticmethod
    def resolve_landlord(obj: Complaint) -> str:
        return obj.landlord.slug

    @staticmethod
    def resolve_confidential(obj: Complaint) -> bool:
        return obj.is_confidential

    @staticmethod
    def resolve_handler(obj: Complaint) -> str | None:
        return obj.handler.username if obj.handler else None

    @staticmethod
    def resolve_next_due_kind(obj: Complaint) -> str | None:
        return obj.next_due_kind or None

    @staticmethod
    def resolve_service_area(obj: Complaint) -> str | None:
        return obj.service_area or None


class ComplaintPage(Schema):
    items: list[ComplaintSummary]
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last page")


class PointOut(Schema):
    number: int
    text: str
    decision: str | None
    reasons: str

    @staticmethod
    def resolve_decision(obj: DefinitionPoint) -> str | None:
        return obj.decision or None


class ExtensionOut(Schema):
    id: int
    days: int
    reason: str
    good_reason: str
    previous_due: date
    new_due: date
    resident_told_on: date
    ombudsman_details_given: bool
    told_by_phone_on: date | None
    late: bool
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: Extension) -> str:
        return obj.recorded_by.username


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


class RemedyOut(Schema):
    id: int
    stage: int
    kind: Remedy.Kind
    description: str
    amount_statutory: str = Field(description="Pounds, as a decimal string")
    amount_quantifiable_loss: str
    amount_time_and_trouble: str
    amount_distress: str
    total: str
    due_on: date | None
    state: RemedyState
    delivered_on: date | None

    @staticmethod
    def resolve_stage(obj: Remedy) -> int:
        # The stage's number, not its id: remedies are read through their stage or just made on it.
        return obj.stage.number

    @staticmethod
    def resolve_amount_statutory(obj: Remedy) -> str:
        return _money(obj.amount_statutory)

    @staticmethod
    def resolve_amount_quantifiable_loss(obj: Remedy) -> str:
        return _money(obj.amount_quantifiable_loss)

    @staticmethod
    def resolve_amount_time_and_trouble(obj: Remedy) -> str:
        return _money(obj.amount_time_and_trouble)

    @staticmethod
    def resolve_amount_distress(obj: Remedy) -> str:
        return _money(obj.amount_distress)

    @staticmethod
    def resolve_total(obj: Remedy) -> str:
        return _money(obj.total)


class StageOut(Schema):
    number: int
    opened_on: date
    handler: str | None
    conflict_declaration: str
    escalation_reason: str
    escalation_discretion: str
    acknowledge_due: date
    acknowledged_on: date | None
    understanding: str
    outcomes_sought: str
    responsible_for: str
    not_responsible_for: str
    points: list[PointOut]
    clarification_requested_on: date | None
    original_response_due: date
    response_due: date
    extension_days: int
    extensions: list[ExtensionOut]
    update_interval_days: int | None
    next_update_due: date | None
    responded_on: date | None
    decision: str | None
    response_summary: str
    escalation_route: str
    escalate_by: date | None
    remedies: list[RemedyOut]

    @staticmethod
    def resolve_handler(obj: Stage) -> str | None:
        return obj.handler.username if obj.handler else None

    @staticmethod
    def resolve_decision(obj: Stage) -> str | None:
        return obj.decision or None

    @staticmethod
    def resolve_remedies(obj: Stage) -> list[Remedy]:
        remedies = list(obj.remedies.all())
        for remedy in remedies:
            remedy.stage = obj  # already in hand: saves a query per remedy
        return remedies


class ActionUpdateOut(Schema):
    note: str
    resident_told: bool
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_recorded_by(obj: ActionUpdate) -> str:
        return obj.recorded_by.username


class OutstandingActionOut(Schema):
    id: int
    stage: int
    description: str
    owner: str | None
    due_on: date
    completed_on: date | None
    updates: list[ActionUpdateOut]

    @staticmethod
    def resolve_stage(obj: OutstandingAction) -> int:
        return obj.stage_number

    @staticmethod
    def resolve_owner(obj: OutstandingAction) -> str | None:
        return obj.owner.username if obj.owner else None


class EventOut(Schema):
    at: datetime
    actor: str | None
    kind: str
    stage: int | None
    summary: str
    before: dict[str, Any]
    after: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Event | dict[str, Any]) -> str | None:
        if isinstance(obj, dict):  # a row of queries.timeline()
            return obj["actor_name"]  # type: ignore[no-any-return]
        return obj.actor.username if obj.actor else None


class ServiceAreaOut(Schema):
    """One service area a complaint touches (issue 19)."""

    area: ServiceArea = Field(description="The standard area it counts under in the measures")
    name: str = Field(description="The landlord's own area's name where one was chosen, else the standard area's")
    lead: bool = Field(description="Whether this area leads the response: exactly one does")
    landlord_area: int | None = Field(description="The id of the landlord's own area (GET /service-areas), if any")


class ComplaintDetail(Schema):
    reference: str
    landlord: str = Field(description="The complaint's landlord, by its slug")
    status: Status
    stage: int
    version: int
    channel: Channel
    service_area: ServiceArea | None = Field(description="The standard area of the lead service area")
    service_areas: list[ServiceAreaOut] = Field(description="Every service area the complaint touches, lead first")
    received_on: date
    issue_date: date | None
    inside_acceptance_window: bool | None
    discretion_note: str
    tenure: Tenure
    priority: PriorityName
    complexity: Complexity
    risk_factors: list[RiskFactor]
    priority_reason: str
    description: str
    outcome_sought: str
    resident: ResidentOut
    representative: RepresentativeOut | None
    service_request: str | None
    related_to: str | None
    handler: str | None
    next_due: date | None
    next_due_kind: DueKind | None
    refusal_ground: str | None
    refusal_explanation: str
    refused_by: str | None
    refused_on: date | None
    escalation_refused: bool
    withdrawn_on: date | None
    withdrawal_how: str
    closed_on: date | None
    ombudsman_referred_on: date | None
    ombudsman_reference: str
    created_at: datetime
    updated_at: datetime
    stages: list[StageOut]
    actions: list[OutstandingActionOut]
    events: list[EventOut]
    confidential: bool = Field(description="About a named member of staff, or marked confidential with a reason")
    confidential_reason: str
    about_staff: str | None = Field(
        description="The username of the member of staff it is about: given to complaints officers and managers only"
    )

    @staticmethod
    def resolve_landlord(obj: Complaint) -> str:
        return obj.landlord.slug

    @staticmethod
    def resolve_confidential(obj: Complaint) -> bool:
        return obj.is_confidential

    @staticmethod
    def resolve_about_staff(obj: Complaint) -> str | None:
        # api.complaints.record() says whether the caller may be told who (officers and managers).
        if obj.about_staff_id is None or not getattr(obj, "about_staff_shown", False):
            return None
        return obj.about_staff.username if obj.about_staff else None

    @staticmethod
    def resolve_priority(obj: Complaint) -> str:
        return PriorityName.HIGH if obj.priority == Priority.HIGH else PriorityName.NORMAL

    @staticmethod
    def resolve_events(obj: Complaint) -> Any:
        # api.complaints.record() reads the timeline as plain rows; a complaint just logged has
        # its few events with it already.
        return getattr(obj, "timeline", None) or obj.events.all()

    @staticmethod
    def resolve_service_area(obj: Complaint) -> str | None:
        return obj.service_area or None

    @staticmethod
    def resolve_service_areas(obj: Complaint) -> list[dict[str, Any]]:
        return area_values(obj.areas.all())

    @staticmethod
    def resolve_resident(obj: Complaint) -> Person:
        return obj.person

    @staticmethod
    def resolve_service_request(obj: Complaint) -> str | None:
        return obj.service_request.reference if obj.service_request else None

    @staticmethod
    def resolve_related_to(obj: Complaint) -> str | None:
        return obj.related_to.reference if obj.related_to else None

    @staticmethod
    def resolve_handler(obj: Complaint) -> str | None:
        return obj.handler.username if obj.handler else None

    @staticmethod
    def resolve_next_due_kind(obj: Complaint) -> str | None:
        return obj.next_due_kind or None

    @staticmethod
    def resolve_refusal_ground(obj: Complaint) -> str | None:
        return obj.refusal_ground or None

    @staticmethod
    def resolve_refused_by(obj: Complaint) -> str | None:
        return obj.refused_by.username if obj.refused_by else None


# -- the steps of a complaint ------------------------------------------------------------------


class ConfidentialityIn(BodyIn):
    confidential: bool = Field(description="true to mark it confidential, false to clear that")
    about_staff: Username | None = Field(
        None, description="The username of the member of staff it is about, when it is about a named person"
    )
    reason: Text = Field(
        "",
        max_length=2_000,
        description="Why it is confidential (needed unless about_staff is given), or why it no longer needs to be",
    )
    version: Version = None


class AssignIn(BodyIn):
    handler: Username
    conflict_of_interest: bool | None = Field(description="The handler's declaration (5.8): must be false")
    note: Text = Field("", max_length=2_000)
    version: Version = None


class AcknowledgeIn(BodyIn):
    on: date
    understanding: Text = Field(max_length=10_000)
    outcomes_sought: Text = Field(max_length=5_000)
    points: list[Annotated[Text, Field(max_length=5_000)]] = Field(max_length=100)
    responsible_for: Text = Field("", max_length=5_000)
    not_responsible_for: Text = Field("", max_length=5_000)
    conflict_of_interest: bool | None = Field(None, description="Needed when you become the stage's handler (5.8)")
    discretion_note: Text = Field(
        "",
        max_length=5_000,
        description="Needed to accept a complaint about an issue outside the acceptance window, unless given when "
        "it was logged (2.3, 2.5)",
    )
    version: Version = None


class ClarificationIn(BodyIn):
    on: date
    question: Text = Field(max_length=5_000)
    version: Version = None


class ExtendIn(BodyIn):
    """Putright issues the extension letter, with the Ombudsman's details, the day it is recorded:
    the day the resident was told is not asked for (6.5, 6.16)."""

    days: int = Field(ge=-(2**31), le=2**31 - 1, description="Working days to add")
    reason: Text = Field(max_length=5_000)
    good_reason: Text = Field(
        "", max_length=5_000, description="Needed when the extensions add up to more than the cap (6.4, 6.15)"
    )
    told_by_phone_on: date | None = Field(None, description="When the resident was also told by phone, if they were")
    version: Version = None


class UpdateIntervalIn(BodyIn):
    every_days: int = Field(ge=-(2**31), le=2**31 - 1, description="Working days between updates")
    agreed_on: date
    version: Version = None


class UpdateIn(BodyIn):
    on: date
    update: Text = Field(max_length=5_000, description="What the resident is told (5.9)")
    version: Version = None


class LetterOut(Schema):
    id: int
    letter_type: str
    label: str
    stage: int
    subject: str
    issued_on: date
    issued_by: str | None
    html_sha256: str = Field(description="SHA-256 of the letter's HTML as issued")
    rendering: str = Field(
        description="queued, ready or failed: the worker renders the PDF; on-open: history, rendered when first fetched"
    )
    pdf_sha256: str | None
    large_print: bool


class IssueIn(BodyIn):
    description: Text = Field(max_length=5_000)
    related: bool = Field(description="Related to this complaint, so it may join it (6.8)")
    on: date
    version: Version = None


class RemedyIn(BodyIn):
    kind: Remedy.Kind
    description: Text = Field(max_length=5_000)
    amount_statutory: Decimal = Field(Decimal(0), max_digits=9, decimal_places=2)
    amount_quantifiable_loss: Decimal = Field(Decimal(0), max_digits=9, decimal_places=2)
    amount_time_and_trouble: Decimal = Field(Decimal(0), max_digits=9, decimal_places=2)
    amount_distress: Decimal = Field(Decimal(0), max_digits=9, decimal_places=2)
    due_on: date | None = None


class NewRemedyIn(RemedyIn):
    version: Version = None


class RemedyUpdateIn(BodyIn):
    state: RemedyState
    on: date
    version: Version = None


class PointDecisionIn(BodyIn):
    number: int = Field(ge=1, le=MAX_VERSION, description="The point's number in the definition")
    decision: Decision | None = None
    reasons: Text = Field("", max_length=20_000)


class ActionIn(BodyIn):
    description: Text = Field(max_length=5_000)
    due_on: date
    owner: Username | None = Field(None, description="The username of the member of staff who owns it")


class RespondIn(BodyIn):
    on: date
    decisions: list[PointDecisionIn] = Field(max_length=100)
    summary: Text = Field("", max_length=20_000)
    remedies: list[RemedyIn] = Field([], max_length=50)
    actions: list[ActionIn] = Field([], max_length=50)
    version: Version = None


class EscalateIn(BodyIn):
    requested_on: date
    reason: Text = Field("", max_length=5_000, description="Optional: never required (6.12)")
    discretion: Text = Field("", max_length=5_000)
    version: Version = None


class RefusalIn(BodyIn):
    ground: Text = Field(max_length=60, description="A ground from the landlord's policy, e.g. out-of-time")
    explanation: Text = Field(max_length=10_000)
    ombudsman_rights_given: bool
    on: date
    review_note: Text = Field(
        "",
        max_length=5_000,
        description="Needed for a ground the Code does not name: why it is fair and reasonable here (2.2, 2.5)",
    )
    version: Version = None


class WithdrawIn(BodyIn):
    how: Text = Field(max_length=300)
    on: date
    version: Version = None


class CloseIn(BodyIn):
    on: date
    version: Version = None


class OmbudsmanReferralIn(BodyIn):
    on: date
    ombudsman_reference: Text = Field("", max_length=40)
    version: Version = None


class ActionUpdateIn(BodyIn):
    note: Text = Field(max_length=5_000)
    resident_told: bool = False
    completed_on: date | None = None
    version: Version = None


# -- service requests ------------------------------------------------------------------------


class ServiceRequestIn(BodyIn):
    resident: ResidentIn | None = None
    resident_id: Id | None = None
    service_area: ServiceArea
    description: Text = Field(max_length=10_000)
    received_on: date


class ServiceRequestQuery(Schema):
    status: ServiceRequestState | None = None
    limit: int = Field(50, ge=1, le=200)
    cursor: Text | None = Field(None, max_length=200)


class ServiceRequestOut(Schema):
    reference: str
    status: ServiceRequestState
    resident: ResidentOut
    service_area: ServiceArea
    description: str
    received_on: date
    completed_on: date | None
    complaints: list[str] = Field(description="References of complaints raised about it (1.5)")

    @staticmethod
    def resolve_resident(obj: ServiceRequest) -> Person:
        return obj.person

    @staticmethod
    def resolve_complaints(obj: ServiceRequest) -> list[str]:
        return [complaint.reference for complaint in obj.complaints.all()]


class ServiceRequestPage(Schema):
    items: list[ServiceRequestOut]
    next_cursor: str | None


class RaiseComplaintIn(BodyIn):
    received_on: date
    description: Text = Field(max_length=20_000)
    channel: Channel
    outcome_sought: Text = Field("", max_length=5_000)


class CompleteIn(BodyIn):
    on: date


# -- working days --------------------------------------------------------------------------


class WorkdaysAddQuery(StrictDates):
    date: dt.date
    days: int = Field(ge=0, le=10_000, description="Working days to add; the date itself is day 0")
    region: Region | None = Field(None, description="Default: your landlord's calendar, with its closure days")


class WorkdaysBetweenQuery(StrictDates):
    start: date
    end: date
    region: Region | None = None


class WorkdaysAddOut(Schema):
    date: dt.date
    days: int
    result: dt.date
    calendar: str


class WorkdaysBetweenOut(Schema):
    start: date
    end: date
    working_days: int = Field(description="Working days after start up to and including end")
    calendar: str

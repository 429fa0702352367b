"""Complaints, their two stages, and everything recorded along the way.

Rows here change only through `putright.complaints.actions`, each change in one transaction with
an Event. Deadlines are computed by `putright.rules.timescales` and stored, so a worklist is one
indexed query: the stage holds its own due dates, the complaint holds the earliest open one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.landlords.models import Landlord, LandlordServiceArea, PolicyVersion
from putright.people.models import Person, ReasonableAdjustment, Representative


class Channel(models.TextChoices):
    """How the complaint reached the landlord (3.1, 3.2)."""

    ONLINE = "online", "Online form"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in-person", "In person"
    SOCIAL_MEDIA = "social-media", "Social media"
    COUNCILLOR_OR_MP = "councillor-or-mp", "Via a councillor or MP"
    REPRESENTATIVE = "representative", "Via a representative"
    OMBUDSMAN = "ombudsman", "Via the Housing Ombudsman"
    STAFF = "staff", "Raised by staff"


class ServiceArea(models.TextChoices):
    REPAIRS = "repairs", "Repairs and maintenance"
    DAMP_MOULD = "damp-mould", "Damp and mould"
    ASB = "asb", "Anti-social behaviour"
    TENANCY = "tenancy", "Tenancy management"
    RENT = "rent", "Rent, charges and arrears"
    ESTATE = "estate", "Estates, grounds and cleaning"
    ALLOCATIONS = "allocations", "Allocations and lettings"
    HOMELESSNESS = "homelessness", "Homelessness and housing advice"
    STAFF_CONDUCT = "staff-conduct", "Staff conduct and communication"
    CONTRACTOR = "contractor", "Contractors"
    OTHER = "other", "Something else"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    STAGE1_OPEN = "stage1-open", "Stage 1 open"
    STAGE1_RESPONDED = "stage1-responded", "Stage 1 responded"
    STAGE2_OPEN = "stage2-open", "Stage 2 open"
    STAGE2_RESPONDED = "stage2-responded", "Stage 2 responded"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    NOT_ACCEPTED = "not-accepted", "Not accepted"


OPEN_STATUSES = (Status.RECEIVED, Status.STAGE1_OPEN, Status.STAGE2_OPEN)
ACTIVE_STATUSES = (*OPEN_STATUSES, Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED)


class DueKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "Acknowledgement"
    RESPOND = "respond", "Response"


class Decision(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly-upheld", "Partly upheld"
    NOT_UPHELD = "not-upheld", "Not upheld"


class Tenure(models.TextChoices):
    """The resident's tenure, so that CH01 can be given per 1,000 homes of each kind (RSH)."""

    LCRA = "lcra", "Low-cost rental (tenant)"
    LCHO = "lcho", "Low-cost home ownership (shared owner)"
    OTHER = "other", "Other (leaseholder, market rent, or not a resident)"


class RootCause(models.TextChoices):
    """Why the complaint arose, as recorded with the learning at closure (9.1, 9.2)."""

    COMMUNICATION = "communication", "Communication or keeping the resident informed"
    DELAY = "delay", "Delay or a missed timescale"
    MISSED_APPOINTMENT = "missed-appointment", "Missed or rearranged appointment"
    QUALITY = "quality", "Quality of work or service"
    CONTRACTOR = "contractor", "Contractor performance"
    STAFF_CONDUCT = "staff-conduct", "Staff attitude or conduct"
    POLICY = "policy", "Policy or procedure"
    RECORDS = "records", "Records or information held"
    THIRD_PARTY = "third-party", "Outside the landlord's control"
    NO_FAULT = "no-fault", "No failing found"
    OTHER = "other", "Something else"


class Priority(models.IntegerChoices):
    """How soon a complaint needs attention, from its complexity and risk (6.1): worklists put high first."""

    HIGH = 1, "High"
    NORMAL = 2, "Normal"


class Complexity(models.TextChoices):
    SIMPLE = "simple", "Simple"
    COMPLEX = "complex", "Complex"


class RiskFactor(models.TextChoices):
    """What makes a complaint riskier to leave (6.1), suggested from the record and confirmed by staff."""

    VULNERABILITY = "vulnerability", "Vulnerability recorded"
    HEALTH_AND_SAFETY = "health-and-safety", "Health and safety, such as damp and mould"
    DISREPAIR = "disrepair", "Disrepair"
    REPEAT = "repeat", "Repeat complaint in the last 12 months"


class ServiceRequest(models.Model):
    """A request for action that is not a complaint, recorded and reviewed all the same (1.4)."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="service_requests")
    reference = models.CharField(max_length=24)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="service_requests")
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    description = models.TextField(max_length=10_000)
    received_on = models.DateField()
    status = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "reference"], name="service_request_reference_unique")
        ]

    def __str__(self) -> str:
        return self.reference


class Complaint(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="complaints")
    reference = models.CharField(max_length=24, help_text="Readable on the phone, e.g. ASH-2026-00042")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="complaints")
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices, blank=True)
    # The standard areas it touches besides its lead's (issue 19), sorted and joined by commas, kept by the
    # actions beside its ComplaintArea rows: measures by area read them from the rows they already count.
    other_areas = models.CharField(max_length=255, blank=True, default="", db_default="", editable=False)
    received_on = models.DateField(help_text="The day the landlord received it: the clock starts here")
    issue_date = models.DateField(
        null=True, blank=True, help_text="When the issue happened or the resident became aware of it"
    )
    inside_acceptance_window = models.BooleanField(null=True)
    discretion_note = models.TextField(
        max_length=5_000, blank=True, help_text="Why a complaint outside the window was accepted (2.3)"
    )
    description = models.TextField(max_length=20_000, help_text="The resident's own words")
    outcome_sought = models.TextField(max_length=5_000, blank=True)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True)
    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    related_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="related_complaints"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    stage = models.PositiveSmallIntegerField(default=1)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_due = models.DateField(null=True, blank=True)
    next_due_kind = models.CharField(max_length=12, choices=DueKind.choices, blank=True)

    # Not accepted (2.1 to 2.5) or escalation refused (5.11): ground, reasons, who decided.
    refusal_ground = models.CharField(max_length=60, blank=True)
    refusal_explanation = models.TextField(max_length=10_000, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_on = models.DateField(null=True, blank=True)
    escalation_refused = models.BooleanField(default=False)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_how = models.CharField(max_length=300, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    ombudsman_referred_on = models.DateField(null=True, blank=True)
    ombudsman_reference = models.CharField(max_length=40, blank=True)
    tenure = models.CharField(
        max_length=6, choices=Tenure.choices, default=Tenure.LCRA, help_text="For CH01: LCRA and LCHO apart"
    )
    # Triage (6.1): set at logging, changed later by `actions.set_priority` with a reason.
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    complexity = models.CharField(max_length=8, choices=Complexity.choices, default=Complexity.SIMPLE)
    risk_factors = models.JSONField(default=list, blank=True, help_text="RiskFactor values confirmed by staff")
    priority_reason = models.TextField(max_length=2_000, blank=True)

    # Learning (9.1 to 9.3): what the landlord takes from the complaint beyond putting it right.
    learning_outcome = models.TextField(max_length=5_000, blank=True)
    root_cause = models.CharField(max_length=20, choices=RootCause.choices, blank=True)
    learning_recorded_on = models.DateField(null=True, blank=True)
    learning_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Confidential (UK GDPR; Code 5.x fairness): a complaint about a named member of staff, or one a complaints
    # officer or manager marked confidential with a reason. Read only by officers, managers, auditors and the
    # people working it, never by the person it is about (complaints.access); changed by actions.confidentiality.
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidential_reason = models.TextField(max_length=2_000, blank=True)

    version = models.PositiveIntegerField(default=1, help_text="Moves on with every change: stale edits are refused")
    # None when the resident made the complaint themselves, online.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "reference"], name="complaint_reference_unique"),
            models.CheckConstraint(condition=Q(stage__in=[1, 2]), name="complaint_has_two_stages_only"),
            models.CheckConstraint(
                condition=~Q(status="not-accepted") | (~Q(refusal_ground="") & Q(refused_by__isnull=False)),
                name="not_accepted_has_ground_and_decider",
            ),
            models.CheckConstraint(condition=Q(priority__in=[1, 2]), name="complaint_priority_known"),
        ]
        indexes = [
            # The worklist: a landlord's open complaints by next deadline, optionally one handler's.
            models.Index(
                fields=["landlord", "next_due", "id"],
                condition=Q(status__in=["received", "stage1-open", "stage2-open"]),
                name="worklist_open_by_deadline",
            ),
            models.Index(fields=["landlord", "handler", "next_due", "id"], name="worklist_by_handler"),
            # A handler's open work by deadline: an index scan that stops at the page's last row.
            models.Index(
                fields=["landlord", "handler", "next_due", "id"],
                condition=Q(status__in=["received", "stage1-open", "stage2-open"]),
                name="worklist_open_by_handler",
            ),
            models.Index(fields=["landlord", "status", "next_due", "id"], name="complaints_by_status"),
            # The worklists: high priority first, then by deadline (6.1).
            models.Index(
                fields=["landlord", "priority", "next_due", "id"],
                condition=Q(status__in=["received", "stage1-open", "stage2-open"]),
                name="worklist_open_by_priority",
            ),
            models.Index(
                fields=["landlord", "handler", "priority", "next_due", "id"], name="worklist_handler_priority"
            ),
            models.Index(fields=["landlord", "received_on"], name="complaints_by_received"),
            # The measures and reports: a landlord's complaints closed, withdrawn, refused or referred in a period.
            models.Index(fields=["landlord", "closed_on"], name="complaints_by_closed"),
            # The learning recorded at closure, latest first, however few complaints carry it.
            models.Index(
                fields=["landlord", "closed_on", "id"], condition=~Q(learning_outcome=""), name="complaints_learning"
            ),
            models.Index(
                fields=["landlord", "withdrawn_on"],
                condition=Q(withdrawn_on__isnull=False),
                name="complaints_by_withdrawn",
            ),
            models.Index(
                fields=["landlord", "refused_on"], condition=Q(refused_on__isnull=False), name="complaints_by_refused"
            ),
            models.Index(
                fields=["landlord", "ombudsman_referred_on"],
                condition=Q(ombudsman_referred_on__isnull=False),
                name="complaints_by_referral",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_confidential(self) -> bool:
        return self.about_staff_id is not None or bool(self.confidential_reason)

    @property
    def reachable(self) -> bool:
        """Whether a letter can reach the complainant: by their email or address, or their representative's email."""
        rep = self.representative
        return self.person.reachable or bool(rep is not None and rep.email.strip())

    @property
    def risk_factor_labels(self) -> list[str]:
        return [RiskFactor(value).label for value in self.risk_factors if value in RiskFactor.values]


class ComplaintArea(models.Model):
    """A service area a complaint touches (issue 19): a standard area, and the landlord's own area within it
    when staff chose one. Exactly one leads (Medway 5.6.1: one response, led by one person); its standard
    area is kept on `Complaint.service_area` by the actions, so whatever reads that goes on working. Changed
    only through complaints.actions.areas."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="areas")
    standard_area = models.CharField(max_length=20, choices=ServiceArea.choices)
    landlord_area = models.ForeignKey(
        LandlordServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint_areas"
    )
    lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["-lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint"], condition=Q(lead=True), name="one_lead_area_per_complaint"),
            models.UniqueConstraint(
                fields=["complaint", "standard_area"],
                condition=Q(landlord_area__isnull=True),
                name="standard_area_once_per_complaint",
            ),
            models.UniqueConstraint(fields=["complaint", "landlord_area"], name="landlord_area_once_per_complaint"),
        ]
        # Filters and measures by area look complaints up by the area they touch.
        indexes = [models.Index(fields=["standard_area", "complaint"], name="complaint_areas_by_area")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.name}{' (lead)' if self.lead else ''}"

    @property
    def name(self) -> str:
        """The landlord's own area's name where one was chosen, else Putright's name for the standard area."""
        if self.landlord_area_id is not None and self.landlord_area is not None:
            return self.landlord_area.name
        return ServiceArea(self.standard_area).label if self.standard_area in ServiceArea.values else ""


def others_of(areas: Iterable[ComplaintArea]) -> str:
    """`Complaint.other_areas` for these areas: the standard areas besides the lead's, sorted, once each."""
    rows = list(areas)
    lead = {row.standard_area for row in rows if row.lead}
    return ",".join(sorted({row.standard_area for row in rows if not row.lead} - lead))


def other_areas(value: str) -> list[str]:
    """The areas a `Complaint.other_areas` value lists."""
    return value.split(",") if value else []


class Stage(models.Model):
    """One of the two stages of a complaint, with its definition, deadlines and response."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="stages")
    # The complaint's landlord, copied onto its stages (set by `save` from the complaint, never changed): the
    # measures then read a period's stages by (landlord, date) without walking all of a landlord's complaints.
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+", db_index=False)
    number = models.PositiveSmallIntegerField()
    opened_on = models.DateField(help_text="Stage 1: the day received; stage 2: the day escalation was asked for")
    escalation_reason = models.TextField(max_length=5_000, blank=True, help_text="Optional: never required (6.12)")
    escalation_discretion = models.TextField(max_length=5_000, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conflict_declaration = models.TextField(max_length=2_000, blank=True)

    acknowledge_due = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    # The complaint definition (5.6, 5.7).
    understanding = models.TextField(max_length=10_000, blank=True)
    outcomes_sought = models.TextField(max_length=5_000, blank=True)
    responsible_for = models.TextField(max_length=5_000, blank=True)
    not_responsible_for = models.TextField(max_length=5_000, blank=True)
    clarification_requested_on = models.DateField(null=True, blank=True)

    original_response_due = models.DateField()
    response_due = models.DateField()
    extension_days = models.PositiveIntegerField(default=0)
    update_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    next_update_due = models.DateField(null=True, blank=True)

    responded_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    response_summary = models.TextField(max_length=20_000, blank=True)
    escalation_route = models.TextField(max_length=2_000, blank=True)
    escalate_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="one_row_per_stage"),
            models.CheckConstraint(condition=Q(number__in=[1, 2]), name="stage_is_1_or_2"),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True) | ~Q(understanding=""),
                name="acknowledged_stage_has_definition",
            ),
        ]
        indexes = [
            # The measures: a landlord's stages opened, acknowledged or responded to in a period. On PostgreSQL
            # each also carries the columns its measure reads (migration 0010), so it is read alone.
            models.Index(fields=["landlord", "number", "opened_on"], name="stages_by_opened"),
            models.Index(fields=["landlord", "acknowledged_on"], name="stages_by_acknowledged"),
            models.Index(fields=["landlord", "responded_on"], name="stages_by_responded"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.reference} stage {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.landlord_id is None and self.complaint_id is not None:
            self.landlord_id = self.complaint.landlord_id
        super().save(*args, **kwargs)


class InsightGeneration(models.Model):
    """A number that moves on whenever anything a landlord's measures count changes (a response recorded late,
    a deadline recomputed, a closure, an anonymisation, a TP09 survey imported). Insight keeps the measures of
    closed periods under it, so one change makes every cached figure of the landlord's out of date at once.
    Moved on by a trigger on Event (migration 0010) and by `putright.complaints.insight_generation.move_on`."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, primary_key=True, related_name="+")
    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.landlord_id}: insight generation {self.number}"


class InsightYearGeneration(models.Model):
    """How many changes there have been to a landlord's complaints received in one reporting year (`year`, the
    year it starts in), or to what every year's measures count (`year` 0: a TP09 survey imported, a bulk load).
    Moved on with the landlord's generation by the same trigger (migration 0014) and by `move_on`.

    Every date recorded about a complaint falls on or after the day it was received, so a change to a complaint
    received after a period ended cannot change that period's measures: a closed period's figures are kept under
    the sum of the rows up to its end's reporting year, and the everyday work on this year's complaints leaves
    last year's figures as they were counted."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "year"], name="one_insight_generation_a_year")]

    def __str__(self) -> str:
        return f"{self.landlord_id} {self.year}: {self.number}"


class DefinitionPoint(models.Model):
    """One point of the complaint definition, answered one by one in the response (6.7, 6.18)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="points")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=5_000)
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    reasons = models.TextField(max_length=20_000, blank=True)

    class Meta:
        ordering = ["stage", "number"]
        constraints = [models.UniqueConstraint(fields=["stage", "number"], name="point_numbers_unique")]

    def __str__(self) -> str:
        return f"Point {self.number}"


class Extension(models.Model):
    """A longer time to respond, told to the resident with the Ombudsman's details (6.4, 6.5, 6.15, 6.16)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=5_000)
    good_reason = models.TextField(max_length=5_000, blank=True, help_text="Required beyond the policy's cap")
    previous_due = models.DateField()
    new_due = models.DateField()
    # The extension letter is the notice: issued, with the Ombudsman's details, when it is recorded.
    resident_told_on = models.DateField(help_text="The day the extension letter was issued")
    ombudsman_details_given = models.BooleanField()
    told_by_phone_on = models.DateField(null=True, blank=True, help_text="When the resident was also told by phone")
    late = models.BooleanField(default=False, help_text="Recorded after the deadline it extends had passed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["stage", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ombudsman_details_given=True), name="extension_gives_ombudsman_details"),
            models.CheckConstraint(condition=Q(days__gte=1), name="extension_at_least_one_day"),
        ]

    def __str__(self) -> str:
        return f"{self.days} working days, to {self.new_due}"


class ResidentUpdate(models.Model):
    """An update agreed with the resident while a response is late (5.9): when it fell due and when
    it was sent. Agreeing an interval awaits the first; sending one awaits the next."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="resident_updates")
    due_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    replaced_on = models.DateField(
        null=True, blank=True, help_text="A new interval was agreed with the resident before it was sent"
    )

    class Meta:
        ordering = ["stage", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(sent_on__isnull=True, replaced_on__isnull=True),
                name="one_update_awaited_per_stage",
            ),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(replaced_on__isnull=True), name="update_sent_or_replaced"
            ),
        ]

    def __str__(self) -> str:
        return f"Update due {self.due_on}"


class Remedy(models.Model):
    """Putting things right (7.1 to 7.4): what, how much, by when, and whether it was delivered."""

    class Kind(models.TextChoices):
        APOLOGY = "apology", "Apology"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledging what went wrong"
        EXPLANATION = "explanation", "Explanation, assistance or reasons"
        ACTION = "action", "Taking action (such as a repair)"
        FINANCIAL = "financial", "Financial remedy"
        RECORD_AMENDED = "record-amended", "Amending a record"
        DECISION_CHANGED = "decision-changed", "Reconsidering or changing a decision"
        POLICY_CHANGED = "policy-changed", "Changing a policy or procedure"

    class State(models.TextChoices):
        OFFERED = "offered", "Offered"
        AGREED = "agreed", "Agreed with the resident"
        DELIVERED = "delivered", "Delivered"
        DECLINED = "declined", "Declined by the resident"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(max_length=5_000)
    # Financial remedies itemised as the Ombudsman's remedies guidance does.
    amount_statutory = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    amount_quantifiable_loss = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    amount_time_and_trouble = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    amount_distress = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    due_on = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    delivered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["stage", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_statutory__gte=0)
                & Q(amount_quantifiable_loss__gte=0)
                & Q(amount_time_and_trouble__gte=0)
                & Q(amount_distress__gte=0),
                name="remedy_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def total(self):  # type: ignore[no-untyped-def]
        return (
            self.amount_statutory + self.amount_quantifiable_loss + self.amount_time_and_trouble + self.amount_distress
        )


class OutstandingAction(models.Model):
    """Something still to do after the response, tracked to completion with updates (6.6, 6.17)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="actions")
    stage_number = models.PositiveSmallIntegerField()
    description = models.TextField(max_length=5_000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "completed_on", "due_on"], name="actions_by_owner")]

    def __str__(self) -> str:
        return f"{self.description[:60]} (due {self.due_on})"


class ActionUpdate(models.Model):
    action = models.ForeignKey(OutstandingAction, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField(max_length=5_000)
    resident_told = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["action", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Update of {self.recorded_at:%Y-%m-%d}"


class Event(models.Model):
    """An append-only record of something that happened to a complaint: the timeline and the audit."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=40)
    stage = models.PositiveSmallIntegerField(null=True)
    summary = models.TextField(max_length=2_000)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at", "id"], name="events_by_complaint")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last number used for a landlord's references in a year: numbers are never reused."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE)
    kind = models.CharField(max_length=2)  # "C" for complaints, "SR" for service requests
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "kind", "year"], name="one_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class AdjustmentTask(models.Model):
    """Something a reasonable adjustment asks of the people working a stage (5.10): a phone call
    before writing, recorded once done; or a letter to send again in the format the resident needs,
    outstanding until staff record the day it was sent."""

    class Kind(models.TextChoices):
        PHONE_FIRST = "phone-first", "Phone the resident before sending letters"
        SEND_FORMAT = "send-format", "Send a letter in another format"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="adjustment_tasks")
    adjustment = models.ForeignKey(ReasonableAdjustment, on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    what = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["stage", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="phone-first") | Q(done_on__isnull=False), name="phone_task_recorded_when_done"
            ),
            models.UniqueConstraint(
                fields=["stage", "adjustment"], condition=Q(kind="phone-first"), name="one_phone_call_per_stage"
            ),
        ]

    def __str__(self) -> str:
        return self.what

"""Who oversees complaint handling at a landlord and what was presented to them (Code 4.1, 8.2, 9.4 to 9.7).

A `GoverningBody` is the landlord's governing body (a council's Cabinet, a housing association's board) or a
committee that receives complaint reports. An `Appointment` is a role held by a named person from a date: the
Member Responsible for Complaints, the senior lead for complaint handling or the complaints officer. A
`Presentation` records that a report went to the governing body and/or the MRC, at which meeting and when,
with the minutes or response attached and what they said.

The self-assessment presented is kept as a plain number (`self_assessment_id`), not a foreign key: the
self-assessment belongs to insight, which sits above governance and reads it, so governance never refers to
insight's tables (no import and no migration depending on insight for this app's first migration)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from putright.landlords.models import Landlord

__all__ = ["Appointment", "GoverningBody", "OversightRole", "Presentation", "ReportKind"]


class GoverningBody(models.Model):
    class Kind(models.TextChoices):
        GOVERNING_BODY = "governing_body", "Governing body"
        COMMITTEE = "committee", "Committee"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="governing_bodies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GOVERNING_BODY)
    active = models.BooleanField(default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "-active", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "name"], name="governance_body_name_once"),
            models.UniqueConstraint(
                fields=["landlord"],
                condition=Q(kind="governing_body", active=True),
                name="governance_one_active_governing_body",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OversightRole(models.TextChoices):
    MRC = "mrc", "Member Responsible for Complaints"
    SENIOR_LEAD = "senior_lead", "Senior lead accountable for complaint handling"
    COMPLAINTS_OFFICER = "officer", "Complaints officer"

    @property
    def provision(self) -> str:
        return {"mrc": "9.5", "senior_lead": "9.4", "officer": "4.1"}[self.value]


class Appointment(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="appointments")
    role = models.CharField(max_length=20, choices=OversightRole.choices)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text='Such as "Cabinet Portfolio Holder for Housing"')
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "role", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["landlord", "role"], condition=Q(ends_on__isnull=True), name="governance_one_current_holder"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="governance_appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.get_role_display()}"

    def held_on(self, day: object) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)  # type: ignore[operator]


class ReportKind(models.TextChoices):
    GOVERNANCE = "governance", "Quarterly governance report"
    ANNUAL = "annual", "Annual complaints performance and service improvement report"
    SELF_ASSESSMENT = "self_assessment", "Self-assessment against the Code"


class Presentation(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="presentations")
    report = models.CharField(max_length=20, choices=ReportKind.choices)
    year_starting = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(null=True, blank=True)  # the governance report's quarter only
    # insight's SelfAssessment, by number: governance sits below insight and never refers to its tables.
    self_assessment_id = models.PositiveIntegerField(null=True, blank=True)
    body = models.ForeignKey(
        GoverningBody, on_delete=models.PROTECT, null=True, blank=True, related_name="presentations"
    )
    to_member = models.BooleanField(default=False)  # also (or only) to the Member Responsible for Complaints
    member_name = models.CharField(max_length=200, blank=True)  # who held the role on the day
    meeting = models.CharField(max_length=200)
    presented_on = models.DateField()
    document = models.FileField(upload_to="governance/presentations/", blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    response = models.TextField(blank=True)
    response_on = models.DateField(null=True, blank=True)
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "-presented_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                F("landlord"),
                F("report"),
                F("year_starting"),
                Coalesce("quarter", Value(0)),
                Coalesce("self_assessment_id", Value(0)),
                Coalesce("body", Value(0)),
                F("presented_on"),
                name="governance_presented_once",
            ),
            models.CheckConstraint(condition=Q(body__isnull=False) | Q(to_member=True), name="governance_to_someone"),
            models.CheckConstraint(
                condition=(Q(report="governance") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (~Q(report="governance") & Q(quarter__isnull=True)),
                name="governance_quarter_for_governance_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report_label} to {self.audience} on {self.presented_on:%d %B %Y}"

    @property
    def report_label(self) -> str:
        label = f"{self.year_starting}/{str(self.year_starting + 1)[-2:]}"
        if self.report == ReportKind.GOVERNANCE:
            return f"Governance report, Q{self.quarter} {label}"
        if self.report == ReportKind.ANNUAL:
            return f"Annual complaints report {label}"
        return f"Self-assessment {label}"

    @property
    def audience(self) -> str:
        names = [self.body.name] if self.body_id and self.body else []
        if self.to_member:
            names.append(
                f"the Member Responsible for Complaints ({self.member_name})"
                if self.member_name
                else "the Member Responsible for Complaints"
            )
        return " and ".join(names)

    @property
    def responded(self) -> bool:
        return bool(self.response)

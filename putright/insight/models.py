"""What insight keeps of its own: improvements, survey results, self-assessments and annual reports.

Nothing here changes a complaint. Rows change only through `putright.insight.actions`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from putright.complaints.models import Complaint, ServiceArea
from putright.insight.periods import year_label
from putright.landlords.models import Landlord


class ServiceImprovement(models.Model):
    """A change to the service made from learning, linked to the complaints that prompted it (9.1 to 9.3)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        IN_PROGRESS = "in-progress", "In progress"
        COMPLETED = "completed", "Completed"
        NOT_TAKEN_FORWARD = "not-taken-forward", "Not taken forward"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="service_improvements")
    title = models.CharField(max_length=200)
    learning = models.TextField(max_length=5_000, help_text="What the complaints showed")
    action = models.TextField(max_length=5_000, help_text="The steps being taken")
    service_area = models.CharField(max_length=20, choices=ServiceArea.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    responsible = models.CharField(max_length=200, help_text="The responsible officer, by role")
    target_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # The publishable "you said, we did" (9.3): in residents' terms, with nothing that identifies anyone.
    you_said = models.TextField(max_length=2_000, blank=True)
    we_did = models.TextField(max_length=2_000, blank=True)
    publish = models.BooleanField(default=False)
    complaints = models.ManyToManyField(Complaint, blank=True, related_name="improvements")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(publish=False) | (~Q(you_said="") & ~Q(we_did="")),
                name="published_improvement_says_what_was_said_and_done",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="completed_improvement_has_date",
            ),
        ]
        indexes = [models.Index(fields=["landlord", "status"], name="improvements_by_status")]

    def __str__(self) -> str:
        return self.title


class PerceptionSurvey(models.Model):
    """The landlord's tenant perception survey for a year, as counted for TP09 (imported from CSV)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="perception_surveys")
    year_starting = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField(help_text="Respondents in the file")
    lcra_complainants = models.PositiveIntegerField(help_text="LCRA respondents who complained and gave a rating")
    lcra_satisfied = models.PositiveIntegerField()
    lcho_complainants = models.PositiveIntegerField()
    lcho_satisfied = models.PositiveIntegerField()
    not_counted = models.PositiveIntegerField(help_text="Complainants who answered 'don't know' or not applicable")
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "-year_starting"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "year_starting"], name="one_perception_survey_per_year"),
            models.CheckConstraint(
                condition=Q(lcra_satisfied__lte=models.F("lcra_complainants"))
                & Q(lcho_satisfied__lte=models.F("lcho_complainants")),
                name="survey_satisfied_within_complainants",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: perception survey {self.year_starting}"


class Comply(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTIAL = "partial", "Partial"
    NOT_APPLICABLE = "n/a", "N/A"


_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth")


class SelfAssessment(models.Model):
    """The landlord's assessment against every provision of the Code (Appendix A, 8.1).

    Done every year, and again whenever 8.3 or 8.4 call for it: a year can hold several, numbered
    by `sequence` from 1; the latest is the year's assessment and the earlier ones stay as they were.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved"

    class Reason(models.TextChoices):
        ANNUAL = "annual", "The annual self-assessment"
        RESTRUCTURE = "restructure", "After a significant restructure or merger (8.3)"
        PROCEDURES = "procedures", "After a change in complaint procedures (8.3)"
        OMBUDSMAN = "ombudsman", "After an Ombudsman investigation or request (8.4)"
        OTHER = "other", "Another reason"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="self_assessments")
    year_starting = models.PositiveSmallIntegerField()
    sequence = models.PositiveSmallIntegerField(default=1, help_text="1 for the year's first, 2 for the next")
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.ANNUAL)
    reason_detail = models.CharField(max_length=300, blank=True, help_text="What prompted it, for another reason")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    started_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The approval of the Member Responsible for Complaints (9.5): who, when, and what they said.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approval_note = models.TextField(max_length=2_000, blank=True)
    returned_note = models.TextField(max_length=2_000, blank=True, help_text="Why it was sent back, if it was")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        # The year's latest first: `.first()` on a year is the assessment that counts for it.
        ordering = ["landlord", "-year_starting", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["landlord", "year_starting", "sequence"], name="self_assessments_numbered_within_year"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="self_assessment_sequence_from_one"),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(reason_detail=""), name="self_assessment_other_reason_described"
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="approved_self_assessment_records_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: self-assessment {self.year_starting} ({self.sequence})"

    @property
    def why(self) -> str:
        """The reason in the words of a sentence: "after a change in complaint procedures"."""
        return {
            self.Reason.ANNUAL: "as the annual self-assessment",
            self.Reason.RESTRUCTURE: "after a significant restructure or merger",
            self.Reason.PROCEDURES: "after a change in complaint procedures",
            self.Reason.OMBUDSMAN: "after an Ombudsman investigation or request",
        }.get(self.Reason(self.reason), f"for another reason: {self.reason_detail}")

    @property
    def which(self) -> str:
        """ "Second self-assessment of 2025/26, started 3 November 2025": how pages and exports name it."""
        ordinal = _ORDINALS[self.sequence - 1] if self.sequence <= len(_ORDINALS) else f"Number {self.sequence}"
        started = timezone.localdate(self.created_at)
        return f"{ordinal} self-assessment of {year_label(self.year_starting)}, started {started.day} {started:%B %Y}"

    @property
    def which_in_sentence(self) -> str:
        """ "second self-assessment of 2025/26, started 3 November 2025", to follow "the"."""
        return self.which[:1].lower() + self.which[1:]

    @property
    def headline(self) -> str:
        """ "Second self-assessment of 2025/26, started 3 November 2025 after a change in complaint procedures"."""
        return f"{self.which} {self.why}"

    def replaced_by(self) -> SelfAssessment | None:
        """The year's latest assessment, if a later one than this was started in the same year."""
        return (
            SelfAssessment.objects.filter(
                landlord_id=self.landlord_id, year_starting=self.year_starting, sequence__gt=self.sequence
            )
            .order_by("-sequence")
            .first()
        )

    @property
    def reason_text(self) -> str:
        """The reason for a list or a header: its label, or what staff wrote for another reason."""
        if self.reason == self.Reason.OTHER:
            return f"Another reason: {self.reason_detail}"
        return self.get_reason_display()


class SelfAssessmentEntry(models.Model):
    """One provision's row: the Ombudsman's five columns, and an action plan line for anything short of yes."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="entries")
    provision = models.CharField(max_length=5)
    section = models.PositiveSmallIntegerField()
    item = models.PositiveSmallIntegerField()
    comply = models.CharField(max_length=8, choices=Comply.choices, blank=True)
    evidence = models.TextField(max_length=10_000, blank=True)
    from_data = models.TextField(max_length=5_000, blank=True, help_text="What Putright's records show")
    records_answer = models.CharField(
        max_length=8, choices=Comply.choices, blank=True, help_text="The answer Putright's records support, if any"
    )
    commentary = models.TextField(max_length=10_000, blank=True)
    action = models.TextField(max_length=5_000, blank=True)
    target_date = models.DateField(null=True, blank=True)
    responsible = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "section", "item"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "provision"], name="one_entry_per_provision"),
        ]

    def __str__(self) -> str:
        return f"{self.provision}: {self.get_comply_display() or 'not assessed'}"

    @property
    def short_of_yes(self) -> bool:
        return self.comply in (Comply.NO, Comply.PARTIAL)


class CodeWording(models.Model):
    """The Ombudsman's wording of each provision, read from the self-assessment form the landlord uploaded.

    Every import is kept, so the history shows which file was used when; the latest is the one in use.
    """

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="code_wordings")
    file_name = models.CharField(max_length=200)
    requirements = models.JSONField(help_text="The Code requirement by provision number")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["landlord", "-imported_at"], name="code_wording_latest")]

    def __str__(self) -> str:
        return f"{self.landlord}: the Ombudsman's wording from {self.file_name}"


class AnnualReport(models.Model):
    """What the annual report (8.1, 8.2) needs beyond the data: words, the Ombudsman's letter, the board's response."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="annual_reports")
    year_starting = models.PositiveSmallIntegerField()
    introduction = models.TextField(max_length=10_000, blank=True)
    performance_commentary = models.TextField(max_length=10_000, blank=True)
    ombudsman_findings = models.TextField(
        max_length=10_000, blank=True, help_text="The Ombudsman's determinations, including any of non-compliance"
    )
    ombudsman_letter = models.FileField(upload_to="insight/ombudsman-letters/", blank=True)
    ombudsman_letter_name = models.CharField(max_length=200, blank=True)
    governing_body = models.CharField(max_length=200, blank=True, help_text="For example: Cabinet, the Board")
    governing_body_response = models.TextField(max_length=20_000, blank=True)
    response_on = models.DateField(null=True, blank=True)
    response_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "-year_starting"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "year_starting"], name="one_annual_report_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: annual report {self.year_starting}"


def job_path(job: ReportJob, filename: str) -> str:
    return f"reports/{job.landlord_id}/{uuid.uuid4().hex}-{filename}"


class ReportJob(models.Model):
    """One report asked for by one person: its progress while the worker builds it, then the file."""

    class Kind(models.TextChoices):
        ANNUAL_PDF = "annual-pdf", "Annual complaints performance and service improvement report"
        GOVERNANCE_PDF = "governance-pdf", "Governance report"
        ASSESSMENT_PDF = "assessment-pdf", "Self-assessment against the Code"
        COMPLAINTS_CSV = "complaints-csv", "Complaints export (CSV)"
        COMPLAINTS_XLSX = "complaints-xlsx", "Complaints export (spreadsheet)"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "In progress"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "File deleted"

    RUNNING = (State.QUEUED, State.BUILDING)

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="report_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What was chosen (year, quarter, assessment, export filter) as JSON with sorted keys: equal text, same report.
    parameters = models.CharField(max_length=1_000, default="{}")
    title = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=job_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    # The landlord's insight generation when the build began reading the records: while it has not moved,
    # the file still says what the records say.
    generation = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["landlord", "requested_by", "kind", "parameters"],
                condition=Q(state__in=["queued", "building"]),
                name="one_running_report_job_per_request",
            ),
            models.CheckConstraint(condition=~Q(state="ready") | ~Q(file=""), name="ready_report_job_has_file"),
            models.CheckConstraint(condition=Q(steps_done__lte=models.F("steps_total")), name="report_job_steps"),
        ]
        indexes = [models.Index(fields=["landlord", "requested_by", "-requested_at"], name="report_jobs_by_person")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def in_progress(self) -> bool:
        return self.state in self.RUNNING

    @property
    def chosen(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.parameters)
        return value

    @property
    def content_type(self) -> str:
        if self.kind == self.Kind.COMPLAINTS_CSV:
            return "text/csv; charset=utf-8"
        if self.kind == self.Kind.COMPLAINTS_XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "application/pdf"


from putright.insight.other_reports import OtherReport  # noqa: E402, F401 - 8.1(f), a model in its own module
from putright.insight.sector import PublishedFinding  # noqa: E402, F401 - the model lives beside its import and queries

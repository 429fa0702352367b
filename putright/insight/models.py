"""What insight keeps of its own: improvements, survey results, self-assessments and annual reports.

Nothing here changes a complaint. Rows change only through `putright.insight.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.complaints.models import Complaint, ServiceArea
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


class SelfAssessment(models.Model):
    """The landlord's assessment against every provision of the Code for a year (Appendix A, 8.1)."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="self_assessments")
    year_starting = models.PositiveSmallIntegerField()
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
        ordering = ["landlord", "-year_starting"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "year_starting"], name="one_self_assessment_per_year"),
            models.CheckConstraint(
                condition=~Q(state="approved") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="approved_self_assessment_records_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: self-assessment {self.year_starting}"


class SelfAssessmentEntry(models.Model):
    """One provision's row: the Ombudsman's five columns, and an action plan line for anything short of yes."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="entries")
    provision = models.CharField(max_length=5)
    section = models.PositiveSmallIntegerField()
    item = models.PositiveSmallIntegerField()
    comply = models.CharField(max_length=8, choices=Comply.choices, blank=True)
    evidence = models.TextField(max_length=10_000, blank=True)
    from_data = models.TextField(max_length=5_000, blank=True, help_text="What Putright's records show")
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


from putright.insight.other_reports import OtherReport  # noqa: E402, F401 - 8.1(f), a model in its own module
from putright.insight.sector import PublishedFinding  # noqa: E402, F401 - the model lives beside its import and queries

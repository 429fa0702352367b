"""An Ombudsman case on a complaint, and what happens in it: the evidence the Ombudsman asks for,
its determination of each element of the complaint, and the orders and recommendations that follow.

Rows here change only through `putright.ombudsman.actions`, each change with an Event on the
complaint, so the complaint's timeline is also the record of its time with the Ombudsman (5.12).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.complaints.models import Complaint
from putright.documents.models import Attachment
from putright.landlords.models import Landlord


class CaseStage(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry"
    EVIDENCE_REQUESTED = "evidence-requested", "Evidence requested"
    INVESTIGATION = "investigation", "Investigation"
    DETERMINED = "determined", "Determined"
    CLOSED = "closed", "Closed"


# Where a case may go from each stage. An investigation may ask for more evidence; a determined
# case closes once the orders are complied with; a closed case stays closed (a new referral is a
# new case).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStage.ENQUIRY: (CaseStage.EVIDENCE_REQUESTED, CaseStage.INVESTIGATION, CaseStage.CLOSED),
    CaseStage.EVIDENCE_REQUESTED: (CaseStage.INVESTIGATION, CaseStage.DETERMINED, CaseStage.CLOSED),
    CaseStage.INVESTIGATION: (CaseStage.EVIDENCE_REQUESTED, CaseStage.DETERMINED, CaseStage.CLOSED),
    CaseStage.DETERMINED: (CaseStage.CLOSED,),
    CaseStage.CLOSED: (),
}


class Finding(models.TextChoices):
    """The Ombudsman's findings on an element of a complaint (the Scheme, paragraph 52 onwards)."""

    SEVERE_MALADMINISTRATION = "severe-maladministration", "Severe maladministration"
    MALADMINISTRATION = "maladministration", "Maladministration"
    SERVICE_FAILURE = "service-failure", "Service failure"
    NO_MALADMINISTRATION = "no-maladministration", "No maladministration"
    REASONABLE_REDRESS = "reasonable-redress", "Reasonable redress"
    OUTSIDE_JURISDICTION = "outside-jurisdiction", "Outside jurisdiction"


# The findings the Ombudsman counts in a landlord's maladministration rate: a failing was found.
ADVERSE_FINDINGS = (Finding.SEVERE_MALADMINISTRATION, Finding.MALADMINISTRATION, Finding.SERVICE_FAILURE)
# Findings on the merits: outside jurisdiction is no finding about the landlord at all.
FINDINGS_ON_MERITS = (*ADVERSE_FINDINGS, Finding.NO_MALADMINISTRATION, Finding.REASONABLE_REDRESS)


class OmbudsmanCase(models.Model):
    """A complaint in the Ombudsman's hands: its reference, dates and stage. One open at a time."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="ombudsman_cases")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="ombudsman_cases")
    reference = models.CharField(max_length=20, blank=True, help_text="The Ombudsman's case reference")
    enquiry_received_on = models.DateField(help_text="The day the Ombudsman's enquiry reached the landlord")
    referred_on = models.DateField(null=True, blank=True, help_text="The day the complaint was referred")
    stage = models.CharField(max_length=20, choices=CaseStage.choices, default=CaseStage.ENQUIRY)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-enquiry_received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["landlord", "reference"], condition=~Q(reference=""), name="ombudsman_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["complaint"], condition=~Q(stage="closed"), name="one_open_ombudsman_case_per_complaint"
            ),
            models.CheckConstraint(
                condition=Q(stage="closed", closed_on__isnull=False) | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="closed_ombudsman_case_has_date",
            ),
        ]
        indexes = [models.Index(fields=["landlord", "stage", "enquiry_received_on"], name="ombudsman_cases_by_stage")]

    def __str__(self) -> str:
        return self.reference or f"Case on {self.complaint_id}"

    @property
    def is_open(self) -> bool:
        return self.stage != CaseStage.CLOSED

    @property
    def allowed_stages(self) -> list[tuple[str, str]]:
        return [(value, CaseStage(value).label) for value in TRANSITIONS[self.stage]]


class EvidenceRequest(models.Model):
    """What the Ombudsman asked the landlord for, by when, and what was sent.

    Both due dates are kept: the one the landlord's policy gives (`ombudsman_evidence_days`
    working days) and the one the Ombudsman set, if it did. The Ombudsman's is the one to meet.
    """

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="evidence_requests")
    what = models.TextField(max_length=5_000)
    requested_on = models.DateField()
    policy_due_on = models.DateField(help_text="requested_on plus the policy's working days")
    ombudsman_due_on = models.DateField(null=True, blank=True, help_text="The date the Ombudsman gave, if any")
    due_on = models.DateField(help_text="The date that applies: the Ombudsman's, else the policy's")
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    response = models.TextField(max_length=10_000, blank=True, help_text="What was sent")
    documents = models.ManyToManyField(Attachment, blank=True, related_name="+")
    bundle = models.ForeignKey(
        "EvidenceBundle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_for",
        help_text="The version of the evidence bundle sent, if one was",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("requested_on")), name="evidence_due_after_asked"),
            models.CheckConstraint(condition=Q(sent_on__isnull=True) | ~Q(response=""), name="evidence_sent_says_what"),
        ]
        indexes = [models.Index(fields=["sent_on", "due_on"], name="evidence_awaited_by_due")]

    def __str__(self) -> str:
        return f"Evidence due {self.due_on}"

    @property
    def due_from(self) -> str:
        return "the Ombudsman's date" if self.ombudsman_due_on else "the landlord's policy"


class Determination(models.Model):
    """The Ombudsman's finding on one element of the complaint."""

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="determinations")
    element = models.TextField(max_length=2_000, help_text="The element of the complaint, in the Ombudsman's words")
    finding = models.CharField(max_length=30, choices=Finding.choices)
    determined_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "determined_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_finding_display()}: {self.element[:60]}"

    @property
    def adverse(self) -> bool:
        return self.finding in ADVERSE_FINDINGS


class Order(models.Model):
    """An order or recommendation of the Ombudsman, or a complaint handling failure order, carried
    through to the Ombudsman confirming compliance (9.7: reported to the governing body)."""

    class Kind(models.TextChoices):
        ORDER = "order", "Order"
        RECOMMENDATION = "recommendation", "Recommendation"
        COMPLAINT_HANDLING_FAILURE = "chfo", "Complaint handling failure order"

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="orders")
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    what = models.TextField(max_length=5_000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True, help_text="The day the landlord complied")
    compliance_evidence = models.TextField(max_length=10_000, blank=True)
    documents = models.ManyToManyField(Attachment, blank=True, related_name="+")
    confirmed_on = models.DateField(null=True, blank=True, help_text="The day the Ombudsman confirmed compliance")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["case", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | ~Q(compliance_evidence=""), name="order_complied_with_evidence"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_on__isnull=True) | Q(completed_on__isnull=False),
                name="order_confirmed_after_compliance",
            ),
        ]
        indexes = [models.Index(fields=["owner", "completed_on", "due_on"], name="ombudsman_orders_by_owner")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what[:60]}"

    def overdue_on(self, today: date) -> bool:
        return self.completed_on is None and self.due_on < today


class OrderUpdate(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField(max_length=5_000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["order", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Update of {self.recorded_at:%Y-%m-%d}"


def bundle_path(bundle: EvidenceBundle, filename: str) -> str:
    return f"bundles/{bundle.case.landlord_id}/{uuid.uuid4().hex}.zip"


class EvidenceBundle(models.Model):
    """One version of the complaint's whole record, built as a zip for the Ombudsman (5.12) and kept,
    with its SHA-256, as the record of what was sent.

    `fingerprint` is the hash of what went into it (the ids of the events, letters, emails and
    documents): building again with nothing new would only make a copy, so it is refused.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    case = models.ForeignKey(OmbudsmanCase, on_delete=models.CASCADE, related_name="bundles")
    version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=bundle_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=list, help_text="Each file in the zip: its name, what it is, size, SHA-256")
    fingerprint = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="one_bundle_per_version"),
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(sha256="") & ~Q(file="")), name="ready_bundle_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence bundle version {self.version}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    @property
    def filename(self) -> str:
        reference = self.case.reference or self.case.complaint.reference
        return f"evidence-bundle-{reference}-v{self.version}.zip"

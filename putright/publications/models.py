"""What a landlord has published for residents about complaints (Code 3.4, 8.1 to 8.3, 9.3).

Each publication is an edition: a snapshot of the report as it read on the day it was published (the page's
HTML and, for the annual report and the self-assessment, the PDF), so later changes to the records never change
what residents read. Publishing again makes a new edition; earlier ones stay readable. A withdrawn edition is
hidden from residents and kept for the record. Rows change only through `putright.publications.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.insight.models import SelfAssessment
from putright.landlords.models import Landlord


class Kind(models.TextChoices):
    ANNUAL_REPORT = "annual-report", "Annual complaints performance and service improvement report"
    SELF_ASSESSMENT = "self-assessment", "Self-assessment against the Complaint Handling Code"
    YOU_SAID_WE_DID = "you-said-we-did", "You said, we did"


# The reports published for a reporting year; "you said, we did" is a running list, published when it changes.
YEARLY = (Kind.ANNUAL_REPORT, Kind.SELF_ASSESSMENT)


class EditionQuerySet(models.QuerySet["Edition"]):
    def live(self) -> EditionQuerySet:
        """Editions residents can read: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def of(self, landlord_id: int, kind: str) -> EditionQuerySet:
        """The landlord's editions of one kind, the one residents see first at the top: the latest year's
        latest edition."""
        return self.filter(landlord_id=landlord_id, kind=kind).order_by(
            models.F("year_starting").desc(nulls_last=True), "-number"
        )


class Edition(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="editions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(help_text="1 for the landlord's first edition of this kind, then 2")
    year_starting = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The reporting year")
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The page as published, rendered and escaped at publication")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the body: publishing it unchanged again is refused")
    pdf = models.BinaryField(blank=True, default=b"", help_text="The PDF as published, if the report has one")
    pdf_name = models.CharField(max_length=200, blank=True)
    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="editions"
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=2_000, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["landlord", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "kind", "number"], name="editions_numbered_per_kind"),
            models.CheckConstraint(condition=Q(number__gte=1), name="edition_number_from_one"),
            models.CheckConstraint(
                condition=Q(kind="you-said-we-did") | Q(year_starting__isnull=False),
                name="yearly_edition_has_year",
            ),
            models.CheckConstraint(
                condition=~Q(kind="self-assessment") | Q(self_assessment__isnull=False),
                name="self_assessment_edition_names_assessment",
            ),
            models.CheckConstraint(
                condition=(Q(withdrawn_at__isnull=True) & Q(withdrawn_by__isnull=True) & Q(withdrawn_reason=""))
                | (Q(withdrawn_at__isnull=False) & Q(withdrawn_by__isnull=False) & ~Q(withdrawn_reason="")),
                name="withdrawn_edition_says_who_when_and_why",
            ),
        ]
        indexes = [models.Index(fields=["landlord", "kind", "year_starting"], name="editions_by_year")]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.title}, edition {self.number}"

    @property
    def live(self) -> bool:
        return self.withdrawn_at is None

    @property
    def has_pdf(self) -> bool:
        return bool(self.pdf_name)

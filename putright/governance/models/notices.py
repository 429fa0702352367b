"""Notices of provisions that cannot be met (Code 8.5): "If a landlord is unable to comply with the
Code due to exceptional circumstances, such as a cyber incident, they must inform the Ombudsman,
provide information to residents who may be affected, and publish this on their website. Landlords
must provide a timescale for returning to compliance with the Code."

A notice records the decision (the provisions, the circumstances, the reasons, from when, the
expected return and who decided), then each step the Code asks for, once each, and finally the
return to compliance. While it has no return date it is open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.landlords.models import Landlord

__all__ = ["ComplianceNotice"]


class ComplianceNotice(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="compliance_notices")
    provisions = models.JSONField(help_text='The provisions that cannot be met, in the Code\'s order: ["6.2", "6.3"]')
    circumstances = models.TextField(max_length=5_000, help_text="The exceptional circumstances")
    reasons = models.TextField(max_length=5_000, help_text="Why the provisions cannot be met")
    unable_from = models.DateField(help_text="From when the provisions cannot be met")
    expected_return = models.DateField(help_text="When the landlord expects to comply again")
    decided_by = models.CharField(max_length=200, help_text="Who decided, by name and role")
    ombudsman_informed_on = models.DateField(null=True, blank=True)
    ombudsman_informed_how = models.CharField(max_length=500, blank=True)
    residents_informed_on = models.DateField(null=True, blank=True)
    residents_informed_how = models.CharField(max_length=500, blank=True)
    residents_informed_who = models.CharField(max_length=500, blank=True, help_text="Which residents, or all")
    published_on = models.DateField(null=True, blank=True)
    published_at = models.URLField(max_length=500, blank=True, help_text="The address of the page on the website")
    returned_on = models.DateField(null=True, blank=True, help_text="When the landlord complied again")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-unable_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return__gt=F("unable_from")), name="notice_returns_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("unable_from")),
                name="notice_return_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(ombudsman_informed_on__isnull=True) | ~Q(ombudsman_informed_how=""),
                name="notice_ombudsman_informed_how",
            ),
            models.CheckConstraint(
                condition=Q(residents_informed_on__isnull=True)
                | (~Q(residents_informed_how="") & ~Q(residents_informed_who="")),
                name="notice_residents_informed_how_and_who",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | ~Q(published_at=""), name="notice_published_where"
            ),
        ]
        indexes = [models.Index(fields=["landlord", "returned_on"], name="notices_open")]

    def __str__(self) -> str:
        return f"{self.landlord}: cannot meet {', '.join(self.provisions)} from {self.unable_from:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    @property
    def still_to_do(self) -> list[str]:
        """The steps 8.5 asks for that are not yet recorded, in the order they are usually taken."""
        steps = []
        if self.ombudsman_informed_on is None:
            steps.append("Inform the Ombudsman")
        if self.residents_informed_on is None:
            steps.append("Tell the residents who may be affected")
        if self.published_on is None:
            steps.append("Publish the notice on the website")
        if self.returned_on is None:
            steps.append("Record the return to compliance")
        return steps

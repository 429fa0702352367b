"""The reporting calendar (Code 8.1 to 8.4): the dates a landlord's reports are due each reporting year.

A reporting year starts on 1 April; every deadline falls in the calendar year after it starts. The landlord
may move a deadline (`DeadlineSetting`); without one the defaults in DEFAULTS apply. A deadline is met from
the records where Putright knows (the self-assessment approved, the annual report presented to the governing
body) or marked done by staff (`DeadlineDone`), with the date it was done."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from putright.landlords.models import Landlord
from putright.rules.governance import DEFAULT_DEADLINES

__all__ = ["DEFAULTS", "FROM_RECORDS", "DeadlineDone", "DeadlineKind", "DeadlineSetting"]


class DeadlineKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Self-assessment completed and approved"
    ANNUAL_REPORT = "annual_report", "Annual report presented to the governing body"
    PUBLICATION = "publication", "Annual report and self-assessment published on the website"
    SUBMISSION = "submission", "Self-assessment and annual report submitted to the Ombudsman"


# (month, day) in the calendar year after the reporting year starts.
DEFAULTS: dict[str, tuple[int, int]] = {kind: DEFAULT_DEADLINES[kind.value] for kind in DeadlineKind}
# Met from the records, not by staff marking them done.
FROM_RECORDS = (DeadlineKind.SELF_ASSESSMENT, DeadlineKind.ANNUAL_REPORT)


class DeadlineSetting(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="deadline_settings")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "kind"]
        constraints = [models.UniqueConstraint(fields=["landlord", "kind"], name="governance_deadline_setting_once")]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.get_kind_display()} by {self.day}/{self.month}"


class DeadlineDone(models.Model):
    """A deadline met for a reporting year: by staff (publication, submission) or from the records
    (the self-assessment approved)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="deadlines_done")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    year_starting = models.PositiveSmallIntegerField()
    done_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    from_records = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["landlord", "-year_starting", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["landlord", "kind", "year_starting"], name="governance_deadline_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.get_kind_display()} {self.year_starting} done on {self.done_on}"

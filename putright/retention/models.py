"""How long a landlord keeps a resident's complaint record, and where each ended complaint stands.

UK GDPR's storage limitation (Art. 5(1)(e)): personal data is kept no longer than needed. A
landlord's retention schedule says when an ended complaint comes up for review; an officer then
holds it for longer with a reason, or lets it be anonymised. Anonymising keeps every date, status,
count and amount the measures read, and removes what identifies the resident
(`putright.retention.anonymise`). Rows change only through `putright.retention.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.complaints.models import Complaint
from putright.landlords.models import Landlord

# Without a schedule of its own a landlord reviews a complaint six years after it ended (the
# limitation period for a claim in contract or tort) and anonymises it 90 days later unless held.
DEFAULT_YEARS = 6
DEFAULT_GRACE_DAYS = 90
YEARS_RANGE = (1, 20)
GRACE_RANGE = (0, 365)


class RetentionSchedule(models.Model):
    """A landlord's retention schedule for complaint records: one row, or the defaults."""

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="retention_schedule")
    years_after_closure = models.PositiveSmallIntegerField(
        default=DEFAULT_YEARS, help_text="Years after the complaint ended before its record is reviewed"
    )
    grace_days = models.PositiveSmallIntegerField(
        default=DEFAULT_GRACE_DAYS, help_text="Days under review before it is anonymised, unless held"
    )
    version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(years_after_closure__gte=YEARS_RANGE[0], years_after_closure__lte=YEARS_RANGE[1]),
                name="retention_years_in_range",
            ),
            models.CheckConstraint(
                condition=Q(grace_days__gte=GRACE_RANGE[0], grace_days__lte=GRACE_RANGE[1]),
                name="retention_grace_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention schedule of {self.landlord}"


class ScheduleChange(models.Model):
    """The audit of a schedule: who changed it, when, and from what to what."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["landlord", "-at", "-id"]

    def __str__(self) -> str:
        return f"Retention schedule changed at {self.at:%Y-%m-%d %H:%M}"


class RetentionState(models.TextChoices):
    RETAIN = "retain", "Kept"
    REVIEW = "review", "Under review"
    HELD = "held", "Held for longer"
    ANONYMISED = "anonymised", "Anonymised"


class ComplaintRetention(models.Model):
    """Where an ended complaint stands under the schedule. No row means RETAIN: kept, not yet due."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="retention")
    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=12, choices=RetentionState.choices, default=RetentionState.RETAIN)
    review_started_on = models.DateField(null=True, blank=True)
    anonymise_after = models.DateField(
        null=True, blank=True, help_text="Under review: anonymised by the worker from this day unless held"
    )
    held_reason = models.TextField(max_length=2_000, blank=True)
    held_until = models.DateField(null=True, blank=True, help_text="Held: reviewed again on this day")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    anonymised_on = models.DateField(null=True, blank=True)
    # None when the worker anonymised it under the schedule.
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["anonymise_after", "held_until", "id"]
        indexes = [models.Index(fields=["landlord", "state", "anonymise_after"], name="retention_by_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="review") | Q(review_started_on__isnull=False, anonymise_after__isnull=False),
                name="retention_review_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(state="held") | (Q(held_until__isnull=False) & ~Q(held_reason="")),
                name="retention_held_has_reason_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="anonymised") | Q(anonymised_on__isnull=False),
                name="retention_anonymised_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.get_state_display()}"


class RetentionSweep(models.Model):
    """The day's sweep of one landlord, written once: a second worker, or a second sweep that day,
    finds it done."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    moved_to_review = models.PositiveIntegerField(default=0)
    anonymised = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "day"], name="one_retention_sweep_a_day")]

    def __str__(self) -> str:
        return f"Retention sweep of {self.day}"

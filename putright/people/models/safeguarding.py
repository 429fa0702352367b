"""Safeguarding concerns about a resident: what was seen, the referral made and what came of it.

Read in detail only by complaints officers, managers and the staff working one of the person's
complaints (`putright.complaints.access.can_see_needs`); recorded through
`putright.complaints.actions.needs`, with an Event on the person's complaints in progress that
names no detail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.people.models.persons import Person


class SafeguardingConcern(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="safeguarding_concerns")
    seen = models.TextField(max_length=5_000, help_text="What was seen or heard, and when")
    seen_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # The referral: to whom, when and by whom (a member of staff).
    referred_to = models.CharField(max_length=300, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(max_length=5_000, blank=True)
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["seen_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(referred_on__isnull=True) | ~Q(referred_to=""), name="safeguarding_referral_names_whom"
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | ~Q(outcome=""), name="safeguarding_outcome_has_words"
            ),
        ]

    def __str__(self) -> str:
        return f"Safeguarding concern of {self.seen_on}"

    @property
    def referred(self) -> bool:
        return self.referred_on is not None

    @property
    def concluded(self) -> bool:
        return self.outcome_on is not None

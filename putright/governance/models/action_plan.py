"""The self-assessment's action plan (Code 8.1(a), seed 003 Annex 2): what will be done about each
provision the landlord does not fully meet, by whom and by when, and the progress made since.

A line may come from an approved self-assessment (the provision's entry short of yes) or be added by
hand. Where it came from is kept as plain numbers (`from_assessment`, `from_entry`) rather than a
foreign key to insight's tables: governance sits below insight, so insight can reshape its
assessments (many a year, redone after a restructure) without a governance migration, and a line
carried forward into a later assessment outlives the entry that first raised it. One line per entry
is still enforced in the database, which is what makes `lines_from_assessment` safe to repeat.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.landlords.models import Landlord

__all__ = ["ActionPlanItem", "ActionPlanUpdate", "LineStatus"]


class LineStatus(models.TextChoices):
    NOT_STARTED = "not-started", "Not started"
    IN_PROGRESS = "in-progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_LINE_STATUSES = (LineStatus.NOT_STARTED, LineStatus.IN_PROGRESS)


class ActionPlanItem(models.Model):
    """One line of the action plan: a provision, what will be done, its owner and target date."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="action_plan")
    provision = models.CharField(max_length=5, help_text="The Code provision, for example 6.2")
    action = models.TextField(max_length=5_000, help_text="What will be done")
    # The owner: a member of staff with an account (reminded by email) or only a name or role,
    # as the published plan prints it ("Head of Housing").
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=LineStatus.choices, default=LineStatus.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)
    dropped_reason = models.TextField(max_length=5_000, blank=True)
    from_assessment = models.PositiveIntegerField(
        null=True, blank=True, help_text="The self-assessment (insight's id) that last found this provision short"
    )
    from_entry = models.PositiveIntegerField(null=True, blank=True, help_text="That assessment's entry (insight's id)")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (~Q(status="done") & Q(done_on__isnull=True)),
                name="action_plan_done_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="action_plan_dropped_has_reason",
            ),
            models.UniqueConstraint(
                fields=["from_entry"], condition=Q(from_entry__isnull=False), name="one_action_plan_line_per_entry"
            ),
        ]
        indexes = [models.Index(fields=["landlord", "status", "target_date"], name="action_plan_by_status")]

    def __str__(self) -> str:
        return f"{self.provision}: {self.action[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LINE_STATUSES


class ActionPlanUpdate(models.Model):
    """Progress on a line: what was done, by whom, when, and any change of status."""

    item = models.ForeignKey(ActionPlanItem, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField(max_length=5_000)
    status_from = models.CharField(max_length=12, choices=LineStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=LineStatus.choices, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"], name="action_plan_updates_by_time")]

    def __str__(self) -> str:
        return f"{self.item.provision}: update of {self.at:%d %b %Y}"

    @property
    def changed_status(self) -> bool:
        return bool(self.status_to) and self.status_to != self.status_from

"""Contractors a landlord works with, and the parties asked to contribute to a complaint.

A complaint about a contractor or an agent stays inside the landlord's own process (Code 5.4, 5.5),
so the contractor's account of what happened is asked for, and kept, on the complaint's record; at
stage 2 the colleagues and other teams whose view the reviewer needs are asked the same way (6.20).
Rows change only through `putright.contributions.actions`, each change with an Event on the
complaint's timeline.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.complaints.models import Complaint
from putright.correspondence.models import InboundMessage, OutboxMessage
from putright.landlords.models import Landlord

QUESTION_LIMIT = 5_000
ANSWER_LIMIT = 20_000
REASON_LIMIT = 2_000
DEFAULT_DUE_DAYS = 5
DUE_DAYS_RANGE = (1, 20)


class Contractor(models.Model):
    """A firm that works for the landlord (repairs, grounds, ...), so that it can be asked for its
    account of a complaint and insight can count the complaints it was involved in."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="contractors")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    service_areas = models.JSONField(default=list, blank=True, help_text="ServiceArea values it works in")
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["landlord", "name"], name="contractor_name_unique")]

    def __str__(self) -> str:
        return self.name


class ComplaintContractor(models.Model):
    """A contractor involved in a complaint (both of the same landlord: the action checks it)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contractor_links")
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="complaint_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "contractor"], name="complaint_contractor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contractor_id} on {self.complaint_id}"


class PartyKind(models.TextChoices):
    CONTRACTOR = "contractor", "A contractor"
    TEAM = "team", "Another team"
    COLLEAGUE = "colleague", "A colleague"


class InformationRequest(models.Model):
    """What a party was asked about a complaint, by when (in working days), and what they said."""

    class State(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="information_requests")
    stage_number = models.PositiveSmallIntegerField()
    party_kind = models.CharField(max_length=12, choices=PartyKind.choices)
    contractor = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, null=True, blank=True, related_name="information_requests"
    )
    colleague = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team_name = models.CharField(max_length=200, blank=True)
    team_email = models.EmailField(blank=True)
    question = models.TextField(max_length=QUESTION_LIMIT)
    asked_on = models.DateField()
    due_days = models.PositiveSmallIntegerField(default=DEFAULT_DUE_DAYS)
    due_on = models.DateField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(max_length=ANSWER_LIMIT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_email = models.ForeignKey(InboundMessage, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(max_length=REASON_LIMIT, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_on = models.DateField(null=True, blank=True)
    # The +tag of the address replies come back to: random, never the reference.
    reply_token = models.CharField(max_length=40, unique=True)
    # The form token or Idempotency-Key it was sent under: the same one again sends nothing more.
    submission_key = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["asked_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "submission_key"],
                condition=~Q(submission_key=""),
                name="information_request_submitted_once",
            ),
            models.CheckConstraint(
                condition=(Q(party_kind="contractor") & Q(contractor__isnull=False) & Q(colleague__isnull=True))
                | (Q(party_kind="colleague") & Q(colleague__isnull=False) & Q(contractor__isnull=True))
                | (Q(party_kind="team") & ~Q(team_name="") & Q(contractor__isnull=True) & Q(colleague__isnull=True)),
                name="information_request_names_its_party",
            ),
            models.CheckConstraint(
                condition=~Q(state="answered") | Q(answered_on__isnull=False),
                name="answered_request_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | (Q(withdrawn_on__isnull=False) & ~Q(withdrawal_reason="")),
                name="withdrawn_request_has_reason",
            ),
            models.CheckConstraint(condition=Q(due_days__gte=1) & Q(due_days__lte=20), name="request_due_days_range"),
        ]
        indexes = [
            # The daily reminders: open requests by due date.
            models.Index(fields=["due_on", "id"], condition=Q(state="open"), name="requests_open_by_due"),
        ]

    def __str__(self) -> str:
        return f"Request to {self.party_name} (due {self.due_on})"

    @property
    def party_name(self) -> str:
        if self.party_kind == PartyKind.CONTRACTOR and self.contractor is not None:
            return self.contractor.name
        if self.party_kind == PartyKind.COLLEAGUE and self.colleague is not None:
            return self.colleague.get_full_name() or self.colleague.username
        return self.team_name

    @property
    def party_email(self) -> str:
        if self.party_kind == PartyKind.CONTRACTOR and self.contractor is not None:
            return self.contractor.email
        if self.party_kind == PartyKind.COLLEAGUE and self.colleague is not None:
            return self.colleague.email
        return self.team_email

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class RequestEmail(models.Model):
    """An email sent for a request (the request itself, or a reminder): a reply that names it by
    In-Reply-To or References finds the request."""

    request = models.ForeignKey(InformationRequest, on_delete=models.CASCADE, related_name="emails")
    message = models.OneToOneField(OutboxMessage, on_delete=models.CASCADE, related_name="+")
    reminder = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Email {self.message_id} for request {self.request_id}"

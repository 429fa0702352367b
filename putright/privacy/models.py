"""A resident's data protection request, what happened to it, and the copies of their data made for it."""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.landlords.models import Landlord
from putright.people.models import Person
from putright.rules import privacy as rules

DETAIL_LIMIT = 5_000
REASON_LIMIT = 5_000


class RightsRequestQuerySet(models.QuerySet["RightsRequest"]):
    def of_landlord(self, landlord_id: int) -> RightsRequestQuerySet:
        return self.filter(landlord_id=landlord_id)

    def open_first(self) -> RightsRequestQuerySet:
        """Open requests by the day they are due, then the decided ones, newest first."""
        return self.annotate(
            decided_order=models.Case(
                models.When(state=RightsRequest.State.OPEN, then=models.Value(0)), default=models.Value(1)
            )
        ).order_by("decided_order", "due_on", "-received_on", "-id")

    def restricting(self, on: date) -> RightsRequestQuerySet:
        """Restrictions of processing in force on `on` (Art. 18)."""
        return self.filter(
            kind=RightsRequest.Kind.RESTRICTION,
            state=RightsRequest.State.DONE,
            restricted_from__lte=on,
        ).filter(Q(restricted_until__isnull=True) | Q(restricted_until__gt=on))


class RightsRequest(models.Model):
    """A resident's request to see their data (Art. 15), erase it (Art. 17) or restrict its
    processing (Art. 18): received on a day, due a calendar month later (Art. 12(3)), decided."""

    class Kind(models.TextChoices):
        ACCESS = "access", "Subject access (a copy of their data)"
        ERASURE = "erasure", "Erasure"
        RESTRICTION = "restriction", "Restriction of processing"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        REFUSED = "refused", "Refused"
        PARTLY = "partly", "Partly carried out"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    received_on = models.DateField(help_text="The day the landlord received the request: the month starts here")
    detail = models.TextField(max_length=DETAIL_LIMIT, blank=True, help_text="What the resident asked for")
    due_on = models.DateField()
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(max_length=REASON_LIMIT, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    # What the resident is told: what was done, or why it was not (in whole or part).
    decision = models.TextField(max_length=10_000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A restriction of processing in force from this day until the day before `restricted_until`
    # (None: until it is lifted).
    restricted_from = models.DateField(null=True, blank=True)
    restricted_until = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # The form's or caller's token: the same submission sent twice records one request.
    once_key = models.CharField(max_length=64, null=True, blank=True, unique=True)

    objects = RightsRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(state="open"), name="one_open_rights_request_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(state="open") | (Q(decided_at__isnull=False) & ~Q(decision="")),
                name="decided_rights_request_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(kind="restriction") | Q(restricted_from__isnull=True), name="only_restrictions_restrict"
            ),
        ]
        indexes = [models.Index(fields=["landlord", "state", "due_on"], name="rights_requests_by_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def overdue(self, today: date) -> bool:
        return self.is_open and rules.overdue(self.due_on, today)

    def restricting_on(self, day: date) -> bool:
        return (
            self.kind == self.Kind.RESTRICTION
            and self.state == self.State.DONE
            and self.restricted_from is not None
            and self.restricted_from <= day
            and (self.restricted_until is None or day < self.restricted_until)
        )


class RequestEvent(models.Model):
    """What happened to a request, by whom and when: the record a landlord shows the ICO."""

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=40)
    summary = models.TextField(max_length=2_000)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.summary


def export_path(export: SubjectAccessExport, filename: str) -> str:
    return f"privacy/{export.request.landlord_id}/{uuid.uuid4().hex}.zip"


class SubjectAccessExport(models.Model):
    """A copy of everything about the resident (Art. 15), built as a zip by the worker."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be built"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        ERASED = "erased", "Erased at the resident's request"

    request = models.ForeignKey(RightsRequest, on_delete=models.CASCADE, related_name="exports")
    version = models.PositiveIntegerField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=list, help_text="Each file in the zip: its name, what it is, its date")
    built_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["request", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="one_subject_access_export_per_version"),
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(sha256="") & ~Q(file="")), name="ready_export_has_file"
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access export version {self.version}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.BUILDING)

    @property
    def filename(self) -> str:
        return f"subject-access-request-{self.request_id}-v{self.version}.zip"

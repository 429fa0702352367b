"""What the resident portal keeps of its own: submissions (so none is made twice), one-time codes
and rate-limit counters. The email it sends waits in the correspondence outbox."""

from __future__ import annotations

from django.db import models

from putright.complaints.models import Complaint


class Submission(models.Model):
    """One online complaint per submission token: a double click, a resubmitted page or a retried
    request finds the complaint already made instead of making a second one."""

    token = models.CharField(max_length=64, unique=True)
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="portal_submission")
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Submission of {self.complaint_id}"


class AccessCode(models.Model):
    """A one-time code sent by email so a resident can follow a complaint; only its hash is kept."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    email = models.EmailField()
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["complaint", "created_at"], name="access_codes_by_complaint")]

    def __str__(self) -> str:
        return f"Code for complaint {self.complaint_id}"


class RateCounter(models.Model):
    """How many times something was asked for, by one address or email, in one window of time."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"

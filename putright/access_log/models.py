"""Who opened a sensitive record, and when (UK GDPR accountability, Article 5(2); Code 5.10 and 5.14).

One row each time a member of staff is shown the detail of a resident's needs, vulnerabilities or
safeguarding concerns, a contact restriction, a confidential complaint, or makes a subject access
export. The label says which record without saying anything about the person (a complaint's
reference, "Needs of resident 41"), so the log can be read by officers without itself becoming a
second copy of what it protects. Rows are written, never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from putright.landlords.models import Landlord

LABEL_LIMIT = 120
PATH_LIMIT = 500


class AccessKind(models.TextChoices):
    NEEDS = "needs", "Needs and reasonable adjustments"
    VULNERABILITY = "vulnerability", "Vulnerability"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"
    RESTRICTION = "restriction", "Contact restriction"
    CONFIDENTIAL_COMPLAINT = "confidential", "Confidential complaint"
    SUBJECT_ACCESS = "subject-access", "Subject access export"


class SensitiveAccess(models.Model):
    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    # Kept when an account is removed: the row still says that someone opened the record, and when.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    object_id = models.BigIntegerField(null=True, blank=True)
    object_label = models.CharField(max_length=LABEL_LIMIT)
    path = models.CharField(max_length=PATH_LIMIT)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["landlord", "-at", "-id"], name="access_newest"),
            models.Index(fields=["landlord", "user", "-at"], name="access_by_user"),
            models.Index(fields=["landlord", "object_label"], name="access_by_record"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_label} at {self.at:%Y-%m-%d %H:%M}"

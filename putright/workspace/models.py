"""Documents kept with a complaint's record (5.12): uploaded evidence, letters and photos."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from putright.complaints.models import Complaint, Event


def attachment_path(attachment: Attachment, filename: str) -> str:
    # Stored under a random name: the name a person gave the file is only ever shown, never used
    # as a path, so it cannot reach outside the landlord's folder or clash with another's.
    return f"attachments/{attachment.complaint.landlord_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded")
    content_type = models.CharField(max_length=100, help_text="Read from the file's content, not its name")
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

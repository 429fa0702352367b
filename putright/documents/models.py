"""Documents kept with a complaint's record (5.12): uploaded evidence, letters and photos, and the
files a resident has uploaded while making a complaint online, until they send it.

The complaint and its Event are named by their app label rather than imported: documents sit below
complaints (whose actions keep attachments), so this module imports nothing of complaints.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from putright.documents.filetypes import download_name, extension
from putright.landlords.models import Landlord


def attachment_path(attachment: Attachment, filename: str) -> str:
    # Stored under a random name: the name a person gave the file is only ever shown, never used
    # as a path, so it cannot reach outside the landlord's folder or clash with another's. The
    # extension is the one its content shows (a PDF named "statement.html" is stored as a .pdf).
    return f"attachments/{attachment.complaint.landlord_id}/{uuid.uuid4().hex}.{extension(attachment.content_type)}"


class Attachment(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="attachments")
    event = models.OneToOneField("complaints.Event", on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded")
    content_type = models.CharField(max_length=100, help_text="Read from the file's content, not its name")
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the resident uploaded it through the portal",
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name it is downloaded as: `name` is only ever shown, never a file's extension."""
        return download_name(self.name, self.content_type)


def pending_path(pending: PendingAttachment, filename: str) -> str:
    # The folder and random name an Attachment would have: sending the complaint hands the stored
    # file to its Attachment as it is, so nothing is copied and nothing is left half-written.
    return f"attachments/{pending.landlord_id}/{uuid.uuid4().hex}.{extension(pending.content_type)}"


class PendingAttachment(models.Model):
    """A file a resident uploaded while making a complaint online, waiting for the complaint.

    It belongs to one journey through its submission token, which only that resident's session
    holds. Sending the complaint turns it into an Attachment in the same transaction; a journey
    left unfinished has its files deleted once they are old (`putright.documents.staging`).
    """

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    file = models.FileField(upload_to=pending_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded")
    content_type = models.CharField(max_length=100, help_text="Read from the file's content, not its name")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["landlord", "token"], name="pending_attachments_of_journey"),
            models.Index(fields=["uploaded_at"], name="pending_attachments_by_age"),
        ]

    def __str__(self) -> str:
        return self.name

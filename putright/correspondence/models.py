"""Letters, the outbox of email waiting to go, and email coming in.

A letter is composed and checked in the transaction of the action that issues it, and kept
unchanged with the SHA-256 of its HTML; the worker renders its PDF, kept with its own hash. An
email is written to the outbox in the same transaction as the action that causes it, and the
worker sends it, retrying with backoff, so a mail server that is down loses nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from putright.complaints.models import Complaint
from putright.documents import filetypes
from putright.landlords.models import Landlord
from putright.rules import contacts as contact_words
from putright.rules.letters import LABELS, LetterType

LETTER_TYPE_CHOICES = [(t.value, LABELS[t]) for t in LetterType]


class LetterStyle(models.Model):
    """A landlord's letterhead and signatory: the same on every letter it sends."""

    class Contact(models.TextChoices):
        # Ashford's policy: the acknowledgement gives "the name and contact details of the person handling
        # the complaint". Cheshire West's: "Staff members ... should not, where possible, be named in
        # correspondence". Naming the handler is the default, as letters were signed by name before.
        HANDLER = "handler", "The person handling the complaint, with their direct email and phone"
        TEAM = "team", "The complaints team, without naming any member of staff"

    landlord = models.OneToOneField(Landlord, on_delete=models.CASCADE, related_name="letter_style")
    address = models.TextField(max_length=500, blank=True, help_text="The postal address on the letterhead")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(
        blank=True, help_text="The complaints mailbox; replies come back to it. Only ever one landlord's"
    )
    # A change of mailbox waits here until someone with the landlord's rights opens the link sent to
    # it (`putright.correspondence.actions.confirm_mailbox`): until then `email` stays in use, so
    # nobody can point a landlord's letters, or another landlord's mail, at an address they do not read.
    email_requested = models.EmailField(blank=True, help_text="A new complaints mailbox, waiting for confirmation")
    email_requested_at = models.DateTimeField(null=True, blank=True)
    email_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    website = models.CharField(max_length=200, blank=True)
    signatory_name = models.CharField(max_length=120, blank=True)
    signatory_role = models.CharField(max_length=120, blank=True)
    contact = models.CharField(
        max_length=10,
        choices=Contact.choices,
        default=Contact.HANDLER,
        help_text="Who letters tell the resident to contact about their complaint",
    )
    team_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="The team as letters name it in a sentence, such as 'the Customer Resolution Team'",
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            # Mail to a complaints mailbox is the landlord's whose mailbox it is: one landlord each.
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="one_landlord_per_mailbox")
        ]

    def __str__(self) -> str:
        return f"Letter style of {self.landlord}"


class LetterTemplate(models.Model):
    """A landlord's wording for one letter type; without one, Putright's own wording is used."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="letter_templates")
    letter_type = models.CharField(max_length=30, choices=LETTER_TYPE_CHOICES)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=30_000)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["landlord", "letter_type"]
        constraints = [models.UniqueConstraint(fields=["landlord", "letter_type"], name="one_template_per_letter_type")]

    def __str__(self) -> str:
        return f"{self.landlord}: {self.get_letter_type_display()}"


def letter_pdf_path(letter: Letter, filename: str) -> str:
    return f"letters/{letter.landlord_id}/{uuid.uuid4().hex}.pdf"


class Letter(models.Model):
    """An issued letter, kept exactly as issued."""

    class Rendering(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        READY = "ready", "Ready"
        FAILED = "failed", "Rendering failed"
        # History written in bulk (the demo's 18 months): rendered when someone first opens it,
        # so that the worker is not handed thousands of PDFs that nobody may ever read.
        ON_OPEN = "on-open", "Rendered when first opened"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    stage_number = models.PositiveSmallIntegerField()
    letter_type = models.CharField(max_length=30, choices=LETTER_TYPE_CHOICES)
    subject = models.CharField(max_length=300)
    addressee = models.CharField(max_length=200)
    data = models.JSONField(help_text="The letter's fields as issued: what the template was given")
    html = models.TextField(help_text="The letter's body as issued, sanitised HTML")
    html_sha256 = models.CharField(max_length=64)
    template_version = models.PositiveIntegerField(default=0, help_text="0: Putright's own wording")
    large_print = models.BooleanField(default=False, help_text="The resident asked for large print")
    issued_on = models.DateField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    rendering = models.CharField(max_length=10, choices=Rendering.choices, default=Rendering.QUEUED)
    pdf = models.FileField(upload_to=letter_pdf_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(default=0)
    render_error = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["complaint", "issued_at", "id"]
        indexes = [models.Index(fields=["rendering", "issued_at"], name="letters_to_render")]

    def __str__(self) -> str:
        return f"{self.get_letter_type_display()} for {self.complaint_id}"


class MailThread(models.Model):
    """A complaint's own reply address: the landlord's mailbox with a random token after a plus."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="mail_thread")
    token = models.CharField(max_length=32, unique=True)

    def __str__(self) -> str:
        return self.token


# The once_key of a resident's one-time code email begins so: its text holds the code, which staff never
# see on any page, and which is blanked once the email is sent.
ACCESS_CODE_KEY = "access-code:"


class OutboxMessage(models.Model):
    """An email to send: written with the action that causes it, sent by the worker."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: retry by hand"

    class Kind(models.TextChoices):
        LETTER = "letter", "Letter to the resident"
        ASSIGNED = "assigned", "Assignment"
        DUE_SOON = "due-soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        DIGEST = "digest", "Daily digest"
        UPDATE_DUE = "update-due", "Update due to the resident"
        RESIDENT_INFORMATION = "resident-information", "Resident added information"
        RESIDENT_EMAIL = "resident-email", "Resident emailed"
        PORTAL = "portal", "Portal notice to the resident"
        MAILBOX = "mailbox-confirmation", "Confirmation of a complaints mailbox"
        INFORMATION_REQUEST = "information-request", "Request for information"

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="messages")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    to_address = models.EmailField()
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField(max_length=50_000)
    message_id = models.CharField(max_length=200, unique=True, help_text="The Message-ID header it is sent with")
    reply_to = models.CharField(max_length=254, blank=True)
    # A reminder is sent once: its key (kind, row and date) can be written only once.
    once_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(max_length=2_000, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True, help_text="The id GOV.UK Notify gave it, if sent so")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], condition=Q(state="pending"), name="outbox_due"),
            models.Index(fields=["landlord", "state", "created_at"], name="outbox_by_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to_address}"

    @property
    def holds_access_code(self) -> bool:
        """A resident's one-time code email: its text is never shown to staff."""
        return bool(self.once_key and self.once_key.startswith(ACCESS_CODE_KEY))


def inbound_path(instance: models.Model, filename: str) -> str:
    # The extension is the one Putright chose (`InboundAttachment.stored_as`), never the sender's.
    extension = filename.rpartition(".")[2] if "." in filename else ""
    return f"inbound/{uuid.uuid4().hex}" + (f".{extension}" if extension.isalnum() and len(extension) <= 4 else "")


class InboundMessage(models.Model):
    """An email that came in: threaded into its complaint, or waiting in the intake queue."""

    class State(models.TextChoices):
        THREADED = "threaded", "Joined to its complaint"
        TO_TRIAGE = "to-triage", "Waiting for triage"
        TRIAGED = "triaged", "Triaged"

    class Outcome(models.TextChoices):
        COMPLAINT = "complaint", "A new complaint"
        SERVICE_REQUEST = "service-request", "A service request"
        NEITHER = "neither", "Neither"

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, null=True, blank=True, related_name="inbound")
    message_id = models.CharField(max_length=300, blank=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(max_length=5_000, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to_addresses = models.TextField(max_length=2_000, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(max_length=200_000, blank=True, help_text="The plain text of the message")
    html = models.TextField(max_length=200_000, blank=True, help_text="Its HTML body, sanitised")
    raw = models.FileField(upload_to=inbound_path, max_length=200, blank=True)
    raw_sha256 = models.CharField(max_length=64)
    problems = models.TextField(max_length=2_000, blank=True, help_text="What was wrong with it, if anything")
    matched_by = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(max_length=2_000, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["raw_sha256"], name="inbound_message_once")]
        indexes = [
            models.Index(fields=["landlord", "state", "received_at"], name="inbound_by_state"),
            # A copy of a message already kept (delivered to a second address) is found by its id.
            models.Index(fields=["message_id"], name="inbound_by_message_id"),
        ]

    def __str__(self) -> str:
        return f"{self.subject[:60]} from {self.from_address}"


class InboundAttachment(models.Model):
    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, help_text="Read from the content, not the name")
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to=inbound_path, max_length=200)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The name it is downloaded as, with the extension its content shows: `name` is only shown."""
        return filetypes.download_name(self.name, self.content_type)

    @property
    def stored_as(self) -> str:
        return f"attachment.{filetypes.extension(self.content_type)}"


class ContactRecord(models.Model):
    """A call, meeting, home visit or text with the resident or someone for them, on the record of a
    complaint's stage (5.12). Kept as the reaction to its `contact-recorded` Event (the action is
    `putright.complaints.actions.record_contact`), so the timeline and this row never disagree."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="contacts")
    stage_number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=list(contact_words.KINDS.items()))
    happened_at = models.DateTimeField(help_text="When the call, meeting, visit or text took place")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", help_text="Who spoke for the landlord"
    )
    with_whom = models.CharField(max_length=16, choices=list(contact_words.WITH.items()))
    with_name = models.CharField(max_length=200, help_text="The name of the person spoken to, as it was then")
    summary = models.TextField(max_length=5_000)
    acknowledgement = models.BooleanField(
        default=False, help_text="The complaint was acknowledged in this contact, before the written acknowledgement"
    )
    attachments = models.ManyToManyField("documents.Attachment", blank=True, related_name="contacts")
    event = models.OneToOneField("complaints.Event", on_delete=models.PROTECT, related_name="contact")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["complaint", "happened_at", "id"]
        indexes = [models.Index(fields=["complaint", "happened_at", "id"], name="contacts_by_complaint")]
        constraints = [
            models.CheckConstraint(condition=Q(stage_number__in=[1, 2]), name="contact_on_stage_1_or_2"),
            models.CheckConstraint(condition=~Q(with_name=""), name="contact_names_who_was_spoken_to"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_at:%Y-%m-%d %H:%M}"

    @property
    def how(self) -> str:
        """How the contact was made, as a letter says it: "by phone", "in person"."""
        return contact_words.HOW[self.kind]

"""What residents have told us about their needs: disabilities and vulnerabilities, and the
reasonable adjustments agreed with them, kept under review (5.10).

Both are recorded, changed, reviewed and ended through `putright.complaints.actions.needs`, which
writes an Event on each of the person's complaints still in progress. Nothing is deleted: an ended
need keeps who ended it, when and why. Who may read a vulnerability's detail is decided in
`putright.complaints.access.can_see_needs`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from putright.people.models.persons import Person

# How long a need stands before it is looked at again, unless staff choose another date (5.10:
# "keep adjustments under active review").
REVIEW_MONTHS = 12


class EndReason(models.TextChoices):
    NO_LONGER_NEEDED = "no-longer-needed", "The resident no longer needs it"
    RESIDENT_ASKED = "resident-asked", "The resident asked us to remove it"
    REPLACED = "replaced", "Replaced by a different arrangement"
    RECORDED_IN_ERROR = "recorded-in-error", "Recorded in error"
    OTHER = "other", "Another reason"


class Need(models.Model):
    """What a vulnerability and an adjustment share: who recorded it, its review, and its end."""

    review_on = models.DateField(null=True, blank=True)
    # The last review: when it was done, and the review date it answered (on time when not after it).
    reviewed_on = models.DateField(null=True, blank=True)
    review_was_due_on = models.DateField(null=True, blank=True)
    # None when the resident recorded it themselves, in the portal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(max_length=2_000, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def review_overdue(self, today: date) -> bool:
        return self.active and self.review_on is not None and self.review_on < today


class Vulnerability(Need):
    """A disability or vulnerability the resident has disclosed, recorded only with their consent (5.10)."""

    class ConsentFrom(models.TextChoices):
        RESIDENT = "resident", "The resident"
        REPRESENTATIVE = "representative", "Someone with authority to act for them"

    class ConsentHow(models.TextChoices):
        VERBAL = "verbal", "Verbally (on the phone or in person)"
        WRITTEN = "written", "In writing (letter or email)"
        ONLINE = "online", "Online, when making a complaint"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    description = models.CharField(max_length=300)
    disclosed_on = models.DateField()
    consent_from = models.CharField(max_length=16, choices=ConsentFrom.choices, blank=True)
    consent_how = models.CharField(max_length=10, choices=ConsentHow.choices, blank=True)
    consent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["disclosed_on", "id"]
        indexes = [models.Index(fields=["person", "ended_on"], name="vulnerabilities_by_person")]

    def __str__(self) -> str:
        return self.description


class ReasonableAdjustment(Need):
    """An adjustment agreed with the resident, kept under review (5.10)."""

    class Kind(models.TextChoices):
        LARGE_PRINT = "large-print", "Large print"
        BRAILLE = "braille", "Braille"
        AUDIO = "audio", "Audio"
        EASY_READ = "easy-read", "Easy read"
        INTERPRETER = "interpreter", "Another language or an interpreter"
        PHONE_CALL = "phone-call", "A phone call at a set time"
        PHONE_FIRST = "phone-first", "A phone call before we write"
        NAMED_CONTACT = "named-contact", "One named contact at the landlord"
        CONTACT_LIMITS = "contact-limits", "Contact only at certain times or by certain channels"
        ADVOCATE = "advocate", "An advocate or supporter present"
        OTHER = "other", "Something else"

    # Letters that must be sent again in another form, each an outstanding item until it is (5.10).
    ALTERNATIVE_FORMATS = (Kind.BRAILLE, Kind.AUDIO, Kind.EASY_READ, Kind.INTERPRETER)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    agreed_on = models.DateField()

    class Meta:
        ordering = ["agreed_on", "id"]
        indexes = [models.Index(fields=["person", "ended_on"], name="adjustments_by_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | ~Q(end_reason=""), name="ended_adjustment_has_reason"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def alternative_format(self) -> bool:
        return self.kind in self.ALTERNATIVE_FORMATS

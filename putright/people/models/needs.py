"""What residents have told us about their needs: disabilities and vulnerabilities, and the
reasonable adjustments agreed with them, kept under review (5.10)."""

from __future__ import annotations

from django.db import models

from putright.people.models.persons import Person


class Vulnerability(models.Model):
    """A disability or vulnerability the resident has disclosed (5.10)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="vulnerabilities")
    description = models.CharField(max_length=300)
    disclosed_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.description


class ReasonableAdjustment(models.Model):
    """An adjustment agreed with the resident, kept under review (5.10)."""

    class Kind(models.TextChoices):
        LARGE_PRINT = "large-print", "Large print"
        BRAILLE = "braille", "Braille"
        AUDIO = "audio", "Audio"
        EASY_READ = "easy-read", "Easy read"
        INTERPRETER = "interpreter", "Another language or an interpreter"
        PHONE_CALL = "phone-call", "A phone call at a set time"
        OTHER = "other", "Something else"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    detail = models.CharField(max_length=300, blank=True)
    agreed_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()

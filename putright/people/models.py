"""Residents, the people who act for them, and what they have told us about their needs (3.6, 5.10)."""

from __future__ import annotations

from django.db import models

from putright.landlords.models import Landlord


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"


class Person(models.Model):
    """A resident (or other person affected) who complains."""

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(max_length=500, blank=True)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL)
    tenancy_reference = models.CharField(max_length=60, blank=True, help_text="Tenancy or property reference")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["landlord", "name"]), models.Index(fields=["landlord", "email"])]

    def __str__(self) -> str:
        return self.name


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


class Representative(models.Model):
    """Someone acting for a resident (3.6): a relative, an advocate, a councillor or an MP."""

    class Relationship(models.TextChoices):
        RELATIVE = "relative", "Relative or friend"
        ADVOCATE = "advocate", "Advocate or support worker"
        COUNCILLOR = "councillor", "Councillor"
        MP = "mp", "Member of Parliament"
        SOLICITOR = "solicitor", "Solicitor"
        OTHER = "other", "Other"

    class Authority(models.TextChoices):
        WRITTEN = "written", "Written consent from the resident"
        VERBAL = "verbal", "Verbal consent from the resident"
        PRESUMED = "presumed", "Presumed: an elected member acting for a constituent"
        LEGAL = "legal", "Legal authority (power of attorney, deputyship)"

    PRESUMED_CONSENT = (Relationship.COUNCILLOR, Relationship.MP)

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="representatives")
    acts_for = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    authority = models.CharField(max_length=10, choices=Authority.choices)
    authority_given_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()}) for {self.acts_for}"

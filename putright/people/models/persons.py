"""Residents and the people who act for them (3.6)."""

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
    # How letters greet them: "Dear Ms Khan" with a title, "Dear Amina Khan" without (rules.letters.greeting).
    title = models.CharField(max_length=20, blank=True, help_text="Mr, Mrs, Ms, Miss, Mx, Dr or as they prefer")
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

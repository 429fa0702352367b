"""Residents and the people who act for them (3.6)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from putright.landlords.models import Landlord

ANONYMOUS_NAME = "Name not given"


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
    # Empty only for a complainant who did not give their name (Medway 5.10.17): `anonymous` says so.
    name = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False, help_text="The complainant did not give their name")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(max_length=500, blank=True)
    # Empty when they gave no way to contact them at all (an anonymous complaint made in person, say).
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL, blank=True
    )
    tenancy_reference = models.CharField(max_length=60, blank=True, help_text="Tenancy or property reference")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["landlord", "name"]), models.Index(fields=["landlord", "email"])]
        constraints = [
            models.CheckConstraint(condition=Q(anonymous=True) | ~Q(name=""), name="person_named_unless_anonymous")
        ]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name to show staff: a complainant who gave none is shown as such, never as a blank."""
        return self.name or ANONYMOUS_NAME

    @property
    def reachable(self) -> bool:
        """Whether a letter can reach them: by email, or by post to an address."""
        return bool(self.email.strip() or self.address.strip())


class Representative(models.Model):
    """Someone acting for a resident (3.6): a relative, an advocate, a councillor or an MP."""

    class Relationship(models.TextChoices):
        RELATIVE = "relative", "Relative or friend"
        ADVOCATE = "advocate", "Advocate or support worker"
        COUNCILLOR = "councillor", "Councillor"
        MP = "mp", "Member of Parliament"
        SOLICITOR = "solicitor", "Solicitor"
        ADVICE_AGENCY = "advice-agency", "Advice agency (such as Citizens Advice)"
        OTHER = "other", "Other"

    class Authority(models.TextChoices):
        WRITTEN = "written", "Written consent from the resident"
        VERBAL = "verbal", "Verbal consent from the resident"
        PRESUMED = "presumed", "Presumed: an elected member, or an advice agency where the policy says so"
        LEGAL = "legal", "Legal authority (power of attorney, deputyship)"

    PRESUMED_CONSENT = (Relationship.COUNCILLOR, Relationship.MP)

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="representatives")
    acts_for = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="representatives")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    authority = models.CharField(max_length=10, choices=Authority.choices)
    authority_given_on = models.DateField(null=True, blank=True)
    # 3.6: the resident says for how long, and how much, someone may act for them.
    authority_expires_on = models.DateField(
        null=True, blank=True, help_text="The last day their authority runs, when the resident gave one"
    )
    letters_copied = models.BooleanField(default=True, help_text="Letters to the resident are copied to them")
    portal_access = models.BooleanField(default=True, help_text="They may follow the complaint online")
    ended_on = models.DateField(null=True, blank=True, help_text="The day they stopped acting for the resident")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()}) for {self.acts_for}"

    def acting_on(self, day: date) -> bool:
        """Whether they still act for the resident on `day`: not ended, and their authority not expired."""
        if self.ended_on is not None and self.ended_on <= day:
            return False
        return self.authority_expires_on is None or self.authority_expires_on >= day

    def expired_on(self, day: date) -> bool:
        return self.authority_expires_on is not None and self.authority_expires_on < day

    def receives_letters(self, day: date) -> bool:
        """Whether a letter issued on `day` is copied to them (3.6: only while they act, if the resident agreed)."""
        return self.letters_copied and self.acting_on(day)

    def may_follow(self, day: date) -> bool:
        return self.portal_access and self.acting_on(day)

"""Restrictions on how a resident may contact the landlord because of unacceptable behaviour (5.14, 5.15).

A restriction is proposed by a caseworker with the behaviour, the evidence, its scope and the regard
had to the Equality Act 2010 and the resident's vulnerabilities; a complaints officer or manager who
did not propose it approves or refuses it (Ashford: "taken at a senior level"); once in force it is
kept under review until it ends. It limits how contact happens, never whether a complaint is logged
or answered.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from putright.landlords.models import Landlord
from putright.people.models.persons import Person


class RestrictionQuerySet(models.QuerySet["ContactRestriction"]):
    def in_force(self) -> RestrictionQuerySet:
        return self.filter(state=ContactRestriction.State.IN_FORCE)

    def current(self) -> RestrictionQuerySet:
        """Proposed or in force: what anyone about to contact the resident should know of."""
        return self.filter(state__in=(ContactRestriction.State.PROPOSED, ContactRestriction.State.IN_FORCE))


class ContactRestriction(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        IN_FORCE = "in-force", "In force"
        REFUSED = "refused", "Refused"
        ENDED = "ended", "Ended"

    class Scope(models.TextChoices):
        CHANNELS = "channels", "Only some ways of contacting us"
        SINGLE_POINT = "single-point", "One named person to contact"
        TIMES = "times", "Contact only at set times"
        WRITTEN = "written", "Written contact only"
        OTHER = "other", "Something else"

    landlord = models.ForeignKey(Landlord, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="restrictions")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    # Where it was raised: the complaint's reference (people sits below complaints, so no key to it).
    raised_on = models.CharField(max_length=24)

    behaviour = models.TextField(max_length=5_000, help_text="What the resident did, and when (5.14)")
    evidence = models.TextField(max_length=5_000, help_text="What shows it happened (5.14)")
    # Documents already on the complaint, as [{"id": ..., "name": ...}] when proposed.
    evidence_documents = models.JSONField(default=list, blank=True)

    scope = models.JSONField(default=list, help_text="The Scope keys that apply")
    channels = models.CharField(max_length=300, blank=True, help_text="The ways the resident may still contact us")
    contact_point = models.CharField(max_length=200, blank=True, help_text="The one person to contact")
    contact_times = models.CharField(max_length=300, blank=True, help_text="When the resident may contact us")
    other_terms = models.TextField(max_length=2_000, blank=True)

    equality_considerations = models.TextField(
        max_length=5_000, help_text="The regard had to the Equality Act 2010 and to the resident's needs (5.15)"
    )
    review_on = models.DateField(help_text="When it is next reviewed (5.14)")

    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(max_length=5_000, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(max_length=5_000, blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="proposed") | Q(decided_by__isnull=False, decided_on__isnull=False),
                name="restriction_decided_has_decider",
            ),
            # Never the proposer (Ashford: "taken at a senior level"): a second person decides.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="restriction_decider_is_not_proposer",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(decision_reasons=""), name="restriction_refusal_has_reasons"
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="restriction_end_has_date_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "state"], name="restrictions_by_person"),
            models.Index(fields=["landlord", "state", "review_on"], name="restrictions_to_review"),
        ]

    def __str__(self) -> str:
        return f"Contact restriction for {self.person} ({self.get_state_display().lower()})"

    @property
    def terms(self) -> list[str]:
        """The restriction's scope in plain words, one line each, as staff and the resident read it."""
        lines = []
        for key in self.scope:
            if key == self.Scope.CHANNELS:
                lines.append(f"Contact only by: {self.channels}")
            elif key == self.Scope.SINGLE_POINT:
                lines.append(f"One person to contact: {self.contact_point}")
            elif key == self.Scope.TIMES:
                lines.append(f"Contact only: {self.contact_times}")
            elif key == self.Scope.WRITTEN:
                lines.append("Written contact only (letter or email), no phone calls or visits")
            elif key == self.Scope.OTHER:
                lines.append(self.other_terms)
        return lines


class RestrictionReview(models.Model):
    """A review of a restriction in force: kept with a new review date, or ended (5.14)."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", "Keep it in force"
        END = "end", "End it"

    restriction = models.ForeignKey(ContactRestriction, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(max_length=5_000)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["restriction", "reviewed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="continue") | Q(next_review_on__isnull=False),
                name="review_kept_in_force_has_next_date",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.restriction} on {self.reviewed_on}"

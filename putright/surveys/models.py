"""What residents tell the landlord, after a complaint is closed, about how it was handled (1.6).

An invitation is the offer of the survey, made when a complaint is closed after a response: it
holds the secret of the link emailed to the resident and how long the offer stands. A response is
the resident's answer: one per complaint, whichever way they came to it (the emailed link, or the
portal while following the complaint). An answer is not a complaint (1.6): nothing here opens one.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from putright.complaints.models import Complaint
from putright.landlords.models import Landlord


class Satisfaction(models.IntegerChoices):
    """The five points of the Tenant Satisfaction Measures' scale, so the figures sit beside TP09's."""

    VERY_SATISFIED = 5, "Very satisfied"
    FAIRLY_SATISFIED = 4, "Fairly satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = 2, "Fairly dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED)
DISSATISFIED = (Satisfaction.FAIRLY_DISSATISFIED, Satisfaction.VERY_DISSATISFIED)


class KeptInformed(models.TextChoices):
    YES = "yes", "Yes, all the way through"
    SOMETIMES = "sometimes", "Some of the time"
    NO = "no", "No"


class Via(models.TextChoices):
    EMAIL = "email", "The link in our email"
    PORTAL = "portal", "Following the complaint online"


COMMENT_LIMIT = 1_200


class SurveyInvitation(models.Model):
    """The survey offered at one closure of a complaint (a complaint closed at stage 1, escalated and
    closed again at stage 2 is offered it at each, until it is answered)."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="survey_invitations")
    stage_number = models.PositiveSmallIntegerField()
    closed_on = models.DateField()
    # The random part of the emailed link; the link is signed with the installation's secret key too.
    nonce = models.CharField(max_length=64, unique=True)
    emailed_to = models.EmailField(blank=True, help_text="Empty when the resident has no email address")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "stage_number"], name="one_survey_offer_per_closure"),
            models.CheckConstraint(condition=Q(stage_number__in=[1, 2]), name="survey_offer_stage_known"),
        ]

    def __str__(self) -> str:
        return f"Survey offered for complaint {self.complaint_id} at stage {self.stage_number}"

    @property
    def last_day(self) -> date:
        """The last day the survey can be answered."""
        return timezone.localdate(self.expires_at) - timedelta(days=1)


class SurveyResponse(models.Model):
    """A resident's answer: one per complaint, so a second submission changes nothing."""

    landlord = models.ForeignKey(Landlord, on_delete=models.CASCADE, related_name="+")
    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="survey_response")
    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.PROTECT, related_name="responses")
    stage_number = models.PositiveSmallIntegerField(help_text="The stage the complaint was closed at")
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices)
    knew_how_to_complain = models.BooleanField()
    kept_informed = models.CharField(max_length=10, choices=KeptInformed.choices)
    comment = models.TextField(max_length=COMMENT_LIMIT, blank=True)
    via = models.CharField(max_length=8, choices=Via.choices)
    # 1.6: a dissatisfied answer is not a complaint, but the resident is told how to make one.
    told_how_to_complain = models.BooleanField(default=False)
    answered_on = models.DateField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="survey_rating_known"),
            models.CheckConstraint(
                condition=Q(kept_informed__in=["yes", "sometimes", "no"]), name="survey_kept_informed_known"
            ),
        ]
        indexes = [models.Index(fields=["landlord", "answered_on"], name="survey_answers_by_day")]

    def __str__(self) -> str:
        return f"Survey answer for complaint {self.complaint_id}"

    @property
    def satisfied(self) -> bool:
        return self.satisfaction in SATISFIED

    @property
    def dissatisfied(self) -> bool:
        return self.satisfaction in DISSATISFIED

"""What the survey's answers say: the offer on a followed complaint, the year's figures beside
TP09, and the comments officers read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, QuerySet, When
from django.db.models.functions import ExtractYear

from putright import clock
from putright.complaints.models import Complaint, Status
from putright.surveys.models import SATISFIED, KeptInformed, SurveyInvitation, SurveyResponse


@dataclass(frozen=True)
class Offer:
    """The survey as a resident following a closed complaint sees it: open until a day, or answered."""

    answered: bool
    last_day: date | None = None


def offer_for(complaint: Complaint) -> Offer | None:
    """The survey on offer for this complaint, or None: it is not closed, was never offered (withdrawn,
    refused), or the offer has ended unanswered."""
    if complaint.status != Status.CLOSED:
        return None
    if SurveyResponse.objects.filter(complaint=complaint).exists():
        return Offer(answered=True)
    invitation = open_invitation(complaint)
    return Offer(answered=False, last_day=invitation.last_day) if invitation else None


def open_invitation(complaint: Complaint) -> SurveyInvitation | None:
    """The newest offer for this complaint still open to answer."""
    return (
        SurveyInvitation.objects.filter(complaint=complaint, expires_at__gt=clock.now())
        .order_by("-stage_number", "-id")
        .first()
    )


@dataclass(frozen=True)
class YearFigures:
    """One reporting year's answers (1 April to 31 March, by the day answered)."""

    year_starting: int
    responses: int
    satisfied: int
    knew_how_to_complain: int
    kept_informed: int
    comments: int


def _year_starting() -> Case:
    # The reporting year starts on 1 April: January to March belong to the year before's.
    return Case(
        When(answered_on__month__gte=4, then=ExtractYear("answered_on")),
        default=ExtractYear("answered_on") - 1,
        output_field=IntegerField(),
    )


def year_figures(landlord_id: int) -> list[YearFigures]:
    """Each reporting year's counts, newest first, in one query."""
    rows = (
        SurveyResponse.objects.filter(landlord_id=landlord_id)
        .annotate(year_starting=_year_starting())
        .values("year_starting")
        .annotate(
            responses=Count("id"),
            very_or_fairly=Count("id", filter=Q(satisfaction__in=SATISFIED)),
            knew=Count("id", filter=Q(knew_how_to_complain=True)),
            informed=Count("id", filter=Q(kept_informed=KeptInformed.YES)),
            comments=Count("id", filter=~Q(comment="")),
        )
        .order_by("-year_starting")
    )
    return [
        YearFigures(
            year_starting=row["year_starting"],
            responses=row["responses"],
            satisfied=row["very_or_fairly"],
            knew_how_to_complain=row["knew"],
            kept_informed=row["informed"],
            comments=row["comments"],
        )
        for row in rows
    ]


def comments(landlord_id: int, year_starting: int) -> QuerySet[SurveyResponse]:
    """The year's answers with a comment, newest first, with their complaint's reference."""
    return (
        SurveyResponse.objects.filter(
            landlord_id=landlord_id,
            answered_on__gte=date(year_starting, 4, 1),
            answered_on__lt=date(year_starting + 1, 4, 1),
        )
        .exclude(comment="")
        .select_related("complaint")
        .only("answered_on", "satisfaction", "comment", "stage_number", "complaint__reference")
        .order_by("-answered_on", "-id")
    )

"""How many contact restrictions a landlord has, and whether they are kept under review (5.14, 5.15).

Counted in one query whatever their number, for the self-assessment's evidence, the insight
dashboard and the measures API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from putright.landlords.models import Landlord
from putright.people.models import ContactRestriction, ReasonableAdjustment, RestrictionReview, Vulnerability

State = ContactRestriction.State


@dataclass(frozen=True)
class RestrictionCounts:
    in_force: int  # today
    proposed: int  # today: waiting for a decision
    reviews_overdue: int  # today: in force past their review date
    proposed_in_period: int
    approved_in_period: int
    refused_in_period: int
    ended_in_period: int
    reviews_in_period: int
    residents_with_needs: int  # of those proposed in the period: a vulnerability or adjustment was on record


def restriction_counts(landlord: Landlord, start: date, end: date, today: date) -> RestrictionCounts:
    """Counts now (in force, proposed, overdue for review) and over the period from `start` to `end`."""
    needs = Exists(Vulnerability.objects.filter(person_id=OuterRef("person_id"))) | Exists(
        ReasonableAdjustment.objects.filter(person_id=OuterRef("person_id"))
    )
    span = (start, end)
    reviewed = RestrictionReview.objects.filter(restriction=OuterRef("pk"), reviewed_on__range=span)
    found = (
        ContactRestriction.objects.filter(landlord=landlord)
        .order_by()
        .aggregate(
            in_force=Count("id", filter=Q(state=State.IN_FORCE)),
            proposed=Count("id", filter=Q(state=State.PROPOSED)),
            reviews_overdue=Count("id", filter=Q(state=State.IN_FORCE, review_on__lt=today)),
            proposed_in_period=Count("id", filter=Q(proposed_at__date__range=span)),
            approved_in_period=Count("id", filter=Q(decided_on__range=span) & ~Q(state=State.REFUSED)),
            refused_in_period=Count("id", filter=Q(state=State.REFUSED, decided_on__range=span)),
            ended_in_period=Count("id", filter=Q(state=State.ENDED, ended_on__range=span)),
            reviews_in_period=Count("id", filter=Exists(reviewed)),
            residents_with_needs=Count("person", distinct=True, filter=Q(needs, proposed_at__date__range=span)),
        )
    )
    return RestrictionCounts(**found)


def sentences(counts: RestrictionCounts) -> dict[str, str]:
    """The self-assessment's evidence for 5.14 and 5.15 from the records."""

    def n(count: int, one: str, many: str | None = None) -> str:
        return f"{count:,} {one if count == 1 else (many or one + 's')}"

    return {
        "5.14": f"{n(counts.proposed_in_period, 'contact restriction')} proposed in the year, each with the behaviour "
        f"and evidence recorded: {counts.approved_in_period:,} approved by a complaints officer or manager who did not "
        f"propose it, {counts.refused_in_period:,} refused with reasons, {counts.ended_in_period:,} ended. "
        f"{n(counts.reviews_in_period, 'restriction')} reviewed in the year; today {counts.in_force:,} in force, "
        f"{counts.proposed:,} waiting for a decision, {counts.reviews_overdue:,} overdue for review.",
        "5.15": f"Every one of the {n(counts.proposed_in_period, 'restriction')} proposed in the year recorded the "
        "regard had to the Equality Act 2010 and the resident's needs, with their recorded vulnerabilities and "
        f"adjustments shown beside it (Putright will not record one without it); "
        f"{n(counts.residents_with_needs, 'resident')} restricted had a vulnerability or adjustment on record.",
    }

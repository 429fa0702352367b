"""What the pages and the API read: a landlord's contractors, a complaint's requests, and the count
of complaints by contractor over a period for insight."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from putright.complaints.models import Complaint
from putright.contributions.models import Contractor, InformationRequest


def contractors_of(landlord_id: int) -> QuerySet[Contractor]:
    return Contractor.objects.filter(landlord_id=landlord_id).order_by("-active", "name", "id")


def requests_on(complaint: Complaint) -> QuerySet[InformationRequest]:
    """A complaint's requests for information, oldest first, with what each row shows."""
    return (
        InformationRequest.objects.filter(complaint=complaint)
        .select_related("contractor", "colleague", "answered_by", "answer_email")
        .order_by("asked_on", "id")
    )


def complaints_by_contractor(landlord_id: int, first: date, last: date) -> QuerySet[Contractor]:
    """Each of the landlord's contractors with the number of complaints received from `first` to `last`
    (inclusive) it was involved in, and the requests for information it was sent then: most first."""
    received = Q(complaint_links__complaint__received_on__range=(first, last))
    asked = Q(information_requests__asked_on__range=(first, last))
    return (
        Contractor.objects.filter(landlord_id=landlord_id)
        .annotate(
            complaints=Count("complaint_links__complaint", filter=received, distinct=True),
            requests=Count("information_requests", filter=asked, distinct=True),
            answered=Count(
                "information_requests",
                filter=asked & Q(information_requests__state=InformationRequest.State.ANSWERED),
                distinct=True,
            ),
        )
        .order_by("-complaints", "name", "id")
    )

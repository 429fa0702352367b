"""Reading residents' data protection requests: whether a resident's processing is restricted, and
the people a request can be recorded for."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from putright import clock
from putright.complaints.models import Complaint
from putright.people.models import Person
from putright.privacy.models import RightsRequest

SEARCH_LIMIT = 20


def processing_restricted(person_id: int) -> bool:
    """Whether the processing of this person's data is restricted today (Art. 18)."""
    return RightsRequest.objects.filter(person_id=person_id).restricting(clock.today()).exists()


def survey_withheld(complaint: Complaint) -> bool:
    """The satisfaction survey is not sent to a resident who has restricted processing (Art. 18)."""
    return processing_restricted(complaint.person_id)


def find_people(landlord_id: int, words: str) -> QuerySet[Person]:
    """The landlord's people matching a complaint reference, tenancy reference, name or email."""
    words = words.strip()
    if not words:
        return Person.objects.none()
    people = Person.objects.filter(landlord_id=landlord_id)
    match = (
        Q(name__icontains=words)
        | Q(email__iexact=words)
        | Q(tenancy_reference__iexact=words)
        | Q(complaints__reference__iexact=words)
    )
    ids = people.filter(match).values("pk")
    return Person.objects.filter(pk__in=ids).order_by("name", "pk")[:SEARCH_LIMIT]

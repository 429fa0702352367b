"""The landlord's insight generation: moved on by every change to what the measures count.

Insight caches the measures of closed periods under this number (putright.insight.cache). Every
change to a complaint writes an Event, and a trigger on the Event table (complaints migration 0010)
moves the complaint's landlord's generation on: on PostgreSQL a deferred constraint trigger, which
runs as the transaction commits, so that no action holds the generation's row locked while it works
(two actions locking complaints in different orders would otherwise deadlock on it), and a
rolled-back change moves nothing on; on SQLite, where writes take turns anyway, as each Event is
written. Whatever writes an Event (the actions, bulk recomputations, anonymisation) is covered,
with no call to remember. The few changes to what the measures count that write no Event (a TP09
survey imported) call `move_on` themselves.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from putright.complaints.models import InsightGeneration


def move_on(landlord_id: int) -> None:
    """Move the landlord's insight generation on, in the current transaction."""
    rows = InsightGeneration.objects.filter(landlord_id=landlord_id)
    if rows.update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            InsightGeneration.objects.create(landlord_id=landlord_id, number=1)
    except IntegrityError:  # another transaction created the row first
        rows.update(number=F("number") + 1)


def current(landlord_id: int) -> int:
    """The landlord's insight generation now: 0 before anything moved it on."""
    number = InsightGeneration.objects.filter(landlord_id=landlord_id).values_list("number", flat=True).first()
    return number or 0

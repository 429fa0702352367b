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

The same trigger moves on the row of the reporting year the complaint was received in
(InsightYearGeneration, migration 0014): a closed period's measures are kept under the changes up to its
end's year (putright.insight.cache.generation_up_to), so a change to this year's complaints leaves last
year's figures cached.
"""

from __future__ import annotations

from putright.complaints.models import InsightGeneration, InsightYearGeneration
from putright.counters import count_up

EVERY_YEAR = 0  # the row of InsightYearGeneration moved on by a change to what every year's measures count


def move_on(landlord_id: int) -> None:
    """Move the landlord's insight generation on, for every year's measures, in the current transaction."""
    count_up(InsightGeneration, "number", ("landlord",), [(landlord_id,)])
    count_up(InsightYearGeneration, "number", ("landlord", "year"), [(landlord_id, EVERY_YEAR)])


def current(landlord_id: int) -> int:
    """The landlord's insight generation now: 0 before anything moved it on."""
    number = InsightGeneration.objects.filter(landlord_id=landlord_id).values_list("number", flat=True).first()
    return number or 0

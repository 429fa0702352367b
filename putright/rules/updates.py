"""Updates agreed with the resident while a response is late (5.9): whether each went on time.

When a response will fall outside the Code's timescales the landlord must agree with the
resident how often they will hear about their complaint, and keep to it. Each agreed update has
a due date; it is sent on time, sent late, missed (its date passed unsent), still due, or no
longer needed because the response was issued (or a new interval agreed) before it fell due.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Standing(StrEnum):
    ON_TIME = "on time"
    LATE = "late"
    DUE = "due"
    MISSED = "missed"
    NOT_NEEDED = "not needed"


@dataclass(frozen=True)
class AgreedUpdate:
    """One update as agreed and as it went: `replaced_on` is the day a new interval replaced it
    unsent; `ended_on` the day the stage stopped needing updates (its response, say)."""

    due_on: date
    sent_on: date | None = None
    replaced_on: date | None = None
    ended_on: date | None = None


def standing(update: AgreedUpdate, today: date) -> Standing:
    """How an agreed update stands today (5.9).

    Sent by its due date is on time, after it late. Unsent, it is missed once its due date has
    passed before whatever stopped it being needed: a new interval, the end of the stage, or
    today. Unsent and stopped on or before its due date, it was not needed; otherwise it is due.
    """
    if update.sent_on is not None:
        return Standing.ON_TIME if update.sent_on <= update.due_on else Standing.LATE
    stops = [day for day in (update.replaced_on, update.ended_on) if day is not None]
    cutoff = min([*stops, today])
    if update.due_on < cutoff:
        return Standing.MISSED
    return Standing.NOT_NEEDED if stops else Standing.DUE


@dataclass(frozen=True)
class Kept:
    """How a set of agreed updates went: those that fell due, and how each was kept."""

    on_time: int = 0
    late: int = 0
    missed: int = 0
    due: int = 0

    @property
    def fell_due(self) -> int:
        """Updates whose date has come: sent (on time or late) or missed; not those still due."""
        return self.on_time + self.late + self.missed


def kept(updates: Iterable[AgreedUpdate], today: date) -> Kept:
    counts = Counter(standing(update, today) for update in updates)
    return Kept(counts[Standing.ON_TIME], counts[Standing.LATE], counts[Standing.MISSED], counts[Standing.DUE])

"""When an ended complaint comes up for review under a landlord's retention schedule.

The date arithmetic is plain Python; `schedule_for` reads the landlord's schedule, or the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from putright.landlords.models import Landlord
from putright.retention.models import DEFAULT_GRACE_DAYS, DEFAULT_YEARS, RetentionSchedule


@dataclass(frozen=True)
class Schedule:
    years_after_closure: int
    grace_days: int
    version: int = 0  # 0: the defaults, no row yet

    def review_on(self, ended_on: date) -> date:
        """The day a complaint that ended on `ended_on` comes up for review."""
        return years_after(ended_on, self.years_after_closure)

    def ended_by(self, today: date) -> date:
        """The last day a complaint may have ended on to be due for review `today`."""
        return years_before(today, self.years_after_closure)

    def anonymise_after(self, review_started_on: date) -> date:
        return review_started_on + timedelta(days=self.grace_days)


def years_after(day: date, years: int) -> date:
    """The anniversary `years` later; 29 February's falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def years_before(day: date, years: int) -> date:
    """The inverse of `years_after` for the last day due: 29 February goes back to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def schedule_for(landlord: Landlord | int) -> Schedule:
    landlord_id = landlord if isinstance(landlord, int) else landlord.pk
    row = RetentionSchedule.objects.filter(landlord_id=landlord_id).first()
    if row is None:
        return Schedule(DEFAULT_YEARS, DEFAULT_GRACE_DAYS)
    return Schedule(row.years_after_closure, row.grace_days, row.version)

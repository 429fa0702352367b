"""The working-day calendar: which days count towards a Code deadline.

A working day is a weekday that is not a bank holiday in the landlord's region and not one of
the landlord's own closure days (CODE.md, "Working day"). Bank holidays come from GOV.UK's
published list wherever GOV.UK has published a year, and from the `holidays` package for years
it has not published yet.

Deadlines are counted as "within N working days of D": the date D itself is day 0 and the
deadline is the N-th working day after it. A calendar precomputes, for every date in its range,
how many working days fall on or before it, so adding or counting working days is two list
look-ups whatever the distance.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import holidays as computed_holidays
from govuk_bank_holidays.bank_holidays import BankHolidays

# The calendar will not reach outside these years: a date beyond them is a typing mistake.
EARLIEST_YEAR = 1990
LATEST_YEAR = 2200
DEFAULT_FIRST_YEAR = 2000


class Region(StrEnum):
    """The three bank-holiday regions of the UK, named as GOV.UK names its divisions."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @classmethod
    def parse(cls, value: str) -> Region:
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(region.value for region in cls)
            raise ValueError(f"unknown region {value!r}: choose one of {choices}") from None


# The `holidays` package's subdivision of GB for each region.
_COMPUTED_SUBDIVISION = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}


class CalendarRangeError(ValueError):
    """A date outside the years the calendar covers."""


@dataclass(frozen=True)
class BankHoliday:
    date: date
    title: str
    source: str  # "gov.uk" or "computed"


@dataclass(frozen=True)
class Disagreement:
    """A weekday that one source calls a bank holiday and the other does not."""

    region: Region
    date: date
    govuk_title: str | None
    computed_title: str | None


def packaged_govuk_data() -> dict[str, Any]:
    """GOV.UK's bank holidays as shipped inside the govuk-bank-holidays package (works offline)."""
    data: dict[str, Any] = BankHolidays.load_backup_data()
    return data


def validate_govuk_data(data: object) -> dict[str, Any]:
    """Check that `data` has GOV.UK's shape: a list of dated events for each of the three regions."""
    if not isinstance(data, dict):
        raise ValueError("bank holiday data must be a JSON object keyed by region")
    for region in Region:
        division = data.get(region.value)
        if not isinstance(division, dict) or not isinstance(division.get("events"), list):
            raise ValueError(f"bank holiday data has no list of events for {region.value}")
        for event in division["events"]:
            if not isinstance(event, dict) or not isinstance(event.get("title"), str):
                raise ValueError(f"bank holiday data for {region.value} has an event without a title")
            date.fromisoformat(str(event.get("date")))
    return data


def load_govuk_data(path: Path | None = None) -> dict[str, Any]:
    """GOV.UK's bank holidays from `path` if an operator has refreshed them there, else the packaged copy."""
    if path is not None and path.exists():
        return validate_govuk_data(json.loads(path.read_text(encoding="utf-8")))
    return packaged_govuk_data()


class BankHolidaySource:
    """Bank holidays for any region and year: GOV.UK's where published, computed elsewhere.

    GOV.UK wins for every year in which it lists at least one holiday for the region, because it
    records the one-off holidays (jubilees, coronations, funerals) a rule-based list can miss
    or invent.
    """

    def __init__(self, govuk_data: Mapping[str, Any] | None = None) -> None:
        data = govuk_data if govuk_data is not None else packaged_govuk_data()
        self._published: dict[Region, dict[date, str]] = {}
        for region in Region:
            events = data[region.value]["events"]
            self._published[region] = {date.fromisoformat(e["date"]): e["title"] for e in events}
        self._published_years = {
            region: frozenset(day.year for day in days) for region, days in self._published.items()
        }

    def published_years(self, region: Region) -> frozenset[int]:
        return self._published_years[region]

    def govuk(self, region: Region, year: int) -> dict[date, str]:
        return {day: title for day, title in self._published[region].items() if day.year == year}

    def computed(self, region: Region, year: int) -> dict[date, str]:
        return _computed_year(region, year)

    def holidays(self, region: Region, years: Iterable[int]) -> list[BankHoliday]:
        """Every bank holiday in `region` in `years`, each from the source that wins for its year."""
        result: list[BankHoliday] = []
        for year in years:
            if year in self._published_years[region]:
                days, source = self.govuk(region, year), "gov.uk"
            else:
                days, source = self.computed(region, year), "computed"
            result.extend(BankHoliday(day, title, source) for day, title in days.items())
        return sorted(result, key=lambda holiday: holiday.date)

    def disagreements(self, region: Region, years: Iterable[int] | None = None) -> list[Disagreement]:
        """Weekdays on which GOV.UK and the computed list disagree, for years GOV.UK has published.

        Weekend dates are ignored: the computed list names the holiday itself on a Saturday as
        well as its substitute Monday, and only the Monday changes which days are working days.
        """
        found: list[Disagreement] = []
        for year in sorted(self._published_years[region] if years is None else years):
            published, computed = self.govuk(region, year), self.computed(region, year)
            for day in sorted(set(published) ^ set(computed)):
                if day.weekday() < 5:
                    found.append(Disagreement(region, day, published.get(day), computed.get(day)))
        return found


@cache
def _computed_year(region: Region, year: int) -> dict[date, str]:
    computed = computed_holidays.country_holidays("GB", subdiv=_COMPUTED_SUBDIVISION[region], years=year)
    return {day: str(title) for day, title in sorted(computed.items())}


@cache
def default_source() -> BankHolidaySource:
    return BankHolidaySource()


class WorkingCalendar:
    """Working days for one region, less a landlord's closure days, with its one-off changes.

    `extra_holidays` are one-off bank holidays a landlord adds for its region (for example a
    holiday announced after GOV.UK's list was taken); `removed_holidays` are dates the landlord
    works although a source lists them. `closures` are the landlord's own closure days, such as
    29 to 31 December.
    """

    def __init__(
        self,
        region: Region = Region.ENGLAND_AND_WALES,
        *,
        closures: Iterable[date] = (),
        extra_holidays: Iterable[date] = (),
        removed_holidays: Iterable[date] = (),
        source: BankHolidaySource | None = None,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> None:
        self.region = region
        self.source = source if source is not None else default_source()
        self.closures = frozenset(closures)
        self.extra_holidays = frozenset(extra_holidays)
        self.removed_holidays = frozenset(removed_holidays)
        # The index starts small and grows to take in any date it is asked about.
        self._first_year = first_year or DEFAULT_FIRST_YEAR
        self._last_year = last_year or max(self.source.published_years(region), default=DEFAULT_FIRST_YEAR) + 10
        self._build()

    # -- the index -------------------------------------------------------------------------
    def _build(self) -> None:
        years = range(self._first_year, self._last_year + 1)
        holidays = {h.date for h in self.source.holidays(self.region, years)}
        non_working = (holidays - self.removed_holidays) | self.extra_holidays | self.closures
        first = date(self._first_year, 1, 1)
        last = date(self._last_year, 12, 31)
        self._base = first.toordinal()
        # _rank[i]: how many working days fall on or before the i-th date of the range.
        # _days[k]: the (k+1)-th working day of the range.
        rank: list[int] = []
        days: list[date] = []
        is_working: list[bool] = []
        day = first
        one = timedelta(days=1)
        while day <= last:
            working = day.weekday() < 5 and day not in non_working
            if working:
                days.append(day)
            rank.append(len(days))
            is_working.append(working)
            day += one
        self._rank = rank
        self._days = days
        self._is_working = is_working

    def _index(self, day: date) -> int:
        index = day.toordinal() - self._base
        if 0 <= index < len(self._rank):
            return index
        self._extend_to(day.year)
        return day.toordinal() - self._base

    def _extend_to(self, year: int) -> None:
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise CalendarRangeError(
                f"{year} is outside the years the calendar covers ({EARLIEST_YEAR} to {LATEST_YEAR})"
            )
        self._first_year = max(EARLIEST_YEAR, min(self._first_year, year - 5))
        self._last_year = min(LATEST_YEAR, max(self._last_year, year + 10))
        self._build()

    # -- questions -------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        index = self._index(day)  # first: looking a date up may rebuild the lists
        return self._is_working[index]

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (which is day 0).

        A start on a non-working day counts its first working day after it as day 1. Adding
        0 returns `start` itself.
        """
        if days < 0:
            raise ValueError("the number of working days to add must not be negative")
        if days == 0:
            return start
        index = self._index(start)
        position = self._rank[index] + days - 1
        while position >= len(self._days):
            if self._last_year >= LATEST_YEAR:
                raise CalendarRangeError(f"adding {days} working days goes beyond {LATEST_YEAR}")
            self._extend_to(min(LATEST_YEAR, self._last_year + 1 + days // 250))
            index = self._index(start)
            position = self._rank[index] + days - 1
        return self._days[position]

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end`.

        Zero when `end` is `start` or no working day lies between; negative when `end` is
        earlier (minus the working days after `end` up to and including `start`).
        """
        self._index(start), self._index(end)  # bring both into range before reading the index
        return self._rank[self._index(end)] - self._rank[self._index(start)]

    def working_days_in(self, first: date, last: date) -> list[date]:
        """The working days from `first` to `last` inclusive."""
        self._index(first), self._index(last)
        low = bisect_right(self._days, first - timedelta(days=1))
        high = bisect_right(self._days, last)
        return self._days[low:high]

    def holidays_in(self, year: int) -> list[BankHoliday]:
        """The bank holidays that apply to this calendar in `year`, with its one-off changes."""
        listed = [h for h in self.source.holidays(self.region, [year]) if h.date not in self.removed_holidays]
        known = {h.date for h in listed}
        extra = [BankHoliday(d, "One-off holiday added by the landlord", "landlord") for d in self.extra_holidays]
        listed.extend(h for h in extra if h.date.year == year and h.date not in known)
        return sorted(listed, key=lambda holiday: holiday.date)

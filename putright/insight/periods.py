"""Reporting periods: the regulator's year (1 April to 31 March), its quarters and months, any range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Complaint handling measured from the first social landlords' records to well past any plan: a date outside
# these is a typing mistake (year 1, 9999), and a year before it would not exist.
EARLIEST = date(1990, 1, 1)
LATEST = date(2199, 12, 31)
MAX_PERIOD_DAYS = 5 * 366  # longer than five years is a typing mistake, and a chart nobody can read
QUARTER_NAMES = ("April to June", "July to September", "October to December", "January to March")


def reporting_year_of(day: date) -> int:
    """The year the reporting year containing `day` starts in: 2024 for 1 April 2024 to 31 March 2025."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year_starting: int) -> str:
    return f"{year_starting}/{(year_starting + 1) % 100:02d}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not (EARLIEST <= self.start and self.end <= LATEST):
            # Comparisons reach a year back: a period near year 1 or 9999 has no year before or after it.
            raise ValueError(f"a period must fall between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}")
        if self.end < self.start:
            raise ValueError("the end of a period cannot be before its start")
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise ValueError("a period can be at most five years long")

    @classmethod
    def reporting_year(cls, year_starting: int) -> Period:
        return cls(date(year_starting, 4, 1), date(year_starting + 1, 3, 31))

    @classmethod
    def quarter(cls, year_starting: int, number: int) -> Period:
        """Quarter 1 is April to June of `year_starting`; quarter 4 is January to March after it."""
        if number not in (1, 2, 3, 4):
            raise ValueError("a reporting year has quarters 1 to 4")
        first = date(year_starting + (1 if number == 4 else 0), (3 * number) % 12 + 1, 1)
        last = next_month(next_month(next_month(first))) - timedelta(days=1)
        return cls(first, last)

    @property
    def year_starting(self) -> int:
        return reporting_year_of(self.start)

    @property
    def is_reporting_year(self) -> bool:
        return self == Period.reporting_year(self.year_starting)

    @property
    def within_one_reporting_year(self) -> bool:
        return reporting_year_of(self.end) == self.year_starting

    @property
    def label(self) -> str:
        if self.is_reporting_year:
            return f"{year_label(self.year_starting)} (1 April {self.start.year} to 31 March {self.end.year})"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def previous_year(self) -> Period:
        """The same days a year earlier, for comparisons (29 February becomes 28 February)."""

        def back(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)

        return Period(back(self.start), back(self.end))

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches."""
        months, month = [], month_start(self.start)
        while month <= self.end:
            months.append(month)
            month = next_month(month)
        return months


def quarter_of(month: date) -> tuple[int, int]:
    """(year starting, quarter number) of the reporting quarter a month falls in."""
    return reporting_year_of(month), (month.month - 4) % 12 // 3 + 1


def quarter_label(year_starting: int, number: int) -> str:
    return f"Q{number} {year_label(year_starting)}"

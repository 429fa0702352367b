"""What is due in a landlord's reporting calendar, and whether it was done (reading only).

A deadline for the reporting year starting in April of year Y falls in Y + 1, on the landlord's date for it
(DeadlineSetting) or the default (DEFAULTS). The annual report's deadline is met by its first presentation
to the governing body; the self-assessment's when it is approved (insight records it); publication and
submission when staff mark them done."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from putright import clock
from putright.governance.models import (
    DEFAULTS,
    Appointment,
    DeadlineDone,
    DeadlineKind,
    DeadlineSetting,
    GoverningBody,
    Presentation,
    ReportKind,
)


@dataclass(frozen=True)
class Deadline:
    kind: str
    year_starting: int
    due_on: date
    done_on: date | None
    how: str  # how it was met, in words, or ""
    today: date

    @property
    def label(self) -> str:
        return DeadlineKind(self.kind).label

    @property
    def year_label(self) -> str:
        return f"{self.year_starting}/{str(self.year_starting + 1)[-2:]}"

    @property
    def done(self) -> bool:
        return self.done_on is not None

    @property
    def days(self) -> int:
        """Days until it is due (negative once overdue)."""
        return (self.due_on - self.today).days

    @property
    def overdue(self) -> bool:
        return not self.done and self.days < 0

    @property
    def from_records(self) -> bool:
        return self.kind in (DeadlineKind.SELF_ASSESSMENT, DeadlineKind.ANNUAL_REPORT)

    @property
    def status(self) -> str:
        if self.done_on is not None:
            return f"Done on {self.done_on:%-d %B %Y}"
        if self.days == 0:
            return "Due today"
        if self.days > 0:
            return f"Due in {self.days} day{'' if self.days == 1 else 's'}"
        return f"Overdue by {-self.days} day{'' if self.days == -1 else 's'}"


def _on(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def due_dates(landlord_id: int) -> dict[str, tuple[int, int]]:
    """(month, day) of each deadline at the landlord: its own settings over the defaults."""
    dates = {str(kind): value for kind, value in DEFAULTS.items()}
    for setting in DeadlineSetting.objects.filter(landlord_id=landlord_id):
        dates[setting.kind] = (setting.month, setting.day)
    return dates


def deadlines(landlord_id: int, years: list[int], today: date | None = None) -> list[Deadline]:
    """Every deadline of the reporting years `years`, in date order."""
    today = today or clock.today()
    dates = due_dates(landlord_id)
    done = {(d.kind, d.year_starting): d for d in DeadlineDone.objects.filter(landlord_id=landlord_id)}
    presented: dict[int, Presentation] = {}
    for presentation in (
        Presentation.objects.filter(
            landlord_id=landlord_id,
            report=ReportKind.ANNUAL,
            year_starting__in=years,
            body__kind=GoverningBody.Kind.GOVERNING_BODY,
        )
        .select_related("body")
        .order_by("presented_on", "id")
    ):
        presented.setdefault(presentation.year_starting, presentation)
    found: list[Deadline] = []
    for year in years:
        for kind in DeadlineKind.values:
            month, day = dates[kind]
            done_on, how = None, ""
            if kind == DeadlineKind.ANNUAL_REPORT and year in presented:
                shown = presented[year]
                done_on, how = shown.presented_on, f"Presented at {shown.meeting}"
            elif (kind, year) in done:
                record = done[(kind, year)]
                done_on = record.done_on
                how = record.note or ("Approved in Putright" if record.from_records else "Marked done")
            found.append(Deadline(kind, year, _on(year + 1, month, day), done_on, how, today))
    return sorted(found, key=lambda d: (d.due_on, DeadlineKind.values.index(d.kind)))


def keeps_calendar(landlord_id: int) -> bool:
    """Whether the landlord keeps its oversight records in Putright, so its deadlines are tracked here."""
    return (
        GoverningBody.objects.filter(landlord_id=landlord_id).exists()
        or Appointment.objects.filter(landlord_id=landlord_id).exists()
    )


def current_years(today: date | None = None) -> list[int]:
    """The reporting years whose deadlines matter now: the one that ended last and the one running."""
    today = today or clock.today()
    running = today.year if today.month >= 4 else today.year - 1
    return [running - 1, running]

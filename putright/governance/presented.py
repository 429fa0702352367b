"""What was presented to the governing body and the MRC (reading only; changes go through actions.bodies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from putright.governance import people
from putright.governance.models import Appointment, GoverningBody, OversightRole, Presentation, ReportKind


def presentations(landlord_id: int) -> QuerySet[Presentation]:
    return Presentation.objects.filter(landlord_id=landlord_id).select_related("body", "response_recorded_by")


def in_year(landlord_id: int, year_starting: int) -> list[Presentation]:
    """Reports of the reporting year, and those presented during it (such as last year's annual report)."""
    start, end = date(year_starting, 4, 1), date(year_starting + 1, 3, 31)
    return list(
        presentations(landlord_id)
        .filter(Q(year_starting=year_starting) | Q(presented_on__range=(start, end)))
        .order_by("presented_on", "id")
    )


def annual(landlord_id: int, year_starting: int) -> list[Presentation]:
    """The year's annual report as presented, the governing body first."""
    found = presentations(landlord_id).filter(report=ReportKind.ANNUAL, year_starting=year_starting)
    return sorted(
        found.order_by("presented_on", "id"),
        key=lambda p: p.body is None or p.body.kind != GoverningBody.Kind.GOVERNING_BODY,
    )


def responses_by_year(landlord_id: int) -> dict[int, Presentation]:
    """For each year, the annual report's first presentation with a response recorded."""
    found: dict[int, Presentation] = {}
    for p in (
        presentations(landlord_id).filter(report=ReportKind.ANNUAL).exclude(response="").order_by("response_on", "id")
    ):
        found.setdefault(p.year_starting, p)
    return found


@dataclass
class Oversight:
    """For the governance report: what the governing body and the MRC received in the year so far, and who
    holds each oversight role."""

    presented: list[Presentation] = field(default_factory=list)
    holders: list[Appointment] = field(default_factory=list)


def oversight_for(landlord_id: int, year_starting: int, until: date) -> Oversight:
    found = [p for p in in_year(landlord_id, year_starting) if p.presented_on <= until]
    current = people.holders(landlord_id)
    order = list(OversightRole.values)
    return Oversight(presented=found, holders=sorted(current.values(), key=lambda a: order.index(a.role)))

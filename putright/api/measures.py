"""/measures: the complaint measures (TSMs CH01, CH02, TP09, timeliness, volumes) for a year or any dates.

The same figures as `putright report measures` and the dashboard at /staff/insight/, from the same
code (putright.insight.measures). For the complaints officer, managers and the auditor, at their
own landlord. Registered in putright.api.main with `api.add_router("", measures.router)`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router
from pydantic import model_validator

from putright import clock
from putright.api import schemas as s
from putright.api.auth import caller
from putright.complaints.models import ServiceArea
from putright.insight import access
from putright.insight.measures import compute
from putright.insight.periods import Period, reporting_year_of

router = Router(tags=["measures"])

REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 422: s.ErrorOut}


class MeasuresQuery(s.StrictDates):
    year: int | None = Field(
        None,
        ge=2000,
        le=2200,
        description="The reporting year, by the year it starts: 2024 for April 2024 to March 2025",
    )
    start: date | None = Field(None, description="Instead of a year, the first day of any period (with `end`)")
    end: date | None = Field(None, description="The last day of the period, included")
    service_area: ServiceArea | None = Field(None, description="Only complaints about this service area")

    @model_validator(mode="after")
    def one_period(self) -> MeasuresQuery:
        if (self.start is None) != (self.end is None):
            raise ValueError("give both start and end, or neither")
        if self.start is not None and self.year is not None:
            raise ValueError("give a year, or start and end, not both")
        if self.start is not None and self.end is not None:
            Period(self.start, self.end)  # raises ValueError for a period that cannot be
        return self

    def period(self) -> Period:
        if self.start is not None and self.end is not None:
            return Period(self.start, self.end)
        return Period.reporting_year(self.year if self.year is not None else reporting_year_of(clock.today()))


@router.get("/measures", response={200: dict[str, Any], **REFUSALS})
def measures(request: HttpRequest, query: Query[MeasuresQuery]) -> dict[str, Any]:
    """Every measure for your landlord over a reporting year (this one unless you say) or any period.

    Definitions, with their Code and regulator references: docs/measures.md. Percentages and rates
    have one decimal place and are null when there is nothing to count; money is a string in pounds.
    """
    staff = access.require_reader(caller(request))
    area = query.service_area.value if query.service_area else ""
    return compute(staff.landlord, query.period(), area).as_data()

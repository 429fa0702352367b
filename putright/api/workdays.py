"""/workdays: the working-day arithmetic deadlines are made of, by your landlord's calendar or a region's."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS
from putright.complaints import access
from putright.landlords.calendars import region_calendar, working_calendar
from putright.rules.calendar import Region, WorkingCalendar

router = Router(tags=["working days"])


def _calendar(request: HttpRequest, region: Region | None) -> tuple[WorkingCalendar, str]:
    if region is not None:
        return region_calendar(region), region.value
    landlord = access.require_staff(caller(request)).landlord
    return working_calendar(landlord), landlord.slug


@router.get("/workdays/add", response={200: s.WorkdaysAddOut, **READ_REFUSALS})
def add(request: HttpRequest, query: Query[s.WorkdaysAddQuery]) -> dict[str, object]:
    """The `days`-th working day after `date` (which is day 0)."""
    calendar, name = _calendar(request, query.region)
    result = calendar.add_working_days(query.date, query.days)
    return {"date": query.date, "days": query.days, "result": result, "calendar": name}


@router.get("/workdays/between", response={200: s.WorkdaysBetweenOut, **READ_REFUSALS})
def between(request: HttpRequest, query: Query[s.WorkdaysBetweenQuery]) -> dict[str, object]:
    """How many working days fall after `start` up to and including `end` (negative if `end` is earlier)."""
    calendar, name = _calendar(request, query.region)
    days = calendar.working_days_between(query.start, query.end)
    return {"start": query.start, "end": query.end, "working_days": days, "calendar": name}

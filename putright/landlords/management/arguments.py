"""Reading operators' command-line input: every mistake is one line and exit status 2."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError, CommandParser

from putright.landlords.calendars import region_calendar, working_calendar
from putright.landlords.models import Landlord
from putright.rules.calendar import Region, WorkingCalendar

USAGE_ERROR = 2


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def parse_date(value: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise usage_error(f"{what} {value!r} is not a date: write it as YYYY-MM-DD, for example 2024-12-20") from None


def parse_count(value: str, what: str = "number of working days") -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise usage_error(f"{what} {value!r} is not a whole number") from None
    if number < 0:
        raise usage_error(f"{what} must not be negative, not {number}")
    return number


def get_landlord(slug: str) -> Landlord:
    landlord = Landlord.objects.filter(slug=slug.strip()).first()
    if landlord is None:
        known = ", ".join(Landlord.objects.values_list("slug", flat=True)) or "none set up yet"
        raise usage_error(f"unknown landlord {slug!r} (known: {known})")
    return landlord


def add_calendar_arguments(parser: CommandParser) -> None:
    parser.add_argument("--region", help="england-and-wales (default), scotland or northern-ireland")
    parser.add_argument("--landlord", help="a landlord's slug: its region, closure days and one-off holidays")


def calendar_from_options(options: dict[str, object]) -> WorkingCalendar:
    region, slug = options.get("region"), options.get("landlord")
    if region and slug:
        raise usage_error("give --region or --landlord, not both (a landlord has its own region)")
    if slug:
        return working_calendar(get_landlord(str(slug)))
    try:
        return region_calendar(Region.parse(str(region)) if region else Region.ENGLAND_AND_WALES)
    except ValueError as error:
        raise usage_error(str(error)) from None

"""putright workdays: working-day arithmetic, bank holidays and a landlord's calendar changes.

A core command, not a landlords one: a calendar change moves the deadlines of open complaints (a
complaints action), and core sits above both.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from putright.complaints import actions
from putright.landlords.calendars import bank_holiday_source, refresh_bank_holidays
from putright.landlords.management.arguments import (
    add_calendar_arguments,
    calendar_from_options,
    get_landlord,
    parse_count,
    parse_date,
    usage_error,
)
from putright.landlords.models import HolidayChange
from putright.rules.calendar import CalendarRangeError, Region


class Command(BaseCommand):
    help = "Working days: add, between, check, holidays, disagreements, refresh, closure, one-off."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        add = sub.add_parser("add", help="the N-th working day after DATE (DATE is day 0)")
        add.add_argument("date")
        add.add_argument("days")
        add_calendar_arguments(add)

        between = sub.add_parser("between", help="working days after START up to and including END")
        between.add_argument("start")
        between.add_argument("end")
        add_calendar_arguments(between)

        check = sub.add_parser("check", help="whether DATE is a working day")
        check.add_argument("date")
        add_calendar_arguments(check)

        holidays = sub.add_parser("holidays", help="the bank holidays and closures of a year")
        holidays.add_argument("year")
        add_calendar_arguments(holidays)

        disagreements = sub.add_parser(
            "disagreements", help="weekdays where GOV.UK's published dates and the computed dates differ"
        )
        disagreements.add_argument("--region", help="one region (default: all three)")

        sub.add_parser("refresh", help="download GOV.UK's bank holidays (needs network access)")

        closure = sub.add_parser("closure", help="mark DATE as a closure day for a landlord, or --clear it")
        closure.add_argument("date")
        closure.add_argument("--landlord", required=True)
        closure.add_argument("--reason", default="")
        closure.add_argument("--clear", action="store_true")

        one_off = sub.add_parser(
            "one-off",
            help="add a one-off bank holiday (--holiday TITLE), work on one (--working), or --clear",
        )
        one_off.add_argument("date")
        one_off.add_argument("--landlord", required=True)
        group = one_off.add_mutually_exclusive_group(required=True)
        group.add_argument("--holiday", metavar="TITLE")
        group.add_argument("--working", action="store_true")
        group.add_argument("--clear", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except CalendarRangeError as error:
            raise usage_error(str(error)) from None

    def do_add(self, options: dict[str, Any]) -> None:
        start, days = parse_date(options["date"]), parse_count(options["days"])
        self.stdout.write(calendar_from_options(options).add_working_days(start, days).isoformat())

    def do_between(self, options: dict[str, Any]) -> None:
        start, end = parse_date(options["start"], "start date"), parse_date(options["end"], "end date")
        self.stdout.write(str(calendar_from_options(options).working_days_between(start, end)))

    def do_check(self, options: dict[str, Any]) -> None:
        day = parse_date(options["date"])
        working = calendar_from_options(options).is_working_day(day)
        self.stdout.write(f"{day.isoformat()} is {'a working day' if working else 'not a working day'}")

    def do_holidays(self, options: dict[str, Any]) -> None:
        year = parse_count(options["year"], "year")
        calendar = calendar_from_options(options)
        rows = [(h.date, h.title, h.source) for h in calendar.holidays_in(year)]
        rows += [(day, "Closure day", "landlord") for day in sorted(calendar.closures) if day.year == year]
        for day, title, source in sorted(rows):
            self.stdout.write(f"{day.isoformat()}  {day:%a}  {title}  [{source}]")

    def do_disagreements(self, options: dict[str, Any]) -> None:
        try:
            regions = [Region.parse(options["region"])] if options.get("region") else list(Region)
        except ValueError as error:
            raise usage_error(str(error)) from None
        source = bank_holiday_source()
        total = 0
        for region in regions:
            for found in source.disagreements(region):
                total += 1
                where = (
                    f"GOV.UK only: {found.govuk_title}"
                    if found.computed_title is None
                    else f"computed only: {found.computed_title}"
                    if found.govuk_title is None
                    else f"both, differently named: {found.govuk_title} / {found.computed_title}"
                )
                self.stdout.write(f"{region.value}  {found.date.isoformat()}  {where}")
        self.stdout.write(f"{total} disagreement{'s' if total != 1 else ''} in the years GOV.UK has published")

    def do_refresh(self, options: dict[str, Any]) -> None:
        try:
            path = refresh_bank_holidays()
        except Exception as error:  # network failures of every kind end the same way for an operator
            raise usage_error(f"could not download bank holidays from GOV.UK: {error}") from None
        self.stdout.write(f"Saved GOV.UK's bank holidays to {path}")

    def do_closure(self, options: dict[str, Any]) -> None:
        landlord, day = get_landlord(options["landlord"]), parse_date(options["date"])
        result = actions.change_closure_day(landlord, None, day, reason=options["reason"], clear=options["clear"])
        self.stdout.write(f"{day} is {'not' if options['clear'] else 'now'} a closure day for {landlord}")
        self.stdout.write(f"Deadlines moved on {len(result.changed)} of {result.complaints} open complaints")

    def do_one_off(self, options: dict[str, Any]) -> None:
        landlord, day = get_landlord(options["landlord"]), parse_date(options["date"])
        if options["clear"]:
            result = actions.change_holiday(landlord, None, day, change=None)
            self.stdout.write(f"Cleared any one-off change on {day}")
        elif options["working"]:
            result = actions.change_holiday(landlord, None, day, change=HolidayChange.Change.REMOVE)
            self.stdout.write(f"{landlord} works on {day}")
        else:
            result = actions.change_holiday(
                landlord, None, day, change=HolidayChange.Change.ADD, title=options["holiday"]
            )
            self.stdout.write(f"{day} is a one-off bank holiday for {landlord}")
        self.stdout.write(f"Deadlines moved on {len(result.changed)} of {result.complaints} open complaints")

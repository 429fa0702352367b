"""The working-day calendar (CODE.md "Working day"), checked against GOV.UK's published dates."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from putright.rules.calendar import (
    BankHolidaySource,
    CalendarRangeError,
    Region,
    WorkingCalendar,
    default_source,
    packaged_govuk_data,
    validate_govuk_data,
)
from tests.conftest import shared_data_file

ENGLAND = WorkingCalendar(Region.ENGLAND_AND_WALES)
SCOTLAND = WorkingCalendar(Region.SCOTLAND)
NORTHERN_IRELAND = WorkingCalendar(Region.NORTHERN_IRELAND)
CALENDARS = {
    Region.ENGLAND_AND_WALES: ENGLAND,
    Region.SCOTLAND: SCOTLAND,
    Region.NORTHERN_IRELAND: NORTHERN_IRELAND,
}


@pytest.mark.parametrize("region", list(Region))
def test_calendar_matches_govuk_published_dates_every_day_2012_to_2028(region: Region) -> None:
    feed = json.loads(shared_data_file("bank-holidays.json").read_text())
    published = {date.fromisoformat(event["date"]) for event in feed[region.value]["events"]}
    calendar = CALENDARS[region]
    day, mismatches = date(2012, 1, 1), []
    while day <= date(2028, 12, 31):
        expected = day.weekday() < 5 and day not in published
        if calendar.is_working_day(day) != expected:
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


def test_one_off_holidays_of_2022_and_2023_are_not_working_days() -> None:
    assert not ENGLAND.is_working_day(date(2022, 6, 2))  # Platinum Jubilee
    assert not ENGLAND.is_working_day(date(2022, 6, 3))
    assert not ENGLAND.is_working_day(date(2022, 9, 19))  # State Funeral of Queen Elizabeth II
    assert not ENGLAND.is_working_day(date(2023, 5, 8))  # Coronation of King Charles III
    assert ENGLAND.is_working_day(date(2022, 5, 30))  # the Spring bank holiday moved to 2 June that year


def test_regions_differ_where_their_bank_holidays_differ() -> None:
    st_andrews_day_2026 = date(2026, 11, 30)
    st_patricks_day_2026 = date(2026, 3, 17)
    assert not SCOTLAND.is_working_day(st_andrews_day_2026)
    assert ENGLAND.is_working_day(st_andrews_day_2026)
    assert not NORTHERN_IRELAND.is_working_day(st_patricks_day_2026)
    assert ENGLAND.is_working_day(st_patricks_day_2026)
    assert not ENGLAND.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert SCOTLAND.is_working_day(date(2026, 4, 6))  # not a bank holiday in Scotland


def test_adding_working_days_across_christmas() -> None:
    # Friday 20 December 2024: 23, 24, 27, 30, 31 December are the next five working days.
    assert ENGLAND.add_working_days(date(2024, 12, 20), 5) == date(2024, 12, 31)
    assert ENGLAND.working_days_between(date(2024, 12, 20), date(2024, 12, 31)) == 5


def test_adding_working_days_across_easter() -> None:
    # Thursday 17 April 2025; Good Friday 18th and Easter Monday 21st are bank holidays.
    assert ENGLAND.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)
    assert SCOTLAND.add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 21)


def test_day_zero_is_the_start_and_a_weekend_start_counts_monday_as_day_one() -> None:
    saturday = date(2024, 6, 1)
    assert ENGLAND.add_working_days(saturday, 0) == saturday
    assert ENGLAND.add_working_days(saturday, 1) == date(2024, 6, 3)
    assert ENGLAND.add_working_days(saturday, 5) == date(2024, 6, 7)
    assert ENGLAND.next_working_day(date(2024, 6, 7)) == date(2024, 6, 10)
    assert ENGLAND.working_day_on_or_after(saturday) == date(2024, 6, 3)
    assert ENGLAND.working_day_on_or_after(date(2024, 6, 3)) == date(2024, 6, 3)


def test_counting_is_zero_or_negative_when_the_second_date_is_not_later() -> None:
    monday, friday = date(2024, 6, 3), date(2024, 6, 7)
    assert ENGLAND.working_days_between(monday, monday) == 0
    assert ENGLAND.working_days_between(friday, monday) == -4
    assert ENGLAND.working_days_between(date(2024, 6, 8), date(2024, 6, 9)) == 0  # a weekend


def test_a_landlords_closure_days_are_not_working_days() -> None:
    calendar = WorkingCalendar(closures=[date(2024, 12, 27), date(2024, 12, 30), date(2024, 12, 31)])
    assert not calendar.is_working_day(date(2024, 12, 30))
    assert calendar.add_working_days(date(2024, 12, 20), 5) == date(2025, 1, 6)


def test_a_landlord_can_add_and_remove_one_off_holidays() -> None:
    calendar = WorkingCalendar(extra_holidays=[date(2026, 7, 20)], removed_holidays=[date(2026, 8, 31)])
    assert not calendar.is_working_day(date(2026, 7, 20))
    assert calendar.is_working_day(date(2026, 8, 31))
    titles = {holiday.date: holiday.source for holiday in calendar.holidays_in(2026)}
    assert titles[date(2026, 7, 20)] == "landlord"
    assert date(2026, 8, 31) not in titles


def test_govuk_wins_and_computed_dates_fill_years_it_has_not_published() -> None:
    source = default_source()
    assert max(source.published_years(Region.ENGLAND_AND_WALES)) == 2028
    holidays_2030 = source.holidays(Region.ENGLAND_AND_WALES, [2030])
    assert {h.source for h in holidays_2030} == {"computed"}
    assert date(2030, 12, 25) in {h.date for h in holidays_2030}
    assert not ENGLAND.is_working_day(date(2030, 12, 25))
    assert {h.source for h in source.holidays(Region.SCOTLAND, [2026])} == {"gov.uk"}
    # the computed list has a one-off Scottish holiday GOV.UK's shipped copy lacks; GOV.UK wins
    assert SCOTLAND.is_working_day(date(2026, 6, 15))


def test_disagreements_between_the_sources_are_listed() -> None:
    found = default_source().disagreements(Region.SCOTLAND)
    assert [(d.date, d.govuk_title) for d in found] == [(date(2026, 6, 15), None)]
    assert "World Cup" in (found[0].computed_title or "")
    assert default_source().disagreements(Region.ENGLAND_AND_WALES) == []


def test_a_source_with_a_one_off_holiday_uses_it() -> None:
    data = packaged_govuk_data()
    data["england-and-wales"]["events"].append({"title": "One-off holiday", "date": "2027-06-07"})
    calendar = WorkingCalendar(source=BankHolidaySource(validate_govuk_data(data)))
    assert not calendar.is_working_day(date(2027, 6, 7))


def test_malformed_bank_holiday_data_is_refused() -> None:
    with pytest.raises(ValueError, match="no list of events for scotland"):
        validate_govuk_data({"england-and-wales": {"events": []}})
    with pytest.raises(ValueError):
        validate_govuk_data({r.value: {"events": [{"title": "x", "date": "not a date"}]} for r in Region})


def test_dates_far_outside_the_supported_years_are_refused() -> None:
    with pytest.raises(CalendarRangeError, match="outside the years"):
        ENGLAND.is_working_day(date(1066, 10, 14))
    with pytest.raises(ValueError, match="must not be negative"):
        ENGLAND.add_working_days(date(2024, 1, 1), -1)


def test_the_calendar_extends_itself_for_later_years() -> None:
    calendar = WorkingCalendar(first_year=2024, last_year=2025)
    assert calendar.add_working_days(date(2025, 12, 31), 300) > date(2026, 12, 31)
    assert not calendar.is_working_day(date(2090, 12, 25))


def test_region_names_are_parsed_and_unknown_ones_named() -> None:
    assert Region.parse(" Scotland ") is Region.SCOTLAND
    with pytest.raises(ValueError, match="unknown region 'wales'"):
        Region.parse("wales")


days = st.dates(min_value=date(2012, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)
regions = st.sampled_from(list(Region))


@settings(max_examples=300, deadline=None)
@given(days, counts, regions)
def test_adding_then_counting_gives_the_number_back(start: date, n: int, region: Region) -> None:
    calendar = CALENDARS[region]
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=400), regions)
def test_results_are_working_days_after_the_start(start: date, n: int, region: Region) -> None:
    calendar = CALENDARS[region]
    result = calendar.add_working_days(start, n)
    assert result > start
    assert result.weekday() < 5
    assert calendar.is_working_day(result)


@settings(max_examples=300, deadline=None)
@given(days, counts, counts)
def test_adding_more_days_never_gives_an_earlier_date(start: date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert ENGLAND.add_working_days(start, low) <= ENGLAND.add_working_days(start, high)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_adding_in_two_steps_from_a_working_day_equals_adding_once(start: date, a: int, b: int) -> None:
    start = ENGLAND.working_day_on_or_after(start)
    assert ENGLAND.add_working_days(ENGLAND.add_working_days(start, a), b) == ENGLAND.add_working_days(start, a + b)


@settings(max_examples=300, deadline=None)
@given(days, days)
def test_counting_is_antisymmetric_and_matches_a_day_by_day_count(a: date, b: date) -> None:
    assert ENGLAND.working_days_between(a, b) == -ENGLAND.working_days_between(b, a)
    low, high = sorted((a, b))
    if (high - low).days <= 60:
        by_hand = sum(ENGLAND.is_working_day(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))
        assert ENGLAND.working_days_between(low, high) == by_hand


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=1, max_value=60))
def test_every_day_skipped_is_not_a_working_day(start: date, n: int) -> None:
    result = ENGLAND.add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (result - start).days)]
    assert sum(ENGLAND.is_working_day(day) for day in between) == n - 1

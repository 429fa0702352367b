"""The measures dashboard at a glance: the headline first, each figure beside the same days a year earlier,
linked to its table and chart lower on the page, with filters folded until one is chosen."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Stage
from putright.insight import headline, measures
from putright.insight.periods import Period
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year

# The session, the user, their staff record and their landlord; then the contact restrictions (5.14) and the
# open stages of today and of a year ago, one query each, around the measures for the period and for the year
# before it.
SIGNED_IN, RESTRICTIONS, OPEN_NOW_AND_THEN = 3, 1, 2  # the session, the user, their places


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def card(page: str, name: str) -> str:
    """The words of one headline figure, as a screen reader reads them (the arrows are hidden from it)."""
    start = page.index(f'id="headline-{name}"')
    html = page[start : page.index("</li>", start)]
    return text_of(re.sub(r'<span class="putright-headline__arrow" aria-hidden="true">.</span>', "", html))


def headline_section(page: str) -> str:
    start = page.index('id="headline"')
    return page[start : page.index("</section>", start)]


def queries_of_the_measures(year: KnownYear, period: Period) -> int:
    with CaptureQueriesContext(connection) as counted:
        measures.compute(year.cast.landlord, period)
    return len(counted)


@time_machine.travel(BUILT_ON, tick=False)
class DashboardHeadlineTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        cls.cast = cls.year.cast

    def page(self, **query: str) -> str:
        self.client.force_login(self.cast.officer)
        response = self.client.get("/staff/insight/", query)
        assert response.status_code == 200
        return response.content.decode()

    def test_the_headline_comes_first_with_only_the_folded_filters_above_it(self) -> None:
        page = self.page(year="2024")
        assert page.index('id="headline"') < page.index('id="tsm"') < page.index('id="trends"')
        # Nothing but the period and its folded filters stands between the page's title and the headline.
        between = page[page.index("<h1") : page.index('id="headline"')]
        assert "<table" not in between and "<svg" not in between and "govuk-details" in between

    def test_the_headline_shows_the_measures_of_the_period_and_of_the_same_days_a_year_earlier(self) -> None:
        now = measures.compute(self.cast.landlord, Period.reporting_year(2024))
        before = measures.compute(self.cast.landlord, Period.reporting_year(2023))
        # The known year by hand: 10 stage 1 complaints from 2,130 rented homes (2 from 2,100 the year before:
        # L and P); 8 of 10 stage 1 responses on time (L's, the year before, on time); 10 of 11 stage 1
        # acknowledgements on time (L's and P's the year before); stage 2: 1 of 2 responses and acknowledgements.
        assert (now.stage1.lcra.per_1000, before.stage1.lcra.per_1000) == (4.7, 1.0)
        assert (now.stage1.within_timescale, before.stage1.within_timescale) == (
            measures.Share(8, 10),
            measures.Share(1, 1),
        )
        assert (now.stage1.acknowledged_within, before.stage1.acknowledged_within) == (
            measures.Share(10, 11),
            measures.Share(2, 2),
        )
        assert (now.stage2.within_timescale, before.stage2.within_timescale) == (
            measures.Share(1, 2),
            measures.Share(0, 0),
        )

        self.client.force_login(self.cast.officer)
        response = self.client.get("/staff/insight/", {"year": "2024"})
        shown = response.context["headline"]
        assert shown.period == now.period and shown.previous == before.period == Period.reporting_year(2023)
        ch02_stage1 = headline.Change(80.0, 100.0, now.stage1.within_timescale, before.stage1.within_timescale)
        assert shown.within_timescale.stage1 == ch02_stage1 and ch02_stage1.direction == "down"
        assert shown.per_1000_lcho.stage1 == headline.Change(now.stage1.lcho.per_1000, before.stage1.lcho.per_1000)

        page = response.content.decode()
        ch01 = card(page, "ch01")
        assert "Stage 1 4.7 Up from 1.0 a year earlier" in ch01
        assert f"Stage 2 {now.stage2.lcra.per_1000} Up from 0.0 a year earlier" in ch01
        assert "low-cost home ownership homes: stage 1 11.8 (up from 0.0); stage 2 11.8 (up from 0.0)" in ch01
        ch02 = card(page, "ch02")
        assert "Stage 1 80.0% 8 of 10 Down from 100.0% (1 of 1) a year earlier" in ch02
        assert "Stage 2 50.0% 1 of 2 A year earlier: none" in ch02
        acknowledged = card(page, "acknowledged")
        assert "Stage 1 90.9% 10 of 11 Down from 100.0% (2 of 2) a year earlier" in acknowledged
        # Never colour alone: the arrows are decoration beside the words, hidden from screen readers.
        assert '<span class="putright-headline__arrow" aria-hidden="true">▼</span> Down from' in page

    def test_a_figure_that_did_not_move_says_so_and_one_with_nothing_to_count_says_that(self) -> None:
        same = headline.Change(50.0, 50.0, measures.Share(1, 2), measures.Share(2, 4))
        assert (same.direction, headline.Change(None, 3.0).direction, headline.Change(2.0, None).direction) == (
            "the same",
            "",
            "",
        )
        # February 2025 had no stage 1 responses, nor had February 2024: the page says so in words.
        page = self.page(start_0="1", start_1="2", start_2="2025", end_0="28", end_1="2", end_2="2025")
        assert "Stage 1 – none in the period A year earlier: none" in card(page, "ch02")

    def test_overdue_and_open_now_count_the_open_stages_of_today_for_the_landlord_only(self) -> None:
        cast = self.cast
        # N (received 24 March, never acknowledged) is open and overdue. Add one logged today (not yet due),
        # one whose response was due on 17 June (overdue), and a stage 2 asked for on 27 June (not yet due).
        log(cast, BUILT_ON)
        acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
        actions.escalate(self.year["C"], cast.officer, requested_on=date(2025, 6, 27))
        counted = headline.open_stages(cast.landlord, "", BUILT_ON)
        assert counted.stages == [(1, 3, 2, 1, 1), (2, 1, 0, 0, 0)]
        assert headline.open_stages(cast.landlord, "damp-mould", BUILT_ON).stages == [(1, 0, 0, 0, 0), (2, 0, 0, 0, 0)]

        # Read back from the stages' dates, today's figures are the same as the complaint rows say.
        assert headline.open_stages_on(cast.landlord, "", BUILT_ON) == counted

        # A year before, on 30 June 2024, nothing was open: A had been answered on 17 June, B came on 1 July.
        page = self.page(year="2024")
        assert "Stage 1 2 Up from 0 a year earlier Stage 2 0 The same as 0 a year earlier" in card(page, "overdue")
        assert "on 30 June 2024" in card(page, "overdue")
        assert "Stage 1 3 Up from 0 a year earlier Stage 2 1 Up from 0 a year earlier" in card(page, "open")
        table = text_of(page[page.index('id="open-now-table"') : page.index("</table>", page.index('id="open-now"'))])
        assert "Stage 1 3 2 1 1 Stage 2 1 0 0 0" in table
        assert 'href="/staff/team/?overdue=on"' in page

        self.client.force_login(cast.stranger)
        stranger = self.client.get("/staff/insight/", {"year": "2024"}).content.decode()
        assert "Stage 1 0 The same as 0 a year earlier Stage 2 0 The same as 0" in card(stranger, "overdue")

    def test_a_year_ago_the_due_date_is_the_one_before_any_later_extension(self) -> None:
        # F's response was due on 18 November 2024; its extension was recorded, late, on 20 November.
        f = self.year["F"].stages.get(number=1)
        assert (f.response_due, f.extensions.get().previous_due) == (date(2024, 11, 25), date(2024, 11, 18))
        on_19th = headline.open_stages_on(self.cast.landlord, "", date(2024, 11, 19))
        assert on_19th.stages == [(1, 1, 1, 0, 1), (2, 0, 0, 0, 0)]  # F, overdue for its response
        on_20th = headline.open_stages_on(self.cast.landlord, "", date(2024, 11, 20))
        assert on_20th.stages == [(1, 1, 0, 0, 0), (2, 0, 0, 0, 0)]  # extended to 25 November that day
        # N, received on 24 March 2025, was open and not yet due on the 25th; H, refused in February, was not open.
        assert headline.open_stages_on(self.cast.landlord, "", date(2025, 3, 25)).open == (1, 0)
        assert headline.open_stages_on(self.cast.landlord, "asb", date(2025, 2, 11)).open == (1, 0)
        assert headline.open_stages_on(self.cast.landlord, "asb", date(2025, 2, 12)).open == (0, 0)

    def test_every_headline_link_leads_to_a_part_of_the_page_below_it(self) -> None:
        page = self.page(year="2024")
        section = headline_section(page)
        targets = re.findall(r'href="#([^"]+)"', section)
        assert len(targets) >= 8  # each figure's table, and the charts where there is one
        for target in targets + ["tsm", "open-now", "trends", "breakdowns"]:
            assert page.count(f'id="{target}"') == 1, target
            assert page.index(f'id="{target}"') > page.index('id="headline"'), target
        assert {"trend-monthly-received", "trend-monthly-stage1-timeliness", "breakdown-acknowledge-days"} <= set(
            targets
        )

    def test_the_filters_are_folded_until_one_is_chosen_or_must_be_corrected(self) -> None:
        folded = self.page()
        assert '<details class="govuk-details putright-dashboard__filters" id="filters">' in folded
        chosen = self.page(year="2024", service_area="damp-mould")
        assert 'id="filters" open>' in chosen
        assert "damp and mould only" in chosen
        wrong = self.page(start_0="1", start_1="7", start_2="2024")
        assert 'id="filters" open>' in wrong and "Enter both the first and the last day, or neither" in wrong

    def test_every_chart_keeps_its_table_in_a_region_that_scrolls_by_itself(self) -> None:
        page = self.page(year="2024")
        assert page.count('role="img"') == 13
        regions = re.findall(r'<div class="putright-scroll" role="region" aria-label="([^"]+)" tabindex="0">', page)
        assert sum(label.endswith(": the figures") for label in regions) == 13
        assert len(set(regions)) == len(regions)  # each region named apart from the others

    def test_the_dashboard_runs_the_same_queries_however_many_complaints_there_are(self) -> None:
        self.client.force_login(self.cast.officer)
        self.client.get("/staff/insight/", {"year": "2024"})  # the landlord's calendar is read once per process
        per_period = queries_of_the_measures(self.year, Period.reporting_year(2024))
        expected = SIGNED_IN + 2 * per_period + RESTRICTIONS + OPEN_NOW_AND_THEN
        with self.assertNumQueries(expected):
            self.client.get("/staff/insight/", {"year": "2024"})
        cast = self.cast
        for day in range(1, 20):
            received = date(2024, 11, day)
            respond(cast, acknowledge(cast, log(cast, received), received), date(2024, 12, 2))
            received = date(2023, 11, day)
            acknowledge(cast, log(cast, received), received)
            log(cast, date(2025, 6, day))
        with self.assertNumQueries(expected):
            page = self.client.get("/staff/insight/", {"year": "2024"}).content.decode()
        # N, and 38 more past their dates; a year before, the 19 acknowledged in November 2023 were overdue.
        assert "Stage 1 39 Up from 19 a year earlier" in card(page, "overdue")


class DashboardKeptForTodayTests(TransactionTestCase):
    """The current period's figures and the open stages are kept for a few minutes under the landlord's insight
    generation and today's date. These tests commit, as a server does: nothing is kept inside a transaction."""

    cast: Cast

    def setUp(self) -> None:
        caches["insight"].clear()
        with time_machine.travel(date(2024, 9, 2), tick=False):
            self.cast = make_cast()
            log(self.cast, date(2024, 9, 2))

    def visit(self) -> tuple[Any, int]:
        self.client.force_login(self.cast.officer)
        with CaptureQueriesContext(connection) as counted:
            response = self.client.get("/staff/insight/", {"year": "2024"})
        assert response.status_code == 200
        return response.context, len(counted)

    @time_machine.travel(date(2024, 9, 2), tick=False)
    def test_a_second_reader_is_answered_from_the_cache_and_any_change_is_counted_at_once(self) -> None:
        first, counted_afresh = self.visit()
        second, from_the_cache = self.visit()
        assert second["headline"].open_now == first["headline"].open_now
        assert second["headline"].open_now.open == (1, 0)
        assert (
            second["figures"] == first["figures"] == measures.compute(self.cast.landlord, Period.reporting_year(2024))
        )
        # The current year and the open stages are no longer counted, only their keys read.
        assert from_the_cache < counted_afresh - 5

        log(self.cast, date(2024, 9, 2))  # the action's Event moves the generation on as it commits

        third, counted_again = self.visit()
        assert third["headline"].open_now.open == (2, 0)
        assert third["figures"] == measures.compute(self.cast.landlord, Period.reporting_year(2024))
        assert third["figures"] != first["figures"]
        assert counted_again > from_the_cache + 5

    def test_a_deadline_passed_at_midnight_is_counted_though_nothing_changed(self) -> None:
        due = Stage.objects.get(landlord=self.cast.landlord).acknowledge_due
        london = ZoneInfo("Europe/London")
        with time_machine.travel(datetime.combine(due, time(23, 58), london), tick=False):
            before, _ = self.visit()
        # Three minutes later, well within the few minutes the figures are kept, but on the next day.
        with time_machine.travel(datetime.combine(due + timedelta(days=1), time(0, 1), london), tick=False):
            after, _ = self.visit()
        assert (before["headline"].open_now.overdue(1), after["headline"].open_now.overdue(1)) == (0, 1)

"""The measures of closed periods kept in the cache, and made out of date by any change to what they count.

These tests commit their transactions (TransactionTestCase), as a server does: the cache is never read
inside a transaction, and the insight generation moves on only when an action's transaction commits.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date

import time_machine
from django.core.cache import caches
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions, insight_generation
from putright.complaints.models import Stage
from putright.insight import cache as figures_cache
from putright.insight import measures
from putright.insight.measures import Share
from putright.insight.periods import Period
from tests.cast import Cast, acknowledge, log, make_cast, respond

YEAR_2024 = Period.reporting_year(2024)  # 1 April 2024 to 31 March 2025


class ClosedPeriodCacheTests(TransactionTestCase):
    cast: Cast

    def setUp(self) -> None:
        caches["insight"].clear()
        with time_machine.travel(date(2024, 6, 3), tick=False):
            self.cast = make_cast()
            self.complaint = acknowledge(self.cast, log(self.cast, date(2024, 6, 3)), date(2024, 6, 3))

    def key(self) -> str:
        return figures_cache.closed_period_key(
            self.cast.landlord, YEAR_2024.start, YEAR_2024.end, "", YEAR_2024.year_starting
        )

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_a_cached_closed_year_changes_when_a_late_response_is_recorded_for_it(self) -> None:
        before = measures.compute(self.cast.landlord, YEAR_2024)
        assert before.stage1.responded == 0
        with self.assertNumQueries(1):  # the generation, read with the landlord's row; the figures from the cache
            assert measures.compute(self.cast.landlord, YEAR_2024) == before

        # Recorded in June 2025 for a response sent on 20 March 2025, long after its deadline in June 2024.
        respond(self.cast, self.complaint, date(2025, 3, 20))

        after = measures.compute(self.cast.landlord, YEAR_2024)
        assert after.stage1.responded == 1
        assert after.stage1.within_timescale == Share(0, 1)
        assert after.stage1.outcomes != before.stage1.outcomes

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_work_on_complaints_received_after_the_year_leaves_its_cached_figures_in_place(self) -> None:
        before = measures.compute(self.cast.landlord, YEAR_2024)
        generation = insight_generation.current(self.cast.landlord.pk)
        # Logged, acknowledged and answered in June 2025: nothing about it can fall in 2024/25.
        later = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 2))
        respond(self.cast, later, date(2025, 6, 2))
        assert insight_generation.current(self.cast.landlord.pk) > generation  # today's figures do change
        with self.assertNumQueries(1):
            assert measures.compute(self.cast.landlord, YEAR_2024) == before
        # The current year's own key has moved on with it.
        current = Period.reporting_year(2025)
        assert measures.compute(self.cast.landlord, current).stage1.responded == 1

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_a_change_to_what_every_year_counts_empties_every_years_figures(self) -> None:
        measures.compute(self.cast.landlord, YEAR_2024)
        with transaction.atomic():
            insight_generation.move_on(self.cast.landlord.pk)  # as a TP09 survey import does
        with CaptureQueriesContext(connection) as counted:
            measures.compute(self.cast.landlord, YEAR_2024)
        assert len(counted) > 5

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_the_open_stages_a_year_ago_are_kept_until_a_complaint_of_that_year_or_before_changes(self) -> None:
        landlord, a_year_ago = self.cast.landlord, date(2024, 6, 2)
        key = figures_cache.past_day_key(landlord, "open-stages-on", a_year_ago, "")
        acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 2))
        assert figures_cache.past_day_key(landlord, "open-stages-on", a_year_ago, "") == key
        respond(self.cast, self.complaint, date(2025, 3, 20))  # received in June 2024: 2024/25 and later
        assert figures_cache.past_day_key(landlord, "open-stages-on", a_year_ago, "") != key

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_another_landlords_change_leaves_the_cached_figures_in_place(self) -> None:
        measures.compute(self.cast.landlord, YEAR_2024)
        generation = insight_generation.current(self.cast.landlord.pk)
        insight_generation.move_on(self.cast.other_landlord.pk)
        assert insight_generation.current(self.cast.landlord.pk) == generation
        with self.assertNumQueries(1):
            measures.compute(self.cast.landlord, YEAR_2024)

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_every_action_on_a_complaint_moves_its_landlords_generation_on_once_committed(self) -> None:
        generation = insight_generation.current(self.cast.landlord.pk)
        other = insight_generation.current(self.cast.other_landlord.pk)
        respond(self.cast, self.complaint, date(2025, 3, 20))
        assert insight_generation.current(self.cast.landlord.pk) > generation
        assert insight_generation.current(self.cast.other_landlord.pk) == other

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_an_action_rolled_back_moves_nothing_on(self) -> None:
        generation = insight_generation.current(self.cast.landlord.pk)
        with suppress(RuntimeError), transaction.atomic():
            respond(self.cast, self.complaint, date(2025, 3, 20))
            raise RuntimeError("the rest of the change failed")
        assert insight_generation.current(self.cast.landlord.pk) == generation

    @time_machine.travel(date(2024, 9, 2), tick=False)
    def test_the_current_year_is_counted_afresh_every_time(self) -> None:
        current = Period.reporting_year(2024)
        with CaptureQueriesContext(connection) as first:
            measures.compute(self.cast.landlord, current)
        with CaptureQueriesContext(connection) as second:
            measures.compute(self.cast.landlord, current)
        assert len(first) == len(second) > 5

    @time_machine.travel(date(2025, 6, 2), tick=False)
    def test_nothing_is_cached_inside_a_transaction(self) -> None:
        with transaction.atomic():
            measures.compute(self.cast.landlord, YEAR_2024)
        assert caches["insight"].get(self.key()) is None
        measures.compute(self.cast.landlord, YEAR_2024)
        assert caches["insight"].get(self.key()) is not None


class StageLandlordTests(TransactionTestCase):
    @time_machine.travel(date(2024, 6, 3), tick=False)
    def test_both_stages_carry_their_complaints_landlord(self) -> None:
        cast = make_cast()
        complaint = respond(cast, acknowledge(cast, log(cast, date(2024, 6, 3)), date(2024, 6, 3)), date(2024, 6, 3))
        actions.escalate(complaint, cast.officer, requested_on=date(2024, 6, 3))
        stages = Stage.objects.filter(complaint=complaint).order_by("number")
        assert [(stage.number, stage.landlord_id) for stage in stages] == [
            (1, cast.landlord.pk),
            (2, cast.landlord.pk),
        ]

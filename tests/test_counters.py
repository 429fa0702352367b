"""Counters kept in the database (putright.counters): one more per call, made where missing, never lost."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import TestCase, TransactionTestCase

from putright.counters import count_up
from putright.portal.models import RateCounter
from tests.conftest import needs_postgresql

WINDOW = datetime(2026, 12, 6, 22, 0, tzinfo=UTC)
KEY = ("key", "window_start")


class CountUpTests(TestCase):
    def test_a_missing_row_starts_at_one_and_each_call_adds_one_in_the_order_asked(self) -> None:
        assert count_up(RateCounter, "count", KEY, [("a", WINDOW)]) == [1]
        assert count_up(RateCounter, "count", KEY, [("b", WINDOW), ("a", WINDOW)]) == [1, 2]
        assert count_up(RateCounter, "count", KEY, [("a", WINDOW), ("b", WINDOW)]) == [3, 2]
        assert dict(RateCounter.objects.values_list("key", "count")) == {"a": 3, "b": 2}

    def test_another_window_is_another_counter(self) -> None:
        count_up(RateCounter, "count", KEY, [("a", WINDOW)])
        later = WINDOW.replace(hour=23)
        assert count_up(RateCounter, "count", KEY, [("a", later)]) == [1]
        assert RateCounter.objects.filter(key="a").count() == 2

    def test_nothing_asked_touches_nothing_and_rows_must_differ_in_their_first_value(self) -> None:
        assert count_up(RateCounter, "count", KEY, []) == []
        with pytest.raises(AssertionError, match="first value"):
            count_up(RateCounter, "count", KEY, [("a", WINDOW), ("a", WINDOW.replace(hour=23))])
        assert not RateCounter.objects.exists()


@needs_postgresql("row locks between threads")
class CountUpAtOnceTests(TransactionTestCase):
    def test_eight_requests_at_once_each_get_their_own_count(self) -> None:
        barrier = threading.Barrier(8)
        counts: list[int] = []

        def one() -> None:
            try:
                barrier.wait()
                counts.extend(count_up(RateCounter, "count", KEY, [("same", WINDOW)]))
            finally:
                connection.close()

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(counts) == list(range(1, 9))
        assert RateCounter.objects.get(key="same").count == 8

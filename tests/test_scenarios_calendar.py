"""Deadlines across Christmas, Easter and the one-off bank holidays of 2022 and 2023, with the clock moved."""

from __future__ import annotations

from datetime import date

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint, Event, Stage
from putright.landlords.actions import set_holiday_change
from putright.landlords.models import HolidayChange
from tests.cast import acknowledge, log, make_cast


class CalendarScenarioTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_complaint_received_before_christmas_2024(self) -> None:
        with time_machine.travel(date(2024, 12, 20), tick=False):
            complaint = log(self.cast, date(2024, 12, 20))
        assert complaint.next_due == date(2024, 12, 31)  # 23, 24, 27, 30, 31 December
        with time_machine.travel(date(2024, 12, 31), tick=False):
            complaint = acknowledge(self.cast, complaint, date(2024, 12, 31))
        assert complaint.next_due == date(2025, 1, 15)  # New Year's Day skipped

    def test_a_landlords_christmas_closure_moves_open_deadlines(self) -> None:
        with time_machine.travel(date(2024, 12, 20), tick=False):
            complaint = log(self.cast, date(2024, 12, 20))
            result = actions.change_closure_day(
                self.cast.landlord, self.cast.officer, date(2024, 12, 27), reason="Office closed"
            )
        complaint.refresh_from_db()
        assert result.changed == [complaint.reference]
        assert complaint.next_due == date(2025, 1, 2)
        assert Stage.objects.get(complaint=complaint).acknowledge_due == date(2025, 1, 2)
        event = Event.objects.get(complaint=complaint, kind="deadlines-recomputed")
        assert (event.before["acknowledge_due"], event.after["acknowledge_due"]) == ("2024-12-31", "2025-01-02")
        with time_machine.travel(date(2024, 12, 20), tick=False):
            actions.change_closure_day(self.cast.landlord, self.cast.officer, date(2024, 12, 27), clear=True)
        complaint.refresh_from_db()
        assert complaint.next_due == date(2024, 12, 31)

    def test_across_easter_2025(self) -> None:
        with time_machine.travel(date(2025, 4, 16), tick=False):
            complaint = log(self.cast, date(2025, 4, 16))
        assert complaint.next_due == date(2025, 4, 25)  # Good Friday and Easter Monday skipped

    def test_across_the_platinum_jubilee_2022(self) -> None:
        with time_machine.travel(date(2022, 5, 31), tick=False):
            complaint = log(self.cast, date(2022, 5, 31))
        assert complaint.reference == "ASH-2022-00001"
        assert complaint.next_due == date(2022, 6, 9)  # 2 and 3 June 2022 were bank holidays

    def test_across_the_state_funeral_2022_and_the_coronation_2023(self) -> None:
        with time_machine.travel(date(2022, 9, 16), tick=False):
            funeral = log(self.cast, date(2022, 9, 16))
        with time_machine.travel(date(2023, 5, 5), tick=False):
            coronation = log(self.cast, date(2023, 5, 5))
        assert funeral.next_due == date(2022, 9, 26)  # 19 September skipped
        assert coronation.next_due == date(2023, 5, 15)  # 8 May skipped

    def test_a_one_off_holiday_added_by_the_landlord_counts_for_new_complaints(self) -> None:
        set_holiday_change(self.cast.landlord, date(2025, 7, 14), HolidayChange.Change.ADD, "Local holiday")
        self.cast.landlord.refresh_from_db()
        with time_machine.travel(date(2025, 7, 11), tick=False):
            complaint = log(self.cast, date(2025, 7, 11))
        assert Complaint.objects.get(pk=complaint.pk).next_due == date(2025, 7, 21)

    def test_recomputing_deadlines_costs_the_same_queries_however_many_complaints(self) -> None:
        counts = []
        for extra in (2, 8):
            with time_machine.travel(date(2024, 12, 20), tick=False):
                for _ in range(extra):
                    log(self.cast, date(2024, 12, 20))
                with CaptureQueriesContext(connection) as queries:
                    actions.recompute_deadlines(self.cast.landlord, self.cast.officer, "a test")
            counts.append(len(queries))
        assert counts[0] == counts[1]

"""Two people changing one complaint at once: the second is told, never silently overwritten."""

from __future__ import annotations

import threading
from datetime import date

import time_machine
from django.db import connection
from django.test import TransactionTestCase

from putright.complaints import actions
from putright.complaints.errors import ComplaintError, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, Stage
from tests.cast import acknowledge, log, make_cast
from tests.conftest import needs_postgresql

TODAY = date(2025, 6, 16)


@needs_postgresql("row locks between threads")
class ConcurrentChangeTests(TransactionTestCase):
    def run_together(self, *steps) -> list[object]:  # type: ignore[no-untyped-def]
        results: list[object] = [None] * len(steps)
        barrier = threading.Barrier(len(steps))

        def run(i: int) -> None:
            try:
                with time_machine.travel(TODAY, tick=False):
                    barrier.wait()
                    results[i] = steps[i]()
            except ComplaintError as error:
                results[i] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(steps))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def test_two_acknowledgements_at_once_give_one_acknowledgement_and_one_clear_refusal(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            cast = make_cast()
            complaint = log(cast, date(2025, 6, 9))
        results = self.run_together(
            lambda: acknowledge(cast, complaint, TODAY, actor=cast.officer),
            lambda: acknowledge(cast, complaint, TODAY, actor=cast.manager),
        )
        refusals = [r for r in results if isinstance(r, TransitionNotAllowed)]
        assert len(refusals) == 1 and "is stage 1 open, so you cannot acknowledge it" in refusals[0].message
        assert Event.objects.filter(complaint=complaint, kind="acknowledged").count() == 1
        assert Stage.objects.get(complaint=complaint).points.count() == 2

    def test_two_edits_from_the_same_version_give_one_change_and_one_stale_version(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            cast = make_cast()
            complaint = acknowledge(cast, log(cast, date(2025, 6, 9)), date(2025, 6, 10), actor=cast.officer)
        version = complaint.version
        results = self.run_together(
            lambda: actions.extend(
                complaint,
                cast.officer,
                days=3,
                reason="A",
                expected_version=version,
            ),
            lambda: actions.extend(
                complaint,
                cast.manager,
                days=4,
                reason="B",
                expected_version=version,
            ),
        )
        assert sum(isinstance(r, StaleVersion) for r in results) == 1
        assert Stage.objects.get(complaint=complaint).extension_days in (3, 4)
        assert Complaint.objects.get(pk=complaint.pk).version == version + 1

    def test_references_stay_unique_when_complaints_are_logged_at_once(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            cast = make_cast()
        results = self.run_together(*[lambda: log(cast, TODAY) for _ in range(6)])
        references = sorted(r.reference for r in results if isinstance(r, Complaint))
        assert references == [f"ASH-2025-{n:05d}" for n in range(1, 7)]

"""Two copies of one submission arriving at once (a double click on a slow line) make one complaint."""

from __future__ import annotations

import threading
from datetime import date

import time_machine
from django.db import connection
from django.test import Client, TransactionTestCase

from putright.complaints.models import Complaint
from putright.portal.models import Submission
from tests.cast import make_cast
from tests.conftest import needs_postgresql
from tests.portal_support import BASE, answer_all, submit

TODAY = date(2025, 6, 16)


@needs_postgresql("concurrent writers between threads")
class ConcurrentSubmissionTests(TransactionTestCase):
    def test_the_same_submission_twice_at_once_makes_one_complaint(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            make_cast()
            first = Client()
            token = answer_all(first)
        second = Client()
        second.cookies = first.cookies  # the same browser, sending twice
        barrier = threading.Barrier(2)
        locations: list[str] = []

        def send(client: Client) -> None:
            try:
                with time_machine.travel(TODAY, tick=False):
                    barrier.wait()
                    locations.append(submit(client, token)["Location"])
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(client,)) for client in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert locations == [f"{BASE}/complain/sent/"] * 2
        assert Complaint.objects.count() == 1 and Submission.objects.count() == 1

"""Staff see their own landlord's complaints only, and lists cost the same at any size."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.test import TestCase

from putright.complaints import access, actions, queries
from putright.complaints.models import Complaint
from tests.cast import acknowledge, log, make_cast, respond

TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class AccessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 9))

    def test_staff_of_another_landlord_see_nothing(self) -> None:
        assert not access.complaints_visible_to(self.cast.stranger).exists()
        with pytest.raises(Complaint.DoesNotExist):
            access.get_complaint_for_staff(self.cast.stranger, self.complaint.reference)
        with pytest.raises(Complaint.DoesNotExist):
            queries.complaint_record(self.cast.stranger, self.complaint.reference)

    def test_people_who_are_not_staff_see_nothing(self) -> None:
        outsider = User.objects.create_user("visitor", "v@example.org", "a-long-password")
        inactive = self.cast.handler
        inactive.is_active = False
        for user in (outsider, AnonymousUser(), None, inactive):
            assert not access.complaints_visible_to(user).exists()

    def test_every_role_at_the_landlord_can_read_and_the_auditor_only_read(self) -> None:
        for user in (self.cast.handler, self.cast.reviewer, self.cast.officer, self.cast.manager, self.cast.auditor):
            assert access.get_complaint_for_staff(user, self.complaint.reference.lower()) == self.complaint
        staff = access.staff_of(self.cast.auditor)
        assert staff is not None
        assert access.can(staff, access.Capability.READ, self.complaint)
        changes = [capability for capability in access.Capability if capability is not access.Capability.READ]
        assert not any(access.can(staff, capability, self.complaint) for capability in changes)

    def test_references_are_found_whatever_the_case_and_spacing(self) -> None:
        found = access.get_complaint_for_staff(self.cast.officer, f"  {self.complaint.reference.lower()} ")
        assert found == self.complaint


@time_machine.travel(TODAY, tick=False)
class QueryCostTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def add_complaints(self, count: int) -> None:
        for i in range(count):
            complaint = log(self.cast, date(2025, 6, 2 + i % 10))
            if i % 3 == 0:
                acknowledge(self.cast, complaint, date(2025, 6, 12))

    def test_the_worklist_costs_one_query_at_any_size(self) -> None:
        self.add_complaints(3)
        officer = User.objects.get(pk=self.cast.officer.pk)
        with self.assertNumQueries(2):  # the user's staff row, then the page
            small = queries.worklist(officer, queries.WorklistFilter(open_only=True))
        self.add_complaints(30)
        officer = User.objects.get(pk=self.cast.officer.pk)
        with self.assertNumQueries(2):
            large = queries.worklist(officer, queries.WorklistFilter(open_only=True, stage=1))
        assert len(small) == 3 and len(large) == 33
        dues = [c.next_due for c in large]
        assert dues == sorted(dues)

    def test_keyset_pages_visit_every_complaint_once_in_deadline_order(self) -> None:
        self.add_complaints(23)
        responded = respond(self.cast, acknowledge(self.cast, log(self.cast, TODAY), TODAY), TODAY)
        seen: list[Complaint] = []
        after = None
        while True:
            page = queries.worklist(self.cast.officer, queries.WorklistFilter(), after=after, limit=5)
            if not page:
                break
            seen.extend(page)
            after = (page[-1].next_due, page[-1].pk)
        assert len(seen) == len({c.pk for c in seen}) == 24
        assert seen[-1] == responded  # no deadline: last
        dated = [c.next_due for c in seen if c.next_due]
        assert dated == sorted(dated)

    def test_filters(self) -> None:
        self.add_complaints(10)
        officer = self.cast.officer
        overdue = queries.worklist(officer, queries.WorklistFilter(overdue_on=TODAY))
        assert overdue and all(c.next_due and c.next_due < TODAY for c in overdue)
        mine = queries.worklist(officer, queries.WorklistFilter(handler_id=self.cast.handler.pk))
        assert mine and all(c.handler_id == self.cast.handler.pk for c in mine)
        window = queries.worklist(
            officer, queries.WorklistFilter(received_from=date(2025, 6, 3), received_to=date(2025, 6, 4))
        )
        assert {c.received_on for c in window} == {date(2025, 6, 3), date(2025, 6, 4)}
        assert not queries.worklist(self.cast.stranger, queries.WorklistFilter())

    def test_the_whole_record_costs_the_same_however_many_events(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        officer = User.objects.get(pk=self.cast.officer.pk)
        # staff, complaint, stages, points, extensions, remedies, service areas, actions, events
        with self.assertNumQueries(9):
            queries.complaint_record(officer, complaint.reference)
        for i in range(20):
            actions.request_clarification(complaint, self.cast.handler, on=TODAY, question=f"Question {i}")
        officer = User.objects.get(pk=self.cast.officer.pk)
        with self.assertNumQueries(9):
            record = queries.complaint_record(officer, complaint.reference)
        # Each clarification request also issues its letter: two events each.
        assert len(record.events.all()) == 1 + 2 + 20 * 2

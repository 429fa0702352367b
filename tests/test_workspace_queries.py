"""The queries and the action the workspace added to the domain: found through the access layer,
in a fixed number of queries, and never another landlord's."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import access, actions, queries
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import Complaint, Event
from putright.documents.limits import ATTACHMENT_MAX_BYTES
from putright.people.models import ReasonableAdjustment, Vulnerability
from tests.cast import acknowledge, log, make_cast, respond

TODAY = date(2025, 6, 16)  # a Monday


def assigned(cast, complaint: Complaint, user) -> Complaint:  # type: ignore[no-untyped-def]
    return actions.assign_handler(complaint, cast.officer, handler=user, conflict_of_interest=False)


@time_machine.travel(TODAY, tick=False)
class StaffWorklistTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.rosa = assigned(cls.cast, log(cls.cast, date(2025, 6, 2)), cls.cast.handler)
        cls.amir = assigned(
            cls.cast,
            log(cls.cast, date(2025, 6, 12), resident=actions.ResidentDetails(name="Amir Patel"), service_area="asb"),
            cls.cast.handler,
        )
        cls.omars = assigned(cls.cast, log(cls.cast, date(2025, 6, 13)), cls.cast.other_handler)
        Vulnerability.objects.create(person=cls.amir.person, description="Hearing loss", disclosed_on=TODAY)
        ReasonableAdjustment.objects.create(person=cls.rosa.person, kind="large-print", agreed_on=TODAY)

    def mine(self, search: queries.WorkSearch | None = None, **filters: object) -> list[str]:
        found = queries.staff_worklist(
            self.cast.handler,
            queries.WorklistFilter(handler_id=self.cast.handler.pk, **filters),  # type: ignore[arg-type]
            search or queries.WorkSearch(),
        )
        return [c.reference for c in found]

    def test_marks_residents_with_vulnerabilities_or_adjustments(self) -> None:
        found = {c.reference: c for c in queries.staff_worklist(self.cast.handler, queries.WorklistFilter())}
        assert found[self.amir.reference].resident_vulnerable and not found[self.amir.reference].resident_adjusted
        assert found[self.rosa.reference].resident_adjusted and not found[self.rosa.reference].resident_vulnerable
        assert not found[self.omars.reference].resident_vulnerable

    def test_finds_by_reference_number_or_part_of_the_name(self) -> None:
        assert self.mine(queries.WorkSearch(text=self.amir.reference.lower())) == [self.amir.reference]
        assert self.mine(queries.WorkSearch(text="2")) == [self.amir.reference]  # ASH-2025-00002
        assert self.mine(queries.WorkSearch(text="patel")) == [self.amir.reference]
        assert self.mine(queries.WorkSearch(text="nobody")) == []

    def test_filters_vulnerable_unassigned_and_active(self) -> None:
        assert sorted(self.mine(queries.WorkSearch(vulnerable=True))) == sorted(
            [self.rosa.reference, self.amir.reference]
        )
        unassigned = log(self.cast, TODAY)
        found = queries.staff_worklist(self.cast.officer, queries.WorklistFilter(), queries.WorkSearch(unassigned=True))
        assert [c.reference for c in found] == [unassigned.reference]

    def test_orders_by_deadline_and_pages_by_keyset(self) -> None:
        assert self.mine() == [self.rosa.reference, self.amir.reference]
        first = queries.staff_worklist(
            self.cast.handler, queries.WorklistFilter(handler_id=self.cast.handler.pk), limit=1
        )
        rest = queries.staff_worklist(
            self.cast.handler,
            queries.WorklistFilter(handler_id=self.cast.handler.pk),
            after=(first[0].priority, first[0].next_due, first[0].pk),
        )
        assert [c.reference for c in rest] == [self.amir.reference]

    def test_one_query_whatever_the_filters(self) -> None:
        handler = type(self.cast.handler).objects.get(pk=self.cast.handler.pk)
        access.places(handler)  # their places are read once per request, before the page
        with self.assertNumQueries(1):
            queries.staff_worklist(
                handler,
                queries.WorklistFilter(overdue_on=TODAY, stage=1),
                queries.WorkSearch(text="rosa", vulnerable=True, active_only=True),
            )

    def test_another_landlord_sees_nothing(self) -> None:
        assert queries.staff_worklist(self.cast.stranger, queries.WorklistFilter()) == []
        assert queries.similar_open_complaints(self.cast.stranger, name="Rosa Resident") == []


@time_machine.travel(TODAY, tick=False)
class SimilarComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.open = log(cls.cast, date(2025, 6, 2))

    def test_the_same_email_phone_tenancy_or_name_is_the_same_resident(self) -> None:
        for details in (
            {"name": "R. Resident", "email": "ROSA@example.org"},
            {"name": "R. Resident", "phone": "07700 900123"},
            {"name": "rosa resident"},
        ):
            assert queries.similar_open_complaints(self.cast.handler, **details) == [self.open]  # type: ignore[arg-type]
        assert queries.similar_open_complaints(self.cast.handler, name="Someone Else", email="x@example.org") == []

    def test_ended_complaints_are_not_similar(self) -> None:
        actions.withdraw(self.open, self.cast.officer, how="By phone", on=TODAY)
        assert queries.similar_open_complaints(self.cast.handler, name="Rosa Resident") == []


@time_machine.travel(TODAY, tick=False)
class OutstandingActionTests(TestCase):
    def test_actions_on_my_complaints_or_mine_to_do_soonest_first(self) -> None:
        cast = make_cast()
        complaint = acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
        respond(
            cast,
            complaint,
            TODAY,
            actions=[
                actions.ActionInput("Replace the boiler", date(2025, 6, 30), cast.other_handler),
                actions.ActionInput("Check the radiators", date(2025, 6, 20)),
            ],
        )
        mine = queries.outstanding_actions(cast.handler)
        assert [a.description for a in mine] == ["Check the radiators", "Replace the boiler"]
        assert [a.description for a in queries.outstanding_actions(cast.other_handler)] == ["Replace the boiler"]
        assert queries.outstanding_actions(cast.stranger) == []
        with pytest.raises(type(mine[0]).DoesNotExist):
            queries.outstanding_action_for_staff(cast.stranger, mine[0].pk)


@time_machine.travel(TODAY, tick=False)
class HandlerChoiceAndPreviewTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_stage_1_handler_is_never_offered_for_stage_2(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        stage1 = {u.username for u in queries.colleagues_who_can_handle(complaint, 1, None)}
        assert stage1 == {"hana.handler", "omar.handler", "rita.reviewer", "olu.officer", "mei.manager"}
        stage2 = {u.username for u in queries.colleagues_who_can_handle(complaint, 2, self.cast.officer.pk)}
        assert stage2 == {"rita.reviewer", "mei.manager"}  # 6.13; handlers do not review

    def test_an_extension_preview_counts_working_days_and_the_cap(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        stage = complaint.stages.get()
        preview = queries.extension_preview(complaint, stage, 5)
        assert preview.current_due == date(2025, 6, 17) and preview.new_due == date(2025, 6, 24)
        assert not preview.needs_good_reason
        assert queries.extension_preview(complaint, stage, 11).needs_good_reason  # 6.4: over 10 days

    def test_the_acceptance_window_is_the_policy_in_force_on_the_day_received(self) -> None:
        inside = queries.acceptance_preview(self.cast.landlord, date(2024, 6, 16), TODAY)
        outside = queries.acceptance_preview(self.cast.landlord, date(2024, 6, 15), date(2025, 6, 16))
        assert inside.inside and not outside.inside and outside.last_day == date(2025, 6, 15)


@time_machine.travel(TODAY, tick=False)
class AttachFileTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 2))

    def test_records_the_document_on_the_timeline_and_moves_the_version_on(self) -> None:
        event = actions.attach_file(
            self.complaint,
            self.cast.handler,
            name="photo.jpg",
            content_type="image/jpeg",
            size=2048,
            description="Damp in the bedroom",
            expected_version=self.complaint.version,
        )
        assert event.kind == "attachment-added" and event.actor == self.cast.handler
        assert event.summary == "Document added: photo.jpg (JPEG image, 2 KB): Damp in the bedroom"
        assert Complaint.objects.get(pk=self.complaint.pk).version == self.complaint.version + 1

    def test_refuses_other_types_empty_and_large_files(self) -> None:
        for content_type, size, message in (
            ("text/html", 10, "must be a PDF"),
            ("application/pdf", 0, "is empty"),
            ("application/pdf", ATTACHMENT_MAX_BYTES + 1, "smaller than 10 MB"),
        ):
            with pytest.raises(InvalidInput) as refused:
                actions.attach_file(self.complaint, self.cast.handler, name="x", content_type=content_type, size=size)
            assert message in refused.value.errors["file"]
        assert not Event.objects.filter(kind="attachment-added").exists()

    def test_an_auditor_or_another_landlord_cannot_add_one(self) -> None:
        for user in (self.cast.auditor, self.cast.stranger):
            with pytest.raises(NotPermitted):
                actions.attach_file(self.complaint, user, name="x.pdf", content_type="application/pdf", size=10)

"""Working a stage: assignment, acknowledgement, clarification, extensions, update intervals, new issues."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Complaint, DefinitionPoint, Event, Extension, Stage, Status
from putright.correspondence.models import Letter
from putright.rules.letters import LetterType
from tests.cast import acknowledge, log, make_cast, respond

RECEIVED = date(2025, 6, 2)  # a Monday
TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class AssignTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_officer_assigns_a_handler_who_declares_no_conflict_5_8(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, RECEIVED), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        stage = Stage.objects.get(complaint=complaint)
        assert stage.handler == self.cast.handler and complaint.handler == self.cast.handler
        assert stage.conflict_declaration.startswith("No conflict of interest declared")
        assert Event.objects.filter(complaint=complaint, kind="assigned").count() == 1

    def test_a_declared_conflict_or_no_declaration_is_refused_5_8(self) -> None:
        complaint = log(self.cast, RECEIVED)
        for declared in (True, None):
            with pytest.raises(InvalidInput) as caught:
                actions.assign_handler(
                    complaint, self.cast.officer, handler=self.cast.handler, conflict_of_interest=declared
                )
            assert "(5.8)" in caught.value.errors["conflict_of_interest"]

    def test_a_handler_may_take_an_unassigned_complaint_but_not_reassign_one(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, RECEIVED), self.cast.handler, handler=self.cast.handler, conflict_of_interest=False
        )
        with pytest.raises(NotPermitted):
            actions.assign_handler(
                complaint, self.cast.other_handler, handler=self.cast.other_handler, conflict_of_interest=False
            )

    def test_only_this_landlords_staff_can_be_assigned(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            actions.assign_handler(
                log(self.cast, RECEIVED), self.cast.officer, handler=self.cast.stranger, conflict_of_interest=False
            )
        assert caught.value.errors["handler"] == "Choose a member of this landlord's staff"
        with pytest.raises(InvalidInput):
            actions.assign_handler(
                log(self.cast, RECEIVED), self.cast.officer, handler=self.cast.auditor, conflict_of_interest=False
            )

    def test_the_stage_2_reviewer_is_never_the_stage_1_handler_6_13(self) -> None:
        complaint = respond(self.cast, acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED), date(2025, 6, 9))
        complaint = actions.escalate(complaint, self.cast.officer, requested_on=date(2025, 6, 10))
        with pytest.raises(InvalidInput) as caught:
            actions.assign_handler(complaint, self.cast.officer, handler=self.cast.handler, conflict_of_interest=False)
        assert "(6.13)" in caught.value.errors["handler"]
        # nor may the stage 1 handler act at stage 2, even as a complaints officer would
        with pytest.raises(NotPermitted, match="6.13"):
            acknowledge(self.cast, complaint, date(2025, 6, 11), actor=self.cast.handler)
        actions.assign_handler(complaint, self.cast.officer, handler=self.cast.reviewer, conflict_of_interest=False)
        assert Stage.objects.get(complaint=complaint, number=2).handler == self.cast.reviewer


@time_machine.travel(TODAY, tick=False)
class AcknowledgeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_acknowledging_records_the_definition_and_starts_the_response_clock_5_6_5_7_6_3(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 4))
        stage = Stage.objects.get(complaint=complaint)
        assert complaint.status == Status.STAGE1_OPEN and stage.acknowledged_on == date(2025, 6, 4)
        assert stage.understanding and stage.outcomes_sought
        assert stage.responsible_for and stage.not_responsible_for  # 5.7
        assert list(DefinitionPoint.objects.filter(stage=stage).values_list("number", flat=True)) == [1, 2]
        assert stage.response_due == complaint.next_due == date(2025, 6, 18)
        assert stage.handler == self.cast.handler  # the acknowledging handler takes it
        event = Event.objects.get(complaint=complaint, kind="acknowledged")
        assert (event.before["status"], event.after["status"]) == ("received", "stage1-open")
        assert event.actor == self.cast.handler

    def test_an_acknowledgement_without_a_definition_is_refused_5_6(self) -> None:
        complaint = log(self.cast, RECEIVED)
        with pytest.raises(InvalidInput) as caught:
            acknowledge(self.cast, complaint, RECEIVED, understanding=" ", outcomes_sought="", points=[])
        assert set(caught.value.errors) == {"understanding", "outcomes_sought", "points"}
        complaint.refresh_from_db()
        assert complaint.status == Status.RECEIVED and complaint.version == 1

    def test_a_late_acknowledgement_is_recorded_as_late(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 13))
        event = Event.objects.get(complaint=complaint, kind="acknowledged")
        assert event.after["late"] is True and "after its deadline of 9 June 2025" in event.summary

    def test_acknowledging_twice_or_in_the_future_is_refused(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED)
        with pytest.raises(TransitionNotAllowed, match="stage 1 open"):
            acknowledge(self.cast, complaint, RECEIVED)
        with pytest.raises(InvalidInput, match="future"):
            acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 17))

    def test_roles_that_may_not_acknowledge(self) -> None:
        complaint = log(self.cast, RECEIVED)
        with pytest.raises(NotPermitted):
            acknowledge(self.cast, complaint, RECEIVED, actor=self.cast.auditor)
        with pytest.raises(NotPermitted):
            acknowledge(self.cast, complaint, RECEIVED, actor=self.cast.stranger)
        actions.assign_handler(complaint, self.cast.officer, handler=self.cast.handler, conflict_of_interest=False)
        with pytest.raises(NotPermitted):
            acknowledge(self.cast, complaint, RECEIVED, actor=self.cast.other_handler)

    def test_a_request_for_clarification_is_recorded_5_6(self) -> None:
        complaint = actions.request_clarification(
            log(self.cast, RECEIVED), self.cast.handler, on=RECEIVED, question="Which appointment was missed?"
        )
        assert Stage.objects.get(complaint=complaint).clarification_requested_on == RECEIVED
        assert "Which appointment" in Event.objects.get(complaint=complaint, kind="clarification-requested").summary

    def test_a_stale_copy_is_refused_and_nothing_is_overwritten(self) -> None:
        complaint = log(self.cast, RECEIVED)
        stale_version = complaint.version
        actions.request_clarification(
            complaint, self.cast.handler, on=RECEIVED, question="When?", expected_version=stale_version
        )
        with pytest.raises(StaleVersion, match="changed by someone else"):
            acknowledge(self.cast, complaint, RECEIVED, expected_version=stale_version)
        assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


@time_machine.travel(TODAY, tick=False)
class ExtendTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def open_complaint(self) -> Complaint:
        return acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 3))  # response due 17 June

    def test_an_extension_moves_the_deadline_and_records_the_notice_6_4_6_5(self) -> None:
        complaint = self.open_complaint()
        extension = actions.extend(complaint, self.cast.handler, days=10, reason="Awaiting a surveyor's report")
        assert (extension.previous_due, extension.new_due) == (date(2025, 6, 17), date(2025, 7, 1))
        assert not extension.late
        complaint.refresh_from_db()
        assert complaint.next_due == date(2025, 7, 1)
        assert Event.objects.get(complaint=complaint, kind="extended").after["response_due"] == "2025-07-01"

    def test_the_notice_is_putrights_letter_issued_today_with_the_ombudsmans_details_6_5_6_16(self) -> None:
        complaint = self.open_complaint()
        extension = actions.extend(complaint, self.cast.handler, days=5, reason="Awaiting a surveyor's report")
        # What Putright did, recorded by the action: nobody attests to it.
        assert extension.resident_told_on == TODAY and extension.ombudsman_details_given is True
        assert extension.told_by_phone_on is None
        letter = Letter.objects.get(complaint=complaint, letter_type=LetterType.EXTENSION)
        assert letter.issued_on == TODAY
        assert "Housing Ombudsman" in letter.html

    def test_a_phone_call_as_well_is_recorded_with_its_date(self) -> None:
        complaint = self.open_complaint()
        extension = actions.extend(
            complaint, self.cast.handler, days=5, reason="Awaiting a report", told_by_phone_on=date(2025, 6, 13)
        )
        assert extension.told_by_phone_on == date(2025, 6, 13)
        summary = Event.objects.get(complaint=complaint, kind="extended").summary
        assert "also told by phone on 13 June 2025" in summary

    def test_a_phone_call_cannot_be_in_the_future_or_before_the_stage(self) -> None:
        complaint = self.open_complaint()
        for day, message in ((date(2025, 6, 17), "in the future"), (date(2025, 5, 30), "cannot be before")):
            with pytest.raises(InvalidInput) as caught:
                actions.extend(complaint, self.cast.handler, days=5, reason="x", told_by_phone_on=day)
            assert message in caught.value.errors["told_by_phone_on"]
        assert Extension.objects.count() == 0

    def test_the_attestations_are_no_longer_taken(self) -> None:
        with pytest.raises(TypeError):
            actions.extend(  # type: ignore[call-arg]
                self.open_complaint(),
                self.cast.handler,
                days=5,
                reason="Complex",
                resident_told_on=TODAY,
                ombudsman_details_given=True,
            )

    def test_beyond_the_cap_only_with_a_good_reason_6_4(self) -> None:
        complaint = self.open_complaint()
        actions.extend(complaint, self.cast.handler, days=6, reason="Report")
        with pytest.raises(InvalidInput) as caught:
            actions.extend(
                complaint,
                self.cast.handler,
                days=5,
                reason="More",
            )
        assert "total 11 working days, more than the 10 allowed without one" in caught.value.errors["good_reason"]
        extension = actions.extend(
            complaint,
            self.cast.handler,
            days=5,
            reason="More",
            good_reason="The contractor went into administration",
        )
        assert extension.good_reason

    def test_the_stage_2_cap_is_the_policys_6_15(self) -> None:
        complaint = respond(self.cast, self.open_complaint(), date(2025, 6, 10))
        complaint = actions.escalate(complaint, self.cast.officer, requested_on=date(2025, 6, 11))
        complaint = acknowledge(self.cast, complaint, date(2025, 6, 12), actor=self.cast.reviewer)
        extension = actions.extend(
            complaint,
            self.cast.reviewer,
            days=20,
            reason="Independent review",
        )
        assert extension.good_reason == ""

    def test_an_extension_recorded_after_the_deadline_is_marked_late(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 5, 12)), date(2025, 5, 13))  # due 28 May
        extension = actions.extend(complaint, self.cast.handler, days=5, reason="Missed")
        assert extension.late is True
        assert "after the deadline had passed" in Event.objects.get(complaint=complaint, kind="extended").summary

    def test_bad_lengths_and_states_are_refused(self) -> None:
        complaint = self.open_complaint()
        for days in (0, -3, 61):
            with pytest.raises(InvalidInput) as caught:
                actions.extend(
                    complaint,
                    self.cast.handler,
                    days=days,
                    reason="x",
                )
            assert "from 1 to 60" in caught.value.errors["days"]
        responded = respond(self.cast, complaint, TODAY)
        with pytest.raises(TransitionNotAllowed):
            actions.extend(responded, self.cast.handler, days=5, reason="x")

    def test_an_update_interval_is_agreed_when_a_response_will_be_late_5_9(self) -> None:
        complaint = actions.agree_update_interval(
            self.open_complaint(), self.cast.handler, every_days=5, agreed_on=TODAY
        )
        stage = Stage.objects.get(complaint=complaint)
        assert (stage.update_interval_days, stage.next_update_due) == (5, date(2025, 6, 23))
        with pytest.raises(InvalidInput):
            actions.agree_update_interval(complaint, self.cast.handler, every_days=0, agreed_on=TODAY)


@time_machine.travel(TODAY, tick=False)
class AddIssueTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_related_issue_before_the_stage_1_response_joins_the_definition_6_8(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED)
        same = actions.add_issue(
            complaint, self.cast.handler, description="The contractor was rude", related=True, on=TODAY
        )
        assert same.pk == complaint.pk
        assert DefinitionPoint.objects.get(stage__complaint=complaint, number=3).text == "The contractor was rude"
        with pytest.raises(InvalidInput, match="point 3 has no decision"):
            respond(self.cast, complaint, TODAY)

    def test_a_related_issue_before_acknowledgement_joins_the_complaint(self) -> None:
        complaint = actions.add_issue(
            log(self.cast, RECEIVED), self.cast.handler, description="Also the lift", related=True, on=TODAY
        )
        assert "Added on 16 June 2025: Also the lift" in complaint.description

    def test_after_the_response_or_if_unrelated_it_is_a_new_linked_complaint_6_8(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED)
        unrelated = actions.add_issue(
            complaint, self.cast.handler, description="My neighbour's dog", related=False, on=TODAY
        )
        assert unrelated.pk != complaint.pk and unrelated.related_to == complaint
        responded = respond(self.cast, complaint, TODAY)
        later = actions.add_issue(responded, self.cast.handler, description="Heating again", related=True, on=TODAY)
        assert later.related_to == complaint and later.status == Status.RECEIVED
        assert Event.objects.filter(complaint=complaint, kind="issue-logged-separately").count() == 2

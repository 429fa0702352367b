"""The Code is the floor at the point of work: deadlines, caps, the window and refusals, on the four
example policies, with the cast (tests/cast.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions, queries
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.independence import independent_at_stage2, stage1_considerers
from putright.complaints.models import Complaint, Event, Stage
from putright.landlords.calendars import working_calendar
from tests.cast import Cast, acknowledge, log, make_cast, respond

TODAY = date(2025, 6, 16)  # a Monday
RECEIVED = date(2025, 6, 2)


def extend(cast: Cast, complaint: Complaint, days: int, good_reason: str = "") -> object:
    return actions.extend(
        complaint,
        cast.handler,
        days=days,
        reason="Waiting for a surveyor's report",
        good_reason=good_reason,
    )


@time_machine.travel(TODAY, tick=False)
class DartfordTests(TestCase):
    """3-month window, 7 working days to acknowledge, no extension caps stated."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("dartford-2024.toml")

    def test_the_acknowledgement_is_due_in_the_codes_5_working_days_not_7_6_2(self) -> None:
        complaint = log(self.cast, RECEIVED)
        calendar = working_calendar(self.cast.landlord)
        assert complaint.next_due == calendar.add_working_days(RECEIVED, 5) == date(2025, 6, 9)
        notes = queries.floor_notes(complaint, 1)
        # The cast's landlord is called Ashford whichever policy it follows.
        assert (
            "Ashford's policy allows 7 working days to acknowledge at stage 1; the Code's 5 working days apply (6.2)."
            in notes
        )
        assert any("(2.3)" in note for note in notes)

    def test_stage_2_is_acknowledged_in_5_working_days_too_6_11(self) -> None:
        complaint = respond(self.cast, acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED), date(2025, 6, 10))
        complaint = actions.escalate(complaint, self.cast.handler, requested_on=TODAY)
        assert complaint.next_due == working_calendar(self.cast.landlord).add_working_days(TODAY, 5)

    def test_an_issue_5_months_old_is_inside_and_cannot_be_refused_as_out_of_time_2_3(self) -> None:
        complaint = log(self.cast, TODAY, issue_date=TODAY - timedelta(days=150))
        assert complaint.inside_acceptance_window is True
        with pytest.raises(InvalidInput) as caught:
            actions.not_accept(
                complaint,
                self.cast.manager,
                ground="out-of-time",
                explanation="It happened more than three months ago.",
                ombudsman_rights_given=True,
                on=TODAY,
            )
        assert "(Code 2.3)" in caught.value.errors["ground"]
        old = log(self.cast, TODAY, issue_date=date(2024, 6, 1))
        assert old.inside_acceptance_window is False
        refused = actions.not_accept(
            old,
            self.cast.manager,
            ground="out-of-time",
            explanation="It happened more than a year ago.",
            ombudsman_rights_given=True,
            on=TODAY,
        )
        assert refused.status == "not-accepted"

    def test_a_refusal_that_slipped_through_before_the_floor_is_refused_now_2_3(self) -> None:
        # Stored under the policy's 3 months before the floor: the check reads the dates, not the flag.
        complaint = log(self.cast, TODAY, issue_date=TODAY - timedelta(days=150))
        Complaint.objects.filter(pk=complaint.pk).update(inside_acceptance_window=False)
        complaint.refresh_from_db()
        with pytest.raises(InvalidInput):
            actions.not_accept(
                complaint,
                self.cast.manager,
                ground="out-of-time",
                explanation="Old",
                ombudsman_rights_given=True,
                on=TODAY,
            )

    def test_accepting_from_outside_the_window_needs_the_discretion_note_2_3_2_5(self) -> None:
        complaint = log(self.cast, RECEIVED, issue_date=date(2024, 1, 10))
        assert complaint.inside_acceptance_window is False
        with pytest.raises(InvalidInput) as caught:
            acknowledge(self.cast, complaint, TODAY)
        assert "outside the 12-month acceptance window" in caught.value.errors["discretion_note"]
        note = "The resident was in hospital for most of last year."
        complaint = acknowledge(self.cast, complaint, TODAY, discretion_note=note)
        assert complaint.discretion_note == note
        # One given at intake is enough.
        acknowledge(self.cast, log(self.cast, RECEIVED, issue_date=date(2024, 1, 10), discretion_note=note), TODAY)

    def test_a_ground_the_code_does_not_name_needs_a_recorded_review_2_2_2_5(self) -> None:
        complaint = log(self.cast, RECEIVED)
        refusal = {
            "ground": "service-requests",
            "explanation": "This is a first report of a fault: the repair is booked.",
            "ombudsman_rights_given": True,
            "on": TODAY,
        }
        with pytest.raises(InvalidInput) as caught:
            actions.not_accept(complaint, self.cast.manager, **refusal)  # type: ignore[arg-type]
        assert set(caught.value.errors) == {"review_note"}
        review = "First report of the fault on 2 June; the repair is booked for 18 June."
        complaint = actions.not_accept(complaint, self.cast.manager, review_note=review, **refusal)  # type: ignore[arg-type]
        assert review in Event.objects.get(complaint=complaint, kind="not-accepted").summary
        # A Code ground needs none (2.2).
        actions.not_accept(
            log(self.cast, RECEIVED),
            self.cast.manager,
            ground="legal-proceedings",
            explanation="Court proceedings have started.",
            ombudsman_rights_given=True,
            on=TODAY,
        )

    def test_stored_deadlines_under_the_policy_are_brought_under_the_floor(self) -> None:
        complaint = log(self.cast, RECEIVED)
        late = working_calendar(self.cast.landlord).add_working_days(RECEIVED, 7)  # the policy's 7, as stored before
        Stage.objects.filter(complaint=complaint).update(acknowledge_due=late)
        Complaint.objects.filter(pk=complaint.pk).update(next_due=late)
        result = actions.recompute_deadlines(self.cast.landlord, None, "the Code is the floor")
        assert result.changed == [complaint.reference]
        complaint.refresh_from_db()
        assert complaint.next_due == date(2025, 6, 9)


@time_machine.travel(TODAY, tick=False)
class CheshireWestTests(TestCase):
    """6-month window, stage 1 extensions up to 20 working days, stage 2 extensions up to 10."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("cheshire-west-forhousing-2023.toml")

    def test_a_15_day_stage_1_extension_needs_a_good_reason_under_the_codes_10_6_4_6_5(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED)
        with pytest.raises(InvalidInput) as caught:
            extend(self.cast, complaint, 15)
        assert "more than the 10 allowed without one" in caught.value.errors["good_reason"]
        assert "(6.4)" in caught.value.errors["good_reason"]
        extend(self.cast, complaint, 15, good_reason="The surveyor found asbestos, so the work needs a specialist.")
        notes = queries.floor_notes(complaint, 1, ("extension_cap_days",))
        assert notes == [
            "Ashford's policy allows 20 working days to extend stage 1 without a good reason; "
            "the Code's 10 working days apply (6.4)."
        ]

    def test_its_stricter_stage_2_cap_of_10_applies_as_it_is_6_15_6_16(self) -> None:
        complaint = respond(self.cast, acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED), date(2025, 6, 10))
        complaint = actions.escalate(complaint, self.cast.handler, requested_on=TODAY)
        complaint = acknowledge(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        with pytest.raises(InvalidInput) as caught:
            actions.extend(
                complaint,
                self.cast.reviewer,
                days=12,
                reason="Waiting for a report",
            )
        assert "more than the 10 allowed without one" in caught.value.errors["good_reason"]
        assert "(6.15)" in caught.value.errors["good_reason"]

    def test_an_issue_8_months_old_is_inside_the_codes_12_months_2_3(self) -> None:
        complaint = log(self.cast, TODAY, issue_date=TODAY - timedelta(days=240))
        assert complaint.inside_acceptance_window is True
        acknowledge(self.cast, complaint, TODAY)  # accepted without a discretion note


@time_machine.travel(TODAY, tick=False)
class MedwayTests(TestCase):
    """Stricter at stage 2: 10 working days to respond."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("medway-2022.toml")

    def test_its_10_day_stage_2_response_applies_as_it_is_6_14(self) -> None:
        complaint = respond(self.cast, acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED), date(2025, 6, 10))
        complaint = actions.escalate(complaint, self.cast.handler, requested_on=TODAY)
        complaint = acknowledge(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        assert complaint.next_due == working_calendar(self.cast.landlord).add_working_days(TODAY, 10)
        assert queries.floor_notes(complaint, 2, ("respond_days",)) == []


@time_machine.travel(TODAY, tick=False)
class IndependenceTests(TestCase):
    """6.13: nobody who considered stage 1, as the record shows, considers stage 2."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("ashford-2024.toml")

    def escalated(self, responder: object = None) -> Complaint:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED)
        complaint = respond(self.cast, complaint, date(2025, 6, 10), actor=responder)  # type: ignore[arg-type]
        return actions.escalate(complaint, self.cast.handler, requested_on=TODAY)

    def test_an_officer_who_issued_the_stage_1_response_cannot_acknowledge_or_decide_stage_2(self) -> None:
        complaint = self.escalated(responder=self.cast.officer)
        assert Stage.objects.get(complaint=complaint, number=1).handler == self.cast.handler
        with pytest.raises(NotPermitted) as caught:
            acknowledge(self.cast, complaint, TODAY, actor=self.cast.officer)
        assert "6.13" in str(caught.value)
        with pytest.raises(InvalidInput) as assigned:
            actions.assign_handler(complaint, self.cast.manager, handler=self.cast.officer, conflict_of_interest=False)
        assert "(6.13)" in assigned.value.errors["handler"]
        complaint = acknowledge(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        with pytest.raises(NotPermitted):
            respond(self.cast, complaint, TODAY, actor=self.cast.officer)
        assert independent_at_stage2([complaint.pk]) == {complaint.pk: True}

    def test_a_replaced_stage_1_handler_who_defined_it_cannot_be_assigned_stage_2(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), RECEIVED, actor=self.cast.reviewer)
        actions.assign_handler(complaint, self.cast.manager, handler=self.cast.handler, conflict_of_interest=False)
        complaint = respond(self.cast, Complaint.objects.get(pk=complaint.pk), date(2025, 6, 10))
        complaint = actions.escalate(complaint, self.cast.handler, requested_on=TODAY)
        assert stage1_considerers([complaint.pk])[complaint.pk] == {self.cast.reviewer.pk, self.cast.handler.pk}
        with pytest.raises(InvalidInput) as caught:
            actions.assign_handler(complaint, self.cast.manager, handler=self.cast.reviewer, conflict_of_interest=False)
        assert "considered this complaint at stage 1" in caught.value.errors["handler"]
        actions.assign_handler(complaint, self.cast.manager, handler=self.cast.manager, conflict_of_interest=False)

    def test_the_evidence_counts_by_the_same_rule(self) -> None:
        complaint = self.escalated(responder=self.cast.officer)
        acknowledge(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        # Forced past the actions, as data from before this rule might be: the count says so.
        Stage.objects.filter(complaint=complaint, number=2).update(handler=self.cast.officer)
        assert independent_at_stage2([complaint.pk]) == {complaint.pk: False}

"""Escalation, refusals, withdrawal, closure and Ombudsman referral (2.1 to 2.5, 5.11, 6.6, 6.10 to 6.12, 6.17)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, OutstandingAction, Remedy, Stage, Status
from putright.landlords.actions import adopt_policy
from putright.rules.policy import load_policy
from tests.cast import acknowledge, log, make_cast, respond
from tests.conftest import EXAMPLE_POLICIES

RECEIVED = date(2025, 6, 2)
TODAY = date(2025, 8, 29)


@time_machine.travel(TODAY, tick=False)
class EscalationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def responded(self, on: date = date(2025, 6, 16)) -> Complaint:
        return respond(self.cast, acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 3)), on)

    def test_escalation_needs_no_reason_and_opens_stage_2_6_10_6_11_6_12(self) -> None:
        complaint = actions.escalate(self.responded(), self.cast.handler, requested_on=date(2025, 6, 20))
        stage2 = Stage.objects.get(complaint=complaint, number=2)
        assert complaint.status == Status.STAGE2_OPEN and complaint.stage == 2
        assert stage2.acknowledge_due == date(2025, 6, 27) and stage2.escalation_reason == ""
        assert "No reason needed (6.12)" in Event.objects.get(complaint=complaint, kind="escalated").summary

    def test_an_optional_reason_is_kept_for_learning(self) -> None:
        complaint = actions.escalate(
            self.responded(), self.cast.handler, requested_on=date(2025, 6, 20), reason="The boiler is still broken"
        )
        assert Stage.objects.get(complaint=complaint, number=2).escalation_reason == "The boiler is still broken"

    def test_only_a_responded_stage_1_can_be_escalated(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="only a complaint with a stage 1 response"):
            actions.escalate(log(self.cast, RECEIVED), self.cast.handler, requested_on=TODAY)
        complaint = actions.escalate(self.responded(), self.cast.handler, requested_on=date(2025, 6, 20))
        with pytest.raises(TransitionNotAllowed):
            actions.escalate(complaint, self.cast.handler, requested_on=TODAY)

    def test_the_request_cannot_come_before_the_response(self) -> None:
        with pytest.raises(InvalidInput, match="cannot be before 16 June 2025"):
            actions.escalate(self.responded(), self.cast.handler, requested_on=date(2025, 6, 10))

    def test_outside_the_policys_window_needs_a_recorded_discretion_decision_5_11(self) -> None:
        adopt_policy(self.cast.landlord, load_policy(EXAMPLE_POLICIES / "medway-2022.toml"), date(2025, 1, 1))
        complaint = self.responded()  # Medway: 20 working days to escalate, so by 14 July 2025
        assert Stage.objects.get(complaint=complaint, number=1).escalate_by == date(2025, 7, 14)
        with pytest.raises(InvalidInput) as caught:
            actions.escalate(complaint, self.cast.handler, requested_on=date(2025, 7, 15))
        assert "(5.11)" in caught.value.errors["discretion"]
        complaint = actions.escalate(
            complaint,
            self.cast.handler,
            requested_on=date(2025, 7, 15),
            discretion="The resident was in hospital until 14 July.",
        )
        assert complaint.status == Status.STAGE2_OPEN

    def test_a_complaint_closed_at_stage_1_can_still_be_escalated(self) -> None:
        complaint = self.responded()
        Remedy.objects.filter(stage__complaint=complaint).update(state="agreed")
        complaint = actions.close(complaint, self.cast.handler, on=date(2025, 6, 17))
        complaint = actions.escalate(complaint, self.cast.handler, requested_on=date(2025, 6, 20))
        assert complaint.status == Status.STAGE2_OPEN and complaint.closed_on is None

    def test_refusing_escalation_needs_a_section_2_ground_and_the_ombudsman_route_5_11(self) -> None:
        complaint = self.responded()
        with pytest.raises(NotPermitted):
            actions.refuse_escalation(
                complaint,
                self.cast.handler,
                ground="legal-proceedings",
                explanation="x",
                ombudsman_rights_given=True,
                on=TODAY,
            )
        with pytest.raises(InvalidInput) as caught:
            actions.refuse_escalation(
                complaint,
                self.cast.officer,
                ground="we-are-busy",
                explanation="",
                ombudsman_rights_given=False,
                on=TODAY,
            )
        assert set(caught.value.errors) == {"ground", "explanation", "ombudsman_rights_given"}
        refused = actions.refuse_escalation(
            complaint,
            self.cast.officer,
            ground="legal-proceedings",
            explanation="A claim was filed at court on 1 July.",
            ombudsman_rights_given=True,
            on=TODAY,
        )
        assert refused.escalation_refused and refused.status == Status.CLOSED
        assert refused.refused_by == self.cast.officer
        with pytest.raises(TransitionNotAllowed):
            actions.escalate(refused, self.cast.handler, requested_on=TODAY)


@time_machine.travel(TODAY, tick=False)
class NotAcceptedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_not_accepting_needs_a_ground_an_explanation_a_decider_and_the_ombudsman_route_2_1_2_4(self) -> None:
        complaint = log(self.cast, RECEIVED, issue_date=date(2023, 1, 5))
        refused = actions.not_accept(
            complaint,
            self.cast.officer,
            ground="out-of-time",
            explanation="The issue happened in January 2023, more than 12 months ago, and "
            "nothing suggests a reason it could not have been raised sooner.",
            ombudsman_rights_given=True,
            on=date(2025, 6, 3),
        )
        assert refused.status == Status.NOT_ACCEPTED and refused.next_due is None
        assert (refused.refusal_ground, refused.refused_by) == ("out-of-time", self.cast.officer)
        assert "right to go to the Ombudsman (2.4)" in Event.objects.get(complaint=refused, kind="not-accepted").summary

    def test_the_ground_must_be_in_the_policy_and_fit_the_facts_2_2_2_5(self) -> None:
        inside = log(self.cast, RECEIVED, issue_date=date(2025, 5, 1))
        with pytest.raises(InvalidInput) as caught:
            actions.not_accept(
                inside,
                self.cast.officer,
                ground="out-of-time",
                explanation="Too old",
                ombudsman_rights_given=True,
                on=TODAY,
            )
        assert "inside 12 months" in caught.value.errors["ground"] and "2.3" in caught.value.errors["ground"]
        with pytest.raises(InvalidInput) as caught:
            actions.not_accept(
                inside,
                self.cast.officer,
                ground="rude-resident",
                explanation="x",
                ombudsman_rights_given=True,
                on=TODAY,
            )
        assert "out-of-time, legal-proceedings, previously-considered" in caught.value.errors["ground"]

    def test_without_telling_the_resident_of_the_ombudsman_it_is_refused_2_4(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            actions.not_accept(
                log(self.cast, RECEIVED),
                self.cast.officer,
                ground="legal-proceedings",
                explanation="Court claim",
                ombudsman_rights_given=False,
                on=TODAY,
            )
        assert "(2.4)" in caught.value.errors["ombudsman_rights_given"]

    def test_only_officers_and_managers_decide_and_only_before_a_response(self) -> None:
        complaint = log(self.cast, RECEIVED)
        for person in (self.cast.handler, self.cast.reviewer, self.cast.auditor, self.cast.stranger):
            with pytest.raises(NotPermitted):
                actions.not_accept(
                    complaint,
                    person,
                    ground="legal-proceedings",
                    explanation="x",
                    ombudsman_rights_given=True,
                    on=TODAY,
                )
        responded = respond(self.cast, acknowledge(self.cast, complaint, RECEIVED), TODAY)
        with pytest.raises(TransitionNotAllowed):
            actions.not_accept(
                responded,
                self.cast.manager,
                ground="legal-proceedings",
                explanation="x",
                ombudsman_rights_given=True,
                on=TODAY,
            )


@time_machine.travel(TODAY, tick=False)
class EndingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def responded(self) -> Complaint:
        complaint = acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 3))
        return respond(
            self.cast,
            complaint,
            date(2025, 6, 16),
            actions=[actions.ActionInput("Replace the boiler", date(2025, 9, 30), self.cast.handler)],
        )

    def test_withdrawal_records_how_the_resident_said_so(self) -> None:
        complaint = actions.withdraw(
            log(self.cast, RECEIVED), self.cast.officer, how="Phone call to the handler", on=date(2025, 6, 4)
        )
        assert complaint.status == Status.WITHDRAWN and complaint.next_due is None
        with pytest.raises(InvalidInput):
            actions.withdraw(log(self.cast, RECEIVED), self.cast.officer, how="", on=TODAY)
        with pytest.raises(TransitionNotAllowed):
            actions.withdraw(complaint, self.cast.officer, how="again", on=TODAY)
        with pytest.raises(NotPermitted):
            actions.withdraw(log(self.cast, RECEIVED), self.cast.auditor, how="x", on=TODAY)

    def test_closing_needs_the_response_issued_and_remedies_agreed(self) -> None:
        with pytest.raises(TransitionNotAllowed):
            actions.close(log(self.cast, RECEIVED), self.cast.officer, on=TODAY)
        complaint = self.responded()
        with pytest.raises(InvalidInput, match="still only offered"):
            actions.close(complaint, self.cast.officer, on=TODAY)
        remedy = Remedy.objects.get(stage__complaint=complaint)
        actions.update_remedy(remedy, self.cast.handler, state="agreed", on=date(2025, 6, 20))
        with pytest.raises(TransitionNotAllowed):
            actions.update_remedy(remedy, self.cast.handler, state="offered", on=TODAY)
        closed = actions.close(complaint, self.cast.handler, on=date(2025, 6, 20))
        assert closed.status == Status.CLOSED and closed.closed_on == date(2025, 6, 20)

    def test_outstanding_actions_outlive_closure_and_are_followed_to_completion_6_6_6_17(self) -> None:
        complaint = self.responded()
        Remedy.objects.filter(stage__complaint=complaint).update(state="agreed")
        actions.close(complaint, self.cast.officer, on=date(2025, 6, 20))
        action = OutstandingAction.objects.get(complaint=complaint)
        assert "1 outstanding actions carry on" in Event.objects.get(complaint=complaint, kind="closed").summary
        actions.update_action(action, self.cast.handler, note="Boiler ordered", resident_told=True)
        done = actions.update_action(action, self.cast.handler, note="Boiler fitted", completed_on=date(2025, 8, 1))
        assert done.completed_on == date(2025, 8, 1) and done.updates.count() == 2
        with pytest.raises(TransitionNotAllowed):
            actions.update_action(done, self.cast.handler, note="again")
        with pytest.raises(NotPermitted):
            actions.update_action(action, self.cast.auditor, note="x")

    def test_an_ombudsman_referral_is_recorded_once(self) -> None:
        complaint = actions.record_ombudsman_referral(
            self.responded(), self.cast.officer, on=TODAY, ombudsman_reference="202512345"
        )
        assert complaint.ombudsman_referred_on == TODAY
        with pytest.raises(TransitionNotAllowed):
            actions.record_ombudsman_referral(complaint, self.cast.officer, on=TODAY)
        with pytest.raises(NotPermitted):
            actions.record_ombudsman_referral(self.responded(), self.cast.handler, on=TODAY)

    def test_every_action_writes_an_event_with_its_actor(self) -> None:
        complaint = self.responded()
        events = Event.objects.filter(complaint=complaint).order_by("at", "id")
        assert [(e.kind, e.actor) for e in events] == [
            ("logged", self.cast.handler),
            ("acknowledged", self.cast.handler),
            ("letter-issued", self.cast.handler),
            ("responded", self.cast.handler),
            ("letter-issued", self.cast.handler),
        ]
        assert Complaint.objects.get(pk=complaint.pk).version == 3

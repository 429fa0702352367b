"""The written response: every point answered, every element present (6.7, 6.9, 6.18, 6.19, 7.1, 5.13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, DefinitionPoint, OutstandingAction, Remedy, Stage, Status
from putright.rules.responses import OMBUDSMAN_PHONE
from tests.cast import acknowledge, log, make_cast, respond

RECEIVED = date(2025, 6, 2)
TODAY = date(2025, 6, 16)
P = actions.PointDecisionInput


@time_machine.travel(TODAY, tick=False)
class RespondTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def open(self) -> Complaint:
        return acknowledge(self.cast, log(self.cast, RECEIVED), date(2025, 6, 4))

    def test_a_complete_stage_1_response_is_issued_6_9(self) -> None:
        complaint = respond(
            self.cast,
            self.open(),
            TODAY,
            actions=[actions.ActionInput("Replace the boiler", date(2025, 7, 1), self.cast.handler)],
        )
        stage = Stage.objects.get(complaint=complaint)
        assert complaint.status == Status.STAGE1_RESPONDED and complaint.next_due is None
        assert stage.decision == "partly-upheld" and stage.responded_on == TODAY
        assert "escalate your complaint to stage 2" in stage.escalation_route  # 6.9(g)
        assert OMBUDSMAN_PHONE in stage.escalation_route
        assert [p.decision for p in DefinitionPoint.objects.filter(stage=stage)] == ["upheld", "not-upheld"]
        assert OutstandingAction.objects.get(complaint=complaint).owner == self.cast.handler

    def test_every_point_needs_a_decision_and_reasons_6_7_6_9(self) -> None:
        complaint = self.open()
        with pytest.raises(InvalidInput) as caught:
            respond(self.cast, complaint, TODAY, decisions=[P(1, "not-upheld", "")])
        message = caught.value.errors["response"]
        assert "the reasons for each decision (6.9(d)): point 1 has no reasons" in message
        assert "the decision on the complaint (6.9(c)): point 2 has no decision" in message
        assert Complaint.objects.get(pk=complaint.pk).status == Status.STAGE1_OPEN
        assert not DefinitionPoint.objects.filter(stage__complaint=complaint).exclude(decision="").exists()

    def test_an_upheld_point_needs_a_remedy_7_1(self) -> None:
        with pytest.raises(InvalidInput, match=r"must offer a remedy"):
            respond(self.cast, self.open(), TODAY, remedies=[])

    def test_a_remedy_offered_earlier_counts_5_13(self) -> None:
        complaint = self.open()
        actions.add_remedy(complaint, self.cast.handler, actions.RemedyInput("apology", "We are sorry."))
        complaint = respond(self.cast, complaint, TODAY, remedies=[])
        assert complaint.status == Status.STAGE1_RESPONDED

    def test_financial_remedies_are_itemised_7_1(self) -> None:
        remedy = actions.RemedyInput(
            "financial",
            "Compensation for heaters and distress",
            amount_quantifiable_loss=Decimal("84.20"),
            amount_distress=Decimal("150"),
        )
        complaint = respond(self.cast, self.open(), TODAY, remedies=[remedy])
        stored = Remedy.objects.get(stage__complaint=complaint)
        assert stored.total == Decimal("234.20")
        with pytest.raises(InvalidInput, match="needs an amount"):
            actions.add_remedy(complaint, self.cast.handler, actions.RemedyInput("financial", "Nothing"))
        with pytest.raises(InvalidInput, match="between"):
            actions.add_remedy(
                complaint,
                self.cast.handler,
                actions.RemedyInput("financial", "Negative", amount_distress=Decimal("-5")),
            )

    def test_a_response_cannot_come_before_acknowledgement(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="acknowledge it first"):
            respond(self.cast, log(self.cast, RECEIVED), TODAY)

    def test_unknown_points_and_decisions_are_refused(self) -> None:
        complaint = self.open()
        with pytest.raises(InvalidInput) as caught:
            respond(
                self.cast, complaint, TODAY, decisions=[P(1, "maybe", "x"), P(2, "upheld", "y"), P(9, "upheld", "z")]
            )
        assert caught.value.errors["decisions"] == "There is no point 9 in the definition"
        assert "Choose upheld" in caught.value.errors["decisions[1].decision"]

    def test_outstanding_actions_cannot_be_due_before_the_response(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            respond(self.cast, self.open(), TODAY, actions=[actions.ActionInput("Fix", date(2025, 6, 1))])
        assert "cannot be due before" in caught.value.errors["actions[0].due_on"]

    def test_the_stage_2_response_answers_every_point_and_gives_the_ombudsman_route_6_18_6_19(self) -> None:
        complaint = respond(self.cast, self.open(), date(2025, 6, 5))
        complaint = actions.escalate(complaint, self.cast.officer, requested_on=date(2025, 6, 6))
        complaint = acknowledge(self.cast, complaint, date(2025, 6, 9), actor=self.cast.reviewer)
        with pytest.raises(NotPermitted, match="6.13"):
            respond(self.cast, complaint, TODAY, actor=self.cast.handler)
        with pytest.raises(InvalidInput, match=r"the reasons for each decision \(6.19\(d\)\): point 2 has no reasons"):
            respond(
                self.cast,
                complaint,
                TODAY,
                actor=self.cast.reviewer,
                decisions=[P(1, "upheld", "Agreed"), P(2, "not-upheld", " ")],
            )
        complaint = respond(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        stage2 = Stage.objects.get(complaint=complaint, number=2)
        assert complaint.status == Status.STAGE2_RESPONDED
        assert stage2.escalation_route.startswith("This is our final response")
        assert "Housing Ombudsman Service" in stage2.escalation_route and stage2.escalate_by is None

    def test_the_auditor_and_other_handlers_cannot_respond(self) -> None:
        complaint = self.open()
        for person in (self.cast.auditor, self.cast.other_handler, self.cast.stranger):
            with pytest.raises(NotPermitted):
                respond(self.cast, complaint, TODAY, actor=person)

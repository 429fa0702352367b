"""A complaint through both stages to closure, as the Code lays it out."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.models import Event, Remedy, Status
from tests.cast import acknowledge, log, make_cast, respond


class WholeLifecycleTests(TestCase):
    @time_machine.travel(date(2025, 3, 3), tick=False)
    def test_a_complaint_goes_through_both_stages_to_closure(self) -> None:
        cast = make_cast()
        complaint = log(cast, date(2025, 1, 6))
        assert complaint.reference == "ASH-2025-00001"
        assert complaint.status == Status.RECEIVED
        assert complaint.next_due == date(2025, 1, 13)  # 6.2: five working days
        complaint = acknowledge(cast, complaint, date(2025, 1, 8))
        assert complaint.status == Status.STAGE1_OPEN
        assert complaint.next_due == date(2025, 1, 22)  # 6.3: ten working days from acknowledgement
        actions.extend(
            complaint,
            cast.handler,
            days=5,
            reason="Waiting for the contractor's report",
        )
        complaint.refresh_from_db()
        assert complaint.next_due == date(2025, 1, 29)
        complaint = respond(cast, complaint, date(2025, 1, 27))
        assert complaint.status == Status.STAGE1_RESPONDED and complaint.next_due is None
        complaint = actions.escalate(complaint, cast.officer, requested_on=date(2025, 2, 3))
        assert complaint.status == Status.STAGE2_OPEN and complaint.stage == 2
        assert complaint.next_due == date(2025, 2, 10)  # 6.11
        complaint = acknowledge(cast, complaint, date(2025, 2, 5), actor=cast.reviewer)
        assert complaint.next_due == date(2025, 3, 5)  # 6.14: twenty working days
        complaint = respond(cast, complaint, date(2025, 2, 28), actor=cast.reviewer)
        assert complaint.status == Status.STAGE2_RESPONDED
        for remedy in Remedy.objects.filter(stage__complaint=complaint):
            actions.update_remedy(remedy, cast.reviewer, state="agreed", on=date(2025, 3, 3))
        complaint = actions.close(complaint, cast.officer, on=date(2025, 3, 3))
        assert complaint.status == Status.CLOSED
        kinds = list(
            Event.objects.filter(complaint=complaint).exclude(kind="letter-issued").values_list("kind", flat=True)
        )
        assert kinds[:6] == ["logged", "acknowledged", "extended", "responded", "escalated", "acknowledged"]
        assert kinds[-1] == "closed"

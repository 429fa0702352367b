"""Where a deadline or cap shows, staff see the Code's and a line saying the policy says otherwise;
the forms take the notes the floor needs (the discretion note, the review of a ground)."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase

from putright.complaints.models import Complaint, Event, Status
from tests.cast import acknowledge, log, make_cast
from tests.test_workspace_support import acknowledge_form, complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class DartfordPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("dartford-2024.toml")

    def test_the_complaint_page_shows_the_codes_date_and_why_6_2(self) -> None:
        complaint = log(self.cast, date(2025, 6, 11))
        html = page(signed_in(self.cast.handler).get(complaint_url(complaint)))
        # 5 working days from 11 June, not the policy's 7 (which would be 20 June).
        assert "Acknowledgement by Wednesday 18 June 2025" in html
        assert "The Code applies here, not the landlord's policy." in html
        assert (
            "policy allows 7 working days to acknowledge at stage 1; the Code&#x27;s 5 working days apply (6.2)."
            in html
        )
        ack = page(signed_in(self.cast.handler).get(complaint_url(complaint, "acknowledge")))
        assert "the Code&#x27;s 5 working days apply (6.2)" in ack

    def test_the_acknowledge_form_asks_for_the_discretion_note_outside_the_window_2_3(self) -> None:
        complaint = log(self.cast, date(2025, 6, 11), issue_date=date(2024, 1, 5))
        handler = signed_in(self.cast.handler)
        assert 'name="discretion_note"' in page(handler.get(complaint_url(complaint, "acknowledge")))
        response = handler.post(
            complaint_url(complaint, "acknowledge"), acknowledge_form(complaint, TODAY, conflict_of_interest="no")
        )
        assert "record the discretion you considered" in page(response)
        assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED
        handler.post(
            complaint_url(complaint, "acknowledge"),
            acknowledge_form(
                complaint, TODAY, conflict_of_interest="no", discretion_note="In hospital for most of last year."
            ),
        )
        assert Complaint.objects.get(pk=complaint.pk).discretion_note == "In hospital for most of last year."
        inside = log(self.cast, date(2025, 6, 11), issue_date=date(2025, 1, 5))  # 5 months: inside the Code's 12
        assert 'name="discretion_note"' not in page(handler.get(complaint_url(inside, "acknowledge")))

    def test_refusing_on_the_landlords_own_ground_takes_the_review_2_2_2_5(self) -> None:
        complaint = log(self.cast, date(2025, 6, 10))
        officer = signed_in(self.cast.officer)
        form = {
            "expected_version": complaint.version,
            "ground": "service-requests",
            "explanation": "A first report of a fault: the repair is booked.",
            "ombudsman_rights_given": "on",
            **date_fields("on", TODAY),
        }
        response = officer.post(complaint_url(complaint, "not-accept"), form)
        assert "record your review" in page(response)
        officer.post(complaint_url(complaint, "not-accept"), form | {"review_note": "First report on 10 June."})
        assert Complaint.objects.get(pk=complaint.pk).status == Status.NOT_ACCEPTED
        assert "First report on 10 June." in Event.objects.get(complaint=complaint, kind="not-accepted").summary

    def test_the_extend_page_shows_the_codes_cap_where_the_policy_is_silent_6_4(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 10)), date(2025, 6, 11))
        html = page(signed_in(self.cast.handler).get(complaint_url(complaint, "extend")))
        assert "does not state this; the Code&#x27;s 10 working days apply (6.4)." in html

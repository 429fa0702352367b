"""Bad input on the person's records and the Ombudsman casework: HTML and script typed into every
text shows as text on the pages that show it, and text too long for a field is refused with a
message that says so, leaving nothing written."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import time_machine
from django.test import TestCase
from django.utils import timezone

from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.correspondence.models import ContactRecord
from putright.ombudsman import actions as ombudsman
from putright.ombudsman.models import CaseStage, OmbudsmanCase
from putright.people.models import ContactRestriction
from tests.cast import acknowledge, log, make_cast, respond
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)
SCRIPT = "<script>alert('x')</script>"
YESTERDAY_AFTERNOON = datetime.combine(TODAY - timedelta(days=1), time(14), tzinfo=timezone.get_default_timezone())
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@time_machine.travel(TODAY, tick=False)
class ScriptShowsAsTextTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))
        person = complaint.person
        actions.needs.record_adjustment(person, cls.cast.handler, kind="other", detail=f"Adjustment {SCRIPT}")
        actions.record_contact(
            complaint,
            cls.cast.handler,
            actions.ContactInput(
                kind="call-out",
                happened_at=datetime.combine(
                    TODAY - timedelta(days=1), time(14), tzinfo=timezone.get_default_timezone()
                ),
                with_whom="resident",
                summary=f"Contact {SCRIPT}",
            ),
        )
        restriction = actions.propose_restriction(
            complaint,
            cls.cast.handler,
            actions.RestrictionInput(
                behaviour=f"Behaviour {SCRIPT}",
                evidence=f"Evidence {SCRIPT}",
                scope=["single-point"],
                contact_point=f"Point {SCRIPT}",
                equality_considerations=f"Equality {SCRIPT}",
                review_on=TODAY + timedelta(days=60),
            ),
        )
        actions.decide_restriction(restriction, complaint, cls.cast.officer, approve=True)
        cls.complaint = actions.set_priority(
            fresh(complaint),
            cls.cast.officer,
            priority=1,
            complexity="complex",
            risk_factors=[],
            reason=f"Priority {SCRIPT}",
        )
        closed = respond(cls.cast, acknowledge(cls.cast, log(cls.cast, date(2025, 5, 1)), date(2025, 5, 2)), TODAY)
        case = ombudsman.open_case(
            closed, cls.cast.officer, reference="202412345", enquiry_received_on=TODAY, referred_on=TODAY
        )
        ombudsman.move_case(case, cls.cast.officer, to=CaseStage.INVESTIGATION, on=TODAY)
        case = OmbudsmanCase.objects.get(pk=case.pk)
        determination = ombudsman.record_determination(
            case, cls.cast.officer, element=f"Element {SCRIPT}", finding="maladministration", determined_on=TODAY
        )
        ombudsman.add_order(
            OmbudsmanCase.objects.get(pk=case.pk),
            cls.cast.officer,
            kind="order",
            what=f"Order {SCRIPT}",
            owner=cls.cast.handler,
            due_on=TODAY + timedelta(days=28),
            determination=determination,
        )
        cls.case = case

    def test_the_complaint_page_shows_every_text_as_typed(self) -> None:
        html = page(signed_in(self.cast.officer).get(complaint_url(self.complaint)))
        assert "<script>alert(" not in html
        for label in ("Adjustment", "Contact", "Priority", "Point"):
            assert f"{label} {ESCAPED}" in html, label

    def test_the_ombudsman_case_page_shows_every_text_as_typed(self) -> None:
        html = page(signed_in(self.cast.officer).get(f"/staff/ombudsman/{self.case.pk}/"))
        assert "<script>alert(" not in html
        assert f"Element {ESCAPED}" in html and f"Order {ESCAPED}" in html

    def test_the_restriction_and_its_letter_keep_it_text(self) -> None:
        html = page(signed_in(self.cast.officer).get(complaint_url(self.complaint)))  # officers see the detail
        assert f"Behaviour {ESCAPED}" in html and f"Evidence {ESCAPED}" in html and f"Equality {ESCAPED}" in html
        letter = self.complaint.letters.filter(letter_type="contact-restriction").get()
        assert "<script" not in letter.html and "alert(" in letter.html


@time_machine.travel(TODAY, tick=False)
class TooLongIsRefusedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def test_a_contact_summary_too_long_is_refused_and_nothing_is_kept(self) -> None:
        client = signed_in(self.cast.handler)
        response = client.post(
            complaint_url(self.complaint, "contacts/new"),
            {
                "expected_version": str(self.complaint.version),
                "kind": "call-out",
                "with_whom": "resident",
                **date_fields("on", TODAY),
                "at": "09:30",
                "summary": "x" * 20_001,
            },
        )
        assert response.status_code == 200
        assert "characters or fewer" in page(response)
        assert not ContactRecord.objects.exists()

    def test_a_restriction_with_too_long_a_behaviour_is_refused_and_nothing_is_kept(self) -> None:
        client = signed_in(self.cast.handler)
        review = TODAY + timedelta(days=60)
        response = client.post(
            complaint_url(self.complaint, "restrictions/new"),
            {
                "expected_version": str(self.complaint.version),
                "behaviour": "x" * 5_001,
                "evidence": "The call log.",
                "scope": ["written"],
                "equality_considerations": "None recorded.",
                **date_fields("review_on", review),
            },
        )
        assert response.status_code == 200
        assert "5,000 characters or fewer" in page(response)
        assert not ContactRestriction.objects.exists()

    def test_an_order_too_long_through_the_api_is_a_422_naming_the_field(self) -> None:
        from putright.api import tokens

        token = tokens.issue(self.cast.officer)[1]
        closed = respond(self.cast, self.complaint, TODAY)
        case = ombudsman.open_case(closed, self.cast.officer, reference="202412346", enquiry_received_on=TODAY)
        response = signed_in(self.cast.officer).post(
            f"/api/v1/ombudsman/cases/{case.pk}/orders",
            {"kind": "order", "what": "x" * 5_001, "owner": self.cast.handler.username, "due_on": "2025-07-01"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 422, response.content
        assert "what" in response.content.decode()
        assert not case.orders.exists()

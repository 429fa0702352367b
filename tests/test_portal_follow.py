"""Following a complaint with a one-time code: what a resident sees and may do, and never another's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.core import mail
from django.test import Client, TestCase, override_settings

from putright.complaints import actions
from putright.complaints.models import Complaint, Event, Status
from putright.correspondence.models import OutboxMessage
from putright.portal.models import AccessCode
from tests.cast import acknowledge, log, make_cast, respond
from tests.portal_support import BASE, emailed_code, follow, make_complaint

TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class FollowAComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.complaint = make_complaint(self.client)
        mail.outbox.clear()

    def _respond(self) -> None:
        acknowledge(self.cast, self.complaint, date(2025, 6, 17))
        respond(self.cast, Complaint.objects.get(pk=self.complaint.pk), date(2025, 6, 20))

    def test_the_code_is_emailed_hashed_at_rest_and_opens_the_complaint(self) -> None:
        response = self.client.post(
            f"{BASE}/follow/", {"reference": self.complaint.reference.lower(), "email": "ROSA@example.org"}
        )
        assert response["Location"] == f"{BASE}/follow/code/"
        code = emailed_code()
        stored = AccessCode.objects.get()
        assert code not in stored.code_hash and len(stored.code_hash) == 64
        opened = self.client.post(f"{BASE}/follow/code/", {"code": code})
        assert opened["Location"] == f"{BASE}/your-complaint/"
        html = self.client.get(opened["Location"]).content.decode()
        assert self.complaint.reference in html and "Received: we will acknowledge it soon" in html
        assert "16 June 2025" in html and "23 June 2025" in html
        assert "&lt;script&gt;" in html and "<script>alert" not in html

    def test_the_acknowledgement_shows_once_staff_record_it(self) -> None:
        with time_machine.travel(date(2025, 6, 18), tick=False):
            acknowledge(self.cast, self.complaint, date(2025, 6, 17))
            follow(self.client, self.complaint.reference)
            html = self.client.get(f"{BASE}/your-complaint/").content.decode()
        assert "Acknowledged" in html and "17 June 2025" in html and "The boiler has been broken since May" in html

    def test_a_code_works_once(self) -> None:
        follow(self.client, self.complaint.reference)
        code = emailed_code()
        other = Client()
        other.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        assert other.post(f"{BASE}/follow/code/", {"code": code}).status_code == 200  # the old code is spent

    def test_a_code_expires(self) -> None:
        self.client.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        code = emailed_code()
        with time_machine.travel(datetime(2025, 6, 16, 0, 20, tzinfo=UTC), tick=False):
            response = self.client.post(f"{BASE}/follow/code/", {"code": code})
        assert response.status_code == 200 and "expired" in response.content.decode()

    def test_a_code_can_be_tried_only_five_times(self) -> None:
        self.client.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        code = emailed_code()
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            html = self.client.post(f"{BASE}/follow/code/", {"code": wrong}).content.decode()
            assert "The code is not right" in html and "<title>Error: Enter the code" in html
        assert self.client.post(f"{BASE}/follow/code/", {"code": code}).status_code == 200
        assert self.client.get(f"{BASE}/your-complaint/")["Location"] == f"{BASE}/follow/"

    def test_a_wrong_email_or_reference_sends_nothing_and_says_nothing_different(self) -> None:
        for reference, email in (
            (self.complaint.reference, "mallory@example.org"),
            ("ASH-2025-99999", "rosa@example.org"),
        ):
            response = self.client.post(f"{BASE}/follow/", {"reference": reference, "email": email})
            assert response["Location"] == f"{BASE}/follow/code/"
            page = self.client.get(response["Location"]).content.decode()
            assert "If the reference and email address match a complaint" in page
            assert self.client.post(f"{BASE}/follow/code/", {"code": "123456"}).status_code == 200
        assert len(mail.outbox) == 0 and AccessCode.objects.count() == 0

    def test_a_resident_never_sees_another_residents_complaint(self) -> None:
        other = log(self.cast, date(2025, 6, 10), resident=actions.ResidentDetails(name="Bo", email="bo@example.org"))
        medway = Client()
        medway_complaint = make_complaint(medway, "/medway")
        follow(self.client, self.complaint.reference)
        # Rosa's email with Bo's reference, and Bo's reference at the wrong landlord: nothing is sent.
        mail.outbox.clear()
        self.client.post(f"{BASE}/follow/", {"reference": other.reference, "email": "rosa@example.org"})
        self.client.post("/medway/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        assert len(mail.outbox) == 0
        # Rosa's session opens only her complaint, and only at Ashford.
        html = self.client.get(f"{BASE}/your-complaint/").content.decode()
        assert self.complaint.reference in html and other.reference not in html
        assert self.client.get("/medway/your-complaint/")["Location"] == "/medway/follow/"
        assert medway_complaint.reference not in self.client.get(f"{BASE}/your-complaint/").content.decode()
        # A code issued for one complaint cannot open another through a guessed challenge.
        assert self.client.get(f"{BASE}/your-complaint/{other.reference}/").status_code == 404
        assert Client().get(f"{BASE}/your-complaint/")["Location"] == f"{BASE}/follow/"

    def test_adding_information_joins_the_record_and_the_handler_is_told(self) -> None:
        follow(self.client, self.complaint.reference)
        response = self.client.post(
            f"{BASE}/your-complaint/add-information/", {"information": "<b>Photos</b> attached"}
        )
        assert response["Location"] == f"{BASE}/your-complaint/"
        event = Event.objects.get(complaint=self.complaint, kind="information-added")
        assert event.actor is None and "by the resident" in event.summary
        # No handler yet: the complaints officer is told, by email through the outbox.
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_INFORMATION)
        assert notice.complaint == self.complaint and "<b>Photos</b> attached" in notice.body
        assert notice.to_user == self.cast.officer and notice.to_address == "olu.officer@example.org"
        assert "We have added your information" in self.client.get(response["Location"]).content.decode()

    def test_the_resident_escalates_without_giving_a_reason(self) -> None:
        with time_machine.travel(date(2025, 6, 23), tick=False):
            self._respond()
            follow(self.client, self.complaint.reference)
            assert "Ask for stage 2" in self.client.get(f"{BASE}/your-complaint/").content.decode()
            response = self.client.post(f"{BASE}/your-complaint/escalate/", {"why": ""})
        assert response["Location"] == f"{BASE}/your-complaint/"
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert complaint.status == Status.STAGE2_OPEN and complaint.stage == 2
        event = Event.objects.get(complaint=complaint, kind="escalated")
        assert event.actor is None and "by the resident" in event.summary and "No reason needed" in event.summary

    def test_escalation_after_the_window_is_recorded_for_staff_to_decide(self) -> None:
        with time_machine.travel(date(2025, 6, 23), tick=False):
            self._respond()
            complaint = Complaint.objects.get(pk=self.complaint.pk)
            complaint.stages.filter(number=1).update(escalate_by=date(2025, 6, 21))
            result = actions.resident_escalate(complaint, requested_on=date(2025, 6, 23), why="Still cold")
        assert not result.opened and result.complaint.status == Status.STAGE1_RESPONDED
        event = Event.objects.get(complaint=complaint, kind="escalation-requested")
        assert event.actor is None and "staff must accept it" in event.summary and "Still cold" in event.summary

    def test_escalation_is_not_offered_before_the_stage_1_response(self) -> None:
        follow(self.client, self.complaint.reference)
        response = self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "now"})
        assert response.status_code == 200 and "once we have sent our stage 1 response" in response.content.decode()
        assert Complaint.objects.get(pk=self.complaint.pk).stage == 1

    def test_the_resident_withdraws_their_complaint(self) -> None:
        follow(self.client, self.complaint.reference)
        self.client.post(f"{BASE}/your-complaint/withdraw/", {"why": "Fixed now"})
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert complaint.status == Status.WITHDRAWN and complaint.next_due is None
        event = Event.objects.get(complaint=complaint, kind="withdrawn")
        assert event.actor is None and "Withdrawn by the resident" in event.summary

    def test_signing_out_ends_access(self) -> None:
        follow(self.client, self.complaint.reference)
        self.client.post(f"{BASE}/follow/sign-out/")
        assert self.client.get(f"{BASE}/your-complaint/")["Location"] == f"{BASE}/follow/"

    def test_code_requests_are_rate_limited(self) -> None:
        for _ in range(5):
            self.client.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        blocked = self.client.post(
            f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"}
        )
        assert blocked.status_code == 429 and len(mail.outbox) == 5

    @override_settings(EMAIL_BACKEND="tests.test_portal_complain.FailingEmailBackend")
    def test_a_code_that_cannot_be_sent_is_not_kept_and_the_answer_is_the_usual_one(self) -> None:
        response = self.client.post(
            f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"}
        )
        # The same answer as for a pair that matches nothing: the page says to ask again if no code comes.
        assert response.status_code == 302 and response["Location"] == f"{BASE}/follow/code/"
        assert not AccessCode.objects.exists()
        assert not OutboxMessage.objects.filter(body__contains="Your code is").exists()

    def test_a_late_request_for_stage_2_through_the_portal_tells_the_handler(self) -> None:
        with time_machine.travel(date(2025, 6, 23), tick=False):
            self._respond()
            self.complaint.stages.filter(number=1).update(escalate_by=date(2025, 6, 21))
            follow(self.client, self.complaint.reference)
            response = self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "Still cold"})
            html = self.client.get(response["Location"]).content.decode()
        assert "We have your request for stage 2" in html
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_INFORMATION, complaint=self.complaint)
        assert "asked for stage 2 after the deadline" in notice.subject and notice.to_user == self.cast.handler
        assert Complaint.objects.get(pk=self.complaint.pk).stage == 1

"""A resident agrees a remedy online, or declines it with a reason: recorded by the same action staff
use, on the timeline, told to the handler, once only, and never on another complaint's remedy."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase

from putright.complaints import actions
from putright.complaints.actions.remedies import resident_answer_remedy
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, Remedy, Status
from putright.correspondence.models import OutboxMessage
from tests.cast import acknowledge, log, make_cast, respond
from tests.conftest import needs_postgresql
from tests.portal_support import BASE

TODAY = date(2025, 6, 16)
PAGE = f"{BASE}/your-complaint/"


def accept_url(remedy: Remedy) -> str:
    return f"{BASE}/your-complaint/remedies/{remedy.pk}/accept/"


def decline_url(remedy: Remedy) -> str:
    return f"{BASE}/your-complaint/remedies/{remedy.pk}/decline/"


def open_portal(client: Client, complaint: Complaint) -> None:
    session = client.session
    session[f"portal:following:{complaint.landlord_id}"] = complaint.pk
    session.save()


@time_machine.travel(TODAY, tick=False)
class AgreeingARemedyOnlineTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        self.complaint = respond(self.cast, complaint, date(2025, 6, 10))
        self.remedy = Remedy.objects.get(stage__complaint=self.complaint)
        open_portal(self.client, self.complaint)

    def state(self) -> str:
        return Remedy.objects.get(pk=self.remedy.pk).state

    def test_the_page_offers_accept_and_decline_on_an_offered_remedy(self) -> None:
        html = self.client.get(PAGE).content.decode()
        assert f'href="{accept_url(self.remedy)}"' in html and f'href="{decline_url(self.remedy)}"' in html
        assert "Offered: tell us whether you accept it" in html

    def test_accepting_records_it_as_staff_would_with_the_resident_as_actor_and_tells_the_handler(self) -> None:
        page = self.client.get(accept_url(self.remedy)).content.decode()
        assert "We apologise for the delay in repairing the boiler." in page and "Accept this remedy" in page
        response = self.client.post(accept_url(self.remedy))
        assert response["Location"] == PAGE
        assert self.state() == Remedy.State.AGREED
        event = Event.objects.get(complaint=self.complaint, kind="remedy-updated")
        assert event.actor is None and "agreed by the resident, online, on 16 June 2025" in event.summary
        assert event.before == {"state": "offered"}
        assert event.after == {"state": "agreed", "remedy": self.remedy.pk, "on": "2025-06-16"}
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_INFORMATION, complaint=self.complaint)
        assert "the resident accepted a remedy online" in notice.subject and notice.to_user == self.cast.handler
        html = self.client.get(PAGE).content.decode()
        assert "You have accepted the remedy (apology) and we have told your handler" in html
        assert "You accepted it on 16 June 2025" in html and f'href="{accept_url(self.remedy)}"' not in html
        assert Complaint.objects.get(pk=self.complaint.pk).version > self.complaint.version

    def test_a_second_answer_does_nothing_and_says_what_was_recorded(self) -> None:
        self.client.post(accept_url(self.remedy))
        again = self.client.post(accept_url(self.remedy))
        back = self.client.get(accept_url(self.remedy))
        declined = self.client.post(decline_url(self.remedy), {"reason": "Changed my mind"})
        for response in (again, back, declined):
            html = response.content.decode()
            assert response.status_code == 200 and "You already accepted this on 16 June 2025" in html
            assert "Accept this remedy</button>" not in html and "Decline this remedy</button>" not in html
        assert Event.objects.filter(complaint=self.complaint, kind="remedy-updated").count() == 1
        assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.RESIDENT_INFORMATION).count() == 1
        assert self.state() == Remedy.State.AGREED

    def test_declining_needs_a_reason_of_a_sensible_length_and_keeps_what_was_typed(self) -> None:
        empty = self.client.post(decline_url(self.remedy), {"reason": "  "})
        html = empty.content.decode()
        assert empty.status_code == 200 and "Enter why you do not accept this remedy" in html
        assert "<title>Error:" in html and 'href="#id_reason"' in html
        long = "x" * 2_001
        too_long = self.client.post(decline_url(self.remedy), {"reason": long}).content.decode()
        assert "Why you do not accept this remedy must be 2,000 characters or fewer" in too_long and long in too_long
        assert self.state() == Remedy.State.OFFERED
        assert not Event.objects.filter(kind="remedy-updated").exists()

    def test_declining_records_the_reason_and_offers_stage_2_with_it_written_in(self) -> None:
        response = self.client.post(decline_url(self.remedy), {"reason": "An apology is not enough <script>"})
        assert response["Location"] == PAGE and self.state() == Remedy.State.DECLINED
        event = Event.objects.get(complaint=self.complaint, kind="remedy-updated")
        assert event.actor is None and "Reason given: An apology is not enough <script>" in event.summary
        assert event.after["reason"] == "An apology is not enough <script>"
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_INFORMATION, complaint=self.complaint)
        assert "declined a remedy" in notice.subject and "An apology is not enough" in notice.body
        html = self.client.get(PAGE).content.decode()
        assert "You have declined the remedy (apology)" in html and "You declined it on 16 June 2025" in html
        assert f'href="{BASE}/your-complaint/escalate/"' in html and "ask for stage 2" in html
        escalate = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "An apology is not enough &lt;script&gt;</textarea>" in escalate
        self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "An apology is not enough"})
        stage2 = Complaint.objects.get(pk=self.complaint.pk).stages.get(number=2)
        assert stage2.escalation_reason == "An apology is not enough"

    def test_declining_when_stage_2_is_done_points_to_the_ombudsman(self) -> None:
        complaint = actions.escalate(self.complaint, self.cast.officer, requested_on=date(2025, 6, 11))
        complaint = acknowledge(self.cast, complaint, date(2025, 6, 12), actor=self.cast.reviewer)
        complaint = respond(self.cast, complaint, date(2025, 6, 13), actor=self.cast.reviewer)
        stage2_remedy = Remedy.objects.get(stage__complaint=complaint, stage__number=2)
        self.client.post(decline_url(stage2_remedy), {"reason": "Not enough"})
        html = self.client.get(PAGE).content.decode()
        assert "ask the Housing Ombudsman Service to look at your complaint" in html
        assert "ask for stage 2: a review" not in html

    def test_a_withdrawn_complaints_remedy_can_no_longer_be_answered(self) -> None:
        actions.resident_withdraw(self.complaint, on=TODAY)
        html = self.client.get(PAGE).content.decode()
        assert 'data-remedy-state="offered">Offered</dd>' in html and accept_url(self.remedy) not in html
        for response in (self.client.get(accept_url(self.remedy)), self.client.post(accept_url(self.remedy))):
            assert "your complaint is no longer in progress" in response.content.decode()
        assert self.state() == Remedy.State.OFFERED

    def test_the_reason_written_in_for_stage_2_is_offered_only_on_its_own_complaint(self) -> None:
        self.client.post(decline_url(self.remedy), {"reason": "Rosa's own reason"})
        other = respond(self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY)
        open_portal(self.client, other)
        escalate = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert 'name="why"' in escalate and "Rosa&#x27;s own reason" not in escalate

    def test_a_remedy_on_another_complaint_is_not_found(self) -> None:
        other = respond(self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY)
        theirs = Remedy.objects.get(stage__complaint=other)
        for response in (
            self.client.get(accept_url(theirs)),
            self.client.post(accept_url(theirs)),
            self.client.post(decline_url(theirs), {"reason": "No"}),
        ):
            assert response.status_code == 404
        assert Remedy.objects.get(pk=theirs.pk).state == Remedy.State.OFFERED
        assert Client().get(accept_url(self.remedy))["Location"] == f"{BASE}/follow/"
        assert Client().post(accept_url(self.remedy))["Location"] == f"{BASE}/follow/"

    def test_every_form_needs_its_csrf_token(self) -> None:
        guarded = Client(enforce_csrf_checks=True)
        open_portal(guarded, self.complaint)
        assert guarded.post(accept_url(self.remedy)).status_code == 403
        assert guarded.post(decline_url(self.remedy), {"reason": "No"}).status_code == 403
        assert 'name="csrfmiddlewaretoken"' in guarded.get(accept_url(self.remedy)).content.decode()
        assert self.state() == Remedy.State.OFFERED

    def test_once_the_resident_accepts_online_staff_can_close_the_complaint(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            actions.close(self.complaint, self.cast.handler, on=TODAY)
        assert "still only offered" in caught.value.errors["remedies"]
        self.client.post(accept_url(self.remedy))
        closed = actions.close(Complaint.objects.get(pk=self.complaint.pk), self.cast.handler, on=TODAY)
        assert closed.status == Status.CLOSED
        html = self.client.get(PAGE).content.decode()
        assert "You accepted it on 16 June 2025" in html and "Closed" in html

    def test_staff_see_the_answer_on_their_complaint_page_at_once(self) -> None:
        self.client.post(decline_url(self.remedy), {"reason": "I want compensation"})
        staff = Client()
        staff.force_login(self.cast.handler)
        html = staff.get(f"/staff/complaints/{self.complaint.reference}/").content.decode()
        assert "Declined by the resident" in html and "I want compensation" in html


@time_machine.travel(TODAY, tick=False)
class ResidentAnswerActionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        self.complaint = respond(self.cast, complaint, date(2025, 6, 10))
        self.remedy = Remedy.objects.get(stage__complaint=self.complaint)

    def test_a_decline_needs_a_reason_and_nothing_is_written_without_one(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            resident_answer_remedy(self.remedy, accept=False, reason="", on=TODAY)
        assert set(caught.value.errors) == {"reason"}
        with pytest.raises(InvalidInput) as caught:
            resident_answer_remedy(self.remedy, accept=False, reason="x" * 2_001, on=TODAY)
        assert "2,000 characters or fewer" in caught.value.errors["reason"]
        with pytest.raises(InvalidInput) as caught:
            resident_answer_remedy(self.remedy, accept=True, on=date(2025, 6, 17))
        assert "future" in caught.value.errors["on"]
        assert Remedy.objects.get(pk=self.remedy.pk).state == Remedy.State.OFFERED
        assert not Event.objects.filter(kind="remedy-updated").exists()

    def test_only_an_offered_remedy_on_a_complaint_in_progress_can_be_answered(self) -> None:
        actions.update_remedy(self.remedy, self.cast.handler, state="agreed", on=TODAY)
        with pytest.raises(TransitionNotAllowed):
            resident_answer_remedy(self.remedy, accept=False, reason="No", on=TODAY)
        other = respond(self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY)
        actions.resident_withdraw(other, on=TODAY)
        with pytest.raises(TransitionNotAllowed):
            resident_answer_remedy(Remedy.objects.get(stage__complaint=other), accept=True, on=TODAY)

    def test_staff_recording_an_answer_names_the_remedy_too(self) -> None:
        actions.update_remedy(self.remedy, self.cast.handler, state="declined", on=TODAY)
        event = Event.objects.get(kind="remedy-updated")
        assert event.actor == self.cast.handler and event.after["remedy"] == self.remedy.pk
        assert "by the resident" not in event.summary


@needs_postgresql("concurrent writers between threads")
class ConcurrentAnswerTests(TransactionTestCase):
    def test_an_acceptance_sent_twice_at_once_is_recorded_once(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            cast = make_cast()
            complaint = respond(cast, acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY)
            remedy = Remedy.objects.get(stage__complaint=complaint)
            first = Client()
            open_portal(first, complaint)
        second = Client()
        second.cookies = first.cookies  # the same browser, sending twice
        barrier = threading.Barrier(2)
        answers: list[int] = []

        def send(client: Client) -> None:
            try:
                with time_machine.travel(TODAY, tick=False):
                    barrier.wait()
                    answers.append(client.post(accept_url(remedy)).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(client,)) for client in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(answers) == [200, 302]
        assert Event.objects.filter(complaint=complaint, kind="remedy-updated").count() == 1
        assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.RESIDENT_INFORMATION).count() == 1

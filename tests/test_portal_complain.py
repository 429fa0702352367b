"""Making a complaint online: one question a page, check your answers, one committed complaint."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core import mail
from django.test import Client, TestCase, override_settings

from putright.complaints.models import Complaint, Event, Status
from putright.correspondence import sending
from putright.correspondence.models import OutboxMessage
from putright.people.models import ReasonableAdjustment, Representative
from putright.portal.models import Submission
from tests.cast import make_cast
from tests.portal_support import ANSWERS, BASE, answer_all, submit
from tests.test_workspace_support import signed_in

TODAY = date(2025, 6, 16)


class FailingEmailBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("the mail server is down")


@time_machine.travel(TODAY, tick=False)
class MakeAComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_start_page_explains_the_policy_from_its_numbers_and_the_ombudsman(self) -> None:
        html = self.client.get(f"{BASE}/").content.decode()
        assert "Make a complaint to Ashford Borough Council" in html
        assert "acknowledge it within 5 working days" in html and "within 10 working days" in html
        assert "within 20 working days" in html and "You do not have to give a reason" in html
        assert "0300 111 3000" in html and "Asking for a repair or a service" in html

    def test_the_site_start_page_links_to_each_landlords_portal(self) -> None:
        html = self.client.get("/").content.decode()
        assert 'href="/ashford/"' in html and 'href="/medway/"' in html

    def test_an_unknown_landlord_is_not_found(self) -> None:
        assert self.client.get("/nowhere/").status_code == 404

    def test_a_resident_makes_a_complaint_and_gets_the_reference_and_acknowledgement_date(self) -> None:
        token = answer_all(self.client)
        check = self.client.get(f"{BASE}/complain/check-your-answers/").content.decode()
        assert "Check your answers before sending your complaint" in check
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in check and "<script>alert" not in check
        sent = submit(self.client, token)
        assert sent["Location"] == f"{BASE}/complain/sent/"
        complaint = Complaint.objects.get()
        assert complaint.channel == "online" and complaint.created_by is None and complaint.status == Status.RECEIVED
        assert complaint.issue_date == date(2025, 6, 2) and complaint.service_area == "repairs"
        assert complaint.received_on == TODAY and complaint.next_due == date(2025, 6, 23)
        event = Event.objects.get(complaint=complaint, kind="logged")
        assert event.actor is None and "by the resident" in event.summary
        page = self.client.get(sent["Location"]).content.decode()
        assert complaint.reference in page and "23 June 2025" in page and "govuk-panel--confirmation" in page
        queued = OutboxMessage.objects.get(complaint=complaint)
        assert queued.kind == OutboxMessage.Kind.PORTAL and queued.state == OutboxMessage.State.PENDING
        assert sending.send_due().sent == 1
        assert mail.outbox[-1].to == ["rosa@example.org"] and complaint.reference in mail.outbox[-1].subject
        assert "23 June 2025" in mail.outbox[-1].body and "<script>alert('x')</script>" not in mail.outbox[-1].body

    def test_the_help_asked_for_is_recorded_as_reasonable_adjustments(self) -> None:
        submit(self.client, answer_all(self.client))
        adjustments = ReasonableAdjustment.objects.filter(person__complaints__isnull=False).order_by("kind")
        assert [(a.kind, a.detail, a.agreed_on) for a in adjustments] == [
            ("large-print", "Call after 2pm", TODAY),
            ("phone-call", "Call after 2pm", TODAY),
        ]

    def test_someone_acting_for_a_resident_records_their_relationship_and_agreement(self) -> None:
        acting = {"their_name": "Ada Tenant", "their_address": "1 High Street", "relationship": "relative"}
        token = answer_all(self.client, changes={"acting-for": {**acting, "authority": "verbal"}})
        submit(self.client, token)
        complaint = Complaint.objects.get()
        assert complaint.person.name == "Ada Tenant" and complaint.channel == "representative"
        assert complaint.representative is not None
        assert complaint.representative.email == "rosa@example.org"
        assert complaint.representative.authority == Representative.Authority.VERBAL

    def test_a_double_click_or_a_resubmission_never_makes_a_second_complaint(self) -> None:
        token = answer_all(self.client)
        first = submit(self.client, token)
        again = submit(self.client, token)  # the back button, or a second click
        assert first["Location"] == again["Location"] == f"{BASE}/complain/sent/"
        assert Complaint.objects.count() == 1 and Submission.objects.count() == 1
        assert OutboxMessage.objects.count() == 1
        sending.send_due()
        assert len(mail.outbox) == 1

    def test_the_confirmation_is_shown_only_to_the_session_that_sent_it(self) -> None:
        submit(self.client, answer_all(self.client))
        stranger = Client()
        assert stranger.get(f"{BASE}/complain/sent/")["Location"] == f"{BASE}/"

    def test_a_complaint_is_saved_when_the_email_cannot_be_sent_and_the_email_goes_later(self) -> None:
        with override_settings(EMAIL_BACKEND="tests.test_portal_complain.FailingEmailBackend"):
            sent = submit(self.client, answer_all(self.client))
            assert sent.status_code == 302
            complaint = Complaint.objects.get()
            assert sending.send_due().failed == 1
        waiting = OutboxMessage.objects.get()
        assert waiting.complaint == complaint and waiting.to_address == "rosa@example.org"
        assert waiting.state == OutboxMessage.State.PENDING and "mail server is down" in waiting.last_error
        assert complaint.reference in waiting.body and not mail.outbox
        # The mail server is back: a minute later the worker sends it.
        with time_machine.travel(waiting.next_attempt_at, tick=False):
            assert sending.send_due().sent == 1
        assert mail.outbox[-1].to == ["rosa@example.org"] and complaint.reference in mail.outbox[-1].subject
        assert OutboxMessage.objects.get().state == OutboxMessage.State.SENT

    def test_pages_are_answered_in_order(self) -> None:
        response = self.client.get(f"{BASE}/complain/outcome/")
        assert response["Location"] == f"{BASE}/complain/what-you-want/"
        assert self.client.get(f"{BASE}/complain/check-your-answers/")["Location"] == f"{BASE}/complain/what-you-want/"

    def test_missing_answers_show_a_gds_error_summary(self) -> None:
        self.client.post(f"{BASE}/complain/what-you-want/", {"kind": "complaint"})
        self.client.post(f"{BASE}/complain/who/", {"who": "self"})
        html = self.client.post(f"{BASE}/complain/contact/", {"email": "not an email"}).content.decode()
        assert "<title>Error: Your contact details" in html and "govuk-error-summary" in html
        assert "Enter your full name" in html and "Enter an email address in the correct format" in html

    def test_a_description_over_the_limit_is_refused(self) -> None:
        for page, data in ANSWERS[:5]:
            self.client.post(f"{BASE}/complain/{page}/", data)
        html = self.client.post(f"{BASE}/complain/what-happened/", {"description": "x" * 10_001}).content.decode()
        assert "must be 10,000 characters or fewer" in html

    def test_a_request_for_a_service_is_offered_the_choice_to_complain_anyway(self) -> None:
        response = self.client.post(f"{BASE}/complain/what-you-want/", {"kind": "request"})
        assert response["Location"] == f"{BASE}/complain/service-request/"
        html = self.client.get(response["Location"]).content.decode()
        assert "Make a complaint anyway" in html
        anyway = self.client.post(f"{BASE}/complain/what-you-want/", {"kind": "complaint"})
        assert anyway["Location"] == f"{BASE}/complain/who/"

    def test_changing_an_answer_returns_to_check_your_answers(self) -> None:
        answer_all(self.client)
        changed = self.client.post(f"{BASE}/complain/outcome/?change=1", {"outcome_sought": "An apology"})
        assert changed["Location"] == f"{BASE}/complain/check-your-answers/"
        assert "An apology" in self.client.get(changed["Location"]).content.decode()

    def test_a_filled_honeypot_is_refused_and_nothing_is_made(self) -> None:
        response = submit(self.client, answer_all(self.client), website="http://spam.example")
        assert response.status_code == 400 and Complaint.objects.count() == 0

    def test_submissions_are_rate_limited_per_email(self) -> None:
        for _ in range(5):
            submit(self.client, answer_all(self.client))
        blocked = submit(self.client, answer_all(self.client))
        assert blocked.status_code == 429 and "Wait an hour" in blocked.content.decode()
        assert Complaint.objects.count() == 5

    def test_the_form_is_protected_against_cross_site_requests(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(f"{BASE}/complain/what-you-want/", {"kind": "complaint"})
        assert response.status_code == 403

    def test_staff_see_the_residents_words_as_text_and_who_made_it(self) -> None:
        submit(self.client, answer_all(self.client))
        complaint = Complaint.objects.get()
        html = signed_in(self.cast.handler).get(f"/staff/complaints/{complaint.reference}/").content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert" not in html
        assert "Complaint logged by the resident (Online form)" in html

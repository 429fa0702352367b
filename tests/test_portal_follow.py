"""Following a complaint with a one-time code: what a resident sees and may do, and never another's."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client, TestCase, TransactionTestCase, override_settings

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Event, Status
from putright.correspondence.models import OutboxMessage
from putright.portal.models import AccessCode
from tests.cast import acknowledge, log, make_cast, respond
from tests.portal_support import BASE, deliver_codes, emailed_code, follow, forget_code_requests, make_complaint
from tests.smtp_support import SmtpServer

TODAY = date(2025, 6, 16)


def worker(*args: str) -> str:
    """`putright worker`, as an operator runs it."""
    out = StringIO()
    call_command("worker", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(TODAY, tick=False)
class FollowAComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        forget_code_requests()
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
        assert deliver_codes() == 2  # the worker looked at both, and matched neither
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
        assert deliver_codes() == 2 and len(mail.outbox) == 0
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
        assert blocked.status_code == 429 and "Wait an hour" in blocked.content.decode()
        # The refused request queued nothing: five codes were asked for, five sent.
        assert deliver_codes() == 5 and len(mail.outbox) == 5

    def test_requests_from_one_address_are_limited_whatever_the_pairs(self) -> None:
        for number in range(10):
            self.client.post(f"{BASE}/follow/", {"reference": f"ASH-2025-{number:05d}", "email": "x@example.org"})
        blocked = self.client.post(
            f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"}
        )
        assert blocked.status_code == 429 and deliver_codes() == 10 and len(mail.outbox) == 0

    def test_the_request_writes_no_code_and_no_email_only_a_task_for_the_worker(self) -> None:
        self.client.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        assert not AccessCode.objects.exists() and not mail.outbox
        assert not OutboxMessage.objects.filter(body__contains="Your code is").exists()
        code = emailed_code()  # the worker's part: the code is made, written to the outbox and sent
        message = OutboxMessage.objects.get(body__contains="Your code is")
        assert message.kind == OutboxMessage.Kind.PORTAL and message.complaint_id == self.complaint.pk
        assert message.to_address == "rosa@example.org" and AccessCode.objects.count() == 1
        assert self.client.post(f"{BASE}/follow/code/", {"code": code})["Location"] == f"{BASE}/your-complaint/"

    def test_a_newer_code_replaces_an_older_one_asked_for_in_another_browser(self) -> None:
        other = Client()
        self.client.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        first = emailed_code()
        other.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        second = emailed_code()
        if first != second:
            assert self.client.post(f"{BASE}/follow/code/", {"code": first}).status_code == 200
        assert self.client.post(f"{BASE}/follow/code/", {"code": second})["Location"] == f"{BASE}/your-complaint/"

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


@time_machine.travel(datetime(2025, 6, 16, 10, 0, tzinfo=UTC), tick=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
class FollowWithTheMailServerDownTests(TransactionTestCase):
    """Committed transactions and the real worker, as in production; the SMTP server is real too,
    down at first (nothing listening on its port) and started later."""

    def setUp(self) -> None:
        forget_code_requests()
        make_cast()
        self.smtp = SmtpServer()  # not started: the mail server is down
        self.settings_override = self.smtp.settings(EMAIL_TIMEOUT=2)
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)
        self.addCleanup(self.smtp.stop)
        self.complaint = make_complaint(self.client)
        worker("--once")  # the acknowledgement of receipt: not sent, the mail server is down
        OutboxMessage.objects.all().delete()

    def _ask(self, reference: str) -> tuple[int, str, str]:
        browser = Client()
        # Nothing in the request touches the mail server: the test below finds no code and no email made
        # (the timing itself is measured by benchmarks/follow_timing.py, not here).
        response = browser.post(f"{BASE}/follow/", {"reference": reference, "email": "rosa@example.org"})
        page = browser.get(response["Location"]).content.decode()
        # Every page carries its own form token; the rest must be the same.
        return response.status_code, response["Location"], re.sub(r'value="[^"]{64}"', 'value=""', page)

    def test_a_right_and_a_wrong_pair_get_the_same_answer(self) -> None:
        from django_tasks_db.models import DBTaskResult

        right = self._ask(self.complaint.reference)
        wrong = self._ask("ASH-2025-99999")
        assert right == wrong and right[:2] == (302, f"{BASE}/follow/code/")
        assert "If the reference and email address match a complaint" in right[2]
        # Each request did the same: one task for the worker; no code and no email yet for either.
        assert DBTaskResult.objects.filter(task_path__endswith="codes.send_code").count() == 2
        assert not AccessCode.objects.exists() and not OutboxMessage.objects.exists()

    def test_the_code_arrives_when_the_worker_runs_and_the_outbox_retries_a_failed_delivery(self) -> None:
        browser = Client()
        browser.post(f"{BASE}/follow/", {"reference": self.complaint.reference, "email": "rosa@example.org"})
        worker("--once")  # the code is made and its email tried: the mail server is down
        message = OutboxMessage.objects.get(body__contains="Your code is")
        assert message.state == OutboxMessage.State.PENDING and message.attempts == 1 and message.last_error
        self.smtp.start()
        with time_machine.travel(clock.now() + timedelta(minutes=2), tick=True):
            worker("--once")  # the outbox tries again, as with every email
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.SENT
        [sent] = [m for m in self.smtp.messages() if "Your code is" in m.get_content()]
        assert sent["To"] == "rosa@example.org"
        code = re.search(r"Your code is (\d{6})", sent.get_content())
        assert code is not None
        opened = browser.post(f"{BASE}/follow/code/", {"code": code.group(1)})
        assert opened["Location"] == f"{BASE}/your-complaint/"
        assert self.complaint.reference in browser.get(opened["Location"]).content.decode()

"""The outbox: every email goes, once, through a real SMTP server on loopback, whatever it does.

The server is aiosmtpd on a free port; Django's SMTP backend talks to it as to any mail server,
and the tests read back what arrived: headers, and attachment bytes compared with the stored PDF.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django_tasks import default_task_backend

from putright.complaints.errors import NotPermitted, TransitionNotAllowed
from putright.complaints.models import Event
from putright.correspondence import actions, outbox, rendering, sending, tasks
from putright.correspondence.compose import sha256
from putright.correspondence.models import Letter, LetterStyle, OutboxMessage
from tests.cast import Cast, acknowledge, log, make_cast
from tests.conftest import needs_postgresql
from tests.smtp_support import SmtpServer

NOW = datetime(2025, 6, 17, 10, 0, tzinfo=UTC)
SERVER: SmtpServer | None = None
STOP_AFTER = 0


class StoppingBackend(SmtpBackend):
    """Django's SMTP backend, except that after STOP_AFTER messages the mail server stops: between
    two messages, so each message is either accepted or refused, never half sent."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        global STOP_AFTER
        sent = super().send_messages(email_messages)
        STOP_AFTER -= sent
        if STOP_AFTER == 0 and SERVER is not None and SERVER.running:
            SERVER.stop()
        return sent


def queue_many(cast: Cast, count: int) -> list[OutboxMessage]:
    queued = []
    for n in range(count):
        message = outbox.queue(
            landlord=cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address=f"resident{n}@example.org",
            subject=f"Message {n}",
            body=f"Body {n}",
        )
        assert message is not None
        queued.append(message)
    return queued


@time_machine.travel(NOW, tick=False)
class SendingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.server = SmtpServer().start()
        self.addCleanup(self.server.stop)
        mail_settings = self.server.settings()
        mail_settings.enable()
        self.addCleanup(mail_settings.disable)

    def acknowledged_letter(self) -> Letter:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 16)), date(2025, 6, 17))
        return Letter.objects.get(complaint=complaint)

    def test_a_letter_arrives_with_its_message_id_reply_to_sender_and_its_stored_pdf(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.landlord, email="complaints@ashford.example.gov.uk")
        letter = self.acknowledged_letter()
        rendering.render_letter(letter.pk)
        letter.refresh_from_db()
        message = OutboxMessage.objects.get(letter=letter)

        assert sending.send_due() == sending.SendReport(sent=1)

        [arrived] = self.server.messages()
        assert arrived["Message-ID"] == message.message_id
        assert arrived["To"] == "rosa@example.org" and arrived["Subject"] == message.subject
        assert arrived["Reply-To"] == message.reply_to
        assert message.reply_to.startswith("complaints+") and message.reply_to.endswith("@ashford.example.gov.uk")
        assert arrived["From"] == "Ashford Borough Council <complaints@ashford.example.gov.uk>"
        assert arrived["Auto-Submitted"] is None  # a letter, not a notice: replies are welcome
        [pdf] = list(arrived.iter_attachments())
        reference = letter.complaint.reference
        assert pdf.get_filename() == f"{reference}-stage1-acknowledgement.pdf"
        assert pdf.get_content_type() == "application/pdf"
        content = pdf.get_content()
        with letter.pdf.open("rb") as stored:
            assert content == stored.read()
        assert sha256(content) == letter.pdf_sha256
        body = arrived.get_body(preferencelist=("plain",))
        assert body is not None and "Our letter is attached as a PDF" in body.get_content()
        message.refresh_from_db()
        assert (message.state, message.sent_at, message.attempts) == (OutboxMessage.State.SENT, NOW, 1)

    def test_without_a_letter_style_the_installations_sender_is_used_with_the_landlords_name(self) -> None:
        [message] = queue_many(self.cast, 1)
        sending.send_due()
        [arrived] = self.server.messages()
        assert arrived["From"] == "Ashford Borough Council <complaints@putright.localhost>"
        assert arrived["Reply-To"] == message.reply_to == "complaints@putright.localhost"

    def test_a_letters_email_waits_until_its_pdf_is_rendered(self) -> None:
        letter = self.acknowledged_letter()
        assert sending.send_due() == sending.SendReport()
        assert self.server.messages() == []
        rendering.render_letter(letter.pk)
        assert sending.send_due().sent == 1
        assert len(self.server.messages()) == 1

    def test_a_pdf_that_does_not_match_its_hash_is_not_sent(self) -> None:
        letter = self.acknowledged_letter()
        rendering.render_letter(letter.pk)
        Letter.objects.filter(pk=letter.pk).update(pdf_sha256="0" * 64)
        assert sending.send_due().failed == 1
        message = OutboxMessage.objects.get(letter=letter)
        assert "does not match the hash" in message.last_error and self.server.messages() == []

    def test_the_mail_server_stopping_mid_run_loses_nothing_and_sends_nothing_twice(self) -> None:
        global SERVER, STOP_AFTER
        queued = queue_many(self.cast, 12)
        SERVER, STOP_AFTER = self.server, 5
        self.addCleanup(lambda: globals().update(SERVER=None))
        with self.server.settings(EMAIL_BACKEND="tests.test_outbox.StoppingBackend"):
            first = sending.send_due()
        assert not self.server.running
        assert first == sending.SendReport(sent=5, failed=7)
        waiting = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
        assert waiting.count() == 7 and all(m.attempts == 1 and m.last_error for m in waiting)
        # Until their time comes round again, nothing is tried.
        assert sending.send_due() == sending.SendReport()

        self.server.start()  # the mail server is back
        with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
            again = sending.send_due()
        assert again == sending.SendReport(sent=7)
        assert sending.send_due() == sending.SendReport()

        counts = self.server.count_by_message_id()
        assert counts == {message.message_id: 1 for message in queued}
        assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 12

    def test_failures_wait_longer_each_time_then_wait_for_a_person(self) -> None:
        self.server.stop()
        [message] = queue_many(self.cast, 1)
        moment = NOW
        waits = []
        for attempt in range(1, 9):
            with time_machine.travel(moment, tick=False):
                report = sending.send_due()
            message.refresh_from_db()
            assert message.attempts == attempt and "Connection refused" in message.last_error
            if attempt < 8:
                assert report == sending.SendReport(failed=1) and message.state == OutboxMessage.State.PENDING
                waits.append(message.next_attempt_at - moment)
                moment = message.next_attempt_at
            else:
                assert report == sending.SendReport(gave_up=1) and message.state == OutboxMessage.State.FAILED
        assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
        with time_machine.travel(moment + timedelta(days=1), tick=False):
            assert sending.send_due() == sending.SendReport()  # failed: only a person sends it again

    def test_a_failed_message_is_sent_again_by_an_officer_and_who_did_it_is_kept(self) -> None:
        self.server.stop()
        complaint = log(self.cast, date(2025, 6, 16))
        message = outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address="rosa@example.org",
            subject="Your complaint",
            body="Hello",
            complaint=complaint,
        )
        assert message is not None
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.FAILED, attempts=8, last_error="SMTPServerDisconnected: gone"
        )
        message.refresh_from_db()
        with pytest.raises(NotPermitted):
            actions.retry(message, self.cast.handler)
        with pytest.raises(NotPermitted):
            actions.retry(message, self.cast.stranger)
        with self.captureOnCommitCallbacks() as wakes:
            retried = actions.retry(message, self.cast.officer)
        assert len(wakes) == 1
        assert (retried.state, retried.attempts) == (OutboxMessage.State.PENDING, 0)
        assert "Sent again by Olu Officer" in retried.last_error and "gone" in retried.last_error
        event = Event.objects.get(complaint=complaint, kind="email-retried")
        assert event.actor == self.cast.officer and "rosa@example.org" in event.summary
        with pytest.raises(TransitionNotAllowed, match="Only a message that failed"):
            actions.retry(retried, self.cast.manager)
        self.server.start()
        assert sending.send_due().sent == 1
        assert self.server.count_by_message_id() == {message.message_id: 1}

    def test_an_address_the_server_refuses_for_good_fails_at_once(self) -> None:
        self.server.refuse.add("nobody@example.org")
        message = outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address="nobody@example.org",
            subject="s",
            body="b",
        )
        assert message is not None
        assert sending.send_due() == sending.SendReport(gave_up=1)
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.FAILED and message.attempts == 1
        assert "550" in message.last_error

    def test_staff_notices_say_they_were_sent_automatically(self) -> None:
        outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.DUE_SOON,
            to_address="hana.handler@example.org",
            subject="Due soon",
            body="Due",
        )
        sending.send_due()
        assert self.server.messages()[0]["Auto-Submitted"] == "auto-generated"

    def test_a_batch_is_limited_and_the_oldest_go_first(self) -> None:
        queued = queue_many(self.cast, 5)
        assert sending.send_due(limit=2).sent == 2
        assert [m["Subject"] for m in self.server.messages()] == ["Message 0", "Message 1"]
        assert sending.send_all_due(batch=2).sent == 3
        assert self.server.count_by_message_id() == {m.message_id: 1 for m in queued}

    def test_a_batch_costs_the_same_queries_however_many_messages_it_sends(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.landlord, email="complaints@ashford.example")
        queue_many(self.cast, 2)
        with CaptureQueriesContext(connection) as two:
            assert sending.send_due().sent == 2
        queue_many(self.cast, 8)
        # Claiming (a select and an update), reading the batch with its letterhead, then one update
        # per message sent: the letterhead is not read again for each message.
        with self.assertNumQueries(len(two.captured_queries) + 6):
            assert sending.send_due().sent == 8
        assert {m["From"] for m in self.server.messages()} == {"Ashford Borough Council <complaints@ashford.example>"}

    def test_a_limit_that_is_not_a_positive_whole_number_is_refused(self) -> None:
        for bad in (0, -1, 2.5, True):
            with pytest.raises(ValueError, match="limit must be a whole number of at least 1"):
                sending.send_due(bad)  # type: ignore[arg-type]


@time_machine.travel(NOW, tick=False)
class WakingTheSenderTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def sender_tasks(self) -> int:
        results = default_task_backend.results  # type: ignore[attr-defined]  # the tests' dummy backend
        return sum(1 for r in results if r.task.module_path == tasks.send_outbox.module_path)

    def setUp(self) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]

    def test_queueing_wakes_the_sender_once_the_transaction_commits(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            queue_many(self.cast, 1)
            assert self.sender_tasks() == 0
        assert self.sender_tasks() == 1

    def test_a_message_rolled_back_with_its_action_is_neither_kept_nor_sent(self) -> None:
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    queue_many(self.cast, 1)
                    raise RuntimeError("the action failed")
            except RuntimeError:
                pass
        assert callbacks == [] and self.sender_tasks() == 0 and not OutboxMessage.objects.exists()

    def test_a_rendered_letter_wakes_the_sender(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 16)), date(2025, 6, 17))
        letter = Letter.objects.get(complaint=complaint)
        assert tasks.render_letter.call(letter.pk) == "rendered"
        assert self.sender_tasks() == 1
        assert tasks.render_letter.call(letter.pk) == "already rendered"
        assert self.sender_tasks() == 1

    def test_the_wait_after_each_failure_doubles_up_to_an_hour(self) -> None:
        assert [sending.wait_after(n).total_seconds() / 60 for n in range(1, 11)] == [
            1,
            2,
            4,
            8,
            16,
            32,
            60,
            60,
            60,
            60,
        ]


@needs_postgresql("row locks between threads")
class TwoSendersAtOnceTests(TransactionTestCase):
    def test_two_workers_sending_at_once_send_each_message_exactly_once(self) -> None:
        server = SmtpServer().start()
        self.addCleanup(server.stop)
        cast = make_cast()
        queued = queue_many(cast, 40)
        barrier = threading.Barrier(2)
        reports: list[sending.SendReport] = []

        def work() -> None:
            try:
                barrier.wait()
                reports.append(sending.send_all_due(batch=3))
            finally:
                connection.close()

        with server.settings():
            threads = [threading.Thread(target=work) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert sum(r.sent for r in reports) == 40 and all(r.failed == 0 for r in reports)
        assert server.count_by_message_id() == {m.message_id: 1 for m in queued}


@time_machine.travel(NOW, tick=False)
class OutboxCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_failed_email_is_listed_and_sent_again_as_an_officer(self) -> None:
        [message] = queue_many(self.cast, 1)
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxMessage.State.FAILED, attempts=8, last_error="SMTPRecipientsRefused: 550 no such user"
        )
        listed = run("outbox", "failed", "--landlord", "ashford")
        assert f"{message.pk}\tashford\tPortal notice to the resident to resident0@example.org" in listed
        assert "550 no such user" in listed and listed.endswith("1 failed message.")
        assert run("outbox", "failed", "--landlord", "medway").endswith("0 failed messages.")
        assert run("outbox", "retry", str(message.pk), "--as", "olu.officer") == (
            f"Message {message.pk} will be sent again by the worker."
        )
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.PENDING and message.attempts == 0

    def test_mistakes_are_one_line_errors(self) -> None:
        [message] = queue_many(self.cast, 1)
        for args, error in (
            (("retry", "999999", "--as", "olu.officer"), "there is no outbox message 999999"),
            (("retry", str(message.pk), "--as", "nobody"), "there is no user 'nobody'"),
            (("retry", str(message.pk), "--as", "olu.officer"), "Only a message that failed can be sent again"),
            (("retry", str(message.pk), "--as", "hana.handler"), "Only a complaints officer or manager"),
            (("failed", "--landlord", "nowhere"), "unknown landlord 'nowhere'"),
        ):
            with pytest.raises(CommandError, match=error) as caught:
                run("outbox", *args)
            assert caught.value.returncode == 2


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()

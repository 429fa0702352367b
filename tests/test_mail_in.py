"""Email in: a reply joins its complaint only when it is sent there by a party to it; everything
else waits for triage, and bad mail is kept with what was wrong, never raised."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import date
from email.message import EmailMessage

import time_machine
from django.test import TestCase, override_settings

from putright.complaints import actions
from putright.complaints.models import Complaint, Event
from putright.correspondence import inbound, outbox
from putright.correspondence.models import InboundMessage, LetterStyle, OutboxMessage
from tests.cast import log, make_cast

TODAY = date(2025, 6, 16)
MAILBOX = "complaints@ashford.example.org"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def email(
    *,
    sender: str = "Rosa Resident <rosa@example.org>",
    to: str = MAILBOX,
    subject: str = "Re: your complaint",
    text: str = "The engineer still has not come.",
    **headers: str,
) -> EmailMessage:
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{hashlib.sha256((sender + to + subject + text).encode()).hexdigest()[:20]}@mail.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


class MediaTestCase(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="putright-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)


@time_machine.travel(TODAY, tick=False)
class ThreadingTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(
            cls.cast,
            date(2025, 6, 11),
            representative=actions.RepresentativeDetails(
                name="Ravi Rep", relationship="relative", authority="written", email="Ravi.Rep@example.net"
            ),
        )
        actions.assign_handler(cls.complaint, cls.cast.officer, handler=cls.cast.handler, conflict_of_interest=False)
        cls.other = log(cls.cast, date(2025, 6, 12), resident=actions.ResidentDetails(name="Stan", email="stan@x.org"))
        cls.sent = outbox.queue(
            landlord=cls.cast.landlord,
            kind=OutboxMessage.Kind.LETTER,
            to_address="rosa@example.org",
            subject="Your complaint has been acknowledged",
            body="Dear Rosa",
            complaint=cls.complaint,
        )

    def reply_address(self, complaint: Complaint | None = None) -> str:
        return outbox.reply_address(complaint or self.complaint)

    def events(self) -> list[Event]:
        return list(Event.objects.filter(complaint=self.complaint, kind="email-received"))

    def test_a_reply_to_the_complaints_reply_address_joins_its_timeline_and_tells_the_handler(self) -> None:
        message = inbound.ingest(email(to=self.reply_address()).as_bytes())
        self.assertEqual(message.state, InboundMessage.State.THREADED)
        self.assertEqual((message.complaint, message.matched_by), (self.complaint, "reply-address"))
        self.assertEqual(message.landlord, self.cast.landlord)
        [event] = self.events()
        self.assertIn("Email from the resident: Rosa Resident <rosa@example.org>", event.summary)
        self.assertIn("“Re: your complaint”", event.summary)
        self.assertIn("The engineer still has not come.", event.summary)
        self.assertEqual(event.after["inbound_message"], message.pk)
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_EMAIL)
        self.assertEqual((notice.to_user, notice.complaint), (self.cast.handler, self.complaint))
        self.assertIn(self.complaint.reference, notice.subject)

    def test_a_reply_by_in_reply_to_our_message_id_joins_the_complaint(self) -> None:
        assert self.sent is not None
        message = inbound.ingest(email(In_Reply_To=self.sent.message_id, References=self.sent.message_id).as_bytes())
        self.assertEqual((message.state, message.matched_by), (InboundMessage.State.THREADED, "in-reply-to"))
        self.assertEqual(message.complaint, self.complaint)

    def test_a_reply_found_by_references_alone_joins_the_complaint(self) -> None:
        assert self.sent is not None
        message = inbound.ingest(email(References=f"<older@mail.example> {self.sent.message_id}").as_bytes())
        self.assertEqual((message.complaint, message.matched_by), (self.complaint, "references"))

    def test_the_sender_is_matched_without_regard_to_case(self) -> None:
        message = inbound.ingest(email(sender="ROSA@Example.ORG", to=self.reply_address().upper()).as_bytes())
        self.assertEqual(message.complaint, self.complaint)

    def test_the_residents_forward_to_the_reply_address_joins_the_complaint(self) -> None:
        forward = email(
            to=self.reply_address(),
            subject="Fwd: Photos from the plumber",
            text="---------- Forwarded message ---------\nFrom: plumber@trade.example\n\nWe will come on Friday.",
        )
        message = inbound.ingest(forward.as_bytes())
        self.assertEqual((message.complaint, message.matched_by), (self.complaint, "reply-address"))

    def test_the_residents_forward_of_our_own_message_as_an_attachment_joins_the_complaint(self) -> None:
        assert self.sent is not None
        ours = email(sender=MAILBOX, to="rosa@example.org", subject="Acknowledged", text="Dear Rosa")
        ours.replace_header("Message-ID", self.sent.message_id)
        forward = email(subject="Fwd: Acknowledged", text="See below, I never got an answer.")
        forward.add_attachment(ours)
        message = inbound.ingest(forward.as_bytes())
        self.assertEqual((message.complaint, message.matched_by), (self.complaint, "forwarded"))
        self.assertIn("Dear Rosa", message.text)
        self.assertEqual([a.name for a in message.attachments.all()], ["forwarded-message.eml"])

    def test_a_stranger_forwarding_one_of_our_messages_goes_to_triage(self) -> None:
        assert self.sent is not None
        ours = email(sender=MAILBOX, to="rosa@example.org", subject="Acknowledged", text="Dear Rosa")
        ours.replace_header("Message-ID", self.sent.message_id)
        forward = email(sender="nosy@elsewhere.example", to=self.reply_address(), subject="Fwd: Acknowledged")
        forward.add_attachment(ours)
        message = inbound.ingest(forward.as_bytes())
        self.assertEqual((message.state, message.complaint), (InboundMessage.State.TO_TRIAGE, None))
        self.assertIn("nosy@elsewhere.example is not a party to it", message.problems)
        self.assertEqual(self.events(), [])
        self.assertFalse(OutboxMessage.objects.filter(kind=OutboxMessage.Kind.RESIDENT_EMAIL).exists())

    def test_a_stranger_quoting_the_reference_in_the_subject_goes_to_triage(self) -> None:
        message = inbound.ingest(
            email(sender="stranger@elsewhere.example", subject=f"Re: {self.complaint.reference}").as_bytes()
        )
        self.assertEqual((message.state, message.complaint), (InboundMessage.State.TO_TRIAGE, None))
        self.assertEqual(message.landlord, self.cast.landlord)
        self.assertEqual(message.problems, "")
        self.assertEqual(self.events(), [])

    def test_the_resident_quoting_the_reference_without_the_reply_address_goes_to_triage(self) -> None:
        message = inbound.ingest(email(subject=f"About {self.complaint.reference}").as_bytes())
        self.assertEqual((message.state, message.complaint), (InboundMessage.State.TO_TRIAGE, None))

    def test_a_stranger_replying_with_a_valid_in_reply_to_goes_to_triage(self) -> None:
        assert self.sent is not None
        message = inbound.ingest(
            email(sender="stranger@elsewhere.example", In_Reply_To=self.sent.message_id).as_bytes()
        )
        self.assertEqual((message.state, message.complaint), (InboundMessage.State.TO_TRIAGE, None))
        self.assertIn(f"It answers {self.complaint.reference} (by its in reply to)", message.problems)

    def test_a_reply_from_the_residents_representative_joins_the_complaint(self) -> None:
        message = inbound.ingest(email(sender="Ravi <ravi.rep@example.net>", to=self.reply_address()).as_bytes())
        self.assertEqual(message.complaint, self.complaint)
        [event] = self.events()
        self.assertIn("Email from the resident's representative", event.summary)

    def test_a_staff_members_reply_joins_the_complaint(self) -> None:
        message = inbound.ingest(email(sender="omar.handler@example.org", to=self.reply_address()).as_bytes())
        self.assertEqual(message.complaint, self.complaint)
        [event] = self.events()
        self.assertIn("Email from a member of staff", event.summary)
        self.assertEqual(OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_EMAIL).to_user, self.cast.handler)

    def test_the_handlers_own_copy_joins_the_complaint_without_telling_them(self) -> None:
        message = inbound.ingest(email(sender="hana.handler@example.org", to=self.reply_address()).as_bytes())
        self.assertEqual(message.complaint, self.complaint)
        self.assertFalse(OutboxMessage.objects.filter(kind=OutboxMessage.Kind.RESIDENT_EMAIL).exists())

    def test_another_landlords_staff_are_not_a_party(self) -> None:
        message = inbound.ingest(email(sender="sam.stranger@example.org", to=self.reply_address()).as_bytes())
        self.assertEqual(message.state, InboundMessage.State.TO_TRIAGE)

    def test_the_resident_of_one_complaint_cannot_post_to_anothers_reply_address(self) -> None:
        message = inbound.ingest(email(to=self.reply_address(self.other)).as_bytes())
        self.assertEqual((message.state, message.complaint), (InboundMessage.State.TO_TRIAGE, None))

    def test_a_token_on_a_mailbox_that_is_not_the_complaints_landlords_is_ignored(self) -> None:
        token = self.reply_address().split("+")[1].split("@")[0]
        message = inbound.ingest(email(to=f"someone+{token}@ashford.example.org").as_bytes())
        self.assertEqual(message.complaint, None)

    def test_a_sender_whose_domain_failed_dmarc_is_not_threaded(self) -> None:
        forged = email(to=self.reply_address(), Authentication_Results="mx.ashford.example.org; dmarc=fail")
        message = inbound.ingest(forged.as_bytes())
        self.assertEqual(message.state, InboundMessage.State.TO_TRIAGE)
        self.assertIn("failed DMARC", message.problems)

    def test_a_complaint_without_a_handler_tells_the_complaints_officer(self) -> None:
        message = inbound.ingest(email(sender="stan@x.org", to=self.reply_address(self.other)).as_bytes())
        self.assertEqual(message.complaint, self.other)
        notice = OutboxMessage.objects.get(kind=OutboxMessage.Kind.RESIDENT_EMAIL)
        self.assertEqual(notice.to_user, self.cast.officer)

    def test_the_same_message_fetched_twice_is_kept_once(self) -> None:
        raw = email(to=self.reply_address()).as_bytes()
        first = inbound.receive(raw)
        again = inbound.receive(raw)
        self.assertEqual((first.created, again.created, again.message.pk), (True, False, first.message.pk))
        self.assertEqual(len(self.events()), 1)

    def test_a_copy_delivered_to_a_second_address_is_kept_once(self) -> None:
        first = inbound.receive(email(to=self.reply_address()).as_bytes())
        copy = email(to=self.reply_address())
        copy["Delivered-To"] = MAILBOX
        again = inbound.receive(copy.as_bytes())
        self.assertEqual((again.created, again.message.pk), (False, first.message.pk))

    def test_the_raw_message_is_kept_with_its_sha256(self) -> None:
        raw = email(to=self.reply_address()).as_bytes()
        message = inbound.ingest(raw)
        with message.raw.open("rb") as kept:
            self.assertEqual(kept.read(), raw)
        self.assertEqual(message.raw_sha256, hashlib.sha256(raw).hexdigest())

    def test_attachments_are_kept_with_the_type_their_content_shows(self) -> None:
        message = email(to=self.reply_address())
        message.add_attachment(PDF, maintype="application", subtype="octet-stream", filename="../../quote.pdf")
        message.add_attachment(b"MZ\x90\x00binary", maintype="image", subtype="png", filename="photo.png")
        kept = inbound.ingest(message.as_bytes())
        files = [(a.name, a.content_type, a.size) for a in kept.attachments.all()]
        self.assertEqual(
            files, [("quote.pdf", "application/pdf", len(PDF)), ("photo.png", "application/octet-stream", 10)]
        )
        [event] = self.events()
        self.assertIn("with 2 attachments", event.summary)


@time_machine.travel(TODAY, tick=False)
class RoutingTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    @override_settings(COMPLAINTS_MAILBOX="complaints@putright.example")
    def test_a_mailbox_two_landlords_share_needs_the_reply_address(self) -> None:
        message = inbound.ingest(email(to="complaints@putright.example").as_bytes())
        self.assertIsNone(message.landlord)
        self.assertIn("several landlords share", message.problems)
        threaded = inbound.ingest(email(to=outbox.reply_address(self.complaint), text="again").as_bytes())
        self.assertEqual((threaded.landlord, threaded.complaint), (self.cast.landlord, self.complaint))

    def test_a_landlords_own_mailbox_routes_its_mail(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.other_landlord, email="Complaints@Medway.example")
        message = inbound.ingest(email(sender="x@y.example", to="complaints@medway.example").as_bytes())
        self.assertEqual(message.landlord, self.cast.other_landlord)

    def test_the_envelope_recipient_routes_a_blind_copy(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.other_landlord, email="complaints@medway.example")
        message = inbound.ingest(
            email(sender="x@y.example", to="someone@else.example").as_bytes(), recipients=["complaints@medway.example"]
        )
        self.assertEqual(message.landlord, self.cast.other_landlord)

    def test_mail_for_no_landlords_mailbox_is_kept_without_a_landlord(self) -> None:
        message = inbound.ingest(email(to="info@unrelated.example").as_bytes())
        self.assertIsNone(message.landlord)
        self.assertIn("Not addressed to any landlord's complaints mailbox", message.problems)


@time_machine.travel(TODAY, tick=False)
class BadMailTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def test_a_message_without_a_sender_goes_to_triage(self) -> None:
        message = inbound.ingest(email(sender="", to=outbox.reply_address(self.complaint)).as_bytes())
        self.assertEqual((message.state, message.from_address), (InboundMessage.State.TO_TRIAGE, ""))
        self.assertIn("No sender address", message.problems)

    def test_a_message_with_two_senders_is_not_threaded(self) -> None:
        raw = email(sender="rosa@example.org, mallory@evil.example", to=outbox.reply_address(self.complaint))
        message = inbound.ingest(raw.as_bytes())
        self.assertEqual(message.state, InboundMessage.State.TO_TRIAGE)
        self.assertIn("More than one sender address", message.problems)

    def test_broken_mime_boundaries_are_shown_as_text(self) -> None:
        raw = (
            b"From: rosa@example.org\r\nTo: " + MAILBOX.encode() + b"\r\nSubject: broken\r\n"
            b'Content-Type: multipart/mixed; boundary="right"\r\n\r\n'
            b"--wrong\r\nContent-Type: text/plain\r\n\r\nThe damp is back.\r\n--wrong--\r\n"
        )
        message = inbound.ingest(raw)
        self.assertIn("The damp is back.", message.text)
        self.assertIn("Malformed MIME", message.problems)

    def test_an_unknown_charset_is_read_with_replacement_characters(self) -> None:
        raw = (
            b"From: rosa@example.org\r\nTo: " + MAILBOX.encode() + b"\r\n"
            b"Subject: =?x-unknown?q?caf=E9?=\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n"
            b"Caf\xe9 au lait\r\n"
        )
        message = inbound.ingest(raw)
        self.assertEqual((message.subject, message.text), ("caf\ufffd", "Caf\ufffd au lait"))
        self.assertIn("Unknown character set 'x-unknown'", message.problems)

    def test_nul_bytes_and_raw_eight_bit_headers_are_stored_safely(self) -> None:
        raw = (
            b"From: r\xf6sa@example.org\r\nTo: " + MAILBOX.encode() + b"\r\nSubject: a\x00b \xff\r\n\r\nnul\x00here\r\n"
        )
        message = inbound.ingest(raw)
        self.assertNotIn("\x00", message.subject + message.text)
        self.assertIn("nulhere", message.text)

    def test_garbage_is_kept_without_crashing(self) -> None:
        for raw in (b"", b"\x00\xff\xfe", b"::::\r\n\r\n", b"Content-Type: multipart/mixed\r\n\r\n--\r\n"):
            message = inbound.ingest(raw)
            self.assertEqual(message.state, InboundMessage.State.TO_TRIAGE)

    def test_an_oversized_attachment_is_recorded_and_not_kept_separately(self) -> None:
        message = email()
        message.add_attachment(b"A" * 2048, maintype="application", subtype="pdf", filename="huge.pdf")
        message.add_attachment(PDF, maintype="application", subtype="pdf", filename="small.pdf")
        with override_settings(INBOUND_ATTACHMENT_MAX_BYTES=1024):
            kept = inbound.ingest(message.as_bytes())
        self.assertIn("Attachment 'huge.pdf' is 0.0 MB, over the 0.0 MB limit", kept.problems)
        self.assertEqual([a.name for a in kept.attachments.all()], ["small.pdf"])
        self.assertTrue(kept.raw)

    def test_an_oversized_message_keeps_only_its_headers(self) -> None:
        message = email(to=outbox.reply_address(self.complaint), text="x" * 5000)
        with override_settings(INBOUND_MAX_BYTES=1000):
            kept = inbound.ingest(message.as_bytes())
        self.assertEqual((kept.state, kept.complaint, kept.text), (InboundMessage.State.TO_TRIAGE, None, ""))
        self.assertEqual((kept.from_address, kept.subject), ("rosa@example.org", "Re: your complaint"))
        self.assertFalse(kept.raw)
        self.assertIn("over the 0.0 MB limit", kept.problems)
        self.assertIn("too large", kept.problems)

    def test_html_is_kept_sanitised_and_its_text_read_without_scripts(self) -> None:
        message = EmailMessage()
        message["From"] = "rosa@example.org"
        message["To"] = MAILBOX
        message["Subject"] = "Pictures"
        message.set_content(
            '<html><body onload="steal()"><p>The <b>mould</b> is back.</p>'
            "<script>alert('x')</script><img src=x onerror=alert(1)><p>Rosa</p></body></html>",
            subtype="html",
        )
        kept = inbound.ingest(message.as_bytes())
        self.assertEqual(kept.text, "The mould is back.\n\nRosa")
        self.assertNotIn("script", kept.html)
        self.assertNotIn("onload", kept.html)
        self.assertNotIn("onerror", kept.html)
        self.assertIn("<b>mould</b>", kept.html)

    def test_plain_text_is_preferred_to_html(self) -> None:
        message = email(text="Plain words")
        message.add_alternative("<p>HTML words</p>", subtype="html")
        kept = inbound.ingest(message.as_bytes())
        self.assertEqual(kept.text, "Plain words")
        self.assertEqual(kept.html.strip(), "<p>HTML words</p>")

    def test_a_very_long_subject_and_many_references_are_cut_to_fit(self) -> None:
        references = " ".join(f"<{n}@mail.example>" for n in range(500))
        kept = inbound.ingest(email(subject="S" * 1000, References=references).as_bytes())
        self.assertEqual(len(kept.subject), 300)
        self.assertLessEqual(len(kept.references), 5000)

"""The intake queue at /staff/mail/: the landlord's own email only, read by all its staff, triaged
by caseworkers, and never rendered as HTML."""

from __future__ import annotations

from datetime import date, datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase

from putright.correspondence import inbound, outbox
from putright.correspondence.models import InboundMessage, LetterStyle
from tests.cast import log, make_cast
from tests.test_mail_in import MAILBOX, PDF, MediaTestCase, email
from tests.test_workspace_support import page, signed_in

TODAY = date(2025, 6, 16)
LONDON = ZoneInfo("Europe/London")


def at(hour: int) -> datetime:
    return datetime(2025, 6, 16, hour, tzinfo=LONDON)


@time_machine.travel(datetime(2025, 6, 16, 17, tzinfo=LONDON), tick=False)
class IntakeQueueTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        LetterStyle.objects.create(landlord=cls.cast.other_landlord, email="complaints@medway.example")
        cls.complaint = log(cls.cast, date(2025, 6, 11))
        cls.older = inbound.ingest(
            email(sender="Pat Public <pat@public.example>", subject="My neighbour's bins").as_bytes(),
            received_at=at(9),
        )
        cls.newer = inbound.ingest(
            email(sender="Sally <sally@public.example>", subject="Leaking roof, nobody came").as_bytes(),
            received_at=at(11),
        )
        cls.threaded = inbound.ingest(email(to=outbox.reply_address(cls.complaint)).as_bytes(), received_at=at(10))
        cls.elsewhere = inbound.ingest(
            email(sender="med@public.example", to="complaints@medway.example", subject="Medway matter").as_bytes()
        )
        html = EmailMessage()
        html["From"] = "Hugo <hugo@public.example>"
        html["To"] = MAILBOX
        html["Subject"] = "See <b>this</b>"
        html.set_content(
            '<html><body onload="steal()"><p>The <b>mould</b> is back.</p>'
            "<script>alert('x')</script><a href=\"javascript:alert(2)\">click</a></body></html>",
            subtype="html",
        )
        html.add_attachment(PDF, maintype="application", subtype="pdf", filename="quote.pdf")
        cls.html = inbound.ingest(html.as_bytes(), received_at=at(8))

    def url(self, message: InboundMessage, step: str = "") -> str:
        return f"/staff/mail/{message.pk}/" + (f"{step}/" if step else "")

    def test_the_queue_lists_the_landlords_email_waiting_for_triage_newest_first(self) -> None:
        client = signed_in(self.cast.handler)
        client.get("/staff/mail/")  # the session is saved once, on the first page
        with self.assertNumQueries(4):  # session, user, staff member, the page of email
            response = client.get("/staff/mail/")
        text = page(response)
        self.assertEqual(response.status_code, 200)
        self.assertLess(text.index("Leaking roof, nobody came"), text.index("My neighbour&#x27;s bins"))
        self.assertIn("sally@public.example", text)
        self.assertIn("16 Jun 2025, 11:00", text)
        self.assertNotIn("Re: your complaint", text)
        self.assertNotIn("Medway matter", text)

    def test_all_email_shows_what_was_threaded_too(self) -> None:
        text = page(signed_in(self.cast.auditor).get("/staff/mail/?show=all"))
        self.assertIn("Re: your complaint", text)
        self.assertIn(self.complaint.reference, text)
        self.assertNotIn("Medway matter", text)

    def test_a_message_page_shows_headers_and_text_and_offers_triage(self) -> None:
        text = page(signed_in(self.cast.handler).get(self.url(self.newer)))
        self.assertIn("Sally &lt;sally@public.example&gt;", text)
        self.assertIn("The engineer still has not come.", text)
        self.assertIn(f'href="/staff/mail/{self.newer.pk}/triage/"', text)

    def test_html_and_scripts_are_shown_as_text_never_rendered(self) -> None:
        text = page(signed_in(self.cast.handler).get(self.url(self.html)))
        self.assertIn("The mould is back.", text)
        self.assertIn("&lt;b&gt;mould&lt;/b&gt;", text)
        self.assertIn("See &lt;b&gt;this&lt;/b&gt;", text)
        self.assertNotIn("<b>mould</b>", text)
        self.assertNotIn("alert(", text)
        self.assertNotIn("onload", text)
        self.assertNotIn("javascript:", text)

    def test_an_attachment_downloads_as_an_attachment_never_sniffed(self) -> None:
        [attachment] = self.html.attachments.all()
        response = signed_in(self.cast.auditor).get(self.url(self.html, f"attachments/{attachment.pk}"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(b"".join(response.streaming_content), PDF)  # type: ignore[attr-defined]
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="quote.pdf"')
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_the_raw_message_downloads_as_opaque_bytes(self) -> None:
        response = signed_in(self.cast.handler).get(self.url(self.html, "raw"))
        self.assertEqual(response["Content-Type"], "application/octet-stream")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn(b"<script>", b"".join(response.streaming_content))  # type: ignore[attr-defined]

    def test_another_landlords_email_is_not_found(self) -> None:
        [attachment] = self.html.attachments.all()
        stranger = signed_in(self.cast.stranger)
        for url in (
            self.url(self.newer),
            self.url(self.newer, "triage"),
            self.url(self.html, "raw"),
            self.url(self.html, f"attachments/{attachment.pk}"),
        ):
            self.assertEqual(stranger.get(url).status_code, 404, url)
        self.assertEqual(
            stranger.post(self.url(self.newer, "triage"), {"outcome": "neither", "note": "x"}).status_code, 404
        )
        self.assertIn("Medway matter", page(stranger.get("/staff/mail/")))

    def test_an_attachment_of_another_message_is_not_found(self) -> None:
        [attachment] = self.html.attachments.all()
        response = signed_in(self.cast.handler).get(self.url(self.newer, f"attachments/{attachment.pk}"))
        self.assertEqual(response.status_code, 404)

    def test_someone_not_signed_in_is_sent_to_sign_in(self) -> None:
        response = self.client.get("/staff/mail/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/staff/sign-in/", response["Location"])

    def test_the_auditor_reads_but_may_not_triage(self) -> None:
        auditor = signed_in(self.cast.auditor)
        self.assertNotIn("Triage this email", page(auditor.get(self.url(self.newer))))
        response = auditor.post(self.url(self.newer, "triage"), {"outcome": "neither", "note": "Spam"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(InboundMessage.objects.get(pk=self.newer.pk).state, InboundMessage.State.TO_TRIAGE)

    def test_triage_as_a_new_complaint_leads_to_logging_it(self) -> None:
        client = signed_in(self.cast.handler)
        self.assertIn("What is this email?", page(client.get(self.url(self.newer, "triage"))))
        response = client.post(self.url(self.newer, "triage"), {"outcome": "complaint", "note": ""})
        self.assertRedirects(response, self.url(self.newer))
        message = InboundMessage.objects.get(pk=self.newer.pk)
        self.assertEqual(
            (message.state, message.outcome, message.triaged_by, message.triaged_at),
            (InboundMessage.State.TRIAGED, "complaint", self.cast.handler, at(17)),
        )
        text = page(client.get(self.url(self.newer)))
        link = f"/staff/complaints/new/?from_email={self.newer.pk}"
        self.assertIn(f'href="{link}"', text)
        self.assertIn("Recorded as a new complaint by Hana Handler", text)
        self.assertNotIn("Leaking roof", page(client.get("/staff/mail/")))
        # The log form starts from the email: its sender, the day it came, and its words.
        form = page(client.get(link))
        self.assertIn('value="Sally"', form)
        self.assertIn('value="sally@public.example"', form)
        self.assertRegex(form, r'name="channel"[^>]*value="email"\s+checked')
        self.assertIn(self.newer.text.strip().splitlines()[0], form)

    def test_another_landlords_email_never_fills_the_log_form(self) -> None:
        client = signed_in(self.cast.handler)
        for raw in (str(self.elsewhere.pk), "x", "9" * 40, "-1"):
            form = page(client.get(f"/staff/complaints/new/?from_email={raw}"))
            self.assertNotIn("med@public.example", form)
            self.assertNotIn("Medway matter", form)

    def test_triage_as_a_service_request_leads_to_logging_it(self) -> None:
        client = signed_in(self.cast.officer)
        response = client.post(self.url(self.older, "triage"), {"outcome": "service-request"})
        self.assertRedirects(response, self.url(self.older))
        link = f"/staff/service-requests/new/?from_email={self.older.pk}"
        self.assertIn(f'href="{link}"', page(client.get(self.url(self.older))))
        self.assertIn('value="pat@public.example"', page(client.get(link)))

    def test_neither_needs_a_note(self) -> None:
        client = signed_in(self.cast.handler)
        response = client.post(self.url(self.older, "triage"), {"outcome": "neither", "note": "  "})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Enter why this email is neither a complaint nor a service request", page(response))
        response = client.post(self.url(self.older, "triage"), {"outcome": "neither", "note": "A newsletter"})
        self.assertRedirects(response, "/staff/mail/")
        message = InboundMessage.objects.get(pk=self.older.pk)
        self.assertEqual((message.outcome, message.outcome_note), ("neither", "A newsletter"))

    def test_an_outcome_must_be_chosen(self) -> None:
        response = signed_in(self.cast.handler).post(self.url(self.older, "triage"), {"note": ""})
        self.assertIn("Select what this email is", page(response))

    def test_email_already_triaged_or_threaded_cannot_be_triaged_again(self) -> None:
        client = signed_in(self.cast.handler)
        client.post(self.url(self.older, "triage"), {"outcome": "neither", "note": "Spam"})
        for message in (self.older, self.threaded):
            response = client.post(self.url(message, "triage"), {"outcome": "complaint"})
            self.assertEqual(response.status_code, 200)
            self.assertIn("cannot be triaged again", page(response))


class TriageWithoutMediaTests(TestCase):
    @time_machine.travel(TODAY, tick=False)
    def test_a_message_with_no_landlord_cannot_be_reached_by_any_landlords_staff(self) -> None:
        cast = make_cast()
        message = InboundMessage.objects.create(
            raw_sha256="0" * 64, received_at=at(9), state=InboundMessage.State.TO_TRIAGE, subject="Lost"
        )
        self.assertEqual(signed_in(cast.officer).get(f"/staff/mail/{message.pk}/").status_code, 404)
        self.assertNotIn("Lost", page(signed_in(cast.officer).get("/staff/mail/")))

"""Letters in the workspace: each issued letter as sent (page, PDF, Word copy), the landlord's
wording and letterhead kept by the complaints officer, the outbox, and the 5.9 update step."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from datetime import date

import docx
import time_machine
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from docx.shared import Pt

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Stage
from putright.correspondence import actions as letter_actions
from putright.correspondence.compose import default_template
from putright.correspondence.models import Letter, LetterStyle, LetterTemplate, OutboxMessage
from putright.correspondence.rendering import render_letter
from putright.rules.letters import LetterType, elements
from tests.cast import Cast, acknowledge, log, make_cast
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)
SCRIPT_NAME = "Rosa <script>alert('name')</script> Resident"
SCRIPT_UNDERSTANDING = "<script>alert('x')</script> The boiler has been broken since May."
ACK = LetterType.STAGE1_ACKNOWLEDGEMENT


def letter_url(letter: Letter, what: str = "") -> str:
    return f"/staff/complaints/{letter.complaint.reference}/letters/{letter.pk}/" + (f"{what}/" if what else "")


def wording_url(letter_type: LetterType, what: str = "") -> str:
    return f"/staff/letters/{letter_type.value}/" + (f"{what}/" if what else "")


def words(document: docx.document.Document) -> str:
    """Every word of a Word document, its tables included, with the spacing made plain."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def pieces(value: object) -> list[str]:
    """The words of a letter's field as a reader finds them in the letter."""
    if isinstance(value, dict):
        return [piece for v in value.values() for piece in pieces(v)]
    if isinstance(value, list):
        return [piece for v in value for piece in pieces(v)]
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n|\n", str(value)) if part.strip()]


def acknowledged(cast: Cast, **changes: object) -> Complaint:
    resident = actions.ResidentDetails(name=SCRIPT_NAME, email="rosa@example.org", address="1 Mill Lane\nAshford")
    return acknowledge(
        cast, log(cast, date(2025, 6, 9), resident=resident), date(2025, 6, 10), understanding=SCRIPT_UNDERSTANDING
    )


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
class ComplaintLettersTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledged(cls.cast)
        cls.letter = Letter.objects.get(complaint=cls.complaint)

    def test_the_complaint_page_lists_each_letter_with_its_state_and_fingerprint(self) -> None:
        html = page(signed_in(self.cast.handler).get(complaint_url(self.complaint)))
        section = html.split('id="letters"', 1)[1].split('id="timeline"', 1)[0]
        assert f'href="{letter_url(self.letter)}">Stage 1 acknowledgement</a>' in section
        assert "10 Jun 2025" in section and "Hana Handler" in section
        assert "Emailed to rosa@example.org" in section and "Waiting to send" in section
        assert "PDF being prepared" in section and self.letter.html_sha256[:12] in section
        assert letter_url(self.letter, "docx") in section and letter_url(self.letter, "pdf") not in section
        assert "Emails about this complaint" in section and "Letter to the resident" in section

    def test_the_complaint_page_costs_the_same_however_many_letters(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        actions.request_clarification(self.complaint, self.cast.handler, on=TODAY, question="Which days?")
        actions.agree_update_interval(self.complaint, self.cast.handler, every_days=5, agreed_on=TODAY)
        actions.send_update(self.complaint, self.cast.handler, on=TODAY, update="The contractor visits Monday.")
        assert Letter.objects.filter(complaint=self.complaint).count() == 3
        with self.assertNumQueries(len(one.captured_queries)):
            html = page(client.get(url))
        assert "Clarification request" in html and "Update on a late complaint" in html

    def test_a_letter_is_shown_as_issued_with_anything_typed_shown_as_text(self) -> None:
        response = signed_in(self.cast.handler).get(letter_url(self.letter))
        html = page(response)
        assert response.status_code == 200
        assert f"<title>Stage 1 acknowledgement letter of 10 June 2025: {self.complaint.reference}" in html
        assert "<script>alert(" not in html
        assert "Rosa &lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt; Resident" in html  # the addressee
        assert "&lt;script&gt;alert('x')&lt;/script&gt; The boiler" in html  # the definition, in the body
        assert "1 Mill Lane<br>Ashford" in html and "Dear Rosa" in html
        assert self.letter.html_sha256 in html and "Putright's" in html

    def test_the_pdf_is_the_workers_a_409_until_it_is_rendered_then_a_download(self) -> None:
        client = signed_in(self.cast.handler)
        response = client.get(letter_url(self.letter, "pdf"))
        assert response.status_code == 409 and "The PDF is being prepared" in page(response)
        assert letter_url(self.letter, "docx") in page(response)
        assert render_letter(self.letter.pk) == "rendered"
        response = client.get(letter_url(self.letter, "pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        filename = f"{self.complaint.reference}-stage1-acknowledgement.pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        content = b"".join(response.streaming_content)
        assert content.startswith(b"%PDF") and Letter.objects.get(pk=self.letter.pk).pdf_sha256
        html = page(client.get(complaint_url(self.complaint)))
        assert letter_url(self.letter, "pdf") in html and "PDF being prepared" not in html

    def test_a_pdf_that_could_not_be_made_says_so(self) -> None:
        Letter.objects.filter(pk=self.letter.pk).update(rendering=Letter.Rendering.FAILED, render_attempts=5)
        response = signed_in(self.cast.handler).get(letter_url(self.letter, "pdf"))
        assert response.status_code == 409
        assert "The PDF could not be made" in page(response) and "tried 5 times" in page(response)

    def test_the_word_copy_has_the_letterhead_addressee_and_every_required_element(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.landlord, address="Civic Centre\nAshford", phone="01632 960001")
        response = signed_in(self.cast.handler).get(letter_url(self.letter, "docx"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
        filename = f"{self.complaint.reference}-stage1-acknowledgement.docx"
        assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
        document = docx.Document(io.BytesIO(response.content))
        text = words(document)
        assert "Ashford Borough Council" in text and "Civic Centre" in text and "Telephone: 01632 960001" in text
        assert f"{SCRIPT_NAME} 1 Mill Lane Ashford" in text  # the addressee, as plain text
        for element in elements(ACK):
            for piece in pieces(self.letter.data[element.key]):
                assert piece in text, (element.key, piece)
        assert document.styles["Normal"].font.size == Pt(11)
        assert document.core_properties.title == self.letter.subject

    def test_a_large_print_letter_is_large_in_word_too(self) -> None:
        Letter.objects.filter(pk=self.letter.pk).update(large_print=True)
        response = signed_in(self.cast.handler).get(letter_url(self.letter, "docx"))
        document = docx.Document(io.BytesIO(response.content))
        assert document.styles["Normal"].font.size == Pt(18)

    def test_the_word_copy_keeps_headings_lists_tables_and_emphasis(self) -> None:
        Letter.objects.filter(pk=self.letter.pk).update(
            html="<h2>Our decision</h2>\n<p>We <strong>upheld</strong> it, <em>in part</em>.<br>Next line</p>\n"
            "<ol><li>First point</li><li>Second point</li></ol>\n<ul><li>A bullet</li></ul>\n"
            "<table><thead><tr><th>Item</th><th>Amount</th></tr></thead>"
            "<tbody><tr><td>Time &amp; trouble</td><td>£50.00</td></tr></tbody></table>"
        )
        response = signed_in(self.cast.handler).get(letter_url(self.letter, "docx"))
        document = docx.Document(io.BytesIO(response.content))
        body = {p.text: p for p in document.paragraphs}
        assert body["Our decision"].style.name == "Heading 2"
        decision = next(p for p in document.paragraphs if p.text.startswith("We upheld"))
        assert [r.text for r in decision.runs if r.bold] == ["upheld"]
        assert [r.text for r in decision.runs if r.italic] == ["in part"] and "\nNext line" in decision.text
        assert "1.\tFirst point" in body and "2.\tSecond point" in body
        assert body["A bullet"].style.name == "List Bullet"
        table = document.tables[0]
        assert [[c.text for c in row.cells] for row in table.rows] == [["Item", "Amount"], ["Time & trouble", "£50.00"]]

    def test_another_landlords_letter_is_not_found(self) -> None:
        stranger = signed_in(self.cast.stranger)
        for what in ("", "pdf", "docx"):
            assert stranger.get(letter_url(self.letter, what)).status_code == 404, what
        other = log(self.cast, date(2025, 6, 11))
        wrong = f"/staff/complaints/{other.reference}/letters/{self.letter.pk}/"
        assert signed_in(self.cast.handler).get(wrong).status_code == 404

    def test_anyone_on_the_staff_may_read_the_letters_an_auditor_included(self) -> None:
        auditor = signed_in(self.cast.auditor)
        assert auditor.get(letter_url(self.letter)).status_code == 200
        assert auditor.get(letter_url(self.letter, "docx")).status_code == 200


@time_machine.travel(TODAY, tick=False)
class SendUpdateStepTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 9)), date(2025, 6, 10))

    def test_offered_only_once_an_update_interval_is_agreed_5_9(self) -> None:
        handler = signed_in(self.cast.handler)
        assert ">Send an update</a>" not in page(handler.get(complaint_url(self.complaint)))
        response = handler.get(complaint_url(self.complaint, "send-update"), follow=True)
        assert "You cannot send an update" in page(response)
        actions.agree_update_interval(self.complaint, self.cast.handler, every_days=5, agreed_on=TODAY)
        assert ">Send an update</a>" in page(handler.get(complaint_url(self.complaint)))
        html = page(handler.get(complaint_url(self.complaint, "send-update")))
        assert "every 5 working days" in html and "The next update is due by 23 June 2025" in html

    def test_sending_an_update_issues_the_letter_and_sets_the_next_one(self) -> None:
        actions.agree_update_interval(self.complaint, self.cast.handler, every_days=5, agreed_on=date(2025, 6, 11))
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        handler = signed_in(self.cast.handler)
        url = complaint_url(complaint, "send-update")
        html = page(
            handler.post(url, {"expected_version": complaint.version, "update": "", **date_fields("on", TODAY)})
        )
        assert "Enter the update" in html and not Letter.objects.filter(letter_type=LetterType.UPDATE).exists()
        response = handler.post(
            url,
            {
                "expected_version": complaint.version,
                "update": "The <b>contractor</b> visits Monday.",
                **date_fields("on", TODAY),
            },
            follow=True,
        )
        assert response.redirect_chain[-1][0] == complaint_url(complaint) + "#letters"
        html = page(response)
        assert "Update letter issued to the resident. The next update is due by 23 June 2025." in html
        letter = Letter.objects.get(letter_type=LetterType.UPDATE)
        assert "The &lt;b&gt;contractor&lt;/b&gt; visits Monday." in letter.html
        assert Stage.objects.get(complaint=complaint, number=1).next_update_due == date(2025, 6, 23)

    def test_a_stale_page_is_refused(self) -> None:
        actions.agree_update_interval(self.complaint, self.cast.handler, every_days=5, agreed_on=TODAY)
        html = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "send-update"),
                {"expected_version": self.complaint.version, "update": "News", **date_fields("on", TODAY)},
            )
        )
        assert "There is a problem" in html and not Letter.objects.filter(letter_type=LetterType.UPDATE).exists()

    def test_an_auditor_is_refused_and_another_landlord_finds_nothing(self) -> None:
        actions.agree_update_interval(self.complaint, self.cast.handler, every_days=5, agreed_on=TODAY)
        url = complaint_url(self.complaint, "send-update")
        assert signed_in(self.cast.auditor).get(url).status_code == 403
        assert signed_in(self.cast.auditor).post(url, {"expected_version": 9}).status_code == 403
        assert signed_in(self.cast.stranger).get(url).status_code == 404


def wording_form(letter_type: LetterType, version: int = 0, **changes: str) -> dict[str, str]:
    subject, body = default_template(letter_type)
    data = {"subject": subject, "body": body, "expected_version": str(version), "save": "save"}
    data.update(changes)
    return data


@time_machine.travel(TODAY, tick=False)
class WordingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_list_shows_every_letter_type_and_whose_wording_it_uses(self) -> None:
        officer = signed_in(self.cast.officer)
        officer.get("/staff/letters/")
        with CaptureQueriesContext(connection) as none_own:
            html = page(officer.get("/staff/letters/"))
        for letter_type in LetterType:
            assert f">{letter_type.label}</th>" in html and wording_url(letter_type) in html
        assert html.count("Putright's</strong>") == len(LetterType)
        for letter_type in (ACK, LetterType.EXTENSION, LetterType.CLOSURE):
            subject, body = default_template(letter_type)
            letter_actions.save_template(
                self.cast.landlord, self.cast.officer, letter_type, subject=subject, body=body + "<p>Thanks</p>"
            )
        with self.assertNumQueries(len(none_own.captured_queries)):
            html = page(officer.get("/staff/letters/"))
        assert html.count("Your own</strong> version 1, saved 16 Jun 2025 by Olu Officer") == 3
        assert html.count("Putright's</strong>") == len(LetterType) - 3

    def test_only_the_complaints_officer_and_managers_may_change_it_handlers_may_not_see_it(self) -> None:
        for user in (self.cast.handler, self.cast.reviewer):
            client = signed_in(user)
            assert client.get("/staff/letters/").status_code == 403
            assert client.get(wording_url(ACK)).status_code == 403
            assert client.post(wording_url(ACK), wording_form(ACK)).status_code == 403
            assert client.get("/staff/letters/letterhead/").status_code == 403
        manager = signed_in(self.cast.manager)
        assert manager.get(wording_url(ACK)).status_code == 200
        assert (
            manager.post(wording_url(ACK), wording_form(ACK, body=default_template(ACK)[1] + "<p>Hi</p>")).status_code
            == 302
        )
        assert LetterTemplate.objects.get().updated_by == self.cast.manager

    def test_an_auditor_reads_the_wording_but_cannot_change_it(self) -> None:
        auditor = signed_in(self.cast.auditor)
        assert ">View<span" in page(auditor.get("/staff/letters/"))
        html = page(auditor.get(wording_url(ACK)))
        assert "<textarea" not in html and "Your role can read it but not change it" in html
        assert "{{ ombudsman }}" in html and "Alex Example" in html  # the wording, and as a letter
        body = default_template(ACK)[1] + "<p>Changed</p>"
        assert auditor.post(wording_url(ACK), wording_form(ACK, body=body)).status_code == 403
        letter_actions.save_template(
            self.cast.landlord, self.cast.officer, ACK, subject="Hello {{ reference }}", body=body
        )
        assert auditor.get(wording_url(ACK, "reset")).status_code == 403
        assert auditor.post(wording_url(ACK, "reset")).status_code == 403
        style = page(auditor.get("/staff/letters/letterhead/"))
        assert "<form" not in style.split("<main", 1)[1].split("</main>")[0]
        assert auditor.post("/staff/letters/letterhead/", {"phone": "01632 960001"}).status_code == 403
        assert LetterTemplate.objects.get().version == 1 and not LetterStyle.objects.exists()

    def test_valid_wording_is_saved_as_a_new_version_with_who_and_when_and_used_on_the_next_letter(self) -> None:
        officer = signed_in(self.cast.officer)
        html = page(officer.get(wording_url(ACK)))
        assert "This letter uses Putright's wording" in html and "{{ ombudsman }}" in html
        assert "3.7" in html and "5.6" in html and "Required" in html  # required fields, with provisions
        body = default_template(ACK)[1].replace("Thank you for your complaint", "Many thanks for your complaint")
        response = officer.post(wording_url(ACK), wording_form(ACK, body=body), follow=True)
        assert response.redirect_chain[-1][0] == "/staff/letters/"
        assert "Stage 1 acknowledgement: your wording is saved as version 1" in page(response)
        template = LetterTemplate.objects.get()
        assert (template.version, template.updated_by, template.updated_at) == (1, self.cast.officer, clock.now())
        response = officer.post(wording_url(ACK), wording_form(ACK, 1, body=body + "\n<p>Best wishes.</p>"))
        assert response.status_code == 302 and LetterTemplate.objects.get().version == 2
        officer.post(wording_url(ACK), wording_form(ACK, 2, body=body + "\n<p>Best wishes.</p>"))
        assert LetterTemplate.objects.get().version == 2  # nothing changed, nothing saved
        letter = Letter.objects.get(complaint=acknowledged(self.cast))
        assert letter.template_version == 2 and "Many thanks for your complaint" in letter.html

    def test_a_change_saved_meanwhile_by_someone_else_is_not_overwritten(self) -> None:
        body = default_template(ACK)[1] + "<p>Mine</p>"
        letter_actions.save_template(self.cast.landlord, self.cast.manager, ACK, subject="S {{ reference }}", body=body)
        html = page(signed_in(self.cast.officer).post(wording_url(ACK), wording_form(ACK, 0, body=body + "<p>x</p>")))
        assert "Someone else changed this wording since you opened it" in html
        assert LetterTemplate.objects.get().body == body

    def test_wording_that_breaks_the_rules_is_refused_with_a_specific_message_and_nothing_saved(self) -> None:
        officer = signed_in(self.cast.officer)
        body = default_template(ACK)[1]
        cases = {
            "missing ombudsman": (
                body.replace("{{ ombudsman }}", ""),
                "The wording leaves out {{ ombudsman }}, that the Housing Ombudsman can help at any time",
            ),
            "a loop": (
                body + "{% for point in points %}<p>{{ point }}</p>{% endfor %}",
                "Templates can use fields in double braces and {% if %} blocks only, not for",
            ),
            "attribute access": (body + "<p>{{ ''.__class__ }}</p>", "not getattr"),
            "a script": (body + "<script>alert(1)</script>", "&lt;script&gt; is not allowed in a letter"),
            "an unknown field": (body + "<p>{{ password }}</p>", "There is no field called &#x27;password&#x27;"),
            "an attribute": (body + '<p style="color:red">Hi</p>', "Tags cannot have attributes"),
        }
        for name, (wording, message) in cases.items():
            for button in ("save", "preview"):
                response = officer.post(wording_url(ACK), {**wording_form(ACK, body=wording), button: button})
                html = page(response)
                assert response.status_code == 200, name
                assert "There is a problem" in html and 'href="#id_body"' in html, name
                assert message in html, (name, button)
                assert "<script>alert(1)" not in html and 'id="preview"' not in html, name
        html = page(officer.post(wording_url(ACK), wording_form(ACK, subject="")))
        assert "Enter the email subject" in html and 'href="#id_subject"' in html
        assert not LetterTemplate.objects.exists()

    def test_preview_shows_the_wording_as_a_letter_and_saves_nothing(self) -> None:
        LetterStyle.objects.create(
            landlord=self.cast.landlord,
            phone="01632 960001",
            signatory_name="Olu Officer",
            signatory_role="Complaints Officer",
        )
        body = default_template(ACK)[1].replace("Thank you for your complaint", "Many thanks for your complaint")
        form = wording_form(ACK, body=body)
        del form["save"]
        html = page(signed_in(self.cast.officer).post(wording_url(ACK), {**form, "preview": "preview"}))
        preview = html.split('id="preview"', 1)[1]
        assert "Many thanks for your complaint" in preview and "Dear Alex Example" in preview
        assert "Telephone: 01632 960001" in preview and "Olu Officer, Complaints Officer" in preview
        assert "Nothing is saved until you choose Save" in html and not LetterTemplate.objects.exists()
        assert "Error:" not in html.split("</title>")[0]

    def test_using_putrights_wording_again_deletes_the_landlords_and_versions_carry_on(self) -> None:
        officer = signed_in(self.cast.officer)
        assert officer.get(wording_url(ACK, "reset"), follow=True).redirect_chain[-1][0] == wording_url(ACK)
        body = default_template(ACK)[1] + "<p>Ours</p>"
        letter_actions.save_template(self.cast.landlord, self.cast.officer, ACK, subject="S {{ reference }}", body=body)
        acknowledged(self.cast)  # a letter issued with version 1
        assert "Use Putright's wording instead" in page(officer.get(wording_url(ACK)))
        html = page(officer.get(wording_url(ACK, "reset")))
        assert "Your wording (version 1) will be deleted" in html
        response = officer.post(wording_url(ACK, "reset"), follow=True)
        assert "letters issued from now on use Putright&#x27;s wording" in page(response)
        assert not LetterTemplate.objects.exists()
        saved = letter_actions.save_template(
            self.cast.landlord, self.cast.officer, ACK, subject="S {{ reference }}", body=body
        )
        assert saved is not None and saved.version == 2  # never the version an issued letter has

    def test_an_unknown_letter_type_is_not_found(self) -> None:
        officer = signed_in(self.cast.officer)
        assert officer.get("/staff/letters/nonsense/").status_code == 404
        assert officer.post("/staff/letters/nonsense/reset/").status_code == 404

    def test_another_landlord_has_its_own_wording(self) -> None:
        body = default_template(ACK)[1] + "<p>Ashford only</p>"
        letter_actions.save_template(self.cast.landlord, self.cast.officer, ACK, subject="S {{ reference }}", body=body)
        stranger = signed_in(self.cast.stranger)
        assert page(stranger.get("/staff/letters/")).count("Putright's</strong>") == len(LetterType)
        assert "Ashford only" not in page(stranger.get(wording_url(ACK)))

    def test_the_letterhead_and_signatory_are_checked_saved_and_used(self) -> None:
        officer = signed_in(self.cast.officer)
        bad = {
            "address": "Civic Centre",
            "phone": "call us",
            "email": "not an email",
            "website": "javascript:alert(1)",
            "signatory_name": "",
            "signatory_role": "",
            "contact": "handler",
        }
        html = page(officer.post("/staff/letters/letterhead/", bad))
        assert "Enter an email address in the correct format" in html
        assert not LetterStyle.objects.exists()
        html = page(officer.post("/staff/letters/letterhead/", {**bad, "email": "complaints@ashford.example"}))
        assert "Enter a telephone number, like 01632 960 001" in html and "Enter a website address" in html
        assert not LetterStyle.objects.exists()
        good = {
            "address": "Civic Centre\r\nTannery Lane\r\nAshford TN23 1PL",
            "phone": "01233 331111",
            "email": "complaints@ashford.example",
            "website": "www.ashford.example/complaints",
            "signatory_name": "Olu Officer",
            "signatory_role": "Complaints Officer",
            "contact": "handler",
        }
        response = officer.post("/staff/letters/letterhead/", good, follow=True)
        assert "Letterhead and signatory saved" in page(response)
        style = LetterStyle.objects.get()
        assert style.address == "Civic Centre\nTannery Lane\nAshford TN23 1PL" and style.updated_by == self.cast.officer
        letter = Letter.objects.get(complaint=acknowledged(self.cast))
        assert "Olu Officer, Complaints Officer" in letter.html
        assert "Tannery Lane" in page(officer.get(letter_url(letter)))


@time_machine.travel(TODAY, tick=False)
class OutboxTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledged(cls.cast)
        cls.pending = OutboxMessage.objects.get(complaint=cls.complaint)
        cls.failed = OutboxMessage.objects.create(
            landlord=cls.cast.landlord,
            complaint=cls.complaint,
            kind=OutboxMessage.Kind.LETTER,
            to_address="rep@example.org",
            subject="Your complaint",
            body="Words",
            message_id="<failed@example.org>",
            state=OutboxMessage.State.FAILED,
            attempts=5,
            last_error="550 <b>mailbox</b> unavailable",
            next_attempt_at=clock.now(),
            created_at=clock.now(),
        )

    def test_lists_failed_and_waiting_email_with_errors_and_attempts(self) -> None:
        officer = signed_in(self.cast.officer)
        officer.get("/staff/outbox/")
        with CaptureQueriesContext(connection) as few:
            html = page(officer.get("/staff/outbox/"))
        assert "Failed (1)" in html and "Waiting to send (1)" in html
        assert "550 &lt;b&gt;mailbox&lt;/b&gt; unavailable" in html and "5 attempts" in html
        assert f'action="/staff/outbox/{self.failed.pk}/retry/"' in html
        assert f'action="/staff/outbox/{self.pending.pk}/retry/"' not in html
        for n in range(5):
            OutboxMessage.objects.create(
                landlord=self.cast.landlord,
                complaint=self.complaint,
                kind=OutboxMessage.Kind.DUE_SOON,
                to_address="hana.handler@example.org",
                subject=f"Due soon {n}",
                body="Words",
                message_id=f"<due-{n}@example.org>",
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
        with self.assertNumQueries(len(few.captured_queries)):
            assert "Waiting to send (6)" in page(officer.get("/staff/outbox/"))

    def test_retrying_a_failed_email_puts_it_back_to_send(self) -> None:
        response = signed_in(self.cast.officer).post(f"/staff/outbox/{self.failed.pk}/retry/", follow=True)
        assert "The email to rep@example.org will be sent again shortly" in page(response)
        message = OutboxMessage.objects.get(pk=self.failed.pk)
        assert message.state == OutboxMessage.State.PENDING and message.attempts == 0
        assert self.complaint.events.filter(kind="email-retried").exists()

    def test_retrying_an_email_that_has_not_failed_says_there_is_nothing_to_do(self) -> None:
        response = signed_in(self.cast.manager).post(f"/staff/outbox/{self.pending.pk}/retry/", follow=True)
        assert "is already waiting to be sent, so there is nothing to retry" in page(response)

    def test_an_auditor_sees_the_outbox_but_cannot_retry_and_handlers_cannot_see_it(self) -> None:
        auditor = signed_in(self.cast.auditor)
        html = page(auditor.get("/staff/outbox/"))
        assert "Failed (1)" in html and "/retry/" not in html
        assert auditor.post(f"/staff/outbox/{self.failed.pk}/retry/").status_code == 403
        assert signed_in(self.cast.handler).get("/staff/outbox/").status_code == 403
        assert signed_in(self.cast.officer).get(f"/staff/outbox/{self.failed.pk}/retry/").status_code == 405
        assert OutboxMessage.objects.get(pk=self.failed.pk).state == OutboxMessage.State.FAILED

    def test_another_landlords_email_is_neither_shown_nor_retried(self) -> None:
        stranger = signed_in(self.cast.stranger)
        assert "Failed (0)" in page(stranger.get("/staff/outbox/"))
        assert stranger.post(f"/staff/outbox/{self.failed.pk}/retry/").status_code == 404

    def test_the_complaint_page_shows_a_failed_email_and_where_to_retry_it(self) -> None:
        html = page(signed_in(self.cast.officer).get(complaint_url(self.complaint)))
        assert "550 &lt;b&gt;mailbox&lt;/b&gt; unavailable" in html and "Retry from the outbox" in html
        assert "Retry from the outbox" not in page(signed_in(self.cast.handler).get(complaint_url(self.complaint)))


class NavigationTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_letter_wording_and_the_outbox_are_linked_for_those_who_may_use_them(self) -> None:
        for user in (self.cast.officer, self.cast.manager, self.cast.auditor):
            html = page(signed_in(user).get("/staff/"))
            assert 'href="/staff/letters/"' in html and 'href="/staff/outbox/"' in html, user
        for user in (self.cast.handler, self.cast.reviewer):
            html = page(signed_in(user).get("/staff/"))
            assert 'href="/staff/letters/"' not in html and 'href="/staff/outbox/"' not in html, user
        html = page(signed_in(self.cast.officer).get(wording_url(ACK)))
        assert 'href="/staff/letters/" aria-current="page"' in html

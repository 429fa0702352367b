"""Every change from a page happens exactly once, and a letter is seen before it goes.

A step that issues a letter shows it on a confirmation page and acts only on Send; Send pressed
again (a double click, Back and Send again) does nothing and says so; a page left open while the
complaint changed is refused with what changed; doing a step again at the same stage (a second
extension, a second update) needs an explicit "yes, again".
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from html.parser import HTMLParser

import time_machine
from django.test import TestCase

from putright.complaints.models import Complaint, Extension, Remedy, Status
from putright.correspondence.models import Letter
from putright.correspondence.rendering import pdf_bytes
from putright.people.models import ReasonableAdjustment
from tests.cast import acknowledge, log, make_cast, respond
from tests.pdf_text import PdfText, page_texts, squash
from tests.test_workspace_support import complaint_url, date_fields, page, respond_form, signed_in

TODAY = date(2025, 6, 16)
FOOTER = re.compile(r"ASH-\d{4}-\d{5} Page \d+ of \d+")  # the running footer of each page


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def extend_form(complaint: Complaint, **changes: str) -> dict[str, str]:
    return {
        "expected_version": str(complaint.version),
        "days": "3",
        "reason": "Waiting for the contractor's report",
        "good_reason": "",
        # Older forms asked for these; a form that no longer has them ignores them.
        **date_fields("resident_told_on", TODAY),
        "ombudsman_details_given": "on",
        **changes,
    }


class _Text(HTMLParser):
    """The text inside the element with a given id (the letter on a confirmation page)."""

    def __init__(self, element_id: str) -> None:
        super().__init__()
        self.element_id, self.depth, self.parts = element_id, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.element_id:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> str:
    parser = _Text(element_id)
    parser.feed(html)
    return unescape(" ".join(parser.parts))


@time_machine.travel(TODAY, tick=False)
class LetterStepsAreConfirmedTests(TestCase):
    """Code 6.4 and 6.5: the extension is the letter; it is issued once, when Send is pressed."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def test_answers_lead_to_the_letter_and_nothing_is_done_until_send(self) -> None:
        client = signed_in(self.cast.handler, confirm=False)
        url = complaint_url(self.complaint, "extend")
        assert "You will see the letter to the resident before it is sent" in page(client.get(url))
        answered = client.post(url, extend_form(self.complaint))
        assert answered.status_code == 302 and "?confirm=" in answered["Location"]
        assert not Extension.objects.filter(stage__complaint=self.complaint).exists()
        assert fresh(self.complaint).version == self.complaint.version
        assert not Letter.objects.filter(complaint=self.complaint, letter_type="extension").exists()

        confirmation = page(client.get(answered["Location"]))
        assert "Check the letter before it is sent" in confirmation and "Nothing has been done yet" in confirmation
        assert "Waiting for the contractor&#x27;s report" in confirmation  # the answers, escaped
        assert "The letter: extension notice" in confirmation and "emailed</strong> to rosa@example.org" in confirmation
        letter = text_of(confirmation, "letter-1")
        assert "Housing Ombudsman" in letter and "Waiting for the contractor's report" in letter
        assert ">Change<span" in confirmation and "?change=" in confirmation
        assert not Extension.objects.filter(stage__complaint=self.complaint).exists()  # looking did nothing

        token = answered["Location"].split("?confirm=")[1]
        sent = client.post(url, {"send": token})
        assert sent.status_code == 302 and sent["Location"] == complaint_url(self.complaint)
        assert Extension.objects.filter(stage__complaint=self.complaint).count() == 1
        assert Letter.objects.filter(complaint=self.complaint, letter_type="extension").count() == 1

    def test_send_again_and_back_to_the_confirmation_do_nothing_and_say_why(self) -> None:
        client = signed_in(self.cast.handler, confirm=False)
        url = complaint_url(self.complaint, "extend")
        location = client.post(url, extend_form(self.complaint))["Location"]
        token = location.split("?confirm=")[1]
        client.post(url, {"send": token})
        again = client.post(url, {"send": token}, follow=True)  # a double click, or Back and Send again
        assert "This was already done at" in page(again) and "Nothing was done again" in page(again)
        back = client.get(location, follow=True)  # Back to the confirmation page
        assert "Nothing was done again" in page(back)
        assert Extension.objects.filter(stage__complaint=self.complaint).count() == 1
        assert Letter.objects.filter(complaint=self.complaint, letter_type="extension").count() == 1

    def test_back_to_the_answers_shows_what_was_done_and_asks_before_doing_it_again(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "extend")
        client.post(url, extend_form(self.complaint))
        complaint = fresh(self.complaint)
        answers = page(client.get(url))  # the page loaded afresh after Back
        assert "Already done at stage 1" in answers and "extended" in answers.lower()
        assert "Yes, extend this stage again" in answers
        refused = page(client.post(url, extend_form(complaint)))
        assert "Extend this stage again only if you mean to" in refused
        assert Extension.objects.filter(stage__complaint=complaint).count() == 1
        client.post(url, extend_form(complaint, again="on", reason="The surveyor is ill"))
        assert Extension.objects.filter(stage__complaint=complaint).count() == 2

    def test_a_tab_left_open_is_refused_with_what_changed_and_a_way_to_start_again(self) -> None:
        first, second = signed_in(self.cast.handler), signed_in(self.cast.officer)
        url = complaint_url(self.complaint, "extend")
        opened = page(second.get(url))  # the second tab, opened before the first acts
        read_at = unescape(re.search(r'name="read_at" value="([^"]+)"', opened).group(1))  # type: ignore[union-attr]
        first.post(url, extend_form(self.complaint))
        html = page(second.post(url, extend_form(self.complaint, read_at=read_at)))
        assert "Changed since you opened this page" in html and "Nothing was done" in html
        assert "Hana Handler" in html and "extended" in html.lower()
        assert f'href="{url}"' in html and "Start again" in html
        assert Extension.objects.filter(stage__complaint=self.complaint).count() == 1
        # Having seen what changed, the answers are there to send deliberately, now at the current version.
        version = re.search(r'name="expected_version" value="(\d+)"', html).group(1)  # type: ignore[union-attr]
        assert version == str(fresh(self.complaint).version)
        assert "Yes, extend this stage again" in html

    def test_a_token_belongs_to_its_own_complaint_and_step(self) -> None:
        other = acknowledge(self.cast, log(self.cast, date(2025, 6, 4)), date(2025, 6, 5))
        client = signed_in(self.cast.handler, confirm=False)
        location = client.post(complaint_url(self.complaint, "extend"), extend_form(self.complaint))["Location"]
        token = location.split("?confirm=")[1]
        html = page(client.post(complaint_url(other, "extend"), {"send": token}, follow=True))
        assert "That confirmation page has expired" in html
        html = page(client.post(complaint_url(self.complaint, "clarification"), {"send": token}, follow=True))
        assert "That confirmation page has expired" in html
        assert not Extension.objects.filter(stage__complaint__in=[self.complaint, other]).exists()

    def test_another_user_cannot_send_someone_elses_draft(self) -> None:
        mine = signed_in(self.cast.handler, confirm=False)
        location = mine.post(complaint_url(self.complaint, "extend"), extend_form(self.complaint))["Location"]
        token = location.split("?confirm=")[1]
        theirs = signed_in(self.cast.officer, confirm=False)
        theirs.post(complaint_url(self.complaint, "extend"), {"send": token})
        assert not Extension.objects.filter(stage__complaint=self.complaint).exists()


@time_machine.travel(TODAY, tick=False)
class ResponseAndClosureTests(TestCase):
    """6.9 and 6.19: the response letter seen before issue, issued once; closing once."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def test_the_response_preview_is_the_letter_issued_word_for_word(self) -> None:
        client = signed_in(self.cast.handler, confirm=False)
        url = complaint_url(self.complaint, "respond")
        location = client.post(url, respond_form(self.complaint, TODAY))["Location"]
        confirmation = page(client.get(location))
        previewed = text_of(confirmation, "letter-1")
        assert fresh(self.complaint).status == Status.STAGE1_OPEN
        client.post(url, {"send": location.split("?confirm=")[1]})
        letter = Letter.objects.get(complaint=self.complaint, letter_type="stage1-response")
        issued = PdfText(page_texts(pdf_bytes(letter), leave_out=FOOTER))
        parser = _Text("b")
        parser.feed(f'<div id="b">{letter.html}</div>')
        pieces = [unescape(piece) for piece in parser.parts if piece.strip()]
        assert len(pieces) > 10
        for piece in [*pieces, letter.addressee, self.cast.landlord.name]:
            assert squash(piece) in squash(previewed), piece
            assert piece in issued, piece

    def test_responding_and_closing_twice_change_nothing_the_second_time(self) -> None:
        client = signed_in(self.cast.officer, confirm=False)
        url = complaint_url(self.complaint, "respond")
        location = client.post(url, respond_form(self.complaint, TODAY))["Location"]
        token = location.split("?confirm=")[1]
        client.post(url, {"send": token})
        assert "Nothing was done again" in page(client.post(url, {"send": token}, follow=True))
        assert Letter.objects.filter(complaint=self.complaint, letter_type="stage1-response").count() == 1
        responded = fresh(self.complaint)
        Remedy.objects.filter(stage__complaint=responded).update(state=Remedy.State.AGREED)
        close = complaint_url(responded, "close")
        location = client.post(close, {"expected_version": str(responded.version), **date_fields("on", TODAY)})[
            "Location"
        ]
        assert "?confirm=" in location and fresh(responded).status == Status.STAGE1_RESPONDED
        token = location.split("?confirm=")[1]
        client.post(close, {"send": token})
        assert fresh(responded).status == Status.CLOSED
        assert "Nothing was done again" in page(client.post(close, {"send": token}, follow=True))
        assert Letter.objects.filter(complaint=responded, letter_type="closure").count() == 1


@time_machine.travel(TODAY, tick=False)
class HowTheLetterWillReachTheResidentTests(TestCase):
    """5.10 and 3.6: large print and no address are visible before the letter goes."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_large_print_is_shown_on_the_confirmation(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        ReasonableAdjustment.objects.create(
            person=complaint.person, kind=ReasonableAdjustment.Kind.LARGE_PRINT, agreed_on=date(2025, 6, 2)
        )
        client = signed_in(self.cast.handler, confirm=False)
        location = client.post(complaint_url(complaint, "extend"), extend_form(complaint))["Location"]
        html = page(client.get(location))
        assert "Large print</strong>" in html and "putright-letter--large-print" in html

    def test_a_resident_with_no_email_and_no_address_is_a_visible_problem(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        complaint.person.email, complaint.person.address = "", ""
        complaint.person.save(update_fields=["email", "address"])
        client = signed_in(self.cast.handler, confirm=False)
        location = client.post(complaint_url(complaint, "extend"), extend_form(complaint))["Location"]
        html = page(client.get(location))
        assert "this letter cannot reach them" in html

    def test_a_posted_letter_says_so(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        complaint.person.email, complaint.person.address = "", "1 High Street\nAshford\nTN23 1AA"
        complaint.person.save(update_fields=["email", "address"])
        client = signed_in(self.cast.handler, confirm=False)
        location = client.post(complaint_url(complaint, "extend"), extend_form(complaint))["Location"]
        html = page(client.get(location))
        assert "posted</strong>" in html and "1 High Street" in html


@time_machine.travel(TODAY, tick=False)
class StepsWithoutALetterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = respond(
            cls.cast, acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3)), date(2025, 6, 10)
        )

    def test_a_second_remedy_needs_a_yes_again(self) -> None:
        client = signed_in(self.cast.officer)
        url = complaint_url(self.complaint, "offer-remedy")
        before = Remedy.objects.filter(stage__complaint=self.complaint).count()

        def form(**changes: str) -> dict[str, str]:
            return {
                "expected_version": str(fresh(self.complaint).version),
                "kind": "apology",
                "description": "A written apology from the repairs manager",
                **changes,
            }

        assert client.post(url, form()).status_code == 302  # no letter: done at once
        html = page(client.get(url))
        assert "Already done at stage 1" in html and "Yes, offer another remedy" in html
        assert "Offer another remedy only if you mean to" in page(client.post(url, form()))
        assert Remedy.objects.filter(stage__complaint=self.complaint).count() == before + 1
        assert client.post(url, form(again="on")).status_code == 302
        assert Remedy.objects.filter(stage__complaint=self.complaint).count() == before + 2

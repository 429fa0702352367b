"""Letters that read well (issue 14): who to contact, remedies in sentences, an address with its commas,
web addresses whole at every width, the greeting with title and surname, what stage 1 offered in the final
response, and the date an extension moves.

Each is proved on the composed HTML of letters issued through the real actions and, for the commas and the
hyphens, on the text of the PDF as PDFium reads it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import time_machine
from django.template.loader import render_to_string
from django.test import SimpleTestCase, TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Remedy
from putright.correspondence import letters, rendering
from putright.correspondence.letterhead import contact_line, one_line
from putright.correspondence.models import Letter, LetterStyle, OutboxMessage
from putright.correspondence.web_addresses import kept_whole
from putright.landlords.models import StaffMember
from putright.people.models import Person, ReasonableAdjustment
from putright.rules.letters import LetterType, clean_title, greeting, remedy_sentence, surname
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.pdf_text import opened, page_texts
from tests.portal_support import BASE, answer_all, submit
from tests.test_api_auth import ApiTestCase
from tests.test_workspace_support import log_form, page, signed_in

TODAY = date(2025, 6, 16)
ADDRESS = "Civic Centre\nTannery Lane\nAshford TN23 1PL"


def letter_of(complaint: Complaint, letter_type: LetterType) -> Letter:
    return Letter.objects.filter(complaint=complaint, letter_type=letter_type).latest("id")


def text_of(letter: Letter) -> str:
    return " ".join(letters.html_to_text(letter.html).split())


def style(cast: Cast, **fields: object) -> LetterStyle:
    defaults: dict[str, object] = {"address": ADDRESS, "phone": "01233 331111", "email": "complaints@ashford.example"}
    return LetterStyle.objects.create(landlord=cast.landlord, **(defaults | fields))


# -- the rules, without a database -------------------------------------------------------------------


class GreetingTests(SimpleTestCase):
    def test_title_and_surname_when_both_are_known(self) -> None:
        assert greeting("Ms", "Amina Khan") == "Dear Ms Khan"
        assert greeting("Dr", "Pieter van der Berg") == "Dear Dr van der Berg"
        assert greeting("Mx", "Khan, Amina") == "Dear Mx Khan"

    def test_the_full_name_without_a_title_or_a_surname(self) -> None:
        assert greeting("", "Amina Khan") == "Dear Amina Khan"
        assert greeting("Ms", "Amina") == "Dear Amina"  # one word: nobody can tell it is a surname
        assert surname("Amina") == ""

    def test_an_empty_name_is_greeted_without_one(self) -> None:
        # Anonymous complaints are coming (another issue): an empty name must not break a letter's opening.
        assert greeting("", "") == greeting("Mr", "   ") == "Dear resident"

    def test_titles_are_kept_in_their_usual_spelling_or_as_typed(self) -> None:
        assert clean_title(" ms. ") == ("Ms", "")
        assert clean_title("MISS") == ("Miss", "")
        assert clean_title("Revd") == ("Revd", "")
        assert clean_title("") == ("", "")
        assert clean_title("The Right Honourable Lord")[1] == "The title must be 20 characters or fewer"
        assert (
            clean_title("Ms 2")[1] == "The title can only include letters, spaces, full stops, hyphens and apostrophes"
        )


class RemedySentenceTests(SimpleTestCase):
    """6.9(e) and 6.19(e): the details of any remedy, as the resident reads them."""

    def test_one_amount_is_one_sentence(self) -> None:
        line = remedy_sentence("", {"time_and_trouble": Decimal("75")}, "12 November 2026")
        assert line == "A payment of £75.00 for your time and trouble, by 12 November 2026."

    def test_each_kind_of_amount_reads_as_what_it_is_for(self) -> None:
        assert remedy_sentence("", {"statutory": Decimal(25)}) == (
            "A payment of £25.00 as statutory compensation, which the law requires."
        )
        assert remedy_sentence("", {"quantifiable_loss": Decimal("120.5")}) == (
            "A payment of £120.50 to repay money you lost or spent because of what went wrong."
        )
        assert remedy_sentence("", {"distress": Decimal(1000)}) == (
            "A payment of £1,000.00 for the distress and inconvenience caused."
        )

    def test_several_amounts_give_the_total_then_each_part(self) -> None:
        line = remedy_sentence(
            "we are sorry it took so long",
            {"time_and_trouble": Decimal(50), "distress": Decimal(100), "statutory": Decimal(0)},
            "1 July 2025",
        )
        assert line == (
            "A payment of £150.00, by 1 July 2025: £50.00 for your time and trouble and £100.00 for the "
            "distress and inconvenience caused. We are sorry it took so long."
        )

    def test_a_remedy_without_money_is_its_description_as_a_sentence(self) -> None:
        assert remedy_sentence("We apologise for the delay", {}) == "We apologise for the delay."
        assert remedy_sentence("Repair the fence.", {}, "4 July 2025") == (
            "Repair the fence. We will do this by 4 July 2025."
        )


class DemoLandlordTests(TestCase):
    def test_each_demo_landlord_says_who_to_contact_as_its_policy_asks(self) -> None:
        # Ashford's policy: "provide the name and contact details of the person handling the complaint";
        # Cheshire West's: "Staff members ... should not, where possible, be named in correspondence".
        from putright.demo import organisation
        from putright.demo.management.commands.demo import DEMO_LANDLORDS
        from putright.landlords.models import Landlord

        naming = {demo.slug: demo.name_staff for demo in DEMO_LANDLORDS}
        assert naming["ashford"] is True and naming["cheshire-west"] is False
        for demo in DEMO_LANDLORDS:
            landlord = Landlord.objects.create(slug=demo.slug, name=demo.name, reference_prefix=demo.prefix)
            organisation.ensure_letter_style(landlord, demo.town, name_staff=demo.name_staff, team_name=demo.team_name)
            kept = LetterStyle.objects.get(landlord=landlord)
            if demo.name_staff:
                assert kept.contact == LetterStyle.Contact.HANDLER and kept.signatory_name
            else:
                assert kept.contact == LetterStyle.Contact.TEAM and not kept.signatory_name
                assert kept.team_name == "the ForHousing complaints team"
        ashford = Landlord.objects.get(slug="ashford")
        team = organisation.ensure_staff(ashford, "a-long-test-password")
        phones = set(StaffMember.objects.filter(landlord=ashford).values_list("direct_phone", flat=True))
        assert len(phones) == len(team.handlers + team.reviewers + team.officers + team.managers + team.auditors)
        assert all(phone.startswith("01632 960 ") for phone in phones)


class AddressTests(SimpleTestCase):
    def test_a_multi_line_address_on_one_line_keeps_its_commas(self) -> None:
        assert one_line(ADDRESS) == "Civic Centre, Tannery Lane, Ashford TN23 1PL"
        assert one_line("Civic Centre,\n\n  Tannery Lane, \nAshford") == "Civic Centre, Tannery Lane, Ashford"


class WebAddressTests(SimpleTestCase):
    def test_addresses_are_cut_only_after_a_slash_a_dot_or_an_at_sign(self) -> None:
        html = str(kept_whole("<p>Website: www.housing-ombudsman.org.uk. Pay £75.00, i.e. now.</p>"))
        pieces = re.findall(r'<span class="putright-web-address">([^<]*)</span>', html)
        assert pieces == ["www.housing-ombudsman.", "org.", "uk"]
        assert html.endswith(". Pay £75.00, i.e. now.</p>") and "<wbr>" in html
        email = str(kept_whole("<li>info@housing-ombudsman.org.uk</li>"))
        assert re.findall(r">([^<]+)</span>", email) == ["info@", "housing-ombudsman.", "org.", "uk"]

    def test_tags_and_escaped_text_are_left_as_they_are(self) -> None:
        html = "<p>&lt;b&gt;x&lt;/b&gt; see www.a-b.example/x?y=1&amp;z=2</p>"
        kept = str(kept_whole(html))
        assert kept.startswith("<p>&lt;b&gt;x&lt;/b&gt; see ") and "<b>" not in kept
        assert re.sub(r"<wbr>|</?span[^>]*>", "", kept) == html


# -- letters issued through the actions --------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
class WhoToContactTests(TestCase):
    """Ashford's policy: the acknowledgement gives "the name and contact details of the person handling the
    complaint". Cheshire West's: "Staff members ... should not, where possible, be named in correspondence"."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        StaffMember.objects.filter(user=cls.cast.handler).update(direct_phone="01632 960 555")

    def test_where_the_landlord_names_staff_the_acknowledgement_names_the_handler_and_their_direct_lines(
        self,
    ) -> None:
        style(self.cast, contact=LetterStyle.Contact.HANDLER)
        letter = letter_of(acknowledge(self.cast, log(self.cast, TODAY), TODAY), LetterType.STAGE1_ACKNOWLEDGEMENT)
        assert letter.data["handler_name"] == "Hana Handler"
        assert (
            "Who is handling your complaint Hana Handler is handling your complaint and is your contact for it. "
            "You can email hana.handler@example.org or telephone 01632 960 555."
        ) in text_of(letter)

    def test_a_handler_without_direct_lines_is_reached_through_the_team(self) -> None:
        style(self.cast, contact=LetterStyle.Contact.HANDLER)
        StaffMember.objects.filter(user=self.cast.handler).update(direct_phone="")
        self.cast.handler.email = ""
        self.cast.handler.save()
        letter = letter_of(acknowledge(self.cast, log(self.cast, TODAY), TODAY), LetterType.STAGE1_ACKNOWLEDGEMENT)
        assert (
            "Hana Handler is handling your complaint and is your contact for it. You can reach them through our "
            "complaints team: telephone 01233 331111, email complaints@ashford.example, write to Civic Centre, "
            "Tannery Lane, Ashford TN23 1PL."
        ) in text_of(letter)

    def test_where_the_landlord_names_no_staff_the_team_is_named_and_nobody_else(self) -> None:
        style(self.cast, contact=LetterStyle.Contact.TEAM, team_name="the Customer Resolution Team")
        letter = letter_of(acknowledge(self.cast, log(self.cast, TODAY), TODAY), LetterType.STAGE1_ACKNOWLEDGEMENT)
        text = text_of(letter)
        assert (
            "The Customer Resolution Team is handling your complaint. You can contact them: telephone 01233 331111, "
            "email complaints@ashford.example, write to Civic Centre, Tannery Lane, Ashford TN23 1PL."
        ) in text
        # Not in the contact paragraph, the handler field or the signature (no signatory is set).
        assert "Hana" not in text and "hana" not in text
        assert letter.data["handler_name"] == "the Customer Resolution Team"
        assert letter.data["signatory"] == "Complaints team, Ashford Borough Council"

    def test_before_anyone_is_assigned_the_team_is_named(self) -> None:
        style(self.cast, contact=LetterStyle.Contact.HANDLER)
        complaint = acknowledge(self.cast, log(self.cast, TODAY), TODAY)
        stage = complaint.stages.get(number=1)
        stage.handler = None
        data = letters.gather(
            LetterType.STAGE1_ACKNOWLEDGEMENT, complaint, stage, on=TODAY, actor=self.cast.officer, detail={}
        )
        assert data["contact"].startswith("Our complaints team is handling your complaint. You can contact them:")
        assert data["handler_name"] == "our complaints team"

    def test_the_setting_is_kept_on_the_letterhead_page_and_shown_there_and_in_the_preview(self) -> None:
        officer = signed_in(self.cast.officer)
        html = page(officer.get("/staff/letters/letterhead/"))
        assert "Who should acknowledgements tell the resident to contact?" in html
        assert "Olu Officer is handling your complaint and is your contact for it" in html  # the default
        form = {
            "address": ADDRESS,
            "phone": "01233 331111",
            "email": "complaints@ashford.example",
            "website": "",
            "signatory_name": "",
            "signatory_role": "",
            "team_name": "the Customer Resolution Team",
        }
        refused = page(officer.post("/staff/letters/letterhead/", form))
        assert "Select who acknowledgements tell the resident to contact" in refused
        assert not LetterStyle.objects.exists()
        saved = officer.post("/staff/letters/letterhead/", {**form, "contact": "team"}, follow=True)
        assert "Letterhead and signatory saved" in page(saved)
        kept = LetterStyle.objects.get()
        assert kept.contact == LetterStyle.Contact.TEAM and kept.team_name == "the Customer Resolution Team"
        html = page(officer.get("/staff/letters/letterhead/"))
        assert "The Customer Resolution Team is handling your complaint." in html
        preview = page(
            officer.post(
                "/staff/letters/stage1-acknowledgement/",
                {"subject": "Ref {{ reference }}", "body": _ack_body(), "expected_version": "0", "preview": "1"},
            )
        ).split('id="preview"', 1)[1]
        assert "The Customer Resolution Team is handling your complaint." in preview and "Olu" not in preview
        auditor = page(signed_in(self.cast.auditor).get("/staff/letters/letterhead/"))
        assert "The complaints team, without naming any member of staff" in auditor
        assert "The Customer Resolution Team is handling your complaint." in auditor


def _ack_body() -> str:
    from putright.correspondence.compose import default_template

    return default_template(LetterType.STAGE1_ACKNOWLEDGEMENT)[1]


@time_machine.travel(TODAY, tick=False)
class ResponseWordingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_remedy_reads_as_a_sentence_in_the_response(self) -> None:
        complaint = respond(
            self.cast,
            acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)),
            TODAY,
            remedies=[
                actions.RemedyInput(
                    "financial",
                    "For the weeks without heating.",
                    amount_time_and_trouble=Decimal("75.00"),
                    due_on=date(2025, 6, 30),
                ),
                actions.RemedyInput("apology", "We apologise for the delay in repairing the boiler."),
            ],
        )
        text = text_of(letter_of(complaint, LetterType.STAGE1_RESPONSE))
        assert (
            "- A payment of £75.00 for your time and trouble, by 30 June 2025. For the weeks without heating."
        ) in text
        assert "- We apologise for the delay in repairing the boiler." in text
        assert "Financial remedy:" not in text and "(in all" not in text

    def test_the_final_response_lists_what_stage_1_offered_and_where_each_stands(self) -> None:
        complaint = respond(
            self.cast,
            acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)),
            date(2025, 6, 10),
            remedies=[
                actions.RemedyInput(
                    "financial",
                    "For the weeks without heating.",
                    amount_time_and_trouble=Decimal(50),
                    amount_distress=Decimal(100),
                ),
                actions.RemedyInput("apology", "We apologise for the missed appointment."),
                actions.RemedyInput("action", "Replace the boiler's pump.", due_on=date(2025, 7, 4)),
            ],
        )
        financial, apology, _ = Remedy.objects.filter(stage__complaint=complaint).order_by("id")
        actions.update_remedy(financial, self.cast.handler, state="agreed", on=date(2025, 6, 11))
        actions.update_remedy(apology, self.cast.handler, state="delivered", on=date(2025, 6, 11))
        complaint = actions.escalate(complaint, self.cast.officer, requested_on=date(2025, 6, 12))
        complaint = acknowledge(self.cast, complaint, date(2025, 6, 13), actor=self.cast.reviewer)
        complaint = respond(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        letter = letter_of(complaint, LetterType.STAGE2_RESPONSE)
        text = text_of(letter)
        assert "What we offered at stage 1" in text
        assert (
            "- A payment of £150.00: £50.00 for your time and trouble and £100.00 for the distress and "
            "inconvenience caused. For the weeks without heating. We agreed this with you."
        ) in text
        assert "- We apologise for the missed appointment. We delivered this on 11 June 2025." in text
        assert (
            "- Replace the boiler's pump. We will do this by 4 July 2025. We offered this; it is not yet agreed."
        ) in text
        # Content, not a required element: the Code does not ask for it (6.19 lists what a final response must hold).
        assert "stage1_remedies" in letter.data
        assert text.index("What we offered at stage 1") < text.index("Putting things right")

    def test_a_final_response_after_a_stage_1_without_remedies_says_so(self) -> None:
        complaint = respond(
            self.cast,
            acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)),
            date(2025, 6, 10),
            decisions=[
                actions.PointDecisionInput(1, "not-upheld", "The repair was on time."),
                actions.PointDecisionInput(2, "not-upheld", "The appointment was rearranged at your request."),
            ],
            remedies=[],
        )
        complaint = actions.escalate(complaint, self.cast.officer, requested_on=date(2025, 6, 12))
        complaint = acknowledge(self.cast, complaint, date(2025, 6, 13), actor=self.cast.reviewer)
        complaint = respond(self.cast, complaint, TODAY, actor=self.cast.reviewer)
        text = text_of(letter_of(complaint, LetterType.STAGE2_RESPONSE))
        assert "At stage 1 we did not offer anything to put things right." in text

    def test_the_extension_letter_repeats_the_date_it_moves(self) -> None:
        # 6.4: the new date; and the date we had given, so the resident sees what changed.
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        extension = actions.extend(
            complaint, self.cast.handler, days=3, reason="We are waiting for the contractor's report."
        )
        text = text_of(letter_of(complaint, LetterType.EXTENSION))
        told = f"{extension.previous_due:%-d %B %Y}"
        new = f"{extension.new_due:%-d %B %Y}"
        assert f"We told you we would respond by {told}; we now expect to respond by {new}." in text


@time_machine.travel(TODAY, tick=False)
class GreetingInLettersTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_letter_and_its_email_greet_the_resident_by_title_and_surname(self) -> None:
        resident = actions.ResidentDetails(title="ms", name="Amina Khan", email="amina@example.org")
        complaint = acknowledge(self.cast, log(self.cast, TODAY, resident=resident), TODAY)
        assert complaint.person.title == "Ms"
        letter = letter_of(complaint, LetterType.STAGE1_ACKNOWLEDGEMENT)
        assert "<p>Dear Ms Khan,</p>" in letter.html and letter.data["resident_name"] == "Amina Khan"
        assert OutboxMessage.objects.get(letter=letter).body.startswith("Dear Ms Khan,\n\n")

    def test_without_a_title_the_full_name(self) -> None:
        letter = letter_of(acknowledge(self.cast, log(self.cast, TODAY), TODAY), LetterType.STAGE1_ACKNOWLEDGEMENT)
        assert "<p>Dear Rosa Resident,</p>" in letter.html

    def test_an_empty_name_gathers_a_greeting_without_one(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, TODAY), TODAY)
        Person.objects.filter(pk=complaint.person_id).update(name="", anonymous=True)
        complaint = Complaint.objects.select_related("person").get(pk=complaint.pk)
        data = letters.gather(
            LetterType.STAGE1_ACKNOWLEDGEMENT,
            complaint,
            complaint.stages.get(number=1),
            on=TODAY,
            actor=self.cast.handler,
            detail={},
        )
        assert data["greeting"] == "Dear resident"

    def test_a_title_that_cannot_be_one_is_refused_with_a_clear_message(self) -> None:
        resident = actions.ResidentDetails(title="Ms 2", name="Amina Khan")
        with self.assertRaises(InvalidInput) as refused:
            log(self.cast, TODAY, resident=resident)
        assert refused.exception.errors == {
            "resident.title": "The title can only include letters, spaces, full stops, hyphens and apostrophes"
        }

    def test_staff_take_the_title_at_intake(self) -> None:
        client = signed_in(self.cast.handler)
        form = log_form(TODAY, resident_title="Dr", resident_name="Amina Khan")
        assert 'name="resident_title"' in page(client.get("/staff/complaints/new/"))
        check = page(client.post("/staff/complaints/new/", form))
        assert "Title" in check and ">Dr<" in check.replace("\n", "").replace(" ", "")
        client.post("/staff/complaints/new/", {**form, "step": "log"})
        assert Complaint.objects.get().person.title == "Dr"
        bad = page(client.post("/staff/complaints/new/", {**form, "resident_title": "Dr 7"}))
        assert "The title can only include letters" in bad and 'href="#id_resident_title"' in bad

    def test_residents_give_their_title_on_the_your_details_page(self) -> None:
        token = answer_all(self.client, changes={"contact": {"title": "mx"}})
        details = self.client.get(f"{BASE}/complain/contact/").content.decode()
        assert "Your title" in details and 'autocomplete="honorific-prefix"' in details
        check = self.client.get(f"{BASE}/complain/check-your-answers/").content.decode()
        assert "Your title" in check and "Mx" in check
        refused = self.client.post(
            f"{BASE}/complain/contact/", {"title": "Mx 9", "name": "Rosa Resident", "email": "rosa@example.org"}
        ).content.decode()
        assert "The title can only include letters" in refused and 'href="#id_title"' in refused
        submit(self.client, token)
        assert Complaint.objects.get().person.title == "Mx"

    def test_a_title_is_not_asked_of_someone_acting_for_a_resident(self) -> None:
        self.client.post(f"{BASE}/complain/what-you-want/", {"kind": "complaint"})
        self.client.post(f"{BASE}/complain/who/", {"who": "someone-else"})
        self.client.post(
            f"{BASE}/complain/acting-for/",
            {"their_name": "Amina Khan", "relationship": "relative", "authority": "written"},
        )
        html = self.client.get(f"{BASE}/complain/contact/").content.decode()
        assert 'type="hidden" name="title"' in html and "Your title" not in html


class ApiTitleTests(ApiTestCase):
    def test_a_complaint_logged_through_the_api_keeps_the_residents_title(self) -> None:
        body = {
            "channel": "email",
            "received_on": "2025-02-24",
            "description": "The boiler has not worked for three weeks.",
            "resident": {"title": "Mrs", "name": "Amina Khan", "email": "amina@example.org"},
        }
        with time_machine.travel(date(2025, 2, 24), tick=False):
            response = self.post("/complaints", body)
        assert response.status_code == 201, response.json()
        assert response.json()["resident"]["title"] == "Mrs"
        with time_machine.travel(date(2025, 2, 24), tick=False):
            refused = self.post("/complaints", body | {"resident": {"title": "Mrs 1", "name": "Amina Khan"}})
        assert refused.status_code == 422
        assert "resident.title" in str(refused.json())


# -- the PDF: commas and whole web addresses ----------------------------------------------------------


def _lines(content: bytes) -> str:
    """The PDF's text as PDFium reads it, line breaks and all: a word broken after a hyphen shows as U+FFFE."""
    with opened(content) as document:
        return "\n".join(page.get_textpage().get_text_range() for page in document)


def _broken_at_a_hyphen(raw: str, word: str = "housing-ombudsman") -> bool:
    head, _, tail = word.partition("-")
    return bool(re.search(re.escape(head) + r"(?:\ufffe|-[ \t]*\r?\n)\s*" + re.escape(tail), raw))


@time_machine.travel(TODAY, tick=False)
class LetterPdfWordingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        style(cls.cast, website="www.ashford-borough.example/complaints")
        cls.complaint = respond(
            cls.cast, acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY
        )

    def test_the_office_address_keeps_its_commas_in_the_pdf(self) -> None:
        letter = letter_of(self.cast.landlord.complaints.get(pk=self.complaint.pk), LetterType.STAGE1_RESPONSE)
        assert contact_line(self.cast.landlord, LetterStyle.objects.get()).endswith(
            "write to Civic Centre, Tannery Lane, Ashford TN23 1PL"
        )
        assert rendering.render_letter(letter.pk) == "rendered"
        pages = page_texts(Letter.objects.get(pk=letter.pk).pdf.read())
        flat = " ".join(" ".join(pages).split())
        assert "write to Civic Centre, Tannery Lane, Ashford TN23 1PL" in flat

    def test_web_addresses_never_break_at_a_hyphen_at_any_width_the_letters_use(self) -> None:
        from weasyprint import HTML  # type: ignore[import-untyped]

        letter = letter_of(self.complaint, LetterType.STAGE1_ACKNOWLEDGEMENT)
        large = Letter.objects.get(pk=letter.pk)
        large.large_print = True
        kept = render_to_string("correspondence/letter-pdf.html", rendering.letter_context(letter))
        kept_large = render_to_string("correspondence/letter-pdf.html", rendering.letter_context(large))
        assert "housing-ombudsman" in letter.html
        # The letters are A4 in 11 point, or 18 point in large print; narrower pages stand for narrower columns
        # (a letterhead's side column, a landlord's wording in a table) and wider ones for any text measure.
        widths = range(66, 231, 12)
        broken_without = 0
        for html, control in ((kept, True), (kept_large, False)):
            unkept = html.replace(str(rendering.letter_context(letter)["body"]), letter.html)
            assert unkept != html
            for width in widths:
                # After the letter's own @page rule, so that this one wins.
                page = f"@page {{ size: {width}mm 297mm }}</style>"
                content = HTML(string=html.replace("</style>", page, 1)).write_pdf()
                raw = _lines(content)
                # Whole once the line breaks (after a "." or "/", where they may fall) are taken out.
                assert re.sub(r"\s*\n\s*", "", raw).count("housing-ombudsman.org.uk") >= 2, width
                assert not _broken_at_a_hyphen(raw), f"broken at {width} mm"
                assert not _broken_at_a_hyphen(raw, "ashford-borough"), f"letterhead broken at {width} mm"
                # The same letter without its addresses kept whole does break at some of these widths:
                # the check can see a break where there is one.
                if control:
                    broken_without += _broken_at_a_hyphen(
                        _lines(HTML(string=unkept.replace("</style>", page, 1)).write_pdf())
                    )
        assert broken_without > 0

    def test_the_letter_page_keeps_web_addresses_whole_too(self) -> None:
        letter = letter_of(self.complaint, LetterType.STAGE1_ACKNOWLEDGEMENT)
        html = page(
            signed_in(self.cast.officer).get(f"/staff/complaints/{self.complaint.reference}/letters/{letter.pk}/")
        )
        assert '<span class="putright-web-address">housing-ombudsman.</span><wbr>' in html
        assert '<span class="putright-web-address">www.ashford-borough.</span><wbr>' in html  # the letterhead's website

    def test_the_issued_pdf_reads_every_web_address_whole(self) -> None:
        ReasonableAdjustment.objects.create(person=self.complaint.person, kind="large-print", agreed_on=TODAY)
        for complaint in (self.complaint, acknowledge(self.cast, log(self.cast, TODAY), TODAY)):
            for letter in Letter.objects.filter(complaint=complaint):
                rendering.render_letter(letter.pk)
                raw = _lines(Letter.objects.get(pk=letter.pk).pdf.read())
                assert not _broken_at_a_hyphen(raw), letter.letter_type

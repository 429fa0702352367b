"""Anonymous and offline complainants (Medway 5.10.17; Code 5.12): a complaint with no name, or with
no way to write to the resident, is logged, investigated and counted; its letters are kept on the
record and shown to staff as not sent, never passed off as posted."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Event, Status
from putright.correspondence.models import Letter, OutboxMessage
from tests.cast import acknowledge, log, make_cast, respond
from tests.portal_support import ANSWERS, BASE
from tests.test_api_auth import ApiTestCase
from tests.test_workspace_support import log_form, page, signed_in

TODAY = date(2025, 6, 16)
ANONYMOUS = actions.ResidentDetails(anonymous=True, phone="07700 900456")
PHONE_ONLY = actions.ResidentDetails(name="Pat Phone", phone="01634 000111")


@time_machine.travel(TODAY, tick=False)
class AnonymousComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_anonymous_complaint_goes_through_stage_1_with_its_letters_kept_not_sent_5_12(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2), resident=ANONYMOUS)
        assert complaint.person.anonymous and complaint.person.name == ""
        assert complaint.person.shown_name == "Name not given"
        logged = Event.objects.get(complaint=complaint, kind="logged")
        assert "did not give their name" in logged.summary and "no email address or postal address" in logged.summary
        assert logged.after["anonymous"] is True and logged.after["reachable"] is False

        acknowledge(self.cast, complaint, date(2025, 6, 3))
        respond(self.cast, Complaint.objects.get(pk=complaint.pk), date(2025, 6, 10))
        complaint.refresh_from_db()
        assert complaint.status == Status.STAGE1_RESPONDED  # investigated like any other

        letters = Letter.objects.filter(complaint=complaint).order_by("id")
        assert [letter.letter_type for letter in letters] == ["stage1-acknowledgement", "stage1-response"]
        assert all(letter.data["greeting"] == "Dear resident" for letter in letters)
        assert not OutboxMessage.objects.filter(complaint=complaint).exists()
        issued = Event.objects.filter(complaint=complaint, kind="letter-issued")
        assert {event.after["delivery"] for event in issued} == {"none"}
        assert all("not sent: there is no email address or postal address" in e.summary for e in issued)

    def test_an_anonymous_complaint_is_counted_in_the_worklists(self) -> None:
        complaint = log(self.cast, TODAY, resident=ANONYMOUS)
        html = page(signed_in(self.cast.officer).get("/staff/team/"))
        assert complaint.reference in html and "Name not given" in html and "No way to send letters" in html

    def test_a_name_is_needed_unless_the_complainant_did_not_give_one(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            log(self.cast, TODAY, resident=actions.ResidentDetails(name="  ", phone="01634 000111"))
        assert "resident.name" in refused.value.errors

    def test_a_name_typed_beside_the_anonymous_choice_is_not_kept(self) -> None:
        complaint = log(self.cast, TODAY, resident=actions.ResidentDetails(name="Someone", anonymous=True))
        assert complaint.person.name == "" and complaint.person.anonymous


@time_machine.travel(TODAY, tick=False)
class OfflineComplainantTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_preferred_way_of_contact_must_be_one_we_have_5_12(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            log(self.cast, TODAY, resident=actions.ResidentDetails(name="Pat", phone="01", preferred_contact="email"))
        assert refused.value.errors["resident.preferred_contact"].startswith("There is no email address")
        with pytest.raises(InvalidInput) as refused:
            log(self.cast, TODAY, resident=actions.ResidentDetails(name="Pat", preferred_contact="letter"))
        assert "no postal address" in refused.value.errors["resident.preferred_contact"]

    def test_without_a_preference_the_first_way_we_have_is_taken(self) -> None:
        assert log(self.cast, TODAY, resident=PHONE_ONLY).person.preferred_contact == "phone"
        posted = log(self.cast, TODAY, resident=actions.ResidentDetails(name="Al Post", address="1 High St"))
        assert posted.person.preferred_contact == "letter"
        assert log(self.cast, TODAY, resident=ANONYMOUS).person.preferred_contact == "phone"

    def test_a_phone_only_complaint_goes_through_stage_1_and_is_shown_as_a_problem(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2), resident=PHONE_ONLY)
        acknowledge(self.cast, complaint, date(2025, 6, 3))
        respond(self.cast, Complaint.objects.get(pk=complaint.pk), date(2025, 6, 10))
        assert Complaint.objects.get(pk=complaint.pk).status == Status.STAGE1_RESPONDED
        assert Letter.objects.filter(complaint=complaint).count() == 2

        officer = signed_in(self.cast.officer)
        html = page(officer.get(f"/staff/complaints/{complaint.reference}/"))
        assert "No way to send letters" in html and "Phone them on 01634 000111" in html
        outbox = page(officer.get("/staff/outbox/"))
        assert "No way to send (2)" in outbox and complaint.reference in outbox and "01634 000111" in outbox

    def test_a_letter_to_an_address_is_to_post_and_not_in_the_no_way_list(self) -> None:
        complaint = log(self.cast, TODAY, resident=actions.ResidentDetails(name="Al Post", address="1 High St"))
        acknowledge(self.cast, complaint, TODAY)
        assert "to post" in Event.objects.get(complaint=complaint, kind="letter-issued").summary
        html = page(signed_in(self.cast.officer).get("/staff/outbox/"))
        assert "No way to send (0)" in html
        assert "No way to send letters" not in page(
            signed_in(self.cast.officer).get(f"/staff/complaints/{complaint.reference}/")
        )

    def test_a_representative_with_email_is_a_way_to_reach_the_resident(self) -> None:
        complaint = log(
            self.cast,
            TODAY,
            resident=actions.ResidentDetails(name="Pat Phone", phone="01"),
            representative=actions.RepresentativeDetails(
                name="Cllr Kay", relationship="councillor", email="k@example.org"
            ),
        )
        assert complaint.reachable
        assert "no email address or postal address" not in Event.objects.get(complaint=complaint, kind="logged").summary

    def test_the_outbox_list_is_only_this_landlords(self) -> None:
        complaint = log(self.cast, TODAY, resident=PHONE_ONLY)
        acknowledge(self.cast, complaint, TODAY)
        assert complaint.reference not in page(signed_in(self.cast.stranger).get("/staff/outbox/"))


@time_machine.travel(TODAY, tick=False)
class LoggingOfflineInTheWorkspaceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_staff_logging_a_phone_complaint_with_no_way_to_write_must_confirm_5_12(self) -> None:
        client = signed_in(self.cast.handler)
        answers = log_form(TODAY, resident_email="", preferred_contact="phone")
        check = page(client.post("/staff/complaints/new/", answers))
        assert "There is no way to send letters" in check and "you will need to phone them on 07700 900123" in check
        refused = page(client.post("/staff/complaints/new/", answers | {"step": "log"}))
        assert "Confirm you know no letters can be sent" in refused
        assert not Complaint.objects.exists()
        logged = client.post("/staff/complaints/new/", answers | {"step": "log", "confirmed_unreachable": "yes"})
        assert logged.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.person.preferred_contact == "phone" and not complaint.reachable

    def test_prefers_email_is_not_accepted_without_an_email_address(self) -> None:
        client = signed_in(self.cast.handler)
        answers = log_form(TODAY, resident_email="", preferred_contact="email")
        html = page(client.post("/staff/complaints/new/", answers | {"step": "log", "confirmed_unreachable": "yes"}))
        assert "There is no email address for the resident, so they cannot prefer email" in html
        assert not Complaint.objects.exists()

    def test_an_anonymous_complaint_is_an_explicit_choice_not_an_empty_box(self) -> None:
        client = signed_in(self.cast.handler)
        empty = page(client.post("/staff/complaints/new/", log_form(TODAY, resident_name="")))
        assert "Enter the resident&#x27;s full name, or select that the complainant did not give their name" in empty
        answers = log_form(TODAY, resident_name="", anonymous="on", resident_email="", preferred_contact="")
        check = page(client.post("/staff/complaints/new/", answers))
        assert "Not given: the complainant did not give their name" in check
        logged = client.post("/staff/complaints/new/", answers | {"step": "log", "confirmed_unreachable": "yes"})
        assert logged.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.person.anonymous
        html = page(client.get(f"/staff/complaints/{complaint.reference}/"))
        assert "who did not give their name" in html and "Name not given" in html


@time_machine.travel(TODAY, tick=False)
class PortalWithoutEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_cast()

    def answer(self, contact: dict[str, str], preferred: str) -> str:
        changes = {"contact": contact, "contact-preference": {"preferred_contact": preferred}}
        for step, data in ANSWERS:
            response = self.client.post(f"{BASE}/complain/{step}/", {**data, **changes.get(step, {})})
            assert response.status_code == 302, (step, response.content.decode()[:2000])
        return page(self.client.get(f"{BASE}/complain/check-your-answers/"))

    def test_a_resident_with_only_a_phone_number_complains_online_and_is_told_we_will_phone(self) -> None:
        check = self.answer({"name": "Pat Phone", "email": "", "phone": "01634 000111", "address": ""}, "phone")
        token = check.split('name="token" value="')[1].split('"')[0]
        done = self.client.post(f"{BASE}/complain/check-your-answers/", {"token": token})
        assert done.status_code == 302
        complaint = Complaint.objects.get()
        assert complaint.person.email == "" and complaint.person.preferred_contact == "phone"
        assert not OutboxMessage.objects.exists()  # no confirmation email to nobody
        html = page(self.client.get(f"{BASE}/complain/sent/"))
        assert "we will phone you on 01634 000111" in html

    def test_a_resident_with_only_an_address_is_told_letters_come_by_post(self) -> None:
        check = self.answer({"name": "Al Post", "email": "", "phone": "", "address": "1 High Street"}, "letter")
        token = check.split('name="token" value="')[1].split('"')[0]
        self.client.post(f"{BASE}/complain/check-your-answers/", {"token": token})
        assert "we will send our letters to you by post" in page(self.client.get(f"{BASE}/complain/sent/"))

    def test_some_way_to_reach_the_resident_is_needed_and_email_cannot_be_preferred_without_one(self) -> None:
        self.client.post(f"{BASE}/complain/what-you-want/", {"kind": "complaint"})
        self.client.post(f"{BASE}/complain/who/", {"who": "self"})
        nothing = page(self.client.post(f"{BASE}/complain/contact/", {"name": "Pat", "email": "", "phone": ""}))
        assert "Enter an email address, a phone number or a postal address" in nothing
        self.client.post(f"{BASE}/complain/contact/", {"name": "Pat", "email": "", "phone": "01634 000111"})
        refused = page(self.client.post(f"{BASE}/complain/contact-preference/", {"preferred_contact": "email"}))
        assert "You did not give an email address" in refused


@time_machine.travel(date(2025, 3, 3), tick=False)
class AnonymousThroughTheApiTests(ApiTestCase):
    def test_an_anonymous_complaint_is_logged_through_the_api(self) -> None:
        body = {
            "resident": {"anonymous": True, "phone": "01634 000111"},
            "channel": "phone",
            "received_on": "2025-03-03",
            "description": "The lift has been broken for a week.",
        }
        response = self.post("/complaints", body)
        assert response.status_code == 201, response.json()
        resident = response.json()["resident"]
        assert resident["anonymous"] is True and resident["name"] == "" and resident["preferred_contact"] == "phone"

    def test_a_preference_we_have_no_details_for_is_refused_with_its_field(self) -> None:
        body = {
            "resident": {"name": "Pat", "phone": "01", "preferred_contact": "email"},
            "channel": "phone",
            "received_on": "2025-03-03",
            "description": "The lift has been broken for a week.",
        }
        response = self.post("/complaints", body)
        assert response.status_code == 422
        assert "cannot prefer email" in response.json()["errors"]["resident.preferred_contact"]

"""Contacts on the record (Code 5.12): calls, meetings, visits and texts recorded on a stage with who,
how, when and what was said, and any documents; each on the timeline, listed on the complaint's
page and in the API; and a verbal acknowledgement told in the acknowledgement letter (Medway
telephones at acknowledgement, 5.1.5; Cheshire West acknowledges verbally)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion
from putright.complaints.models import Complaint, Event
from putright.correspondence.models import ContactRecord, Letter
from putright.documents.limits import ResidentFile
from putright.documents.models import Attachment
from putright.rules.contacts import first_acknowledged
from tests.cast import Cast, acknowledge, log, make_cast
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 6, 16, 15, 0, tzinfo=LONDON)  # a Monday afternoon
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=LONDON)


def call(**changes: Any) -> actions.ContactInput:
    fields: dict[str, Any] = {
        "kind": "call-out",
        "happened_at": at(16, 10, 15),
        "with_whom": "resident",
        "summary": "Rang Rosa: the heater we lent her is working; the boiler part is due on Friday.",
    }
    fields.update(changes)
    return actions.ContactInput(**fields)


class ContactsCase(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def fresh(self, complaint: Complaint) -> Complaint:
        return Complaint.objects.get(pk=complaint.pk)


@time_machine.travel(NOW, tick=False)
class RecordingAContactTests(ContactsCase):
    def test_a_phone_call_is_recorded_on_the_current_stage_and_in_the_timeline_5_12(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        event = actions.record_contact(complaint, self.cast.handler, call())
        contact = ContactRecord.objects.get()
        assert contact.event == event and contact.complaint == complaint and contact.stage_number == 1
        assert (contact.kind, contact.with_whom, contact.with_name) == ("call-out", "resident", "Rosa Resident")
        assert contact.staff == self.cast.handler and contact.recorded_by == self.cast.handler
        assert contact.happened_at == at(16, 10, 15) and not contact.acknowledgement
        assert event.kind == "contact-recorded" and event.stage == 1
        assert event.summary == (
            "Phone call to them with Rosa Resident (the resident) on 16 June 2025 at 10:15, by Hana Handler: "
            "Rang Rosa: the heater we lent her is working; the boiler part is due on Friday."
        )
        assert self.fresh(complaint).version == complaint.version + 1

    def test_whoever_took_the_call_is_recorded_even_when_a_colleague_types_it(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(complaint, self.cast.officer, call(kind="call-in", staff=self.cast.other_handler))
        contact = ContactRecord.objects.get()
        assert contact.staff == self.cast.other_handler and contact.recorded_by == self.cast.officer

    def test_a_home_visit_with_someone_else_names_them(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(
            complaint, self.cast.handler, call(kind="home-visit", with_whom="other", with_name="Kim, the neighbour")
        )
        assert ContactRecord.objects.get().with_name == "Kim, the neighbour"

    def test_documents_join_the_record_each_with_its_own_event(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        note = ResidentFile(SimpleUploadedFile("call-note.pdf", PDF), "call-note.pdf", "application/pdf", len(PDF))
        actions.record_contact(complaint, self.cast.handler, call(), files=[note])
        contact = ContactRecord.objects.get()
        attachment = Attachment.objects.get()
        assert list(contact.attachments.all()) == [attachment]
        assert attachment.uploaded_by == self.cast.handler and attachment.name == "call-note.pdf"
        assert attachment.event.kind == "attachment-added"
        assert "with the phone call to them of 16 June 2025" in attachment.event.summary
        assert attachment.file.read() == PDF

    def test_every_bad_answer_gets_its_own_message(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        bad = call(kind="carrier-pigeon", with_whom="other", summary="  ", happened_at=at(17))
        with self.assertRaises(InvalidInput) as refused:
            actions.record_contact(complaint, self.cast.handler, bad)
        assert refused.exception.errors == {
            "kind": "Select what kind of contact it was",
            "summary": "Enter this: it cannot be left empty",
            "happened_at": "The contact cannot be in the future",
            "with_name": "Enter the name of the person spoken to",
        }
        assert not Event.objects.filter(kind="contact-recorded").exists()

    def test_a_contact_before_the_complaint_was_received_is_refused(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        with self.assertRaises(InvalidInput) as refused:
            actions.record_contact(complaint, self.cast.handler, call(happened_at=at(6)))
        assert refused.exception.errors == {
            "happened_at": "The contact cannot be before the complaint was received on 9 June 2025"
        }

    def test_a_representative_can_be_chosen_only_when_someone_acts_for_the_resident(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        with self.assertRaises(InvalidInput) as refused:
            actions.record_contact(complaint, self.cast.handler, call(with_whom="representative"))
        assert "Nobody is recorded as acting for the resident" in refused.exception.errors["with_whom"]

    def test_a_document_of_a_kind_the_record_cannot_keep_is_refused_and_nothing_is_kept(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        odd = ResidentFile(SimpleUploadedFile("a.exe", b"MZ"), "a.exe", "", 2)
        with self.assertRaises(InvalidInput) as refused:
            actions.record_contact(complaint, self.cast.handler, call(), files=[odd])
        assert refused.exception.errors == {"files": "a.exe must be a PDF, JPEG, PNG, Word document or plain text file"}
        assert not ContactRecord.objects.exists() and not Attachment.objects.exists()

    def test_the_auditor_reads_but_cannot_record_and_another_landlord_cannot_either(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        with self.assertRaises(NotPermitted) as refused:
            actions.record_contact(complaint, self.cast.auditor, call())
        assert "read-only" in refused.exception.message
        with self.assertRaises(NotPermitted):
            actions.record_contact(complaint, self.cast.stranger, call())
        assert not ContactRecord.objects.exists()

    def test_a_change_from_a_stale_copy_is_refused(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        with self.assertRaises(StaleVersion):
            actions.record_contact(complaint, self.cast.handler, call(), expected_version=complaint.version + 5)


@time_machine.travel(NOW, tick=False)
class VerbalAcknowledgementTests(ContactsCase):
    def test_the_acknowledgement_letter_says_it_was_first_given_by_phone(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(complaint, self.cast.handler, call(happened_at=at(10, 9, 30), acknowledgement=True))
        assert (
            "The complaint was acknowledged by phone in this contact."
            in Event.objects.get(kind="contact-recorded").summary
        )
        acknowledge(self.cast, self.fresh(complaint), date(2025, 6, 12))
        letter = Letter.objects.get(complaint=complaint, letter_type="stage1-acknowledgement")
        assert "<p>We first acknowledged your complaint by phone on 10 June 2025.</p>" in letter.html
        assert letter.data["first_acknowledged"] == "We first acknowledged your complaint by phone on 10 June 2025."

    def test_a_meeting_says_in_person_and_the_earliest_acknowledgement_is_the_one_told(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(
            complaint, self.cast.handler, call(kind="meeting", happened_at=at(11), acknowledgement=True)
        )
        actions.record_contact(self.fresh(complaint), self.cast.handler, call(happened_at=at(12), acknowledgement=True))
        acknowledge(self.cast, self.fresh(complaint), date(2025, 6, 13))
        letter = Letter.objects.get(complaint=complaint, letter_type="stage1-acknowledgement")
        assert "We first acknowledged your complaint in person on 11 June 2025." in letter.html

    def test_without_a_verbal_acknowledgement_the_letter_says_nothing_of_one(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(complaint, self.cast.handler, call(happened_at=at(10)))
        acknowledge(self.cast, self.fresh(complaint), date(2025, 6, 12))
        letter = Letter.objects.get(complaint=complaint, letter_type="stage1-acknowledgement")
        assert "first acknowledged" not in letter.html and letter.data["first_acknowledged"] == ""

    def test_a_contact_after_the_written_acknowledgement_cannot_be_the_acknowledgement(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 9)), date(2025, 6, 10))
        with self.assertRaises(InvalidInput) as refused:
            actions.record_contact(complaint, self.cast.handler, call(acknowledgement=True))
        assert refused.exception.errors == {
            "acknowledgement": "Stage 1 was acknowledged in writing on 10 June 2025: record this contact without "
            "marking it as the acknowledgement"
        }

    def test_the_sentence_for_each_way_of_acknowledging(self) -> None:
        assert first_acknowledged("call-in", date(2026, 12, 8)) == (
            "We first acknowledged your complaint by phone on 8 December 2026."
        )
        assert first_acknowledged("home-visit", date(2026, 12, 8)).endswith(
            "in person, at your home on 8 December 2026."
        )
        assert first_acknowledged("text-out", date(2026, 12, 8)).endswith("by text message on 8 December 2026.")


def contact_form(complaint: Complaint, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "expected_version": str(complaint.version),
        "kind": "call-in",
        "with_whom": "resident",
        "with_name": "",
        **date_fields("on", date(2025, 6, 16)),
        "at": "2:30pm",
        "summary": "Rosa rang to say the contractor did not come.",
    }
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
class ContactPagesTests(ContactsCase):
    def test_the_handler_records_a_call_with_a_document_and_sees_it_on_the_complaint_page(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        client = signed_in(self.cast.handler)
        form = client.get(complaint_url(complaint, "contacts/new"))
        assert form.status_code == 200 and "Record a call, meeting, visit or text" in page(form)
        upload = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")
        response = client.post(complaint_url(complaint, "contacts/new"), contact_form(complaint, file=upload))
        assert response.status_code == 302, page(response)
        assert response["Location"] == complaint_url(complaint) + "#contacts"
        contact = ContactRecord.objects.get()
        assert contact.happened_at == at(16, 14, 30) and contact.attachments.get().name == "note.pdf"
        html = page(client.get(complaint_url(complaint)))
        assert "Contacts (1)" in html and "Phone call from them: 1" in html
        assert "Rosa rang to say the contractor did not come." in html  # in the panel and the timeline
        assert "Phone call from them with Rosa Resident (the resident) on 16 June 2025 at 14:30" in html

    def test_missing_and_wrong_answers_are_shown_in_the_gds_style(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        response = signed_in(self.cast.handler).post(
            complaint_url(complaint, "contacts/new"),
            contact_form(complaint, kind="", with_whom="other", at="25:99", summary=""),
        )
        html = page(response)
        assert response.status_code == 200 and "There is a problem" in html
        for message in (
            "Select what kind of contact it was",
            "Enter the name of the person spoken to",
            "The time of the contact must be a real time, like 14:30",
            "Enter what was said",
        ):
            assert message in html, message
        assert not ContactRecord.objects.exists()
        vague = signed_in(self.cast.handler).post(
            complaint_url(complaint, "contacts/new"), contact_form(complaint, at="after lunch")
        )
        assert "Enter the time of the contact like 14:30 or 2:30pm" in page(vague)

    def test_a_contact_in_the_future_is_refused_beside_its_date(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        response = signed_in(self.cast.handler).post(
            complaint_url(complaint, "contacts/new"), contact_form(complaint, at="23:00")
        )
        assert "The contact cannot be in the future" in page(response) and not ContactRecord.objects.exists()

    def test_the_acknowledgement_box_is_offered_only_before_the_written_acknowledgement(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        client = signed_in(self.cast.handler)
        assert "The complaint was acknowledged in this contact" in page(
            client.get(complaint_url(complaint, "contacts/new"))
        )
        acknowledge(self.cast, complaint, date(2025, 6, 10))
        html = page(client.get(complaint_url(complaint, "contacts/new")))
        assert "The complaint was acknowledged in this contact" not in html
        assert "Stage 1 was acknowledged in writing on 10 June 2025." in html

    def test_the_auditor_sees_contacts_but_no_button_to_record_one(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        actions.record_contact(complaint, self.cast.handler, call())
        html = page(signed_in(self.cast.auditor).get(complaint_url(complaint)))
        assert "Contacts (1)" in html and "Record a contact" not in html
        assert "Record a contact" in page(signed_in(self.cast.reviewer).get(complaint_url(complaint)))

    def test_the_complaint_page_costs_the_same_queries_however_many_contacts_it_has(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        client = signed_in(self.cast.handler)
        actions.record_contact(complaint, self.cast.handler, call(happened_at=at(10)))
        client.get(complaint_url(complaint))  # the session and caches warmed
        with CaptureQueriesContext(connection) as one:
            client.get(complaint_url(complaint))
        for day in (11, 12, 13):
            actions.record_contact(self.fresh(complaint), self.cast.officer, call(happened_at=at(day), kind="text-out"))
        with CaptureQueriesContext(connection) as four:
            html = page(client.get(complaint_url(complaint)))
        assert "Contacts (4)" in html
        assert len(four) == len(one), [q["sql"] for q in four.captured_queries]


@time_machine.travel(NOW, tick=False)
class ContactsApiTests(ContactsCase):
    token: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.token = {name: tokens.issue(getattr(cls.cast, name))[1] for name in ("handler", "auditor", "stranger")}
        ApiToken.objects.update(last_used_at=clock.now())

    def call_api(self, method: str, path: str, as_: str = "handler", body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token[as_]}"}
        if method == "GET":
            return self.client.get(f"/api/v1{path}", headers=headers)
        return self.client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)

    def test_a_call_is_recorded_and_listed_with_counts(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        body = {
            "kind": "call-in",
            "happened_at": "2025-06-16T09:45:00+01:00",
            "with_whom": "resident",
            "summary": "Rosa rang about the boiler.",
            "acknowledgement": True,
            "version": complaint.version,
        }
        made = self.call_api("POST", f"/complaints/{complaint.reference}/contacts", body=body)
        assert made.status_code == 201, made.content
        answer = made.json()
        assert answer["kind"] == "call-in" and answer["stage"] == 1 and answer["staff"] == "hana.handler"
        assert answer["with_name"] == "Rosa Resident" and answer["acknowledgement"] is True
        assert answer["documents"] == 0
        listed = self.call_api("GET", f"/complaints/{complaint.reference}/contacts", as_="auditor").json()
        assert [item["id"] for item in listed["items"]] == [answer["id"]]
        assert listed["counts"] == {"call-in": 1}

    def test_bad_input_is_answered_field_by_field(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        body = {"kind": "call-in", "happened_at": "2025-06-17T09:45:00+01:00", "with_whom": "other", "summary": "x"}
        refused = self.call_api("POST", f"/complaints/{complaint.reference}/contacts", body=body)
        assert refused.status_code == 422
        assert refused.json()["errors"] == {
            "happened_at": "The contact cannot be in the future",
            "with_name": "Enter the name of the person spoken to",
        }
        unknown = self.call_api("POST", f"/complaints/{complaint.reference}/contacts", body={**body, "kind": "fax"})
        assert unknown.status_code == 422 and "kind" in unknown.json()["errors"]

    def test_the_auditor_cannot_record_and_another_landlord_sees_nothing(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        body = {"kind": "call-in", "happened_at": "2025-06-16T09:45:00+01:00", "with_whom": "resident", "summary": "x"}
        path = f"/complaints/{complaint.reference}/contacts"
        assert self.call_api("POST", path, as_="auditor", body=body).status_code == 403
        assert self.call_api("POST", path, as_="stranger", body=body).status_code == 404
        assert self.call_api("GET", path, as_="stranger").status_code == 404
        assert not ContactRecord.objects.exists()

    def test_the_list_costs_the_same_queries_however_many_contacts(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        path = f"/complaints/{complaint.reference}/contacts"
        actions.record_contact(complaint, self.cast.handler, call(happened_at=at(10)))
        with CaptureQueriesContext(connection) as one:
            assert self.call_api("GET", path).status_code == 200
        for day in (11, 12):
            actions.record_contact(self.fresh(complaint), self.cast.handler, call(happened_at=at(day)))
        with CaptureQueriesContext(connection) as three:
            assert len(self.call_api("GET", path).json()["items"]) == 3
        assert len(three) == len(one)

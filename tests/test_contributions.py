"""Asking contractors, other teams and colleagues to contribute to a complaint (Code 5.4, 5.5, 6.20):
the request, its due date in working days, its email and the answer threaded back by email, the
reminder on the due date, answers recorded by staff, withdrawals, the pages and the counts."""

from __future__ import annotations

import json
from datetime import date
from unittest import mock

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.contributions import actions, queries, reminders
from putright.contributions.models import ComplaintContractor, Contractor, InformationRequest, PartyKind
from putright.correspondence import inbound
from putright.correspondence.models import InboundMessage, LetterStyle, OutboxMessage
from putright.correspondence.sweep import sweep
from putright.landlords import calendars
from putright.landlords.models import StaffRole
from tests.cast import Cast, log, make_cast, staff
from tests.conftest import shared_data_file
from tests.test_mail_in import MediaTestCase, email
from tests.test_workspace_support import complaint_url, page, signed_in

MAILBOX = "complaints@ashford.example.org"
ASKED = date(2025, 8, 20)  # a Wednesday: five working days on, past the summer bank holiday of 25 August
DUE = date(2025, 8, 28)


def contractor(cast: Cast, name: str = "Kent Heating Ltd", **changes: object) -> Contractor:
    data: dict[str, object] = {
        "name": name,
        "email": "jobs@kentheating.example",
        "phone": "01233 000000",
        "service_areas": ["repairs"],
    }
    data.update(changes)
    return actions.add_contractor(cast.officer, actions.ContractorInput(**data))  # type: ignore[arg-type]


def ask(cast: Cast, complaint: object, firm: Contractor | None = None, **changes: object) -> InformationRequest:
    data: dict[str, object] = {
        "party_kind": PartyKind.CONTRACTOR,
        "question": "What happened at the appointment on 3 June?",
        "due_days": 5,
        "contractor": firm,
    }
    actor = changes.pop("actor", cast.handler)
    key = changes.pop("submission_key", None)
    data.update(changes)
    return actions.send_request(
        complaint,  # type: ignore[arg-type]
        actor,  # type: ignore[arg-type]
        actions.RequestInput(**data),  # type: ignore[arg-type]
        submission_key=key,  # type: ignore[arg-type]
    )


class BankHolidays(TestCase):
    """The calendar read from the shared GOV.UK data, so the summer bank holiday is the real one."""

    def setUp(self) -> None:
        path = shared_data_file("bank-holidays.json")
        events = json.loads(path.read_text())["england-and-wales"]["events"]
        self.assertIn("2025-08-25", {event["date"] for event in events})
        self.enterContext(self.settings(BANK_HOLIDAYS_FILE=path))
        calendars.bank_holiday_source.cache_clear()
        calendars.region_calendar.cache_clear()
        self.addCleanup(calendars.bank_holiday_source.cache_clear)
        self.addCleanup(calendars.region_calendar.cache_clear)


@time_machine.travel(ASKED, tick=False)
class RequestTests(BankHolidays, MediaTestCase):
    cast: Cast
    complaint: Complaint
    firm: Contractor

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 8, 18))
        cls.firm = contractor(cls.cast)

    def test_the_answer_is_due_in_working_days_past_the_bank_holiday(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        self.assertEqual(request.due_on, DUE)
        self.assertEqual(request.state, InformationRequest.State.OPEN)
        self.assertEqual(request.stage_number, 1)

    def test_the_request_is_emailed_through_the_outbox_with_its_own_reply_address(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        sent = OutboxMessage.objects.get(complaint=self.complaint, to_address="jobs@kentheating.example")
        self.assertEqual(sent.reply_to, f"complaints+{request.reply_token}@ashford.example.org")
        self.assertIn("What happened at the appointment on 3 June?", sent.body)
        self.assertIn("28 August 2025", sent.subject)
        event = Event.objects.get(complaint=self.complaint, kind="information-requested")
        self.assertIn("Kent Heating Ltd", event.summary)
        self.assertTrue(ComplaintContractor.objects.filter(complaint=self.complaint, contractor=self.firm).exists())

    def test_a_reply_by_email_answers_the_request_and_joins_the_timeline(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        reply = email(
            sender="Kent Heating <jobs@kentheating.example>",
            to=f"complaints+{request.reply_token}@ashford.example.org",
            text="Our engineer arrived at 9 and nobody was in.",
        )
        message = inbound.ingest(reply.as_bytes())
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.ANSWERED)
        self.assertEqual(request.answer_email_id, message.pk)
        self.assertIn("nobody was in", request.answer)
        self.assertEqual(request.answered_on, ASKED)
        message.refresh_from_db()
        self.assertEqual(message.complaint_id, self.complaint.pk)
        self.assertEqual(message.state, InboundMessage.State.THREADED)
        self.assertNotIn("not a party", message.problems)
        answered = Event.objects.get(complaint=self.complaint, kind="information-answered")
        self.assertIn("nobody was in", answered.summary)
        self.assertTrue(OutboxMessage.objects.filter(to_user=self.cast.handler, subject__contains="answered").exists())

    def test_a_reply_by_in_reply_to_the_requests_email_answers_it(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        sent = OutboxMessage.objects.get(to_address="jobs@kentheating.example")
        reply = email(sender="jobs@kentheating.example", to=MAILBOX, In_Reply_To=sent.message_id)
        inbound.ingest(reply.as_bytes())
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.ANSWERED)

    def test_a_reply_sent_to_another_landlords_mailbox_never_moves_into_this_landlords_records(self) -> None:
        LetterStyle.objects.create(landlord=self.cast.other_landlord, email="complaints@medway.example.org")
        request = ask(self.cast, self.complaint, self.firm)
        sent = OutboxMessage.objects.get(to_address="jobs@kentheating.example")
        reply = email(
            sender="jobs@kentheating.example", to="complaints@medway.example.org", In_Reply_To=sent.message_id
        )
        message = inbound.ingest(reply.as_bytes())
        request.refresh_from_db()
        message.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.OPEN)
        self.assertEqual(message.landlord_id, self.cast.other_landlord.pk)
        self.assertIsNone(message.complaint_id)

    def test_a_reply_that_cannot_be_recorded_is_still_kept_for_triage(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        reply = email(sender="jobs@kentheating.example", to=f"complaints+{request.reply_token}@ashford.example.org")
        with mock.patch.object(actions, "answer_by_email", side_effect=RuntimeError("broken")):
            message = inbound.ingest(reply.as_bytes())
        self.assertTrue(InboundMessage.objects.filter(pk=message.pk, state=InboundMessage.State.TO_TRIAGE).exists())
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.OPEN)

    def test_a_reply_from_anyone_but_the_party_asked_is_left_for_triage(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        reply = email(sender="someone@elsewhere.example", to=f"complaints+{request.reply_token}@ashford.example.org")
        message = inbound.ingest(reply.as_bytes())
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.OPEN)
        self.assertEqual(message.state, InboundMessage.State.TO_TRIAGE)
        self.assertIsNone(message.complaint_id)

    def test_a_colleagues_reply_answers_the_request_and_stays_threaded(self) -> None:
        request = ask(
            self.cast, self.complaint, party_kind=PartyKind.COLLEAGUE, colleague=self.cast.reviewer, contractor=None
        )
        sent = OutboxMessage.objects.get(to_user=self.cast.reviewer)
        reply = email(sender="rita.reviewer@example.org", to=sent.reply_to, text="I agree the visit was missed.")
        message = inbound.ingest(reply.as_bytes())
        request.refresh_from_db()
        message.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.ANSWERED)
        self.assertEqual(message.complaint_id, self.complaint.pk)

    def test_the_reminder_goes_once_on_the_due_date(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        self.assertEqual(reminders.daily(), 0)  # not due yet
        with time_machine.travel(DUE, tick=False):
            self.assertEqual(reminders.daily(), 1)
            self.assertEqual(reminders.daily(), 0)
            sweep()  # the worker's sweep runs the daily step too, and sends nothing more
        request.refresh_from_db()
        self.assertEqual(request.reminders_sent, 1)
        self.assertEqual(request.last_reminded_on, DUE)
        reminders_sent = OutboxMessage.objects.filter(
            to_address="jobs@kentheating.example", subject__startswith="Reminder"
        )
        self.assertEqual(reminders_sent.count(), 1)
        self.assertEqual(Event.objects.filter(kind="information-reminder-sent").count(), 1)

    def test_a_reminder_by_hand_is_sent_once_a_day(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        actions.send_reminder(request, self.cast.handler, expected_version=request.version)
        with self.assertRaises(TransitionNotAllowed):
            actions.send_reminder(request, self.cast.handler)
        request.refresh_from_db()
        self.assertEqual(request.reminders_sent, 1)

    def test_staff_record_an_answer_by_hand(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        actions.record_answer(request, self.cast.handler, "They told me by phone the van broke down.")
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.ANSWERED)
        self.assertEqual(request.answered_by, self.cast.handler)
        with self.assertRaises(TransitionNotAllowed):
            actions.withdraw_request(request, self.cast.handler, "No longer needed")

    def test_a_request_is_withdrawn_with_a_reason_and_then_gets_no_reminder(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        with self.assertRaises(InvalidInput) as refused:
            actions.withdraw_request(request, self.cast.handler, "  ")
        self.assertIn("reason", refused.exception.errors)
        actions.withdraw_request(request, self.cast.handler, "The resident withdrew this point")
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.WITHDRAWN)
        with time_machine.travel(DUE, tick=False):
            self.assertEqual(reminders.daily(), 0)

    def test_the_same_submission_sends_one_request(self) -> None:
        first = ask(self.cast, self.complaint, self.firm, submission_key="form-123")
        second = ask(self.cast, self.complaint, self.firm, submission_key="form-123")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(InformationRequest.objects.count(), 1)
        self.assertEqual(OutboxMessage.objects.filter(to_address="jobs@kentheating.example").count(), 1)

    def test_bad_input_is_refused_field_by_field_and_writes_nothing(self) -> None:
        outsider = staff("olga.outsider", self.cast.other_landlord, StaffRole.HANDLER)
        cases: list[tuple[dict[str, object], str, str]] = [
            ({"question": "  "}, "question", "Enter what you are asking for"),
            ({"due_days": 0}, "due_days", "between 1 and 20"),
            ({"due_days": 99}, "due_days", "between 1 and 20"),
            (
                {"party_kind": PartyKind.COLLEAGUE, "colleague": outsider, "contractor": None},
                "colleague",
                "works for this complaint's landlord",
            ),
            ({"party_kind": "someone"}, "party_kind", "Select who you are asking"),
            ({"party_kind": PartyKind.TEAM, "contractor": None, "team_name": "Voids"}, "team_email", "Enter"),
        ]
        for changes, name, words in cases:
            with self.subTest(name=name, changes=changes), self.assertRaises(InvalidInput) as refused:
                ask(self.cast, self.complaint, self.firm, **changes)
            self.assertIn(words, refused.exception.errors[name])
        self.assertFalse(InformationRequest.objects.exists())
        self.assertFalse(OutboxMessage.objects.filter(to_address="jobs@kentheating.example").exists())
        self.assertFalse(Event.objects.filter(kind="information-requested").exists())

    def test_the_auditor_is_refused_with_the_read_only_sentence(self) -> None:
        with self.assertRaises(NotPermitted) as refused:
            ask(self.cast, self.complaint, self.firm, actor=self.cast.auditor)
        self.assertIn("Your role (Auditor) is read-only", refused.exception.message)
        self.assertFalse(InformationRequest.objects.exists())

    def test_another_landlords_contractor_cannot_be_asked(self) -> None:
        theirs = actions.add_contractor(
            self.cast.stranger, actions.ContractorInput(name="Medway Roofing", email="r@m.example")
        )
        with self.assertRaises(InvalidInput) as refused:
            ask(self.cast, self.complaint, theirs)
        self.assertIn("contractor", refused.exception.errors)


class ContractorTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_officers_add_edit_and_deactivate_contractors(self) -> None:
        firm = contractor(self.cast)
        changed = actions.edit_contractor(
            firm,
            self.cast.manager,
            actions.ContractorInput(name="Kent Heating", email="a@b.example", service_areas=["repairs", "damp-mould"]),
            expected_version=firm.version,
        )
        self.assertEqual(changed.service_areas, ["repairs", "damp-mould"])
        actions.set_contractor_active(changed, self.cast.officer, False, expected_version=changed.version)
        changed.refresh_from_db()
        self.assertFalse(changed.active)

    def test_a_contractor_name_is_unique_per_landlord_and_areas_must_be_known(self) -> None:
        contractor(self.cast)
        with self.assertRaises(InvalidInput) as refused:
            contractor(self.cast, name="kent heating ltd")
        self.assertIn("already a contractor", refused.exception.errors["name"])
        with self.assertRaises(InvalidInput) as refused:
            contractor(self.cast, name="Other", service_areas=["plumbing"])
        self.assertIn("service_areas", refused.exception.errors)
        # Another landlord may use the same name.
        actions.add_contractor(self.cast.stranger, actions.ContractorInput(name="Kent Heating Ltd"))

    def test_handlers_and_auditors_cannot_change_contractors(self) -> None:
        firm = contractor(self.cast, name="X")  # the officer may
        with self.assertRaises(NotPermitted) as refused:
            actions.add_contractor(self.cast.handler, actions.ContractorInput(name="Y"))
        self.assertIn("Only a complaints officer or a manager", refused.exception.message)
        with self.assertRaises(NotPermitted) as refused:
            actions.add_contractor(self.cast.auditor, actions.ContractorInput(name="Y"))
        self.assertIn("read-only", refused.exception.message)
        with self.assertRaises(NotPermitted):
            actions.set_contractor_active(firm, self.cast.handler, False)
        self.assertEqual(list(Contractor.objects.values_list("name", "active")), [("X", True)])


class CountsTests(TestCase):
    cast: Cast
    heating: Contractor
    roofing: Contractor

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.heating = contractor(cls.cast)
        cls.roofing = contractor(cls.cast, name="Roofing Ltd", email="r@example.org")
        with time_machine.travel(date(2025, 6, 20), tick=False):
            june = log(cls.cast, date(2025, 6, 2))
            july = log(cls.cast, date(2025, 6, 18))
        with time_machine.travel(date(2025, 9, 2), tick=False):
            september = log(cls.cast, date(2025, 9, 1))
            for complaint in (june, july, september):
                actions.link_contractor(complaint, cls.cast.handler, cls.heating)
            actions.link_contractor(june, cls.cast.handler, cls.roofing)

    def test_complaints_are_counted_by_contractor_for_the_period(self) -> None:
        rows = dict(
            queries.complaints_by_contractor(self.cast.landlord.pk, date(2025, 6, 1), date(2025, 6, 30)).values_list(
                "name", "complaints"
            )
        )
        self.assertEqual(rows, {"Kent Heating Ltd": 2, "Roofing Ltd": 1})
        rows = dict(
            queries.complaints_by_contractor(self.cast.landlord.pk, date(2025, 7, 1), date(2025, 9, 30)).values_list(
                "name", "complaints"
            )
        )
        self.assertEqual(rows, {"Kent Heating Ltd": 1, "Roofing Ltd": 0})

    def test_a_contractor_is_linked_once(self) -> None:
        complaint = ComplaintContractor.objects.filter(contractor=self.heating).first()
        assert complaint is not None
        with time_machine.travel(date(2025, 9, 2), tick=False), self.assertRaises(InvalidInput):
            actions.link_contractor(complaint.complaint, self.cast.handler, self.heating)


@time_machine.travel(ASKED, tick=False)
class PageTests(MediaTestCase):
    cast: Cast
    complaint: Complaint
    firm: Contractor

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 8, 18))
        cls.firm = contractor(cls.cast, name="<script>alert(1)</script> Heating")

    def form(self, **changes: str) -> dict[str, str]:
        data = {
            "party_kind": "contractor",
            "contractor": str(self.firm.pk),
            "colleague": "",
            "team_name": "",
            "team_email": "",
            "question": "Tell us <b>what</b> happened",
            "due_days": "5",
            "submission_key": "page-token-1",
        }
        data.update(changes)
        return data

    def new_url(self) -> str:
        return f"/staff/complaints/{self.complaint.reference}/information-requests/new/"

    def test_a_request_sent_from_the_page_shows_on_the_complaint_escaped(self) -> None:
        client = signed_in(self.cast.handler)
        self.assertEqual(client.get(self.new_url()).status_code, 200)
        response = client.post(self.new_url(), self.form())
        self.assertRedirects(
            response, complaint_url(self.complaint) + "#information-requests", fetch_redirect_response=False
        )
        shown = page(client.get(complaint_url(self.complaint)))
        self.assertIn("Information requested (1)", shown)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; Heating", shown)
        self.assertNotIn("<script>alert(1)</script>", shown)
        self.assertIn("Tell us &lt;b&gt;what&lt;/b&gt; happened", shown)
        self.assertIn("Record the answer", shown)

    def test_the_same_form_sent_twice_sends_one_request(self) -> None:
        client = signed_in(self.cast.handler)
        client.post(self.new_url(), self.form())
        again = client.post(self.new_url(), self.form())
        self.assertEqual(again.status_code, 302)
        self.assertEqual(InformationRequest.objects.count(), 1)

    def test_bad_input_on_the_page_gets_a_specific_error_and_writes_nothing(self) -> None:
        client = signed_in(self.cast.handler)
        for changes, words in (
            ({"question": ""}, "Enter what you are asking for"),
            ({"due_days": "0"}, "between 1 and 20"),
            ({"due_days": "99"}, "between 1 and 20"),
            ({"party_kind": "team", "contractor": "", "team_name": "Voids"}, "Enter the team"),
        ):
            with self.subTest(changes=changes):
                response = client.post(self.new_url(), self.form(**changes))
                self.assertEqual(response.status_code, 200)
                self.assertIn("There is a problem", page(response))
                self.assertIn(words, page(response))
        self.assertFalse(InformationRequest.objects.exists())

    def test_the_auditor_reads_the_panel_but_is_refused_the_request_page(self) -> None:
        ask(self.cast, self.complaint, self.firm)
        client = signed_in(self.cast.auditor)
        shown = page(client.get(complaint_url(self.complaint)))
        self.assertIn("Information requested (1)", shown)
        self.assertNotIn("Ask for information", shown)
        refused = client.get(self.new_url())
        self.assertEqual(refused.status_code, 403)
        self.assertIn("Your role (Auditor) is read-only", page(refused))
        self.assertEqual(client.post(self.new_url(), self.form()).status_code, 403)
        self.assertEqual(InformationRequest.objects.count(), 1)

    def test_another_landlords_staff_find_nothing(self) -> None:
        request = ask(self.cast, self.complaint, self.firm)
        client = signed_in(self.cast.stranger)
        base = f"/staff/complaints/{self.complaint.reference}/information-requests/"
        for url in (
            self.new_url(),
            f"{base}{request.pk}/answer/",
            f"{base}{request.pk}/withdraw/",
            f"{base}{request.pk}/remind/",
        ):
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)
                self.assertEqual(client.post(url, {"answer": "x", "expected_version": "1"}).status_code, 404)
        self.assertEqual(client.get(f"/staff/contractors/{self.firm.pk}/").status_code, 404)
        request.refresh_from_db()
        self.assertEqual(request.state, InformationRequest.State.OPEN)

    def test_answer_remind_and_withdraw_from_the_page(self) -> None:
        client = signed_in(self.cast.handler)
        first = ask(self.cast, self.complaint, self.firm)
        second = ask(self.cast, self.complaint, self.firm, question="And the second visit?")
        base = f"/staff/complaints/{self.complaint.reference}/information-requests/"
        client.post(f"{base}{first.pk}/remind/", {"expected_version": str(first.version)})
        first.refresh_from_db()
        self.assertEqual(first.reminders_sent, 1)
        client.post(f"{base}{first.pk}/answer/", {"answer": "We came at 9.", "expected_version": str(first.version)})
        client.post(f"{base}{second.pk}/withdraw/", {"reason": "Not needed", "expected_version": str(second.version)})
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.state, second.state), ("answered", "withdrawn"))
        stale = client.post(f"{base}{first.pk}/answer/", {"answer": "Again", "expected_version": "1"})
        self.assertIn("was changed by someone else", page(stale))
        current = client.post(f"{base}{first.pk}/answer/", {"answer": "Again", "expected_version": str(first.version)})
        self.assertIn("is answered, so you cannot record an answer", page(current))

    def test_the_respond_step_shows_the_requests_to_the_handler(self) -> None:
        from tests.cast import acknowledge

        acknowledge(self.cast, self.complaint, ASKED)
        answered = ask(self.cast, self.complaint, self.firm)
        actions.record_answer(answered, self.cast.handler, "The van broke down.")
        ask(self.cast, self.complaint, self.firm, question="Who booked the second visit?")
        shown = page(signed_in(self.cast.handler).get(complaint_url(self.complaint, "respond")))
        self.assertIn("Information you asked for", shown)
        self.assertIn("The van broke down.", shown)
        self.assertIn("1 request still waiting for an answer", shown)

    def test_the_complaint_page_and_the_lists_read_a_fixed_number_of_queries(self) -> None:
        client = signed_in(self.cast.handler)

        def queries_for(url: str) -> int:
            client.get(url)  # warm the session and the calendar
            with CaptureQueriesContext(connection) as read:
                self.assertEqual(client.get(url).status_code, 200)
            return len(read)

        ask(self.cast, self.complaint, self.firm)
        contractor(self.cast, name="Second Ltd")
        before = {url: queries_for(url) for url in (complaint_url(self.complaint), "/staff/contractors/")}
        for number in range(4):
            ask(self.cast, self.complaint, self.firm, question=f"Question {number}")
            contractor(self.cast, name=f"Firm {number}")
        after = {url: queries_for(url) for url in before}
        self.assertEqual(after, before)

    def test_officers_keep_the_contractors_and_everyone_reads_them(self) -> None:
        officer = signed_in(self.cast.officer)
        response = officer.post(
            "/staff/contractors/add/", {"name": "Grounds Co", "email": "g@example.org", "service_areas": ["estate"]}
        )
        self.assertEqual(response.status_code, 302)
        grounds = Contractor.objects.get(name="Grounds Co")
        self.assertEqual(grounds.service_areas, ["estate"])
        duplicate = officer.post("/staff/contractors/add/", {"name": "grounds co"})
        self.assertIn("There is already a contractor called grounds co", page(duplicate))
        officer.post(
            f"/staff/contractors/{grounds.pk}/active/", {"active": "no", "expected_version": str(grounds.version)}
        )
        grounds.refresh_from_db()
        self.assertFalse(grounds.active)
        listing = page(signed_in(self.cast.auditor).get("/staff/contractors/"))
        self.assertIn("Grounds Co", listing)
        self.assertIn("&lt;script&gt;", listing)
        self.assertNotIn("Add a contractor", listing)
        handler = signed_in(self.cast.handler)
        self.assertEqual(handler.get("/staff/contractors/add/").status_code, 403)
        self.assertEqual(handler.post("/staff/contractors/add/", {"name": "Sneaky"}).status_code, 403)
        self.assertFalse(Contractor.objects.filter(name="Sneaky").exists())

    def test_insight_readers_see_complaints_by_contractor(self) -> None:
        url = "/staff/insight/contractors/?start_0=1&start_1=8&start_2=2025&end_0=31&end_1=8&end_2=2025"
        actions.link_contractor(self.complaint, self.cast.handler, self.firm)
        shown = page(signed_in(self.cast.auditor).get(url))
        self.assertIn("Complaints by contractor", shown)
        self.assertRegex(shown, r"Heating</th>\s*<td[^>]*>1</td>")
        self.assertEqual(signed_in(self.cast.handler).get(url).status_code, 403)
        member = staff("mo.member", self.cast.landlord, StaffRole.MEMBER)
        self.assertIn("Complaints by contractor", page(signed_in(member).get(url)))
        self.assertEqual(signed_in(member).get("/staff/contractors/").status_code, 403)
        self.assertEqual(self.client.get(url).status_code, 302)
        bad = signed_in(self.cast.officer).get(
            "/staff/insight/contractors/?start_0=1&start_1=9&start_2=2025&end_0=1&end_1=8&end_2=2025"
        )
        self.assertIn("The last day must be the same as or after the first day", page(bad))

"""Residents' data protection requests: due a calendar month after receipt and extendable by two
more (UK GDPR Art. 12(3)), recorded once, erasure refused while records must be kept and carried
out once they need not be, and a restriction of processing that stops the satisfaction survey and
shows on the complaint's page."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.test import TestCase, override_settings
from hypothesis import given
from hypothesis import strategies as st

from putright.complaints import actions as complaint_actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint
from putright.correspondence.models import OutboxMessage
from putright.people.models import Person
from putright.privacy import actions, queries
from putright.privacy.models import RequestEvent, RightsRequest
from putright.retention.anonymise import ANONYMISED_NAME
from putright.rules import privacy as rules
from putright.surveys.models import SurveyInvitation
from tests.cast import Cast, log, make_cast
from tests.test_surveys import close
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday
SITE = "https://complaints.example.org"


# -- the rule (no database) -------------------------------------------------------------------------


def test_a_request_is_due_one_calendar_month_after_it_was_received() -> None:
    assert rules.due_on(date(2025, 6, 16)) == date(2025, 7, 16)
    assert rules.due_on(date(2025, 12, 3)) == date(2026, 1, 3)


def test_a_month_with_no_such_day_ends_on_its_last_day() -> None:
    assert rules.due_on(date(2025, 1, 31)) == date(2025, 2, 28)
    assert rules.due_on(date(2024, 1, 31)) == date(2024, 2, 29)
    assert rules.due_on(date(2025, 8, 31)) == date(2025, 9, 30)


def test_an_extension_gives_two_further_months_from_receipt() -> None:
    assert rules.extended_due_on(date(2025, 6, 16)) == date(2025, 9, 16)
    assert rules.extended_due_on(date(2025, 11, 30)) == date(2026, 2, 28)


def test_an_extension_is_allowed_once_and_only_within_the_first_month() -> None:
    received = date(2025, 6, 16)
    assert rules.may_extend(received, date(2025, 7, 16), already_extended=False).allowed
    late = rules.may_extend(received, date(2025, 7, 17), already_extended=False)
    assert not late.allowed and "by 16 July 2025" in late.reason
    assert not rules.may_extend(received, received, already_extended=True).allowed


@given(st.dates(min_value=date(2018, 5, 25), max_value=date(2100, 1, 1)))
def test_the_due_day_is_always_within_a_month_and_never_before_receipt(received: date) -> None:
    due = rules.due_on(received)
    assert received < due <= received + timedelta(days=31)
    assert due.day == received.day or due.month != (due + timedelta(days=1)).month
    assert rules.due_on(received) < rules.extended_due_on(received) <= received + timedelta(days=92)


# -- the actions ----------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
class RecordingRequestsTests(TestCase):
    cast: Cast
    person: Person

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.person = log(cls.cast, date(2025, 6, 2)).person

    def test_a_request_is_recorded_due_a_month_after_receipt_with_its_event(self) -> None:
        rights = actions.record_request(
            self.person, self.cast.officer, kind="access", received_on=date(2025, 6, 10), detail="Everything"
        )
        assert (rights.state, rights.due_on, rights.landlord_id) == ("open", date(2025, 7, 10), self.cast.landlord.pk)
        event = RequestEvent.objects.get(request=rights)
        assert event.actor == self.cast.officer and "due by 10 July 2025" in event.summary

    def test_the_same_submission_twice_records_one_request(self) -> None:
        first = actions.record_request(
            self.person, self.cast.officer, kind="erasure", received_on=TODAY, once_key="form-1"
        )
        again = actions.record_request(
            self.person, self.cast.manager, kind="erasure", received_on=TODAY, once_key="form-1"
        )
        assert again.pk == first.pk and RightsRequest.objects.count() == 1

    def test_a_second_open_request_of_the_same_kind_is_refused_saying_which(self) -> None:
        actions.record_request(self.person, self.cast.officer, kind="access", received_on=date(2025, 6, 10))
        with self.assertRaisesMessage(TransitionNotAllowed, "already an open subject access"):
            actions.record_request(self.person, self.cast.manager, kind="access", received_on=TODAY)
        actions.record_request(self.person, self.cast.manager, kind="restriction", received_on=TODAY)
        assert RightsRequest.objects.count() == 2

    def test_bad_input_is_refused_with_a_message_per_field_and_nothing_written(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            actions.record_request(
                self.person, self.cast.officer, kind="portability", received_on=TODAY + timedelta(days=1)
            )
        assert refused.exception.errors == {
            "kind": "Select what the resident asked for",
            "received_on": "The date the request was received must be today or in the past",
        }
        with self.assertRaises(InvalidInput):
            actions.record_request(self.person, self.cast.officer, kind="access", received_on=TODAY, detail="x" * 5001)
        assert not RightsRequest.objects.exists() and not RequestEvent.objects.exists()

    def test_only_the_officer_and_managers_of_the_residents_landlord_record_requests(self) -> None:
        for user, message in (
            (self.cast.handler, "Only a complaints officer, a manager or the auditor"),
            (self.cast.reviewer, "Only a complaints officer, a manager or the auditor"),
            (self.cast.auditor, "read-only"),
            (self.cast.stranger, "your own landlord"),
        ):
            with self.assertRaisesMessage(NotPermitted, message):
                actions.record_request(self.person, user, kind="access", received_on=TODAY)
        assert not RightsRequest.objects.exists()

    def test_the_time_is_extended_once_with_a_reason_within_the_first_month(self) -> None:
        rights = actions.record_request(self.person, self.cast.officer, kind="access", received_on=date(2025, 6, 2))
        with self.assertRaises(InvalidInput):
            actions.extend_request(rights, self.cast.officer, reason="  ")
        rights = actions.extend_request(rights, self.cast.officer, reason="Eleven years of records to gather")
        assert rights.due_on == date(2025, 9, 2) and rights.extended_on == TODAY
        with self.assertRaisesMessage(TransitionNotAllowed, "already been extended"):
            actions.extend_request(rights, self.cast.manager, reason="Again")
        late = actions.record_request(self.person, self.cast.officer, kind="erasure", received_on=date(2025, 5, 1))
        with self.assertRaisesMessage(TransitionNotAllowed, "within a month of receipt, by 1 June 2025"):
            actions.extend_request(late, self.cast.officer, reason="Complex")

    def test_an_open_request_after_its_due_day_is_overdue_and_listed_before_decided_ones(self) -> None:
        late = actions.record_request(self.person, self.cast.officer, kind="access", received_on=date(2025, 5, 1))
        soon = actions.record_request(self.person, self.cast.officer, kind="restriction", received_on=TODAY)
        refused = actions.record_request(self.person, self.cast.officer, kind="erasure", received_on=date(2025, 4, 1))
        actions.refuse_request(refused, self.cast.officer, reason="Manifestly unfounded")
        assert late.overdue(TODAY) and not soon.overdue(TODAY)
        ordered = list(RightsRequest.objects.of_landlord(self.cast.landlord.pk).open_first())
        assert ordered == [late, soon, RightsRequest.objects.get(pk=refused.pk)]


@time_machine.travel(TODAY, tick=False)
class ErasureTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_erasure_is_refused_while_a_complaint_is_open_and_carried_out_once_it_is_closed(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        person = complaint.person
        first = actions.record_request(person, self.cast.officer, kind="erasure", received_on=TODAY)
        first = actions.decide_erasure(first, self.cast.officer)
        assert first.state == "refused"
        assert first.decision == (
            f"We must keep your records for now because complaint {complaint.reference} is still in progress. "
            "Ask again once it has finished."
        )
        assert Person.objects.get(pk=person.pk).name == "Rosa Resident"
        # Once it has ended (withdrawn here; a second complaint closed), erasure is carried out.
        complaint_actions.withdraw(Complaint.objects.get(pk=complaint.pk), self.cast.officer, on=TODAY, how="By phone")
        closed = close(self.cast, date(2025, 6, 3), resident=Person.objects.get(pk=person.pk))
        second = actions.record_request(person, self.cast.officer, kind="erasure", received_on=TODAY, detail="Mine")
        second = actions.decide_erasure(second, self.cast.manager)
        assert second.state == "done" and second.detail == ""
        person.refresh_from_db()
        assert person.name == ANONYMISED_NAME and "Rosa" not in person.email
        assert Complaint.objects.get(pk=closed.pk).description != closed.description
        assert RequestEvent.objects.filter(request=second, kind="erasure-decided").count() == 1

    def test_a_lawful_reason_to_keep_the_records_refuses_it_with_that_reason(self) -> None:
        closed = close(self.cast, date(2025, 6, 2))
        rights = actions.record_request(closed.person, self.cast.officer, kind="erasure", received_on=TODAY)
        rights = actions.decide_erasure(rights, self.cast.officer, lawful_reason="A claim for disrepair is under way.")
        assert rights.state == "refused" and rights.decision.endswith("A claim for disrepair is under way.")
        assert Person.objects.get(pk=closed.person_id).name == "Rosa Resident"

    def test_with_one_complaint_open_the_closed_one_is_erased_and_the_resident_told_why_the_rest_is_kept(self) -> None:
        closed = close(self.cast, date(2025, 6, 2))
        still_open = log(self.cast, date(2025, 6, 9), resident=closed.person)
        rights = actions.record_request(closed.person, self.cast.officer, kind="erasure", received_on=TODAY)
        rights = actions.decide_erasure(rights, self.cast.officer)
        assert rights.state == "partly"
        assert closed.reference in rights.decision and f"complaint {still_open.reference} is still in progress" in (
            rights.decision
        )
        assert Complaint.objects.get(pk=closed.pk).description != closed.description
        assert Complaint.objects.get(pk=still_open.pk).description == still_open.description
        assert Person.objects.get(pk=closed.person_id).name == "Rosa Resident"

    def test_a_decided_request_cannot_be_decided_again(self) -> None:
        closed = close(self.cast, date(2025, 6, 2))
        rights = actions.record_request(closed.person, self.cast.officer, kind="erasure", received_on=TODAY)
        actions.refuse_request(rights, self.cast.officer, reason="Unfounded")
        with self.assertRaisesMessage(TransitionNotAllowed, "record a new request"):
            actions.decide_erasure(rights, self.cast.officer)


@time_machine.travel(TODAY, tick=False)
@override_settings(SITE_URL=SITE)
class RestrictionTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def restricted(self, person: Person, until: date | None = None) -> RightsRequest:
        rights = actions.record_request(person, self.cast.officer, kind="restriction", received_on=TODAY)
        return actions.decide_restriction(rights, self.cast.officer, restrict=True, until=until)

    def test_a_restriction_stops_the_satisfaction_survey_and_lifting_it_lets_it_go_again(self) -> None:
        person = log(self.cast, date(2025, 6, 2)).person
        rights = self.restricted(person)
        assert rights.state == "done" and queries.processing_restricted(person.pk)
        closed = close(self.cast, date(2025, 6, 3), resident=person)
        assert not SurveyInvitation.objects.filter(complaint=closed).exists()
        assert not OutboxMessage.objects.filter(complaint=closed, once_key__startswith="survey-invitation:").exists()
        actions.lift_restriction(rights, self.cast.manager, reason="The accuracy of the record is confirmed.")
        assert not queries.processing_restricted(person.pk)
        again = close(self.cast, date(2025, 6, 4), resident=person)
        assert SurveyInvitation.objects.filter(complaint=again).exists()

    def test_a_restriction_with_an_end_ends_on_that_day(self) -> None:
        person = log(self.cast, date(2025, 6, 2)).person
        self.restricted(person, until=date(2025, 6, 20))
        assert queries.processing_restricted(person.pk)
        with time_machine.travel(date(2025, 6, 20), tick=False):
            assert not queries.processing_restricted(person.pk)

    def test_refusing_a_restriction_needs_the_reason_the_resident_is_told(self) -> None:
        person = log(self.cast, date(2025, 6, 2)).person
        rights = actions.record_request(person, self.cast.officer, kind="restriction", received_on=TODAY)
        with self.assertRaises(InvalidInput) as refused:
            actions.decide_restriction(rights, self.cast.officer, restrict=False, reason="")
        assert refused.exception.errors == {"reason": "Enter the reason the resident is told"}
        with self.assertRaises(InvalidInput):
            actions.decide_restriction(rights, self.cast.officer, restrict=True, until=TODAY)
        rights = actions.decide_restriction(rights, self.cast.officer, restrict=False, reason="The data is accurate.")
        assert rights.state == "refused" and not queries.processing_restricted(person.pk)

    def test_the_complaint_page_says_processing_is_restricted(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        handler = signed_in(self.cast.handler)
        assert "Processing restricted" not in page(handler.get(complaint_url(complaint)))
        self.restricted(complaint.person)
        shown = page(handler.get(complaint_url(complaint)))
        assert "Processing restricted: the resident has asked us to restrict" in shown


@time_machine.travel(TODAY, tick=False)
class RequestPagesTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_officer_finds_the_resident_by_complaint_reference_and_records_the_request_once(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        officer = signed_in(self.cast.officer)
        found = page(officer.get("/staff/privacy/requests/new/", {"q": complaint.reference.lower()}))
        url = f"/staff/privacy/requests/new/{complaint.person_id}/"
        assert "Rosa Resident" in found and url in found
        form = page(officer.get(url))
        token = form.split('name="once" value="')[1].split('"')[0]
        answers = {
            "kind": "access",
            **date_fields("received_on", date(2025, 6, 12)),
            "detail": "All of it",
            "once": token,
        }
        first = officer.post(url, answers)
        second = officer.post(url, answers)  # a double click
        rights = RightsRequest.objects.get()
        assert first.status_code == second.status_code == 302
        assert first["Location"] == second["Location"] == f"/staff/privacy/requests/{rights.pk}/"
        shown = page(officer.get(first["Location"]))
        assert "12 July 2025" in shown and "All of it" in shown

    def test_a_form_with_mistakes_says_what_to_fix_and_records_nothing(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        officer = signed_in(self.cast.officer)
        answers = {"kind": "", **date_fields("received_on", TODAY + timedelta(days=3)), "once": "t"}
        shown = page(officer.post(f"/staff/privacy/requests/new/{complaint.person_id}/", answers))
        assert "There is a problem" in shown and "Select what the resident asked for" in shown
        assert "The date the request was received must be today or in the past" in shown
        assert not RightsRequest.objects.exists()

    def test_deciding_on_the_page_refuses_erasure_with_the_reason_shown(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        rights = actions.record_request(complaint.person, self.cast.officer, kind="erasure", received_on=TODAY)
        officer = signed_in(self.cast.officer)
        url = f"/staff/privacy/requests/{rights.pk}/"
        before = page(officer.get(url))
        assert f"Complaint {complaint.reference} is still in progress" in before
        done = officer.post(url + "erasure/", {"erasure-lawful_reason": ""})
        assert done.status_code == 302
        assert "still in progress" in page(officer.get(url)) and RightsRequest.objects.get().state == "refused"

    def test_an_empty_reason_to_extend_is_shown_as_an_error(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        rights = actions.record_request(complaint.person, self.cast.officer, kind="access", received_on=TODAY)
        shown = page(signed_in(self.cast.manager).post(f"/staff/privacy/requests/{rights.pk}/extend/", {}))
        assert "Enter why more time is needed" in shown
        assert RightsRequest.objects.get().extended_on is None

    def test_the_list_shows_open_requests_first_with_overdue_marked_in_a_fixed_number_of_queries(self) -> None:
        officer = signed_in(self.cast.officer)
        officer.get("/staff/privacy/requests/")
        person = log(self.cast, date(2025, 6, 2)).person
        actions.record_request(person, self.cast.officer, kind="access", received_on=date(2025, 5, 1))
        with self.assertNumQueries(4):
            officer.get("/staff/privacy/requests/")
        for number in range(4):
            other = log(
                self.cast,
                date(2025, 6, 2),
                resident=Person.objects.create(landlord=self.cast.landlord, name=f"Resident {number}"),
            ).person
            actions.record_request(other, self.cast.officer, kind="restriction", received_on=TODAY)
        with self.assertNumQueries(4):
            shown = page(officer.get("/staff/privacy/requests/"))
        assert shown.count("Overdue</strong>") == 1 and shown.count("/staff/privacy/requests/") >= 5

"""A resident's needs (Code 5.10): reasonable adjustments and vulnerabilities recorded, changed,
reviewed and ended by staff, consent to keep a vulnerability, who reads the detail, letters that
honour adjustments, review reminders, safeguarding concerns, and the 5.10 self-assessment evidence.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.api import tokens
from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import AdjustmentTask, Complaint, Event
from putright.correspondence import reminders
from putright.correspondence.models import Letter, OutboxMessage
from putright.insight import evidence
from putright.people.models import Person, ReasonableAdjustment, SafeguardingConcern, Vulnerability
from tests.cast import RESIDENT, Cast, acknowledge, log, make_cast
from tests.test_workspace_support import acknowledge_form, complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday
UK = ZoneInfo("Europe/London")
NEEDS = actions.needs


def text_of(response: Any) -> str:
    return html.unescape(page(response))


def panel(response: Any) -> str:
    """The complaint page's needs panel alone (the timeline repeats what an Event said)."""
    return text_of(response).split('<div id="needs">', 1)[1].split("<!-- end of needs -->", 1)[0]


def assigned(cast: Cast, received: date, person: Person | None = None, handler: User | None = None) -> Complaint:
    complaint = log(cast, received, **({"resident": person} if person else {}))
    return actions.assign_handler(complaint, cast.officer, handler=handler or cast.handler, conflict_of_interest=False)


def consent(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "description": "Uses a wheelchair; anxious on the phone",
        "disclosed_on": TODAY,
        "consent_given": True,
        "consent_from": "resident",
        "consent_how": "verbal",
        "consent_on": TODAY,
    }
    return fields | changes


@time_machine.travel(TODAY, tick=False)
class RecordingAdjustmentsTests(TestCase):
    cast: Cast
    complaint: Complaint
    second: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = assigned(cls.cast, date(2025, 6, 9))
        cls.second = assigned(cls.cast, date(2025, 6, 12), person=cls.complaint.person)

    def test_staff_record_an_adjustment_with_a_review_date_and_an_event_on_each_open_complaint_5_10(self) -> None:
        adjustment = NEEDS.record_adjustment(
            self.complaint.person, self.cast.handler, kind="large-print", detail="16 point"
        )
        assert adjustment.recorded_by == self.cast.handler and adjustment.agreed_on == TODAY
        assert adjustment.review_on == date(2026, 6, 16)  # 12 months unless staff choose
        for complaint in (self.complaint, self.second):
            event = Event.objects.filter(complaint=complaint, kind="adjustment-recorded").get()
            assert "Large print (16 point)" in event.summary and "(5.10)" in event.summary

    def test_changing_reviewing_and_ending_an_adjustment_through_the_pages(self) -> None:
        client = signed_in(self.cast.handler)
        form = {"kind": "phone-first", "detail": "Call after 2pm", **date_fields("agreed_on", TODAY)}
        response = client.post(complaint_url(self.complaint, "needs/adjustments/new"), form)
        assert response.status_code == 302, text_of(response)
        adjustment = ReasonableAdjustment.objects.get()
        shown = text_of(client.get(complaint_url(self.complaint)))
        assert "A phone call before we write: Call after 2pm" in shown and "review by 16 June 2026" in shown
        assert "Agreed 16 June 2025, recorded by Hana Handler" in shown
        assert "Phone the resident before sending letters at stage 1" in shown

        url = complaint_url(self.complaint, f"needs/adjustments/{adjustment.pk}")
        changed = {
            "kind": "phone-first",
            "detail": "Call after 3pm",
            "reviewed": "on",
            **date_fields("review_on", date(2025, 12, 16)),
        }
        assert client.post(url, changed).status_code == 302
        adjustment.refresh_from_db()
        assert adjustment.detail == "Call after 3pm" and adjustment.review_on == date(2025, 12, 16)
        assert adjustment.reviewed_on == TODAY and adjustment.review_was_due_on == date(2026, 6, 16)
        assert "reviewed" in Event.objects.filter(kind="adjustment-changed").first().summary  # type: ignore[union-attr]

        ended = client.post(url + "end/", {"reason": "no-longer-needed", **date_fields("on", TODAY)})
        assert ended.status_code == 302
        adjustment.refresh_from_db()
        assert adjustment.ended_on == TODAY and adjustment.ended_by == self.cast.handler
        assert Event.objects.filter(kind="adjustment-ended").count() == 2  # both complaints in progress
        assert "Call after 3pm" not in panel(client.get(complaint_url(self.complaint)))
        again = client.post(url, changed)
        assert "was ended on 16 June 2025, so it cannot be changed" in text_of(again)

    def test_bad_input_gets_clear_errors(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "needs/adjustments/new")
        response = client.post(url, {"kind": "other", **date_fields("agreed_on", date(2025, 7, 1))})
        shown = text_of(response)
        assert response.status_code == 200
        assert "There is a problem" in shown
        assert "This cannot be in the future" in shown
        with pytest.raises(InvalidInput) as refused:
            NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="other", detail="")
        assert refused.value.errors["detail"].startswith("Say what was agreed")
        with pytest.raises(InvalidInput) as refused:
            NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="audio", review_on=date(2025, 6, 1))
        assert refused.value.errors["review_on"] == "The review date must be today or in the future"
        with pytest.raises(InvalidInput) as refused:
            NEEDS.end_adjustment(
                NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="audio"),
                self.cast.handler,
                reason="other",
            )
        assert refused.value.errors["note"] == "Say why it is ending"

    def test_adjustments_the_resident_asks_for_online_are_recorded_through_the_action_with_a_review(self) -> None:
        complaint = actions.resident_log_complaint(
            self.cast.landlord,
            resident=RESIDENT,
            received_on=TODAY,
            description="The lift has been broken for a month.",
            adjustments=[actions.AdjustmentInput("easy-read", "Copy to support worker")],
        )
        adjustment = ReasonableAdjustment.objects.get(person=complaint.person)
        assert adjustment.review_on == date(2026, 6, 16) and adjustment.recorded_by is None
        event = Event.objects.get(complaint=complaint, kind="adjustment-recorded")
        assert event.actor is None and "Easy read" in event.summary


@time_machine.travel(TODAY, tick=False)
class VulnerabilityAndWhoSeesItTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = assigned(cls.cast, date(2025, 6, 9))

    def test_a_vulnerability_cannot_be_recorded_without_consent_5_10(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            NEEDS.record_vulnerability(self.complaint.person, self.cast.handler, **consent(consent_given=False))
        assert (
            "without their consent a vulnerability cannot be recorded (5.10)" in refused.value.errors["consent_given"]
        )
        response = signed_in(self.cast.handler).post(
            complaint_url(self.complaint, "needs/vulnerabilities/new"),
            {"description": "Hearing loss", **date_fields("disclosed_on", TODAY)},
        )
        assert "without their consent a vulnerability cannot be recorded" in text_of(response)
        assert not Vulnerability.objects.exists()

    def test_consent_is_kept_with_who_gave_it_when_and_how(self) -> None:
        vulnerability = NEEDS.record_vulnerability(self.complaint.person, self.cast.handler, **consent())
        assert (vulnerability.consent_from, vulnerability.consent_how, vulnerability.consent_on) == (
            "resident",
            "verbal",
            TODAY,
        )
        event = Event.objects.get(kind="vulnerability-recorded")
        assert "wheelchair" not in event.summary and "details restricted" in event.summary

    def test_only_officers_managers_and_those_working_the_complaints_see_the_detail(self) -> None:
        NEEDS.record_vulnerability(self.complaint.person, self.cast.handler, **consent())
        NEEDS.record_safeguarding(
            self.complaint.person,
            self.cast.handler,
            seen="Bruising on the resident's arms during the visit",
            seen_on=TODAY,
            referral=NEEDS.Referral("Kent adult social care", TODAY, self.cast.handler),
        )
        for user in (self.cast.handler, self.cast.officer, self.cast.manager):
            shown = text_of(signed_in(user).get(complaint_url(self.complaint)))
            assert "Uses a wheelchair" in shown and "Bruising" in shown and "Kent adult social care" in shown
        for user in (self.cast.auditor, self.cast.other_handler, self.cast.reviewer):
            shown = text_of(signed_in(user).get(complaint_url(self.complaint)))
            assert "Vulnerability recorded: details restricted" in shown
            assert "Safeguarding concern recorded: details restricted" in shown
            assert "wheelchair" not in shown and "Bruising" not in shown and "Kent adult" not in shown
            refused = signed_in(user).get(complaint_url(self.complaint, "needs/vulnerabilities/new"))
            assert refused.status_code == 403
        with pytest.raises(NotPermitted):
            NEEDS.record_adjustment(self.complaint.person, self.cast.other_handler, kind="audio")
        assert signed_in(self.cast.stranger).get(complaint_url(self.complaint)).status_code == 404

    def test_staff_change_review_and_end_a_vulnerability(self) -> None:
        client = signed_in(self.cast.officer)
        form = {
            "description": "Partially sighted",
            "consent_given": "on",
            "consent_from": "representative",
            "consent_how": "written",
            **date_fields("disclosed_on", TODAY),
            **date_fields("consent_on", TODAY),
            **date_fields("review_on", date(2025, 12, 1)),
        }
        assert client.post(complaint_url(self.complaint, "needs/vulnerabilities/new"), form).status_code == 302
        vulnerability = Vulnerability.objects.get()
        assert vulnerability.review_on == date(2025, 12, 1) and vulnerability.recorded_by == self.cast.officer
        url = complaint_url(self.complaint, f"needs/vulnerabilities/{vulnerability.pk}")
        change = {"description": "Registered blind", "reviewed": "on", **date_fields("review_on", date(2026, 6, 1))}
        assert client.post(url, change).status_code == 302
        vulnerability.refresh_from_db()
        assert vulnerability.description == "Registered blind" and vulnerability.reviewed_on == TODAY
        end = {"reason": "recorded-in-error", **date_fields("on", TODAY)}
        assert client.post(url + "end/", end).status_code == 302
        vulnerability.refresh_from_db()
        assert vulnerability.end_reason == "recorded-in-error"
        assert [e.kind for e in Event.objects.filter(kind__startswith="vulnerability")] == [
            "vulnerability-recorded",
            "vulnerability-changed",
            "vulnerability-ended",
        ]


@time_machine.travel(TODAY, tick=False)
class SafeguardingTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = assigned(cls.cast, date(2025, 6, 9))

    def test_a_concern_with_its_referral_and_outcome_recorded_through_the_pages(self) -> None:
        client = signed_in(self.cast.handler)
        form = {"seen": "No food in the flat; the resident seemed confused", **date_fields("seen_on", TODAY)}
        assert client.post(complaint_url(self.complaint, "needs/safeguarding/new"), form).status_code == 302
        concern = SafeguardingConcern.objects.get()
        assert not concern.referred
        update = {
            "referred_to": "Adult social care",
            "referred_by": str(self.cast.officer.pk),
            "outcome": "Care assessment booked",
            **date_fields("referred_on", TODAY),
            **date_fields("outcome_on", TODAY),
        }
        url = complaint_url(self.complaint, f"needs/safeguarding/{concern.pk}")
        assert client.post(url, update).status_code == 302
        concern.refresh_from_db()
        assert concern.referred_by == self.cast.officer and concern.outcome == "Care assessment booked"
        summaries = [e.summary for e in Event.objects.filter(kind__startswith="safeguarding")]
        assert len(summaries) == 2 and all("No food" not in s for s in summaries)

    def test_a_referral_needs_whom_and_by_whom(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            NEEDS.record_safeguarding(
                self.complaint.person,
                self.cast.handler,
                seen="Seen",
                seen_on=TODAY,
                referral=NEEDS.Referral("", TODAY, None),
            )
        assert set(refused.value.errors) == {"referred_to", "referred_by"}
        with pytest.raises(InvalidInput) as refused:
            NEEDS.record_safeguarding(
                self.complaint.person,
                self.cast.handler,
                seen="Seen",
                seen_on=TODAY,
                referral=NEEDS.Referral("Police", TODAY, self.cast.stranger),
            )
        assert refused.value.errors["referred_by"] == "Choose a member of your landlord's staff"


@time_machine.travel(TODAY, tick=False)
class LettersHonourAdjustmentsTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = assigned(cls.cast, date(2025, 6, 9))

    def test_large_print_is_honoured_and_ends_with_the_adjustment(self) -> None:
        adjustment = NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="large-print")
        NEEDS.end_adjustment(adjustment, self.cast.handler, reason="no-longer-needed")
        acknowledge(self.cast, self.complaint, TODAY)
        assert Letter.objects.get(complaint=self.complaint).large_print is False
        NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="large-print")
        actions.request_clarification(
            Complaint.objects.get(pk=self.complaint.pk), self.cast.handler, question="Which room?", on=TODAY
        )
        assert Letter.objects.filter(complaint=self.complaint).latest("id").large_print is True

    def test_another_format_is_an_outstanding_item_until_recorded_as_sent(self) -> None:
        NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="braille")
        acknowledge(self.cast, self.complaint, TODAY)
        task = AdjustmentTask.objects.get()
        assert task.what == "Send the stage 1 acknowledgement letter of 16 June 2025 as braille"
        client = signed_in(self.cast.handler)
        shown = text_of(client.get(complaint_url(self.complaint)))
        assert task.what in shown and "Record as sent" in shown
        sent = client.post(complaint_url(self.complaint, f"needs/formats/{task.pk}"), date_fields("on", TODAY))
        assert sent.status_code == 302
        task.refresh_from_db()
        assert task.done_on == TODAY and task.done_by == self.cast.handler
        assert task.what not in panel(client.get(complaint_url(self.complaint)))
        with pytest.raises(TransitionNotAllowed):
            NEEDS.record_format_sent(task, self.cast.handler, on=TODAY)

    def test_the_letter_confirmation_page_says_which_formats_it_will_be_needed_in(self) -> None:
        NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="audio", detail="CD")
        NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="large-print")
        client = signed_in(self.cast.handler, confirm=False)
        answered = client.post(complaint_url(self.complaint, "acknowledge"), acknowledge_form(self.complaint, TODAY))
        assert "?confirm=" in answered["Location"]
        shown = text_of(client.get(answered["Location"]))
        assert "Send the stage 1 acknowledgement letter of 16 June 2025 as audio (CD)" in shown
        assert "the letter is set in 18 point" in shown
        assert not AdjustmentTask.objects.exists()  # shown, not done: the preview is rolled back

    def test_phone_before_writing_is_a_task_on_each_stage_done_by_recording_the_call(self) -> None:
        adjustment = NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="phone-first")
        client = signed_in(self.cast.handler)
        assert "Phone the resident before sending letters" in text_of(client.get(complaint_url(self.complaint)))
        url = complaint_url(self.complaint, f"needs/adjustments/{adjustment.pk}/call")
        assert client.post(url, {"note": "Spoke to her", **date_fields("on", TODAY)}).status_code == 302
        assert "Phone the resident before sending letters" not in text_of(client.get(complaint_url(self.complaint)))
        assert Event.objects.filter(kind="adjustment-phone-call").exists()
        with pytest.raises(TransitionNotAllowed):
            NEEDS.record_phone_call(self.complaint, self.cast.handler, adjustment, on=TODAY)


@time_machine.travel(TODAY, tick=False)
class ShownAndCountedTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def add(self, count: int) -> None:
        for i in range(count):
            complaint = assigned(self.cast, date(2025, 6, 2 + i % 12))
            NEEDS.record_adjustment(complaint.person, self.cast.handler, kind="braille")
            NEEDS.record_vulnerability(complaint.person, self.cast.handler, **consent())
            NEEDS.record_safeguarding(complaint.person, self.cast.handler, seen="Seen", seen_on=TODAY)

    def test_the_worklist_tags_needs_in_the_same_number_of_queries_5_10(self) -> None:
        client = signed_in(self.cast.handler)
        self.add(2)
        client.get("/staff/")
        with self.assertNumQueries(4):
            shown = text_of(client.get("/staff/?vulnerable=on"))
        assert shown.count(">Vulnerable</strong>") == 2 and shown.count(">Adjustments</strong>") == 2
        self.add(6)
        with self.assertNumQueries(4):
            client.get("/staff/?vulnerable=on")

    def test_the_complaint_page_costs_the_same_however_many_needs(self) -> None:
        complaint = assigned(self.cast, date(2025, 6, 9))
        acknowledge(self.cast, complaint, TODAY)
        client = signed_in(self.cast.handler)
        url = complaint_url(complaint)
        client.get(url)  # the calendar and policy caches are per process: warm them first
        with CaptureQueriesContext(connection) as before:
            client.get(url)
        for kind in ("braille", "audio", "phone-first", "large-print"):
            NEEDS.record_adjustment(complaint.person, self.cast.handler, kind=kind)
        NEEDS.record_vulnerability(complaint.person, self.cast.handler, **consent())
        NEEDS.record_safeguarding(complaint.person, self.cast.handler, seen="Seen", seen_on=TODAY)
        actions.request_clarification(
            Complaint.objects.get(pk=complaint.pk), self.cast.handler, question="Which room?", on=TODAY
        )
        # One more: the access log's single INSERT, now that the page shows a vulnerability and a concern.
        with self.assertNumQueries(len(before.captured_queries) + 1):
            shown = text_of(client.get(url))
        assert "Uses a wheelchair" in shown and shown.count("Record as sent") == 2
        assert "Phone the resident before sending letters" in shown

    def test_the_self_assessment_counts_adjustments_reviewed_on_time_and_overdue_5_10(self) -> None:
        complaint = assigned(self.cast, date(2025, 6, 9))
        person = complaint.person
        on_time = NEEDS.record_adjustment(person, self.cast.handler, kind="audio", review_on=TODAY)
        NEEDS.change_adjustment(
            on_time, self.cast.handler, kind="audio", detail="", review_on=date(2026, 6, 1), reviewed=True
        )
        late = NEEDS.record_adjustment(person, self.cast.handler, kind="braille", review_on=TODAY)
        ReasonableAdjustment.objects.filter(pk=late.pk).update(review_on=date(2025, 6, 1))
        NEEDS.record_adjustment(person, self.cast.handler, kind="easy-read", review_on=TODAY)
        ReasonableAdjustment.objects.filter(kind="easy-read").update(review_on=date(2025, 6, 2))
        with time_machine.travel(date(2025, 6, 17), tick=False):
            NEEDS.change_adjustment(
                ReasonableAdjustment.objects.get(pk=late.pk),
                self.cast.handler,
                kind="braille",
                detail="",
                review_on=date(2026, 6, 1),
                reviewed=True,
            )
        sentence = evidence.evidence_for(self.cast.landlord, 2025).sentences["5.10"]
        assert "3 reasonable adjustments recorded" in sentence
        assert "1 reviewed on time, 1 reviewed late, 1 overdue for review" in sentence


class ReviewRemindersTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_handler_is_reminded_when_a_review_falls_due_and_only_once_5_10(self) -> None:
        with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=UK), tick=False):
            complaint = assigned(self.cast, TODAY)
            NEEDS.record_adjustment(complaint.person, self.cast.handler, kind="audio", review_on=date(2025, 6, 20))
            NEEDS.record_vulnerability(complaint.person, self.cast.handler, **consent(review_on=date(2025, 7, 30)))
            assert reminders.plan().needs_review == 0  # Friday is more than two working days away
        with time_machine.travel(datetime.combine(date(2025, 6, 18), time(10), tzinfo=UK), tick=False):
            assert reminders.plan().needs_review == 1
            assert reminders.plan().needs_review == 0
        message = OutboxMessage.objects.get(subject__startswith="A resident's reasonable adjustment")
        assert message.to_address == self.cast.handler.email
        assert "due for review Friday 20 June" in message.subject and "(Code 5.10)" in message.body
        with time_machine.travel(datetime.combine(date(2025, 7, 31), time(10), tzinfo=UK), tick=False):
            planned = reminders.plan()
        assert planned.needs_review == 2  # the adjustment overdue now, and the vulnerability
        vulnerability = OutboxMessage.objects.get(subject__startswith="A resident's vulnerability")
        assert "wheelchair" not in vulnerability.body

    def test_without_a_complaint_in_progress_the_complaints_officers_are_told(self) -> None:
        with time_machine.travel(datetime.combine(TODAY, time(10), tzinfo=UK), tick=False):
            complaint = assigned(self.cast, TODAY)
            NEEDS.record_adjustment(complaint.person, self.cast.handler, kind="audio", review_on=TODAY)
            Complaint.objects.filter(pk=complaint.pk).update(status="closed")
            assert reminders.plan().needs_review == 1
        assert OutboxMessage.objects.get(subject__contains="review").to_address == self.cast.officer.email


@time_machine.travel(TODAY, tick=False)
class NeedsApiTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = assigned(cls.cast, date(2025, 6, 9))

    def api(self, user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        token = tokens.issue(user)[1]
        headers = {"Authorization": f"Bearer {token}"}
        if method == "get":
            return self.client.get(f"/api/v1{path}", headers=headers)
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json", headers=headers)

    def test_record_change_and_end_an_adjustment_and_a_vulnerability_through_the_api_5_10(self) -> None:
        person = self.complaint.person.pk
        made = self.api(self.cast.handler, "post", f"/residents/{person}/adjustments", {"kind": "large-print"})
        assert made.status_code == 201, made.json()
        adjustment = made.json()
        assert adjustment["review_on"] == "2026-06-16"
        changed = self.api(
            self.cast.handler,
            "post",
            f"/adjustments/{adjustment['id']}/change",
            {"kind": "large-print", "detail": "18 point", "review_on": "2025-12-16", "reviewed": True},
        )
        assert changed.status_code == 200 and changed.json()["reviewed_on"] == "2025-06-16"
        refused = self.api(
            self.cast.handler,
            "post",
            f"/residents/{person}/vulnerabilities",
            {"description": "Deaf", "disclosed_on": "2025-06-16", "consent_given": False},
        )
        assert refused.status_code == 422
        assert "without their consent" in refused.json()["errors"]["consent_given"]
        made = self.api(
            self.cast.handler,
            "post",
            f"/residents/{person}/vulnerabilities",
            {
                "description": "Deaf",
                "disclosed_on": "2025-06-16",
                "consent_given": True,
                "consent_from": "resident",
                "consent_how": "written",
                "consent_on": "2025-06-16",
            },
        )
        assert made.status_code == 201, made.json()
        ended = self.api(self.cast.handler, "post", f"/adjustments/{adjustment['id']}/end", {"reason": "replaced"})
        assert ended.status_code == 200 and ended.json()["ended_on"] == "2025-06-16"

    def test_the_api_follows_the_same_rule_for_the_detail(self) -> None:
        person = self.complaint.person.pk
        NEEDS.record_vulnerability(self.complaint.person, self.cast.handler, **consent())
        NEEDS.record_adjustment(self.complaint.person, self.cast.handler, kind="audio")
        mine = self.api(self.cast.handler, "get", f"/residents/{person}/needs").json()
        assert mine["details_restricted"] is False and mine["vulnerabilities"][0]["description"].startswith("Uses")
        theirs = self.api(self.cast.auditor, "get", f"/residents/{person}/needs").json()
        assert theirs["details_restricted"] is True and theirs["vulnerable"] is True
        assert theirs["vulnerabilities"] == [] and len(theirs["adjustments"]) == 1
        refused = self.api(self.cast.auditor, "post", f"/residents/{person}/adjustments", {"kind": "audio"})
        assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
        refused = self.api(self.cast.other_handler, "post", f"/residents/{person}/adjustments", {"kind": "audio"})
        assert refused.status_code == 403 and "working one of this resident's complaints" in refused.json()["detail"]
        assert self.api(self.cast.stranger, "get", f"/residents/{person}/needs").status_code == 404

"""Contact restrictions for unacceptable behaviour (Code 5.14, 5.15).

5.14: landlords must be able to evidence the reasons for any restriction and keep restrictions under
regular review. 5.15: restrictions must be proportionate and have regard to the Equality Act 2010.
Ashford's policy: a decision is "taken at a senior level and communicated clearly to the
complainant, with an explanation of the reasons".
"""

from __future__ import annotations

import html
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.api import tokens
from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.correspondence import reminders
from putright.correspondence.models import Letter, OutboxMessage
from putright.insight.evidence import evidence_for
from putright.people.models import ContactRestriction, ReasonableAdjustment, RestrictionReview, Vulnerability
from putright.rules.letters import LetterType, elements
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_support import complaint_url, date_fields, log_form, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday
REVIEW = date(2025, 9, 15)
UK = ZoneInfo("Europe/London")


def proposal(**changes: Any) -> actions.RestrictionInput:
    fields: dict[str, Any] = {
        "behaviour": "Called the repairs line 40 times on 2 June and swore at the call handler.",
        "evidence": "Call log for 2 June; the call handler's note of the call at 10:40.",
        "scope": ["written", "single-point"],
        "contact_point": "Jo Smith, Tenancy Manager",
        "equality_considerations": "No disability recorded; we asked on 3 June. Written contact still lets the "
        "resident raise anything, and email is open at all times.",
        "review_on": REVIEW,
    }
    fields.update(changes)
    return actions.RestrictionInput(**fields)


def propose_form(**changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "behaviour": "Called the repairs line 40 times on 2 June and swore at the call handler.",
        "evidence": "Call log for 2 June.",
        "scope": ["written", "single-point"],
        "channels": "",
        "contact_point": "Jo Smith, Tenancy Manager",
        "contact_times": "",
        "other_terms": "",
        "equality_considerations": "No disability recorded; written contact still lets them reach us.",
        **date_fields("review_on", REVIEW),
    }
    data.update(changes)
    return data


@time_machine.travel(datetime(2025, 6, 16, 10, 0, tzinfo=UK), tick=False)
class RestrictionActionTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = actions.assign_handler(
            log(cls.cast, date(2025, 6, 9)), cls.cast.officer, handler=cls.cast.handler, conflict_of_interest=False
        )
        cls.complaint = acknowledge(cls.cast, complaint, date(2025, 6, 10))

    def proposed(self, by: User | None = None) -> ContactRestriction:
        return actions.propose_restriction(self.complaint, by or self.cast.handler, proposal())

    def approved(self) -> ContactRestriction:
        return actions.decide_restriction(self.proposed(), self.complaint, self.cast.officer, approve=True)

    def test_any_caseworker_proposes_with_the_behaviour_evidence_and_scope_and_it_is_on_the_timeline_5_14(
        self,
    ) -> None:
        restriction = self.proposed()
        assert restriction.state == ContactRestriction.State.PROPOSED
        assert restriction.person_id == self.complaint.person_id
        assert restriction.terms == [
            "One person to contact: Jo Smith, Tenancy Manager",
            "Written contact only (letter or email), no phone calls or visits",
        ]
        event = Event.objects.get(complaint=self.complaint, kind="restriction-proposed")
        assert event.actor == self.cast.handler
        assert "swore" not in event.summary  # the timeline is read by every reader: no behaviour in it
        for user in (self.cast.reviewer, self.cast.officer, self.cast.manager):
            actions.propose_restriction(self.complaint, user, proposal())

    def test_the_auditor_and_another_landlords_staff_cannot_propose(self) -> None:
        with self.assertRaisesMessage(NotPermitted, "read-only"):
            actions.propose_restriction(self.complaint, self.cast.auditor, proposal())
        with self.assertRaisesMessage(NotPermitted, "a landlord you work for"):
            actions.propose_restriction(self.complaint, self.cast.stranger, proposal())

    def test_a_proposal_must_record_its_regard_to_the_equality_act_5_15(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            actions.propose_restriction(self.complaint, self.cast.handler, proposal(equality_considerations="  "))
        assert refused.exception.errors["equality_considerations"] == (
            "Describe the regard had to the Equality Act 2010 and the resident's needs (Code 5.15)"
        )

    def test_a_proposal_needs_behaviour_evidence_and_each_scope_said_in_practice_5_14(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            actions.propose_restriction(
                self.complaint,
                self.cast.handler,
                proposal(behaviour="", evidence="", scope=["channels", "times", "other"], contact_point=""),
            )
        errors = refused.exception.errors
        assert errors["behaviour"] == "Describe the behaviour and when it happened"
        assert errors["evidence"] == "Describe the evidence of the behaviour"
        assert set(errors) >= {"channels", "contact_times", "other_terms"}
        with self.assertRaises(InvalidInput) as refused:
            actions.propose_restriction(self.complaint, self.cast.handler, proposal(scope=[]))
        assert refused.exception.errors["scope"] == "Select what the restriction is"
        with self.assertRaises(InvalidInput) as refused:
            actions.propose_restriction(self.complaint, self.cast.handler, proposal(scope=["banned"]))
        assert "from the list" in refused.exception.errors["scope"]

    def test_the_review_date_is_in_the_future_and_within_six_months_5_14(self) -> None:
        for review_on, words in ((TODAY, "must be after"), (date(2026, 1, 1), "at least every 6 months")):
            with self.assertRaises(InvalidInput) as refused:
                actions.propose_restriction(self.complaint, self.cast.handler, proposal(review_on=review_on))
            assert words in refused.exception.errors["review_on"]

    def test_evidence_documents_must_be_on_this_complaints_record(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            actions.propose_restriction(self.complaint, self.cast.handler, proposal(evidence_documents=[999]))
        assert refused.exception.errors["evidence_documents"] == "Choose documents that are on this complaint's record"

    def test_only_a_complaints_officer_or_manager_decides_and_never_the_proposer(self) -> None:
        restriction = self.proposed(by=self.cast.officer)
        with self.assertRaisesMessage(NotPermitted, "another complaints officer or manager must decide"):
            actions.decide_restriction(restriction, self.complaint, self.cast.officer, approve=True)
        for user in (self.cast.handler, self.cast.reviewer):
            with self.assertRaisesMessage(NotPermitted, "Only a complaints officer or a manager can decide"):
                actions.decide_restriction(restriction, self.complaint, user, approve=True)
        decided = actions.decide_restriction(restriction, self.complaint, self.cast.manager, approve=True)
        assert decided.state == ContactRestriction.State.IN_FORCE and decided.decided_by == self.cast.manager

    def test_approval_writes_to_the_resident_with_every_element_of_the_restriction_letter_5_14_5_15(self) -> None:
        restriction = self.approved()
        letter = Letter.objects.get(complaint=self.complaint, letter_type=LetterType.CONTACT_RESTRICTION)
        text = " ".join(html.unescape(letter.html).split())
        for element in elements(LetterType.CONTACT_RESTRICTION):
            assert letter.data[element.key], element.key
        assert "Jo Smith, Tenancy Manager" in text
        assert "swore at the call handler" in text  # the reasons, explained (Ashford)
        assert "still be logged, looked into and answered" in text
        assert "15 September 2025" in text  # the review date
        assert "within 20 working days" in text  # how to challenge it
        assert "Housing Ombudsman" in text and "0300 111 3000" in text
        assert restriction.decided_on == TODAY
        assert OutboxMessage.objects.filter(letter=letter, to_address="rosa@example.org").exists()

    def test_refusal_needs_reasons_and_sends_no_letter(self) -> None:
        restriction = self.proposed()
        with self.assertRaises(InvalidInput) as refused:
            actions.decide_restriction(restriction, self.complaint, self.cast.officer, approve=False, reasons=" ")
        assert refused.exception.errors["reasons"] == "Enter why the restriction is refused"
        refused_one = actions.decide_restriction(
            restriction, self.complaint, self.cast.officer, approve=False, reasons="Not proportionate: one call."
        )
        assert refused_one.state == ContactRestriction.State.REFUSED
        assert not Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION).exists()
        with self.assertRaisesMessage(TransitionNotAllowed, "is refused, so you cannot decide"):
            actions.decide_restriction(restriction, self.complaint, self.cast.manager, approve=True)

    def test_a_review_keeps_it_with_a_new_date_or_ends_it_with_an_optional_letter_5_14(self) -> None:
        restriction = self.approved()
        with self.assertRaises(InvalidInput) as refused:
            actions.review_restriction(
                restriction, self.complaint, self.cast.manager, notes="Still calling.", keep=True
            )
        assert refused.exception.errors["next_review_on"] == "Enter the date it will be reviewed by"
        actions.review_restriction(
            restriction, self.complaint, self.cast.manager, notes="Still calling.", keep=True, next_review_on=REVIEW
        )
        restriction.refresh_from_db()
        assert restriction.review_on == REVIEW and restriction.state == ContactRestriction.State.IN_FORCE
        actions.review_restriction(
            restriction, self.complaint, self.cast.manager, notes="No calls since July.", keep=False, send_letter=True
        )
        restriction.refresh_from_db()
        assert restriction.state == ContactRestriction.State.ENDED and restriction.end_reason == "No calls since July."
        assert list(RestrictionReview.objects.values_list("outcome", flat=True)) == ["continue", "end"]
        ended = Letter.objects.get(letter_type=LetterType.CONTACT_RESTRICTION_ENDED)
        assert "No calls since July." in ended.html and "16 June 2025" in ended.html

    def test_ending_without_a_letter_is_recorded_and_says_so(self) -> None:
        restriction = self.approved()
        with self.assertRaisesMessage(NotPermitted, "Only a complaints officer or a manager can end"):
            actions.end_restriction(restriction, self.complaint, self.cast.handler, reason="x", send_letter=False)
        actions.end_restriction(restriction, self.complaint, self.cast.officer, reason="Moved away.", send_letter=False)
        assert not Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION_ENDED).exists()
        event = Event.objects.get(kind="restriction-ended")
        assert "No letter was sent" in event.summary
        with self.assertRaisesMessage(TransitionNotAllowed, "is ended"):
            actions.end_restriction(restriction, self.complaint, self.cast.officer, reason="again", send_letter=False)

    def test_a_restriction_never_stops_a_complaint_being_logged_or_a_response_being_sent_5_14(self) -> None:
        self.approved()
        person = self.complaint.person
        another = actions.log_complaint(
            self.cast.landlord,
            self.cast.handler,
            resident=person,
            channel="letter",
            received_on=TODAY,
            description="The fence is still broken.",
        )
        assert another.person_id == person.pk
        responded = respond(self.cast, self.complaint, TODAY)
        assert responded.status == "stage1-responded"
        assert Letter.objects.filter(complaint=self.complaint, letter_type=LetterType.STAGE1_RESPONSE).exists()

    def test_a_restriction_is_about_the_resident_of_the_complaint_it_is_decided_from(self) -> None:
        restriction = self.proposed()
        other = log(self.cast, TODAY, resident=actions.ResidentDetails(name="Someone Else", email="else@example.org"))
        with self.assertRaisesMessage(InvalidInput, ""):
            actions.decide_restriction(restriction, other, self.cast.officer, approve=True)

    def test_reviews_due_remind_whoever_approved_it_and_overdue_ones_the_managers_too_5_14(self) -> None:
        restriction = self.approved()
        with time_machine.travel(datetime(2025, 9, 12, 10, 0, tzinfo=UK), tick=False):
            planned = reminders.plan()
            assert planned.restriction_reviews == 1
            message = OutboxMessage.objects.get(
                once_key=f"restriction-review:{restriction.pk}:2025-09-15:{self.cast.officer.pk}"
            )
            assert "contact restriction" in message.subject and "swore" not in message.body
            assert reminders.plan().restriction_reviews == 0  # once only
        with time_machine.travel(datetime(2025, 9, 16, 10, 0, tzinfo=UK), tick=False):
            planned = reminders.plan()
            assert planned.restriction_reviews == 2  # the officer again (overdue now), and the manager
            assert OutboxMessage.objects.filter(to_address=self.cast.manager.email, subject__startswith="Overdue")

    def test_the_self_assessment_counts_restrictions_for_5_14_and_5_15(self) -> None:
        Vulnerability.objects.create(person=self.complaint.person, description="Anxiety", disclosed_on=TODAY)
        self.approved()
        refused = self.proposed()
        actions.decide_restriction(refused, self.complaint, self.cast.officer, approve=False, reasons="Too much.")
        self.proposed()
        sentences = evidence_for(self.cast.landlord, 2025).sentences
        assert sentences["5.14"].startswith("3 contact restrictions proposed in the year")
        assert "1 approved" in sentences["5.14"] and "1 refused with reasons" in sentences["5.14"]
        assert "today 1 in force, 1 waiting for a decision, 0 overdue for review" in sentences["5.14"]
        assert "Equality Act 2010" in sentences["5.15"]
        assert "1 resident restricted had a vulnerability or adjustment on record" in sentences["5.15"]


@time_machine.travel(datetime(2025, 6, 16, 10, 0, tzinfo=UK), tick=False)
class RestrictionPageTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = actions.assign_handler(
            log(cls.cast, date(2025, 6, 9)), cls.cast.officer, handler=cls.cast.handler, conflict_of_interest=False
        )
        cls.complaint = acknowledge(cls.cast, complaint, date(2025, 6, 10))
        ReasonableAdjustment.objects.create(
            person=cls.complaint.person, kind="phone-call", detail="Calls after 2pm", agreed_on=TODAY
        )

    def restriction(self) -> ContactRestriction:
        return ContactRestriction.objects.get()

    def test_the_proposal_page_shows_the_residents_needs_beside_it_and_proposes_5_15(self) -> None:
        client = signed_in(self.cast.handler)
        form = client.get(complaint_url(self.complaint, "restrictions/new"))
        assert form.status_code == 200
        assert "Calls after 2pm" in page(form) and "Equality Act 2010" in page(form)
        missing = client.post(
            complaint_url(self.complaint, "restrictions/new"), propose_form(equality_considerations="")
        )
        assert missing.status_code == 200
        assert "Enter the regard had to the Equality Act 2010" in html.unescape(page(missing))
        done = client.post(complaint_url(self.complaint, "restrictions/new"), propose_form())
        assert done.status_code == 302 and done["Location"].endswith("#restrictions")
        assert self.restriction().state == "proposed"

    def test_approval_shows_the_letter_and_the_restriction_before_it_is_sent(self) -> None:
        signed_in(self.cast.handler).post(complaint_url(self.complaint, "restrictions/new"), propose_form())
        restriction = self.restriction()
        url = complaint_url(self.complaint, f"restrictions/{restriction.pk}/decide")
        officer = signed_in(self.cast.officer, confirm=False)
        assert "Calls after 2pm" in page(officer.get(url))
        posted = officer.post(url, {"decision": "approve", "reasons": "", **date_fields("review_on", REVIEW)})
        assert posted.status_code == 302 and "?confirm=" in posted["Location"]
        assert self.restriction().state == "proposed"  # nothing done until Send
        confirmation = page(officer.get(posted["Location"]))
        assert "Check the letter before it is sent" in confirmation
        assert "How you can contact us while it lasts" in confirmation
        sent = officer.post(url, {"send": posted["Location"].split("?confirm=")[1]})
        assert sent.status_code == 302
        assert self.restriction().state == "in-force"
        assert Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION).count() == 1
        # Any later letter's confirmation page says the resident's contact is restricted.
        handler = signed_in(self.cast.handler, confirm=False)
        extend = handler.post(
            complaint_url(self.complaint, "extend"),
            {
                "expected_version": Complaint.objects.get(pk=self.complaint.pk).version,
                "days": "5",
                "reason": "Waiting for the contractor's report.",
            },
        )
        assert extend.status_code == 302, page(extend)
        later = page(handler.get(extend["Location"]))
        assert "Check the letter" in later and "has a contact restriction in force" in later
        assert "One person to contact: Jo Smith, Tenancy Manager" in later

    def test_refusing_on_the_page_needs_reasons_and_sends_nothing(self) -> None:
        signed_in(self.cast.handler).post(complaint_url(self.complaint, "restrictions/new"), propose_form())
        url = complaint_url(self.complaint, f"restrictions/{self.restriction().pk}/decide")
        officer = signed_in(self.cast.officer)
        missing = officer.post(url, {"decision": "refuse", "reasons": ""})
        assert "Enter why the restriction is refused" in page(missing)
        done = officer.post(url, {"decision": "refuse", "reasons": "Not proportionate."})
        assert done.status_code == 302 and self.restriction().state == "refused"
        assert not Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION).exists()

    def test_the_proposer_and_handlers_are_refused_the_decision_page(self) -> None:
        signed_in(self.cast.officer).post(complaint_url(self.complaint, "restrictions/new"), propose_form())
        url = complaint_url(self.complaint, f"restrictions/{self.restriction().pk}/decide")
        proposer = signed_in(self.cast.officer).get(url)
        assert proposer.status_code == 403 and "another complaints officer or manager" in page(proposer)
        assert signed_in(self.cast.handler).get(url).status_code == 403
        assert signed_in(self.cast.stranger).get(url).status_code == 404
        assert signed_in(self.cast.manager).get(url).status_code == 200

    def test_the_complaint_page_shows_the_restriction_and_its_detail_only_to_those_working_it(self) -> None:
        actions.decide_restriction(
            actions.propose_restriction(self.complaint, self.cast.handler, proposal()),
            self.complaint,
            self.cast.officer,
            approve=True,
        )
        for user in (self.cast.handler, self.cast.officer):
            shown = page(signed_in(user).get(complaint_url(self.complaint)))
            assert "Contact restricted" in shown and "Jo Smith, Tenancy Manager" in shown
            assert "swore at the call handler" in shown
        for user in (self.cast.other_handler, self.cast.auditor):
            shown = page(signed_in(user).get(complaint_url(self.complaint)))
            assert "Contact restricted" in shown and "Jo Smith, Tenancy Manager" in shown
            assert "swore at the call handler" not in shown
        assert "Record a review" in page(signed_in(self.cast.officer).get(complaint_url(self.complaint)))
        assert "Record a review" not in page(signed_in(self.cast.handler).get(complaint_url(self.complaint)))

    def test_the_worklist_tags_restricted_residents_without_another_query_per_row(self) -> None:
        client = signed_in(self.cast.handler)
        client.get("/staff/")  # warm the session
        with self.assertNumQueries(self.count_queries(client)):
            before = page(client.get("/staff/"))
        assert "Contact restricted" not in before
        for _ in range(3):
            actions.assign_handler(
                log(self.cast, TODAY, resident=self.complaint.person),
                self.cast.officer,
                handler=self.cast.handler,
                conflict_of_interest=False,
            )
        actions.decide_restriction(
            actions.propose_restriction(self.complaint, self.cast.handler, proposal()),
            self.complaint,
            self.cast.officer,
            approve=True,
        )
        with self.assertNumQueries(self.count_queries(client)):
            after = page(client.get("/staff/"))
        assert after.count("Contact restricted") == 4

    def test_the_complaint_page_costs_the_same_with_restrictions_present(self) -> None:
        client = signed_in(self.cast.officer)
        url = complaint_url(self.complaint)
        client.get(url)
        without = self.count_queries(client, url)
        restriction = actions.propose_restriction(self.complaint, self.cast.handler, proposal())
        actions.decide_restriction(restriction, self.complaint, self.cast.manager, approve=True)
        actions.review_restriction(
            restriction, self.complaint, self.cast.manager, notes="Still needed.", keep=True, next_review_on=REVIEW
        )
        for _ in range(3):
            actions.propose_restriction(self.complaint, self.cast.handler, proposal())
        with self.assertNumQueries(without + 1):  # and the access log's single INSERT: restrictions are shown
            shown = page(client.get(url))
        assert shown.count("Restriction proposed") == 3 and "Contact restricted" in shown

    def test_a_landlord_can_preview_and_keep_its_own_wording_of_both_restriction_letters(self) -> None:
        officer = signed_in(self.cast.officer)
        for letter_type in (LetterType.CONTACT_RESTRICTION, LetterType.CONTACT_RESTRICTION_ENDED):
            shown = officer.get(f"/staff/letters/{letter_type.value}/")
            assert shown.status_code == 200, letter_type
            for element in elements(letter_type):
                assert element.provision in page(shown), (letter_type, element.key)

    def count_queries(self, client: Any, url: str = "/staff/") -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    def test_the_log_a_complaint_check_page_warns_when_the_resident_is_matched_and_logging_goes_ahead(self) -> None:
        actions.decide_restriction(
            actions.propose_restriction(self.complaint, self.cast.handler, proposal()),
            self.complaint,
            self.cast.officer,
            approve=True,
        )
        client = signed_in(self.cast.handler)
        checked = client.post("/staff/complaints/new/", log_form(TODAY))
        assert checked.status_code == 200
        assert "A resident matching these details has a contact restriction in force" in page(checked)

    def test_review_and_end_pages_with_the_letter_optional(self) -> None:
        restriction = actions.decide_restriction(
            actions.propose_restriction(self.complaint, self.cast.handler, proposal()),
            self.complaint,
            self.cast.officer,
            approve=True,
        )
        manager = signed_in(self.cast.manager)
        review = complaint_url(self.complaint, f"restrictions/{restriction.pk}/review")
        missing = manager.post(review, {"outcome": "continue", "notes": "Still needed."})
        assert "Enter the date of the next review" in page(missing)
        kept = manager.post(
            review, {"outcome": "continue", "notes": "Still needed.", **date_fields("next_review_on", REVIEW)}
        )
        assert kept.status_code == 302
        end = complaint_url(self.complaint, f"restrictions/{restriction.pk}/end")
        ended = manager.post(end, {"reason": "No calls since.", "send_letter": "no"})
        assert ended.status_code == 302
        assert self.restriction().state == "ended"
        assert not Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION_ENDED).exists()
        again = manager.get(end)
        assert again.status_code == 302  # it has ended: back to the complaint, with the reason


@time_machine.travel(datetime(2025, 6, 16, 10, 0, tzinfo=UK), tick=False)
class RestrictionApiTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = actions.assign_handler(
            log(cls.cast, date(2025, 6, 9)), cls.cast.officer, handler=cls.cast.handler, conflict_of_interest=False
        )

    def call(self, user: User, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        token = tokens.issue(user)[1]
        url = f"/api/v1/complaints/{self.complaint.reference}/restrictions{path}"
        headers = {"Authorization": f"Bearer {token}"}
        if method == "GET":
            return self.client.get(url, headers=headers)
        return self.client.post(url, body or {}, content_type="application/json", headers=headers)

    def test_propose_decide_review_and_end_through_the_api_5_14(self) -> None:
        body = {
            "behaviour": "Swore at staff on 2 June.",
            "evidence": "Call recording.",
            "scope": ["channels"],
            "channels": "Letter or email",
            "equality_considerations": "Considered; nothing recorded; email stays open.",
            "review_on": "2025-09-15",
        }
        proposed = self.call(self.cast.handler, "POST", "", body)
        assert proposed.status_code == 201, proposed.json()
        restriction_id = proposed.json()["id"]
        assert proposed.json()["terms"] == ["Contact only by: Letter or email"]
        refused = self.call(self.cast.handler, "POST", f"/{restriction_id}/decision", {"approve": True})
        assert refused.status_code == 403
        decided = self.call(self.cast.officer, "POST", f"/{restriction_id}/decision", {"approve": True})
        assert decided.status_code == 200 and decided.json()["state"] == "in-force"
        listed = self.call(self.cast.other_handler, "GET", "")
        item = listed.json()["items"][0]
        assert item["terms"] == ["Contact only by: Letter or email"] and item["behaviour"] is None
        assert self.call(self.cast.handler, "GET", "").json()["items"][0]["behaviour"] == "Swore at staff on 2 June."
        reviewed = self.call(
            self.cast.manager,
            "POST",
            f"/{restriction_id}/review",
            {"keep": True, "notes": "Still needed.", "next_review_on": "2025-12-01"},
        )
        assert reviewed.json()["review_on"] == "2025-12-01" and len(reviewed.json()["reviews"]) == 1
        ended = self.call(
            self.cast.manager, "POST", f"/{restriction_id}/end", {"reason": "Settled.", "send_letter": True}
        )
        assert ended.json()["state"] == "ended"
        assert Letter.objects.filter(letter_type=LetterType.CONTACT_RESTRICTION_ENDED).count() == 1

    def test_bad_input_gets_clear_errors_and_other_landlords_get_404(self) -> None:
        wrong = self.call(
            self.cast.handler,
            "POST",
            "",
            {
                "behaviour": "",
                "evidence": "x",
                "scope": ["written"],
                "equality_considerations": "",
                "review_on": "2025-06-01",
            },
        )
        assert wrong.status_code == 422
        assert self.call(self.cast.stranger, "GET", "").status_code == 404

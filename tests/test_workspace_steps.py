"""Each step on a complaint's page: a GOV.UK form that posts to one action, its refusals shown
beside the fields or in the error summary, and stale pages refused rather than overwriting."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.models import Complaint, DefinitionPoint, OutstandingAction, Remedy, Status
from tests.cast import acknowledge, log, make_cast, respond
from tests.test_workspace_support import (
    acknowledge_form,
    complaint_url,
    date_fields,
    page,
    respond_form,
    signed_in,
)

TODAY = date(2025, 6, 16)


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


@time_machine.travel(TODAY, tick=False)
class ComplaintPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(
            cls.cast, date(2025, 6, 11), description="<script>alert('x')</script> and the boiler is broken"
        )

    def test_shows_the_summary_deadlines_resident_and_timeline(self) -> None:
        html = page(signed_in(self.cast.handler).get(complaint_url(self.complaint)))
        assert f"{self.complaint.reference}" in html and "Rosa Resident" in html and "07700 900123" in html
        assert "Acknowledgement by Wednesday 18 June 2025" in html and "2 working days left" in html
        assert "Due soon</strong>" in html
        assert "Complaint logged (Phone), received 11 June 2025" in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html and "<script>alert(" not in html

    def test_offers_only_the_steps_the_state_and_role_allow(self) -> None:
        handler = page(signed_in(self.cast.handler).get(complaint_url(self.complaint)))
        assert ">Acknowledge</a>" in handler and ">Extend</a>" in handler and ">Respond</a>" not in handler
        assert ">Do not accept</a>" not in handler and ">Escalate to stage 2</a>" not in handler
        officer = page(signed_in(self.cast.officer).get(complaint_url(self.complaint)))
        assert ">Do not accept</a>" in officer and ">Assign a handler</a>" in officer and ">Withdraw</a>" in officer

    def test_opening_a_step_the_state_does_not_allow_goes_back_with_the_reason(self) -> None:
        response = signed_in(self.cast.handler).get(complaint_url(self.complaint, "respond"), follow=True)
        assert "You cannot respond" in page(response) and "it is received" in page(response)

    def test_another_landlords_complaint_is_not_found_anywhere(self) -> None:
        stranger = signed_in(self.cast.stranger)
        for step in (
            "",
            "acknowledge",
            "extend",
            "respond",
            "escalate",
            "not-accept",
            "refuse-escalation",
            "withdraw",
            "close",
            "add-issue",
            "assign",
            "documents/new",
            "remedies/1",
        ):
            assert stranger.get(complaint_url(self.complaint, step)).status_code == 404, step
            assert stranger.post(complaint_url(self.complaint, step), {}).status_code in (404, 405), step

    def test_an_auditor_reads_everything_and_can_change_nothing(self) -> None:
        complaint = respond(
            self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY
        )
        auditor = signed_in(self.cast.auditor)
        html = page(auditor.get(complaint_url(complaint)))
        assert "govuk-button" not in html.split("<main", 1)[1] and "Update<span" not in html
        remedy = Remedy.objects.get(stage__complaint=complaint)
        for step in (
            "acknowledge",
            "extend",
            "respond",
            "escalate",
            "not-accept",
            "refuse-escalation",
            "withdraw",
            "close",
            "add-issue",
            "assign",
            "documents/new",
            f"remedies/{remedy.pk}",
        ):
            assert auditor.get(complaint_url(complaint, step)).status_code == 403, step
            assert auditor.post(complaint_url(complaint, step), {"expected_version": 1}).status_code == 403, step
        assert fresh(complaint).version == complaint.version


@time_machine.travel(TODAY, tick=False)
class AcknowledgeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def test_acknowledging_records_the_definition_point_by_point(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "acknowledge")
        form = page(client.get(url))
        assert "Fix the boiler and compensate me for the heaters." in form  # the outcome sought, to start from
        response = client.post(url, acknowledge_form(self.complaint, TODAY))
        assert response["Location"] == complaint_url(self.complaint)
        complaint = fresh(self.complaint)
        assert complaint.status == Status.STAGE1_OPEN and complaint.handler == self.cast.handler
        assert list(DefinitionPoint.objects.values_list("text", flat=True)) == [
            "The repair has taken too long",
            "The appointment was missed",
        ]

    def test_missing_answers_and_a_conflict_of_interest_are_shown_beside_the_fields(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "acknowledge")
        html = page(client.post(url, acknowledge_form(self.complaint, TODAY, understanding="", points="")))
        assert '<a href="#id_understanding">Enter our understanding of the complaint</a>' in html
        assert '<a href="#id_points">Enter at least one point to answer</a>' in html
        conflict = page(client.post(url, acknowledge_form(self.complaint, TODAY, conflict_of_interest="yes")))
        assert '<a href="#id_conflict_of_interest_1">A handler with a conflict of interest' in conflict
        early = page(client.post(url, acknowledge_form(self.complaint, date(2025, 6, 10))))
        assert "This cannot be before 11 June 2025" in early
        assert fresh(self.complaint).status == Status.RECEIVED

    def test_a_page_opened_before_someone_else_changed_the_complaint_is_refused(self) -> None:
        stale = acknowledge_form(self.complaint, TODAY)
        actions.extend(
            self.complaint,
            self.cast.handler,
            days=2,
            reason="Waiting",
        )
        html = page(signed_in(self.cast.handler).post(complaint_url(self.complaint, "acknowledge"), stale))
        assert "There is a problem" in html and "has changed since you opened this page, so nothing was done" in html
        assert "Changed since you opened this page" in html and "Start again" in html
        assert fresh(self.complaint).status == Status.RECEIVED


@time_machine.travel(TODAY, tick=False)
class ExtendTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))  # due 17 June

    def extend_form(self, **changes: str) -> dict[str, str]:
        return {
            "expected_version": str(self.complaint.version),
            "days": "5",
            "reason": "Waiting for the contractor's report",
            "good_reason": "",
            **changes,
        }

    def test_previewing_shows_the_new_date_from_the_calendar_and_changes_nothing(self) -> None:
        html = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "extend"), {"expected_version": "1", "days": "5", "preview": "1"}
            )
        )
        assert "the response would be due by <strong>Tuesday 24 June 2025</strong>" in html
        assert "There is a problem" not in html
        assert fresh(self.complaint).next_due == date(2025, 6, 17)

    def test_beyond_the_cap_a_warning_and_a_good_reason_are_needed(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "extend")
        preview = page(client.post(url, {**self.extend_form(days="12"), "preview": "1"}))
        assert "Extensions would total 12 working days, more than the 10 allowed without one" in preview
        refused = page(client.post(url, self.extend_form(days="12")))
        assert '<a href="#id_good_reason">Extensions would total 12 working days' in refused
        client.post(url, self.extend_form(days="12", good_reason="The surveyor is off sick until July"))
        assert fresh(self.complaint).next_due == date(2025, 7, 3)

    def test_staff_are_asked_only_what_they_know_6_5_6_16(self) -> None:
        html = page(signed_in(self.cast.handler).get(complaint_url(self.complaint, "extend")))
        # Putright issues the letter with the Ombudsman's details: nobody attests to either.
        assert "When was the resident told?" not in html and "ombudsman_details_given" not in html
        assert "the extension letter: it gives the reason, the new date and the Housing Ombudsman" in html
        assert 'name="told_by_phone_on_0"' in html and "If you also told the resident by phone, when?" in html
        # The good reason is asked for only beyond the cap.
        assert 'name="good_reason"' not in html
        within = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "extend"), {**self.extend_form(days="5"), "preview": "1"}
            )
        )
        assert 'name="good_reason"' not in within
        beyond = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "extend"), {**self.extend_form(days="12"), "preview": "1"}
            )
        )
        assert 'name="good_reason"' in beyond and "Give the good reason below" in beyond

    def test_a_phone_call_in_the_future_is_refused_beside_its_field(self) -> None:
        html = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "extend"),
                self.extend_form(**date_fields("told_by_phone_on", date(2025, 6, 20))),
            )
        )
        assert '<a href="#id_told_by_phone_on_0">This cannot be in the future (today is 16 June 2025)' in html

    def test_extending_moves_the_deadline(self) -> None:
        response = signed_in(self.cast.handler).post(complaint_url(self.complaint, "extend"), self.extend_form())
        assert response.status_code == 302 and fresh(self.complaint).next_due == date(2025, 6, 24)


@time_machine.travel(TODAY, tick=False)
class RespondTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def test_the_checklist_lists_what_the_code_requires(self) -> None:
        html = page(signed_in(self.cast.handler).get(complaint_url(self.complaint, "respond")))
        assert "What the response must include" in html
        for provision in ("6.9(a)", "6.9(b)", "6.9(c)", "6.9(d)", "6.9(e)", "6.9(f)", "6.9(g)"):
            assert provision in html
        assert "point 1 has no decision" in html and "The boiler repair has taken too long" in html

    def test_a_response_with_anything_missing_is_refused_with_the_actions_message(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "respond")
        html = page(
            client.post(
                url,
                respond_form(
                    self.complaint, TODAY, remedy_0_kind="", remedy_0_description="", decision_2="", reasons_2=""
                ),
            )
        )
        # Each missing element is its own line, linked to the field that supplies it (6.9; see
        # tests/test_workspace_forms_forgiving.py).
        assert '<a href="#id_decision_2_1">Select a decision on point 2 (Code 6.9(c))</a>' in html
        assert '<a href="#id_remedy_0_description">Remedy 1: describe the remedy, as a point is upheld' in html
        assert fresh(self.complaint).status == Status.STAGE1_OPEN

    def test_responding_records_decisions_remedies_and_outstanding_actions(self) -> None:
        client = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "respond")
        more = page(client.post(url, {**respond_form(self.complaint, TODAY), "more": "action"}))
        assert 'name="action_1_description"' in more and "There is a problem" not in more
        response = client.post(
            url,
            respond_form(
                self.complaint,
                TODAY,
                action_rows="2",
                action_1_description="Replace the boiler",
                action_1_owner=str(self.cast.other_handler.pk),
                **date_fields("action_1_due_on", date(2025, 6, 30)),
            ),
        )
        assert response.status_code == 302
        complaint = fresh(self.complaint)
        assert complaint.status == Status.STAGE1_RESPONDED
        assert Remedy.objects.get().description == "We apologise for the delay."
        action = OutstandingAction.objects.get()
        assert action.owner == self.cast.other_handler and action.due_on == date(2025, 6, 30)

    def test_an_action_without_a_due_date_and_a_bad_amount_are_shown_beside_their_fields(self) -> None:
        html = page(
            signed_in(self.cast.handler).post(
                complaint_url(self.complaint, "respond"),
                respond_form(self.complaint, TODAY, action_0_description="Replace it", remedy_0_distress="lots"),
            )
        )
        assert '<a href="#id_action_0_due_on_0">Action 1: enter the date the action is due</a>' in html
        assert (
            '<a href="#id_remedy_0_distress">Remedy 1: enter the distress and inconvenience payment in pounds and '
            "pence, like £75.00</a>"
        ) in html

    def test_point_text_typed_by_people_shows_as_text(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, TODAY), TODAY, points=["<b>bold</b> claim"])
        html = page(signed_in(self.cast.handler).get(complaint_url(complaint, "respond")))
        assert "&lt;b&gt;bold&lt;/b&gt; claim" in html and "<b>bold</b>" not in html


@time_machine.travel(TODAY, tick=False)
class EscalateAndStage2Tests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))
        cls.complaint = respond(cls.cast, complaint, date(2025, 6, 10))

    def test_the_officer_escalates_without_a_reason_and_chooses_a_reviewer_other_than_the_handler(self) -> None:
        client = signed_in(self.cast.officer)
        url = complaint_url(self.complaint, "escalate")
        form = page(client.get(url))
        assert "Rita Reviewer" in form and "Hana Handler" not in form
        data = {"expected_version": self.complaint.version, **date_fields("requested_on", TODAY), "reason": ""}
        refused = page(client.post(url, {**data, "reviewer": self.cast.reviewer.pk}))
        assert "Confirm the reviewer has declared no conflict of interest" in refused
        hana = page(client.post(url, {**data, "reviewer": self.cast.handler.pk, "reviewer_has_no_conflict": "on"}))
        assert "Select the stage 2 reviewer" in hana
        client.post(url, {**data, "reviewer": self.cast.reviewer.pk, "reviewer_has_no_conflict": "on"})
        complaint = fresh(self.complaint)
        assert complaint.status == Status.STAGE2_OPEN and complaint.handler == self.cast.reviewer
        assert complaint.stages.get(number=2).escalation_reason == ""  # 6.12

    def test_a_handler_records_the_request_and_a_reviewer_picks_it_up(self) -> None:
        handler = signed_in(self.cast.handler)
        url = complaint_url(self.complaint, "escalate")
        assert "Stage 2 reviewer" not in page(handler.get(url))
        handler.post(url, {"expected_version": self.complaint.version, **date_fields("requested_on", TODAY)})
        complaint = fresh(self.complaint)
        assert complaint.status == Status.STAGE2_OPEN and complaint.handler is None
        # 6.13: the stage 1 handler may not consider stage 2.
        refused = handler.get(complaint_url(complaint, "acknowledge"))
        assert refused.status_code == 403 and "Code 6.13" in page(refused)
        reviewer = signed_in(self.cast.reviewer)
        reviewer.post(complaint_url(complaint, "acknowledge"), acknowledge_form(complaint, TODAY))
        assert fresh(complaint).handler == self.cast.reviewer

    def test_the_officer_can_refuse_escalation_on_a_ground_from_the_policy(self) -> None:
        client = signed_in(self.cast.officer)
        url = complaint_url(self.complaint, "refuse-escalation")
        assert "Legal proceedings have started about the issue" in page(client.get(url))
        client.post(
            url,
            {
                "expected_version": self.complaint.version,
                "ground": "legal-proceedings",
                "explanation": "A claim is before the court.",
                "ombudsman_rights_given": "on",
                **date_fields("on", TODAY),
            },
        )
        complaint = fresh(self.complaint)
        assert complaint.escalation_refused and complaint.status == Status.CLOSED


@time_machine.travel(TODAY, tick=False)
class EndingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_not_accepting_withdrawing_and_closing(self) -> None:
        officer = signed_in(self.cast.officer)
        refused = log(self.cast, date(2025, 6, 10))
        officer.post(
            complaint_url(refused, "not-accept"),
            {
                "expected_version": refused.version,
                "ground": "previously-considered",
                "explanation": "We answered this in 2024.",
                "ombudsman_rights_given": "on",
                **date_fields("on", TODAY),
            },
        )
        assert fresh(refused).status == Status.NOT_ACCEPTED
        withdrawn = log(self.cast, date(2025, 6, 10))
        officer.post(
            complaint_url(withdrawn, "withdraw"),
            {"expected_version": withdrawn.version, "how": "By phone", **date_fields("on", TODAY)},
        )
        assert fresh(withdrawn).status == Status.WITHDRAWN

        answered = respond(self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY)
        url = complaint_url(answered, "close")
        html = page(officer.post(url, {"expected_version": answered.version, **date_fields("on", TODAY)}))
        assert "1 remedy is still only offered" in html
        remedy = Remedy.objects.get(stage__complaint=answered)
        officer.post(
            complaint_url(answered, f"remedies/{remedy.pk}"),
            {"expected_version": answered.version, "state": "agreed", **date_fields("on", TODAY)},
        )
        officer.post(url, {"expected_version": fresh(answered).version, **date_fields("on", TODAY)})
        assert fresh(answered).status == Status.CLOSED

    def test_a_related_issue_joins_the_complaint_and_an_unrelated_one_is_logged_separately(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        client = signed_in(self.cast.handler)
        url = complaint_url(complaint, "add-issue")
        client.post(
            url,
            {
                "expected_version": complaint.version,
                "description": "The radiator leaks too",
                "related": "yes",
                **date_fields("on", TODAY),
            },
        )
        assert DefinitionPoint.objects.filter(stage__complaint=complaint).count() == 3  # 6.8
        response = client.post(
            url,
            {
                "expected_version": fresh(complaint).version,
                "description": "Noisy neighbour",
                "related": "no",
                **date_fields("on", TODAY),
            },
        )
        new = Complaint.objects.get(related_to=complaint)
        assert response["Location"] == complaint_url(new)


@time_machine.travel(TODAY, tick=False)
class LearningAndTenureTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_learning_is_recorded_with_a_root_cause_and_shown_on_the_complaint(self) -> None:
        complaint = respond(
            self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), TODAY
        )
        client = signed_in(self.cast.handler)  # the stage's handler may close it, so may record its learning
        url = complaint_url(complaint, "learning")
        missing = page(client.post(url, {"expected_version": complaint.version, **date_fields("on", TODAY)}))
        assert "Enter what was learned" in missing and "Select why the complaint arose" in missing
        client.post(
            url,
            {
                "expected_version": complaint.version,
                "learning_outcome": "Book repairs <b>within</b> 7 days",
                "root_cause": "delay",
                **date_fields("on", TODAY),
            },
        )
        html = page(client.get(complaint_url(complaint)))
        assert "Delay or a missed timescale: Book repairs &lt;b&gt;within&lt;/b&gt; 7 days" in html
        assert signed_in(self.cast.other_handler).get(url).status_code == 403

    def test_a_landlord_that_requires_learning_at_closure_is_told_so(self) -> None:
        self.cast.landlord.learning_required_at_closure = True
        self.cast.landlord.save()
        complaint = respond(
            self.cast,
            acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)),
            TODAY,
            remedies=[],
            decisions=[
                actions.PointDecisionInput(1, "not-upheld", "No fault found."),
                actions.PointDecisionInput(2, "not-upheld", "No fault found."),
            ],
        )
        html = page(
            signed_in(self.cast.officer).post(
                complaint_url(complaint, "close"), {"expected_version": complaint.version, **date_fields("on", TODAY)}
            )
        )
        assert "Record what was learned from this complaint and its root cause before closing it" in html
        assert "record the learning</a> first" in html

    def test_the_residents_tenure_is_recorded_for_ch01(self) -> None:
        from tests.test_workspace_support import log_form

        signed_in(self.cast.handler).post("/staff/complaints/new/", log_form(TODAY, tenure="lcho", step="log"))
        assert Complaint.objects.get().tenure == "lcho"


@time_machine.travel(TODAY, tick=False)
class SmallerStepTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_asking_for_clarification_and_agreeing_update_intervals_5_6_5_9(self) -> None:
        handler = signed_in(self.cast.handler)
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 9)), date(2025, 6, 10))
        html = page(
            handler.post(
                complaint_url(complaint, "clarification"),
                {"expected_version": complaint.version, "question": "", **date_fields("on", TODAY)},
            )
        )
        assert "Enter what the resident needs to clarify" in html
        handler.post(
            complaint_url(complaint, "clarification"),
            {"expected_version": complaint.version, "question": "<b>Which</b> repair?", **date_fields("on", TODAY)},
        )
        complaint = fresh(complaint)
        assert complaint.events.filter(kind="clarification-requested").exists()
        html = page(handler.get(complaint_url(complaint)))
        assert "&lt;b&gt;Which&lt;/b&gt; repair?" in html
        html = page(
            handler.post(
                complaint_url(complaint, "update-interval"),
                {"expected_version": complaint.version, "every_days": "99", **date_fields("agreed_on", TODAY)},
            )
        )
        assert "How often must be 20 working days or fewer" in html
        handler.post(
            complaint_url(complaint, "update-interval"),
            {"expected_version": complaint.version, "every_days": "5", **date_fields("agreed_on", TODAY)},
        )
        assert fresh(complaint).stages.get(number=1).update_interval_days == 5

    def test_offering_a_remedy_before_the_response_5_13(self) -> None:
        handler = signed_in(self.cast.handler)
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 9)), date(2025, 6, 10))
        html = page(
            handler.post(
                complaint_url(complaint, "offer-remedy"),
                {"expected_version": complaint.version, "kind": "financial", "description": "Compensation"},
            )
        )
        assert "A financial remedy needs an amount" in html
        handler.post(
            complaint_url(complaint, "offer-remedy"),
            {
                "expected_version": complaint.version,
                "kind": "financial",
                "description": "Compensation",
                "amount_distress": "75.00",
            },
        )
        remedy = Remedy.objects.get(stage__complaint=complaint)
        assert remedy.total == 75 and remedy.state == "offered"

    def test_only_officers_record_ombudsman_referrals(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        assert signed_in(self.cast.handler).get(complaint_url(complaint, "ombudsman-referral")).status_code == 403
        officer = signed_in(self.cast.officer)
        officer.post(
            complaint_url(complaint, "ombudsman-referral"),
            {"expected_version": complaint.version, "ombudsman_reference": "202500123", **date_fields("on", TODAY)},
        )
        assert fresh(complaint).ombudsman_reference == "202500123"

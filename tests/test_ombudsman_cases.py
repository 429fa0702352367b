"""Ombudsman casework, the domain: cases opened from a referral or an enquiry, evidence requests due
on the policy's working days or the Ombudsman's date, determinations, orders carried through to the
Ombudsman's confirmation, the transitions refused, and the reminders.

Every change is an Event on the complaint, so its record holds its time with the Ombudsman (5.12);
orders and their compliance are what the governing body is told of (9.7).
"""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import TestCase

from putright.complaints import actions as complaint_actions
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Channel, Complaint, Event, Status
from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.documents.models import Attachment
from putright.insight import measures
from putright.insight.periods import Period
from putright.landlords.actions import adopt_policy
from putright.ombudsman import actions, queries
from putright.ombudsman.access import cases_visible_to
from putright.ombudsman.models import CaseStage, Finding, OmbudsmanCase, Order
from putright.rules.policy import load_policy, with_changes
from tests.cast import RESIDENT, Cast, acknowledge, log, make_cast, respond
from tests.conftest import EXAMPLE_POLICIES

TODAY = date(2025, 6, 16)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def responded(cast: Cast, received: date = date(2025, 5, 1)) -> Complaint:
    complaint = complaint_actions.assign_handler(
        log(cast, received), cast.officer, handler=cast.handler, conflict_of_interest=False
    )
    complaint = acknowledge(cast, complaint, date(2025, 5, 2))
    return respond(cast, complaint, date(2025, 5, 20))


def attach(cast: Cast, complaint: Complaint, name: str = "repair-log.pdf") -> int:
    """A document on the complaint's record, added as the workspace adds one."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    event = complaint_actions.attach_file(
        complaint, cast.handler, name=name, content_type="application/pdf", size=len(PDF), description=name
    )
    attachment = Attachment.objects.create(
        complaint=complaint,
        event=event,
        file=SimpleUploadedFile(name, PDF),
        name=name,
        content_type="application/pdf",
        size=len(PDF),
        description=name,
        uploaded_by=cast.handler,
        uploaded_at=event.at,
    )
    return attachment.pk


def kinds(complaint: Complaint) -> list[str]:
    return list(Event.objects.filter(complaint=complaint).values_list("kind", flat=True))


@time_machine.travel(TODAY, tick=False)
class OpeningCasesTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_recording_the_referral_opens_a_case_with_its_date_and_reference(self) -> None:
        complaint = responded(self.cast)
        complaint_actions.record_ombudsman_referral(
            complaint, self.cast.officer, on=date(2025, 6, 10), ombudsman_reference="2024 12345"
        )
        case = OmbudsmanCase.objects.get(complaint=complaint)
        assert (case.reference, case.referred_on, case.enquiry_received_on) == (
            "202412345",
            date(2025, 6, 10),
            date(2025, 6, 10),
        )
        assert case.stage == CaseStage.ENQUIRY
        assert kinds(complaint)[-2:] == ["ombudsman-referral", "ombudsman-case-opened"]  # 5.12: on the record

    def test_a_referral_with_a_reference_in_the_wrong_format_is_refused_whole(self) -> None:
        complaint = responded(self.cast)
        with self.assertRaises(InvalidInput) as refused:
            complaint_actions.record_ombudsman_referral(
                complaint, self.cast.officer, on=date(2025, 6, 10), ombudsman_reference="HOS/123"
            )
        assert "9 digits" in refused.exception.errors["ombudsman_reference"]
        complaint.refresh_from_db()
        assert complaint.ombudsman_referred_on is None and not OmbudsmanCase.objects.exists()

    def test_opening_a_case_with_a_referral_date_keeps_the_complaints_referral_in_step(self) -> None:
        complaint = responded(self.cast)
        case = actions.open_case(
            complaint,
            self.cast.manager,
            reference="202412345",
            enquiry_received_on=date(2025, 6, 12),
            referred_on=date(2025, 6, 9),
        )
        complaint.refresh_from_db()
        assert (complaint.ombudsman_referred_on, complaint.ombudsman_reference) == (date(2025, 6, 9), "202412345")
        assert OmbudsmanCase.objects.filter(complaint=complaint).count() == 1
        assert (case.enquiry_received_on, case.referred_on) == (date(2025, 6, 12), date(2025, 6, 9))
        assert kinds(complaint).count("ombudsman-case-opened") == 1

    def test_a_referral_joins_the_open_case_and_may_not_contradict_its_reference(self) -> None:
        complaint = responded(self.cast)
        case = actions.open_case(complaint, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)
        with self.assertRaises(InvalidInput) as refused:
            complaint_actions.record_ombudsman_referral(
                complaint, self.cast.officer, on=TODAY, ombudsman_reference="202499999"
            )
        assert "has reference 202412345" in refused.exception.errors["ombudsman_reference"]
        complaint_actions.record_ombudsman_referral(Complaint.objects.get(pk=complaint.pk), self.cast.officer, on=TODAY)
        case.refresh_from_db()
        assert case.referred_on == TODAY and OmbudsmanCase.objects.count() == 1
        assert kinds(complaint)[-2:] == ["ombudsman-referral", "ombudsman-case-changed"]

    def test_a_referral_date_added_to_the_case_is_recorded_on_the_complaint_too(self) -> None:
        complaint = responded(self.cast)
        case = actions.open_case(complaint, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)
        case = actions.change_case(
            case, self.cast.manager, reference="202412345", referred_on=date(2025, 6, 13), expected_version=1
        )
        complaint.refresh_from_db()
        assert (complaint.ombudsman_referred_on, complaint.ombudsman_reference) == (date(2025, 6, 13), "202412345")
        assert (case.referred_on, case.version) == (date(2025, 6, 13), 2)

    def test_a_corrected_reference_or_referral_date_corrects_the_complaints_record_too(self) -> None:
        complaint = responded(self.cast)
        complaint_actions.record_ombudsman_referral(
            complaint, self.cast.officer, on=date(2025, 6, 10), ombudsman_reference="202412345"
        )
        case = OmbudsmanCase.objects.get(complaint=complaint)
        version = Complaint.objects.get(pk=complaint.pk).version
        actions.change_case(case, self.cast.manager, reference="202412354", referred_on=date(2025, 6, 9))
        complaint.refresh_from_db()
        assert (complaint.ombudsman_reference, complaint.ombudsman_referred_on) == ("202412354", date(2025, 6, 9))
        assert complaint.version == version + 1
        # The same answers again change nothing more on the complaint.
        actions.change_case(
            OmbudsmanCase.objects.get(pk=case.pk),
            self.cast.manager,
            reference="202412354",
            referred_on=date(2025, 6, 9),
        )
        assert Complaint.objects.get(pk=complaint.pk).version == version + 1

    def test_a_complaint_has_one_open_case_at_a_time(self) -> None:
        complaint = responded(self.cast)
        actions.open_case(complaint, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)
        with self.assertRaises(TransitionNotAllowed) as refused:
            actions.open_case(complaint, self.cast.officer, reference="202412346", enquiry_received_on=TODAY)
        assert "already has an open Ombudsman case (202412345)" in refused.exception.message
        case = OmbudsmanCase.objects.get()
        with self.assertRaises(IntegrityError), transaction.atomic():  # the database holds it too
            OmbudsmanCase.objects.create(
                landlord=self.cast.landlord, complaint=complaint, enquiry_received_on=TODAY, opened_at=case.opened_at
            )

    def test_the_reference_is_checked_and_unique_at_the_landlord(self) -> None:
        first, second = responded(self.cast), responded(self.cast)
        with self.assertRaises(InvalidInput) as refused:
            actions.open_case(first, self.cast.officer, reference="12-34", enquiry_received_on=TODAY)
        assert refused.exception.errors["reference"].startswith("Enter the Ombudsman's reference in the right format")
        with self.assertRaises(InvalidInput) as refused:
            actions.open_case(first, self.cast.officer, reference="", enquiry_received_on=date(2030, 1, 1))
        assert set(refused.exception.errors) == {"reference", "enquiry_received_on"}
        actions.open_case(first, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)
        with self.assertRaises(InvalidInput) as refused:
            actions.open_case(second, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)
        assert refused.exception.errors["reference"] == (
            f"Case 202412345 is already recorded, on complaint {first.reference}"
        )

    def test_only_complaints_officers_and_managers_work_cases(self) -> None:
        complaint = responded(self.cast)
        with self.assertRaises(NotPermitted) as refused:
            actions.open_case(complaint, self.cast.handler, reference="202412345", enquiry_received_on=TODAY)
        assert refused.exception.message == "Only a complaints officer or a manager can work on Ombudsman cases."
        with self.assertRaises(NotPermitted) as refused:
            actions.open_case(complaint, self.cast.auditor, reference="202412345", enquiry_received_on=TODAY)
        assert "read-only" in refused.exception.message
        with self.assertRaises(NotPermitted):
            actions.open_case(complaint, self.cast.stranger, reference="202412345", enquiry_received_on=TODAY)

    def test_an_enquiry_about_a_complaint_not_handled_starts_the_landlords_process(self) -> None:
        # The Ombudsman asks about a complaint the landlord never had: it is logged "via the
        # Housing Ombudsman", its clock starting the day the enquiry arrived (6.2), and the case opened.
        case = actions.log_enquiry(
            self.cast.landlord,
            self.cast.officer,
            resident=RESIDENT,
            description="The resident says nobody answered her complaint about damp.",
            reference="202498765",
            enquiry_received_on=date(2025, 6, 13),
        )
        complaint = case.complaint
        assert (complaint.channel, complaint.received_on, complaint.status) == (
            Channel.OMBUDSMAN,
            date(2025, 6, 13),
            Status.RECEIVED,
        )
        assert complaint.next_due is not None  # the acknowledgement is due as for any complaint
        assert (case.stage, case.referred_on) == (CaseStage.ENQUIRY, None)

    def test_an_enquiry_with_a_bad_reference_logs_nothing(self) -> None:
        with self.assertRaises(InvalidInput):
            actions.log_enquiry(
                self.cast.landlord,
                self.cast.officer,
                resident=RESIDENT,
                description="Damp.",
                reference="nope",
                enquiry_received_on=TODAY,
            )
        assert not Complaint.objects.exists()

    def test_another_landlords_staff_see_no_case(self) -> None:
        case = actions.open_case(
            responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=TODAY
        )
        assert list(cases_visible_to(self.cast.auditor)) == [case]
        assert list(cases_visible_to(self.cast.handler)) == [case]
        assert not cases_visible_to(self.cast.stranger).exists()
        with self.assertRaises(OmbudsmanCase.DoesNotExist):
            queries.case_record(self.cast.stranger, case.pk)


@time_machine.travel(TODAY, tick=False)
class EvidenceTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def case(self) -> OmbudsmanCase:
        return actions.open_case(
            responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=date(2025, 6, 12)
        )

    def test_the_policys_working_days_set_the_due_date(self) -> None:
        # The Code's policy gives the Scheme's 15 working days: from Monday 16 June, Monday 7 July.
        case = self.case()
        asked = actions.request_evidence(case, self.cast.officer, what="The repair log", requested_on=TODAY)
        assert (asked.policy_due_on, asked.ombudsman_due_on, asked.due_on) == (date(2025, 7, 7), None, date(2025, 7, 7))
        assert asked.due_from == "the landlord's policy"
        case.refresh_from_db()
        assert case.stage == CaseStage.EVIDENCE_REQUESTED

    def test_a_shorter_policy_gives_an_earlier_date_on_the_landlords_calendar(self) -> None:
        policy = with_changes(load_policy(EXAMPLE_POLICIES / "code-2024.toml"), ombudsman_evidence_days=10)
        adopt_policy(self.cast.landlord, policy, date(2025, 1, 1))
        case = self.case()  # logged under the new policy
        asked = actions.request_evidence(case, self.cast.officer, what="The repair log", requested_on=TODAY)
        assert asked.due_on == date(2025, 6, 30)

    def test_the_ombudsmans_date_is_the_one_to_meet_and_both_are_kept(self) -> None:
        case = self.case()
        later = actions.request_evidence(
            case, self.cast.officer, what="Photos", requested_on=TODAY, ombudsman_due_on=date(2025, 7, 14)
        )
        assert (later.policy_due_on, later.due_on, later.due_from) == (
            date(2025, 7, 7),
            date(2025, 7, 14),
            "the Ombudsman's date",
        )
        sooner = actions.request_evidence(
            case, self.cast.officer, what="Notes", requested_on=TODAY, ombudsman_due_on=date(2025, 6, 23)
        )
        assert sooner.due_on == date(2025, 6, 23)

    def test_bad_evidence_requests_are_refused_with_a_message_each(self) -> None:
        case = self.case()
        with self.assertRaises(InvalidInput) as refused:
            actions.request_evidence(
                case, self.cast.officer, what=" ", requested_on=date(2025, 6, 1), ombudsman_due_on=date(2029, 1, 1)
            )
        errors = refused.exception.errors
        assert errors["what"] == "Enter this: it cannot be left empty"
        assert errors["requested_on"] == "This cannot be before 12 June 2025"  # before the enquiry
        assert errors["ombudsman_due_on"] == "This must be within two years from today"

    def test_what_was_sent_who_sent_it_and_when_with_documents_from_the_record(self) -> None:
        case = self.case()
        document = attach(self.cast, case.complaint)
        elsewhere = attach(self.cast, responded(self.cast), "theirs.pdf")
        asked = actions.request_evidence(case, self.cast.officer, what="The repair log", requested_on=TODAY)
        with self.assertRaises(InvalidInput) as refused:
            actions.record_evidence_sent(
                asked, self.cast.officer, sent_on=TODAY, response="The log", documents=[elsewhere]
            )
        assert refused.exception.errors == {"documents": "Choose documents that are on this complaint's record"}
        sent = actions.record_evidence_sent(
            asked,
            self.cast.manager,
            sent_on=TODAY,
            response="The repair log and the contractor's notes",
            documents=[document],
        )
        assert (sent.sent_on, sent.sent_by, [d.pk for d in sent.documents.all()]) == (
            TODAY,
            self.cast.manager,
            [document],
        )
        with self.assertRaises(TransitionNotAllowed):
            actions.record_evidence_sent(asked, self.cast.manager, sent_on=TODAY, response="Again")
        assert "ombudsman-evidence-sent" in kinds(case.complaint)

    def test_a_change_from_a_stale_page_is_refused(self) -> None:
        case = self.case()
        actions.request_evidence(case, self.cast.officer, what="A", requested_on=TODAY)
        with self.assertRaises(StaleVersion):
            actions.request_evidence(case, self.cast.officer, what="B", requested_on=TODAY, expected_version=1)


@time_machine.travel(TODAY, tick=False)
class DeterminationsAndOrdersTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def investigated(self) -> OmbudsmanCase:
        case = actions.open_case(
            responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=date(2025, 6, 2)
        )
        return actions.move_case(case, self.cast.officer, to=CaseStage.INVESTIGATION, on=date(2025, 6, 3))

    def test_transitions_the_stage_does_not_allow_are_refused(self) -> None:
        case = actions.open_case(
            responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=date(2025, 6, 2)
        )
        with self.assertRaises(TransitionNotAllowed) as refused:
            actions.move_case(case, self.cast.officer, to=CaseStage.DETERMINED, on=TODAY)
        assert refused.exception.message == (
            "Ombudsman case 202412345 is at enquiry, so it cannot move to determined. From here it can move to "
            "evidence requested, investigation, closed."
        )
        with self.assertRaises(TransitionNotAllowed):
            actions.record_determination(
                case, self.cast.officer, element="Repairs", finding=Finding.MALADMINISTRATION, determined_on=TODAY
            )
        closed = actions.move_case(case, self.cast.officer, to=CaseStage.CLOSED, on=TODAY)
        assert closed.closed_on == TODAY
        with self.assertRaises(TransitionNotAllowed) as refused:
            actions.move_case(closed, self.cast.officer, to=CaseStage.INVESTIGATION, on=TODAY)
        assert "From here it can move to nothing: it is closed." in refused.exception.message
        with self.assertRaises(TransitionNotAllowed):
            actions.request_evidence(closed, self.cast.officer, what="More", requested_on=TODAY)

    def test_a_closed_case_lets_a_new_one_open_on_the_complaint(self) -> None:
        case = self.investigated()
        actions.move_case(case, self.cast.officer, to=CaseStage.CLOSED, on=TODAY)
        again = actions.open_case(case.complaint, self.cast.officer, reference="202412399", enquiry_received_on=TODAY)
        assert again.is_open and OmbudsmanCase.objects.filter(complaint=case.complaint).count() == 2

    def test_each_element_is_determined_and_the_case_is_then_determined(self) -> None:
        case = self.investigated()
        actions.record_determination(
            case, self.cast.officer, element="The repair", finding=Finding.MALADMINISTRATION, determined_on=TODAY
        )
        actions.record_determination(
            case, self.cast.officer, element="Complaint handling", finding=Finding.SERVICE_FAILURE, determined_on=TODAY
        )
        case.refresh_from_db()
        assert case.stage == CaseStage.DETERMINED and case.determinations.count() == 2
        with self.assertRaises(InvalidInput) as refused:
            actions.record_determination(case, self.cast.officer, element="", finding="awful", determined_on=TODAY)
        assert refused.exception.errors["finding"] == "Select the Ombudsman's finding"

    def test_orders_follow_a_determination_but_a_complaint_handling_failure_order_can_come_any_time(self) -> None:
        case = self.investigated()
        with self.assertRaises(InvalidInput) as refused:
            actions.add_order(
                case,
                self.cast.officer,
                kind="order",
                what="Pay £300",
                owner=self.cast.handler,
                due_on=date(2025, 7, 14),
            )
        assert refused.exception.errors["kind"].startswith("Orders and recommendations follow a determination")
        chfo = actions.add_order(
            case,
            self.cast.officer,
            kind=Order.Kind.COMPLAINT_HANDLING_FAILURE,
            what="Respond at stage 2 within 5 working days",
            owner=self.cast.handler,
            due_on=date(2025, 6, 23),
        )
        assert chfo.kind == "chfo"

    def test_an_order_is_carried_out_with_evidence_and_confirmed_before_the_case_closes(self) -> None:
        # 9.7: the governing body hears of the orders and their compliance, so each is tracked to the end.
        case = self.investigated()
        found = actions.record_determination(
            case, self.cast.officer, element="The repair", finding=Finding.MALADMINISTRATION, determined_on=TODAY
        )
        order = actions.add_order(
            case,
            self.cast.officer,
            kind=Order.Kind.ORDER,
            what="Pay the resident £300",
            owner=self.cast.handler,
            due_on=date(2025, 7, 14),
            determination=found,
        )
        actions.add_order(
            case,
            self.cast.officer,
            kind=Order.Kind.RECOMMENDATION,
            what="Review the repairs policy",
            owner=self.cast.manager,
            due_on=date(2025, 9, 1),
        )
        with self.assertRaises(TransitionNotAllowed) as refused:
            actions.move_case(case, self.cast.officer, to=CaseStage.CLOSED, on=TODAY)
        assert refused.exception.message.startswith("1 order still awaits the Ombudsman's confirmation")
        # The owner records progress; another handler may not.
        with self.assertRaises(NotPermitted):
            actions.update_order(order, self.cast.other_handler, note="Done")
        with self.assertRaises(NotPermitted):
            actions.update_order(order, self.cast.auditor, note="Done")
        actions.update_order(order, self.cast.handler, note="Payment requested from finance")
        with self.assertRaises(TransitionNotAllowed):
            actions.confirm_compliance(order, self.cast.officer, on=TODAY)  # not complied with yet
        with self.assertRaises(InvalidInput) as no_evidence:
            actions.update_order(order, self.cast.handler, completed_on=TODAY)
        assert no_evidence.exception.errors == {"evidence": "Describe the evidence that the order was complied with"}
        receipt = attach(self.cast, case.complaint, "payment.pdf")
        done = actions.update_order(
            order, self.cast.handler, completed_on=TODAY, evidence="Paid by BACS on 16 June", documents=[receipt]
        )
        assert done.completed_on == TODAY and [d.pk for d in done.documents.all()] == [receipt]
        confirmed = actions.confirm_compliance(order, self.cast.manager, on=TODAY)
        assert confirmed.confirmed_on == TODAY
        closed = actions.move_case(case, self.cast.officer, to=CaseStage.CLOSED, on=TODAY)
        assert closed.stage == CaseStage.CLOSED
        assert kinds(case.complaint)[-3:] == [
            "ombudsman-order-update",
            "ombudsman-compliance-confirmed",
            "ombudsman-stage",
        ]

    def test_an_order_past_its_deadline_is_overdue_until_complied_with(self) -> None:
        case = self.investigated()
        actions.record_determination(
            case, self.cast.officer, element="The repair", finding=Finding.SERVICE_FAILURE, determined_on=TODAY
        )
        order = actions.add_order(
            case, self.cast.officer, kind="order", what="Apologise", owner=self.cast.handler, due_on=date(2025, 6, 20)
        )
        assert not order.overdue_on(TODAY)
        assert order.overdue_on(date(2025, 6, 23))
        listed = queries.case_list(self.cast.officer, today=date(2025, 6, 23))
        assert [(c.orders_open, c.orders_overdue) for c in listed] == [(1, 1)]  # type: ignore[attr-defined]

    def test_the_owner_must_be_staff_of_the_landlord_who_can_be_given_work(self) -> None:
        case = self.investigated()
        actions.record_determination(
            case, self.cast.officer, element="x", finding=Finding.NO_MALADMINISTRATION, determined_on=TODAY
        )
        for owner in (self.cast.auditor, self.cast.stranger):
            with self.assertRaises(InvalidInput) as refused:
                actions.add_order(case, self.cast.officer, kind="recommendation", what="x", owner=owner, due_on=TODAY)
            assert "owner" in refused.exception.errors

    def test_findings_are_counted_with_the_maladministration_rate(self) -> None:
        case = self.investigated()
        for finding in (Finding.SEVERE_MALADMINISTRATION, Finding.NO_MALADMINISTRATION, Finding.OUTSIDE_JURISDICTION):
            actions.record_determination(case, self.cast.officer, element="x", finding=finding, determined_on=TODAY)
        found = queries.findings_between(self.cast.landlord.pk, date(2025, 4, 1), date(2026, 3, 31))
        assert found.total == 3 and (found.adverse, found.on_merits) == (1, 2)
        assert found.maladministration_rate == 0.5
        assert dict(found.counts)["Severe maladministration"] == 1
        assert queries.findings_between(self.cast.other_landlord.pk, date(2025, 4, 1), date(2026, 3, 31)).total == 0

    def test_a_case_referred_in_an_earlier_year_counts_in_the_year_it_was_determined(self) -> None:
        # The annual report and insight count determinations by the date made (9.7 reporting).
        complaint = log(self.cast, date(2025, 1, 6))
        case = actions.open_case(
            complaint, self.cast.officer, reference="202400001", enquiry_received_on=date(2025, 3, 10)
        )
        case = actions.move_case(case, self.cast.officer, to=CaseStage.INVESTIGATION, on=date(2025, 3, 11))
        actions.record_determination(
            case, self.cast.officer, element="x", finding=Finding.MALADMINISTRATION, determined_on=TODAY
        )
        assert measures.ombudsman_findings(self.cast.landlord, Period.reporting_year(2024)).total == 0
        this_year = measures.ombudsman_findings(self.cast.landlord, Period.reporting_year(2025))
        assert (this_year.total, this_year.maladministration_rate) == (1, 1.0)


def outbox(kind: str) -> list[tuple[str, str]]:
    return sorted(
        (m.to_address, m.subject)
        for m in OutboxMessage.objects.filter(kind=kind, subject__contains="Ombudsman").order_by("id")
    )


class RemindersTests(TestCase):
    """The Scheme's time for evidence, and the orders' deadlines, remembered for staff."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_evidence_due_soon_then_overdue_reminds_the_handler_officers_and_then_managers_once_each(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            case = actions.open_case(
                responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=TODAY
            )
            actions.request_evidence(
                case, self.cast.officer, what="The repair log", requested_on=TODAY, ombudsman_due_on=date(2025, 6, 18)
            )
        reminders.plan_for(self.cast.landlord, date(2025, 6, 16))
        reference = case.complaint.reference
        assert outbox(OutboxMessage.Kind.DUE_SOON) == [
            ("hana.handler@example.org", f"{reference}: evidence for the Ombudsman due Wednesday 18 June"),
            ("olu.officer@example.org", f"{reference}: evidence for the Ombudsman due Wednesday 18 June"),
        ]
        reminders.plan_for(self.cast.landlord, date(2025, 6, 17))  # nothing new
        assert len(outbox(OutboxMessage.Kind.DUE_SOON)) == 2
        reminders.plan_for(self.cast.landlord, date(2025, 6, 19))
        assert outbox(OutboxMessage.Kind.OVERDUE) == [
            (f"{who}@example.org", f"{reference}: evidence for the Ombudsman overdue since 18 June")
            for who in ("hana.handler", "mei.manager", "olu.officer")
        ]
        body = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.OVERDUE).first()
        assert body is not None and "the one the Ombudsman gave" in body.body
        reminders.plan_for(self.cast.landlord, date(2025, 6, 20))
        assert len(outbox(OutboxMessage.Kind.OVERDUE)) == 3

    def test_evidence_sent_is_not_reminded(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            case = actions.open_case(
                responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=TODAY
            )
            asked = actions.request_evidence(case, self.cast.officer, what="Log", requested_on=TODAY)
            actions.record_evidence_sent(asked, self.cast.officer, sent_on=TODAY, response="The log")
        reminders.plan_for(self.cast.landlord, date(2025, 7, 8))
        assert outbox(OutboxMessage.Kind.OVERDUE) == [] and outbox(OutboxMessage.Kind.DUE_SOON) == []

    def test_an_order_reminds_its_owner_and_the_officers(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            case = actions.open_case(
                responded(self.cast), self.cast.officer, reference="202412345", enquiry_received_on=TODAY
            )
            case = actions.move_case(case, self.cast.officer, to=CaseStage.INVESTIGATION, on=TODAY)
            actions.record_determination(
                case, self.cast.officer, element="x", finding=Finding.MALADMINISTRATION, determined_on=TODAY
            )
            actions.add_order(
                case,
                self.cast.officer,
                kind="order",
                what="Pay £300",
                owner=self.cast.reviewer,
                due_on=date(2025, 6, 18),
            )
        reminders.plan_for(self.cast.landlord, date(2025, 6, 17))
        reference = case.complaint.reference
        assert outbox(OutboxMessage.Kind.DUE_SOON) == [
            ("olu.officer@example.org", f"{reference}: order from the Ombudsman due Wednesday 18 June"),
            ("rita.reviewer@example.org", f"{reference}: order from the Ombudsman due Wednesday 18 June"),
        ]

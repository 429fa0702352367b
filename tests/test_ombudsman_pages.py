"""The workspace's Ombudsman casework pages: opened from the complaint, every step a GOV.UK form
with GDS-style errors, read by every reader and worked by complaints officers and managers, in a
fixed number of queries."""

from __future__ import annotations

import html
from datetime import date

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints.models import Channel, Complaint
from putright.ombudsman import actions
from putright.ombudsman.models import CaseStage, Finding, OmbudsmanCase, Order
from tests.cast import Cast, make_cast
from tests.test_ombudsman_cases import attach, responded
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday


def case_url(case: OmbudsmanCase, step: str = "") -> str:
    return f"/staff/ombudsman/{case.pk}/" + (f"{step}/" if step else "")


def text(response: object) -> str:
    return html.unescape(page(response))


@time_machine.travel(TODAY, tick=False)
class CasePagesTests(TestCase):
    cast: Cast
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = responded(cls.cast)

    def open(self) -> OmbudsmanCase:
        return actions.open_case(self.complaint, self.cast.officer, reference="202412345", enquiry_received_on=TODAY)

    def test_the_referral_step_opens_the_case_reached_from_the_complaint(self) -> None:
        officer = signed_in(self.cast.officer)
        sent = officer.post(
            complaint_url(self.complaint, "ombudsman-referral"),
            {
                "expected_version": self.complaint.version,
                "ombudsman_reference": "202412345",
                **date_fields("on", TODAY),
            },
        )
        assert sent.status_code == 302, page(sent)
        complaint_page = page(officer.get(complaint_url(self.complaint)))
        assert complaint_url(self.complaint, "ombudsman") in complaint_page
        listing = text(officer.get(complaint_url(self.complaint, "ombudsman")))
        case = OmbudsmanCase.objects.get(complaint=self.complaint)
        assert case_url(case) in listing and "Open an Ombudsman case" not in listing  # one open at a time
        shown = text(officer.get(case_url(case)))
        assert "Ombudsman case 202412345" in shown and "16 June 2025" in shown

    def test_a_referral_with_a_wrong_reference_is_shown_beside_the_field(self) -> None:
        refused = signed_in(self.cast.officer).post(
            complaint_url(self.complaint, "ombudsman-referral"),
            {"expected_version": self.complaint.version, "ombudsman_reference": "HOS-1", **date_fields("on", TODAY)},
        )
        assert refused.status_code == 200
        assert "Enter the Ombudsman&#x27;s reference in the right format" in page(refused)
        assert not OmbudsmanCase.objects.exists()

    def test_opening_a_case_shows_gds_errors_for_bad_answers(self) -> None:
        officer = signed_in(self.cast.officer)
        url = complaint_url(self.complaint, "ombudsman/new")
        refused = officer.post(url, {"reference": "", **date_fields("enquiry_received_on", TODAY)})
        assert "Enter the Ombudsman's reference" in text(refused)
        refused = officer.post(
            url,
            {
                "reference": "12",
                "enquiry_received_on_0": "31",
                "enquiry_received_on_1": "2",
                "enquiry_received_on_2": "2025",
            },
        )
        shown = text(refused)
        assert "There is a problem" in shown
        assert "The date the Ombudsman's enquiry was received must be a real date" in shown
        opened = officer.post(url, {"reference": "2024 12345", **date_fields("enquiry_received_on", TODAY)})
        case = OmbudsmanCase.objects.get()
        assert opened.status_code == 302 and opened["Location"] == case_url(case)
        assert case.reference == "202412345"

    def test_a_case_taken_from_evidence_to_an_order_complied_with_and_confirmed(self) -> None:
        case = self.open()
        officer = signed_in(self.cast.officer)
        asked = officer.post(
            case_url(case, "evidence/new"),
            {"expected_version": case.version, "what": "The repair log", **date_fields("requested_on", TODAY)},
        )
        assert asked.status_code == 302, text(asked)
        shown = text(officer.get(case_url(case)))
        # The Scheme's time, as the landlord's policy gives it: 15 working days (7 July 2025).
        assert "7 July 2025, the landlord's policy" in shown and "The Ombudsman gave no date." in shown
        case.refresh_from_db()
        request_id = case.evidence_requests.get().pk
        document = attach(self.cast, self.complaint)
        sent = officer.post(
            case_url(case, f"evidence/{request_id}/sent"),
            {
                "expected_version": case.version,
                "response": "The repair log and photos",
                "documents": [str(document)],
                **date_fields("sent_on", TODAY),
            },
        )
        assert sent.status_code == 302, text(sent)
        moved = officer.post(
            case_url(case, "stage"),
            {"expected_version": case.version + 1, "to": CaseStage.INVESTIGATION, **date_fields("on", TODAY)},
        )
        assert moved.status_code == 302, text(moved)
        case.refresh_from_db()
        determined = officer.post(
            case_url(case, "determinations/new"),
            {
                "expected_version": case.version,
                "element": "The landlord's handling of the boiler repair",
                "finding": Finding.MALADMINISTRATION,
                **date_fields("determined_on", TODAY),
            },
        )
        assert determined.status_code == 302, text(determined)
        case.refresh_from_db()
        ordered = officer.post(
            case_url(case, "orders/new"),
            {
                "expected_version": case.version,
                "kind": Order.Kind.ORDER,
                "what": "Pay the resident £300",
                "owner": str(self.cast.handler.pk),
                **date_fields("due_on", date(2025, 7, 14)),
            },
        )
        assert ordered.status_code == 302, text(ordered)
        order = Order.objects.get()
        case.refresh_from_db()
        # Hana owns the order: she records it complied with, with the evidence.
        hana = signed_in(self.cast.handler)
        incomplete = hana.post(case_url(case, f"orders/{order.pk}"), {"expected_version": case.version, "done": "on"})
        assert "Describe the evidence that it was complied with" in text(incomplete)
        done = hana.post(
            case_url(case, f"orders/{order.pk}"),
            {
                "expected_version": case.version,
                "done": "on",
                "evidence": "Paid by BACS",
                "documents": [str(document)],
                **date_fields("completed_on", TODAY),
            },
        )
        assert done.status_code == 302, text(done)
        case.refresh_from_db()
        confirmed = officer.post(
            case_url(case, f"orders/{order.pk}/confirm"), {"expected_version": case.version, **date_fields("on", TODAY)}
        )
        assert confirmed.status_code == 302, text(confirmed)
        shown = text(officer.get(case_url(case)))
        assert "Compliance confirmed" in shown and "Paid by BACS" in shown and "Maladministration" in shown

    def test_a_form_from_a_stale_page_is_refused(self) -> None:
        case = self.open()
        actions.request_evidence(case, self.cast.officer, what="Log", requested_on=TODAY)
        refused = signed_in(self.cast.officer).post(
            case_url(case, "evidence/new"),
            {"expected_version": 1, "what": "More", **date_fields("requested_on", TODAY)},
        )
        assert refused.status_code == 200
        assert "was changed by someone else since you opened it" in text(refused)

    def test_readers_read_and_only_officers_and_managers_are_offered_the_steps(self) -> None:
        case = self.open()
        for user in (self.cast.handler, self.cast.auditor):
            shown = text(signed_in(user).get(case_url(case)))
            assert "Ombudsman case 202412345" in shown
            assert "Record a request for evidence" not in shown and 'role="button"' not in shown
        assert "Record a request for evidence" in text(signed_in(self.cast.manager).get(case_url(case)))
        refused = signed_in(self.cast.handler).get(case_url(case, "evidence/new"))
        assert refused.status_code == 403
        assert "Only a complaints officer or a manager can work on Ombudsman cases." in text(refused)

    def test_another_landlords_case_is_not_found(self) -> None:
        case = self.open()
        assert signed_in(self.cast.stranger).get(case_url(case)).status_code == 404
        assert signed_in(self.cast.stranger).get(case_url(case, "evidence/new")).status_code == 404
        assert "202412345" not in text(signed_in(self.cast.stranger).get("/staff/ombudsman/"))

    def test_the_enquiry_page_logs_the_complaint_via_the_ombudsman_and_opens_the_case(self) -> None:
        logged = signed_in(self.cast.officer).post(
            "/staff/ombudsman/enquiry/",
            {
                "reference": "202498765",
                **date_fields("enquiry_received_on", TODAY),
                "resident_name": "Rosa Resident",
                "resident_email": "rosa@example.org",
                "resident_phone": "",
                "resident_address": "",
                "description": "Nobody answered the complaint about damp.",
                "outcome_sought": "",
                "service_area": "damp-mould",
            },
        )
        assert logged.status_code == 302, text(logged)
        case = OmbudsmanCase.objects.get(reference="202498765")
        assert case.complaint.channel == Channel.OMBUDSMAN and case.complaint.received_on == TODAY
        refused = signed_in(self.cast.officer).post(
            "/staff/ombudsman/enquiry/", {"reference": "202498766", **date_fields("enquiry_received_on", TODAY)}
        )
        shown = text(refused)
        assert "Enter the resident's full name" in shown and "Enter what the complaint is about" in shown

    def test_the_list_shows_what_is_outstanding_in_the_same_queries_however_many_cases(self) -> None:
        case = actions.open_case(
            self.complaint, self.cast.officer, reference="202412345", enquiry_received_on=date(2025, 6, 2)
        )
        case = actions.move_case(case, self.cast.officer, to=CaseStage.INVESTIGATION, on=date(2025, 6, 3))
        actions.record_determination(
            case, self.cast.officer, element="x", finding=Finding.SERVICE_FAILURE, determined_on=date(2025, 6, 4)
        )
        actions.add_order(
            case, self.cast.officer, kind="order", what="Apologise", owner=self.cast.handler, due_on=date(2025, 6, 13)
        )
        officer = signed_in(self.cast.officer)
        officer.get("/staff/ombudsman/")  # the session and the menu's first reads
        with CaptureQueriesContext(connection) as one:
            shown = text(officer.get("/staff/ombudsman/"))
        assert "1 order to carry out" in shown and "1 overdue" in shown
        for _ in range(3):
            more = responded(self.cast)
            opened = actions.open_case(
                more, self.cast.officer, reference=f"20241{more.pk:04d}", enquiry_received_on=TODAY
            )
            actions.request_evidence(opened, self.cast.officer, what="Log", requested_on=TODAY)
        with CaptureQueriesContext(connection) as four:
            shown = text(officer.get("/staff/ombudsman/"))
        assert shown.count("1 evidence request to answer") == 3
        assert len(four) == len(one)

    def test_the_case_page_reads_in_the_same_queries_however_much_it_holds(self) -> None:
        case = actions.move_case(self.open(), self.cast.officer, to=CaseStage.INVESTIGATION, on=TODAY)
        officer = signed_in(self.cast.officer)

        def add_one_of_each(n: int) -> None:
            fresh = OmbudsmanCase.objects.get(pk=case.pk)
            actions.request_evidence(fresh, self.cast.officer, what=f"Item {n}", requested_on=TODAY)
            actions.record_determination(
                fresh, self.cast.officer, element=f"Element {n}", finding=Finding.MALADMINISTRATION, determined_on=TODAY
            )
            order = actions.add_order(
                fresh, self.cast.officer, kind="order", what=f"Order {n}", owner=self.cast.handler, due_on=TODAY
            )
            actions.update_order(order, self.cast.handler, note=f"Under way {n}")

        add_one_of_each(0)
        officer.get(case_url(case))
        with CaptureQueriesContext(connection) as one:
            officer.get(case_url(case))
        add_one_of_each(1)
        add_one_of_each(2)
        with CaptureQueriesContext(connection) as three:
            shown = text(officer.get(case_url(case)))
        assert shown.count("Under way") == 3
        assert len(three) == len(one)

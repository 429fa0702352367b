"""Logging a complaint from any channel, checked before it is committed, and service requests."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase

from putright.complaints.models import Complaint, ServiceRequest, Status
from tests.cast import log, make_cast
from tests.test_workspace_support import date_fields, log_form, page, signed_in

TODAY = date(2025, 6, 16)


@time_machine.travel(TODAY, tick=False)
class LogComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_date_received_defaults_to_today(self) -> None:
        html = page(signed_in(self.cast.handler).get("/staff/complaints/new/"))
        assert 'name="received_on_0" value="16"' in html and 'name="received_on_2" value="2025"' in html
        assert "Is the complaint accepted?" not in html  # a handler does not decide that

    def test_a_phone_complaint_received_last_week_is_checked_then_logged(self) -> None:
        client = signed_in(self.cast.handler)
        check = client.post("/staff/complaints/new/", log_form(date(2025, 6, 9)))
        html = page(check)
        assert "Check the complaint before logging it" in html and "Not checked: no date was given" in html
        assert Complaint.objects.count() == 0
        answers = log_form(date(2025, 6, 9), step="log")
        logged = client.post("/staff/complaints/new/", answers)
        complaint = Complaint.objects.get()
        assert logged["Location"] == f"/staff/complaints/{complaint.reference}/"
        assert complaint.channel == "phone" and complaint.received_on == date(2025, 6, 9)
        assert complaint.next_due == date(2025, 6, 16)  # 6.2: five working days from receipt
        assert complaint.person.tenancy_reference == "T-1001" and complaint.person.preferred_contact == "phone"

    def test_a_date_in_the_future_is_refused_beside_the_field(self) -> None:
        client = signed_in(self.cast.handler)
        html = page(client.post("/staff/complaints/new/", log_form(date(2025, 6, 17), step="log")))
        assert '<a href="#id_received_on_0">This cannot be in the future (today is 16 June 2025)</a>' in html
        assert Complaint.objects.count() == 0

    def test_missing_answers_are_listed_in_an_error_summary(self) -> None:
        html = page(signed_in(self.cast.handler).post("/staff/complaints/new/", {"step": "check"}))
        assert "<title>Error: Log a complaint – Putright</title>" in html
        for message in (
            "Enter the resident&#x27;s full name",
            "Select how the complaint arrived",
            "Enter the date the complaint was received",
            "Enter the complaint",
        ):
            assert message in html
        partial = page(
            signed_in(self.cast.handler).post(
                "/staff/complaints/new/", log_form(TODAY, received_on_0="31", received_on_1="2")
            )
        )
        assert "The date the complaint was received must be a real date" in partial

    def test_the_acceptance_window_check_is_shown_before_logging(self) -> None:
        html = page(
            signed_in(self.cast.handler).post(
                "/staff/complaints/new/", log_form(TODAY, **date_fields("issue_date", date(2024, 5, 1)))
            )
        )
        assert "Outside the window" in html and "ended on 1 May 2025" in html
        inside = page(
            signed_in(self.cast.handler).post(
                "/staff/complaints/new/", log_form(TODAY, **date_fields("issue_date", date(2025, 5, 1)))
            )
        )
        assert "Inside the window" in inside

    def test_a_similar_open_complaint_by_the_same_resident_is_warned_of(self) -> None:
        existing = log(self.cast, date(2025, 6, 2))  # Rosa Resident, rosa@example.org, repairs
        client = signed_in(self.cast.handler)
        html = page(client.post("/staff/complaints/new/", log_form(TODAY)))
        assert "This resident may already have 1 open complaint" in html and existing.reference in html
        assert "Same service area" in html
        refused = page(client.post("/staff/complaints/new/", log_form(TODAY, step="log")))
        assert "Confirm this is a new complaint" in refused and Complaint.objects.count() == 1
        client.post("/staff/complaints/new/", log_form(TODAY, step="log", confirmed_new="yes"))
        assert Complaint.objects.count() == 2

    def test_changing_the_answers_goes_back_to_the_form_with_them(self) -> None:
        html = page(signed_in(self.cast.handler).post("/staff/complaints/new/", log_form(TODAY, step="change")))
        assert '<h1 class="govuk-heading-l">Log a complaint</h1>' in html and "Rosa Resident" in html
        assert "There is a problem" not in html

    def test_an_officer_can_log_it_as_not_accepted_with_a_ground_and_explanation(self) -> None:
        client = signed_in(self.cast.officer)
        assert "Is the complaint accepted?" in page(client.get("/staff/complaints/new/"))
        missing = page(client.post("/staff/complaints/new/", log_form(TODAY, outcome="not-accept")))
        assert "Select why the complaint is not accepted" in missing and "Enter the explanation" in missing
        answers = log_form(
            TODAY,
            outcome="not-accept",
            ground="legal-proceedings",
            explanation="A claim about the boiler is before the county court.",
            ombudsman_rights_given="on",
            step="log",
        )
        client.post("/staff/complaints/new/", answers)
        complaint = Complaint.objects.get()
        assert complaint.status == Status.NOT_ACCEPTED and complaint.refused_by == self.cast.officer
        assert complaint.refusal_ground == "legal-proceedings"

    def test_a_representative_is_recorded_with_their_authority(self) -> None:
        client = signed_in(self.cast.handler)
        missing = page(client.post("/staff/complaints/new/", log_form(TODAY, rep_name="Cllr Jones")))
        assert "Select who the representative is" in missing
        client.post(
            "/staff/complaints/new/",
            log_form(TODAY, rep_name="Cllr Jones", rep_relationship="councillor", step="log"),
        )
        representative = Complaint.objects.get().representative
        assert representative is not None and representative.authority == "presumed"  # 3.6

    def test_html_typed_into_the_form_shows_as_text(self) -> None:
        client = signed_in(self.cast.handler)
        answers = log_form(
            TODAY, step="log", resident_name="<img src=x onerror=alert(1)>", description="<script>alert('x')</script>"
        )
        check = page(client.post("/staff/complaints/new/", {**answers, "step": "check"}))
        assert "<script>alert('x')</script>" not in check and "<img src=x" not in check
        response = client.post("/staff/complaints/new/", answers, follow=True)
        html = page(response)
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html

    def test_an_auditor_cannot_log_complaints(self) -> None:
        client = signed_in(self.cast.auditor)
        assert client.get("/staff/complaints/new/").status_code == 403
        assert client.post("/staff/complaints/new/", log_form(TODAY, step="log")).status_code == 403


@time_machine.travel(TODAY, tick=False)
class ServiceRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def request_form(self, **changes: str) -> dict[str, str]:
        return {
            "resident_name": "Rosa Resident",
            "resident_email": "",
            "resident_phone": "",
            "resident_address": "",
            "tenancy_reference": "",
            "preferred_contact": "",
            "service_area": "repairs",
            "description": "The kitchen tap drips.",
            **date_fields("received_on", TODAY),
            **changes,
        }

    def test_log_list_and_complete_a_service_request(self) -> None:
        client = signed_in(self.cast.handler)
        assert "Select a service area" in page(
            client.post("/staff/service-requests/new/", self.request_form(service_area=""))
        )
        assert client.post("/staff/service-requests/new/", self.request_form()).status_code == 302
        request = ServiceRequest.objects.get()
        listed = page(client.get("/staff/service-requests/"))
        assert request.reference in listed and "The kitchen tap drips." in listed
        done = client.post(
            f"/staff/service-requests/{request.reference}/complete/", date_fields("completed_on", TODAY), follow=True
        )
        assert f"Service request {request.reference} completed" in page(done)
        request.refresh_from_db()
        assert request.status == "completed"
        assert request.reference not in page(client.get("/staff/service-requests/"))
        assert request.reference in page(client.get("/staff/service-requests/?show=all"))

    def test_a_complaint_raised_from_a_request_is_linked_and_the_request_stays_open(self) -> None:
        client = signed_in(self.cast.handler)
        client.post("/staff/service-requests/new/", self.request_form())
        request = ServiceRequest.objects.get()
        url = f"/staff/service-requests/{request.reference}/complaint/"
        assert "The kitchen tap drips." in page(client.get(url))
        response = client.post(
            url, {"channel": "phone", **date_fields("received_on", TODAY), "description": "Nobody came to fix it."}
        )
        complaint = Complaint.objects.get()
        assert response["Location"] == f"/staff/complaints/{complaint.reference}/"
        assert complaint.service_request == request and complaint.service_area == "repairs"
        request.refresh_from_db()
        assert request.status == "open"  # 1.5
        assert f"Service request {request.reference}" in page(client.get(response["Location"]))

    def test_another_landlords_request_is_not_found(self) -> None:
        signed_in(self.cast.handler).post("/staff/service-requests/new/", self.request_form())
        reference = ServiceRequest.objects.get().reference
        stranger = signed_in(self.cast.stranger)
        assert reference not in page(stranger.get("/staff/service-requests/"))
        assert stranger.get(f"/staff/service-requests/{reference}/complaint/").status_code == 404

"""Logging complaints and service requests (1.4, 1.5, 2.3, 3.1, 3.2, 3.6, 6.2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import Channel, Complaint, Event, ServiceRequest, Stage, Status
from putright.landlords.actions import adopt_policy
from putright.people.models import Representative
from putright.rules.policy import load_policy
from tests.cast import RESIDENT, log, make_cast
from tests.conftest import EXAMPLE_POLICIES

TODAY = date(2025, 6, 16)  # a Monday


@time_machine.travel(TODAY, tick=False)
class LogComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_any_channel_can_be_logged_by_any_caseworker_3_1_3_2(self) -> None:
        for channel in Channel.values:
            complaint = log(self.cast, TODAY, channel=channel, actor=self.cast.officer)
            assert complaint.channel == channel
        assert Complaint.objects.count() == len(Channel.values)

    def test_the_clock_starts_on_the_day_received_not_the_day_typed_6_2(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        stage = Stage.objects.get(complaint=complaint)
        assert stage.acknowledge_due == date(2025, 6, 16)
        assert complaint.next_due == date(2025, 6, 16) and complaint.next_due_kind == "acknowledge"

    def test_a_complaint_received_at_the_weekend_counts_monday_as_day_one(self) -> None:
        complaint = log(self.cast, date(2025, 6, 14))
        assert complaint.next_due == date(2025, 6, 20)

    def test_the_date_received_can_never_be_in_the_future(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            log(self.cast, date(2025, 6, 17))
        assert caught.value.errors["received_on"] == "This cannot be in the future (today is 16 June 2025)"
        assert Complaint.objects.count() == 0

    def test_references_are_readable_unique_and_sequential(self) -> None:
        first, second = log(self.cast, TODAY), log(self.cast, TODAY)
        assert (first.reference, second.reference) == ("ASH-2025-00001", "ASH-2025-00002")
        stranger = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=RESIDENT,
            channel="email",
            received_on=TODAY,
            description="Noise from the flat upstairs has not been dealt with.",
        )
        assert stranger.reference == "MED-2025-00001"

    def test_references_are_never_reused_after_a_failed_log(self) -> None:
        log(self.cast, TODAY)
        with pytest.raises(InvalidInput):
            log(self.cast, TODAY, description="   ")
        assert log(self.cast, TODAY).reference == "ASH-2025-00002"

    def test_the_acceptance_window_is_checked_and_shown_2_3(self) -> None:
        inside = log(self.cast, TODAY, issue_date=date(2024, 6, 16))
        outside = log(self.cast, TODAY, issue_date=date(2024, 6, 15), discretion_note="Resident was in hospital.")
        unknown = log(self.cast, TODAY, issue_date=None)
        assert (inside.inside_acceptance_window, outside.inside_acceptance_window) == (True, False)
        assert unknown.inside_acceptance_window is None
        assert "outside the 12-month acceptance window (2.3)" in Event.objects.get(complaint=outside).summary

    def test_the_policy_in_force_on_the_day_received_governs_the_complaint(self) -> None:
        earlier = log(self.cast, date(2024, 12, 31), issue_date=date(2024, 6, 1))
        adopt_policy(
            self.cast.landlord, load_policy(EXAMPLE_POLICIES / "cheshire-west-forhousing-2023.toml"), date(2025, 1, 1)
        )
        later = log(self.cast, TODAY, issue_date=date(2024, 12, 1))
        assert earlier.inside_acceptance_window is True
        # Cheshire West's six-month window from 1 January 2025 is weaker than the Code: its 12 months apply (2.3).
        assert later.inside_acceptance_window is True
        assert (
            log(
                self.cast, TODAY, issue_date=TODAY.replace(year=TODAY.year - 1) - timedelta(days=1)
            ).inside_acceptance_window
            is False
        )
        assert earlier.policy_version != later.policy_version

    def test_the_issue_cannot_postdate_receipt(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            log(self.cast, date(2025, 6, 10), issue_date=date(2025, 6, 12))
        assert "after the complaint was received" in caught.value.errors["issue_date"]

    def test_missing_and_oversized_fields_are_named(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            log(
                self.cast,
                TODAY,
                description="x" * 20_001,
                channel="pigeon",
                service_area="gardening",
                resident=actions.ResidentDetails(name="", email="not-an-email"),
            )
        assert set(caught.value.errors) == {"description", "channel", "service_area", "resident.name", "resident.email"}
        assert "20,000 characters or fewer" in caught.value.errors["description"]

    def test_html_is_stored_as_typed(self) -> None:
        complaint = log(self.cast, TODAY, description="<script>alert('x')</script> the lift is broken")
        assert complaint.description.startswith("<script>")

    def test_a_representatives_complaint_is_a_complaint_3_6(self) -> None:
        rep = actions.RepresentativeDetails(name="Cllr Ada Jones", relationship="councillor")
        complaint = log(self.cast, TODAY, channel="councillor-or-mp", representative=rep)
        assert complaint.representative is not None
        assert complaint.representative.authority == Representative.Authority.PRESUMED  # seed 004
        with pytest.raises(InvalidInput) as caught:
            log(self.cast, TODAY, representative=actions.RepresentativeDetails(name="Bo", relationship="relative"))
        assert "authority" in caught.value.errors["representative.authority"]

    def test_auditors_and_strangers_cannot_log(self) -> None:
        with pytest.raises(NotPermitted):
            log(self.cast, TODAY, actor=self.cast.auditor)
        with pytest.raises(NotPermitted, match="a landlord you work for"):
            log(self.cast, TODAY, actor=self.cast.stranger)
        assert Complaint.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
class ServiceRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def request(self) -> ServiceRequest:
        return actions.log_service_request(
            self.cast.landlord,
            self.cast.handler,
            resident=RESIDENT,
            service_area="repairs",
            description="The kitchen tap is dripping.",
            received_on=TODAY,
        )

    def test_a_service_request_is_recorded_and_is_not_a_complaint_1_4(self) -> None:
        request = self.request()
        assert request.reference == "ASH-SR-2025-00001" and request.status == "open"
        assert Complaint.objects.count() == 0

    def test_a_complaint_raised_from_a_service_request_leaves_it_open_and_linked_1_5(self) -> None:
        request = self.request()
        complaint = actions.raise_from_service_request(
            request,
            self.cast.handler,
            received_on=TODAY,
            channel="phone",
            description="Nobody has come to fix the tap after two weeks.",
        )
        request.refresh_from_db()
        assert request.status == "open"
        assert complaint.service_request == request and complaint.person == request.person
        assert "stays open (1.5)" in Event.objects.get(complaint=complaint, kind="raised-from-service-request").summary

    def test_completing_a_service_request(self) -> None:
        request = actions.complete_service_request(self.request(), self.cast.handler, on=TODAY)
        assert request.status == "completed"
        with pytest.raises(Exception, match="already completed"):
            actions.complete_service_request(request, self.cast.handler, on=TODAY)

    def test_status_is_received_until_acknowledged(self) -> None:
        assert log(self.cast, TODAY).status == Status.RECEIVED

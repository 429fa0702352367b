"""A policy change is a new version, checked against the Code before it is saved (issue 13; 5.1, 6.2, 6.11)."""

from __future__ import annotations

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from putright.complaints.models import Complaint, Event, Stage
from putright.landlords.models import PolicyVersion
from putright.rules.policy import CODE_POLICY, load_policy
from tests.cast import log, make_cast
from tests.conftest import EXAMPLE_POLICIES
from tests.test_commands import run

LONDON = ZoneInfo("Europe/London")
TODAY = date(2025, 3, 3)  # a Monday


def dartford_settings() -> dict[str, object]:
    return load_policy(EXAMPLE_POLICIES / "dartford-2024.toml").to_data()


@time_machine.travel(datetime(2025, 3, 3, 10, tzinfo=LONDON), tick=False)
class AdminPolicyChangeTests(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        self.admin = User.objects.create_superuser("ada.admin", "ada@example.org", "a-long-test-password")
        self.client.force_login(self.admin)
        self.url = reverse("admin:landlords_landlord_policy", args=[self.cast.landlord.pk])
        self.in_force = PolicyVersion.objects.get(landlord=self.cast.landlord)

    def post(self, effective_from: date, settings: dict[str, object], **extra: str) -> str:
        data = {
            "effective_from": effective_from.isoformat(),
            "name": str(settings["name"]),
            "settings": json.dumps(settings),
            **extra,
        }
        response = self.client.post(self.url, data)
        if response.status_code == 302:
            return ""
        assert response.status_code == 200
        return response.content.decode()

    def checked(self, page: str) -> str:
        marker = 'name="checked" value="'
        return page.split(marker, 1)[1].split('"', 1)[0]

    def test_the_landlord_page_shows_the_findings_of_the_policy_in_force_and_versions_cannot_be_edited(self) -> None:
        page = self.client.get(reverse("admin:landlords_landlord_change", args=[self.cast.landlord.pk])).content
        text = page.decode()
        assert "Policy in force today, against the Code" in text
        assert "Meets every timescale and rule of the Code" in text
        assert self.url in text
        # Read only: no form fields for an existing version's settings.
        assert 'name="policy_versions-0-settings"' not in text
        form = self.client.get(self.url).content.decode()
        assert 'value="2025-03-03"' in form and "Housing Ombudsman Complaint Handling Code 2024" in form
        assert 'name="save"' not in form  # nothing can be saved before it has been checked

    def test_checking_shows_the_findings_and_saves_nothing(self) -> None:
        page = self.post(TODAY, dartford_settings(), check="Check against the Code")
        assert "falls short" in page
        assert "The policy allows 7 working days to acknowledge a stage 1 complaint" in page
        assert "the Code&#x27;s 5 working days apply (6.2)" in page
        assert PolicyVersion.objects.count() == 2  # the cast's two landlords' versions only

    def test_a_policy_that_falls_short_is_saved_only_with_a_confirmation_recorded_with_who_and_when(self) -> None:
        settings = dartford_settings()
        page = self.post(TODAY + date.resolution, settings, check="Check against the Code")
        checked = self.checked(page)
        refused = self.post(TODAY + date.resolution, settings, save="Save", checked=checked)
        assert "falls short of the Code: confirm that you want to adopt it anyway" in refused
        assert PolicyVersion.objects.filter(landlord=self.cast.landlord).count() == 1
        saved = self.post(TODAY + date.resolution, settings, save="Save", checked=checked, confirm_falls_short="on")
        assert saved == ""
        version = PolicyVersion.objects.get(landlord=self.cast.landlord, effective_from=date(2025, 3, 4))
        assert version.falls_short_confirmed_by == self.admin
        assert version.falls_short_confirmed_by_name == "ada.admin"
        assert version.falls_short_confirmed_at == datetime(2025, 3, 3, 10, tzinfo=LONDON)
        landlord_page = self.client.get(reverse("admin:landlords_landlord_change", args=[self.cast.landlord.pk]))
        assert "ada.admin at 3 March 2025 10:00" in landlord_page.content.decode()
        # The version in force is untouched.
        self.in_force.refresh_from_db()
        assert self.in_force.settings == load_policy(EXAMPLE_POLICIES / "code-2024.toml").to_data()

    def test_a_policy_that_meets_the_code_needs_no_confirmation_and_records_none(self) -> None:
        settings = {**CODE_POLICY.to_data(), "name": "Ashford 2025"}
        page = self.post(TODAY, settings, check="Check against the Code")
        assert "I confirm this policy falls short" not in page
        assert self.post(TODAY, settings, save="Save", checked=self.checked(page)) == ""
        version = PolicyVersion.objects.get(landlord=self.cast.landlord, effective_from=TODAY)
        assert version.name == "Ashford 2025"
        assert version.falls_short_confirmed_at is None

    def test_saving_without_the_findings_for_that_exact_policy_shown_is_refused(self) -> None:
        settings = {**CODE_POLICY.to_data(), "name": "Ashford 2025"}
        page = self.post(TODAY, settings, check="Check against the Code")
        changed = {**settings, "acceptance_window_months": 24}
        refused = self.post(TODAY, changed, save="Save", checked=self.checked(page))
        assert "The policy changed after it was checked" in refused
        assert not PolicyVersion.objects.filter(effective_from=TODAY).exists()

    def test_a_date_before_today_is_a_form_error(self) -> None:
        page = self.post(date(2025, 3, 2), CODE_POLICY.to_data(), check="Check against the Code")
        assert "must be today (3 March 2025) or later" in page
        assert not PolicyVersion.objects.filter(effective_from=date(2025, 3, 2)).exists()

    def test_a_day_that_already_has_complaints_keeps_its_version(self) -> None:
        complaint = log(self.cast, TODAY)
        settings = {**CODE_POLICY.to_data(), "name": "Ashford 2025"}
        page = self.post(TODAY, settings, check="Check against the Code")
        refused = self.post(TODAY, settings, save="Save", checked=self.checked(page))
        assert "have already been logged under the version in force: choose a later date" in refused
        later = self.post(TODAY + date.resolution, settings, check="Check against the Code")
        assert self.post(TODAY + date.resolution, settings, save="Save", checked=self.checked(later)) == ""
        complaint = Complaint.objects.get(pk=complaint.pk)
        assert complaint.policy_version == self.in_force  # received before the new version: keeps the old one

    def test_a_future_version_moves_no_deadline_today(self) -> None:
        complaint = log(self.cast, TODAY)
        before = Stage.objects.get(complaint=complaint, number=1).acknowledge_due
        stricter = {**CODE_POLICY.to_data(), "name": "Ashford 2025", "stage1": {"acknowledge_days": 2}}
        page = self.post(date(2025, 4, 1), stricter, check="Check against the Code")
        assert self.post(date(2025, 4, 1), stricter, save="Save", checked=self.checked(page)) == ""
        assert Stage.objects.get(complaint=complaint, number=1).acknowledge_due == before
        assert not Event.objects.filter(complaint=complaint, kind="deadlines-recomputed").exists()

    def test_staff_who_are_not_administrators_cannot_open_the_page(self) -> None:
        self.client.force_login(self.cast.manager)
        assert self.client.get(self.url).status_code == 302  # the admin sends non-staff users to its login
        # An admin user without the right to change landlords is refused.
        self.client.force_login(User.objects.create_user("vic.viewer", password="a-long-test-password", is_staff=True))
        assert self.client.get(self.url).status_code == 403


class PolicyLoadConfirmationTests(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()

    def test_load_refuses_a_policy_that_falls_short_without_confirmation_listing_the_findings(self) -> None:
        path = str(EXAMPLE_POLICIES / "dartford-2024.toml")
        errors = StringIO()
        with pytest.raises(CommandError) as caught:
            call_command(
                "policy", "load", path, "--landlord", "ashford", "--effective-from", "2026-01-01", stderr=errors
            )
        assert caught.value.returncode == 2
        assert "6.2    stage1.acknowledge_days: The policy allows 7 working days" in errors.getvalue()
        assert "--confirm-falls-short" in str(caught.value)
        assert not PolicyVersion.objects.filter(effective_from=date(2026, 1, 1)).exists()

    def test_load_with_confirmation_records_who_ran_it(self) -> None:
        path = str(EXAMPLE_POLICIES / "dartford-2024.toml")
        run("policy", "load", path, "--landlord", "ashford", "--effective-from", "2026-01-01", "--confirm-falls-short")
        version = PolicyVersion.objects.get(effective_from=date(2026, 1, 1))
        assert version.falls_short_confirmed_at is not None
        assert version.falls_short_confirmed_by_name.endswith("(putright policy load)")

    def test_a_policy_that_meets_the_code_loads_without_confirmation(self) -> None:
        path = str(EXAMPLE_POLICIES / "ashford-2024.toml")
        run("policy", "load", path, "--landlord", "ashford")
        version = PolicyVersion.objects.get(effective_from=date(2024, 4, 1))
        assert version.falls_short_confirmed_at is None

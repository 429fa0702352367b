"""Policy review dates (issue 17): read from the policy's own words, kept on each version, set or
changed by a complaints officer or manager on "Your policy and the Code", shown there (overdue in
red), and reminded to the complaints officers and managers 30 days before and once when passed.

The review date is the landlord's own promise, not a Code timescale: Ashford's policy is "reviewed
every two years" (section 13), Medway's "Next review due: September 2024", Cheshire West's "Next
Review Date 29 June 2025"."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.landlords.actions import adopt_policy
from putright.landlords.models import PolicyVersion
from putright.rules.policy import PolicyError, add_years, load_policy, parse_policy, policy_from_data
from tests.cast import EXAMPLE_POLICIES, make_cast

REVIEW = date(2025, 6, 30)  # a Monday
LONDON = ZoneInfo("Europe/London")


class ReviewDateFromThePolicyTests(SimpleTestCase):
    def test_each_seed_policy_gives_its_review_date(self) -> None:
        assert load_policy(EXAMPLE_POLICIES / "ashford-2024.toml").review_due() == date(2026, 4, 1)
        assert load_policy(EXAMPLE_POLICIES / "medway-2022.toml").review_due() == date(2024, 9, 30)
        assert load_policy(EXAMPLE_POLICIES / "cheshire-west-forhousing-2023.toml").review_due() == date(2025, 6, 29)
        assert load_policy(EXAMPLE_POLICIES / "code-2024.toml").review_due() is None

    def test_the_review_date_survives_storing_as_json(self) -> None:
        for name in ("ashford-2024.toml", "medway-2022.toml", "code-2024.toml"):
            policy = load_policy(EXAMPLE_POLICIES / name)
            assert policy_from_data(policy.to_data()) == policy
        assert "review_by" not in load_policy(EXAMPLE_POLICIES / "code-2024.toml").to_data()

    def test_a_review_date_no_policy_can_have_is_refused_naming_the_setting(self) -> None:
        cases = [
            ({"review_by": "next year"}, "review_by", "must be a date"),
            ({"review_every_years": 0}, "review_every_years", "between 1 and 10"),
            ({"review_every_years": "two"}, "review_every_years", "whole number"),
            ({"review_by": date(2026, 1, 1), "review_every_years": 2}, "review_by", "not both"),
            ({"effective_from": date(2024, 4, 1), "review_by": date(2024, 4, 1)}, "review_by", "must be after"),
        ]
        for data, field, words in cases:
            with pytest.raises(PolicyError) as refused:
                parse_policy(data)
            assert refused.value.field == field and words in refused.value.message

    def test_every_two_years_from_29_february_is_28_february(self) -> None:
        assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)


class ReviewDateOnAdoptionTests(TestCase):
    def test_every_n_years_counts_from_the_day_the_version_takes_effect(self) -> None:
        cast = make_cast()
        version = adopt_policy(cast.landlord, load_policy(EXAMPLE_POLICIES / "ashford-2024.toml"), date(2024, 5, 1))
        assert version.review_due_on == date(2026, 5, 1) and version.review_date_set_by_name == ""
        # The Code's own numbers say nothing of a review.
        assert PolicyVersion.objects.get(landlord=cast.other_landlord).review_due_on is None


@time_machine.travel(datetime(2025, 3, 3, 10, tzinfo=LONDON), tick=False)
class AdoptingANewVersionTests(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        self.client.force_login(User.objects.create_superuser("ada.admin", "ada@example.org", "a-long-password-1"))
        self.url = reverse("admin:landlords_landlord_policy", args=[self.cast.landlord.pk])

    def adopt(self, settings: dict[str, object]) -> str:
        data = {"effective_from": "2025-03-03", "name": "Cheshire West 2025", "settings": json.dumps(settings)}
        page = self.client.post(self.url, {**data, "check": "Check against the Code"}).content.decode()
        checked = page.split('name="checked" value="', 1)[1].split('"', 1)[0]
        answer = self.client.post(self.url, {**data, "save": "Save", "checked": checked, "confirm_falls_short": "on"})
        return "" if answer.status_code == 302 else answer.content.decode()

    def test_a_review_date_copied_from_the_version_before_is_refused(self) -> None:
        settings = load_policy(EXAMPLE_POLICIES / "cheshire-west-forhousing-2023.toml").to_data()
        page = self.adopt({**settings, "review_by": "2025-03-03"})
        assert "The review date in the settings (review_by, 3 March 2025) must be after the day" in page
        assert not PolicyVersion.objects.filter(effective_from=date(2025, 3, 3)).exists()
        assert self.adopt(settings) == ""  # 29 June 2025 is still after 3 March 2025
        assert PolicyVersion.objects.get(effective_from=date(2025, 3, 3)).review_due_on == date(2025, 6, 29)


@time_machine.travel(date(2025, 6, 2), tick=False)
class PolicyPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.version = PolicyVersion.objects.get(landlord=cls.cast.landlord)
        cls.version.review_due_on = REVIEW
        cls.version.save()
        cls.page = reverse("insight:policy")
        cls.form = reverse("insight:policy-review-date", args=[cls.version.pk])

    def test_the_policy_page_says_when_the_review_is_due(self) -> None:
        self.client.force_login(self.cast.auditor)
        page = self.client.get(self.page).content.decode()
        assert "Review due by 30 June 2025." in page and "Overdue" not in page
        assert "Change the review date" not in page  # the auditor only reads

    def test_an_overdue_review_shows_in_red(self) -> None:
        with time_machine.travel(date(2025, 7, 1), tick=False):
            self.client.force_login(self.cast.officer)
            page = self.client.get(self.page).content.decode()
        assert 'govuk-tag--red">Overdue</strong> Review due by 30 June 2025.' in page

    def test_an_officer_or_manager_changes_the_date_and_their_name_is_kept(self) -> None:
        for person, day in ((self.cast.officer, "14"), (self.cast.manager, "21")):
            self.client.force_login(person)
            assert "Change the review date" in self.client.get(self.page).content.decode()
            answer = self.client.post(
                self.form, {"review_due_on_0": day, "review_due_on_1": "7", "review_due_on_2": "2025"}
            )
            assert answer.status_code == 302
            self.version.refresh_from_db()
            assert self.version.review_due_on == date(2025, 7, int(day))
        assert self.version.review_date_set_by_name == "Mei Manager"
        page = self.client.get(reverse("insight:policy-version", args=[self.version.pk])).content.decode()
        assert "Review due by 21 July 2025." in page and "Date set by Mei Manager." in page

    def test_a_missing_unreal_or_too_early_date_is_refused_with_a_clear_error(self) -> None:
        self.client.force_login(self.cast.officer)
        cases = [
            (("", "", ""), "Enter the review date"),
            (("31", "2", "2026"), "The review date must be a real date"),
            (("1", "7", ""), "The review date must include a year"),
            (("1", "1", "2020"), "The review date must be after the policy takes effect (1 January 2020)"),
        ]
        for (day, month, year), message in cases:
            answer = self.client.post(
                self.form, {"review_due_on_0": day, "review_due_on_1": month, "review_due_on_2": year}
            )
            assert answer.status_code == 200
            page = answer.content.decode()
            assert message in page and "<title>Error:" in page
        self.version.refresh_from_db()
        assert self.version.review_due_on == REVIEW

    def test_only_an_officer_or_manager_of_this_landlord_may_set_it(self) -> None:
        data = {"review_due_on_0": "1", "review_due_on_1": "8", "review_due_on_2": "2025"}
        for person in (self.cast.auditor, self.cast.handler):
            self.client.force_login(person)
            assert self.client.post(self.form, data).status_code == 403
        self.client.force_login(self.cast.stranger)
        assert self.client.post(self.form, data).status_code == 404
        self.version.refresh_from_db()
        assert self.version.review_due_on == REVIEW


class PolicyReviewReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.version = PolicyVersion.objects.get(landlord=cls.cast.landlord)
        cls.version.review_due_on = REVIEW
        cls.version.save()

    def sent(self) -> list[tuple[str, str, str]]:
        return sorted(
            (m.kind, m.to_address, m.subject)
            for m in OutboxMessage.objects.filter(landlord=self.cast.landlord, once_key__startswith="policy-review")
        )

    def test_nothing_more_than_30_days_before(self) -> None:
        assert reminders.plan_for(self.cast.landlord, date(2025, 5, 30)).policy_reviews == 0

    def test_the_officers_and_managers_are_reminded_once_30_days_before(self) -> None:
        assert reminders.plan_for(self.cast.landlord, date(2025, 5, 31)).policy_reviews == 2
        assert reminders.plan_for(self.cast.landlord, date(2025, 6, 2)).policy_reviews == 0
        subject = "Due by 30 June 2025: review Ashford Borough Council's complaints policy"
        assert self.sent() == [
            ("due-soon", "mei.manager@example.org", subject),
            ("due-soon", "olu.officer@example.org", subject),
        ]
        body = OutboxMessage.objects.get(to_address="olu.officer@example.org").body
        assert "is due for review by Monday 30 June 2025" in body
        assert reverse("insight:policy-version", args=[self.version.pk]) in body

    def test_once_more_when_overdue_and_afresh_for_a_new_date(self) -> None:
        reminders.plan_for(self.cast.landlord, date(2025, 6, 1))
        assert reminders.plan_for(self.cast.landlord, date(2025, 7, 1)).policy_reviews == 2
        assert reminders.plan_for(self.cast.landlord, date(2025, 7, 2)).policy_reviews == 0
        overdue = [s for s in self.sent() if s[0] == "overdue"]
        assert {s[2] for s in overdue} == {"Overdue: review Ashford Borough Council's complaints policy"}
        self.version.review_due_on = date(2025, 7, 31)
        self.version.save()
        assert reminders.plan_for(self.cast.landlord, date(2025, 7, 2)).policy_reviews == 2

    def test_another_landlords_staff_hear_nothing(self) -> None:
        reminders.plan_for(self.cast.landlord, date(2025, 7, 1))
        reminders.plan_for(self.cast.other_landlord, date(2025, 7, 1))
        assert not OutboxMessage.objects.filter(to_address="sam.stranger@example.org").exists()

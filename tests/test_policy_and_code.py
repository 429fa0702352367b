"""The findings where people work (issue 13): insight's "Your policy and the Code", the portal's "How we
handle complaints", and the landlord's stricter targets beside the Code's measures (2.3, 5.1, 6.2 to 6.15)."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import TestCase
from django.urls import reverse

from putright.complaints import actions
from putright.insight import measures
from putright.insight.periods import Period
from putright.landlords.models import PolicyVersion
from tests.cast import acknowledge, log, make_cast, respond

TODAY = date(2025, 6, 30)


@time_machine.travel(TODAY, tick=False)
class PolicyAndCodePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast("dartford-2024.toml")
        cls.url = reverse("insight:policy")

    def test_dartfords_page_shows_where_it_falls_short_is_stricter_and_what_putright_applies(self) -> None:
        self.client.force_login(self.cast.officer)
        self.client.get(self.url)
        with self.assertNumQueries(5):  # session, user, their places; the version in force, every version
            page = self.client.get(self.url).content.decode()
        assert "Your policy and the Code" in page
        assert "Where your policy falls short of the Code" in page
        assert "The policy allows 7 working days to acknowledge a stage 1 complaint" in page  # 6.2
        assert "The policy accepts complaints only within 3 months of the issue" in page  # 2.3
        # Where the Code applies instead, in the words staff see on a complaint.
        assert "the Code&#x27;s 5 working days apply (6.2)" in page
        assert "the Code&#x27;s 12 months apply (2.3)" in page
        # Silent on extension caps: the Code's numbers, said as such (6.4, 6.15).
        assert "Not stated: the Code's 10 working days apply" in page
        assert "Where your policy is stricter than the Code" in page  # responses counted from receipt (6.3)
        assert 'aria-current="page"' in page and ">Your policy and the Code<" in page

    def test_each_version_has_its_page_and_another_landlords_version_is_not_found(self) -> None:
        self.client.force_login(self.cast.auditor)
        own = PolicyVersion.objects.get(landlord=self.cast.landlord)
        other = PolicyVersion.objects.get(landlord=self.cast.other_landlord)
        assert self.client.get(reverse("insight:policy-version", args=[own.pk])).status_code == 200
        assert self.client.get(reverse("insight:policy-version", args=[other.pk])).status_code == 404
        self.client.force_login(self.cast.stranger)
        assert self.client.get(reverse("insight:policy-version", args=[own.pk])).status_code == 404
        # The stranger's own page is about their own landlord's policy, which meets the Code.
        assert "meets every timescale and rule of the Code" in self.client.get(self.url).content.decode()

    def test_only_those_who_may_read_insight_see_it(self) -> None:
        for person in (self.cast.handler, self.cast.reviewer):
            self.client.force_login(person)
            assert self.client.get(self.url).status_code == 403
        self.client.logout()
        assert self.client.get(self.url).status_code == 302


@time_machine.travel(TODAY, tick=False)
class PortalPromisesTests(TestCase):
    def test_residents_are_promised_the_codes_numbers_where_the_policy_is_weaker(self) -> None:
        cast = make_cast("dartford-2024.toml")
        page = self.client.get(reverse("portal:start", kwargs={"landlord": cast.landlord.slug})).content.decode()
        assert "acknowledge it within 5 working days" in page  # 6.2, not Dartford's 7
        assert "7 working days" not in page
        assert "Complain within 12 months" in page  # 2.3, not Dartford's 3
        assert "no more than 10 working days more" in page  # not stated: the Code's 10 (6.4)

    def test_a_stricter_policy_is_promised_as_it_is(self) -> None:
        cast = make_cast("medway-2022.toml")
        page = self.client.get(reverse("portal:start", kwargs={"landlord": cast.landlord.slug})).content.decode()
        assert "full response within 10 working days of our acknowledgement" in page  # stage 2, stricter than 6.14


class OwnTargetsBesideTheCodeTests(TestCase):
    def test_medways_10_days_at_stage_2_are_shown_beside_ch02_which_stays_against_the_codes_20(self) -> None:
        with time_machine.travel(date(2025, 3, 31), tick=False):
            cast = make_cast("medway-2022.toml")
            complaint = acknowledge(cast, log(cast, date(2024, 6, 3)), date(2024, 6, 4))
            complaint = respond(cast, complaint, date(2024, 6, 11))
            complaint = actions.escalate(complaint, cast.officer, requested_on=date(2024, 6, 17))
            complaint = acknowledge(cast, complaint, date(2024, 6, 18), actor=cast.reviewer)
            # 15 working days after the acknowledgement: inside the Code's 20 (6.14), outside Medway's 10.
            respond(cast, complaint, date(2024, 7, 9), actor=cast.reviewer)
            figures = measures.compute(cast.landlord, Period.reporting_year(2024))
            assert (figures.stage2.within_timescale.part, figures.stage2.within_timescale.whole) == (1, 1)
            [target] = figures.stage2.own_targets
            assert target.provision == "6.14"
            assert target.what == "Responded within 10 working days of the acknowledgement (your policy)"
            assert (target.within.part, target.within.whole) == (0, 1)
            assert figures.stage1.own_targets == []  # Medway's stage 1 is the Code's

            self.client.force_login(cast.manager)
            page = self.client.get("/staff/insight/", {"year": "2024"}).content.decode()
        assert "Beside the Code: your policy's stricter targets" in page
        assert "Stage 2: Responded within 10 working days of the acknowledgement (your policy)" in page

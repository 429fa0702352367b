"""Representatives (Code 3.6): someone acting for the resident, recorded, changed and ended by staff,
with how long their authority runs and what they may see; letters copied to them only while they
act and if the resident agreed; advice agencies presumed to have consent only where the landlord's
policy says so (Cheshire West: "Where complaints have been received via a Councillor, MP, or
recognised advice agency, we assume consent has been given"); the Code presumes nothing."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import time_machine
from django.core import mail
from django.test import Client, TestCase

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.people.models import Representative
from putright.rules.policy import CODE_POLICY, PolicyError, load_policy, parse_policy, policy_from_data
from tests.cast import Cast, acknowledge, log, make_cast
from tests.conftest import EXAMPLE_POLICIES
from tests.portal_support import BASE, deliver_codes
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 6, 16)
AGENCY = actions.RepresentativeInput(
    name="Citizens Advice Ashford", relationship="advice-agency", email="advice@example.org"
)


def sister(**changes: Any) -> actions.RepresentativeInput:
    fields: dict[str, Any] = {
        "name": "Sara Resident",
        "relationship": "relative",
        "authority": "written",
        "email": "sara@example.org",
        "authority_given_on": date(2025, 6, 10),
        "authority_expires_on": date(2025, 6, 30),
    }
    fields.update(changes)
    return actions.RepresentativeInput(**fields)


def letter_addresses(complaint: Complaint) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(complaint=complaint, kind=OutboxMessage.Kind.LETTER).values_list(
            "to_address", flat=True
        )
    )


class RepresentativeCase(TestCase):
    cast: Cast
    policy = "code-2024.toml"

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast(cls.policy)

    def fresh(self, complaint: Complaint) -> Complaint:
        return Complaint.objects.get(pk=complaint.pk)


@time_machine.travel(TODAY, tick=False)
class RecordingARepresentativeTests(RepresentativeCase):
    def test_the_handler_records_who_acts_for_the_resident_with_an_event_3_6(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        rep = complaint.representative
        assert rep is not None and rep.acts_for == complaint.person and rep.authority_expires_on == date(2025, 6, 30)
        assert rep.letters_copied and rep.portal_access and rep.acting_on(TODAY)
        event = Event.objects.get(kind="representative-recorded")
        assert event.summary == (
            "Sara Resident recorded as acting for the resident (relative or friend; written consent from the "
            "resident, until 30 June 2025): letters copied to them, and may follow the complaint online."
        )
        assert event.after["authority_expires_on"] == "2025-06-30"

    def test_changing_their_details_keeps_the_same_representative_and_says_what_it_was(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        complaint = actions.set_representative(complaint, self.cast.handler, sister(letters_copied=False))
        assert Representative.objects.count() == 1 and not complaint.representative.letters_copied  # type: ignore[union-attr]
        changed = Event.objects.get(kind="representative-changed")
        assert changed.before["letters_copied"] is True and changed.after["letters_copied"] is False

    def test_every_bad_answer_gets_its_own_message(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        bad = sister(
            name=" ",
            authority="",
            email="sara at example",
            authority_given_on=date(2025, 6, 12),
            authority_expires_on=date(2025, 6, 11),
        )
        with self.assertRaises(InvalidInput) as refused:
            actions.set_representative(complaint, self.cast.handler, bad)
        assert refused.exception.errors == {
            "name": "Enter this: it cannot be left empty",
            "authority": "Select the authority the resident gave (written, verbal or legal)",
            "email": "Enter an email address in the correct format, like name@example.com",
            "authority_expires_on": "The date their authority ends must be today (16 June 2025) or later: if it "
            "has ended, end their authority instead",
        }

    def test_only_the_stage_handler_or_a_supervisor_changes_who_acts(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, date(2025, 6, 9)), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        for outsider in (self.cast.other_handler, self.cast.auditor, self.cast.stranger):
            with self.assertRaises(NotPermitted):
                actions.set_representative(complaint, outsider, sister())
        actions.set_representative(complaint, self.cast.manager, sister())

    def test_ending_their_authority_is_recorded_and_cannot_be_done_twice(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        complaint = actions.end_representative(
            complaint, self.cast.handler, on=TODAY, reason="Rosa told us she will deal with it herself."
        )
        rep = complaint.representative
        assert rep is not None and rep.ended_on == TODAY and not rep.acting_on(TODAY)
        assert Event.objects.get(kind="representative-ended").summary == (
            "Sara Resident stopped acting for the resident on 16 June 2025: Rosa told us she will deal with it herself."
        )
        with self.assertRaises(TransitionNotAllowed):
            actions.end_representative(complaint, self.cast.handler, on=TODAY, reason="Again")
        # Someone new can then be recorded; the one before is kept.
        complaint = actions.set_representative(complaint, self.cast.handler, sister(name="Sam Friend"))
        assert complaint.representative.name == "Sam Friend" and Representative.objects.count() == 2  # type: ignore[union-attr]


@time_machine.travel(TODAY, tick=False)
class LettersToRepresentativesTests(RepresentativeCase):
    def test_letters_are_copied_to_a_representative_while_their_authority_runs(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        acknowledge(self.cast, complaint, TODAY)
        assert letter_addresses(complaint) == ["rosa@example.org", "sara@example.org"]

    def test_once_their_authority_has_expired_letters_go_to_the_resident_only(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        with time_machine.travel(date(2025, 7, 1), tick=False):
            acknowledge(self.cast, complaint, date(2025, 7, 1), discretion_note="")
        assert letter_addresses(complaint) == ["rosa@example.org"]

    def test_a_representative_not_to_be_copied_in_is_sent_nothing(self) -> None:
        complaint = actions.set_representative(
            log(self.cast, date(2025, 6, 9)), self.cast.handler, sister(letters_copied=False)
        )
        acknowledge(self.cast, complaint, TODAY)
        assert letter_addresses(complaint) == ["rosa@example.org"]

    def test_after_their_authority_ends_letters_go_to_the_resident_only(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        complaint = actions.end_representative(complaint, self.cast.handler, on=TODAY, reason="Consent withdrawn")
        acknowledge(self.cast, complaint, TODAY)
        assert letter_addresses(complaint) == ["rosa@example.org"]


@time_machine.travel(TODAY, tick=False)
class AdviceAgencyUnderTheCodeTests(RepresentativeCase):
    def test_the_code_presumes_no_consent_for_an_advice_agency(self) -> None:
        assert CODE_POLICY.advice_agency_consent_presumed is False
        with self.assertRaises(InvalidInput) as refused:
            actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, AGENCY)
        assert refused.exception.errors == {
            "authority": "Record the authority the resident gave: your policy does not presume an advice agency "
            "has their consent (Code 3.6)"
        }

    def test_a_complaint_logged_through_an_advice_agency_needs_the_authority_recorded(self) -> None:
        agency = actions.RepresentativeDetails(name="Citizens Advice", relationship="advice-agency")
        with self.assertRaises(InvalidInput) as refused:
            log(self.cast, date(2025, 6, 9), representative=agency)
        assert "representative.authority" in refused.exception.errors

    def test_presumed_consent_cannot_be_chosen_for_a_relative(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            actions.set_representative(
                log(self.cast, date(2025, 6, 9)), self.cast.handler, sister(authority="presumed")
            )
        assert "Consent is presumed only for a councillor or MP" in refused.exception.errors["authority"]

    def test_an_mp_is_presumed_to_have_consent_whatever_the_policy(self) -> None:
        mp = actions.RepresentativeInput(name="Jo MP", relationship="mp")
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, mp)
        assert complaint.representative.authority == "presumed"  # type: ignore[union-attr]


@time_machine.travel(TODAY, tick=False)
class AdviceAgencyInCheshireWestTests(RepresentativeCase):
    policy = "cheshire-west-forhousing-2023.toml"

    def test_a_complaint_logged_through_an_advice_agency_is_presumed_to_have_consent(self) -> None:
        agency = actions.RepresentativeDetails(name="Citizens Advice", relationship="advice-agency")
        complaint = log(self.cast, date(2025, 6, 9), representative=agency)
        assert complaint.representative.authority == Representative.Authority.PRESUMED  # type: ignore[union-attr]

    def test_cheshire_west_presumes_an_advice_agency_has_consent(self) -> None:
        assert load_policy(EXAMPLE_POLICIES / self.policy).advice_agency_consent_presumed is True
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, AGENCY)
        rep = complaint.representative
        assert rep is not None and rep.authority == Representative.Authority.PRESUMED
        assert (
            "presumed: an elected member, or an advice agency where the policy says so"
            in Event.objects.get(kind="representative-recorded").summary
        )


def test_the_policy_setting_must_be_true_or_false() -> None:
    assert parse_policy({}).advice_agency_consent_presumed is False
    assert parse_policy({"advice_agency_consent_presumed": True}).advice_agency_consent_presumed is True
    try:
        parse_policy({"advice_agency_consent_presumed": "yes"})
    except PolicyError as error:
        assert error.field == "advice_agency_consent_presumed" and "true or false" in error.message
    else:
        raise AssertionError("a policy setting that is not true or false was read")
    assert policy_from_data(CODE_POLICY.to_data() | {"advice_agency_consent_presumed": True}).to_data()[
        "advice_agency_consent_presumed"
    ]


def representative_form(complaint: Complaint, **changes: str) -> dict[str, str]:
    data = {
        "expected_version": str(complaint.version),
        "name": "Sara Resident",
        "relationship": "relative",
        "authority": "written",
        **date_fields("authority_given_on", date(2025, 6, 10)),
        **date_fields("authority_expires_on", date(2025, 6, 30)),
        "email": "sara@example.org",
        "phone": "",
        "letters_copied": "yes",
        "portal_access": "no",
    }
    data.update(changes)
    return data


@time_machine.travel(TODAY, tick=False)
class RepresentativePagesTests(RepresentativeCase):
    def test_the_handler_records_a_representative_and_the_page_says_what_they_may_see(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        client = signed_in(self.cast.handler)
        assert "Who acts for the resident?" in page(client.get(complaint_url(complaint, "representative")))
        response = client.post(complaint_url(complaint, "representative"), representative_form(complaint))
        assert response.status_code == 302, page(response)
        html = page(client.get(complaint_url(complaint)))
        assert "Sara Resident (Relative or friend)" in html and "until 30 June 2025" in html
        assert "Letters are copied to them." in html and "They may not follow the complaint online." in html

    def test_an_expired_authority_is_warned_of_on_the_complaint_page(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        with time_machine.travel(date(2025, 7, 2), tick=False):
            html = page(signed_in(self.cast.handler).get(complaint_url(complaint)))
        assert "govuk-warning-text" in html
        assert "The authority of Sara Resident (relative or friend) expired on 30 June 2025." in html
        assert "Letters go to the resident only until it is renewed." in html

    def test_bad_answers_are_shown_beside_their_fields(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        response = signed_in(self.cast.handler).post(
            complaint_url(complaint, "representative"),
            representative_form(complaint, name="", relationship="", email="nope", letters_copied=""),
        )
        html = page(response)
        for message in (
            "Enter the representative&#x27;s name",
            "Select who the representative is",
            "Enter an email address in the correct format, like name@example.com",
            "Select whether letters are copied to them",
        ):
            assert message in html, message

    def test_ending_their_authority_in_the_workspace(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        client = signed_in(self.cast.handler)
        url = complaint_url(complaint, "representative/end")
        assert "Sara Resident no longer acts for the resident" in page(client.get(url))
        response = client.post(
            url,
            {"expected_version": complaint.version, **date_fields("on", TODAY), "reason": "Consent withdrawn"},
        )
        assert response.status_code == 302, page(response)
        html = page(client.get(complaint_url(complaint)))
        assert "Nobody. Sara Resident stopped acting for the resident on 16 June 2025." in html
        # With nobody acting, the end page goes back to the complaint.
        assert client.get(url)["Location"] == complaint_url(complaint)

    def test_a_handler_of_another_stage_sees_the_representative_but_no_links_to_change_them(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, date(2025, 6, 9)), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        actions.set_representative(complaint, self.cast.handler, sister())
        html = page(signed_in(self.cast.other_handler).get(complaint_url(complaint)))
        assert "Sara Resident" in html and "End their authority" not in html
        refused = signed_in(self.cast.other_handler).get(complaint_url(complaint, "representative"))
        assert refused.status_code == 403


@time_machine.travel(TODAY, tick=False)
class RepresentativesFollowingOnlineTests(RepresentativeCase):
    def following_code_sent_to(self, complaint: Complaint, email: str) -> bool:
        mail.outbox.clear()
        Client().post(f"{BASE}/follow/", {"reference": complaint.reference, "email": email})
        deliver_codes()  # the worker's part: it matches the pair and sends the code
        return any("Your code is" in message.body for message in mail.outbox)

    def test_a_representative_follows_the_complaint_online_only_if_allowed_and_while_acting(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        assert self.following_code_sent_to(complaint, "sara@example.org")
        complaint = actions.set_representative(complaint, self.cast.handler, sister(portal_access=False))
        assert not self.following_code_sent_to(complaint, "sara@example.org")
        assert self.following_code_sent_to(complaint, "rosa@example.org")


@time_machine.travel(TODAY, tick=False)
class RepresentativesApiTests(RepresentativeCase):
    token: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.token = {name: tokens.issue(getattr(cls.cast, name))[1] for name in ("handler", "auditor", "stranger")}
        ApiToken.objects.update(last_used_at=clock.now())

    def api(self, method: str, path: str, as_: str = "handler", body: Any = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token[as_]}"}
        if method == "GET":
            return self.client.get(f"/api/v1{path}", headers=headers)
        return self.client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)

    def test_recorded_read_changed_and_ended_through_the_api(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        path = f"/complaints/{complaint.reference}/representative"
        assert self.api("GET", path).json()["representative"] is None
        body = {
            "name": "Sara Resident",
            "relationship": "relative",
            "authority": "verbal",
            "authority_expires_on": "2025-06-30",
            "letters_copied": False,
            "version": complaint.version,
        }
        made = self.api("POST", path, body=body)
        assert made.status_code == 200, made.content
        rep = made.json()["representative"]
        assert rep["authority_expires_on"] == "2025-06-30" and rep["letters_copied"] is False and rep["acting"]
        assert self.api("GET", path, as_="auditor").json()["representative"]["name"] == "Sara Resident"
        ended = self.api("POST", path + "/end", body={"on": "2025-06-16", "reason": "Consent withdrawn"})
        assert ended.status_code == 200 and ended.json()["representative"]["acting"] is False

    def test_refusals_through_the_api(self) -> None:
        complaint = log(self.cast, date(2025, 6, 9))
        path = f"/complaints/{complaint.reference}/representative"
        agency = {"name": "Citizens Advice", "relationship": "advice-agency"}
        refused = self.api("POST", path, body=agency)
        assert refused.status_code == 422 and "does not presume" in refused.json()["errors"]["authority"]
        assert self.api("POST", path, as_="auditor", body=agency).status_code == 403
        assert self.api("GET", path, as_="stranger").status_code == 404
        assert self.api("POST", path + "/end", body={"on": "2025-06-16", "reason": "x"}).status_code == 409


@time_machine.travel(TODAY, tick=False)
class AuthorityExpiryReminderTests(RepresentativeCase):
    def test_the_handler_is_reminded_once_before_a_representatives_authority_ends(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, date(2025, 6, 9)), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        actions.set_representative(complaint, self.cast.handler, sister(authority_expires_on=date(2025, 6, 17)))
        planned = reminders.plan_for(self.cast.landlord, TODAY)
        assert planned.representative_expiries == 1
        reminder = OutboxMessage.objects.get(once_key__startswith="representative-expiry:")
        assert reminder.to_address == "hana.handler@example.org"
        assert reminder.subject == f"A representative's authority ends Tuesday 17 June: {complaint.reference}"
        assert (
            "The authority of Sara Resident (relative or friend) to act for the resident ends on Tuesday 17 June "
            in (reminder.body)
        )
        assert reminders.plan_for(self.cast.landlord, TODAY).representative_expiries == 0

    def test_nobody_is_reminded_of_an_authority_far_off_or_already_ended(self) -> None:
        complaint = actions.set_representative(log(self.cast, date(2025, 6, 9)), self.cast.handler, sister())
        assert reminders.plan_for(self.cast.landlord, TODAY).representative_expiries == 0  # 30 June is far off
        actions.set_representative(complaint, self.cast.handler, sister(authority_expires_on=date(2025, 6, 17)))
        actions.end_representative(self.fresh(complaint), self.cast.handler, on=TODAY, reason="Consent withdrawn")
        assert reminders.plan_for(self.cast.landlord, TODAY).representative_expiries == 0
